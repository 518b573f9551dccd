"""The site's certificates and the PAdES signature on every PDF.

At initialisation each site makes a small PKI: a site root CA (20 years) and a document-signing
certificate (10 years) issued by it, RSA-2048 with SHA-256 (the most widely supported choice
among PDF readers; pyHanko validates it cleanly). Every PDF is signed with pyHanko as PAdES
baseline B: no timestamp server, no revocation fetching, nothing on the network. A PDF reader's
signature panel then shows whether the file was altered; :func:`verify_pdf_signature` checks
the same with the site CA as the only trust root.

Signing never leaves a half-written PDF: the signed file is written beside the target and
renamed over it (``os.replace``), so signing in place (``in_path == out_path``) is safe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from checkpoint_app.i18n import Messages
from checkpoint_app.reports.page import atomic_target

log = logging.getLogger(__name__)

_ = Messages({
    "sig.none": ("文件没有签名。", "The file is not signed."),
    "sig.unreadable": (
        # pyHanko's own words ("byte 0x…") go to the log, not into the sentence
        "无法读取该 PDF 的签名：文件已损坏或不完整。", "Cannot read the PDF's signature: the file is damaged or incomplete."
    ),
    "sig.altered": (
        "文件在签名后被改动过（内容与签名不符）。",
        "The file was altered after it was signed (its content does not match the signature).",
    ),
    "sig.bad": ("签名本身无效。", "The signature itself is invalid."),
    "sig.untrusted": (
        "签名证书不是本站点签发的（签发者：{issuer}），不受本站点根证书信任。",
        "The signing certificate was not issued by this site (issuer: {issuer}); the site CA "
        "does not trust it.",
    ),
    "sig.appended": (
        "签名之后文件又被添加了内容或修订版本，这部分不受签名保护（签名本身有效，"
        "签名时的文件未变）。",
        "Content or a revision was added to the file after it was signed and "
        "is not covered by the signature (the signature itself is valid; the file as signed is "
        "unchanged).",
    ),
    "sig.earlier": (
        "文件中较早的签名无效：{detail}",
        "An earlier signature in the file is not valid: {detail}",
    ),
    "sig.ca_name": ("{site} 站点根证书", "{site} site root CA"),
    "sig.signer_name": ("{site} 文件签名", "{site} document signing"),
    "sig.gate_signer_name": ("{site} {gate} 文件签名", "{site} {gate} document signing"),
})

CA_YEARS = 20
SIGNER_YEARS = 10
SIGNATURE_FIELD = "CheckpointSignature"

# extended key usages for document signing: RFC 9336 id-kp-documentSigning, Microsoft
# Document Signing, Adobe Authentic Documents Trust (Acrobat accepts any of these)
_EKU_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
_EKU_MS_DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")
_EKU_ADOBE_AUTHENTIC_DOCUMENTS = ObjectIdentifier("1.2.840.113583.1.1.5")


@dataclass(frozen=True)
class SitePKI:
    """The site's certificates, PEM encoded. ``signer_key`` is PKCS#8, unencrypted (for now:
    the caller stores it where only the app can read it)."""

    ca_cert: bytes
    signer_cert: bytes
    signer_key: bytes
    #: the CA's own key (PKCS#8 PEM): kept only on the PC that made the site, to issue each joined
    #: gate its own document-signing certificate (exchange/join.py); empty elsewhere
    ca_key: bytes = field(default=b"", repr=False, compare=False)


@dataclass(frozen=True)
class SignatureCheck:
    """Result of :func:`verify_pdf_signature`.

    ``valid``: the signature is mathematically valid, made with a certificate issued by the
    given site CA, the signed bytes are unchanged (``intact``) and it covers the whole file
    (``covers_whole_file``: nothing appended since). ``problem`` is a sentence for the user
    when not valid, else ``None``.
    """

    valid: bool
    intact: bool
    covers_whole_file: bool
    signer: str
    problem: str | None
    #: site code named in the signing certificate ("Checkpoint site HXY01" → "HXY01"), read
    #: whether or not the certificate is trusted: it tells "another site's file" apart from
    #: "a forged certificate"
    signer_site: str = field(default="", compare=False)
    #: why not valid, for programs: "none", "unreadable", "altered", "invalid", "untrusted",
    #: "appended", "earlier"; ``None`` when valid
    code: str | None = field(default=None, compare=False)
    #: the signature's /Location ("<site name> <gate name>" on the daily logs)
    location: str = field(default="", compare=False)
    #: the gate uid a gate's own certificate names (exchange/join.py); "" for the site's own signer
    signer_gate: str = field(default="", compare=False)
    #: what the PDF reader said when the signature could not be read ("unreadable"), "" else
    error: str = field(default="", compare=False)


_OU_PREFIX = "Checkpoint site "


def _name(common_name: str, site_code: str, site_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, site_name),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"{_OU_PREFIX}{site_code}"),
    ])


def site_code_of(name: x509.Name) -> str:
    """The site code a certificate's subject names ("Checkpoint site HXY01" → "HXY01"), or ""."""
    for attr in name.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME):
        if str(attr.value).startswith(_OU_PREFIX):
            return str(attr.value)[len(_OU_PREFIX):]
    return ""


