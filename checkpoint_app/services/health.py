"""Start-up health: is the gate's database whole, ours, writable, and not altered lately?

``check_database(path)`` runs as the gate opens (off the GUI thread). It never writes to a
damaged, foreign or too-new file and never repairs anything: it says what is wrong in one
sentence, whether the file can still be shown read-only (``open_readonly``), and which backup a
one-click restore would use.

Incremental on a big file (issue 14): SQLite's ``quick_check`` reads the whole file (about two
minutes on 10 M passages), so above ``WHOLE_FILE_BYTES`` the start-up check runs it only on the
small tables (roster, users, passes, settings: everything but the append-only record tables),
and recomputes each gate's records from its verified mark on (db/chain.py verify_since_marks:
what that proves and what it does not is said there). A sound result moves the marks forward
(a few bytes written, only to a file found sound and writable). ``full=True`` (the database
check on request, ``verify-db``) reads everything.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from checkpoint_app.db import chain, migrations
from checkpoint_app.db.connection import BUSY_TIMEOUT_MS, Database, storage_error
from checkpoint_app.db.schema import RECORD_TABLES
from checkpoint_app.errors import StorageError
from checkpoint_app.i18n import Messages
from checkpoint_app.services import backup
from checkpoint_app.services.progress import Progress, step, while_running

log = logging.getLogger(__name__)

_ = Messages({
    "missing": ("找不到数据库文件 {path}。", "The database file {path} is not there."),
    "corrupt": ("数据库文件已损坏（{detail}），已以只读方式打开，未做任何修改；请恢复最近的完好备份。",
                "The database file is damaged ({detail}); it was opened read-only and nothing was changed: restore the newest good backup."),
    "unreadable": ("数据库文件已损坏，无法打开（{detail}）；请恢复最近的完好备份。",
                   "The database file is damaged and cannot be opened ({detail}): restore the newest good backup."),
    "too_new": ("此数据库由更新版本的门岗通（结构版本 {found}）创建，文件未改动，请升级程序。",
                "This database was written by a newer Checkpoint (schema {found}); the file was not touched: update the app."),
    "read_only": ("数据库所在位置只读（{path}），只能查看，不能登记；请换到可写的磁盘。",
                  "The database is on read-only media ({path}): records can be shown but not added; move it to a writable disk."),
    "locked": ("数据库正被另一个程序占用，请关闭另一个门岗通后重试。",
               "The database is held by another program: close the other Checkpoint and try again."),
    "tampered": ("最近的记录与其哈希不符（{detail}），已以只读方式打开；请运行 verify-db 并联系管理员。",
                 "The newest records do not match their hashes ({detail}); opened read-only: run verify-db and call the admin."),
    "moved": ("门岗 {origin} 序号 {seq} 的哈希与上次校验时不同", "gate {origin} seq {seq} has another hash than when it was verified"),
    "cut": ("门岗 {origin} 的记录只到序号 {last}，上次校验时已到 {seq}",
            "gate {origin} records end at seq {last}, they reached {seq} when last verified"),
    "no_backup": ("没有找到可用的备份。", "No usable backup was found."),
})

TAIL = 200   # newest records of each gate whose hashes tail_problem rechecks
WHOLE_FILE_BYTES = 256 * 2**20   # below this the start-up check runs quick_check on the whole file


@dataclass(frozen=True)
class HealthReport:
    """What the start-up check found. ``state``: ok | missing | too_new | corrupt (damaged but
    readable) | unreadable | read_only | locked | tampered."""
    path: Path
    state: str
    message: str = ""
    readable: bool = False     # open_readonly() will show the records
    writable: bool = False     # the gate can record (open_gate will work)
    schema_version: int | None = None
    newest_backup: backup.BackupInfo | None = None
    warnings: tuple[str, ...] = ()   # the gate may open, but someone should look (e.g. records cut off)

    @property
    def ok(self) -> bool:
        return self.state == "ok"

    @property
    def can_restore(self) -> bool:
        return self.newest_backup is not None


def _uri(path: Path, *, immutable: bool) -> str:
    return f"{Path(path).resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def _has_wal(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def _writable_place(path: Path) -> bool:
    import os

    # access(), not open(): no descriptor of the live file is ever opened and closed here
    return os.access(path, os.W_OK) and os.access(Path(path).resolve().parent, os.W_OK)


def _connect_ro(path: Path) -> sqlite3.Connection:
    """Read without writing a byte. While a -wal file is there some process has the database
    open (the gate app itself, when it checks its own file): an ordinary read-only connection,
    which takes SQLite's locks and so reads consistently while others write and checkpoint (an
    ``immutable`` one would read pages as they are being written and call a sound file
    damaged). With no -wal nobody has it open: ``immutable``, which creates no -wal/-shm beside
    a damaged file or on read-only media. Read-only media with an empty -wal: ``immutable`` too
    (an ordinary connection could not make its -shm there)."""
    wal = Path(f"{path}-wal")
    immutable = not wal.exists() or (not _has_wal(path) and not _writable_place(path))
    conn = sqlite3.connect(_uri(path, immutable=immutable), uri=True, isolation_level=None,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _peek_version(path: Path) -> int:
    """``user_version`` through an immutable connection: no locks, no -wal/-shm made beside a
    file we may be about to refuse, and no ``open()`` of a file this process may have open
    (closing that descriptor would drop SQLite's locks: sqlite.org/howtocorrupt.html §2.2).
    Raises sqlite3.DatabaseError for a file that is not a database."""
    conn = sqlite3.connect(_uri(path, immutable=True), uri=True, isolation_level=None)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def open_readonly(path: Path) -> Database:
    """The database for showing only (a damaged file, read-only media). Writes raise StorageError."""
    try:
        conn = _connect_ro(path)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise storage_error(exc, path) from exc
    return Database(conn, Path(path), readonly=True)


def open_gate_readonly(data_dir: Path, *, clock=None):
    """A GateContext for showing a damaged file or one on read-only media: every write raises
    StorageError (code ``read_only``). ``open_gate(readonly=True)`` cannot open a WAL file in a
    read-only folder; this can."""
    from checkpoint_app import paths
    from checkpoint_app.db import site_repo
    from checkpoint_app.errors import NotInitialised
    from checkpoint_app.services.context import GateContext, system_clock

    db = open_readonly(paths.db_path(data_dir))
    try:
        site = site_repo.get_site(db.conn)
        gate = site_repo.local_gate(db.conn)
        if site is None or gate is None:
            raise NotInitialised(_("missing", path=db.path))
        settings = site_repo.load_settings(db.conn)
        keys = site_repo.keys(db.conn)
    except sqlite3.Error as exc:
        db.close()
        raise storage_error(exc, db.path) from exc
    except BaseException:
        db.close()
        raise
    return GateContext(db=db, data_dir=Path(data_dir), site=site, gate=gate, settings=settings,
                       clock=clock or system_clock, keys=keys)


def check_database(path: Path, *, backup_folders: list[Path] | None = None, site: str | None = None,
                   progress: Progress | None = None, full: bool = False,
                   whole_file_bytes: int = WHOLE_FILE_BYTES) -> HealthReport:
    """The start-up check of the gate database at ``path`` (see the module docstring).

    ``progress``: its steps, and a cancel stops the check (``Cancelled``), even within the
    minutes-long ``quick_check``. ``full``: the whole file and every chain from its start."""
    path = Path(path)
    folders = backup_folders if backup_folders is not None else [path.parent / backup.BACKUP_SUBDIR]
    report = _check(path, progress, full=full, whole_file_bytes=whole_file_bytes)
    step(progress, 2, 3)
    if report.state == "empty":
        # An empty file where backups exist was a database once: damage, not a first run.
        best = backup.newest_good_backup(folders, site=site)
        state = "unreadable" if best else "missing"
        detail = "0 bytes"
        return HealthReport(path, state, _("unreadable", detail=detail) if best else _("missing", path=path),
                            newest_backup=best)
    if not report.ok and report.state not in ("locked", "too_new"):
        best = backup.newest_good_backup(folders, site=site)
        report = HealthReport(report.path, report.state, report.message, report.readable, report.writable,
                              report.schema_version, best)
    if report.ok:
        problem = _against_newest_backup(path, folders)
        if problem:
            log.warning("database health: %s", problem)
            report = HealthReport(report.path, report.state, report.message, report.readable, report.writable,
                                  report.schema_version, report.newest_backup, (problem,))
    else:
        log.warning("database health %s: %s", report.state, report.message)
    return report


def _against_newest_backup(path: Path, folders: list[Path]) -> str | None:
    """Does the database still hold everything its newest backup holds? Only an anchor kept
    apart catches the newest records cut off or the chain recomputed (see backup.anchor_problem)."""
    try:
        conn = _connect_ro(path)
    except sqlite3.Error:
        return None
    try:
        gate = conn.execute("SELECT uid FROM gates WHERE is_local = 1").fetchone()
        if gate is None:
            return None
        newest = next((b for b in backup.list_backups(folders) if b.gate == gate[0][:8]), None)
        return backup.anchor_problem(conn, newest) if newest else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _check(path: Path, progress: Progress | None = None, *, full: bool = False,
           whole_file_bytes: int = WHOLE_FILE_BYTES) -> HealthReport:
    if not path.is_file():
        return HealthReport(path, "missing", _("missing", path=path))
    try:
        if path.stat().st_size == 0:
            return HealthReport(path, "empty")
    except OSError as exc:
        return HealthReport(path, "unreadable", _("unreadable", detail=exc.strerror or exc))
    try:
        version = _peek_version(path)
    except sqlite3.DatabaseError as exc:
        detail = "not an SQLite file" if "not a database" in str(exc) else exc
        return HealthReport(path, "unreadable", _("unreadable", detail=detail))
    if version > migrations.LATEST:
        return HealthReport(path, "too_new", _("too_new", found=version), readable=False, schema_version=version)
    try:
        conn = _connect_ro(path)
    except sqlite3.Error as exc:
        return HealthReport(path, "unreadable", _("unreadable", detail=exc))
    try:
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            return HealthReport(path, "unreadable", _("unreadable", detail=exc))
        if version > migrations.LATEST:
            return HealthReport(path, "too_new", _("too_new", found=version), readable=False,
                                schema_version=version)
        step(progress, 0, 3)
        whole = full or path.stat().st_size < whole_file_bytes
        try:
            with while_running(progress, conn.interrupt):
                rows = _quick_check(conn, whole)
        except sqlite3.DatabaseError as exc:
            rows = [str(exc)]
        step(progress, 1, 3)     # after a cancel: Cancelled, not an "interrupted" file
        if rows != ["ok"]:
            readable = _readable(conn)
            key = "corrupt" if readable else "unreadable"
            return HealthReport(path, key, _(key, detail="; ".join(rows[:2])[:120]), readable=readable,
                                schema_version=version)
        since = None
        if version >= 1:
            try:
                with while_running(progress, conn.interrupt):
                    conn.execute("BEGIN")   # one snapshot: the marks say what was read
                    since = chain.verify_since_marks(
                        conn, whole=full, on_chunk=lambda done, total: step(progress, 1, 3, f"{done}/{total}"))
            except sqlite3.DatabaseError as exc:
                readable = _readable(conn)
                key = "corrupt" if readable else "unreadable"
                return HealthReport(path, key, _(key, detail=str(exc)[:120]), readable=readable, schema_version=version)
            finally:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("COMMIT")
            problem = _since_problem(since)
            if problem:
                return HealthReport(path, "tampered", _("tampered", detail=problem), readable=True,
                                    schema_version=version)
    finally:
        conn.close()
    state = _writable(path)
    if state is not None:
        return HealthReport(path, state.code if state.code in ("locked",) else "read_only",
                            _("locked") if state.code == "locked" else _("read_only", path=path),
                            readable=True, schema_version=version)
    if since is not None and since.marks:
        _record_marks(path, since.marks, full=full)
    return HealthReport(path, "ok", readable=True, writable=True, schema_version=version)


def _quick_check(conn: sqlite3.Connection, whole: bool) -> list[str]:
    """``quick_check`` of the whole file, or of every table but the append-only record tables
    (whose records since the marks the chain check recomputes)."""
    if whole:
        return [r[0] for r in conn.execute("PRAGMA quick_check")]
    big = {"journal", "visitor_personal"} | {table for table, _cols in RECORD_TABLES.values()}
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                         "AND name NOT LIKE 'sqlite_%'") if r[0] not in big]
    rows: list[str] = []
    for table in tables:
        rows += [r[0] for r in conn.execute(f'PRAGMA quick_check("{table}")') if r[0] != "ok"]
    return rows or ["ok"]


def _since_problem(since: chain.SinceResult) -> str | None:
    if since.moved:
        origin, seq = since.moved[0]
        return _("moved", origin=origin[:8], seq=seq)
    if since.cut:
        origin, seq, last = since.cut[0]
        return _("cut", origin=origin[:8], seq=seq, last=last)
    if since.problems:
        _origin, p = since.problems[0]
        return f"{p.uid} seq {p.seq}" if p.uid else f"seq {p.seq}"
    return None


def _record_marks(path: Path, marks: list[chain.Mark], *, full: bool) -> None:
    """Move the verified marks forward; a file that cannot take it now is checked further next time."""
    from datetime import datetime

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, isolation_level=None,
                               timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        log.warning("verified marks not recorded: %s", exc)
        return
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'verified_marks'").fetchone() is None:
            return     # a file from before the marks: migrated when the gate opens it
        conn.execute("BEGIN IMMEDIATE")
        chain.write_marks(conn, marks, datetime.now().isoformat(timespec="seconds"), full=full)
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        log.warning("verified marks not recorded: %s", exc)
    finally:
        conn.close()


def _readable(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT count(*) FROM journal").fetchone()
        return True
    except sqlite3.DatabaseError:
        return False


def _writable(path: Path) -> StorageError | None:
    """Take the write lock for a moment and give it back: proves the file, its folder and its
    lock are ours without changing a byte of the data."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, isolation_level=None,
                               timeout=min(BUSY_TIMEOUT_MS, 1000) / 1000)
    except sqlite3.Error as exc:
        return storage_error(exc, path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        err = storage_error(exc, path)
        return err if err.code in ("locked", "read_only", "cannot_open") else StorageError(str(err), "read_only")
    finally:
        conn.close()
    return None


def tail_problem(conn: sqlite3.Connection, tail: int = TAIL) -> str | None:
    """Recheck the newest ``tail`` records of this gate: row hashes, sequence and chain links.
    Cheap enough for every start; ``verify-db`` checks everything (other gates' chains may have
    gaps here that only mean "not received yet")."""
    local = conn.execute("SELECT uid FROM gates WHERE is_local = 1").fetchone()
    if local is None:
        return None
    last = conn.execute("SELECT max(origin_seq) FROM journal WHERE origin = ?", (local[0],)).fetchone()[0]
    if last is None:
        return None
    checked = chain.verify_range(conn, local[0], max(1, last - tail), last, limit=1)
    if checked.ok:
        return None
    p = checked.problems[0]
    return f"{p.uid} seq {p.seq}" if p.uid else f"seq {p.seq}"


def first_run(conn: sqlite3.Connection) -> bool:
    """True while no enabled admin exists: the GUI shows the first-run wizard (DESIGN §1)."""
    return conn.execute("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0").fetchone()[0] == 0
