"""Backups with SQLite's backup API: on start, at each handover, daily, and by hand.

A copy counts only once it has been re-opened and checked: it is written as ``*.partial``,
checked (``quick_check``, schema version, the chain heads it should hold, or the whole
``verify_database`` when asked), and only then renamed to its final name. Copies go to
``<data>/backups`` and, when set, to a second folder (a USB stick); a second folder that is
not there is a warning, never a crash, and is never created (an unplugged stick's mount point
must not silently fill the PC's own disk).

File names sort by what they hold, not by the clock (a gate PC's clock can jump back):
``checkpoint-<site>-<gate8>-s<head seq>-<YYYYmmdd-HHMMSS>-<reason>.sqlite3``.

``restore`` keeps the current file (and its -wal/-shm) aside before putting the copy in place,
and only while no process has the database open: it takes the folder lock exclusive
(db/folder_lock.py), which the gate app and every open database hold shared, and checks with
SQLite that no other program has a connection either. Otherwise it refuses and changes nothing.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from checkpoint_app import paths
from checkpoint_app.db import folder_lock, migrations
from checkpoint_app.db.connection import storage_error
from checkpoint_app.db.verify import verify_database
from checkpoint_app.domain.text import shown
from checkpoint_app.errors import PermissionDenied, StorageError, UserError
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import allowed, require

log = logging.getLogger(__name__)

_ = Messages({
    "no_second": ("备份文件夹 {dir} 不存在（U 盘未插入？），本次只备份到数据文件夹。",
                  "The backup folder {dir} is not there (USB stick unplugged?); this backup went to the data folder only."),
    "failed": ("备份到 {dir} 失败：{why}", "The backup to {dir} failed: {why}"),
    "bad_copy": ("备份副本未通过检查：{why}", "The backup copy did not pass its check: {why}"),
    "bad_backup": ("备份文件 {file} 不可用：{why}", "The backup file {file} cannot be used: {why}"),
    "not_db": ("不是门岗通数据库", "it is not a Checkpoint database"),
    "too_new": ("来自更新版本的程序（结构版本 {v}）", "it comes from a newer app (schema {v})"),
    "no_site": ("其中没有小区或门岗", "it holds no site or gate"),
    "heads": ("内容与源数据库不一致", "it does not hold what the source held"),
    "missing": ("文件不存在", "the file does not exist"),
    "other_site": ("属于另一个小区或门岗（{site}）", "it belongs to another site or gate ({site})"),
    "no_dir": ("文件夹 {dir} 不存在。", "The folder {dir} does not exist."),
    "restore_failed": ("恢复失败，当前数据库未改动：{why}", "The restore failed and the current database was not changed: {why}"),
    "wrong": ("用户名或密码不正确，或该用户无权恢复数据。", "Wrong name or password, or this user may not restore data."),
    "anchor_missing": ("数据库缺少备份 {file} 中已有的记录（门岗 {origin} 序号 {seq}）：记录被删除或数据库被换成了旧文件。",
                       "The database lacks records that backup {file} holds (gate {origin} seq {seq}): records were cut off or an older file was put in place."),
    "anchor_differs": ("数据库与备份 {file} 在门岗 {origin} 序号 {seq} 处不一致：哈希链被重写。",
                       "The database and backup {file} disagree at gate {origin} seq {seq}: the hash chain was rewritten."),
})

BACKUP_SUBDIR = "backups"            # inside the data folder
SECOND_SUBDIR = "checkpoint-backups"  # inside the second folder (the USB stick)
KEEP_RECENT = 10                     # the newest copies, whatever made them
KEEP_DAYS = 14                       # plus the newest copy of each of these last days
STALE_PARTIAL_SECONDS = 3600
REASONS = ("start", "handover", "daily", "manual", "before-restore")

_NAME = re.compile(r"^checkpoint-(?P<site>[A-Za-z0-9]+)-(?P<gate>[0-9a-f]{8})-s(?P<seq>\d+)-"
                   r"(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?-(?P<reason>[a-z-]+)\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    site: str
    gate: str          # first 8 hex digits of the gate's uid
    head_seq: int      # the local gate's last origin_seq in the copy
    taken_at: datetime  # by the gate's clock, which may be wrong: sort by ``key``
    reason: str

    @property
    def key(self) -> tuple:
        return (self.head_seq, self.taken_at, self.path.name)

    @property
    def day(self) -> str:
        return self.taken_at.date().isoformat()


@dataclass
class BackupResult:
    copies: list[BackupInfo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.copies)


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    database: Path
    kept_aside: tuple[Path, ...]     # the previous database (and its -wal/-shm), renamed
    records_behind: int | None = None  # this gate's records the copy lacks (kept in the file aside)


def _is(path: Path, kind: str) -> bool:
    """``is_file``/``is_dir`` for paths a user typed: a name too long or not encodable is simply
    not there (pathlib raises OSError or UnicodeEncodeError for those)."""
    try:
        return Path(path).is_file() if kind == "file" else Path(path).is_dir()
    except (OSError, ValueError):
        return False


def parse_name(path: Path) -> BackupInfo | None:
    m = _NAME.match(Path(path).name)
    if not m:
        return None
    try:
        taken = datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    return BackupInfo(Path(path), m["site"], m["gate"], int(m["seq"]), taken, m["reason"])


# --- where ---------------------------------------------------------------------------------

def second_folder(ctx: GateContext) -> Path | None:
    """The USB stick (setting ``backup_dir``)."""
    value = str(ctx.settings.get("backup_dir") or "").strip()
    return Path(value) if value else None


def backup_folders(ctx: GateContext) -> list[Path]:
    """Where this gate's copies live: the data folder's, then the second folder's."""
    folders = [Path(ctx.data_dir) / BACKUP_SUBDIR]
    second = second_folder(ctx)
    if second is not None:
        folders.append(second / SECOND_SUBDIR)
    return folders


