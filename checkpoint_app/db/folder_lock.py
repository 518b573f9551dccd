"""Who may use a gate database while another process does: everybody, except a restore.

Several processes on one data folder are the normal case (the gate app, ``checkpoint``
commands, the upkeep thread's own connections): SQLite's WAL locking lets them read and write
together. Only ``restore`` cannot share: it swaps the file, and a process that still has the
old file open would go on recording into the file kept aside. So every process that opens the
database holds a *shared* lock on ``<database>.lock`` beside it for as long as it has it open,
the gate app for its whole life; ``restore`` takes it *exclusive*, and is refused while anyone
else holds it.

The lock is SQLite's own reader/writer lock on that separate, empty file: a read transaction
held open is the shared lock, ``BEGIN EXCLUSIVE`` the exclusive one. Why not ``fcntl``/
``msvcrt``: ``msvcrt.locking`` has no shared mode, so Windows would need ``LockFileEx`` through
ctypes; SQLite already does exactly that on Windows and ``fcntl`` on POSIX, is tested on both by
its authors, and the operating system drops the lock of a killed process (no stale lock files
to guess about, as QLockFile must). Why not ``filelock.ReadWriteLock`` (the same idea): its holds
belong to threads, and a database here is often opened in one thread and closed in another.
Why a separate file and not the database: closing any descriptor of a file drops every POSIX
lock the process holds on it, so nothing but SQLite may ever open the database itself.

Within one process the holds are counted: one SQLite connection per lock file holds the shared
lock while the count is above zero.
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
    "restoring": ("数据目录正在恢复备份，请稍后再试。",
                  "The data folder is being restored from a backup; try again in a moment."),
    "in_use": ("数据库正在被使用（门岗程序、checkpoint 命令或备份），恢复前请先关闭门岗程序并等命令结束；数据库未改动。",
               "The database is in use (the gate app, a checkpoint command or a backup): close the gate app and "
               "let commands finish before restoring. The database was not changed."),
})

SUFFIX = ".lock"


def in_use_error() -> StorageError:
    return StorageError(_("in_use"), "in_use")


def lock_path(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + SUFFIX)


class _Holder:
    """The one connection of this process that holds the shared lock of one lock file."""

    def __init__(self, conn: sqlite3.Connection | None) -> None:
        self.conn = conn
        self.count = 0


_holders: dict[Path, _Holder] = {}
_guard = threading.Lock()


def _key(db_path: Path) -> Path:
    return lock_path(Path(db_path).resolve())


def _open(path: Path, timeout: float) -> sqlite3.Connection | None:
    """A connection to the lock file, or None where none can be made (read-only media: nothing
    can be restored there either, so there is nothing to keep out)."""
    for mode in ("rwc", "ro"):
        try:
            return sqlite3.connect(f"{path.as_uri()}?mode={mode}", uri=True, isolation_level=None,
                                   timeout=timeout, check_same_thread=False)
        except sqlite3.Error as exc:
            last = exc
    log.warning("no folder lock at %s (%s): going on without it", path, last)
    return None


def _busy(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc).lower() or "busy" in str(exc).lower()


class Use:
    """A shared hold on a database's folder lock; ``release()`` once (more calls do nothing)."""

    def __init__(self, key: Path) -> None:
        self._key: Path | None = key

    @property
    def held(self) -> bool:
        return self._key is not None

    def release(self) -> None:
        with _guard:
            key, self._key = self._key, None
            if key is None:
                return
            holder = _holders.get(key)
            if holder is None:
                return
            holder.count -= 1
            if holder.count == 0:
                del _holders[key]
                if holder.conn is not None:
                    with contextlib.suppress(sqlite3.Error):
                        holder.conn.execute("COMMIT")
                    holder.conn.close()

    def __enter__(self) -> Use:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def use(db_path: Path, timeout: float = 5.0) -> Use:
    """Hold the shared lock while the database is open. Waits ``timeout`` seconds for a restore
    in progress elsewhere, then raises StorageError (code ``locked``)."""
    key = _key(db_path)
    with _guard:
        holder = _holders.get(key)
        if holder is None:
            conn = _open(key, timeout)
            if conn is not None:
                try:
                    # A read transaction on the (empty, rollback-journal) lock file: SHARED, kept.
                    conn.execute("BEGIN")
                    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                except sqlite3.Error as exc:
                    conn.close()
                    if _busy(exc):
                        raise StorageError(_("restoring"), "locked") from exc
                    log.warning("no folder lock at %s (%s): going on without it", key, exc)
                    conn = None
            holder = _holders[key] = _Holder(conn)
        holder.count += 1
    return Use(key)


def users_here(db_path: Path) -> int:
    """How many holds this process has on the database's folder lock."""
    with _guard:
        holder = _holders.get(_key(db_path))
        return holder.count if holder else 0


@contextlib.contextmanager
def exclusive(db_path: Path, timeout: float = 0.5) -> Iterator[None]:
    """The whole database for this process alone (``restore``): refused with StorageError
    (code ``in_use``) while any process, this one included, holds it."""
    key = _key(db_path)
    if users_here(db_path):
        raise in_use_error()
    conn = _open(key, timeout)
    if conn is None:
        yield
        return
    try:
        try:
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.Error as exc:
            if _busy(exc):
                raise in_use_error() from exc
            log.warning("no folder lock at %s (%s): going on without it", key, exc)
            yield
            return
        try:
            yield
        finally:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
    finally:
        conn.close()
