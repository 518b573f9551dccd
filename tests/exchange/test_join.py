"""exchange/join.py: a new PC joins the site from a file the pass-issuing PC writes."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers

from checkpoint_app.cli import main
from checkpoint_app.errors import InvalidInput, PermissionDenied, UserError
from checkpoint_app.exchange import join
from checkpoint_app.reports.daily_log import LOG_KINDS
from checkpoint_app.reports import signing
from checkpoint_app.reports.signing import create_site_pki, verify_pdf_signature
from checkpoint_app.services import audit, daily_logs, signed_pdf, trust
from checkpoint_app.services import gate as gate_service
from checkpoint_app.services.context import open_gate
from checkpoint_app.services.permissions import OPERATOR
from checkpoint_app.services.site import init_site
from checkpoint_app.services.verification import verify_document, verify_offline
from tests.core_fixtures import FakeClock
from tests.exchange.conftest import scan

ROOT = Path(__file__).resolve().parents[2]


def x509_load(pem: bytes):
    from pyhanko.keys.pemder import load_certs_from_pemder_data

    return next(iter(load_certs_from_pemder_data(bytes(pem))))


def test_joined_gate_is_the_same_site_and_verifies_its_passes(compound):
    office, north = compound.office, compound.gates[0]
    assert north.site == office.site
    assert north.gate.name == "北门" and north.gate.uid != office.gate.uid
    assert {k: v.public_key for k, v in north.keys.items()} == {k: v.public_key for k, v in office.keys.items()}
    # no private site key left the office; the gate has its own key pair
    assert all(k.private_key is None for k in north.keys.values())
    conn = north.db.conn
    # its document key is its own too (made for it at export-join, not the office's), and the CA's
    # key stayed at the office
    (gate_cert, gate_key, ca_key), = conn.execute("SELECT signer_cert, signer_key, ca_key FROM site_pki")
    office_cert, office_key, office_ca_key = office.db.conn.execute(
        "SELECT signer_cert, signer_key, ca_key FROM site_pki").fetchone()
    assert ca_key is None and office_ca_key is not None
    assert gate_key is not None and gate_key != office_key and gate_cert != office_cert
    assert conn.execute("SELECT private_key IS NOT NULL FROM gates WHERE is_local = 1").fetchone()[0] == 1
    # the office knows the new gates' public keys
    names = {r[0] for r in office.db.conn.execute("SELECT name FROM gates WHERE public_key IS NOT NULL")}
    assert {"北门", "东门", "西门", "南门"} <= names
    # roster, passes and users came along: a pass issued at the office lets its holder through here
    result = gate_service.record_passage(north, compound.cards["张三"], temperature="36.5", direction="out")
    assert result.outcome == "allowed", result
    assert conn.execute("SELECT count(*) FROM users").fetchone()[0] == 2


def test_wrong_code_expired_and_foreign_files_are_refused(compound, tmp_path):
    office = compound.office
    file, code = join.export_join(office, "新门", tmp_path / "j.ckp", hours=1)
    assert b"\xe5\xbc\xa0\xe4\xb8\x89" not in file.read_bytes()  # 张三: the roster is not readable
    with pytest.raises(InvalidInput) as err:
        join.init_join(tmp_path / "a", file, "0000-0000-0000-0000")
    assert err.value.code == "bad_join_code"
    late = FakeClock(office.now() + timedelta(hours=2))
    with pytest.raises(InvalidInput) as err:
        join.init_join(tmp_path / "b", file, code, clock=late)
    assert err.value.code == "join_expired"
    other = tmp_path / "x.ckp"
    other.write_bytes(b"hello\n")
    with pytest.raises(InvalidInput) as err:
        join.init_join(tmp_path / "c", other, code)
    assert err.value.code == "not_join_file"
    # an altered header (a later expiry) breaks the authentication
    header, body = file.read_bytes().split(b"\n")[:2]
    h = json.loads(header)
    h["expires"] = "2099-01-01T00:00:00+08:00"
    tampered = tmp_path / "t.ckp"
    tampered.write_bytes(json.dumps(h).encode() + b"\n" + body + b"\n")
    with pytest.raises(InvalidInput) as err:
        join.init_join(tmp_path / "d", tampered, code)
    assert err.value.code == "bad_join_code"
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").iterdir())
    # a folder already set up is not overwritten
    with pytest.raises(UserError) as err:
        join.init_join(compound.gates[0].data_dir, file, code, clock=FakeClock(office.now()))
    assert err.value.code == "already_initialised"


def test_a_join_file_makes_one_pc_a_gate_and_is_then_marked_used(compound, tmp_path, caplog, monkeypatch):
    """A gate is one PC: the file is renamed ….used once it has made this PC a gate, and a second PC
    given it is refused with the gate it made (both PCs as one gate: the office refused the second
    one's records as a fork, only later). A write-protected stick: the join stands, the log says so."""
    office = compound.office
    file, code = join.export_join(office, "新门", tmp_path / "j.ckp")
    join.init_join(tmp_path / "pc1", file, code, clock=FakeClock(office.now())).close()
    used = tmp_path / "j.ckp.used"
    assert not file.exists() and used.exists()
    with pytest.raises(InvalidInput) as err:
        join.init_join(tmp_path / "pc2", used, code, clock=FakeClock(office.now()))
    assert err.value.code == "join_file_used" and "新门" in str(err.value) and "已用过" in str(err.value)
    assert not (tmp_path / "pc2").exists() or not any((tmp_path / "pc2").iterdir())
    # a stick that cannot be written: this PC still becomes the gate
    file, code = join.export_join(office, "后门", tmp_path / "k.ckp")

    def write_protected(src, dst):
        raise PermissionError(13, "Read-only file system", str(src))

    monkeypatch.setattr(join.os, "replace", write_protected)
    ctx = join.init_join(tmp_path / "pc3", file, code, clock=FakeClock(office.now()))
    assert ctx.gate.name == "后门" and file.exists()
    ctx.close()
    assert "could not be marked used" in caplog.text


def test_a_gate_without_the_site_key_cannot_write_a_join_file(compound, tmp_path):
    with pytest.raises(PermissionDenied):
        join.export_join(compound.gates[0], "新门", tmp_path / "j.ckp")
    with pytest.raises(InvalidInput):
        join.export_join(compound.office, "北门", tmp_path / "j.ckp")  # the name is taken


def test_command_line_join(compound, tmp_path, capsys, monkeypatch):
    from checkpoint_app.services.users import add_user

    office = compound.office.data_dir
    add_user(compound.office, "系统管理员", "admin", "admin-pass-2026")   # joining a gate is an admin's act
    compound.office.close()
    monkeypatch.setenv("CHECKPOINT_SECRET", "admin-pass-2026")
    assert main(["--json", "--data-dir", str(office), "site", "export-join", "--gate", "后门",
                 "--out", str(tmp_path / "j.ckp"), "--user", "系统管理员"]) == 0
    code = json.loads(capsys.readouterr().out)["code"]
    assert main(["--json", "--data-dir", str(tmp_path / "new"), "init", "--join", str(tmp_path / "j.ckp"),
                 "--code", code.lower()]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["gate"] == "后门" and said["join_file_used"] == str(tmp_path / "j.ckp.used")
    ctx = open_gate(tmp_path / "new")
    assert ctx.site.code == "HXY01"
    ctx.close()
    compound.office = open_gate(office).acting_as(None, OPERATOR)


def _day_of_logs(ctx, cards, folder: Path) -> date:
    """Two passages, then the day's six signed logs (made the next morning) into ``folder``."""
    day = ctx.now().date()
    scan(ctx, cards["张三"], "out")
    scan(ctx, cards["张三"], "in")
    ctx.clock.set(ctx.now().replace(hour=7, minute=0) + timedelta(days=1))
    assert len(daily_logs.daily_report(ctx, day, folder)) == len(LOG_KINDS)
    return day


def test_a_joined_gate_signs_its_own_daily_logs_and_they_verify_offline_with_the_site_certificate(compound, tmp_path):
    """Each gate signs with a certificate of its own, issued by the site CA at export-join: its logs
    are made (no "no signing key"), verify in a fresh process with nothing set up and only SITE.cer,
    name their gate, and a folder of two gates' logs over two days is whole (continuity)."""
    office, (north, east, _west) = compound.office, compound.gates
    folder = tmp_path / "pile"
    for ctx in (north, east):
        _day_of_logs(ctx, compound.cards, folder)
        _day_of_logs(ctx, compound.cards, folder)
    cer = trust.write_certificate(trust.of_site(office), tmp_path / "site.cer")
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == 2 * 2 * len(LOG_KINDS)

    # the signature (pyHanko, the site CA the only root): valid, by the gate's own certificate
    ca = trust.read_file(cer).pem
    for f in files:
        sig = verify_pdf_signature(f, ca)
        gate = "北门" if "_北门_" in f.name else "东门"
        assert sig.valid and sig.signer == f"和谐苑小区 {gate} 文件签名" and sig.signer_site == "HXY01", (f, sig)
    with open(files[0], "rb") as fh:
        (emb,) = PdfFileReader(fh).embedded_signatures
        signer = emb.signer_cert
    assert signer.issuer == x509_load(ca).subject and signer.dump() != x509_load(
        office.db.conn.execute("SELECT signer_cert FROM site_pki").fetchone()[0]).dump()

    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    run = subprocess.run([sys.executable, "-m", "checkpoint_app.cli", "verify", str(folder),
                          "--trust", str(cer), "--json"], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    out = json.loads(run.stdout)
    assert len(out["files"]) == len(files) and all(f["ok"] for f in out["files"]), out
    assert {f["gate"] for f in out["files"]} == {"北门", "东门"} and not out["gaps"]
    assert all(f["gate"] in Path(f["file"]).name and f["signer"] == f"和谐苑小区 {f['gate']} 文件签名"
               for f in out["files"])
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").rglob("*.db"))

    # against the office's database once north's records arrived there (USB file): authentic too
    from checkpoint_app.exchange.usb import export_file, import_file

    import_file(office, export_file(north, tmp_path / "north.ckx").path)
    north_logs = [f for f in files if "_北门_" in f.name]
    assert all(verify_document(office, f).ok for f in north_logs), [
        verify_document(office, f).message for f in north_logs]

    # one gate's log missing from the pile is a gap of that gate
    first = min(f.name[:10] for f in files)
    short = tmp_path / "short"
    short.mkdir()
    for f in files:
        if f.name != f"{first}_HXY01_北门_passages.pdf":
            shutil.copy(f, short)
    assert len(list(short.iterdir())) == len(files) - 1
    result = audit.verify_files([short], certificates=[trust.read_file(cer)])
    assert all(f.ok for f in result.files) and [(g.code, g.gate) for g in result.gaps] == [("missing_log", "北门")]


def test_a_gates_log_signed_by_a_certificate_another_ca_issued_is_refused(compound, tmp_path):
    """A second site under the same code, with a gate of the same name joined from it: its logs carry
    a certificate that names 和谐苑小区 北门 and HXY01, but no CA of ours issued it."""
    office, north = compound.office, compound.gates[0]
    other = init_site(tmp_path / "other", site_code="HXY01", site_name="和谐苑小区", gate_name="南门",
                      clock=FakeClock()).acting_as(None, OPERATOR)
    try:
        file, code = join.export_join(other, "北门", tmp_path / "other.ckp")
    finally:
        other.close()
    forged = join.init_join(tmp_path / "forged", file, code, clock=FakeClock()).acting_as(None, OPERATOR)
    try:
        _day_of_logs(forged, compound.cards, tmp_path / "forged-logs")
    finally:
        forged.close()
    pile = tmp_path / "pile"
    day = _day_of_logs(north, compound.cards, pile)
    ours = pile / f"{day}_HXY01_北门_passages.pdf"
    theirs = tmp_path / "forged-logs" / ours.name
    assert theirs.exists() and verify_pdf_signature(theirs, trust.of_site(office).pem).code == "untrusted"
    shutil.copy(theirs, ours)       # put in the place of the real one
    cer = trust.read_file(trust.write_certificate(trust.of_site(office), tmp_path / "site.cer"))
    result = audit.verify_files([pile], certificates=[cer])
    bad = [f for f in result.files if not f.ok]
    assert [f.path.name for f in bad] == [ours.name] and bad[0].problems[0].code == "unknown_site", bad


def test_the_join_file_carries_the_gates_own_document_key_and_no_key_of_the_office(compound, tmp_path):
    office = compound.office
    file, code = join.export_join(office, "新门", tmp_path / "j.ckp")
    state = join.read_join(file, code, office.now())
    plain = json.dumps(state)
    office_keys = [*office.db.conn.execute("SELECT signer_key, ca_key FROM site_pki").fetchone(),
                   *(k.private_key for k in office.keys.values())]
    assert all(k is not None and bytes(k).decode("latin-1") not in plain and bytes(k).hex() not in plain
               for k in office_keys)
    assert "PRIVATE KEY" in state["gate"]["document_key"]

    # a document certificate not issued by the site's CA (the file re-sealed with the right code)
    other = create_site_pki("HXY01", "和谐苑小区")
    state["gate"]["document_cert"], state["gate"]["document_key"] = other.signer_cert.decode(), other.signer_key.decode()
    header, _body = file.read_bytes().split(b"\n")[:2]
    info = json.loads(header)
    body = AESGCM(join._key(code, bytes.fromhex(info["salt"]))).encrypt(
        bytes.fromhex(info["nonce"]), json.dumps(state).encode(), header)
    forged = tmp_path / "forged.ckp"
    forged.write_bytes(header + b"\n" + base64.b64encode(body) + b"\n")
    with pytest.raises(InvalidInput) as err:
        join.init_join(tmp_path / "new", forged, code, clock=FakeClock(office.now()))
    assert err.value.code == "bad_gate_certificate"
    assert not (tmp_path / "new").exists() or not any((tmp_path / "new").iterdir())


def test_a_gates_certificate_signs_only_that_gates_logs(compound, tmp_path):
    """East's log signed over with north's certificate (both signatures hold): refused offline and
    against the office's database, naming the certificate."""
    office, (north, east, _west) = compound.office, compound.gates
    day = _day_of_logs(east, compound.cards, tmp_path / "east")
    log = tmp_path / "east" / f"{day}_HXY01_东门_passages.pdf"
    resigned = tmp_path / log.name
    with open(log, "rb") as src, open(resigned, "wb") as out:   # a second signature, north's
        signers.sign_pdf(IncrementalPdfFileWriter(src, strict=False),
                         signers.PdfSignatureMetadata(field_name="Second", location="和谐苑小区 东门"),
                         signer=signing._signer(signed_pdf.pki(north, need_key=True)), output=out)
    assert verify_pdf_signature(resigned, trust.of_site(office).pem).valid
    cer = trust.read_file(trust.write_certificate(trust.of_site(office), tmp_path / "site.cer"))
    assert verify_offline(log, [cer]).ok
    offline = verify_offline(resigned, [cer])
    assert not offline.ok and [(p.code, p.detail) for p in offline.problems] == [("checkpoint_mismatch", "gate")]
    # against the office's database (which holds none of east's records yet: those problems follow)
    against_db = verify_document(office, resigned)
    assert not against_db.ok and against_db.problems[0] == offline.problems[0]
    assert "和谐苑小区 北门 文件签名" in offline.problems[0].message


def test_a_site_made_before_the_ca_key_was_kept_says_so_at_export_join_and_at_the_gate(compound, tmp_path, capsys,
                                                                                         monkeypatch):
    """Its new gate cannot sign: one sentence when the join file is written, one at the gate."""
    from checkpoint_app.services.users import add_user

    office = compound.office
    with office.db.write() as conn:
        conn.execute("UPDATE site_pki SET ca_key = NULL")   # what the migration leaves on an older site
    add_user(office, "系统管理员", "admin", "admin-pass-2026")
    data_dir = office.data_dir
    office.close()
    monkeypatch.setenv("CHECKPOINT_SECRET", "admin-pass-2026")
    assert main(["--data-dir", str(data_dir), "--lang", "zh_CN", "site", "export-join", "--gate", "后门",
                 "--out", str(tmp_path / "j.ckp"), "--user", "系统管理员"]) == 0
    out = capsys.readouterr().out
    assert "新门岗 后门 将不能生成签名的每日日志和出入证" in out, out
    code = out.split("（只显示这一次）：")[1].split()[0]
    gate = join.init_join(tmp_path / "new", tmp_path / "j.ckp", code, clock=FakeClock()).acting_as(None, OPERATOR)
    try:
        with pytest.raises(PermissionDenied) as err:
            _day_of_logs(gate, compound.cards, tmp_path / "logs")
        assert err.value.code == "no_signer_key" and "全小区日志" in str(err.value)
    finally:
        gate.close()
        compound.office = open_gate(data_dir).acting_as(None, OPERATOR)


def test_init_without_join_still_needs_site_and_gate(tmp_path, capsys):
    # --join made the three options optional for argparse; a plain init still needs each one
    assert main(["--data-dir", str(tmp_path / "x"), "init", "--site-code", "HXY01", "--site-name", "和谐苑"]) == 1
    assert main(["--data-dir", str(tmp_path / "x"), "init", "--site-code", "HXY01", "--gate", "南门"]) == 1
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").iterdir())
