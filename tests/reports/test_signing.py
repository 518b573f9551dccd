from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, ObjectIdentifier

from checkpoint_app.reports.page import ReportMeta, build_report, closing_block, para
from checkpoint_app.reports.signing import (
    SignatureCheck,
    SitePKI,
    create_site_pki,
    sign_pdf,
    verify_pdf_signature,
)

from .conftest import assert_fonts_embedded, qpdf_check, run, tool


@pytest.fixture(scope="module")
def pki() -> SitePKI:
    return create_site_pki("YGHY", "阳光花园小区")


@pytest.fixture(scope="module")
def other_pki() -> SitePKI:
    return create_site_pki("HXJY", "和谐家园")


@pytest.fixture(scope="module")
def unsigned(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sign") / "log.pdf"
    meta = ReportMeta("阳光花园小区", "东门", date(2024, 3, 15), "出入登记日志", "李四")
    build_report(out, meta, [para("内容 " * 200), closing_block("CK1:TEST", ["记录 0 条"])])
    return out


@pytest.fixture(scope="module")
def signed(unsigned, pki, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("signed") / "log-signed.pdf"
    assert sign_pdf(unsigned, out, pki, reason="出入登记日志", location="阳光花园小区 东门") == out
    return out


def test_certificates(pki):
    ca = x509.load_pem_x509_certificate(pki.ca_cert)
    signer = x509.load_pem_x509_certificate(pki.signer_cert)
    assert ca.subject == ca.issuer
    assert signer.issuer == ca.subject
    bc = ca.extensions.get_extension_for_class(x509.BasicConstraints)
    assert bc.critical and bc.value.ca
    assert ca.extensions.get_extension_for_class(x509.KeyUsage).value.key_cert_sign
    assert not signer.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    ku = signer.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and ku.value.content_commitment
    eku = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert ObjectIdentifier("1.3.6.1.5.5.7.3.36") in eku  # id-kp-documentSigning
    assert ExtendedKeyUsageOID.CODE_SIGNING not in eku
    years = lambda c: (c.not_valid_after_utc - c.not_valid_before_utc).days / 365.25  # noqa: E731
    assert 19.9 < years(ca) < 20.1
    assert 9.9 < years(signer) < 10.1
    assert signer.not_valid_before_utc < dt.datetime.now(dt.UTC)
    signer.verify_directly_issued_by(ca)
    assert "阳光花园小区" in signer.subject.rfc4514_string()


def test_signer_key_is_unencrypted_pkcs8_matching_the_certificate(pki):
    assert pki.signer_key.startswith(b"-----BEGIN PRIVATE KEY-----")
    key = serialization.load_pem_private_key(pki.signer_key, password=None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    signer = x509.load_pem_x509_certificate(pki.signer_cert)
    assert key.public_key().public_numbers() == signer.public_key().public_numbers()


def test_each_site_gets_its_own_keys(pki, other_pki):
    assert pki.ca_cert != other_pki.ca_cert and pki.signer_key != other_pki.signer_key
    with pytest.raises(ValueError):
        create_site_pki("", "x")


def test_signed_pdf_verifies(signed, pki):
    check = verify_pdf_signature(signed, pki.ca_cert)
    assert check == SignatureCheck(True, True, True, "阳光花园小区 文件签名", None)


def test_signed_pdf_is_still_a_clean_pdf(signed):
    qpdf_check(signed)
    assert_fonts_embedded(signed)


def test_signature_is_pades_with_reason_and_location(signed):
    from pyhanko.pdf_utils.reader import PdfFileReader

    with open(signed, "rb") as f:
        sig = PdfFileReader(f).embedded_signatures[0]
        assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
        assert sig.sig_object["/Reason"] == "出入登记日志"
        assert sig.sig_object["/Location"] == "阳光花园小区 东门"


def test_flipped_byte_in_the_signed_range_is_detected(signed, pki, tmp_path):
    data = bytearray(signed.read_bytes())
    start = data.index(b"stream\n", 200) + 50  # inside the first page's content stream
    sig_at = data.index(b"/ByteRange")
    assert start < sig_at  # well inside the first signed range
    data[start] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    check = verify_pdf_signature(tampered, pki.ca_cert)
    assert not check.intact
    assert not check.valid
    assert "改动" in check.problem


def test_other_site_is_not_trusted(signed, other_pki, unsigned, pki, tmp_path):
    check = verify_pdf_signature(signed, other_pki.ca_cert)
    assert check.intact and not check.valid
    assert "不是本站点签发" in check.problem
    foreign = sign_pdf(unsigned, tmp_path / "foreign.pdf", other_pki, reason="r", location="l")
    check = verify_pdf_signature(foreign, pki.ca_cert)
    assert check.intact and not check.valid
    assert check.signer == "和谐家园 文件签名"


def test_appended_content_is_not_covered(signed, pki, tmp_path):
    appended = tmp_path / "appended.pdf"
    shutil.copy(signed, appended)
    with open(appended, "ab") as f:
        f.write(b"\n%% appended after signing\n")
    check = verify_pdf_signature(appended, pki.ca_cert)
    assert check.intact and not check.covers_whole_file and not check.valid
    assert check.problem


def test_unsigned_and_unreadable_files(unsigned, pki, tmp_path):
    check = verify_pdf_signature(unsigned, pki.ca_cert)
    assert not check.valid and check.problem == "文件没有签名。"
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    check = verify_pdf_signature(junk, pki.ca_cert)
    assert not check.valid and check.problem


def test_sign_in_place_is_atomic(unsigned, pki, tmp_path):
    target = tmp_path / "inplace.pdf"
    shutil.copy(unsigned, target)
    sign_pdf(target, target, pki, reason="r", location="l")
    assert verify_pdf_signature(target, pki.ca_cert).valid
    assert [p.name for p in tmp_path.iterdir()] == ["inplace.pdf"]


def test_failed_signing_leaves_the_file_untouched(unsigned, pki, other_pki, tmp_path):
    target = tmp_path / "keep.pdf"
    shutil.copy(unsigned, target)
    before = target.read_bytes()
    broken = replace(pki, signer_key=b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END "
                                     b"PRIVATE KEY-----\n")
    with pytest.raises(ValueError):
        sign_pdf(target, target, broken, reason="r", location="l")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.pdf"]


def test_crash_while_writing_keeps_the_old_file(unsigned, pki, tmp_path, monkeypatch):
    from pyhanko.sign import signers

    def half_written(writer, meta, signer, new_field_spec=None, output=None, **kw):
        output.write(b"%PDF-1.7 half")
        raise OSError("disk full")

    target = tmp_path / "crash.pdf"
    shutil.copy(unsigned, target)
    before = target.read_bytes()
    monkeypatch.setattr(signers, "sign_pdf", half_written)
    with pytest.raises(OSError):
        sign_pdf(target, target, pki, reason="r", location="l")
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["crash.pdf"]


def test_a_pdf_reader_sees_a_valid_whole_document_signature(signed, tmp_path):
    """poppler's pdfsig (what a reader's signature panel shows): valid, whole file signed;
    the issuer is untrusted only because the site CA is not in the reader's store."""
    result = run(tool("pdfsig"), signed)
    assert "Signature is Valid." in result.stdout, result.stdout + result.stderr
    assert "Total document signed" in result.stdout
    assert "阳光花园小区 文件签名" in result.stdout
    data = bytearray(signed.read_bytes())
    data[data.index(b"stream\n", 200) + 50] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    assert "Signature is Valid." not in run(tool("pdfsig"), tampered).stdout


def test_an_added_revision_is_a_change_after_signing_not_a_bad_signature(signed, pki, tmp_path):
    """Issue 11: an incremental update changing the text was reported as "签名本身无效"."""
    from .conftest import add_revision

    changed = tmp_path / "changed.pdf"
    add_revision(signed, changed, b"2024-03-15", b"2024-03-16")
    check = verify_pdf_signature(changed, pki.ca_cert)
    assert check.intact and not check.covers_whole_file and not check.valid
    assert check.code == "appended"
    assert "签名之后" in check.problem and "签名本身有效" in check.problem and "无效" not in check.problem


def test_a_signature_that_fails_is_invalid(signed, pki, tmp_path):
    """Only a signature that itself fails is "invalid": its value changed, the content not."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    data = bytearray(signed.read_bytes())
    with open(signed, "rb") as f:
        cms = PdfFileReader(f).embedded_signatures[0].signed_data
        value = cms["signer_infos"][0]["signature"].native
    hexed = value[:16].hex().encode()
    at = max(bytes(data).find(hexed), bytes(data).find(hexed.upper()))  # /Contents: hex, not signed
    data[at] = ord("0") if data[at] != ord("0") else ord("1")
    bad = tmp_path / "bad-signature.pdf"
    bad.write_bytes(bytes(data))
    check = verify_pdf_signature(bad, pki.ca_cert)
    assert check.intact and not check.valid and check.code == "invalid"
    assert check.problem == "签名本身无效。"
