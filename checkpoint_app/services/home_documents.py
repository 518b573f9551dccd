"""Papers of home quarantine (issue 16): the door round sheets to carry up the stairs, and the
signed documents (the 14-day monitoring form per person, the day's monitoring summary, the
returnee ledger, the survey's progress) with their .xlsx exports.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time
from pathlib import Path

from checkpoint_app.db import residents_repo
from checkpoint_app.domain.home_quarantine import SYMPTOMS, slot_state
from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages
from checkpoint_app.services import door_rounds, signed_pdf
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

log = logging.getLogger(__name__)

_ = Messages({
    "nobody": ("今天没有居家隔离或健康观察人员，没有测温单可打印。",
               "Nobody is under quarantine or observation today: there is no round sheet to print."),
    "no_person": ("没有编号为 {id} 的住户。", "There is no resident with id {id}."),
    "missed": ("漏测", "missed"), "due": ("待测", "due"), "sep": ("、", ", "),
    "no_building": ("{building} 号楼今天没有居家隔离或健康观察人员。",
                    "Nobody in building {building} is under quarantine or observation today."),
})


def round_sheets(ctx: GateContext, out: Path, *, building: str | None = None) -> Path:
    """Today's door round sheets (every building, or one) into ``out`` (a PDF)."""
    from checkpoint_app.reports.round_sheet import SheetHousehold, SheetPerson, render_round_sheets

    require(ctx, "record_door_rounds")
    today = ctx.now().date()
    rnd = door_rounds.today_round(ctx)
    with ctx.db.read() as conn:
        buildings = {h.id: h.building for h in residents_repo.list_households(conn)}
    households = [
        SheetHousehold(buildings[h.household_id], h.household, door_rounds.qr_payload(ctx.site.code, h.household_id),
                       tuple(SheetPerson(p.name, p.measure, p.day, p.length) for p in h.people))
        for h in rnd.households if building is None or buildings[h.household_id] == building]
    if not households:
        raise InvalidInput(_("no_building", building=building) if building else _("nobody"), "nobody_watched")
    labels = [f"{a:%H:%M}-{b:%H:%M}" for a, b in rnd.windows]
    symptoms = [door_rounds.symptom_label(s) for s in SYMPTOMS]
    fever = f"{ctx.rules.fever_threshold // 10}.{ctx.rules.fever_threshold % 10}"
    out = Path(out)
    with signed_pdf.writing(out.parent):
        render_round_sheets(households, out, site_name=ctx.site.name, day=today, windows=labels,
                            symptom_labels=symptoms, fever=fever, generated_by=signed_pdf.author(ctx),
                            generated_at=ctx.now())
    return out


# -- signed documents and their .xlsx ------------------------------------------------------------

def _state_words(state: str) -> str:
    return {"missed": _("missed"), "due": _("due")}.get(state, "")


def _temp_cell(check) -> str:
    from checkpoint_app.domain.temperature import format_temperature
    from checkpoint_app.reports.home_quarantine_docs import words

    if check is None:
        return ""
    if not check.reached:
        return words("f.not_reached")
    return format_temperature(check.temp_tenths) if check.temp_tenths is not None else "—"


def _symptoms_cell(checks) -> str:
    from checkpoint_app.reports.home_quarantine_docs import words

    found = [s for s in SYMPTOMS if any(c and s in c.symptoms for c in checks)]
    if not any(c and c.reached for c in checks):
        return ""
    return _("sep").join(door_rounds.symptom_label(s) for s in found) or words("f.none")


def _window_labels(ctx: GateContext) -> list[str]:
    return [f"{a:%H:%M}-{b:%H:%M}" for a, b in door_rounds.windows(ctx)]


