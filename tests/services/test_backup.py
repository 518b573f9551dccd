"""services/backup.py: checked copies, a second folder that may be missing, rotation, restore."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from checkpoint_app.services.site import set_setting

from checkpoint_app import paths
from checkpoint_app.db import connection
from checkpoint_app.db.verify import verify_database
from checkpoint_app.errors import PermissionDenied, StorageError
from checkpoint_app.services import backup, gate as gate_service, users
from checkpoint_app.services.context import open_gate


def _scan(g, name="张三", **kw):
    g.clock.advance(seconds=30)
    return gate_service.record_passage(g.ctx, g.cards[name], temperature="365", **kw)


def _verify(path: Path):
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return verify_database(conn)
    finally:
        conn.close()


def _journal(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    finally:
        conn.close()


def test_auto_backup_writes_a_checked_self_contained_copy(gate):
    _scan(gate)
    result = backup.auto_backup(gate.ctx, "start")
    assert result.ok and not result.warnings
    (info,) = result.copies
    assert info.path.parent == gate.data_dir / "backups"
    assert info.reason == "start" and info.site == "HXY01" and info.gate == gate.ctx.gate.uid[:8]
    assert info.head_seq == gate.count("journal")
    # One file, no -wal needed: it can go on a stick as is.
    with info.path.open("rb") as f:
        header = f.read(20)
    assert header[18:20] == b"\x01\x01"                      # rollback journal, not WAL
    assert _verify(info.path).ok
    assert _journal(info.path) == gate.count("journal")
    assert not list(info.path.parent.glob("*.partial"))
    assert backup.list_backups([info.path.parent]) == [info]


def test_a_missing_second_folder_is_a_warning_and_is_not_created(gate, tmp_path, monkeypatch):
    stick = tmp_path / "usb"                       # not plugged in
    set_setting(gate.ctx, "backup_dir", str(stick))
    result = backup.auto_backup(gate.ctx, "handover")
    assert len(result.copies) == 1
    assert len(result.warnings) == 1 and str(stick) in result.warnings[0]
    assert not stick.exists()


def test_the_second_folder_gets_a_copy_too(gate, tmp_path, monkeypatch):
    stick = tmp_path / "usb"
    stick.mkdir()
    set_setting(gate.ctx, "backup_dir", str(stick))
    result = backup.auto_backup(gate.ctx, "daily")
    assert [c.path.parent for c in result.copies] == [gate.data_dir / "backups", stick / "checkpoint-backups"]
    assert all(_verify(c.path).ok for c in result.copies)


def test_a_copy_that_fails_its_check_does_not_count(gate, monkeypatch):
    monkeypatch.setattr(backup, "check_copy", lambda *a, **k: ["*** Page 3: btree damaged"])
    result = backup.auto_backup(gate.ctx, "start")
    assert not result.ok
    assert "btree" in result.warnings[0]
    folder = gate.data_dir / "backups"
    assert list(folder.iterdir()) == []            # no final file, no partial left behind


def test_a_full_disk_during_a_backup_is_a_warning(gate, monkeypatch):
    def full(*a, **k):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup, "_copy_database", full)
    result = backup.auto_backup(gate.ctx, "start")
    assert not result.ok and len(result.warnings) == 1
    assert list((gate.data_dir / "backups").iterdir()) == []


def test_manual_backup_needs_the_backup_permission(gate, tmp_path):
    gate.ctx.role = "guard"
    with pytest.raises(PermissionDenied):
        backup.back_up_to(gate.ctx, tmp_path)
    assert list(tmp_path.glob("checkpoint-*")) == []
    gate.ctx.role = "admin"
    info = backup.back_up_to(gate.ctx, tmp_path)
    assert info.path.parent == tmp_path and info.reason == "manual"


def test_manual_backup_to_a_missing_folder_is_a_clear_error(gate, tmp_path):
    with pytest.raises(StorageError) as err:
        backup.back_up_to(gate.ctx, tmp_path / "nowhere")
    assert err.value.code == "backup_dir_missing"
    assert "nowhere" in str(err.value)


def test_newest_is_by_content_not_by_a_clock_that_jumped_back(gate):
    first = backup.auto_backup(gate.ctx, "start").copies[0]
    _scan(gate)
    gate.clock.set(gate.clock.now - timedelta(days=400))      # CMOS battery
    second = backup.auto_backup(gate.ctx, "handover").copies[0]
    assert second.taken_at < first.taken_at
    assert backup.newest_good_backup([gate.data_dir / "backups"]) == second


def test_newest_good_backup_skips_a_damaged_copy(gate):
    older = backup.auto_backup(gate.ctx, "start").copies[0]
    _scan(gate)
    newer = backup.auto_backup(gate.ctx, "handover").copies[0]
    raw = bytearray(newer.path.read_bytes())
    raw[4096:8192] = os.urandom(4096)
    newer.path.write_bytes(bytes(raw))
    assert backup.newest_good_backup([gate.data_dir / "backups"]) == older


def test_rotation_keeps_recent_copies_and_one_per_day(gate, monkeypatch):
    set_setting(gate.ctx, "backup_keep", "3")
    made = []
    start = gate.clock.now
    for day in range(5):
        for hour in (10, 16, 23):
            _scan(gate)
            gate.clock.set(start.replace(hour=hour) + timedelta(days=day))
            made.extend(backup.auto_backup(gate.ctx, "handover").copies)
    left = backup.list_backups([gate.data_dir / "backups"])
    kept = {b.path for b in left}
    newest_three = {b.path for b in sorted(made, key=lambda b: b.key)[-3:]}
    assert newest_three <= kept
    assert {b.day for b in left} == {b.day for b in made}      # one copy of each day stays
    assert len(left) == 3 + 4                                  # 3 newest (one day) + newest of 4 other days


def test_rotation_drops_copies_older_than_the_privacy_retention(gate, monkeypatch):
    set_setting(gate.ctx, "backup_keep", "1")
    old = backup.auto_backup(gate.ctx, "start").copies[0]
    gate.clock.advance(days=gate.ctx.settings["retention_days"] + 2)
    _scan(gate)
    result = backup.auto_backup(gate.ctx, "start")
    assert old.path in result.removed
    assert not old.path.exists()
    assert result.copies[0].path.exists()


def test_daily_due(gate):
    assert backup.daily_due(gate.ctx)
    backup.auto_backup(gate.ctx, "start")
    assert not backup.daily_due(gate.ctx)
    gate.clock.advance(days=1)
    assert backup.daily_due(gate.ctx)


# --- restore ---------------------------------------------------------------------------------

def test_restore_keeps_the_current_file_aside(gate):
    _scan(gate)
    info = backup.auto_backup(gate.ctx, "start").copies[0]
    later = _scan(gate, "李四")
    assert later.recorded
    n_now = gate.count("journal")
    gate.ctx.close()
    db = paths.db_path(gate.data_dir)
    result = backup.restore(gate.data_dir, info.path)
    assert result.database == db
    assert result.records_behind == n_now - info.head_seq > 0
    aside = result.kept_aside[0]
    assert aside.name.startswith("checkpoint.sqlite3.before-restore-")
    # The restored gate opens, verifies, and lacks the later passage; the aside file keeps it.
    ctx = open_gate(gate.data_dir, clock=gate.clock).acting_as(None, "operator")
    try:
        assert verify_database(ctx.db.conn).ok
        assert ctx.db.conn.execute("SELECT count(*) FROM passages WHERE uid = ?", (later.passage_id,)).fetchone()[0] == 0
    finally:
        ctx.close()
    conn = connection.connect(aside)
    try:
        assert conn.execute("SELECT count(*) FROM passages WHERE uid = ?", (later.passage_id,)).fetchone()[0] == 1
        assert verify_database(conn).ok
    finally:
        conn.close()


def _in_another_process(code: str, *args: str, wait: bool = True):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", code, *args], cwd=root, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if wait:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        return out
    assert proc.stdout.readline().strip() == "open", proc.stderr.read()
    return proc


_KILLED_WRITER = """
import os, sys
from checkpoint_app.services.context import open_gate
from checkpoint_app.services.gate import record_passage
ctx = open_gate(sys.argv[1]).acting_as(None, "operator")
print(record_passage(ctx, sys.argv[2], temperature="365").passage_id, flush=True)
os._exit(0)    # killed: its connection never closes, its passage is in the WAL only
"""


def test_restore_keeps_the_wal_a_killed_process_left_with_the_file_aside(gate):
    info = backup.auto_backup(gate.ctx, "start").copies[0]
    gate.ctx.close()
    later = _in_another_process(_KILLED_WRITER, str(gate.data_dir), gate.cards["李四"]).strip()
    db = paths.db_path(gate.data_dir)
    assert Path(f"{db}-wal").stat().st_size > 0          # the newest passage lives in the WAL only
    result = backup.restore(gate.data_dir, info.path)
    conn = connection.connect(result.kept_aside[0])
    try:
        assert conn.execute("SELECT count(*) FROM passages WHERE uid = ?", (later,)).fetchone()[0] == 1
    finally:
        conn.close()


_HOLDER = """
import sys, time
kind, data = sys.argv[1], sys.argv[2]
if kind == "gate":          # a checkpoint command or the gate app: it holds the folder lock
    from checkpoint_app.services.context import open_gate
    ctx = open_gate(data).acting_as(None, "operator")
