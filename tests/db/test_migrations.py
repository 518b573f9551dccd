"""db/migrations.py: the ladder on user_version, the copy before migrating, refusing newer files."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from checkpoint_app.db import connection, migrations
from checkpoint_app.db.connection import open_database
from checkpoint_app.errors import DatabaseTooNew, StorageError


def _version(path: Path) -> int:
    c = sqlite3.connect(path)
    try:
        return c.execute("PRAGMA user_version").fetchone()[0]
    finally:
        c.close()


def _columns(path: Path, table: str) -> set[str]:
    c = sqlite3.connect(path)
    try:
        return {r[1] for r in c.execute(f"PRAGMA table_info({table})")}
    finally:
        c.close()


def _v1_file(path: Path) -> Path:
    """A file as version 1 of the app left it: only step 1 run."""
    conn = connection.connect(path, create=True)
    conn.execute("BEGIN")
    migrations._v1(conn)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    conn.execute("INSERT INTO users (name, role, created_at) VALUES ('老王', 'admin', '2026-01-01T00:00:00')")
    conn.close()
    return path


def _siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def test_ladder_is_numbered_without_gaps():
    assert [v for v, _ in migrations.MIGRATIONS] == list(range(1, migrations.LATEST + 1))


def test_fresh_file_gets_latest_without_a_copy(tmp_path):
    path = tmp_path / "gate.sqlite3"
    open_database(path, create=True).close()
    assert _version(path) == migrations.LATEST
    assert {"secret_hash", "failed_attempts", "locked_until"} <= _columns(path, "users")
    assert not any("before-migration" in n for n in _siblings(path))


def test_opening_a_current_file_again_changes_nothing(tmp_path):
    path = tmp_path / "gate.sqlite3"
    open_database(path, create=True).close()
    open_database(path).close()
    assert _version(path) == migrations.LATEST
    assert not any("before-migration" in n for n in _siblings(path))


def test_v1_file_migrates_to_latest_and_is_copied_first(tmp_path):
    path = _v1_file(tmp_path / "gate.sqlite3")
    assert "secret_hash" not in _columns(path, "users")
    db = open_database(path)
    try:
        assert db.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
        assert db.conn.execute("SELECT name, failed_attempts, secret_hash FROM users").fetchall() == [("老王", 0, None)]
    finally:
        db.close()
    copy = tmp_path / "gate.sqlite3.v1.before-migration"
    assert copy.exists()
    # The copy is a whole, openable version-1 database with the data it had.
    c = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    try:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("PRAGMA user_version").fetchone()[0] == 1
        assert c.execute("SELECT name FROM users").fetchall() == [("老王",)]
        assert "secret_hash" not in {r[1] for r in c.execute("PRAGMA table_info(users)")}
    finally:
        c.close()


def test_an_earlier_copy_is_never_overwritten(tmp_path):
    path = _v1_file(tmp_path / "gate.sqlite3")
    first = tmp_path / "gate.sqlite3.v1.before-migration"
    first.write_bytes(b"an older copy someone kept")
    open_database(path).close()
    assert first.read_bytes() == b"an older copy someone kept"
    assert (tmp_path / "gate.sqlite3.v1.before-migration.2").exists()


def _too_new_file(path: Path) -> Path:
    open_database(path, create=True).close()
    c = sqlite3.connect(path)
    c.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    c.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


@pytest.mark.parametrize("readonly", [False, True])
def test_a_file_from_a_newer_app_is_refused_and_untouched(tmp_path, readonly):
    path = _too_new_file(tmp_path / "gate.sqlite3")
    before = path.read_bytes()
    old = path.stat().st_mtime_ns - 10_000_000_000        # ten seconds ago, so a touch would show
    os.utime(path, ns=(old, old))
    with pytest.raises(DatabaseTooNew) as err:
        open_database(path, readonly=readonly)
    assert isinstance(err.value, StorageError) and err.value.code == "database_too_new"
    assert str(migrations.LATEST + 1) in str(err.value)
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == old
    assert _version(path) == migrations.LATEST + 1


@pytest.mark.parametrize("readonly", [False, True])
def test_refusing_a_newer_file_leaves_no_wal_or_shm_behind(tmp_path, readonly):
    path = _too_new_file(tmp_path / "gate.sqlite3")
    names = _siblings(path)
    with pytest.raises(DatabaseTooNew):
        open_database(path, readonly=readonly)
    assert _siblings(path) == names


def test_check_not_too_new_on_a_connection(tmp_path):
    path = _too_new_file(tmp_path / "gate.sqlite3")
    c = sqlite3.connect(path)
    try:
        with pytest.raises(DatabaseTooNew):
            migrations.migrate(c, path)
    finally:
        c.close()


def _boom(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE users ADD COLUMN half_done TEXT")
    conn.execute("CREATE TABLE half_made (x)")
    raise RuntimeError("step failed half-way")


def test_a_failing_step_rolls_back_whole(tmp_path, monkeypatch):
    path = _v1_file(tmp_path / "gate.sqlite3")
    monkeypatch.setattr(migrations, "MIGRATIONS", [(1, migrations._v1), (2, _boom)])
    with pytest.raises(RuntimeError, match="half-way"):
        open_database(path)
    assert _version(path) == 1
    assert "half_done" not in _columns(path, "users")
    c = sqlite3.connect(path)
    try:
        assert c.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_made'").fetchone()[0] == 0
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("SELECT name FROM users").fetchall() == [("老王",)]
    finally:
        c.close()
    # The copy was made before the failing step, and the real ladder still works afterwards.
    assert (tmp_path / "gate.sqlite3.v1.before-migration").exists()
    monkeypatch.undo()
    open_database(path).close()
    assert _version(path) == migrations.LATEST


def test_a_failing_sql_step_is_a_storage_error_and_rolls_back(tmp_path, monkeypatch):
    path = _v1_file(tmp_path / "gate.sqlite3")

    def bad_sql(conn):
        conn.execute("ALTER TABLE users ADD COLUMN half_done TEXT")
        conn.execute("ALTER TABLE no_such_table ADD COLUMN x TEXT")

    monkeypatch.setattr(migrations, "MIGRATIONS", [(1, migrations._v1), (2, bad_sql)])
    with pytest.raises((StorageError, sqlite3.Error)):
        open_database(path)
    assert _version(path) == 1
    assert "half_done" not in _columns(path, "users")


def test_readonly_open_of_an_old_file_does_not_migrate(tmp_path):
    path = _v1_file(tmp_path / "gate.sqlite3")
    db = open_database(path, readonly=True)
    db.close()
    assert _version(path) == 1
    assert not (tmp_path / "gate.sqlite3.v1.before-migration").exists()


# -- the record kinds declared today against the shipped schema (issue 12) -------------------------

def _migrated(path: Path) -> sqlite3.Connection:
    """A database made the only way gate PCs get one: the frozen v1 and the later steps."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.migrate(conn, path)
    return conn