def monitoring_form_data(ctx: GateContext, resident_id: int):
    """The 14-day form of one person: a row per day of the measure, a temperature per window."""
    from datetime import timedelta

    from checkpoint_app.errors import NotFound
    from checkpoint_app.reports.home_quarantine_docs import DocumentData, words
    from checkpoint_app.services import returnees

    today = ctx.now().date()
    with ctx.db.read() as conn:
        person = residents_repo.get_resident(conn, resident_id)
        if person is None:
            raise NotFound(_("no_person", id=resident_id), "no_resident")
        watched = {w.resident_id: w for w in door_rounds.watched(conn, today)}.get(resident_id)
    trip = next((r for r in reversed(returnees.returnee_ledger(ctx)) if r.resident_id == resident_id), None)
    start = trip.arrival if trip else (watched.start if watched else today)
    end = (person.status_until or (trip.until if trip else None) or start + timedelta(days=13))
    measure = trip.measure if trip else (watched.measure if watched else person.status)
    with ctx.db.read() as conn:
        checks = door_rounds.person_checks(conn, person.uid, start, end)
    wins = _window_labels(ctx)
    rows = []
    for n in range((end - start).days + 1):
        day = start + timedelta(days=n)
        got = [checks.get((day.isoformat(), i)) for i in range(len(wins))]
        rows.append([str(n + 1), day.isoformat(), *(_temp_cell(c) for c in got), _symptoms_cell(got),
                     _("sep").join(dict.fromkeys(c.checked_by for c in got if c and c.checked_by))])
    from checkpoint_app.services.returnees import measure_label

    header = [words("f.who", name=person.name, household=person.household, phone=person.phone or "—"),
              words("f.period", measure=measure_label(measure), start=start.isoformat(), end=end.isoformat(),
                    days=(end - start).days + 1)]
    if trip:
        header.insert(1, words("f.from", area=trip.from_area, arrival=trip.arrival.isoformat(),
                               travel=trip.travel or "—", contact=trip.contact or "—"))
    n = len(wins)
    cols = [words("f.day"), words("f.date"), *(words("f.temp", window=w) for w in wins), words("f.symptoms"),
            words("f.monitor")]
    widths = [0.07, 0.14, *([0.13] * n), 0.0, 0.13]
    widths[-2] = 1 - sum(widths)
    return DocumentData("monitoring_form", ctx.site.name, ctx.site.code, ctx.gate.name, today, header,
                        [("", cols, rows, widths)])


def monitoring_summary_data(ctx: GateContext, day: date | None = None):
    from checkpoint_app.reports.home_quarantine_docs import DocumentData, words

    now = ctx.now()
    day = day or now.date()
    wins = door_rounds.windows(ctx)
    labels = _window_labels(ctx)
    with ctx.db.read() as conn:
        people = door_rounds.watched(conn, day)
        checks = door_rounds._checks(conn, day)
        incidents = conn.execute("SELECT count(*) FROM incidents WHERE day = ? AND category IN "
                                 "('door_fever', 'door_symptom')", (day.isoformat(),)).fetchone()[0]
    rows = []
    counts = [dict.fromkeys(("done", "not_reached", "missed", "due"), 0) for _w in wins]
    # a past day is over: every window undone is missed
    moment = now if day == now.date() else datetime.combine(day, time(23, 59), tzinfo=now.tzinfo)
    for p in people:
        got = [checks.get((p.uid, i)) for i in range(len(wins))]
        cells = []
        for i, c in enumerate(got):
            state = ("done" if c.reached else "not_reached") if c else slot_state(wins[i], moment, False)
            if state in counts[i]:
                counts[i][state] += 1
            cells.append(_temp_cell(c) if c else _state_words(state))
        day_text = f"{p.day}/{p.length}" if p.length else str(p.day)
        rows.append([p.household, p.name, day_text, *cells, _symptoms_cell(got),
                     _("sep").join(dict.fromkeys(c.checked_by for c in got if c and c.checked_by))])
    header = [words("s.counts", window=labels[i], done=c["done"], nr=c["not_reached"], missed=c["missed"],
                    due=c["due"]) for i, c in enumerate(counts)]
    header.append(words("s.incidents", n=incidents))
    n = len(wins)
    cols = [words("s.household"), words("s.name"), words("s.day"), *(words("f.temp", window=w) for w in labels),
            words("f.symptoms"), words("f.monitor")]
    widths = [0.12, 0.13, 0.08, *([0.12] * n), 0.0, 0.13]
    widths[-2] = 1 - sum(widths)
    return DocumentData("monitoring_summary", ctx.site.name, ctx.site.code, ctx.gate.name, day, header,
                        [("", cols, rows, widths)])


def returnee_ledger_data(ctx: GateContext):
    from checkpoint_app.reports.home_quarantine_docs import DocumentData, words
    from checkpoint_app.services import returnees

    rows = [[r.household, r.name, r.from_area, r.arrival.isoformat(), r.travel, r.contact,
             returnees.measure_label(r.measure), r.until.isoformat(), r.ended_early or ""]
            for r in returnees.returnee_ledger(ctx)]
    cols = [words(f"l.{k}") for k in ("household", "name", "from", "arrival", "travel", "contact", "measure",
                                       "until", "ended")]
    widths = [0.1, 0.09, 0.08, 0.12, 0.11, 0.14, 0.09, 0.12, 0.15]
    return DocumentData("returnee_ledger", ctx.site.name, ctx.site.code, ctx.gate.name, ctx.now().date(), [],
                        [("", cols, rows, widths)])


