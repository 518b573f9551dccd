"""The company overview from the hub (issue 15 item 6): per compound and day, passages, fevers,
refusals, visitors, disinfection rounds done vs planned, open incidents, and which gates have not
synced. Read from the hub's ``day_totals``, ``hub_plans``, ``hub_incidents`` and ``origins``
(exchange/hub.py fills them in the transaction that stores the records), so the overview of a
company with 10 M records a day reads a few hundred rows, not the records.

Counted as the records arrived: a passage voided later by an amendment still counts here (the
gate's own daily log leaves it out); rounds done are the disinfection records of the day, all
areas together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages
from checkpoint_app.services.permissions import require

_ = Messages({
    "range": ("日期范围不对：{first} 在 {last} 之后。", "The dates are the wrong way round: {first} is after {last}."),
    "too_long": ("一次最多看 {n} 天。", "At most {n} days at a time."),
    "title": ("公司总览", "Company overview"),
    "compound": ("小区", "Compound"), "day": ("日期", "Date"), "passages": ("出入", "Passages"),
    "fevers": ("发热", "Fevers"), "refusals": ("拒绝", "Refused"), "visitors": ("访客", "Visitors"),
    "rounds": ("消毒完成/计划", "Rounds done/planned"), "rounds_done": ("消毒完成", "Rounds done"),
    "rounds_planned": ("消毒计划", "Rounds planned"), "open": ("未结事件", "Open incidents"),
    "unsynced": ("未同步门岗", "Gates not synced"),
    "never": ("从未同步", "never synced"),
    "since": ("{name}（{age}）", "{name} ({age})"),
    "hours": ("{n} 小时前", "{n} h ago"), "days": ("{n} 天前", "{n} days ago"),
    "minutes": ("{n} 分钟前", "{n} min ago"),
    "pdf_intro": ("数据来自中心库，截至 {when}。出入、发热、拒绝和访客按各门岗上传的记录计数；"
                  "“未同步门岗”指超过 {hours} 小时未向中心库上传的门岗。",
                  "From the hub, as of {when}. Passages, fevers, refusals and visitors are counted from the "
                  "records the gates pushed; \"gates not synced\" have pushed nothing for more than {hours} h."),
    "none": ("这段时间中心库里没有记录。", "The hub holds no records for these days."),
})

MAX_DAYS = 92
STALE_AFTER = timedelta(hours=2)


@dataclass(frozen=True)
class CompoundDay:
    site: str
    code: str
    name: str
    day: date
    passages: int
    fevers: int
    refusals: int
    visitors: int
    rounds_done: int
    rounds_planned: int
    open_incidents: int


@dataclass(frozen=True)
class Unsynced:
    site: str
    gate: str
    last_push: datetime | None


@dataclass(frozen=True)
class Overview:
    first: date
    last: date
    as_of: datetime
    stale_after: timedelta
    rows: list[CompoundDay]
    unsynced: list[Unsynced]

    def unsynced_of(self, site: str) -> list[Unsynced]:
        return [u for u in self.unsynced if u.site == site]


_ROWS = """WITH days AS (SELECT d::date AS day FROM generate_series(%(first)s::date, %(last)s::date, '1 day') d),
totals AS (SELECT site, day, sum(passages) AS passages, sum(fevers) AS fevers, sum(refusals) AS refusals,
           sum(visitors) AS visitors, sum(rounds) AS rounds FROM day_totals
           WHERE day BETWEEN %(first)s AND %(last)s GROUP BY site, day)
SELECT s.site, s.code, s.name, d.day, coalesce(t.passages, 0), coalesce(t.fevers, 0), coalesce(t.refusals, 0),
  coalesce(t.visitors, 0), coalesce(t.rounds, 0),
  coalesce((SELECT sum(p.rounds_per_day) FROM (SELECT DISTINCT ON (area) rounds_per_day FROM hub_plans
            WHERE site = s.site AND at < (d.day + 1)::text ORDER BY area, at DESC) p), 0),
  (SELECT count(*) FROM hub_incidents i WHERE i.site = s.site AND i.opened <= d.day
     AND (i.closed IS NULL OR i.closed > d.day))