def _years(start: dt.datetime, years: int) -> dt.datetime:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def create_site_pki(
    site_code: str, site_name: str, *, now: dt.datetime | None = None
) -> SitePKI:
    """Make the site's root CA and its document-signing certificate (RSA-2048, SHA-256)."""
    if not site_code or not site_name:
        raise ValueError("site_code and site_name are required")
    now = now or dt.datetime.now(dt.UTC)
    # a day of slack: a gate PC whose clock is a little behind must still sign validly
    start = now - dt.timedelta(days=1)

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = _name(_("sig.ca_name", lang="zh_CN", site=site_name), site_code, site_name)
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(_years(now, CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signer_name = _name(_("sig.signer_name", lang="zh_CN", site=site_name), site_code, site_name)
    signer_cert = _document_certificate(signer_name, key, ca_cert, ca_key, start, _years(now, SIGNER_YEARS))
    log.info("created site PKI for %s (%s)", site_code, site_name)
    return SitePKI(
        ca_cert=ca_cert.public_bytes(serialization.Encoding.PEM),
        signer_cert=signer_cert.public_bytes(serialization.Encoding.PEM),
        signer_key=_pem(key),
        ca_key=_pem(ca_key),
    )


def _pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _document_certificate(subject: x509.Name, key, ca_cert: x509.Certificate, ca_key,
                          start: dt.datetime, end: dt.datetime) -> x509.Certificate:
    """A document-signing certificate for ``key`` issued by the site CA (``ca_cert``/``ca_key``)."""
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([
                _EKU_DOCUMENT_SIGNING, _EKU_MS_DOCUMENT_SIGNING, _EKU_ADOBE_AUTHENTIC_DOCUMENTS,
                ExtendedKeyUsageOID.EMAIL_PROTECTION,
            ]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )


def issue_gate_signer(ca_cert_pem: bytes, ca_key_pem: bytes, gate_name: str, gate_uid: str, *,
                      now: dt.datetime | None = None) -> tuple[bytes, bytes]:
    """A document-signing certificate of the site CA for one gate, with its new key: (certificate,
    PKCS#8 key), PEM. The subject names the site as the CA does (site code, site name) and the
    gate ("<site name> <gate name> 文件签名", its uid as the subject's serial number: a log it signs
    must carry that gate's checkpoint); it ends with the CA at the latest."""
    ca_cert = x509.load_pem_x509_certificate(ca_cert_pem)
    ca_key = serialization.load_pem_private_key(ca_key_pem, password=None)
    site_code = site_code_of(ca_cert.subject)
    orgs = ca_cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    site_name = str(orgs[0].value) if orgs else site_code
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        now = now.astimezone(dt.UTC)
    end = min(_years(now, SIGNER_YEARS), ca_cert.not_valid_after_utc)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([*_name(_("sig.gate_signer_name", lang="zh_CN", site=site_name, gate=gate_name),
                                site_code, site_name), x509.NameAttribute(NameOID.SERIAL_NUMBER, gate_uid)])
    cert = _document_certificate(subject, key, ca_cert, ca_key, now - dt.timedelta(days=1), end)
    log.info("issued a document-signing certificate for gate %s of %s", gate_name, site_code)
    return cert.public_bytes(serialization.Encoding.PEM), _pem(key)


def issued_by(cert_pem: bytes, key_pem: bytes, ca_cert_pem: bytes) -> bool:
    """Is ``cert_pem`` issued by the CA ``ca_cert_pem`` and for the key ``key_pem``?"""
    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
        cert.verify_directly_issued_by(x509.load_pem_x509_certificate(ca_cert_pem))
        key = serialization.load_pem_private_key(key_pem, password=None)
    except Exception:
        return False
    return key.public_key().public_numbers() == cert.public_key().public_numbers()


_SIGNERS: dict[bytes, object] = {}
_SIGNERS_LOCK = threading.Lock()


def _signer(pki: SitePKI):
    """A pyHanko signer for ``pki``, made once per process.

    Loading an RSA key runs OpenSSL's key check (about 50 ms), and pyHanko's ``SimpleSigner``
    reloads its key from DER for every raw signature (twice per PDF: the size estimate, then
    the signature), so six daily logs spent over a second there. This signer keeps the loaded
    key; the first load still checks it."""
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.keys.pemder import load_certs_from_pemder_data
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    ident = hashlib.sha256(pki.ca_cert + b"\0" + pki.signer_cert + b"\0" + pki.signer_key).digest()
    with _SIGNERS_LOCK:
        found = _SIGNERS.get(ident)
        if found is not None:
            return found

        pyca_key = serialization.load_pem_private_key(pki.signer_key, password=None)

        class CachedKeySigner(signers.SimpleSigner):
            def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
                mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
                try:
                    algo = mechanism.signature_algo
                except ValueError:
                    algo = mechanism["algorithm"].native
                if algo == "rsassa_pkcs1v15" and isinstance(pyca_key, RSAPrivateKey):
                    return pyca_key.sign(data, PKCS1v15(),
                                         get_pyca_cryptography_hash(digest_algorithm))
                return super().sign_raw(data, digest_algorithm)

        signer = CachedKeySigner(
            signing_cert=next(iter(load_certs_from_pemder_data(pki.signer_cert))),
            signing_key=load_private_key_from_pemder_data(pki.signer_key, passphrase=None),
            cert_registry=SimpleCertificateStore.from_certs(
                list(load_certs_from_pemder_data(pki.ca_cert))),
        )
        if len(_SIGNERS) >= 8:  # tests make many sites; a gate has one
            _SIGNERS.clear()
        _SIGNERS[ident] = signer
        return signer


def sign_pdf(in_path: Path, out_path: Path, pki: SitePKI, *, reason: str, location: str) -> Path:
    """Sign ``in_path`` (PAdES B-B, SHA-256, invisible signature field) and write the result
    to ``out_path`` atomically; ``out_path`` may be ``in_path``. Returns ``out_path``."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    in_path, out_path = Path(in_path), Path(out_path)
    data = in_path.read_bytes()
    signer = _signer(pki)
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        embed_validation_info=False,
        use_pades_lta=False,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    with atomic_target(out_path) as tmp:
        with open(tmp, "wb") as f:
            signers.sign_pdf(
                writer, meta, signer=signer,
                new_field_spec=fields.SigFieldSpec(sig_field_name=SIGNATURE_FIELD),
                output=f,
            )
    log.info("signed %s -> %s", in_path, out_path)
    return out_path


def _common_name(cert) -> str:
    try:
        return cert.subject.native.get("common_name") or cert.subject.human_friendly
    except Exception:  # pragma: no cover - a certificate without a readable subject
        return ""


def _gate_uid(cert) -> str:
    try:
        return str(cert.subject.native.get("serial_number") or "")
    except Exception:  # pragma: no cover - a certificate without a readable subject
        return ""


def _site_code(cert) -> str:
    try:
        unit = cert.subject.native.get("organizational_unit_name") or ""
    except Exception:  # pragma: no cover - a certificate without a readable subject
        return ""
    if isinstance(unit, list):
        unit = next((u for u in unit if str(u).startswith(_OU_PREFIX)), "")
    unit = str(unit)
    return unit[len(_OU_PREFIX):] if unit.startswith(_OU_PREFIX) else ""


def verify_pdf_signature(path: Path, ca_cert_pem: bytes) -> SignatureCheck:
    """Check the PDF's signature(s) against the site CA ``ca_cert_pem`` (the only trust
    root; nothing fetched from the network). The last signature must cover the whole file;
    earlier ones (if any) must be valid too."""
    from pyhanko.keys.pemder import load_certs_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        roots = list(load_certs_from_pemder_data(ca_cert_pem)) if ca_cert_pem.strip() else []
        with open(path, "rb") as f:
            reader = PdfFileReader(f, strict=False)
            sigs = list(reader.embedded_signatures)
            if not sigs:
                return SignatureCheck(False, False, False, "", _("sig.none"), code="none")
            location = str(sigs[-1].sig_object.get("/Location") or "")
            statuses = []
            for emb in sigs:
                vc = ValidationContext(
                    trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
                )
                statuses.append(validate_pdf_signature(emb, vc))
    except Exception as exc:  # a damaged file: report it, do not crash the caller
        log.warning("cannot validate the signature of %s: %s", path, exc)
        return SignatureCheck(False, False, False, "", _("sig.unreadable"),
                              code="unreadable", error=str(exc))

    status = statuses[-1]
    signer = _common_name(status.signing_cert) if status.signing_cert is not None else ""
    signer_site = _site_code(status.signing_cert) if status.signing_cert is not None else ""
    signer_gate = _gate_uid(status.signing_cert) if status.signing_cert is not None else ""
    intact = bool(status.intact)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    problem: str | None = None
    code: str | None = None
    if not intact:
        problem, code = _("sig.altered"), "altered"
    elif not status.valid:
        problem, code = _("sig.bad"), "invalid"
    elif not status.trusted:
        issuer = ""
        if status.signing_cert is not None:
            issuer = status.signing_cert.issuer.native.get("common_name") or ""
        problem, code = _("sig.untrusted", issuer=issuer or "?"), "untrusted"
    elif not whole:
        # Before bottom_line: an added revision (an incremental update) also fails pyHanko's
        # modification check, which would make it look like a bad signature. The signature is
        # sound; what came after it is not covered.
        problem, code = _("sig.appended"), "appended"
    elif not status.bottom_line:
        problem, code = _("sig.bad"), "invalid"
    else:
        for earlier in statuses[:-1]:
            if not (earlier.intact and earlier.valid and earlier.trusted):
                problem = _("sig.earlier", detail=_common_name(earlier.signing_cert))
                code = "earlier"
                break
    valid = problem is None
    log.info("signature of %s: valid=%s intact=%s whole=%s signer=%s", path, valid, intact,
             whole, signer)
    return SignatureCheck(valid, intact, whole, signer, problem, signer_site, code, location, signer_gate)