def _record_schema_differences(conn: sqlite3.Connection) -> list[str]:
    """Where the record tables of ``conn`` differ from what the registry declares today."""
    from checkpoint_app.db import schema
    from checkpoint_app.domain import record_kinds

    declared = sqlite3.connect(":memory:")
    declared.execute("CREATE TABLE journal (uid TEXT PRIMARY KEY)")
    out = []
    for kind in record_kinds.KINDS:
        for sql in schema.record_kind_statements(kind.kind):
            if not sql.startswith("CREATE INDEX"):
                declared.execute(sql)
        want = declared.execute(f"PRAGMA table_info({kind.table})").fetchall()
        have = conn.execute(f"PRAGMA table_info({kind.table})").fetchall()
        if want != have:
            out.append(f"{kind.kind}: table {kind.table} is {have}, declared {want}")
        triggers = {r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (kind.table,))}
        if triggers != {f"{kind.table}_no_update", f"{kind.table}_no_delete"}:
            out.append(f"{kind.kind}: triggers {sorted(triggers)}")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    known = {k.table for k in record_kinds.KINDS}
    state = {"site", "gates", "site_keys", "site_pki", "settings", "users", "households", "residents",
             "passes", "disinfection_areas", "watchlist", "journal", "visitor_personal",
             "exchange_problems", "exchange_sent",  # this PC's own exchange bookkeeping
             "verified_marks"}  # how far the start-up check has verified each chain
    out += [f"table {t} is neither a record kind nor known state" for t in sorted(tables - known - state)]
    return out


