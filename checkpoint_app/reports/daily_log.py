"""The daily logs of one gate's day (DESIGN §5, issue #3): six A4 documents.

=============  ==========================================================================
``summary``     counts in/out, distinct households, who is still out at the end of the day,
                fevers, disinfection rounds missed, visitors still inside, corrections, and
                the records of the day by kind (they add up to the checkpoint's row count)
``passages``    every passage with its temperature, outcome and reasons
``visitors``    every visitor, phone and ID number masked
``disinfection`` planned-versus-done per area, then every round
``incidents``   fevers, refusals, forged or revoked passes... with their follow-up
``handovers``   the shift handovers with their counts and open alerts
=============  ==========================================================================

Each document is complete on its own: the shared page frame (site, gate, date, title,
"第 X / Y 页", generated at/by), the table (its header repeated on every page; an empty day
says so in a sentence instead of printing an empty table), the corrections that apply to it,
and on the last page the signature lines (值班员, 负责人) and the checkpoint QR with its
caption. The checkpoint text is also written into the PDF's document information
(``/CheckpointCode``) so that ``verify`` reads it from the signed bytes.

Pure layout: the data arrives as the plain dataclasses of :mod:`checkpoint_app.domain.daily`
(``db/report_repo.py`` fills them), nothing here touches SQL or Qt. Phones and ID numbers are masked here, whoever calls.
Voided records stay in the tables, struck through and labelled 作废; amended values carry
a ``*`` and the amendment is listed under the table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from checkpoint_app.domain import reasons as reason_words
from checkpoint_app.domain import record_kinds
from checkpoint_app.domain.checkpoint import COMPOUND_INFO_KEY, Checkpoint, GateDay, compound_json
from checkpoint_app.domain.daily import (
    AreaPlan,
    Correction,
    DailyData,
    IncidentRow,
    Summary,
    summarise,
)
from checkpoint_app.domain.identity import mask_id_number, mask_phone
from checkpoint_app.reports.daily_words import WORDS
from checkpoint_app.reports.fonts import MAIN_FONT, font_set
from checkpoint_app.reports.page import (
    FRAME_WIDTH,
    GRID,
    HEADER_FILL,
    RULE,
    ReportMeta,
    build_report,
    closing_block,
    data_table,
    para,
    signature_block,
    styles,
)

#: The logs of a day, in the order they are written and filed.
LOG_KINDS = ("summary", "passages", "visitors", "disinfection", "incidents", "handovers")

#: Name of the document-information entry that carries the checkpoint text.
CHECKPOINT_INFO_KEY = "CheckpointCode"
LOG_INFO_KEY = "CheckpointLog"
#: Present only on a log printed before its day ended: the moment it covers (ISO 8601).
AS_OF_INFO_KEY = "CheckpointAsOf"

_ = WORDS

VOID_COLOUR = HexColor("#6B7280")


# -- formatting -----------------------------------------------------------------------------------

def _temp(tenths: int | None) -> str:
    if tenths is None:
        return ""
    whole, tenth = divmod(abs(int(tenths)), 10)
    return f"{'-' if tenths < 0 else ''}{whole}.{tenth}"


def _reasons(codes: Sequence[str]) -> str:
    labels = []
    for code in codes:
        label = reason_words.label(code)
        if label and label not in labels:
            labels.append(label)
    return "、".join(labels)


_category = reason_words.category

kind_label = record_kinds.label


def _mark(text: str, amended: bool) -> str:
    return f"{text}*" if amended else text


def _change_value(fieldname: str, value: object) -> str:
    if fieldname == "temp_tenths" and isinstance(value, int):
        return _temp(value)
    if fieldname == "direction" and value in ("in", "out"):
        return _(str(value))
    if fieldname == "method" and value in ("spray", "wipe", "fog"):
        return _(str(value))
    return str(value)


def _pass_label(number: int | None, version: int | None) -> str:
    if number is None:
        return ""
    label = f"{number:06d}"
    return f"{label}-{version}" if version and version > 1 else label


def _minutes(n: int) -> str:
    return _("s.minutes", h=n // 60, m=n % 60)


def _w(*mm_widths: float) -> list[float]:
    """Column widths in mm scaled to fill the frame exactly."""
    total = sum(mm_widths)
    return [w / total * FRAME_WIDTH for w in mm_widths]


# -- blocks shared by the logs --------------------------------------------------------------------

def _intro(text: str, *legend: str) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [para(text, st.body)]
    out += [para(line, st.small) for line in legend]
    out.append(Spacer(1, 3 * mm))
    return out


def _legend(rows: Sequence, *, amended_possible: bool = True) -> list[str]:
    lines = []
    if amended_possible and any(getattr(r, "amended", None) for r in rows):
        lines.append(_("legend.amended"))
    if any(r.void for r in rows):
        lines.append(_("legend.void"))
    return lines


def _empty(text: str) -> list[Flowable]:
    st = styles()
    return [Spacer(1, 2 * mm), para(text, st.body), Spacer(1, 2 * mm)]


def _heading(text: str) -> Flowable:
    return para(text, styles().heading)


_GATE_MM = 12   # the compound's logs: the gate column, the other columns narrowed to make room


def _table(data: DailyData, rows: Sequence, header: list[str], body: list[list], widths: Sequence[float], *,
           wrap: Collection[int] = (), align: dict[int, str] | None = None, **kw) -> Flowable:
    """``data_table`` of a log; in the compound's log (``data.gates``) with the gate of each
    row (``rows``, one per line of ``body``) in a first column."""
    if data.gates:   # the room comes from the columns that wrap anyway, else from the widest
        give = [i for i in wrap if i < len(widths)] or [max(range(len(widths)), key=widths.__getitem__)]
        room = sum(widths[i] for i in give)
        widths = [_GATE_MM * mm, *(w - (_GATE_MM * mm * w / room if i in give else 0) for i, w in enumerate(widths))]
        header = [_("gate"), *header]
        body = [[r.gate, *line] for r, line in zip(rows, body, strict=True)]
        wrap = {i + 1 for i in wrap}     # a gate name too wide for its column wraps by itself
        align = {i + 1: a for i, a in (align or {}).items()}
    return data_table(header, body, widths, wrap=wrap, align=align, **kw)


def _correction_table(corrections: Sequence[Correction], data: DailyData) -> Flowable:
    day_iso = data.day.isoformat()
    header = [_("seq"), _("time"), _("corr.target"), _("corr.action"), _("corr.reason"), _("by")]
    rows = []
    for c in corrections:
        kind = kind_label(c.target_kind)
        seq = c.target_seq if c.target_seq is not None else "?"
        if c.target_day and c.target_day != day_iso:
            target = _("corr.target_day", kind=kind, seq=seq, day=c.target_day)
        else:
            target = _("corr.target_ref", kind=kind, seq=seq)
        if c.action == "void":
            action = _("corr.void")
        else:
            action = "；".join(
                _("corr.set", field=_(f"field.{f}") if f"field.{f}" in _ else f,
                  value=_change_value(f, v)) for f, v in c.changes)
        rows.append([c.seq, c.when, target, action, c.reason, c.by or ""])
    return _table(data, corrections, header, rows, _w(13, 20, 34, 44, 45, 24), align={0: "right"})


def _corrections_for(data: DailyData, log: str) -> list[Flowable]:
    mine = [c for c in data.corrections if c.log == log and c.target_day == data.day.isoformat()]
    if not mine:
        return []
    return [Spacer(1, 2 * mm), _heading(_("corrections")),
            _correction_table(mine, data)]


def _struck(rows: Sequence) -> list[int]:
    return [i for i, r in enumerate(rows) if r.void]


# -- the six logs ---------------------------------------------------------------------------------

def _remeasured(first: tuple[int, int | None]) -> str:
    """Both readings of a re-measured passage and the time between them."""
    tenths, seconds = first
    if seconds is None:
        gap = "?"
    elif seconds < 60:
        gap = _("p.gap_s", n=seconds)
    else:
        gap = _("p.gap_min", n=seconds // 60)
    return _("p.remeasured", first=_temp(tenths), gap=gap)


def passage_table_rows(data: DailyData) -> tuple[list[str], list[list[str]]]:
    """The passages table as plain strings: (header, rows)."""
    header = [_("seq"), _("time"), _("p.direction"), _("p.household"), _("p.name"), _("p.pass"),
              _("p.temp"), _("p.outcome"), _("p.reason"), _("guard")]
    dirs = {"in": _("in"), "out": _("out")}
    outcomes = {"allowed": _("allowed"), "flagged": _("flagged"), "denied": _("denied")}
    void = _("void")
    manual = _("p.manual")
    unknown = _("p.unknown_card")
    reason_cache: dict[tuple[str, ...], str] = {}
    temps = {}
    body = []
    for p in data.passages:
        reasons = reason_cache.get(p.reasons)
        if reasons is None:
            reasons = reason_cache[p.reasons] = _reasons(p.reasons)
        if p.manual:
            card = manual
        elif p.pass_number is not None:
            card = _pass_label(p.pass_number, p.pass_version)
        else:
            card = unknown
            if p.excerpt:  # what the card said: its first characters
                reasons = f"{reasons} {p.excerpt[:10]}…" if reasons else f"{p.excerpt[:10]}…"
        temp = temps.get(p.temp_tenths)
        if temp is None:
            temp = temps[p.temp_tenths] = _temp(p.temp_tenths)
        if p.first_reading is not None:   # the decisive re-measure in its column, the first beside the reasons
            note = _remeasured(p.first_reading)
            reasons = f"{reasons}；{note}" if reasons else note
        direction = dirs.get(p.direction, p.direction)
        if p.amended:
            direction = _mark(direction, "direction" in p.amended)
            temp = _mark(temp, "temp_tenths" in p.amended)
        body.append([str(p.seq), p.time, direction, p.household or "", p.name or "", card, temp,
                     void if p.void else outcomes.get(p.outcome, p.outcome), reasons,
                     p.guard or ""])
    return header, body


def _passages_story(data: DailyData) -> list[Flowable]:
    rows = data.passages
    if not rows:
        return _empty(_("p.empty"))
    s = summarise(data)
    story = _intro(_("p.intro", n=len(rows), out=s.out, inn=s.inn, denied=s.denied,
                     flagged=s.flagged, households=s.households,
                     refused=s.households_refused), *_legend(rows))
    header, body = passage_table_rows(data)
    story.append(_table(data, rows, header, body, _w(13, 15, 9, 17, 22, 16, 11, 14, 39, 24),
                            align={0: "right", 2: "centre", 6: "right", 7: "centre"},
                            struck=_struck(rows)))
    return story + _corrections_for(data, "passages")


def _visitors_story(data: DailyData) -> list[Flowable]:
    rows = data.visitors
    # visitors who came in on an earlier day and are still inside carry over into this log
    carried = [v for v in data.visitors_inside if len(v.time) != 8]
    if not rows:
        if not carried:
            return _empty(_("v.empty"))
        return [*_empty(_("v.empty_carried", n=len(carried), cut_off=data.cut_off)),
                _heading(_("v.carried", cut_off=data.cut_off)), _inside_table(data, carried)]
    s = summarise(data)
    story = _intro(_("v.intro", n=s.visitors, allowed=s.visitors_allowed, denied=s.visitors_denied,
                     inside=len(data.visitors_inside), cut_off=data.cut_off), *_legend(rows))
    header = [_("seq"), _("v.times"), _("v.name"), _("v.contact"), _("v.purpose"), _("v.from"),
              _("v.host"), _("v.code"), _("p.temp"), _("p.outcome"), _("guard")]
    outcomes = {"allowed": _("allowed"), "flagged": _("flagged"), "denied": _("denied")}
    body = []
    for v in rows:
        times = _("v.in", t=v.time[:5] if len(v.time) == 8 else v.time)
        if v.outcome != "denied":
            left = v.left if v.left is None or len(v.left) != 8 else v.left[:5]
            times += "\n" + (_("v.out", t=left) if left else _("v.still_in"))
        if v.name is None:
            name, contact = _("purged"), ""
        else:
            name = v.name
            contact = "\n".join(x for x in (mask_phone(v.phone) if v.phone else "",
                                            mask_id_number(v.id_number) if v.id_number else "")
                                if x)
        outcome = _("void") if v.void else outcomes.get(v.outcome, v.outcome)
        reasons = _reasons(v.reasons)
        if reasons and not v.void:
            outcome = f"{outcome}\n{reasons}"
        body.append([
            str(v.seq), times, name, contact, _mark(v.purpose, "purpose" in v.amended),
            v.from_place, v.host_household, _(v.health_code) if v.health_code in
            ("green", "yellow", "red") else v.health_code,
            _mark(_temp(v.temp_tenths), "temp_tenths" in v.amended), outcome, v.guard or "",
        ])
    story.append(_table(data, rows, header, body, _w(12, 15, 17, 31, 21, 17, 15, 11, 10, 16, 15),
                            wrap={1, 2, 3, 4, 5, 9, 10},
                            align={0: "right", 7: "centre", 8: "right"},
                            struck=_struck(rows)))
    if carried:
        story += [_heading(_("v.carried", cut_off=data.cut_off)), _inside_table(data, carried)]
    return story + _corrections_for(data, "visitors")


def _inside_table(data: DailyData, visitors: Sequence) -> Flowable:
    """Visitors still inside: the time is "HH:MM" of the day itself, "MM-DD HH:MM" of another."""
    rows = [[str(v.seq), v.time[:5] if len(v.time) == 8 else v.time,
             v.name if v.name is not None else _("purged"), v.host_household, v.purpose]
            for v in visitors]
    return _table(data, visitors, [_("seq"), _("time"), _("v.name"), _("v.host"), _("v.purpose")],
                  rows, _w(15, 25, 40, 30, 70), align={0: "right"})


def _concentration(text: str) -> str:
    """A round's concentration with its unit; rounds from before the unit was recorded were
    entered in mg/L (the only unit the form then knew)."""
    return f"{text} mg/L" if text[-1:].isdigit() else text


def _plan_table(plan: Sequence[AreaPlan], partial: bool = False) -> Flowable:
    """Planned vs done per area; before the day ends what is left is "still due", not missed."""
    header = [_("d.area"), _("d.planned"), _("d.done"), _("d.still_due" if partial else "d.missing"), _("d.status")]
    rows = []
    for a in plan:
        missing = max(0, a.planned - a.done)
        if missing:
            status = _("d.due" if partial else "d.short", n=missing)
        elif a.done > a.planned:
            status = _("d.extra", n=a.done - a.planned) if a.planned else _("d.extra", n=a.done)
        else:
            status = _("d.ok")
        rows.append([a.area, a.planned, a.done, missing, status])
    return data_table(header, rows, _w(62, 24, 24, 24, 46),
                      align={1: "right", 2: "right", 3: "right"})


def _disinfection_story(data: DailyData) -> list[Flowable]:
    s = summarise(data)
    intro = (_("d.intro_partial", time=data.cut_off[-5:], planned=s.planned, done=s.done, missed=s.missed)
             if data.partial else _("d.intro", planned=s.planned, done=s.done, missed=s.missed))
    story = _intro(intro, *_legend(data.rounds))
    story.append(_heading(_("d.plan")))
    story += [_plan_table(data.plan, data.partial)] if data.plan else _empty(_("d.no_plan"))
    story.append(_heading(_("d.rounds")))
    if not data.rounds:
        return story + _empty(_("d.empty"))
    header = [_("seq"), _("time"), _("d.area"), _("d.agent"), _("d.conc"), _("d.minutes"),
              _("d.method"), _("d.operator"), _("d.checker"), _("by")]
    body = [[str(r.seq), _round_time(r), r.area,
             _mark(r.agent, "agent" in r.amended),
             _concentration(r.concentration) + (f"\n{_('d.under_mark')}" if r.under_dosed else ""),
             "" if r.contact_minutes is None else str(r.contact_minutes),
             _(r.method) if r.method in ("spray", "wipe", "fog") else r.method,
             r.operator, _mark(r.checker or "", "checker" in r.amended), r.recorded_by or ""]
            for r in data.rounds]
    story.append(_table(data, data.rounds, header, body, _w(13, 13, 28, 24, 16, 16, 12, 20, 20, 18),
                            align={0: "right", 4: "right", 5: "right", 6: "centre"},
                            struck=_struck(data.rounds)))
    return story + _round_notes(data.rounds) + _corrections_for(data, "disinfection")


def _round_time(r) -> str:
    """When it was recorded; a round entered late says when it was done too."""
    at = r.time[:5] if len(r.time) == 8 else r.time
    return f"{at}\n{_('d.late_mark')}" if r.done_at else at


def _round_notes(rounds: Sequence) -> list[Flowable]:
    """One sentence under the table for each under-dosed round and each round entered late."""
    lines = [_("d.under_note", seq=r.seq, conc=_concentration(r.concentration), agent=r.agent, range=r.under_dosed)
             for r in rounds if r.under_dosed]
    lines += [_("d.late_note", seq=r.seq, done=r.done_at, at=r.time[:5]) for r in rounds if r.done_at]
    st = styles()
    return [Spacer(1, 2 * mm), *(para(line, st.small) for line in lines)] if lines else []


def _subject(i: IncidentRow) -> str:
    if i.subject_kind == "resident":
        text = f"{i.household or ''} {i.name or ''}".strip()
    elif i.subject_kind == "pass":
        text = _("i.pass", number=_pass_label(i.pass_number, None))
    elif i.subject_kind == "card":
        text = _("i.card", excerpt=f"{i.excerpt[:12]}…" if i.excerpt else "")
    elif i.subject_kind == "visitor":
        text = _("i.visitor", name=i.name) if i.name is not None else _("i.visitor_purged")
        if i.household:
            text += f" → {i.household}"
    else:
        text = ""
    if i.note:
        text = f"{text}\n{i.note}" if text else i.note
    return text


def _followup_text(i: IncidentRow) -> str:
    lines = []
    for f in i.followups:
        text = f"{f.when} {f.note}" + (f"（{f.by}）" if f.by else "")
        if f.void:
            text += f" [{_('void')}]"
        lines.append(text)
    return "\n".join(lines) or _("i.no_followup")


def _incidents_story(data: DailyData) -> list[Flowable]:
    rows = data.incidents
    if not rows:
        return _empty(_("i.empty"))
    s = summarise(data)
    story = _intro(_("i.intro", n=s.incidents, closed=s.incidents - s.incidents_open,
                     open=s.incidents_open), *_legend(rows, amended_possible=False))
    header = [_("seq"), _("time"), _("i.category"), _("i.subject"), _("p.temp"), _("by"),
              _("i.followup"), _("i.status")]
    body = []
    for i in rows:
        status = _("void") if i.void else (_("i.closed") if i.closed else _("i.open"))
        body.append([str(i.seq), i.time[:5] if len(i.time) == 8 else i.time, _category(i.category),
                     _subject(i), _temp(i.temp_tenths), i.recorded_by or "", _followup_text(i),
                     status])
    story.append(_table(data, rows, header, body, _w(13, 13, 24, 38, 11, 18, 50, 13),
                            wrap={2, 3, 6}, align={0: "right", 4: "right", 7: "centre"},
                            struck=_struck(rows)))
    return story + _corrections_for(data, "incidents")


def _count_line(counts: dict) -> str:
    keys = ("in", "out", "flagged", "denied", "fever", "visitors")
    return _("h.count_line", **{k: counts.get(k, 0) for k in keys})


def _shift(start: str, end: str, day_iso: str) -> str:
    def short(t: str) -> str:
        if not t:
            return "?"
        return t[11:16] if t[:10] == day_iso else f"{t[5:10]} {t[11:16]}"
    return f"{short(start)} – {short(end)}"


def _alerts(categories: Sequence[str]) -> str:
    if not categories:
        return _("h.no_alerts")
    counts: dict[str, int] = {}
    for c in categories:
        counts[c] = counts.get(c, 0) + 1
    return "、".join(f"{_category(c)} {n}" for c, n in counts.items())


def _handovers_story(data: DailyData) -> list[Flowable]:
    rows = data.handovers
    if not rows:
        return _empty(_("h.empty"))
    story = _intro(_("h.intro", n=sum(1 for h in rows if not h.void)),
                   *_legend(rows, amended_possible=False))
    day_iso = data.day.isoformat()
    header = [_("seq"), _("time"), _("h.who"), _("h.shift"), _("h.counts"), _("h.alerts"),
              _("h.notes")]
    body = []
    for h in rows:
        alerts = _alerts(h.open_alerts)
        body.append([str(h.seq), h.time[:5] if len(h.time) == 8 else h.time,
                     f"{h.from_guard} → {h.to_guard}", _shift(h.shift_start, h.shift_end, day_iso),
                     _count_line(h.counts), alerts, h.notes or ""])
    story.append(_table(data, rows, header, body, _w(13, 13, 28, 24, 46, 26, 30),
                            wrap={2, 4, 5, 6}, align={0: "right"}, struck=_struck(rows)))
    return story + _corrections_for(data, "handovers")


def _overview(data: DailyData, s: Summary) -> Flowable:
    st = styles()
    time = data.cut_off[-5:]
    out_label, inside_label = ((_("s.out_partial", time=time), _("s.visitors_inside_partial", time=time))
                               if data.partial else (_("s.out_end"), _("s.visitors_inside")))
    pairs = [
        (_("s.passages"), f"{s.out} / {s.inn}"),
        (_("s.households"), _("s.n_households", n=s.households, refused=s.households_refused)),
        (_("s.refused"), str(s.denied)),
        (_("s.flagged"), str(s.flagged)),
        (_("s.fever"), f"{s.fever_residents} / {s.fever_visitors}"),
        (out_label, _("s.n_out", n=len(data.still_out),
                           overdue=sum(1 for o in data.still_out if o.overdue))),
        (_("s.visitors"), f"{s.visitors_allowed} / {s.visitors_denied}"),
        (inside_label, str(len(data.visitors_inside))),
        (_("s.rounds_kv"), _("s.n_rounds_partial" if data.partial else "s.n_rounds", planned=s.planned, done=s.done, missed=s.missed)),
        (_("s.incidents"), _("s.n_incidents", n=s.incidents, open=s.incidents_open)),
        (_("s.handovers"), str(s.handovers)),
        (_("s.corr_kv"), f"{s.amended} / {s.voided}"),
    ]
    label_style, value_style = st.cell, st.cell
    rows = []
    for k in range(0, len(pairs), 2):
        row = []
        for label, value in pairs[k:k + 2]:
            row += [para(label, label_style), para(value, value_style)]
        rows.append(row)
    widths = _w(52, 38, 52, 38)
    table = Table(rows, colWidths=widths, hAlign="LEFT", style=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), MAIN_FONT),
        ("GRID", (0, 0), (-1, -1), 0.25, GRID),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
        ("BACKGROUND", (2, 0), (2, -1), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def _summary_story(data: DailyData) -> list[Flowable]:
    s = summarise(data)
    st = styles()
    day_iso = data.day.isoformat()
    story: list[Flowable] = [
        KeepTogether([_heading(_("s.overview")), _overview(data, s)]),
        Spacer(1, 1.5 * mm),
        para(_("s.note_scope_compound", gates="、".join(data.gates)) if data.gates
             else _("s.note_scope", gate=data.gate_name), st.small),
    ]
    # still out
    story.append(_heading(_("s.out_now_partial" if data.partial else "s.out_now", cut_off=data.cut_off)))
    if data.still_out:
        header = [_("p.household"), _("p.name"), _("s.since"), _("s.away")]
        rows = [[o.household, o.name, o.since, _minutes(o.minutes)] for o in data.still_out]
        widths = [30, 45, 35, 35]
        if any(o.overdue for o in data.still_out):  # an outing limit is set
            header.append(_("i.status"))
            for row, o in zip(rows, data.still_out, strict=True):
                row.append(_("s.overdue") if o.overdue else "")
            widths.append(35)
        story.append(data_table(header, rows, _w(*widths), align={3: "right", 4: "centre"}))
    else:
        story += _empty(_("s.no_out"))
    # fevers
    story.append(_heading(_("s.fevers")))
    fevers = []   # (row, line)
    for p in data.passages:
        if "fever" in p.reasons and not p.void:
            fevers.append((p, [str(p.seq), p.time[:5], _("s.resident"),
                               f"{p.household or ''} {p.name or ''}".strip(),
                               _temp(p.temp_tenths), _(p.outcome)]))
    for v in data.visitors:
        if ("visitor_fever" in v.reasons or "fever" in v.reasons) and not v.void:
            fevers.append((v, [str(v.seq), v.time[:5], _("s.visitor"),
                               v.name if v.name is not None else _("purged"),
                               _temp(v.temp_tenths), _(v.outcome)]))
    if fevers:
        # one gate's by record number; the compound's by time (numbers are per gate)
        fevers.sort(key=lambda f: (f[0].time, f[0].gate) if data.gates else f[0].seq)
        story.append(_table(data, [f[0] for f in fevers],
                            [_("seq"), _("time"), _("i.category"), _("s.who"), _("p.temp"), _("p.outcome")],
                            [f[1] for f in fevers], _w(15, 18, 20, 60, 20, 25),
                            align={0: "right", 4: "right", 5: "centre"}))
    else:
        story += _empty(_("s.no_fever"))
    # rounds missed
    story.append(_heading(_("s.rounds_partial", time=data.cut_off[-5:]) if data.partial else _("s.rounds")))
    short = [a for a in data.plan if a.done < a.planned]
    if short:
        story.append(_plan_table(short, data.partial))
    elif data.plan:
        story += _empty(_("s.no_missed"))
    else:
        story += _empty(_("d.no_plan"))
    # visitors inside
    story.append(_heading(_("s.inside", cut_off=data.cut_off)))
    if data.visitors_inside:
        story.append(_inside_table(data, data.visitors_inside))
    else:
        story += _empty(_("s.no_inside"))
    # corrections
    story.append(_heading(_("s.corrections")))
    if data.corrections:
        story.append(_correction_table(data.corrections, data))
    else:
        story += _empty(_("s.no_corr"))
    # records by kind
    kinds = [(k, n) for k, n in sorted(data.records_by_kind.items(), key=lambda kv: record_kinds.order(kv[0]))
             if n]
    rows = [[kind_label(k), n] for k, n in kinds]
    rows.append([_("s.total"), sum(n for _k, n in kinds)])
    story.append(KeepTogether([
        _heading(_("s.kinds")),
        data_table([_("s.kind"), _("s.count")], rows, [60 * mm, 25 * mm], align={1: "right"},
                   zebra=False),
    ]))
    return story


_STORIES: dict[str, Callable[[DailyData], list[Flowable]]] = {
    "summary": _summary_story,
    "passages": _passages_story,
    "visitors": _visitors_story,
    "disinfection": _disinfection_story,
    "incidents": _incidents_story,
    "handovers": _handovers_story,
}


def title(kind: str) -> str:
    """The document title of a log kind, in the current language."""
    return _(f"title.{kind}")


def _group(hex_text: str, size: int = 8) -> str:
    return " ".join(hex_text[i:i + size] for i in range(0, len(hex_text), size))


def checkpoint_caption(cp: Checkpoint, site_name: str, gate_name: str, as_of: str | None = None) -> list[str]:
    """The lines printed beside the checkpoint QR; ``as_of`` ("HH:MM"): the day was not over, so
    the records are those up to then, not all of the day's."""
    lines = [_("cp.line_site", site=site_name, code=cp.site_code, gate=gate_name,
               day=cp.day.isoformat())]
    partial = {} if as_of is None else {"time": as_of}
    if cp.row_count:
        lines.append(_("cp.line_rows_partial" if partial else "cp.line_rows", rows=cp.row_count,
                       first=cp.first_seq, last=cp.last_seq, **partial))
    else:
        lines.append(_("cp.line_empty_partial" if partial else "cp.line_empty", **partial))
    lines.append(_("cp.line_head", head=_group(cp.chain_head)))
    if cp.prev_head is not None:
        lines.append(_("cp.line_prev", seq=cp.prev_seq, head=_group(cp.prev_head)[:17]))
    return lines


