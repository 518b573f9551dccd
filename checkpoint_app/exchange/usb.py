"""The exchange written to a file, for a USB stick when there is no network (DESIGN §8).

A small SQLite file: ``manifest`` (site identity, the writing gate, when), ``ranges`` (per origin:
first and last seq and the chain hash of the last) and ``records`` (the records as they travel,
see merge.py). Written beside the target and renamed into place, so a pulled stick never holds
half a file. Importing applies everything in one transaction; importing twice changes nothing;
a file from another site is refused before anything is read into the database.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from checkpoint_app.errors import InvalidInput, StorageError
from checkpoint_app.exchange import merge
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext

_ = Messages({
    "not_file": ("不是门岗通交换文件：{file}", "Not a Checkpoint exchange file: {file}"),
    "other_site": ("交换文件属于另一个小区（{theirs}），本机是 {ours}，未导入任何记录。",
                   "The exchange file belongs to another site ({theirs}); this is {ours}. Nothing was imported."),
    "broken": ("交换文件已损坏或不完整（可能未写完就拔出了 U 盘）：{file}，未导入任何记录。",
               "The exchange file is damaged or incomplete (the USB stick may have been pulled before it was "
               "written): {file}. Nothing was imported."),
    "cannot_write": ("无法写入交换文件 {file}：{why}", "Cannot write the exchange file {file}: {why}"),
    "same_code": ("交换文件属于另一个同编号（{code}）的小区，不是本小区的（密钥不同），未导入任何记录。",
                  "The exchange file belongs to another site with the same code ({code}), not to this one (its keys "
                  "differ). Nothing was imported."),
    "damaged": ("交换文件不完整或被改动（门岗 {origin} 的范围与记录不符），未导入任何记录。",
                "The exchange file is incomplete or altered (gate {origin}: range and records disagree). "
                "Nothing was imported."),
})

FORMAT = "checkpoint-exchange-1"
USB_PEER = "usb"


@dataclass
class Exported:
    path: Path
    records: int
    ranges: dict[str, tuple[int, int]]


def export_file(ctx: GateContext, out: Path, *, since_last: bool = False) -> Exported:
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    try:
        tmp.unlink(missing_ok=True)
        ranges = _write(ctx, tmp, since_last=since_last)
        with open(tmp, "rb+") as fh:  # our own fresh file, no connection open on it any more
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except (OSError, sqlite3.OperationalError) as exc:   # the stick pulled or full, a folder not writable
        _remove(tmp)
        raise StorageError(_("cannot_write", file=out, why=getattr(exc, "strerror", None) or exc),
                           "exchange_file_write") from exc
    except BaseException:
        _remove(tmp)
        raise
    with ctx.db.write() as conn:
        conn.executemany("INSERT INTO exchange_sent (peer, origin, last_seq) VALUES (?, ?, ?) "
                         "ON CONFLICT (peer, origin) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)",
                         [(USB_PEER, o, r[1]) for o, r in ranges.items()])
    return Exported(out, sum(r[1] - r[0] + 1 for r in ranges.values()),
                    {o: (r[0], r[1]) for o, r in ranges.items()})


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _write(ctx: GateContext, tmp: Path, *, since_last: bool) -> dict[str, tuple[int, int, bytes]]:
    """The file at ``tmp``, whole; per origin (first seq, last seq, chain hash of the last)."""
    f = sqlite3.connect(tmp, isolation_level=None)
    ranges: dict[str, tuple[int, int, bytes]] = {}
    try:
        f.execute("CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        f.execute("CREATE TABLE ranges (origin TEXT PRIMARY KEY, first_seq INTEGER NOT NULL, "
                  "last_seq INTEGER NOT NULL, chain_head BLOB NOT NULL)")
        f.execute("CREATE TABLE records (origin TEXT NOT NULL, origin_seq INTEGER NOT NULL, canonical BLOB NOT NULL, "
                  "row_hash BLOB NOT NULL, chain_hash BLOB NOT NULL, PRIMARY KEY (origin, origin_seq))")
        f.execute("BEGIN")
        with ctx.db.read() as conn:
            marks = dict(conn.execute("SELECT origin, last_seq FROM exchange_sent WHERE peer = ?",
                                      (USB_PEER,)).fetchall()) if since_last else {}
            for batch in merge.iter_all_above(conn, marks):
                f.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?)",
                              [(w.origin, w.seq, w.canonical, w.row_hash, w.chain_hash) for w in batch])
                first = ranges.get(batch[0].origin, (batch[0].seq,))[0]
                ranges[batch[0].origin] = (first, batch[-1].seq, batch[-1].chain_hash)
            identity = merge.site_identity(conn)
        f.executemany("INSERT INTO ranges VALUES (?, ?, ?, ?)", [(o, *r) for o, r in ranges.items()])
        f.executemany("INSERT INTO manifest VALUES (?, ?)", [
            ("format", FORMAT), ("site", identity), ("from_gate", ctx.gate.uid),
            ("written_at", ctx.now().isoformat(timespec="seconds"))])
        f.execute("COMMIT")
    finally:
        f.close()
    return ranges


def import_file(ctx: GateContext, path: Path) -> merge.ApplyResult:
    path = Path(path)
    try:
        f = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        manifest = dict(f.execute("SELECT key, value FROM manifest"))
    except sqlite3.DatabaseError as exc:
        if path.is_file() and _looks_like_sqlite(path):   # a file of ours cut short
            raise InvalidInput(_("broken", file=path), "exchange_file_broken") from None
        raise InvalidInput(_("not_file", file=path), "not_exchange_file") from exc
    try:
        if manifest.get("format") != FORMAT:
            raise InvalidInput(_("not_file", file=path), "not_exchange_file")
        with ctx.db.read() as conn:
            ours = merge.site_identity(conn)
        if manifest.get("site") != ours:
            theirs = str(manifest.get("site", "?")).split(":")[0]
            if theirs == ours.split(":")[0]:
                raise InvalidInput(_("same_code", code=theirs), "other_site")
            raise InvalidInput(_("other_site", theirs=theirs, ours=ours.split(":")[0]), "other_site")
        try:
            _check_ranges(f)
        except sqlite3.DatabaseError:
            raise InvalidInput(_("broken", file=path), "exchange_file_broken") from None
        with ctx.db.write() as conn:
            result = merge.apply(conn, _wires(f, path), source=f"file:{path.name}",
                                 at=ctx.now().isoformat(timespec="seconds"))
    finally:
        f.close()
    ctx.reload()
    return result


def _looks_like_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _check_ranges(f: sqlite3.Connection) -> None:
    """Each origin's range in the manifest is there whole, up to the chain hash of its last."""
    for origin, first, last, head in f.execute("SELECT origin, first_seq, last_seq, chain_head FROM ranges").fetchall():
        n, top = f.execute("SELECT COUNT(*), MAX(origin_seq) FROM records WHERE origin = ? "
                           "AND origin_seq BETWEEN ? AND ?", (origin, first, last)).fetchone()
        got = f.execute("SELECT chain_hash FROM records WHERE origin = ? AND origin_seq = ?",
                        (origin, last)).fetchone()
        if n != last - first + 1 or top != last or got is None or bytes(got[0]) != bytes(head):
            raise InvalidInput(_("damaged", origin=origin[:8]), "exchange_file_damaged")


def _wires(f: sqlite3.Connection, path: Path):
    """The file's records as they travel; a page of the file that cannot be read (a truncated or
    damaged file) is a refusal, and the import's one transaction is rolled back."""
    try:
        for o, s, c, r, h in f.execute("SELECT origin, origin_seq, canonical, row_hash, chain_hash FROM records "
                                       "ORDER BY origin, origin_seq"):
            yield merge.Wire(o, s, bytes(c), bytes(r), bytes(h))
    except sqlite3.DatabaseError:
        raise InvalidInput(_("broken", file=path), "exchange_file_broken") from None
