"""exchange/join.py: a new PC joins the site from a file the pass-issuing PC writes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from checkpoint_app.cli import main
from checkpoint_app.errors import InvalidInput, PermissionDenied, UserError
from checkpoint_app.exchange import join
from checkpoint_app.services import gate as gate_service
from checkpoint_app.services.context import open_gate
from checkpoint_app.services.permissions import OPERATOR
from tests.core_fixtures import FakeClock


def test_joined_gate_is_the_same_site_and_verifies_its_passes(compound):
    office, north = compound.office, compound.gates[0]
    assert north.site == office.site
    assert north.gate.name == "北门" and north.gate.uid != office.gate.uid
    assert {k: v.public_key for k, v in north.keys.items()} == {k: v.public_key for k, v in office.keys.items()}
    # no private site key left the office; the gate has its own key pair
    assert all(k.private_key is None for k in north.keys.values())
    conn = north.db.conn
    assert conn.execute("SELECT signer_key FROM site_pki").fetchone()[0] is None
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
    assert json.loads(capsys.readouterr().out)["gate"] == "后门"
    ctx = open_gate(tmp_path / "new")
    assert ctx.site.code == "HXY01"
    ctx.close()
    compound.office = open_gate(office).acting_as(None, OPERATOR)


def test_init_without_join_still_needs_site_and_gate(tmp_path, capsys):
    # --join made the three options optional for argparse; a plain init still needs each one
    assert main(["--data-dir", str(tmp_path / "x"), "init", "--site-code", "HXY01", "--site-name", "和谐苑"]) == 1
    assert main(["--data-dir", str(tmp_path / "x"), "init", "--site-code", "HXY01", "--gate", "南门"]) == 1
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").iterdir())