def keep_count(ctx: GateContext) -> int:
    value = ctx.settings.get("backup_keep") or KEEP_RECENT
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return KEEP_RECENT


# --- taking a copy -------------------------------------------------------------------------

def _heads(conn: sqlite3.Connection) -> dict[str, tuple[int, bytes]]:
    return {o: (s, bytes(c)) for o, s, c in conn.execute(
        "SELECT j.origin, j.origin_seq, j.chain_hash FROM journal j JOIN "
        "(SELECT origin, max(origin_seq) AS m FROM journal GROUP BY origin) h "
        "ON h.origin = j.origin AND h.m = j.origin_seq")}


def _open_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection that writes nothing next to a copy (no -wal, no -shm)."""
    wal = Path(f"{path}-wal")
    immutable = "&immutable=1" if not (wal.exists() and wal.stat().st_size) else ""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro{immutable}", uri=True,
                           isolation_level=None, check_same_thread=False)


def check_copy(path: Path, *, expect_heads: dict | None = None, full: bool = False,
               site: str | None = None) -> list[str]:
    """Problems with a backup file (empty when it can be trusted). Writes nothing."""
    path = Path(path)
    if not _is(path, "file"):
        return [_("missing")]
    try:
        conn = _open_ro(path)
    except (OSError, sqlite3.Error) as exc:
        return [str(exc)]
    try:
        # Through SQLite, never open(): the file may be open in this process (see db/folder_lock.py).
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            return [_("not_db")] if "not a database" in str(exc) else [str(exc)]
        if version > migrations.LATEST:
            return [_("too_new", v=version)]
        if full:
            report = verify_database(conn)
            if not report.ok:
                return report.problems[:3]
        else:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check")]
            if rows != ["ok"]:
                return rows[:3]
        try:
            row = conn.execute("SELECT code FROM site WHERE id = 1").fetchone()
            gate = conn.execute("SELECT uid FROM gates WHERE is_local = 1").fetchone()
        except sqlite3.Error:
            return [_("not_db")]
        if row is None or gate is None:
            return [_("no_site")]
        if site is not None and row[0] != site:
            return [_("other_site", site=row[0])]
        if expect_heads is not None and _heads(conn) != expect_heads:
            return [_("heads")]
    except sqlite3.Error as exc:
        return [str(exc)]
    finally:
        conn.close()
    return []


def _copy_database(source: Path, target: Path) -> dict:
    """Copy ``source`` (a live WAL database) into a self-contained rollback-journal file."""
    src = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        src.execute("PRAGMA busy_timeout = 5000")
        dst = sqlite3.connect(target, isolation_level=None)
        try:
            # One step: a single consistent snapshot, while the gate goes on writing (WAL).
            src.execute("BEGIN")
            heads = _heads(src)
            src.backup(dst)
            src.execute("COMMIT")
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    return heads


def _local_head(heads: dict, gate_uid: str) -> int:
    return heads.get(gate_uid, (0, b""))[0]


def _target_name(folder: Path, site: str, gate_uid: str, seq: int, when: datetime, reason: str) -> Path:
    stamp = when.strftime("%Y%m%d-%H%M%S")
    base = f"checkpoint-{site}-{gate_uid[:8]}-s{seq:09d}-{stamp}"
    target = folder / f"{base}-{reason}.sqlite3"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{base}-{n}-{reason}.sqlite3"
    return target


def copy_to(source: Path, folder: Path, *, site: str, gate_uid: str, when: datetime, reason: str,
            full: bool = False) -> BackupInfo:
    """One checked copy of ``source`` in ``folder`` (which must exist). Raises StorageError."""
    folder = Path(folder)
    if not _is(folder, "dir"):
        raise StorageError(_("no_dir", dir=shown(str(folder), 80)), "backup_dir_missing")
    partial = None
    try:
        with _checked_name(folder, site, gate_uid, when, reason) as (partial, finish):
            heads = _copy_database(source, partial)
            problems = check_copy(partial, expect_heads=heads, full=full, site=site)
            if problems:
                raise StorageError(_("bad_copy", why=problems[0]), "backup_check_failed")
            return finish(_local_head(heads, gate_uid))
    except sqlite3.Error as exc:
        raise storage_error(exc, partial or folder) from exc
    except OSError as exc:
        raise StorageError(_("failed", dir=shown(str(folder), 80), why=exc.strerror or exc),
                           "backup_failed") from exc


@contextlib.contextmanager
def _checked_name(folder: Path, site: str, gate_uid: str, when: datetime, reason: str):
    partial = folder / f".checkpoint-{when.strftime('%Y%m%d%H%M%S')}-{os.urandom(4).hex()}.partial"

    def finish(seq: int) -> BackupInfo:
        target = _target_name(folder, site, gate_uid, seq, when, reason)
        os.replace(partial, target)
        info = parse_name(target)
        assert info is not None, target
        return info

    try:
        yield partial, finish
    finally:
        for leftover in (partial, Path(f"{partial}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def auto_backup(ctx: GateContext, reason: str, *, full: bool = False) -> BackupResult:
    """The automatic copies (start, handover, daily): to the data folder and the second folder.

    A system action, not a person's: no permission needed (a guard's handover triggers it).
    Never raises for a folder problem; each one is a warning in the result."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    result = BackupResult()
    when = ctx.now().replace(tzinfo=None)
    local, *others = backup_folders(ctx)
    for folder in [local, *others]:
        if folder is local:
            with contextlib.suppress(OSError):
                folder.mkdir(parents=True, exist_ok=True)
        elif not _is(folder.parent, "dir"):
            result.warnings.append(_("no_second", dir=shown(str(folder.parent), 80)))
            log.warning("backup folder %s is not there", folder.parent)
            continue
        else:
            with contextlib.suppress(OSError):
                folder.mkdir(exist_ok=True)
        try:
            info = copy_to(ctx.db.path, folder, site=ctx.site.code, gate_uid=ctx.gate.uid, when=when,
                           reason=reason, full=full)
        except UserError as err:
            result.warnings.append(_("failed", dir=shown(str(folder), 80), why=err))
            log.warning("backup to %s failed: %s", folder, err)
            continue
        result.copies.append(info)
        log.info("backup %s (%s)", info.path, reason)
        result.removed.extend(rotate(folder, keep=keep_count(ctx), site=ctx.site.code, gate=ctx.gate.uid[:8],
                                     max_age_days=int(ctx.settings.get("retention_days", 0) or 0)))
    return result


