"""services/health.py: the start-up check says what is wrong, writes nothing, offers a restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

from checkpoint_app import paths
from checkpoint_app.db import migrations
from checkpoint_app.errors import StorageError
from checkpoint_app.services import backup, gate as gate_service, health, users


@pytest.fixture
def db(gate) -> Path:
    for name in ("张三", "李四"):
        gate.clock.advance(minutes=1)
        gate_service.record_passage(gate.ctx, gate.cards[name], temperature="365")
    return paths.db_path(gate.data_dir)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file()}


def test_a_healthy_database(db, gate):
    report = health.check_database(db)
    assert report.ok and report.readable and report.writable
    assert report.message == "" and report.newest_backup is None
    assert report.schema_version == migrations.LATEST


def test_missing(tmp_path):
    report = health.check_database(tmp_path / "checkpoint.sqlite3")
    assert report.state == "missing" and not report.readable and not report.can_restore


def test_an_empty_file_is_a_first_run_without_backups_and_damage_with_them(gate, tmp_path):
    db = tmp_path / "checkpoint.sqlite3"
    db.write_bytes(b"")
    assert health.check_database(db).state == "missing"
    info = backup.auto_backup(gate.ctx, "start").copies[0]
    report = health.check_database(db, backup_folders=[info.path.parent])
    assert report.state == "unreadable" and report.newest_backup == info


def test_random_bytes_are_unreadable_untouched_and_offer_the_newest_backup(db, gate):
    info = backup.auto_backup(gate.ctx, "start").copies[0]
    gate.ctx.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(os.urandom(64 * 1024))
    before = _snapshot(db.parent)
    report = health.check_database(db)
    assert report.state == "unreadable" and not report.readable and not report.writable
    assert report.message and "\n" not in report.message
    assert report.newest_backup == info
    assert _snapshot(db.parent) == before             # never repaired, never touched
    with pytest.raises(StorageError):
        health.open_readonly(db)
    backup.restore(gate.data_dir, report.newest_backup.path)   # the one click
    assert health.check_database(db).ok


def _damage_a_table(db: Path, table: str) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    conn.close()
    with db.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\x0d" + os.urandom(page_size - 1))      # a leaf page header with garbage cells


def test_a_damaged_table_is_corrupt_shown_read_only_and_never_repaired(db, gate):
    backup.auto_backup(gate.ctx, "start")
    gate.ctx.close()
    _damage_a_table(db, "passages")
    before = _snapshot(db.parent)
    report = health.check_database(db)
    assert report.state == "corrupt", report
    assert report.readable and not report.writable
    assert report.can_restore
    ro = health.open_readonly(db)
    try:
        assert ro.conn.execute("SELECT count(*) FROM journal").fetchone()[0] > 0   # still shown
        with pytest.raises(StorageError):
            with ro.write() as conn:
                conn.execute("INSERT INTO settings VALUES ('x', 'y', 'z', NULL)")
    finally:
        ro.close()
    assert _snapshot(db.parent) == before


def test_a_file_from_a_newer_app(db, gate):
    gate.ctx.close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    before = _snapshot(db.parent)
    report = health.check_database(db)
    assert report.state == "too_new" and not report.can_restore
    assert str(migrations.LATEST + 1) in report.message
    assert _snapshot(db.parent) == before


def test_a_locked_file(db, gate):
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        report = health.check_database(db)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert report.state == "locked" and report.readable and not report.writable


def test_newest_records_altered_is_found_at_start(db, gate):
    gate.ctx.close()
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER passages_no_update")
    uid = conn.execute("SELECT uid FROM passages ORDER BY at DESC LIMIT 1").fetchone()[0]
    conn.execute("UPDATE passages SET temp_tenths = 372 WHERE uid = ?", (uid,))
    conn.commit()
    conn.close()
    report = health.check_database(db)
    assert report.state == "tampered" and uid in report.message


def test_tail_problem_is_none_on_a_good_chain(db, gate):
    assert health.tail_problem(gate.ctx.db.conn) is None
    assert health.tail_problem(gate.ctx.db.conn, tail=1) is None


def test_first_run_until_an_admin_exists(gate):
    assert health.first_run(gate.ctx.db.conn)
    users.add_user(gate.ctx, "小李", "guard", "1234")
    assert health.first_run(gate.ctx.db.conn)
    users.add_user(gate.ctx, "老王", "admin", "correct horse")
    assert not health.first_run(gate.ctx.db.conn)
    users.disable_user(gate.ctx, "老王")
    assert health.first_run(gate.ctx.db.conn)


# --- read-only media (root ignores permissions: drop to nobody in a forked child) -------------

def _as_nobody(fn):
    if os.geteuid() != 0:
        return fn()
    import json

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.close(r)
            os.setgid(65534)
            os.setuid(65534)
            os.write(w, json.dumps(fn()).encode())
        except BaseException as exc:
            os.write(w, json.dumps({"crash": repr(exc)}).encode())
        finally:
            os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    return json.loads(data)


def test_read_only_media_is_shown_not_written(gate):
    gate.clock.advance(minutes=1)
    gate_service.record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    gate.ctx.close()
    base = Path(tempfile.mkdtemp(prefix="checkpoint-health-"))
    try:
        base.chmod(0o755)
        if any(p.stat().st_mode & 0o001 == 0 for p in base.parents):
            pytest.skip("temp folder not reachable by an unprivileged user")
        db = base / "checkpoint.sqlite3"
        shutil.copy(paths.db_path(gate.data_dir), db)
        db.chmod(0o644)
        base.chmod(0o555)

        def look():
            report = health.check_database(db)
            ctx = health.open_gate_readonly(base)
            try:
                n = ctx.db.conn.execute("SELECT count(*) FROM passages").fetchone()[0]
                try:
                    gate_service.record_passage(ctx.acting_as(None, "operator"), gate.cards["李四"],
                                                temperature="365")
                    refused = None
                except StorageError as err:
                    refused = err.code
            finally:
                ctx.close()
            return {"state": report.state, "readable": report.readable, "message": report.message, "n": n,
                    "refused": refused}

        result = _as_nobody(look)
        assert result.get("state") == "read_only", result
        assert result["readable"] and result["n"] == 1
        assert result["refused"] == "read_only"
        assert str(db) in result["message"]
        assert sorted(p.name for p in base.iterdir()) == ["checkpoint.sqlite3"]
    finally:
        base.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_records_cut_off_since_the_last_backup_are_a_warning(db, gate):
    """The hash chain cannot see its newest records cut off; the newest backup can."""
    backup.auto_backup(gate.ctx, "start")
    gate.ctx.close()
    conn = sqlite3.connect(db)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    uid, seq = conn.execute("SELECT uid, origin_seq FROM journal ORDER BY origin_seq DESC LIMIT 1").fetchone()
    conn.execute("DELETE FROM incidents WHERE uid = ?", (uid,))
    conn.execute("DELETE FROM passages WHERE uid = ?", (uid,))
    conn.execute("DELETE FROM journal WHERE uid = ?", (uid,))
    conn.commit()
    conn.close()
    report = health.check_database(db)
    assert report.ok                                  # the gate may open...
    assert len(report.warnings) == 1 and f"seq {seq}" in report.warnings[0].replace("序号 ", "seq ")


def test_no_warning_when_the_database_is_ahead_of_its_backup(db, gate):
    backup.auto_backup(gate.ctx, "start")
    gate.clock.advance(minutes=1)
    gate_service.record_passage(gate.ctx, gate.cards["赵六"], temperature="365")
    assert health.check_database(db).warnings == ()


def test_on_a_big_file_the_check_goes_on_from_the_verified_marks(db, gate):
    """``whole_file_bytes=0``: the path a 10 M-passage file takes. The first check verifies every
    chain from its start and records the marks; the next recomputes only what came after."""
    from checkpoint_app.db import chain

    assert health.check_database(db, whole_file_bytes=0).ok
    conn = gate.ctx.db.conn
    marks = chain.read_marks(conn)
    last = conn.execute("SELECT max(origin_seq) FROM journal WHERE origin = ?", (gate.ctx.gate.uid,)).fetchone()[0]
    assert marks[gate.ctx.gate.uid].seq == last
    assert conn.execute("SELECT full_at FROM verified_marks").fetchone()[0] is None
    gate.clock.advance(minutes=1)
    gate_service.record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    assert health.check_database(db, whole_file_bytes=0).ok
    assert chain.read_marks(conn)[gate.ctx.gate.uid].seq == last + 1
    assert health.check_database(db, full=True).ok
    assert conn.execute("SELECT full_at FROM verified_marks").fetchone()[0] is not None


def test_the_incremental_check_still_reads_the_small_tables_whole(db, gate):
    backup.auto_backup(gate.ctx, "start")
    gate.ctx.close()
    _damage_a_table(db, "residents")
    report = health.check_database(db, whole_file_bytes=0)
    assert report.state == "corrupt" and report.can_restore


def test_old_pages_of_a_record_table_are_read_by_the_full_check_only(db, gate):
    """What the incremental check does not read: the pages of records verified before."""
    assert health.check_database(db, whole_file_bytes=0).ok      # the marks: everything verified
    gate.ctx.close()
    _damage_a_table(db, "passages")
    assert health.check_database(db, whole_file_bytes=0).ok
    assert health.check_database(db, whole_file_bytes=0, full=True).state == "corrupt"
    assert health.check_database(db).state == "corrupt", "a small file is read whole at every start"
