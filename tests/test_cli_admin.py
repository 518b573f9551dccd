"""``checkpoint users|backup|restore|purge`` (checkpoint_app/cli_admin.py)."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from checkpoint_app import cli_identity, paths
from checkpoint_app.cli import main
from checkpoint_app.db.verify import verify_database
from checkpoint_app.services import backup, users
from checkpoint_app.services.context import open_gate
from tests.core_fixtures import *  # noqa: F401,F403


class Stdin(io.StringIO):
    def __init__(self, text: str, tty: bool = False) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.fixture
def data(site, monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "log_dir", lambda: tmp_path / "log")
    site.ctx.close()
    return site.data_dir


ADMIN = ("老王", "correct horse")


@pytest.fixture
def admin(data, monkeypatch):
    """An admin, 老王, who signs on with CHECKPOINT_SECRET (so standard input holds only the new
    user's secret)."""
    ctx = open_gate(data)
    try:
        users.add_first_user(ctx, ADMIN[0], "admin", ADMIN[1])
    finally:
        ctx.close()
    monkeypatch.setenv("CHECKPOINT_SECRET", ADMIN[1])
    return data


def run(capsys, data_dir, *args, stdin: str | None = None, monkeypatch=None) -> tuple[int, dict, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", Stdin(stdin))
    user = ["--user", ADMIN[0]] if os.environ.get("CHECKPOINT_SECRET") else []
    code = main(["--data-dir", str(data_dir), "--json", *user, *args])
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    assert len(lines) == 1, out
    return code, json.loads(lines[0]), err


def _users(data_dir) -> list[tuple]:
    conn = sqlite3.connect(paths.db_path(data_dir))
    try:
        return conn.execute("SELECT name, role, disabled, secret_hash FROM users ORDER BY name").fetchall()
    finally:
        conn.close()


def _sign_on(data_dir, name, secret):
    ctx = open_gate(data_dir)
    try:
        return users.sign_on(ctx, name, secret)
    finally:
        ctx.close()


# --- users ---------------------------------------------------------------------------------------

def test_first_admin_from_standard_input(data, capsys, monkeypatch):
    code, out, _ = run(capsys, data, "users", "add", "老王", "--role", "admin",
                       stdin="correct horse battery\n", monkeypatch=monkeypatch)
    assert code == 0 and out["name"] == "老王" and out["role"] == "admin"
    ((name, role, disabled, digest),) = _users(data)
    assert (name, role, disabled) == ("老王", "admin", 0)
    assert digest.startswith("$argon2id$") and "correct horse" not in digest
    assert _sign_on(data, "老王", "correct horse battery").role == "admin"


def test_a_secret_keeps_inner_and_trailing_spaces_but_not_the_newline(admin, capsys, monkeypatch):
    run(capsys, admin, "users", "add", "小王", "--role", "manager", stdin="  pass word  \r\n", monkeypatch=monkeypatch)
    assert _sign_on(admin, "小王", "  pass word  ").role == "manager"


@pytest.mark.parametrize("argv", [
    ["users", "add", "老王", "--role", "admin", "--password", "correct horse"],
    ["users", "add", "老王", "--role", "admin", "correct horse"],
    ["users", "add", "老王", "--role", "admin", "--pin=1234"],
])
def test_secrets_are_never_taken_from_arguments(data, capsys, monkeypatch, argv):
    monkeypatch.setattr(sys, "stdin", Stdin("correct horse\n"))
    with pytest.raises(SystemExit) as exit_:
        main(["--data-dir", str(data), *argv])
    assert exit_.value.code == 2
    assert _users(data) == []


def test_a_terminal_asks_twice_with_getpass(admin, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", Stdin("", tty=True))
    answers = iter(["2468", "2468"])
    prompts = []
    monkeypatch.setattr(cli_identity.getpass, "getpass", lambda prompt="": prompts.append(prompt) or next(answers))
    code, out, _ = run(capsys, admin, "users", "add", "小李", "--role", "guard")
    assert code == 0 and len(prompts) == 2
    assert _sign_on(admin, "小李", "2468").role == "guard"


def test_a_terminal_mismatch_adds_nobody(admin, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", Stdin("", tty=True))
    answers = iter(["2468", "2469"])
    monkeypatch.setattr(cli_identity.getpass, "getpass", lambda prompt="": next(answers))
    code, out, err = run(capsys, admin, "users", "add", "小李", "--role", "guard")
    assert code == 1 and out["error"]["code"] == "secret_mismatch"
    assert [u[0] for u in _users(admin)] == ["老王"]


@pytest.mark.parametrize("role, secret, code", [
    ("guard", "12", "pin_invalid"),
    ("guard", "abcd", "pin_invalid"),
    ("admin", "short", "password_invalid"),
    ("admin", "", "secret_missing"),
])
def test_bad_secrets_are_refused_and_nothing_written(admin, capsys, monkeypatch, role, secret, code):
    rc, out, err = run(capsys, admin, "users", "add", "某人", "--role", role, stdin=secret + "\n",
                       monkeypatch=monkeypatch)
    assert rc == 1 and out["error"]["code"] == code
    assert err.count("\n") == 1
    assert [u[0] for u in _users(admin)] == ["老王"]


def test_list_and_disable(admin, capsys, monkeypatch):
    data = admin
    run(capsys, data, "users", "add", "小李", "--role", "guard", stdin="1234\n", monkeypatch=monkeypatch)
    code, out, _ = run(capsys, data, "users", "list")
    assert code == 0
    assert {(u["name"], u["role"], u["disabled"]) for u in out["users"]} == {("老王", "admin", False),
                                                                          ("小李", "guard", False)}
    assert "secret" not in json.dumps(out) and "argon2" not in json.dumps(out)
    code, out, _ = run(capsys, data, "users", "disable", "小李")
    assert code == 0 and out == {"name": "小李", "disabled": True}
    code, out, _ = run(capsys, data, "users", "list")
    assert {u["name"]: u["disabled"] for u in out["users"]}["小李"] is True
    code, out, _ = run(capsys, data, "users", "disable", "没这人")
    assert code == 1 and out["error"]["code"] == "not_found"


def test_text_output_of_list(data, capsys, monkeypatch):
    run(capsys, data, "users", "add", "老王", "--role", "admin", stdin="correct horse\n", monkeypatch=monkeypatch)
    assert main(["--data-dir", str(data), "users", "list"]) == 0
    assert "老王" in capsys.readouterr().out


# --- backup / restore / purge -------------------------------------------------------------------

def test_backup_to_a_folder_and_restore_it(data, capsys, tmp_path):
    stick = tmp_path / "usb"
    stick.mkdir()
    code, out, _ = run(capsys, data, "backup", "--to", str(stick))
    assert code == 0
    copy = Path(out["file"])
    assert copy.parent == stick and copy.exists()
    code, out, _ = run(capsys, data, "restore", str(copy))
    assert code == 0 and out["restored_from"] == str(copy)
    assert Path(out["kept_aside"][0]).exists()
    assert main(["--data-dir", str(data), "verify-db"]) == 0


def test_restoring_into_an_empty_folder_says_nothing_was_kept_aside(data, capsys, tmp_path):
    stick = tmp_path / "usb"
    stick.mkdir()
    copy = Path(run(capsys, data, "backup", "--to", str(stick))[1]["file"])
    empty = tmp_path / "new-pc"
    empty.mkdir()
    assert main(["--data-dir", str(empty), "restore", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "原数据库保留为 -" not in out and "没有数据库" in out and str(copy) in out
    assert main(["--data-dir", str(empty), "verify-db"]) == 0


def test_backup_to_a_missing_folder(data, capsys, tmp_path):
    code, out, err = run(capsys, data, "backup", "--to", str(tmp_path / "no-stick"))
    assert code == 3 and out["error"]["code"] == "backup_dir_missing"
    assert "no-stick" in err and err.count("\n") == 1


def test_restore_works_when_the_database_is_damaged(data, capsys, tmp_path):
    code, out, _ = run(capsys, data, "backup", "--to", str(tmp_path))
    db = paths.db_path(data)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(os.urandom(16384))
    assert main(["--data-dir", str(data), "verify-db"]) == 3
    capsys.readouterr()
    code, out, _ = run(capsys, data, "restore", out["file"])
    assert code == 0
    assert main(["--data-dir", str(data), "verify-db"]) == 0


def test_restore_refuses_a_bad_file_and_keeps_the_current_one(data, capsys, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database at all" * 100)
    before = paths.db_path(data).read_bytes()
    code, out, err = run(capsys, data, "restore", str(bad))
    assert code == 3 and out["error"]["code"] == "backup_bad"
    assert paths.db_path(data).read_bytes() == before
    assert not list(data.glob("*before-restore*"))


def test_purge(data, capsys):
    code, out, _ = run(capsys, data, "purge")
    assert code == 0 and out["purged"] == 0 and out["record_id"]
    code, out, _ = run(capsys, data, "purge", "--days", "0")
    assert code == 1 and out["error"]["code"] == "days_invalid"
    conn = sqlite3.connect(paths.db_path(data))
    try:
        assert conn.execute("SELECT count(*) FROM purges").fetchone()[0] == 1
        assert verify_database(conn).ok
    finally:
        conn.close()