def back_up_to(ctx: GateContext, folder: Path, *, full: bool = True) -> BackupInfo:
    """``checkpoint backup --to DIR``: one checked copy in a folder of the user's choice."""
    require(ctx, "backup")
    return copy_to(ctx.db.path, Path(folder), site=ctx.site.code, gate_uid=ctx.gate.uid,
                   when=ctx.now().replace(tzinfo=None), reason="manual", full=full)


def daily_due(ctx: GateContext) -> bool:
    """True when the data folder has no copy from today (by the gate's clock)."""
    today = ctx.now().date().isoformat()
    mine = [b for b in list_backups([backup_folders(ctx)[0]]) if b.gate == ctx.gate.uid[:8]]
    return not any(b.day == today for b in mine)


# --- finding and rotating ------------------------------------------------------------------

def list_backups(folders: list[Path] | tuple[Path, ...]) -> list[BackupInfo]:
    """Every finished copy in ``folders``, newest (by content, then time) first."""
    found = []
    for folder in folders:
        try:
            entries = list(Path(folder).iterdir())
        except OSError:
            continue
        for p in entries:
            info = parse_name(p)
            if info is not None and _is(p, "file"):
                found.append(info)
    return sorted(found, key=lambda b: b.key, reverse=True)


def newest_good_backup(folders: list[Path] | tuple[Path, ...], *, site: str | None = None,
                       gate: str | None = None, full: bool = False) -> BackupInfo | None:
    """The newest copy that passes its check now (a stick can rot): for the one-click restore."""
    for info in list_backups(folders):
        if site is not None and info.site != site:
            continue
        if gate is not None and info.gate != gate[:8]:
            continue
        if not check_copy(info.path, full=full, site=site):
            return info
        log.warning("backup %s failed its check; trying an older one", info.path)
    return None