else:                       # a database browser: knows nothing of our lock, only SQLite's
    import sqlite3
    conn = sqlite3.connect(data + "/checkpoint.sqlite3")
    conn.execute("SELECT count(*) FROM journal").fetchone()
print("open", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("holder", ["this process", "gate", "browser"])
def test_restore_is_refused_while_the_database_is_open_anywhere(gate, holder):
    """The file is never swapped under a process that has it open: it would go on recording into
    the file kept aside (issue 9). Refused, and nothing moves."""
    info = backup.auto_backup(gate.ctx, "start").copies[0]
    _scan(gate)
    db = paths.db_path(gate.data_dir)
    proc = None
    if holder != "this process":
        gate.ctx.close()
        proc = _in_another_process(_HOLDER, holder, str(gate.data_dir), wait=False)
    try:
        inode = db.stat().st_ino
        with pytest.raises(StorageError) as err:
            backup.restore(gate.data_dir, info.path)
        assert err.value.code == "in_use"
        assert db.stat().st_ino == inode
        assert not list(gate.data_dir.glob("*before-restore*"))
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
    if holder == "this process":
        gate.ctx.close()
    backup.restore(gate.data_dir, info.path)          # once nobody has it open: done


@pytest.mark.parametrize("damage", ["random", "missing", "foreign"])
def test_restore_refuses_a_bad_backup_and_changes_nothing(gate, tmp_path, damage, _site_template):
    db = paths.db_path(gate.data_dir)
    _scan(gate)
    gate.ctx.close()
    before = db.read_bytes()
    bad = tmp_path / "checkpoint-HXY01-00000000-s000000001-20261120-090000-manual.sqlite3"
    if damage == "random":
        bad.write_bytes(os.urandom(64 * 1024))
    elif damage == "foreign":   # a healthy backup of another gate
        from checkpoint_app.services.site import init_site

        other = init_site(tmp_path / "other", site_code="QT001", site_name="其他小区",
                          gate_name="北门").acting_as(None, "operator")
        bad = backup.back_up_to(other, tmp_path).path
        other.close()
    with pytest.raises(StorageError) as err:
        backup.restore(gate.data_dir, bad)
    assert err.value.code in ("backup_bad", "backup_other_gate")
    assert db.read_bytes() == before
    assert not list(gate.data_dir.glob("*before-restore*"))
    assert not list(gate.data_dir.glob(".*restoring*"))


def test_restore_over_a_damaged_file(gate):
    info = backup.auto_backup(gate.ctx, "start").copies[0]
    gate.ctx.close()
    db = paths.db_path(gate.data_dir)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(os.urandom(32 * 1024))
    result = backup.restore_newest(gate.data_dir)
    assert result.restored_from == info.path and result.records_behind is None
    ctx = open_gate(gate.data_dir).acting_as(None, "operator")
    try:
        assert verify_database(ctx.db.conn).ok
    finally:
        ctx.close()


def test_restore_newest_without_any_backup(gate):
    gate.ctx.close()
    with pytest.raises(StorageError) as err:
        backup.restore_newest(gate.data_dir)
    assert err.value.code == "no_backup"


def test_authorise_with_backup(gate):
    users.add_user(gate.ctx, "老王", "admin", "correct horse")
    users.add_user(gate.ctx, "小李", "guard", "1234")
    info = backup.auto_backup(gate.ctx, "start").copies[0]
    assert backup.authorise_with_backup(info.path, "老王", "correct horse") == "admin"
    for name, secret in (("老王", "wrong horse"), ("小李", "1234"), ("nobody", "x")):
        with pytest.raises(PermissionDenied):
            backup.authorise_with_backup(info.path, name, secret)


# --- the Done-when: a backup taken while passages are being written ------------------------------

def test_backup_while_writing_restores_to_a_file_that_verifies(gate):
    """A second connection records passages as fast as it can while copies are taken."""
    from checkpoint_app.services import site

    site.set_setting(gate.ctx, "duplicate_window_seconds", "0")
    gate.ctx.close()
    writer = open_gate(gate.data_dir, clock=gate.clock).acting_as(None, "operator")
    stop = threading.Event()
    written: list[str] = []
    errors: list[BaseException] = []

    def write() -> None:
        cards = list(gate.cards.values())
        try:
            i = 0
            while not stop.is_set():
                r = gate_service.record_passage(writer, cards[i % len(cards)], temperature="365")
                written.append(r.passage_id)
                i += 1
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    reader = open_gate(gate.data_dir, clock=gate.clock).acting_as(None, "operator")
    t = threading.Thread(target=write)
    t.start()
    copies = []
    try:
        while len(copies) < 5:
            seen = len(written)
            deadline = time.monotonic() + 10
            while len(written) < seen + 5 and not errors and time.monotonic() < deadline:
                time.sleep(0.005)            # let the writer get ahead between copies
            result = backup.auto_backup(reader, "daily")
            assert result.ok, result.warnings
            copies.append((result.copies[0], seen))
    finally:
        stop.set()
        t.join(10)
        reader.close()
        writer.close()
    assert not errors, errors
    assert len(written) > 20
    heads = [c.head_seq for c, _ in copies]
    assert heads == sorted(heads) and heads[-1] > heads[0]      # taken while the file grew
    for info, seen in copies:
        assert _verify(info.path).ok
    # Restore the newest copy: integrity_check and verify-db pass on the restored gate.
    info = copies[-1][0]
    backup.restore(gate.data_dir, info.path)
    ctx = open_gate(gate.data_dir).acting_as(None, "operator")
    try:
        assert ctx.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        report = verify_database(ctx.db.conn)
        assert report.ok, report.problems
        assert report.origins[ctx.gate.uid][0] == info.head_seq
    finally:
        ctx.close()


def test_rotation_removes_stale_partial_files_only(gate):
    folder = gate.data_dir / "backups"
    folder.mkdir()
    stale, fresh = folder / ".checkpoint-20261120090000-aaaa.partial", folder / ".checkpoint-20261120090001-bbbb.partial"
    stale.write_bytes(b"half a copy")
    fresh.write_bytes(b"a copy being written right now")
    old = time.time() - backup.STALE_PARTIAL_SECONDS - 60
    os.utime(stale, (old, old))
    backup.auto_backup(gate.ctx, "start")
    assert not stale.exists() and fresh.exists()


def test_one_copy_with_a_clock_years_ahead_does_not_age_out_the_others(gate):
    first = backup.auto_backup(gate.ctx, "start").copies[0]
    gate.clock.advance(days=3650)                      # the clock jumps ahead for one copy
    ahead = backup.auto_backup(gate.ctx, "start").copies[0]
    gate.clock.advance(days=-3650, minutes=1)          # and is set right again
    _scan(gate)
    backup.auto_backup(gate.ctx, "handover")
    assert first.path.exists() and ahead.path.exists()
