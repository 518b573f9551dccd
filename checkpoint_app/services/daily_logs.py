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
from dataclasses import dataclass, replace
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
    "before_gate": ("{day} 本门岗（{gate}）还没有设立（{since} 才设立），没有这一天的日志。",
                    "On {day} this gate ({gate}) did not exist yet (it was set up on {since}): there is no log "
                    "of that day."),
    "before_site": ("{day} 本小区还没有在门岗通中建立（{since} 才建立），没有这一天的日志。",
                    "On {day} the site was not set up in Checkpoint yet (it was set up on {since}): there is no "
                    "log of that day."),
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
        _refuse_before_it_existed(ctx, day, conn=conn)
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


def first_day(ctx: GateContext, *, compound: bool = False) -> date:
    """The first day there can be logs of: the day this gate (``compound``: the site) was set up,
    or the day of its first record if that is earlier (records made before a data folder was set
    up again, or a demo's). Where it is kept: ``gates.created_at`` (a joined gate: when its join
    file was issued) and ``site.created_at``. Index probes only."""
    with ctx.db.read() as conn:
        return _first_day(conn, ctx, compound)


def _first_day(conn: sqlite3.Connection, ctx: GateContext, compound: bool) -> date:
    if compound:
        gates = [r[0] for r in conn.execute("SELECT uid FROM gates")]
        since = [ctx.site.created_at, *(r[0] for r in conn.execute("SELECT created_at FROM gates"))]
    else:
        gates = [ctx.gate.uid]
        since = [r[0] for r in conn.execute("SELECT created_at FROM gates WHERE uid = ?", (ctx.gate.uid,))]
    for uid in gates:
        first = conn.execute("SELECT at FROM journal WHERE origin = ? ORDER BY origin_seq LIMIT 1",
                             (uid,)).fetchone()
        since += [first[0]] if first else []
    return date.fromisoformat(min(x[:10] for x in since if x))