def rotate(folder: Path, *, keep: int = KEEP_RECENT, keep_days: int = KEEP_DAYS, site: str | None = None,
           gate: str | None = None, max_age_days: int = 0) -> list[Path]:
    """Delete old copies of one gate: keep the ``keep`` newest (by content) and the newest of each
    of the last ``keep_days`` days unless it is older than ``max_age_days`` (the privacy
    retention: a backup should not keep visitors' personal data longer than the database does;
    with few copies, the ``keep`` newest stay whatever their age)."""
    removed = []
    # A copy cut short (power cut, stick pulled) leaves a partial file that never counted.
    for stale in Path(folder).glob(".checkpoint-*.partial*"):
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > STALE_PARTIAL_SECONDS:
                stale.unlink()
                removed.append(stale)
    mine = [b for b in list_backups([folder])
            if (site is None or b.site == site) and (gate is None or b.gate == gate)]
    if not mine:
        return removed
    recent = {b.path for b in mine[:max(1, keep)]}
    days = sorted({b.day for b in mine}, reverse=True)[:keep_days]
    daily = {next(b for b in mine if b.day == day) for day in days}
    if max_age_days:
        # Ages count from the newest copy by content, and only thin out the daily copies: a
        # clock that jumped ahead for one copy must not make the recent ones "old".
        reference = mine[0].taken_at
        daily = {b for b in daily if (reference - b.taken_at).days <= max_age_days}
    keep_set = recent | {b.path for b in daily}
    for b in mine:
        if b.path not in keep_set:
            try:
                b.path.unlink()
                removed.append(b.path)
            except OSError as exc:
                log.warning("could not remove old backup %s: %s", b.path, exc)
    return removed


