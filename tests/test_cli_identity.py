"""Who acts on the command line (checkpoint_app/cli_identity.py, issue 11 finding 1): a user who
proves it, or the PC's operator marked as such, with an operator's rights only."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys

import pytest

from checkpoint_app import paths
from checkpoint_app.cli import main
from tests.core_fixtures import *  # noqa: F401,F403
from tests.test_cli import GUARD, MANAGER, add_users, fingerprint


@pytest.fixture
def data(gate, monkeypatch):
    """The gate fixture (residents with passes) with a manager 物业管理员 and a guard 李建国."""
    add_users(gate.ctx)
    gate.ctx.close()
    monkeypatch.delenv("CHECKPOINT_SECRET", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    gate.data_dir.joinpath("cards.json").write_text(json.dumps(gate.cards), encoding="utf-8")
    return gate.data_dir


def cli(capsys, data_dir, *args, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--data-dir", str(data_dir), "--json", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out.splitlines()[0]) if out.strip() else {}, err


def db(data_dir, sql, *args):
    conn = sqlite3.connect(paths.db_path(data_dir))
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


# Each of these was done as "--user 李建国" with no proof at all before issue 11.
ATTEMPTS = [["settings", "set", "fever_threshold", "39.5"],
            ["users", "add", "黑客", "--role", "admin"]]


@pytest.mark.parametrize("argv", ATTEMPTS, ids=["fever_threshold", "add_admin"])
@pytest.mark.parametrize("stdin", ["", "0000\n", "1234\n"], ids=["no_secret", "wrong_pin", "right_pin"])
def test_a_named_user_without_proof_or_rights_changes_nothing(data, capsys, monkeypatch, argv, stdin):
    before = fingerprint(data)
    code, out, err = cli(capsys, data, "--user", GUARD[0], *argv, stdin=stdin + "hacker-pass-1\n",
                         monkeypatch=monkeypatch)
    assert code == 1 and out["error"]["code"] in ("secret_missing", "wrong_secret", "permission_denied")
    assert fingerprint(data)[0] == before[0] or fingerprint(data)[1] == before[1]  # failed attempts counted only
    assert db(data, "SELECT value FROM settings WHERE key = 'fever_threshold'") in ([], [("37.3",)])
    assert db(data, "SELECT count(*) FROM users WHERE name = '黑客'") == [(0,)]


@pytest.mark.parametrize("argv", [ATTEMPTS[0], ATTEMPTS[1], ["void", "0" * 32, "--reason", "x"],
                                  ["passes", "revoke", "1", "--reason", "x"],
                                  ["residents", "set-status", "1", "--status", "normal"]],
                         ids=["settings", "users", "void", "revoke", "status"])
def test_the_operator_may_not_decide_or_change_who_may(data, capsys, argv):
    before = fingerprint(data)
    code, out, err = cli(capsys, data, *argv)
    assert code == 1 and out["error"]["code"] == "permission_denied"
    assert "本机操作员" in err and "--user" in err
    assert fingerprint(data) == before


def test_the_operator_reads_prints_and_backs_up_as_operator(data, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "root")
    assert cli(capsys, data, "settings", "list")[0] == 0
    code, out, _ = cli(capsys, data, "residents", "list")
    assert code == 0 and out["residents"][0]["phone"].count("*") == 4      # masked for the operator
    (tmp_path / "b").mkdir()
    assert cli(capsys, data, "backup", "--to", str(tmp_path / "b"))[0] == 0
    code, out, err = cli(capsys, data, "report", "daily", "--date", "2026-11-20", "--out", str(tmp_path / "p"))
    assert code == 0, err
    # marked as the operator, as README and SECURITY.md say: "operator:<login name>"
    text = subprocess.run(["pdftotext", "-layout", str(next((tmp_path / "p").glob("*.pdf"))), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "operator:root" in text and "cli_operator" not in text


def test_a_manager_who_signs_on_sees_phones_and_changes_settings(data, capsys, monkeypatch):
    monkeypatch.setenv("CHECKPOINT_SECRET", MANAGER[1])
    code, out, _ = cli(capsys, data, "residents", "list", "--user", MANAGER[0])
    assert code == 0 and "13812345678" in [r["phone"] for r in out["residents"]]
    code, out, _ = cli(capsys, data, "settings", "set", "fever_threshold", "37.5", "--user", MANAGER[0])
    assert code == 0
    assert db(data, "SELECT updated_by FROM settings WHERE key = 'fever_threshold'") == [(MANAGER[0],)]


@pytest.mark.parametrize("guard, code", [("不认识", "wrong_secret"), ("不存在的人", "wrong_secret"),
                                         ("王海波", "wrong_secret"), (MANAGER[0], "not_a_guard")])
def test_scan_refuses_a_guard_who_is_not_one(data, capsys, monkeypatch, guard, code):
    card = json.loads(data.joinpath("cards.json").read_text(encoding="utf-8"))["张三"]
    monkeypatch.setenv("CHECKPOINT_SECRET", MANAGER[1] if guard == MANAGER[0] else GUARD[1])
    before = fingerprint(data)
    rc, out, err = cli(capsys, data, "scan", card, "--temp", "365", "--guard", guard)
    assert rc == 1 and out["error"]["code"] == code
    assert fingerprint(data)[1] == before[1]         # no record


def test_scan_as_a_guard_who_proves_it_names_them(data, capsys, monkeypatch):
    card = json.loads(data.joinpath("cards.json").read_text(encoding="utf-8"))["张三"]
    rc, out, err = cli(capsys, data, "scan", card, "--temp", "365", "--guard", GUARD[0], stdin=GUARD[1] + "\n",
                       monkeypatch=monkeypatch)
    assert rc == 0 and out["outcome"] == "allowed"
    assert db(data, "SELECT guard FROM passages") == [(GUARD[0],)]
    # the operator records no passage: a guard's column never reads "operator:…" or "cli:…"
    rc, out, err = cli(capsys, data, "scan", card, "--temp", "365", "--direction", "in")
    assert rc == 1 and out["error"]["code"] == "permission_denied"


def test_user_and_guard_must_be_one_person(data, capsys, monkeypatch):
    card = json.loads(data.joinpath("cards.json").read_text(encoding="utf-8"))["张三"]
    monkeypatch.setenv("CHECKPOINT_SECRET", GUARD[1])
    rc, out, _ = cli(capsys, data, "--user", MANAGER[0], "scan", card, "--temp", "365", "--guard", GUARD[0])
    assert rc == 1 and out["error"]["code"] == "two_names"


def test_handover_from_the_guard_signed_on_to_an_enabled_guard(data, capsys, monkeypatch):
    from checkpoint_app.services import users
    from checkpoint_app.services.context import open_gate

    from checkpoint_app.services.permissions import OPERATOR
    ctx = open_gate(data).acting_as(None, OPERATOR)
    users.add_user(ctx, "王海波", "guard", "5678")
    ctx.close()
    monkeypatch.setenv("CHECKPOINT_SECRET", GUARD[1])
    before = fingerprint(data)
    for argv, code in ((["--to", "不存在的人"], "unknown_guard"), (["--to", MANAGER[0]], "unknown_guard"),
                       (["--to", GUARD[0]], "same_guard"), (["--from", "王海波", "--to", "王海波"], "not_signed_on")):
        rc, out, _ = cli(capsys, data, "handover", "--guard", GUARD[0], *argv)
        assert (rc, out["error"]["code"]) == (1, code)
    assert fingerprint(data) == before
    code = main(["--data-dir", str(data), "handover", "--guard", GUARD[0], "--to", "王海波"])
    text = capsys.readouterr().out
    assert code == 0 and "李建国 → 王海波" in text and "进 0 人次" in text and "{" not in text
    assert db(data, "SELECT from_guard, to_guard FROM handovers") == [(GUARD[0], "王海波")]