FROM sites s CROSS JOIN days d LEFT JOIN totals t ON t.site = s.site AND t.day = d.day
ORDER BY s.code, s.site, d.day"""


def read_overview(pg, first: date, last: date, *, now: datetime, stale_after: timedelta = STALE_AFTER) -> Overview:
    """The overview of ``first``..``last`` from the hub connection ``pg`` (no permission check:
    :func:`overview` is the way in for people)."""
    if first > last:
        raise InvalidInput(_("range", first=first.isoformat(), last=last.isoformat()), "date_range")
    if (last - first).days >= MAX_DAYS:
        raise InvalidInput(_("too_long", n=MAX_DAYS), "date_range")
    rows = [CompoundDay(*r) for r in pg.execute(_ROWS, {"first": first, "last": last})]
    unsynced = [Unsynced(site, name or origin[:8], pushed) for site, origin, name, pushed in pg.execute(
        "SELECT site, origin, name, last_push FROM origins WHERE last_push IS NULL OR last_push < %s "
        "ORDER BY site, name", (now - stale_after,))]
    pg.commit()
    return Overview(first, last, now, stale_after, rows, unsynced)


def overview(ctx, url: str, first: date, last: date, *, stale_after: timedelta = STALE_AFTER,
             password: str | None = None, passfile: str | None = None) -> Overview:
    """The company overview for a person signed on (``view_company``), read from the hub at ``url``
    (with ``password``, or the ``passfile`` the background sync uses, or neither)."""
    from checkpoint_app.exchange import hub

    require(ctx, "view_company")
    options = {"password": password} if password else {"passfile": passfile} if passfile else {}
    with hub.connect(url, **options) as pg:
        return read_overview(pg, first, last, now=ctx.now(), stale_after=stale_after)


def age_text(now: datetime, then: datetime | None) -> str:
    """"3 小时前" / "3 h ago"; "从未同步" when never."""
    if then is None:
        return _("never")
    minutes = max(0, int((now - then).total_seconds() // 60))
    if minutes < 120:
        return _("minutes", n=minutes)
    if minutes < 48 * 60:
        return _("hours", n=minutes // 60)
    return _("days", n=minutes // 1440)


def unsynced_text(view: Overview, site: str) -> str:
    return "、".join(_("since", name=u.gate, age=age_text(view.as_of, u.last_push)) for u in view.unsynced_of(site))


def headers() -> list[str]:
    return [_(k) for k in ("compound", "day", "passages", "fevers", "refusals", "visitors", "rounds", "open",
                           "unsynced")]


def table_rows(view: Overview) -> list[list[str]]:
    """The overview as the screen, the PDF and the .xlsx show it (one row per compound and day)."""
    return [[f"{r.name}（{r.code}）", r.day.isoformat(), str(r.passages), str(r.fevers), str(r.refusals),
             str(r.visitors), f"{r.rounds_done}/{r.rounds_planned}", str(r.open_incidents),
             unsynced_text(view, r.site)] for r in view.rows]


def write_xlsx(view: Overview, out: Path) -> Path:
    """The overview as an .xlsx (numbers as numbers), written atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from checkpoint_app.reports.page import atomic_target

    wb = Workbook()
    ws = wb.active
    ws.title = _("title")[:31]
    head = headers()
    head[6:7] = [_("rounds_done"), _("rounds_planned")]
    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in view.rows:
        ws.append([f"{r.name}（{r.code}）", r.day, r.passages, r.fevers, r.refusals, r.visitors, r.rounds_done,
                   r.rounds_planned, r.open_incidents, unsynced_text(view, r.site)])
    for col, width in zip("ABCDEFGHIJ", (22, 12, 9, 8, 8, 8, 10, 10, 10, 40)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    with atomic_target(Path(out)) as tmp:
        wb.save(tmp)
    return Path(out)


def write_pdf(ctx, view: Overview, out: Path) -> Path:
    """The overview as a signed PDF (PAdES, this PC's document key: the office's, or a joined gate's own)."""
    from reportlab.lib.units import mm

    from checkpoint_app.reports.fonts import font_set
    from checkpoint_app.reports.page import ReportMeta, build_report, data_table, para, styles
    from checkpoint_app.services import signed_pdf

    require(ctx, "view_company")
    pki = signed_pdf.pki(ctx, need_key=True)
    font_set()
    meta = ReportMeta(site_name=_("title"), gate_name=f"{view.first.isoformat()} – {view.last.isoformat()}",
                      day=view.last, title=_("title"), generated_by=signed_pdf.author(ctx),
                      generated_at=view.as_of, subject=f"{_('title')} {view.first} {view.last}",
                      keywords=("Checkpoint", "company", view.first.isoformat(), view.last.isoformat()))
    story = [para(_("pdf_intro", when=view.as_of.strftime("%Y-%m-%d %H:%M"),
                    hours=int(view.stale_after.total_seconds() // 3600)), styles().body)]
    rows = table_rows(view)
    story.append(data_table(headers(), rows, [w * mm for w in (30, 20, 14, 12, 12, 12, 24, 14, 42)],
                            wrap=(0, 8)) if rows
                 else para(_("none"), styles().body))
    out = Path(out)
    with signed_pdf.writing(out.parent):
        with signed_pdf.unsigned_beside(out) as tmp:
            build_report(tmp, meta, story)
            signed_pdf.sign(tmp, out, pki, reason=_("title"), location=ctx.site.name)
    return out