def test_the_shipped_schema_and_later_steps_hold_exactly_the_record_kinds_declared_today(tmp_path):
    conn = _migrated(tmp_path / "gate.db")
    try:
        assert _record_schema_differences(conn) == []
    finally:
        conn.close()


def test_a_kind_declared_without_a_migration_step_is_caught(tmp_path, monkeypatch):
    from checkpoint_app.db import schema
    from checkpoint_app.domain import record_kinds

    new = record_kinds.RecordKind("gate_note", "gate_notes", ("note", "recorded_by"), "门岗备注", "gate note")
    monkeypatch.setattr(record_kinds, "KINDS", (*record_kinds.KINDS, new))
    monkeypatch.setitem(schema.RECORD_TABLES, "gate_note", (new.table, new.fields))
    widened = record_kinds.RecordKind("passage", "passages", (*record_kinds.BY_KIND["passage"].fields, "photo"),
                                      "出入", "passage")
    monkeypatch.setattr(record_kinds, "KINDS", tuple(widened if k.kind == "passage" else k
                                                     for k in record_kinds.KINDS))
    monkeypatch.setitem(schema.RECORD_TABLES, "passage", (widened.table, widened.fields))
    conn = _migrated(tmp_path / "gate.db")
    try:
        problems = _record_schema_differences(conn)
    finally:
        conn.close()
    assert any(p.startswith("gate_note:") for p in problems) and any(p.startswith("passage:") for p in problems)


def test_passages_of_a_v4_file_keep_their_hashes_after_the_readings_step(tmp_path):
    """Issue 11 (2): step 5 adds the first reading to passages; a passage written before it
    (no such columns) still verifies, and a new one carries both readings."""
    from datetime import datetime

    from checkpoint_app.db import records
    from checkpoint_app.db.verify import verify_database
    from checkpoint_app.domain.record_kinds import BY_KIND

    path = tmp_path / "gate.sqlite3"
    conn = connection.connect(path, create=True)
    for version, step in migrations.MIGRATIONS[:4]:
        conn.execute("BEGIN")
        step(conn)
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    assert "first_temp_tenths" not in _columns(path, "passages")
    old_fields = [f for f in BY_KIND["passage"].fields if not f.startswith("first_temp")]
    values = {"direction": "in", "household": "3-2-501", "temp_tenths": 370, "outcome": "allowed",
              "reason": "ok", "reasons": "ok", "manual": 0, "guard": "李建国"}
    at = "2026-11-20T08:00:00.000"
    rh = records.row_hash(records.canonical_bytes("passage", "g1", 1, "u1", at, values))
    conn.execute("BEGIN")
    conn.execute("INSERT INTO journal VALUES ('g1', 1, 'u1', 'passage', ?, ?, ?)",
                 (at, rh, records.chain_hash(records.GENESIS, rh)))
    conn.execute(f"INSERT INTO passages (uid, at, day, {', '.join(old_fields)}) "
                 f"VALUES ('u1', ?, '2026-11-20', {', '.join('?' * len(old_fields))})",
                 (at, *(values.get(f) for f in old_fields)))
    conn.execute("COMMIT")
    conn.close()
    db = open_database(path)
    try:
        assert verify_database(db.conn).ok
        db.conn.execute("BEGIN")
        records.append(db.conn, "passage", {**values, "temp_tenths": 370, "first_temp_tenths": 374,
                                            "first_temp_at": "2026-11-20T08:02:00.000"},
                       origin="g1", at=datetime(2026, 11, 20, 8, 5))
        db.conn.execute("COMMIT")
        report = verify_database(db.conn)
        assert report.ok and report.records == 2, report.problems
        assert db.conn.execute("SELECT first_temp_tenths FROM passages ORDER BY at").fetchall() == [(None,), (374,)]
    finally:
        db.close()