def render_log(
    kind: str,
    data: DailyData,
    checkpoint: Checkpoint,
    checkpoint_text: str,
    out: Path,
    *,
    generated_by: str,
    generated_at: datetime,
    as_of: datetime | None = None,
) -> Path:
    """Write the log ``kind`` (one of :data:`LOG_KINDS`) of ``data`` to ``out`` (atomically,
    unsigned: the caller signs it) and return ``out``. ``as_of``: the day is not over; the
    log covers it up to that moment and says so on every page."""
    caption = checkpoint_caption(checkpoint, data.site_name, data.gate_name,
                                 data.cut_off[-5:] if data.partial else None)
    return _render(kind, data, {CHECKPOINT_INFO_KEY: checkpoint_text},
                   lambda: closing_block(checkpoint_text, caption), out, generated_by, generated_at, as_of)


def render_compound_log(kind: str, data: DailyData, gates: Sequence[GateDay], out: Path, *,
                        generated_by: str, generated_at: datetime, as_of: datetime | None = None) -> Path:
    """The log ``kind`` of the whole compound (``data`` from ``report_repo.read_compound_day``):
    every gate's rows with a gate column, and at the end each gate's checkpoint values, also in
    the document information (:data:`COMPOUND_INFO_KEY`) for ``verify``. Unsigned, like
    :func:`render_log`."""
    return _render(kind, data, {COMPOUND_INFO_KEY: compound_json(list(gates))},
                   lambda: _gates_block(data, gates), out, generated_by, generated_at, as_of)


