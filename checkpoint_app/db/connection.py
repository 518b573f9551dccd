"""The one way to open the gate database.

WAL journal, ``synchronous=FULL`` (a passage reported as recorded survives a power cut),
foreign keys on, a busy timeout, and explicit transactions only: the connection is in
autocommit mode (``isolation_level=None``) and every write goes through ``Database.write()``,
which issues ``BEGIN IMMEDIATE`` so that two writers never deadlock half-way.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from checkpoint_app.errors import StorageError
from checkpoint_app.i18n import Messages

log = logging.getLogger(__name__)

_ = Messages({
    "full": ("磁盘已满，本条未保存（之前的记录都在），请腾出空间后重试。",
             "The disk is full so this was not saved (earlier records are safe); free some space and try again."),
    "locked": ("数据库正被另一个程序占用，请稍后重试。",
               "The database is busy in another program; try again in a moment."),
    "readonly": ("数据库所在位置只读，无法保存：{path}",
                 "The database is on read-only media and cannot be written: {path}"),
    "corrupt": ("数据库文件已损坏或不是本程序的数据库：{path}",
                "The database file is damaged or is not a Checkpoint database: {path}"),
    "cantopen": ("无法打开数据库文件：{path}", "Cannot open the database file: {path}"),
    "io": ("读写数据库时出错（{detail}），已保存的记录没有丢失。",
           "The database could not be read or written ({detail}); records already saved are safe."),
})

BUSY_TIMEOUT_MS = 5000


def storage_error(exc: sqlite3.Error, path: Path | str = "") -> StorageError:
    """Translate a known SQLite environment failure into one sentence for the user."""
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StorageError(_("full"), "disk_full")
    if "locked" in text or "busy" in text:
        return StorageError(_("locked"), "locked")
    if "readonly" in text or "read-only" in text:
        return StorageError(_("readonly", path=path), "read_only")
    if "malformed" in text or "not a database" in text or "encrypted" in text:
        return StorageError(_("corrupt", path=path), "corrupt")
    if "unable to open" in text:
        return StorageError(_("cantopen", path=path), "cannot_open")
    return StorageError(_("io", detail=str(exc)), "io")


def is_environment_error(exc: sqlite3.Error) -> bool:
    """True for problems of the machine (disk, locks, damage), False for bugs in our SQL."""
    if isinstance(exc, (sqlite3.ProgrammingError, sqlite3.IntegrityError, sqlite3.InterfaceError)):
        return False
    text = str(exc).lower()
    return any(w in text for w in ("disk", "locked", "busy", "readonly", "read-only", "malformed",
                                   "not a database", "unable to open", "i/o", "encrypted"))


class Database:
    """A connection plus the transaction discipline of this project."""

    def __init__(self, conn: sqlite3.Connection, path: Path, readonly: bool = False, use=None) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self._use = use            # folder_lock.Use: no restore swaps the file while it is open
        self._depth = 0
        self._checkpointer: threading.Thread | None = None
        self._stop = threading.Event()

    def checkpoint_in_background(self, interval: float = 20.0) -> None:
        """Move WAL pages into the database from a thread of its own.

        SQLite's automatic checkpoint runs inside the commit that crosses the threshold, and
        with ``synchronous=FULL`` it fsyncs the whole database file: the scan that happens to
        trigger it waits tens of milliseconds. At the gate the checkpoint runs here instead,
        PASSIVE (it never blocks a writer), on its own connection."""
        if self._checkpointer or self.readonly:
            return
        self.conn.execute("PRAGMA wal_autocheckpoint = 0")

        def run() -> None:
            try:
                side = connect(self.path)
            except StorageError:
                log.exception("background checkpoint could not open the database")
                return
            try:
                while not self._stop.wait(interval):
                    try:
                        side.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    except sqlite3.Error as exc:
                        log.warning("background checkpoint failed: %s", exc)
            finally:
                side.close()

        self._checkpointer = threading.Thread(target=run, name="wal-checkpoint", daemon=True)
        self._checkpointer.start()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction; nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise storage_error(exc, self.path) from exc
        self._depth = 1
        try:
            yield self.conn
        except BaseException as exc:
            self._depth = 0
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                log.exception("rollback failed")
            if isinstance(exc, sqlite3.OperationalError) and is_environment_error(exc):
                raise storage_error(exc, self.path) from exc
            raise
        else:
            self._depth = 0
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise storage_error(exc, self.path) from exc

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several reads (a deferred transaction)."""
        if self._depth:
            yield self.conn
            return
        self.conn.execute("BEGIN")
        self._depth = 1
        try:
            yield self.conn
        finally:
            self._depth = 0
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("COMMIT")

    def close(self) -> None:
        if self._checkpointer:
            self._stop.set()
            self._checkpointer.join(timeout=5)
            self._checkpointer = None
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        if self._use is not None:
            self._use.release()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(path: Path, *, readonly: bool = False, create: bool = False) -> sqlite3.Connection:
    """Open a raw connection with the project's pragmas (no migrations)."""
    path = Path(path)
    if readonly:
        uri = f"{path.resolve().as_uri()}?mode=ro"
    else:
        uri = f"{path.resolve().as_uri()}?mode={'rwc' if create else 'rw'}"
    conn = None
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                log.warning("journal_mode is %s, not WAL", mode)
        conn.execute("PRAGMA synchronous = FULL")
        # A cheap probe: it fails at once on a file that is not a database.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()     # a damaged file: no connection (and its locks) may stay behind
        raise storage_error(exc, path) from exc
    return conn


def open_database(path: Path, *, create: bool = False, readonly: bool = False) -> Database:
    """Open (and if needed create and migrate) the gate database at ``path``.

    Other processes may have the file open at the same time (the gate app and ``checkpoint``
    commands): everything here reads the file through SQLite only (see ``folder_lock``)."""
    from checkpoint_app.db import folder_lock, migrations

    path = Path(path)
    if not create and not path.exists():
        raise StorageError(_("cantopen", path=path), "missing")
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    use = folder_lock.use(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        # Look before touching: a file from a newer app is refused without a single write
        # (not even switching its journal mode).
        if path.exists() and path.stat().st_size > 0:
            migrations.check_header_not_too_new(path)
        conn = connect(path, readonly=readonly, create=create)
    except BaseException:
        use.release()
        raise
    try:
        if not readonly:
            migrations.migrate(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        use.release()
        raise storage_error(exc, path) from exc
    except BaseException:
        conn.close()
        use.release()
        raise
    return Database(conn, path, readonly, use)
