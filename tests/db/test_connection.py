"""db/connection.py: pragmas, the write() transaction discipline, and clear storage errors."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest

from checkpoint_app import i18n
from checkpoint_app.db import connection
from checkpoint_app.db.connection import Database, open_database, storage_error
from checkpoint_app.errors import StorageError


@pytest.fixture
def db(tmp_path):
    d = open_database(tmp_path / "gate.sqlite3", create=True)
    d.conn.execute("CREATE TABLE t (x INTEGER)")
    yield d
    d.close()


def _rows(path: Path) -> list[int]:
    other = sqlite3.connect(path)
    try:
        return [r[0] for r in other.execute("SELECT x FROM t ORDER BY x")]
    finally:
        other.close()


def _one_sentence(text: str) -> bool:
    body = text.rstrip("。.")
    return bool(body) and "\n" not in text and "。" not in body and ". " not in body


def _one_line(text: str) -> bool:
    """Shown as is: one short line of words, no exception class or traceback."""
    return bool(text.strip()) and "\n" not in text and len(text) < 200 and "Error" not in text


# --- pragmas -------------------------------------------------------------------------------

def test_pragmas_wal_full_sync_foreign_keys(db):
    conn = db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2          # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == connection.BUSY_TIMEOUT_MS
    assert conn.isolation_level is None  # autocommit: only write() opens transactions


def test_pragmas_also_on_read_only_connections(db):
    ro = open_database(db.path, readonly=True)
    try:
        assert ro.conn.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert ro.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        ro.close()


# --- write() -------------------------------------------------------------------------------

def test_write_commits(db):
    with db.write() as conn:
        conn.execute("INSERT INTO t VALUES (1)")
        assert _rows(db.path) == []           # not visible to others before the commit
    assert _rows(db.path) == [1]
    assert not db.conn.in_transaction


def test_write_is_begin_immediate(db):
    """The write lock is taken at BEGIN, not at the first INSERT: a second writer waits there."""
    other = sqlite3.connect(db.path, isolation_level=None, timeout=0)
    try:
        with db.write():
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()


def test_write_rolls_back_on_exception(db):
    with pytest.raises(ZeroDivisionError):
        with db.write() as conn:
            conn.execute("INSERT INTO t VALUES (1)")
            1 / 0
    assert _rows(db.path) == []
    assert not db.conn.in_transaction
    with db.write() as conn:          # and the next transaction works
        conn.execute("INSERT INTO t VALUES (2)")
    assert _rows(db.path) == [2]


def test_write_rolls_back_on_keyboard_interrupt(db):
    with pytest.raises(KeyboardInterrupt):
        with db.write() as conn:
            conn.execute("INSERT INTO t VALUES (1)")
            raise KeyboardInterrupt
    assert _rows(db.path) == []


def test_nested_write_joins_the_outer_transaction(db):
    with db.write() as outer:
        outer.execute("INSERT INTO t VALUES (1)")
        with db.write() as inner:
            assert inner is outer
            inner.execute("INSERT INTO t VALUES (2)")
        assert db.conn.in_transaction          # the inner block did not commit
        assert _rows(db.path) == []
    assert _rows(db.path) == [1, 2]


def test_failure_in_nested_write_rolls_back_everything(db):
    with pytest.raises(ValueError):
        with db.write() as outer:
            outer.execute("INSERT INTO t VALUES (1)")
            with db.write() as inner:
                inner.execute("INSERT INTO t VALUES (2)")
                raise ValueError
    assert _rows(db.path) == []
    with db.write() as conn:
        conn.execute("INSERT INTO t VALUES (3)")
    assert _rows(db.path) == [3]


def test_locked_file_gives_locked_error_and_keeps_data(db):
    with db.write() as conn:
        conn.execute("INSERT INTO t VALUES (1)")
    db.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError) as err:
            with db.write() as conn:
                conn.execute("INSERT INTO t VALUES (2)")
        assert err.value.code == "locked"
        assert _one_sentence(str(err.value))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _rows(db.path) == [1]
    assert not db.conn.in_transaction


def test_disk_full_gives_full_error_and_loses_nothing(db):
    with db.write() as conn:
        conn.execute("INSERT INTO t VALUES (1)")
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count = {pages + 1}")   # the disk is full now
    with pytest.raises(StorageError) as err:
        with db.write() as conn:
            conn.execute("INSERT INTO t SELECT value FROM generate_series(2, 20000)"
                         if _has_generate_series(conn) else
                         "WITH RECURSIVE s(v) AS (SELECT 2 UNION ALL SELECT v + 1 FROM s WHERE v < 20000) "
                         "INSERT INTO t SELECT v FROM s")
    assert err.value.code == "disk_full"
    assert _one_line(str(err.value))
    assert _rows(db.path) == [1]
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _has_generate_series(conn) -> bool:
    try:
        conn.execute("SELECT 1 FROM generate_series(1, 1)").fetchall()
        return True
    except sqlite3.OperationalError:
        return False


# --- opening bad files ---------------------------------------------------------------------

def test_random_bytes_are_refused_as_corrupt(tmp_path):
    path = tmp_path / "gate.sqlite3"
    data = os.urandom(64 * 1024)
    path.write_bytes(data)
    with pytest.raises(StorageError) as err:
        open_database(path)
    assert err.value.code == "corrupt"
    assert _one_sentence(str(err.value))
    assert str(path) in str(err.value)
    assert path.read_bytes() == data          # never "repaired"


def test_damaged_pages_are_refused_as_corrupt(tmp_path):
    """A real database whose page 1 (the schema) was overwritten is damaged, not "empty"."""
    path = tmp_path / "gate.sqlite3"
    open_database(path, create=True).close()
    raw = bytearray(path.read_bytes())
    raw[100:4096] = os.urandom(4096 - 100)
    path.write_bytes(bytes(raw))
    with pytest.raises(StorageError) as err:
        open_database(path)
    assert err.value.code == "corrupt"


def test_missing_file_is_refused_not_created(tmp_path):
    path = tmp_path / "nowhere" / "gate.sqlite3"
    with pytest.raises(StorageError) as err:
        open_database(path)
    assert err.value.code == "missing"
    assert _one_sentence(str(err.value))
    assert not path.exists() and not path.parent.exists()


def test_create_makes_the_folder(tmp_path):
    path = tmp_path / "new" / "gate.sqlite3"
    open_database(path, create=True).close()
    assert path.exists()


def test_writing_through_a_read_only_database_is_a_clear_error(db):
    with db.write() as conn:
        conn.execute("INSERT INTO t VALUES (1)")
    ro = open_database(db.path, readonly=True)
    try:
        with pytest.raises(StorageError) as err:
            with ro.write() as conn:
                conn.execute("INSERT INTO t VALUES (2)")
        assert err.value.code == "read_only"
        assert _one_sentence(str(err.value))
        assert ro.conn.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    finally:
        ro.close()


def _run_unprivileged(fn) -> dict:
    """Run ``fn()`` where file permissions apply (root ignores them): in a forked child that
    drops to ``nobody`` when we are root. Returns what ``fn`` returned (a small dict)."""
    if os.geteuid() != 0:
        return fn()
    import json

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 0
        try:
            os.close(r)
            os.setgid(65534)
            os.setuid(65534)
            out = fn()
            os.write(w, json.dumps(out).encode())
        except BaseException as exc:  # report anything to the parent
            os.write(w, json.dumps({"crash": repr(exc)}).encode())
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    chunks = []
    while chunk := os.read(r, 65536):
        chunks.append(chunk)
    os.close(r)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks))


def _try_to_write(path: Path) -> dict:
    i18n.set_language("en")
    try:
        d = open_database(path)
        try:
            with d.write() as conn:
                conn.execute("INSERT INTO t VALUES (2)")
        finally:
            d.close()
    except StorageError as err:
        return {"code": err.code, "message": str(err)}
    return {"code": None}


@pytest.fixture
def public_tmp():
    """A folder an unprivileged user can reach (pytest's own tmp folders are private to root)."""
    base = Path(tempfile.mkdtemp(prefix="checkpoint-ro-"))
    base.chmod(0o755)
    for p in base.parents:
        if p.stat().st_mode & 0o001 == 0:
            shutil.rmtree(base)
            pytest.skip(f"{p} is not traversable by an unprivileged user")
    yield base
    for p in base.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_media_is_a_clear_error_and_loses_nothing(public_tmp, what):
    folder = public_tmp / "media"
    folder.mkdir()
    folder.chmod(0o755)
    path = folder / "gate.sqlite3"
    d = open_database(path, create=True)
    d.conn.execute("CREATE TABLE t (x INTEGER)")
    with d.write() as conn:
        conn.execute("INSERT INTO t VALUES (1)")
    d.close()
    before = path.read_bytes()
    try:
        if what == "file":
            path.chmod(0o444)
        else:
            path.chmod(0o666)
            folder.chmod(0o555)
        result = _run_unprivileged(lambda: _try_to_write(path))
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
    assert result["code"] == "read_only", result
    assert _one_sentence(result["message"])
    assert path.read_bytes() == before
    assert _rows(path) == [1]


# --- storage_error(): SQLite's words to one of our codes ---------------------------------

@pytest.mark.parametrize("message, code", [
    ("database or disk is full", "disk_full"),
    ("disk is full", "disk_full"),
    ("database is locked", "locked"),
    ("database table is locked", "locked"),
    ("database schema is locked: main", "locked"),
    ("attempt to write a readonly database", "read_only"),
    ("database disk image is malformed", "corrupt"),
    ("file is not a database", "corrupt"),
    ("file is encrypted or is not a database", "corrupt"),
    ("unable to open database file", "cannot_open"),
    ("disk I/O error", "io"),
    ("something nobody expected", "io"),
])
def test_storage_error_codes(message, code):
    err = storage_error(sqlite3.OperationalError(message), "/data/gate.sqlite3")
    assert isinstance(err, StorageError)
    assert err.code == code
    assert err.exit_code == 3
    assert _one_line(str(err))
    if code != "disk_full":   # "full" says two things on purpose: nothing saved, the rest is safe
        assert _one_sentence(str(err))
    for lang in i18n.LANGUAGES:     # a sentence in each language, not a key
        i18n.set_language(lang)
        try:
            text = str(storage_error(sqlite3.OperationalError(message), "/data/gate.sqlite3"))
        finally:
            i18n.set_language("zh_CN")
        assert text and code not in text.split()


@pytest.mark.parametrize("exc, expected", [
    (sqlite3.OperationalError("database or disk is full"), True),
    (sqlite3.OperationalError("database is locked"), True),
    (sqlite3.OperationalError("disk I/O error"), True),
    (sqlite3.DatabaseError("database disk image is malformed"), True),
    (sqlite3.OperationalError("no such table: passages"), False),       # our bug
    (sqlite3.OperationalError('near "SELEC": syntax error'), False),
    (sqlite3.IntegrityError("UNIQUE constraint failed: journal.uid"), False),
    (sqlite3.ProgrammingError("Cannot operate on a closed database."), False),
])
def test_environment_errors_are_told_apart_from_bugs(exc, expected):
    assert connection.is_environment_error(exc) is expected


def test_a_bug_in_sql_is_not_disguised_as_a_storage_error(db):
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        with db.write() as conn:
            conn.execute("INSERT INTO nowhere VALUES (1)")
    assert not db.conn.in_transaction


def test_database_context_manager_closes(tmp_path):
    with open_database(tmp_path / "g.sqlite3", create=True) as d:
        assert isinstance(d, Database)
    with pytest.raises(sqlite3.ProgrammingError):
        d.conn.execute("SELECT 1")


def test_a_file_whose_schema_cannot_be_read_leaves_no_connection_open(tmp_path):
    """A damaged schema page fails the probe after SQLite has opened the file: that connection
    (and its -wal/-shm and locks) must go, or a restore later finds the file 'in use'."""
    from checkpoint_app.errors import StorageError

    path = tmp_path / "gate.sqlite3"
    db = connection.open_database(path, create=True)
    db.close()
    with path.open("r+b") as f:          # page 1 past the 100-byte header: sqlite_master
        f.seek(100)
        f.write(b"\xff" * 3000)

    def open_here() -> list[str]:
        return [t for t in (os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
                            if os.path.exists(f"/proc/self/fd/{fd}")) if t.startswith(str(path))]

    with pytest.raises(StorageError):
        connection.connect(path)
    assert open_here() == []