def _refuse_before_it_existed(ctx: GateContext, day: date, compound: bool = False,
                              conn: sqlite3.Connection | None = None) -> None:
    """A day before the gate (the site) existed has no records: its logs would be empty, yet verify
    as authentic. Refused here, so the CLI, the logs page and the upkeep say the same. ``conn``: the
    caller's own connection (a report made off the thread that holds ``ctx``'s)."""
    since = _first_day(conn, ctx, compound) if conn is not None else first_day(ctx, compound=compound)
    if day < since:
        if compound:
            raise InvalidInput(_("before_site", day=day.isoformat(), since=since.isoformat()), "before_site")
        raise InvalidInput(_("before_gate", day=day.isoformat(), gate=ctx.gate.name, since=since.isoformat()),
                           "before_gate")


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
    sub-folder (made again each time it is asked: more of the gates' records may have arrived; one
    made after the day ended is marked there, and the upkeep then never makes that day's unasked)."""
    folder = day_folder(ctx.data_dir, day, compound)
    written = (compound_logs if compound else daily_report)(ctx, day, folder, kinds=kinds, progress=progress)
    if compound and day < ctx.now().date():        # an end-of-day log of the compound: never made unasked again
        with (folder / COMPOUND_MADE_MARK).open("a", encoding="utf-8") as mark:
            mark.writelines(f"{ctx.now().isoformat(timespec='seconds')} {kind}\n" for kind in (kinds or LOG_KINDS))
    elif not compound and day < ctx.now().date() and set(kinds or LOG_KINDS) == set(LOG_KINDS):
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
    _refuse_before_it_existed(ctx, day, compound)     # said at once, without a child process
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
        _refuse_before_it_existed(ctx, day, compound=True, conn=conn)
        pki = signed_pdf.pki_from(conn, need_key=True)
        reach = gates_reach(conn, ctx.gate.uid, day)     # the gates of the site that day
        gates = [(g.uid, g.name) for g in reach]
        days = [GateDay(g.name, summarise_day(conn, g.uid, day, ctx.site.code), g.complete, g.newest) for g in reach]
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


# -- the whole compound's logs, made unasked once every gate's day has arrived ---------------------

#: A day's compound logs wait this many days after the day ended for every gate's records; then
#: they are made as they are, the gates still missing marked "may be short" in them.
COMPOUND_WAIT_DAYS = 3
#: How far back the upkeep looks for a day whose compound logs are not made (a PC switched off over
#: a long weekend still files them); older days are made by hand.
COMPOUND_LOOKBACK_DAYS = 7
#: In a compound folder: an end-of-day log of the whole compound is there (made by hand or unasked,
#: the kinds on its lines). It is never made unasked again: a second, different signed log of the
#: same day would stand beside the first at the auditor's.
COMPOUND_MADE_MARK = ".made"

_W = Messages({
    "c.waiting": ("全小区 {day} 的日志等待{gates}的记录同步到本机后自动生成，最迟 {last} 生成（注明可能不全）。",
                  "The whole compound's logs of {day} are made once the records of {gates} reach this PC; "
                  "on {last} at the latest (then marked as possibly short)."),
    "c.short_now": ("{gates}在 {day} 的记录尚未全部同步到本机：现在生成的全小区日志注明可能不全。",
                    "Not all records of {day} from {gates} have reached this PC: the whole compound's logs "
                    "made now say they may be short."),
    "c.made": ("已自动生成全小区 {day} 的日志：{folder}", "The whole compound's logs of {day} made: {folder}"),
    "c.made_short": ("已生成全小区 {day} 的日志，{gates}的记录 {n} 天内未同步到本机，日志注明可能不全：{folder}",
                     "The whole compound's logs of {day} made without all records of {gates}, which did not "
                     "reach this PC within {n} days (the logs say they may be short): {folder}"),
    "c.and": ("、", ", "),
})


@dataclass(frozen=True)
class GateReach:
    """How far one gate's records have reached this PC, for a day: ``complete`` when all of the
    day's are here (this PC's own gate; a gate with a record after the day, whose chain this PC
    holds without a gap up to it)."""
    uid: str
    name: str
    complete: bool
    newest: str | None        # ISO time of its newest record held here


def gates_reach(conn: sqlite3.Connection, own_uid: str, day: date) -> list[GateReach]:
    """Every gate of the site on ``day`` (in the order the compound's logs list them; a gate that
    joined later is none of them) and whether this PC holds all its records of the day: an index
    probe per gate (``journal(origin, at)``)."""
    after = (day + timedelta(days=1)).isoformat()
    reach = []
    for uid, name, created in conn.execute("SELECT uid, name, created_at FROM gates WHERE created_at < ? "
                                           "OR uid = ? ORDER BY created_at, name", (after, own_uid)):
        newest = conn.execute("SELECT max(at) FROM journal WHERE origin = ?", (uid,)).fetchone()[0]
        reach.append(GateReach(uid, name, uid == own_uid or (newest is not None and newest >= after), newest))
    return reach


def gates_missing(ctx: GateContext, day: date) -> list[str]:
    """The names of the gates whose records of ``day`` have not all reached this PC (cheap: the
    logs page asks it on the GUI thread)."""
    with ctx.db.read() as conn:
        return [g.name for g in gates_reach(conn, ctx.gate.uid, day) if not g.complete]


def gate_list(names: list[str]) -> str:
    return _W("c.and").join(names)


@dataclass(frozen=True)
class CompoundDay:
    """A past day whose whole compound's logs are not made yet: ``missing`` are the gates waited
    for; ``made`` the folder when they were just made (short: ``missing`` is then who is short)."""
    day: date
    missing: tuple[str, ...]
    made: Path | None = None

    @property
    def last(self) -> date:
        """The day they are made at the latest, whatever has arrived."""
        return self.day + timedelta(days=1 + COMPOUND_WAIT_DAYS)

    def sentence(self) -> str:
        if self.made is None:
            return _W("c.waiting", day=self.day.isoformat(), gates=gate_list(list(self.missing)),
                      last=self.last.isoformat())
        if self.missing:
            return _W("c.made_short", day=self.day.isoformat(), gates=gate_list(list(self.missing)),
                      n=COMPOUND_WAIT_DAYS, folder=self.made)
        return _W("c.made", day=self.day.isoformat(), folder=self.made)


def short_now(day: date, missing: list[str]) -> str:
    """What a by-hand compound log of ``day`` made now lacks (the CLI, the logs page)."""
    return _W("c.short_now", day=day.isoformat(), gates=gate_list(missing))


def compound_made(data_dir: Path, day: date) -> bool:
    """An end-of-day log of the whole compound of ``day`` is filed already (its mark is there)."""
    return (day_folder(data_dir, day, compound=True) / COMPOUND_MADE_MARK).exists()


def _filed_before_the_mark(folder: Path) -> list[str]:
    """The kinds of the end-of-day logs in a compound folder filed without the mark (by the version
    before it): a log without ``/CheckpointAsOf`` was made after its day ended."""
    from checkpoint_app.services.verification import read_embedded

    kinds = []
    for pdf in sorted(folder.glob("*.pdf")) if folder.is_dir() else []:
        try:
            _cp, kind, as_of = read_embedded(pdf)
        except Exception:  # unreadable: not ours to judge here (verify says what it is)
            continue
        if kind and as_of is None:
            kinds.append(kind)
    return kinds


def compound_days_due(ctx: GateContext) -> list[CompoundDay]:
    """The past days (oldest first, within :data:`COMPOUND_LOOKBACK_DAYS`) whose compound logs
    are not filed yet, on the PC that issues passes if it holds other gates' records and can sign, with the gates still
    missing; a day before any other gate joined is none of them. Cheap: index probes per gate and day."""
    from checkpoint_app.db import site_repo

    today = ctx.now().date()
    due = []
    with ctx.db.read() as conn:
        pki = site_repo.get_pki(conn)
        # one PC a site makes them unasked: the one that issues passes (the office); a joined gate,
        # even one that signs its own logs and pulls every gate's records from the hub, leaves them
        # to it (no second compound log a day, no waiting sentence on a guard's status bar)
        if pki is None or not pki[2] or site_repo.signing_key(conn) is None:
            return []
        # per gate an index probe (``origin != ?`` on the journal would walk this gate's own records)
        if not conn.execute("SELECT 1 FROM gates g WHERE g.uid != ? AND EXISTS "
                            "(SELECT 1 FROM journal j WHERE j.origin = g.uid)", (ctx.gate.uid,)).fetchone():
            return []
        joined = conn.execute("SELECT min(created_at) FROM gates WHERE uid != ?", (ctx.gate.uid,)).fetchone()[0]
        for back in range(COMPOUND_LOOKBACK_DAYS, 0, -1):
            day = today - timedelta(days=back)
            if joined is None or joined >= (day + timedelta(days=1)).isoformat() or compound_made(ctx.data_dir, day):
                continue
            folder = day_folder(ctx.data_dir, day, compound=True)
            if kinds := _filed_before_the_mark(folder):    # marked now: read once, never made again
                (folder / COMPOUND_MADE_MARK).write_text(
                    "".join(f"{ctx.now().isoformat(timespec='seconds')} {k} (found)\n" for k in kinds), encoding="utf-8")
                continue
            due.append(CompoundDay(day, tuple(g.name for g in gates_reach(conn, ctx.gate.uid, day)
                                              if not g.complete)))
    return due


def make_compound_when_complete(ctx: GateContext, progress: Progress | None = None) -> list[CompoundDay]:
    """The upkeep's part (start and hourly): each past day whose compound logs are not filed is
    made into its folder, in a child process, once every gate's records of it are here, or as it
    is (marked short) once :data:`COMPOUND_WAIT_DAYS` have passed; never a second time. Returns
    the days made (``made`` set) and the days still waiting."""
    today = ctx.now().date()
    result = []
    for due in compound_days_due(ctx):
        if progress is not None:
            progress.check()
        if due.missing and today < due.last:
            result.append(due)
            continue
        folder = day_folder(ctx.data_dir, due.day, compound=True)
        with _one_at_a_time(folder):
            if compound_made(ctx.data_dir, due.day):     # the logs page made it meanwhile
                continue
            _file_day_apart(ctx, due.day, None, progress, compound=True)
        log.info("compound logs of %s made unasked (short: %s)", due.day, list(due.missing))
        result.append(replace(due, made=folder))
    return result
