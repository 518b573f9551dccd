"""The signed daily logs of a gate's day (``checkpoint report daily``).

``daily_report(ctx, day, out_dir)`` writes one signed PDF per log of the day (see
:data:`checkpoint_app.reports.daily_log.LOG_KINDS`), each complete on its own: the checkpoint
of the gate's day is printed as a QR on its last page and written into its document
information (``/CheckpointCode``), and the PAdES signature covers both. Today's logs printed
before the day ends cover the records up to that moment and say so on every page ("截至
HH:MM"; ``/CheckpointAsOf`` in the document information): no end-of-day facts in them. The
end-of-day log is the complete one.

File names: ``2026-11-28_HXY01_南门_passages.pdf``. The gate's own name stays (offices file by
it; NTFS, exFAT and FAT32 long names on USB sticks all store Unicode), with the characters
Windows forbids in names replaced; the kind of log is ASCII so that the set sorts and scripts
can pick one.

The app files each day's logs in ``<data folder>/daily-logs/YYYY-MM-DD/`` (``day_folder``); at
the first start after midnight the upkeep makes yesterday's there unasked (``make_if_missing``,
ui/shared/upkeep.py) and the status bar says where. The app makes them in a child process
(``file_day_apart``, services/apart.py) so that its window is never starved meanwhile.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
import threading
import unicodedata
from datetime import date, datetime, time, timedelta
from pathlib import Path

from checkpoint_app.db import report_repo
from checkpoint_app.db.connection import connect
from checkpoint_app.domain import record_kinds
from checkpoint_app.domain.checkpoint import Checkpoint, GateDay, encode_checkpoint
from checkpoint_app.errors import InvalidInput, PermissionDenied
from checkpoint_app.i18n import Messages
from checkpoint_app.services import signed_pdf
from checkpoint_app.services.checkpoints import summarise_day
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require
from checkpoint_app.services.progress import Progress, step

log = logging.getLogger(__name__)

_ = Messages({
    "future": ("{day} 还没到，不能打印这一天的日志。", "{day} has not come yet: there is no log to print."),
    "no_gate_key": ("本门岗没有核验码签名密钥，不能生成日志。",
                    "This gate has no checkpoint key and cannot make daily logs."),
})


_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]|\s')


def file_name(day: date, site_code: str, gate_name: str, kind: str) -> str:
    """``2026-11-28_HXY01_南门_passages.pdf``; characters Windows forbids become ``_``."""
    gate = _FORBIDDEN.sub("_", unicodedata.normalize("NFC", gate_name)).strip("._ ")[:40]
    return f"{day.isoformat()}_{site_code}_{gate or 'gate'}_{kind}.pdf"


# reports.daily_log.LOG_KINDS without importing reportlab (the app's window and upkeep name them):
# the summary, then each log in the order its kinds are declared
LOG_KINDS = ("summary", *dict.fromkeys(record_kinds.LOG_OF_KIND.values()))
DAILY_LOGS_SUBDIR = "daily-logs"
COMPLETE_MARK = ".complete"      # in a folder: the whole set was written after its day ended


COMPOUND_SUBDIR = "compound"     # in a day's folder: the whole compound's logs (compound_logs)


def day_folder(data_dir: Path, day: date, compound: bool = False) -> Path:
    """Where the app files a day's logs (``compound``: the whole compound's)."""
    folder = Path(data_dir) / DAILY_LOGS_SUBDIR / day.isoformat()
    return folder / COMPOUND_SUBDIR if compound else folder


def daily_report(ctx: GateContext, day: date, out_dir: Path, *,
                 kinds: tuple[str, ...] | None = None, progress: Progress | None = None) -> list[Path]:
    """Write the signed daily logs of ``day`` (this gate's records) into ``out_dir``; return
    their paths in filing order (summary first).

    Reads on a connection of its own in one snapshot, so it may run off the GUI thread while
    the gate keeps recording; the checkpoint and the tables come from the same snapshot."""
    from checkpoint_app.reports.daily_log import render_log

    now, kinds, end, as_of = _day_bounds(ctx, day, kinds)
    cut_off = as_of or end

    conn = connect(ctx.db.path, readonly=ctx.db.readonly)
    try:
        conn.execute("BEGIN")
        pki = signed_pdf.pki_from(conn, need_key=True)
        cp, cp_text = make_checkpoint(conn, ctx, day)
        data = report_repo.read_day(
            conn, site_code=ctx.site.code, site_name=ctx.site.name, gate_id=ctx.gate.uid,
            gate_name=ctx.gate.name, day=day, cut_off=cut_off,
            outing_limit_minutes=ctx.rules.outing_limit_minutes, partial=as_of is not None)
        conn.execute("COMMIT")
    finally:
        conn.close()

    who = signed_pdf.author(ctx)
    written = _write(ctx, day, out_dir, kinds, progress, ctx.gate.name, f"{ctx.site.name} {ctx.gate.name}", pki,
                     lambda kind, tmp: render_log(kind, data, cp, cp_text, tmp, generated_by=who,
                                                  generated_at=now, as_of=as_of))
    log.info("daily logs of %s (%d records) written to %s", day, cp.row_count, out_dir)
    return written


def _write(ctx: GateContext, day: date, out_dir: Path, kinds: tuple[str, ...], progress: Progress | None,
           name: str, location: str, pki, render) -> list[Path]:
    """Each log of ``kinds`` rendered (``render(kind, path)``) and signed into ``out_dir``."""
    from checkpoint_app.reports.daily_log import title

    out_dir = Path(out_dir)
    written = []
    with signed_pdf.writing(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
        for n, kind in enumerate(kinds):
            step(progress, n, len(kinds), title(kind))
            out = out_dir / file_name(day, ctx.site.code, name, kind)
            with signed_pdf.unsigned_beside(out) as tmp:
                render(kind, tmp)
                signed_pdf.sign(tmp, out, pki, reason=f"{title(kind)} {day.isoformat()}", location=location)
            written.append(out)
    step(progress, len(kinds), len(kinds))
    return written


def _day_bounds(ctx: GateContext, day: date, kinds: tuple[str, ...] | None):
    """(now, kinds, the day's end, the moment covered when the day is not over) after the checks
    every set of logs makes."""
    from checkpoint_app.reports.daily_log import LOG_KINDS

    require(ctx, "print_reports")
    now = ctx.now()
    if day > now.date():
        raise InvalidInput(_("future", day=day.isoformat()), "date_in_future")
    kinds = tuple(kinds or LOG_KINDS)
    for kind in kinds:
        if kind not in LOG_KINDS:
            raise ValueError(f"unknown log kind {kind!r}")
    end = datetime.combine(day, time(23, 59, 59, 999000), tzinfo=now.tzinfo)
    return now, kinds, end, (now if day == now.date() and now < end else None)


def make_if_missing(ctx: GateContext, day: date, progress: Progress | None = None) -> list[Path] | None:
    """``day``'s logs into its folder, in a child process (``file_day_apart``), unless the whole
    set made after the day ended is there already (logs printed during the day are partial and
    are made again), or the gate did not exist yet that day (its first record is later): the
    written files, or None."""
    folder = day_folder(ctx.data_dir, day)
    with _one_at_a_time(folder):
        if _complete(ctx, day):
            return None
        with ctx.db.read() as conn:
            first = conn.execute("SELECT at FROM journal WHERE origin = ? ORDER BY origin_seq LIMIT 1",
                                 (ctx.gate.uid,)).fetchone()
        if first is None or first[0] >= (day + timedelta(days=1)).isoformat():
            return None
        return _file_day_apart(ctx, day, None, progress)


def _complete(ctx: GateContext, day: date) -> bool:
    folder = day_folder(ctx.data_dir, day)
    return (folder / COMPLETE_MARK).exists() and all(
        (folder / file_name(day, ctx.site.code, ctx.gate.name, k)).exists() for k in LOG_KINDS)


def file_day(ctx: GateContext, day: date, kinds: tuple[str, ...] | None = None,
             progress: Progress | None = None, *, compound: bool = False) -> list[Path]:
    """``daily_report`` into the day's folder; a whole set made after the day ended is marked
    complete there (``make_if_missing`` then leaves it). ``compound``: ``compound_logs`` into its
    sub-folder (made again each time: more of the gates' records may have arrived)."""
    folder = day_folder(ctx.data_dir, day, compound)
    written = (compound_logs if compound else daily_report)(ctx, day, folder, kinds=kinds, progress=progress)
    if not compound and day < ctx.now().date() and set(kinds or LOG_KINDS) == set(LOG_KINDS):
        (folder / COMPLETE_MARK).write_text(ctx.now().isoformat(timespec="seconds"), encoding="utf-8")
    return written


def file_day_apart(ctx: GateContext, day: date, kinds: tuple[str, ...] | None = None,
                   progress: Progress | None = None, *, compound: bool = False) -> list[Path]:
    """``file_day`` in a child process acting for the same person at this moment
    (services/apart.py), for the app: rendering and signing six logs hold the interpreter for
    0.3–0.4 s at a time, which in a thread of the app starves its window (the logs page, the gate's
    scan screen). Within this process a day's folder is made by one at a time (the logs page and
    the upkeep's making of yesterday's wait for each other)."""
    with _one_at_a_time(day_folder(ctx.data_dir, day, compound)):
        return _file_day_apart(ctx, day, kinds, progress, compound)


def _file_day_apart(ctx: GateContext, day: date, kinds: tuple[str, ...] | None,
                    progress: Progress | None, compound: bool = False) -> list[Path]:
    import functools

    from checkpoint_app.services import apart

    require(ctx, "print_reports")
    return apart.call_as(ctx, functools.partial(file_day, compound=compound), day, kinds, name="checkpoint-logs",
                         progress=progress)


_making: dict[Path, threading.Lock] = {}
_making_guard = threading.Lock()


@contextlib.contextmanager
def _one_at_a_time(folder: Path):
    with _making_guard:
        lock = _making.setdefault(Path(folder).resolve(), threading.Lock())
    with lock:
        yield


def make_checkpoint(conn: sqlite3.Connection, ctx: GateContext, day: date) -> tuple[Checkpoint, str]:
    """services.checkpoints.make_checkpoint on the caller's connection (same snapshot)."""
    cp = summarise_day(conn, ctx.gate.uid, day, ctx.site.code)
    row = conn.execute("SELECT private_key FROM gates WHERE uid = ?", (ctx.gate.uid,)).fetchone()
    if not row or row[0] is None:
        raise PermissionDenied(_("no_gate_key"), "no_gate_key")
    return cp, encode_checkpoint(cp, bytes(row[0]))


#: In the file names of the compound's logs, where a gate's own name stands.
COMPOUND = "全小区"

_C = Messages({"c.name": ("全小区", "whole compound")})


def compound_gates(ctx: GateContext) -> list[tuple[str, str]]:
    """The gates (uid, name) this PC holds records of, besides its own (empty: nothing to make a
    compound's log of). The office logs page offers "whole compound" when there are any."""
    with ctx.db.read() as conn:
        return conn.execute("SELECT g.uid, g.name FROM gates g WHERE g.uid != ? AND EXISTS "
                            "(SELECT 1 FROM journal j WHERE j.origin = g.uid) ORDER BY g.created_at, g.name",
                            (ctx.gate.uid,)).fetchall()


def _made_after(created_at: str, end: datetime) -> bool:
    try:
        made = datetime.fromisoformat(created_at)
    except (TypeError, ValueError):
        return False
    return (made if made.tzinfo else made.replace(tzinfo=end.tzinfo)) > end


def compound_logs(ctx: GateContext, day: date, out_dir: Path, *, kinds: tuple[str, ...] | None = None,
                  progress: Progress | None = None) -> list[Path]:
    """The daily logs of the whole compound (issue 15): one signed PDF per log of :data:`LOG_KINDS`
    with every gate's rows of ``day`` that this PC holds (after a sync or a USB exchange), a gate
    column, and at the end each gate's checkpoint values (see ``domain.checkpoint.GateDay``),
    signed with the site's document key (the office's). Every gate of the site is listed, also
    one whose records have not reached this PC: "may be short". Read in one snapshot on a
    connection of its own, like :func:`daily_report`."""
    from checkpoint_app.reports.daily_log import render_compound_log

    now, kinds, end, as_of = _day_bounds(ctx, day, kinds)
    cut_off = as_of or end
    conn = connect(ctx.db.path, readonly=ctx.db.readonly)
    try:
        conn.execute("BEGIN")
        pki = signed_pdf.pki_from(conn, need_key=True)
        rows = conn.execute("SELECT uid, name, created_at FROM gates ORDER BY created_at, name").fetchall()
        after = (day + timedelta(days=1)).isoformat()
        days, gates = [], []
        for uid, name, created in rows:
            cp = summarise_day(conn, uid, day, ctx.site.code)
            if not cp.row_count and _made_after(created, end):
                continue   # a gate that joined after the day: it had no day to be short of
            gates.append((uid, name))
            newest = conn.execute("SELECT max(at) FROM journal WHERE origin = ?", (uid,)).fetchone()[0]
            held_all = uid == ctx.gate.uid or (newest is not None and newest >= after)   # its own: all
            days.append(GateDay(name, cp, held_all, newest))
        data = report_repo.read_compound_day(
            conn, site_code=ctx.site.code, site_name=ctx.site.name, compound_name=_C("c.name"), gates=gates,
            day=day, cut_off=cut_off, outing_limit_minutes=ctx.rules.outing_limit_minutes,
            partial=as_of is not None)
        conn.execute("COMMIT")
    finally:
        conn.close()
    who = signed_pdf.author(ctx)
    written = _write(ctx, day, out_dir, kinds, progress, COMPOUND, ctx.site.name, pki,
                     lambda kind, tmp: render_compound_log(kind, data, days, tmp, generated_by=who,
                                                           generated_at=now, as_of=as_of))
    short = [g.name for g in days if not g.complete]
    log.info("compound logs of %s (%d gates, may be short: %s) written to %s", day, len(days), short, out_dir)
    return written
