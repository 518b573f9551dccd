"""The office's statistics over a date range, per day: passages, fevers, refusals, visitors,
returnees, disinfection rounds done against planned — for the logs page's chart and for
``checkpoint report stats --from --to [--out X.xlsx]``; and the .xlsx export (one sheet of these
figures, then one sheet per kind of record in the range).

Counts are site-wide (records of every gate of the site that reached this file), voided records
left out. Each figure is a ``Counter`` in ``COUNTERS``: a new kind of record (returnees, issue 16)
adds or replaces one entry; ``returnees`` counts from the first table of ``RETURNEE_TABLES``
that exists, 0 until one does.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from checkpoint_app.db import current, report_repo
from checkpoint_app.domain import record_kinds
from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require
from checkpoint_app.services.progress import Progress, step

_ = Messages({
    "range": ("起止日期有误：开始 {start} 晚于结束 {end}。", "The range is wrong: {start} is after {end}."),
    "too_long": ("一次最多统计 {n} 天。", "At most {n} days at a time."),
    "day": ("日期", "Date"), "passages": ("出入", "Passages"), "fevers": ("发热", "Fevers"),
    "refusals": ("拒绝", "Refusals"), "visitors": ("访客", "Visitors"), "returnees": ("返乡人员", "Returnees"),
    "rounds_done": ("消毒完成", "Rounds done"), "rounds_planned": ("消毒计划", "Rounds planned"),
    "stats_sheet": ("每日统计", "Per day"), "at": ("时间", "Time"), "void": ("已作废", "Voided"),
    "yes": ("是", "yes"), "more": ("超出 Excel 行数上限：其余 {n} 条未导出。", "Over Excel's row limit: {n} more not exported."),
})

MAX_DAYS = 366
EXCEL_ROWS = 1_048_576
RETURNEE_TABLES = ("returnees", "returnee_registrations")


@dataclass(frozen=True)
class Counter:
    key: str                                              # also the word's key in ``_``
    count: Callable[[sqlite3.Connection, str, str], dict[str, int]]   # (conn, first day, last day) → day → n


def _passages(conn, first, last, *, test: Callable[[str, set[str]], bool]) -> dict[str, int]:
    """Passages and visitors' entries per day whose (outcome, reason codes) pass ``test``."""
    out: dict[str, int] = defaultdict(int)
    for table in ("passages", "visitor_entries"):
        for day, outcome, reasons, n in conn.execute(
                f"SELECT day, outcome, reasons, count(*) FROM {table} t WHERE day BETWEEN ? AND ? "
                f"AND {current.not_void('t')} GROUP BY day, outcome, reasons", (first, last)):
            if test(outcome, set((reasons or "").split(","))):
                out[day] += n
    return out


def _per_day(table: str) -> Callable[[sqlite3.Connection, str, str], dict[str, int]]:
    def count(conn, first, last) -> dict[str, int]:
        return dict(conn.execute(f"SELECT day, count(*) FROM {table} t WHERE day BETWEEN ? AND ? "
                                 f"AND {current.not_void('t')} GROUP BY day", (first, last)).fetchall())
    return count


def _returnees(conn, first, last) -> dict[str, int]:
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    table = next((t for t in RETURNEE_TABLES if t in have), None)
    return _per_day(table)(conn, first, last) if table else {}


def _planned(conn, first, last) -> dict[str, int]:
    out = {}
    day = date.fromisoformat(first)
    while day <= date.fromisoformat(last):
        out[day.isoformat()] = sum(n for _a, n in report_repo.plan_in_force(conn, (day + timedelta(days=1)).isoformat()))
        day += timedelta(days=1)
    return out


COUNTERS: list[Counter] = [
    Counter("passages", _per_day("passages")),
    Counter("fevers", lambda c, a, b: _passages(c, a, b, test=lambda _o, r: bool(r & {"fever", "visitor_fever"}))),
    Counter("refusals", lambda c, a, b: _passages(c, a, b, test=lambda o, _r: o == "denied")),
    Counter("visitors", _per_day("visitor_entries")),
    Counter("returnees", _returnees),
    Counter("rounds_done", _per_day("disinfection_rounds")),
    Counter("rounds_planned", _planned),
]