def _gates_block(data: DailyData, gates: Sequence[GateDay]) -> Flowable:
    """Each gate's checkpoint of the day (the values its own log's checkpoint carries) and whether
    this PC held all of its records of the day, then the signature lines."""
    header = [_("gate"), _("g.rows"), _("g.head"), _("g.prev"), _("g.held")]
    rows = []
    for g in gates:
        cp = g.checkpoint
        held = (_("g.complete") if g.complete else
                _("g.none_held") if not g.newest else _("g.short", newest=g.newest[:16].replace("T", " ")))
        rows.append([g.name, _("g.range", n=cp.row_count, first=cp.first_seq, last=cp.last_seq)
                     if cp.row_count else _("g.empty"), _group(cp.chain_head[:32]),
                     f"#{cp.prev_seq} {(cp.prev_head or '')[:8]}", held])
    st = styles()
    return KeepTogether([
        Spacer(1, 6 * mm), _heading(_("g.title")), para(_("g.intro"), st.small), Spacer(1, 1.5 * mm),
        data_table(header, rows, _w(16, 24, 58, 20, 40), wrap={0, 4}),
        Spacer(1, 8 * mm), signature_block(None, FRAME_WIDTH),
    ])


def _render(kind: str, data: DailyData, info: dict[str, str], closing: Callable[[], Flowable], out: Path,
            generated_by: str, generated_at: datetime, as_of: datetime | None) -> Path:
    if kind not in _STORIES:
        raise ValueError(f"unknown log kind {kind!r}")
    font_set()  # register the fonts before any style is made
    doc_title = _("title.compound_summary") if data.gates and kind == "summary" else title(kind)
    meta = ReportMeta(
        site_name=data.site_name, gate_name=data.gate_name, day=data.day, title=doc_title,
        generated_by=generated_by, generated_at=generated_at,
        subject=f"{data.site_name} {data.gate_name} {data.day.isoformat()} {doc_title}",
        keywords=("Checkpoint", data.site_code, data.day.isoformat(), kind),
        custom_info={**info, LOG_INFO_KEY: kind,
                     **({} if as_of is None else {AS_OF_INFO_KEY: as_of.isoformat(timespec="seconds")})},
        as_of=as_of,
    )
    story = _STORIES[kind](data)
    story.append(closing())
    return build_report(Path(out), meta, story)


def checkpoint_json(cp: Checkpoint) -> str:
    """The checkpoint's fields as JSON (for logs and the CLI)."""
    return json.dumps({"site": cp.site_code, "gate": cp.gate_id, "day": cp.day.isoformat(),
                       "rows": cp.row_count, "first": cp.first_seq, "last": cp.last_seq,
                       "chain_head": cp.chain_head, "prev_last": cp.prev_seq, "prev_head": cp.prev_head},
                      ensure_ascii=False)
