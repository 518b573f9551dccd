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
from checkpoint_app.domain.checkpoint import Checkpoint, encode_checkpoint
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


def day_folder(data_dir: Path, day: date) -> Path:
    """Where the app files a day's logs."""
    return Path(data_dir) / DAILY_LOGS_SUBDIR / day.isoformat()


def daily_report(ctx: GateContext, day: date, out_dir: Path, *,
                 kinds: tuple[str, ...] | None = None, progress: Progress | None = None) -> list[Path]:
    """Write the signed daily logs of ``day`` (this gate's records) into ``out_dir``; return
    their paths in filing order (summary first).

    Reads on a connection of its own in one snapshot, so it may run off the GUI thread while
    the gate keeps recording; the checkpoint and the tables come from the same snapshot."""
    from checkpoint_app.reports.daily_log import LOG_KINDS, render_log, title

    require(ctx, "print_reports")
    now = ctx.now()
    if day > now.date():
        raise InvalidInput(_("future", day=day.isoformat()), "date_in_future")
    kinds = tuple(kinds or LOG_KINDS)
    for kind in kinds:
        if kind not in LOG_KINDS:
            raise ValueError(f"unknown log kind {kind!r}")
    end = datetime.combine(day, time(23, 59, 59, 999000), tzinfo=now.tzinfo)
    as_of = now if day == now.date() and now < end else None  # the day is not over
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

    out_dir = Path(out_dir)
    who = signed_pdf.author(ctx)
    written = []
    with signed_pdf.writing(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
        for n, kind in enumerate(kinds):
            step(progress, n, len(kinds), title(kind))
            out = out_dir / file_name(day, ctx.site.code, ctx.gate.name, kind)
            with signed_pdf.unsigned_beside(out) as tmp:
                render_log(kind, data, cp, cp_text, tmp, generated_by=who, generated_at=now,
                           as_of=as_of)
                signed_pdf.sign(tmp, out, pki, reason=f"{title(kind)} {day.isoformat()}",
                      location=f"{ctx.site.name} {ctx.gate.name}")
            written.append(out)
    step(progress, len(kinds), len(kinds))
    log.info("daily logs of %s (%d records) written to %s", day, cp.row_count, out_dir)
    return written


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
             progress: Progress | None = None) -> list[Path]:
    """``daily_report`` into the day's folder; a whole set made after the day ended is marked
    complete there (``make_if_missing`` then leaves it)."""
    folder = day_folder(ctx.data_dir, day)
    written = daily_report(ctx, day, folder, kinds=kinds, progress=progress)
    if day < ctx.now().date() and set(kinds or LOG_KINDS) == set(LOG_KINDS):
        (folder / COMPLETE_MARK).write_text(ctx.now().isoformat(timespec="seconds"), encoding="utf-8")
    return written


def file_day_apart(ctx: GateContext, day: date, kinds: tuple[str, ...] | None = None,
                   progress: Progress | None = None) -> list[Path]:
    """``file_day`` in a child process acting for the same person at this moment
    (services/apart.py), for the app: rendering and signing six logs hold the interpreter for
    0.3–0.4 s at a time, which in a thread of the app starves its window (the logs page, the gate's
    scan screen). Within this process a day's folder is made by one at a time (the logs page and
    the upkeep's making of yesterday's wait for each other)."""
    with _one_at_a_time(day_folder(ctx.data_dir, day)):
        return _file_day_apart(ctx, day, kinds, progress)


def _file_day_apart(ctx: GateContext, day: date, kinds: tuple[str, ...] | None,
                    progress: Progress | None) -> list[Path]:
    from checkpoint_app.services import apart

    require(ctx, "print_reports")
    return apart.call_as(ctx, file_day, day, kinds, name="checkpoint-logs", progress=progress)


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