@dataclass(frozen=True)
class Stats:
    days: list[date]
    figures: dict[str, list[int]]          # counter key → one number a day

    def label(self, key: str) -> str:
        return _(key)

    def total(self, key: str) -> int:
        return sum(self.figures[key])


def _range(start: date, end: date) -> list[date]:
    if start > end:
        raise InvalidInput(_("range", start=start.isoformat(), end=end.isoformat()), "range_invalid")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput(_("too_long", n=MAX_DAYS), "range_too_long")
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _stats(conn: sqlite3.Connection, days: list[date]) -> Stats:
    first, last = days[0].isoformat(), days[-1].isoformat()
    figures = {}
    for counter in COUNTERS:
        by_day = counter.count(conn, first, last)
        figures[counter.key] = [int(by_day.get(d.isoformat(), 0)) for d in days]
    return Stats(days, figures)


def day_stats(ctx: GateContext, start: date, end: date) -> Stats:
    """The figures of each day from ``start`` to ``end`` (both included)."""
    require(ctx, "print_reports")
    days = _range(start, end)
    with ctx.db.read() as conn:
        return _stats(conn, days)


# -- the .xlsx export ----------------------------------------------------------------------------

def _sheet_title(text: str) -> str:
    for ch in '[]:*?/\\':
        text = text.replace(ch, "·")
    return " ".join(text.split())[:31]


def _moment(text: str | None):
    """A record's ISO time as Excel's (naive: the wall time it was recorded at)."""
    return datetime.fromisoformat(text).replace(tzinfo=None) if text else None


def export_xlsx(ctx: GateContext, start: date, end: date, out: Path, progress: Progress | None = None) -> Stats:
    """Write the statistics and the records of the range to ``out`` (atomically); the statistics."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    require(ctx, "print_reports")
    days = _range(start, end)
    out = Path(out)
    tmp = out.with_name(out.name + ".partial")
    book = Workbook(write_only=True)

    def sheet(title: str, header: list[str], widths: list[int]):
        ws = book.create_sheet(_sheet_title(title))
        ws.freeze_panes = "A2"
        for i, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.append(header)
        return ws

    from checkpoint_app.services import privacy, record_words

    # phones and ID numbers as the role may see them (the command line's operator: masked)
    shown = {"phone": privacy.show_phone, "id_number": privacy.show_id_number}
    with ctx.db.read() as conn:
        stats = _stats(conn, days)
        keys = [c.key for c in COUNTERS]
        ws = sheet(_("stats_sheet"), [_("day"), *(_(k) for k in keys)], [12] + [max(10, len(_(k)) * 2 + 2) for k in keys])
        for i, day in enumerate(days):
            ws.append([day, *(stats.figures[k][i] for k in keys)])
        first, last = days[0].isoformat(), days[-1].isoformat()
        for n, kind in enumerate(record_kinds.KINDS):
            step(progress, n, len(record_kinds.KINDS), record_kinds.label(kind.kind))
            fields = [f for f in kind.fields if f not in record_kinds.SECRET_FIELDS]
            headers = [record_words.field_label(f) for f in fields]     # in words, as the values' codes
            ws = sheet(record_kinds.label(kind.kind), [record_words.field_label("uid"), _("at"), _("day"), *headers,
                                                       _("void")],
                       [14, 20, 12, *(max(12, len(h) * 2 + 2) for h in headers), 8])
            rows = conn.execute(
                f"SELECT t.uid, t.at, t.day, {', '.join('t.' + f for f in fields)}, NOT {current.not_void('t')} "
                f"FROM {kind.table} t WHERE t.day BETWEEN ? AND ? ORDER BY t.at", (first, last))
            written = 0
            for row in rows:
                if written == EXCEL_ROWS - 2:
                    rest = 1 + sum(1 for _r in rows)
                    ws.append([_("more", n=rest)])
                    break
                uid, at, day, *values, void = row
                values = [shown[f](ctx, v) if f in shown else record_words.value(kind.kind, f, v)
                          for f, v in zip(fields, values)]
                ws.append([uid, _moment(at), date.fromisoformat(day), *values, _("yes") if void else None])
                written += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        book.save(tmp)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    step(progress, len(record_kinds.KINDS), len(record_kinds.KINDS))
    return stats
