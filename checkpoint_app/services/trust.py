"""Site certificates an auditor trusts, kept in the auditor's own user folder.

A site's certificate is its root CA (reports/signing.py): public, the one thing an auditor needs
to check any PDF the site signed. The manager hands it over once, as a file
(``checkpoint site certificate --out SITE.cer``) or as the QR of the one-page registration sheet
(reports/registration_sheet.py), whose fingerprint the auditor reads aloud or compares in groups.

The trust store is a folder of PEM files in the user's configuration folder
(``$CHECKPOINT_TRUST_DIR``, else e.g. ``~/.config/Checkpoint/trusted_sites``), one per
certificate, named by site code and fingerprint. It is not a site database: it works on a PC
where no site was ever set up. Two sites may share a code (codes are chosen locally): certificates
are told apart by fingerprint.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from checkpoint_app import APP_NAME
from checkpoint_app.errors import InvalidInput, StorageError
from checkpoint_app.domain import fingerprint_words
from checkpoint_app.i18n import Messages

log = logging.getLogger(__name__)

_ = Messages({
    "sheet_pdf": ("{file} 是 PDF 文件（登记单？），不能直接登记：请导入小区的证书文件（.cer），或导入打印出的登记单的照片或扫描图片。",
                  "{file} is a PDF (the registration sheet?) and cannot be registered as it is: import the site's "
                  "certificate file (.cer), or a photo or scan of the printed sheet."),
    "not_cert": ("这不是门岗通小区证书：{file}", "This is not a Checkpoint site certificate: {file}"),
    "not_site_ca": ("该证书不是门岗通小区根证书（没有小区编号）。",
                    "This certificate is not a Checkpoint site root certificate (it names no site)."),
    "no_qr": ("图片中找不到小区证书登记单的二维码：{file}",
              "No registration-sheet QR code was found in the picture: {file}"),
    "unreadable": ("无法读取 {file}：{error}", "Cannot read {file}: {error}"),
    "cannot_write": ("无法保存到证书文件夹 {dir}：{error}", "Cannot save into the certificate folder {dir}: {error}"),
})

#: The registration sheet's QR: this prefix + unpadded Base32 of the certificate (DER).
QR_PREFIX = "CPCA1"
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}


@dataclass(frozen=True)
class SiteCertificate:
    pem: bytes
    site_code: str
    site_name: str
    fingerprint: str          # SHA-256 of the DER, 64 upper-case hex digits
    not_after: dt.date

    @property
    def grouped(self) -> str:
        """The fingerprint in 16 groups of 4, to read aloud or compare: "3F2A 9C01 …"."""
        return " ".join(self.fingerprint[i:i + 4] for i in range(0, 64, 4))

    def words(self) -> list[str]:
        """The fingerprint in words (domain/fingerprint_words.py), 4 lines of 8 Chinese words then
        4 of the same in English, whatever the language in use: what the manager reads aloud and
        the auditor compares (a Chinese sheet against an English screen too)."""
        return [line for lines in fingerprint_words.both(self.fingerprint).values() for line in lines]

    @property
    def short(self) -> str:
        """The first four groups: enough to tell certificates apart on a screen."""
        return self.grouped[:19]

    @property
    def label(self) -> str:
        return f"{self.site_name}（{self.site_code}）"

    def qr_text(self) -> str:
        return QR_PREFIX + base64.b32encode(_der(self.pem)).decode("ascii").rstrip("=")

    def as_json(self) -> dict:
        return {"site": self.site_code, "site_name": self.site_name, "fingerprint": self.grouped,
                "words": fingerprint_words.both(self.fingerprint),
                "valid_until": self.not_after.isoformat()}


def _der(pem: bytes) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)


def parse(data: bytes | str, source: str = "") -> SiteCertificate:
    """A site certificate from PEM, DER or the registration sheet's QR text; InvalidInput with a
    sentence for anything else (including a certificate that is not a site's root)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    from checkpoint_app.reports.signing import site_code_of

    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    text = b"".join(data.split()).upper()
    try:
        if text.startswith(QR_PREFIX.encode()):
            body = text[len(QR_PREFIX):]
            cert = x509.load_der_x509_certificate(base64.b32decode(body + b"=" * (-len(body) % 8)))
        elif b"-----BEGIN CERTIFICATE-----" in data:
            cert = x509.load_pem_x509_certificate(data)
        else:
            cert = x509.load_der_x509_certificate(data)
    except (ValueError, binascii.Error, TypeError):
        raise InvalidInput(_("not_cert", file=source or "?"), "not_a_certificate") from None
    code = site_code_of(cert.subject)
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if not code or not is_ca:
        raise InvalidInput(_("not_site_ca"), "not_a_site_certificate")
    names = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    der = cert.public_bytes(Encoding.DER)
    return SiteCertificate(
        pem=cert.public_bytes(Encoding.PEM), site_code=code,
        site_name=str(names[0].value) if names else code,
        fingerprint=hashlib.sha256(der).hexdigest().upper(),
        not_after=cert.not_valid_after_utc.date())


def read_file(path: Path) -> SiteCertificate:
    """A certificate file (.cer/.pem/.crt/.der), or a photo or scan of the registration sheet
    (its QR is decoded)."""
    path = Path(path)
    if path.suffix.lower() in _IMAGE_SUFFIXES:
        return parse(_qr_in_picture(path), path.name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(_("unreadable", file=path.name, error=exc.strerror or exc), "unreadable") from None
    if data.startswith(b"%PDF-"):
        raise InvalidInput(_("sheet_pdf", file=path.name), "sheet_pdf")
    return parse(data, path.name)


def _qr_in_picture(path: Path) -> str:
    import zxingcpp
    from PIL import Image

    try:
        with Image.open(path) as img:
            found = zxingcpp.read_barcodes(img.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    except OSError as exc:
        raise InvalidInput(_("unreadable", file=path.name, error=exc.strerror or exc), "unreadable") from None
    for code in found:
        if code.text.upper().startswith(QR_PREFIX):
            return code.text
    raise InvalidInput(_("no_qr", file=path.name), "no_qr")


# -- the store -------------------------------------------------------------------------------

def store_dir() -> Path:
    env = os.environ.get("CHECKPOINT_TRUST_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "trusted_sites"


def _file_of(cert: SiteCertificate, folder: Path) -> Path:
    code = re.sub(r"[^A-Za-z0-9_-]", "_", cert.site_code)
    return folder / f"{code}_{cert.fingerprint[:16]}.cer"


def trusted() -> list[SiteCertificate]:
    """The registered certificates, by site code; unreadable files are skipped (and logged)."""
    folder = store_dir()
    found = []
    for f in sorted(folder.glob("*.cer")) if folder.is_dir() else ():
        try:
            found.append(parse(f.read_bytes(), f.name))
        except (InvalidInput, OSError) as exc:
            log.warning("skipping %s in the trust store: %s", f, exc)
    return sorted(found, key=lambda c: (c.site_code, c.fingerprint))


def register(cert: SiteCertificate) -> SiteCertificate:
    """Keep ``cert`` in the store (again is harmless); written whole or not at all."""
    folder = store_dir()
    try:
        write_certificate(cert, _file_of(cert, folder))
    except StorageError as exc:
        raise StorageError(_("cannot_write", dir=folder, error=exc), "cannot_write") from exc
    log.info("registered the certificate of site %s (%s)", cert.site_code, cert.short)
    return cert


def unregister(cert: SiteCertificate) -> None:
    try:
        _file_of(cert, store_dir()).unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise StorageError(_("cannot_write", dir=store_dir(), error=exc.strerror or exc), "cannot_write") from exc


def of_site(ctx) -> SiteCertificate:
    """This site's certificate (public only), from its database."""
    from checkpoint_app.services import signed_pdf

    pki = signed_pdf.pki(ctx, need_key=False)
    if pki is None:
        raise InvalidInput(signed_pdf.no_pki_sentence(), "no_pki")
    return parse(pki.ca_cert, ctx.site.code)


def write_certificate(cert: SiteCertificate, out: Path) -> Path:
    """``SITE.cer``: the certificate in PEM, written whole or not at all."""
    from checkpoint_app.reports.page import atomic_target
    from checkpoint_app.services.signed_pdf import writing

    out = Path(out)
    with writing(out.parent):
        out.parent.mkdir(parents=True, exist_ok=True)
        with atomic_target(out) as tmp:
            Path(tmp).write_bytes(cert.pem)
    return out


def print_sheet(ctx, cert: SiteCertificate, out: Path) -> Path:
    """The one-page registration sheet (reports/registration_sheet.py) as a PDF."""
    from checkpoint_app.reports.registration_sheet import render_sheet
    from checkpoint_app.services.signed_pdf import author, writing

    out = Path(out)
    with writing(out.parent):
        out.parent.mkdir(parents=True, exist_ok=True)
        return render_sheet(cert, out, generated_by=author(ctx), generated_at=ctx.now())