_C = Messages({
    "c.title": ("小区日报汇总", "Compound daily summary"),
    "c.all_gates": ("全部门岗", "all gates"),
    "c.intro": ("本汇总由本机持有的全部门岗记录生成（截至 {cut_off}）。每个门岗一行：出入、拒绝、发热、访客、消毒、"
                "事件，以及该门岗当日记录的核验值（条数、序号范围、链头）。与各门岗自己打印的日志末页核验码对照，"
                "链头相同即记录相同。“最新记录”晚于当天结束，说明该门岗的记录已全部同步到本机。",
                "Made from every gate's records this PC holds (up to {cut_off}). One row per gate: passages, "
                "refusals, fevers, visitors, disinfection, incidents, and the check values of that gate's records "
                "of the day (count, sequence range, chain head). Compare them with the checkpoint on the last page "
                "of the gate's own log: the same chain head means the same records. A \"newest record\" after the "
                "day's end shows that the gate's records have all reached this PC."),
    "c.gate": ("门岗", "Gate"), "c.out": ("出", "Out"), "c.in": ("进", "In"), "c.denied": ("拒绝", "Refused"),
    "c.fever": ("发热", "Fevers"), "c.visitors": ("访客", "Visitors"), "c.rounds": ("消毒", "Rounds"),
    "c.incidents": ("事件（未结）", "Incidents (open)"), "c.records": ("记录 / 序号", "Records / seq"),
    "c.head": ("链头", "Chain head"), "c.newest": ("最新记录", "Newest record"),
    "c.total": ("合计", "Total"), "c.none": ("无", "none"),
})


def compound_summary(ctx: GateContext, day: date, out: Path) -> Path:
    """The daily log of the whole compound (issue 15): every gate's figures of ``day`` from the
    records this PC holds (after a sync or a USB exchange), each with its checkpoint values, in
    one PDF signed with the site's document key (the office's). Read in one snapshot on a
    connection of its own, like :func:`daily_report`."""
    from reportlab.lib.units import mm

    from checkpoint_app.domain.daily import summarise
    from checkpoint_app.reports.page import ReportMeta, build_report, data_table, para, styles

    require(ctx, "print_reports")
    now = ctx.now()
    if day > now.date():
        raise InvalidInput(_("future", day=day.isoformat()), "date_in_future")
    end = datetime.combine(day, time(23, 59, 59, 999000), tzinfo=now.tzinfo)
    cut_off = min(now, end)
    conn = connect(ctx.db.path, readonly=ctx.db.readonly)
    try:
        conn.execute("BEGIN")
        pki = signed_pdf.pki_from(conn, need_key=True)
        rows, total = [], [0] * 8
        for uid, name in conn.execute("SELECT uid, name FROM gates ORDER BY created_at, name").fetchall():
            data = report_repo.read_day(conn, site_code=ctx.site.code, site_name=ctx.site.name, gate_id=uid,
                                        gate_name=name, day=day, cut_off=cut_off,
                                        outing_limit_minutes=ctx.rules.outing_limit_minutes, partial=cut_off < end)
            s = summarise(data)
            cp = summarise_day(conn, uid, day, ctx.site.code)
            newest = conn.execute("SELECT max(at) FROM journal WHERE origin = ?", (uid,)).fetchone()[0]
            figures = [s.out, s.inn, s.denied, s.fever_residents + s.fever_visitors, s.visitors, s.done, s.planned,
                       s.incidents]
            total = [a + b for a, b in zip(total, figures)]
            rows.append([name, *map(str, figures[:5]), f"{s.done}/{s.planned}", f"{s.incidents}（{s.incidents_open}）",
                         f"{cp.row_count} / {cp.first_seq}–{cp.last_seq}" if cp.row_count else _C("c.none"),
                         cp.chain_head[:16] if cp.row_count else "—", (newest or "—")[:16].replace("T", " ")])
        conn.execute("COMMIT")
    finally:
        conn.close()
    rows.append([_C("c.total"), *map(str, total[:5]), f"{total[5]}/{total[6]}", str(total[7]), "", "", ""])
    meta = ReportMeta(site_name=ctx.site.name, gate_name=_C("c.all_gates"), day=day, title=_C("c.title"),
                      generated_by=signed_pdf.author(ctx), generated_at=now,
                      subject=f"{ctx.site.name} {day.isoformat()} {_C('c.title')}",
                      keywords=("Checkpoint", ctx.site.code, day.isoformat(), "compound"),
                      as_of=now if cut_off < end else None)
    header = [_C(k) for k in ("c.gate", "c.out", "c.in", "c.denied", "c.fever", "c.visitors", "c.rounds",
                              "c.incidents", "c.records", "c.head", "c.newest")]
    story = [para(_C("c.intro", cut_off=cut_off.strftime("%Y-%m-%d %H:%M")), styles().body),
             data_table(header, rows, [w * mm for w in (18, 9, 9, 10, 10, 10, 12, 16, 22, 34, 26)], wrap=(0,))]
    out = Path(out)
    with signed_pdf.writing(out.parent), signed_pdf.unsigned_beside(out) as tmp:
        build_report(tmp, meta, story)
        signed_pdf.sign(tmp, out, pki, reason=f"{_C('c.title')} {day.isoformat()}", location=ctx.site.name)
    return out