def anchor_problem(conn: sqlite3.Connection, copy: Path | BackupInfo) -> str | None:
    """Compare a database with a backup of it: every record the copy holds must still be there
    with the same chain hash. This catches what no chain can catch on its own: the newest
    records cut off, or the whole chain recomputed after an edit. None when they agree."""
    path = copy.path if isinstance(copy, BackupInfo) else Path(copy)
    try:
        theirs = _heads_of(path)
    except sqlite3.Error as exc:
        return str(exc)
    for origin, (seq, chain) in theirs.items():
        row = conn.execute("SELECT chain_hash FROM journal WHERE origin = ? AND origin_seq = ?",
                           (origin, seq)).fetchone()
        if row is None:
            return _("anchor_missing", seq=seq, origin=origin[:8], file=path.name)
        if bytes(row[0]) != chain:
            return _("anchor_differs", seq=seq, origin=origin[:8], file=path.name)
    return None


# --- restoring -----------------------------------------------------------------------------

def authorise_with_backup(backup: Path, name: str, secret: str) -> str:
    """Sign on against the users of the backup itself (the current database may be too damaged
    to hold any): returns the role when that user may restore, else PermissionDenied."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        conn = _open_ro(Path(backup))
        try:
            row = conn.execute("SELECT role, disabled, secret_hash FROM users WHERE name = ?",
                               (" ".join(str(name).split()),)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        row = None
    try:
        PasswordHasher().verify((row[2] if row else None) or "$argon2id$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAA",
                                str(secret))
    except (VerificationError, InvalidHashError):
        row = None
    if row is None or row[1] or not allowed(row[0], "backup"):
        raise PermissionDenied(_("wrong"), "wrong_secret")
    return row[0]


def _aside_name(db: Path, when: datetime) -> Path:
    base = db.with_name(f"{db.name}.before-restore-{when.strftime('%Y%m%d-%H%M%S')}")
    target, n = base, 1
    while target.exists():
        n += 1
        target = base.with_name(f"{base.name}-{n}")
    return target


def _identity(path: Path) -> tuple[str, str, int] | None:
    """(site code, local gate uid, its last origin_seq) of a database, or None if unreadable."""
    if not _is(path, "file"):
        return None
    try:
        conn = _open_ro(path)
        try:
            site = conn.execute("SELECT code FROM site WHERE id = 1").fetchone()
            gate = conn.execute("SELECT uid FROM gates WHERE is_local = 1").fetchone()
            if not site or not gate:
                return None
            seq = conn.execute("SELECT max(origin_seq) FROM journal WHERE origin = ?", (gate[0],)).fetchone()[0]
            return site[0], gate[0], seq or 0
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def restore(data_dir: Path, backup: Path, *, now: datetime | None = None, ctx: GateContext | None = None,
            allow_other_gate: bool = False) -> RestoreResult:
    """Put ``backup`` in place of the data folder's database, keeping the current one aside.

    The backup is checked in full (integrity, hashes, chains) before anything moves; the copy
    is made and checked next to the database, then swapped in with one rename. Every connection
    to the current database must be closed first (pass the closed ``ctx`` to check the role).
    A copy of another site or gate is refused while the current file still says who it is."""
    if ctx is not None:
        require(ctx, "backup")
    data_dir = Path(data_dir)
    backup = Path(backup)
    db = paths.db_path(data_dir)
    when = now or datetime.now()
    problems = check_copy(backup, full=True)
    if problems:
        raise StorageError(_("bad_backup", file=shown(backup.name, 80), why=problems[0]), "backup_bad")
    theirs = _identity(backup)
    ours = _identity(db)
    if ours is not None and theirs is not None and ours[:2] != theirs[:2] and not allow_other_gate:
        raise StorageError(_("bad_backup", file=shown(backup.name, 80), why=_("other_site", site=theirs[0])),
                           "backup_other_gate")
    data_dir.mkdir(parents=True, exist_ok=True)
    with folder_lock.exclusive(db):
        _no_other_connection(db)
        return _swap_in(db, backup, when, ours, theirs)


def _no_other_connection(db: Path) -> None:
    """SQLite's word that no program has the file open, not even one that does not know our
    folder lock (a database browser): every connection to a WAL file holds a shared lock on it,
    so an exclusive one is granted only to the last. Closing this connection then folds the WAL
    into the file, as the last connection always does."""
    if not _is(db, "file"):
        return
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=rw", uri=True, isolation_level=None, timeout=1.0)
    except sqlite3.Error:
        return                    # cannot be opened: the folder lock alone has to do
    try:
        # Exclusive locking before the first read: in WAL mode the first write transaction then
        # needs the file's EXCLUSIVE lock, which every other connection's SHARED lock blocks.
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise folder_lock.in_use_error() from exc
    except sqlite3.DatabaseError:
        pass                      # a damaged file: the folder lock alone has to do
    finally:
        conn.close()


def _swap_in(db: Path, backup: Path, when: datetime, ours, theirs) -> RestoreResult:
    incoming = db.with_name(f".{db.name}.restoring")
    moved: list[tuple[Path, Path]] = []
    try:
        for leftover in (incoming, Path(f"{incoming}-journal")):
            leftover.unlink(missing_ok=True)
        src = _open_ro(backup)
        try:
            dst = sqlite3.connect(incoming, isolation_level=None)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        problems = check_copy(incoming, expect_heads=_heads_of(backup))
        if problems:
            raise StorageError(_("restore_failed", why=problems[0]), "restore_failed")
        target = _aside_name(db, when)
        # The main file and its WAL move together, under names SQLite pairs again on opening.
        for suffix in ("", "-wal", "-shm"):
            current = Path(f"{db}{suffix}")
            if current.exists():
                os.replace(current, Path(f"{target}{suffix}"))
                moved.append((current, Path(f"{target}{suffix}")))
        os.replace(incoming, db)
    except sqlite3.Error as exc:
        _put_back(moved)
        raise StorageError(_("restore_failed", why=storage_error(exc, backup)), "restore_failed") from exc
    except OSError as exc:
        _put_back(moved)
        raise StorageError(_("restore_failed", why=exc.strerror or exc), "restore_failed") from exc
    except BaseException:
        _put_back(moved)
        raise
    finally:
        for leftover in (incoming, Path(f"{incoming}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    behind = None
    if ours is not None and theirs is not None and ours[:2] == theirs[:2]:
        behind = max(0, ours[2] - theirs[2])
    log.info("restored %s from %s; the previous file is kept as %s", db, backup, moved[:1])
    return RestoreResult(backup, db, tuple(m[1] for m in moved), behind)


def _heads_of(path: Path) -> dict:
    conn = _open_ro(path)
    try:
        return _heads(conn)
    finally:
        conn.close()


def _put_back(moved: list[tuple[Path, Path]]) -> None:
    """Undo a swap that did not finish: the current files go back where they were."""
    for original, aside in reversed(moved):
        with contextlib.suppress(OSError):
            os.replace(aside, original)


def restore_newest(data_dir: Path, folders: list[Path] | None = None, *, site: str | None = None,
                   gate: str | None = None, **kw) -> RestoreResult:
    """The one-click restore: the newest copy (of this site/gate when given) that passes a full check."""
    data_dir = Path(data_dir)
    folders = folders or [data_dir / BACKUP_SUBDIR]
    best = newest_good_backup(folders, site=site, gate=gate, full=True)
    if best is None:
        raise StorageError(_("bad_backup", file=", ".join(str(f) for f in folders), why=_("missing")),
                           "no_backup")
    return restore(data_dir, best.path, **kw)


__all__ = ["BackupInfo", "BackupResult", "RestoreResult", "auto_backup", "back_up_to", "backup_folders",
           "check_copy", "copy_to", "daily_due", "list_backups", "newest_good_backup", "restore",
           "restore_newest", "rotate", "authorise_with_backup", "second_folder"]