def survey_progress_data(ctx: GateContext, campaign: str):
    from checkpoint_app.reports.home_quarantine_docs import DocumentData, split_cols, words
    from checkpoint_app.services import survey

    p = survey.progress(ctx, campaign)

    def row(name, t):
        return [name, t.households, t.visited, t.phoned, t.not_reached, t.untouched, t.needs_help, t.percent]
    rows = [row(b, t) for b, t in p.buildings.items()] + [row(words("v.estate"), p.estate)]
    cols = [words(f"v.{k}") for k in ("building", "households", "visited", "phoned", "not_reached", "untouched",
                                       "help", "percent")]
    needing = [[v.household, survey.contact_label(v.contact), v.present,
                _("sep").join(survey.need_label(n) for n in v.needs), v.note]
               for v in p.last.values() if v.needs]
    return DocumentData("survey_progress", ctx.site.name, ctx.site.code, ctx.gate.name, ctx.now().date(),
                        [words("v.campaign", name=campaign)],
                        [("", cols, rows, [0.16, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12]),
                         (words("v.needs"), split_cols("v.need_cols"), needing, [0.14, 0.14, 0.2, 0.26, 0.26])])


def write_document(ctx: GateContext, data, out_dir: Path, *, suffix: str = "") -> Path:
    """``data`` (one of the ``*_data`` above) as a signed PDF in ``out_dir``, ending with the
    checkpoint of the gate's day as the daily logs do; its path."""
    from checkpoint_app.db.connection import connect
    from checkpoint_app.reports.daily_log import checkpoint_caption
    from checkpoint_app.reports.home_quarantine_docs import Closing, render_document, title
    from checkpoint_app.services.daily_logs import file_name, make_checkpoint

    require(ctx, "print_reports")
    now = ctx.now()
    conn = connect(ctx.db.path, readonly=ctx.db.readonly)
    try:
        conn.execute("BEGIN")
        pki = signed_pdf.pki_from(conn, need_key=True)
        cp, cp_text = make_checkpoint(conn, ctx, now.date())
        conn.execute("COMMIT")
    finally:
        conn.close()
    closing = Closing(cp_text, checkpoint_caption(cp, ctx.site.name, ctx.gate.name, now.strftime("%H:%M")), now)
    out_dir = Path(out_dir)
    name = file_name(data.day, ctx.site.code, ctx.gate.name, data.kind + (f"_{suffix}" if suffix else ""))
    out = out_dir / name
    with signed_pdf.writing(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
        with signed_pdf.unsigned_beside(out) as tmp:
            render_document(data, closing, tmp, generated_by=signed_pdf.author(ctx), generated_at=now)
            signed_pdf.sign(tmp, out, pki, reason=f"{title(data.kind)} {data.day.isoformat()}",
                            location=f"{ctx.site.name} {ctx.gate.name}")
    return out


def write_xlsx(ctx: GateContext, data, out: Path) -> Path:
    """The same document as a workbook: its lines on top, then each table with its heading."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from checkpoint_app.reports.home_quarantine_docs import title
    from checkpoint_app.reports.page import atomic_target

    require(ctx, "print_reports")
    wb = Workbook()
    ws = wb.active
    ws.title = data.kind[:31]
    ws.append([f"{ctx.site.name} · {title(data.kind)} · {data.day.isoformat()}"])
    ws["A1"].font = Font(bold=True, size=13)
    for line in data.header:
        ws.append([line])
    for heading, cols, rows, _widths in data.tables:
        ws.append([])
        if heading:
            ws.append([heading])
        ws.append([c.replace("\n", " ") for c in cols])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(list(row))
    for col in ws.columns:
        width = max((len(str(c.value)) for c in col if c.value is not None and c.row > 1 + len(data.header)),
                    default=8)
        ws.column_dimensions[col[0].column_letter].width = min(max(8, width * 1.8), 40)
    out = Path(out)
    with signed_pdf.writing(out.parent), atomic_target(out) as tmp:
        wb.save(tmp)
    return out
