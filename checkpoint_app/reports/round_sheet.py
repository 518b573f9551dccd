"""The door round sheet (入户测温单): the paper a monitor carries up the stairs, one building per
section, A4 landscape.

Per household a block: its QR code (what the desk scans to open the household's row), the room,
then a line per person under a measure: name, day N of the measure, an empty cell per window of
the day for the temperature, boxes for the symptoms, "not reached" and the checker's initials.
Drawn straight on the canvas (like the pass cards): the grid, the texts and the QR paths, no
tables to lay out, so 500 households take well under a second. The QR is the project's own
encoder with a fixed mask (reports/qr.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from checkpoint_app.i18n import Messages
from checkpoint_app.reports.fonts import font_set
from checkpoint_app.reports.page import atomic_target, format_generated
from checkpoint_app.reports.qr import QUIET_ZONE, draw_qr, encode

log = logging.getLogger(__name__)

_ = Messages({
    "title": ("居家隔离人员上门测温单", "Door round sheet: home quarantine and observation"),
    "head": ("{site} · {building} 号楼 · {day}", "{site} · building {building} · {day}"),
    "qr": ("扫码录入", "scan to enter"),
    "room": ("房号", "Room"),
    "name": ("姓名", "Name"),
    "day": ("第几天", "Day"),
    "day_value": ("第 {n}/{total} 天", "{n} of {total}"),
    "day_open": ("第 {n} 天", "day {n}"),
    "temp": ("{window}\n体温 °C", "{window}\ntemperature °C"),
    "symptoms": ("症状（有则打 ✓）", "Symptoms (tick if any)"),
    "not_reached": ("未见到", "Not reached"),
    "checker": ("测温人", "Checked by"),
    "m.quarantine": ("隔离", "quar."), "m.observation": ("观察", "obs."),
    "foot": ("体温≥{fever} °C 或有症状：当场告知物业，联系社区卫生服务中心。第 {page}/{pages} 页",
             "Temperature ≥ {fever} °C or any symptom: tell the office at once, call the community health "
             "centre. Page {page}/{pages}"),
    "doc_title": ("上门测温单", "Door round sheets"),
})

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 10 * mm
LINE_H = 9 * mm          # one person
QR_SIDE = 21 * mm        # with its quiet zone
HEAD_H = 14 * mm
TABLE_HEAD_H = 13 * mm
FOOT_H = 8 * mm

_GRID = HexColor("#8A949E")
_LABEL = HexColor("#37474F")
_TEXT = HexColor("#111111")
_SHADE = HexColor("#ECEFF1")


@dataclass(frozen=True)
class SheetPerson:
    name: str
    measure: str            # quarantine | observation
    day: int
    length: int | None


@dataclass(frozen=True)
class SheetHousehold:
    building: str
    room: str               # the household's label, e.g. "3-2-501"
    payload: str            # its QR
    people: tuple[SheetPerson, ...]


def _columns(windows: Sequence[str], symptom_labels: Sequence[str]) -> list[tuple[str, float]]:
    """(key, width): QR, room, name, day, a temperature per window, symptoms, not reached, checker."""
    cols = [("qr", QR_SIDE + 2 * mm), ("room", 22 * mm), ("name", 30 * mm), ("day", 25 * mm)]
    cols += [(f"t{i}", 24 * mm) for i in range(len(windows))]
    cols += [(f"s{i}", 0.0) for i in range(len(symptom_labels))]
    cols += [("not_reached", 13 * mm), ("checker", 18 * mm)]
    fixed = sum(w for _k, w in cols)
    room = PAGE_W - 2 * MARGIN - fixed
    each = room / max(len(symptom_labels), 1)
    return [(k, each if k.startswith("s") else w) for k, w in cols]


def _block_height(h: SheetHousehold) -> float:
    return max(QR_SIDE + 1 * mm, len(h.people) * LINE_H)


def paginate(households: Sequence[SheetHousehold]) -> list[list[SheetHousehold]]:
    """Households on pages, a new page at each building, never splitting a household."""
    usable = PAGE_H - 2 * MARGIN - HEAD_H - TABLE_HEAD_H - FOOT_H
    pages: list[list[SheetHousehold]] = []
    used = usable + 1
    building = None
    for h in households:
        height = _block_height(h)
        if h.building != building or used + height > usable:
            pages.append([])
            used = 0.0
            building = h.building
        pages[-1].append(h)
        used += height
    return pages


def render_round_sheets(households: Sequence[SheetHousehold], out: Path, *, site_name: str, day: date,
                        windows: Sequence[str], symptom_labels: Sequence[str], fever: str,
                        generated_by: str, generated_at: datetime | None = None) -> Path:
    """Write the sheets to ``out`` atomically; ``windows`` are labels ("08:00-11:00")."""
    if not households:
        raise ValueError("no households to print")
    fs = font_set()
    cols = _columns(windows, symptom_labels)
    pages = paginate(households)
    when = generated_at or datetime.now()
    generated = format_generated(when, generated_by)
    with atomic_target(Path(out)) as tmp:
        canv = Canvas(str(tmp), pagesize=(PAGE_W, PAGE_H), pageCompression=1, initialFontName=fs.main)
        canv.setTitle(f"{site_name} {_('doc_title')} {day.isoformat()}")
        canv.setAuthor(generated_by)
        canv.setCreator("Checkpoint 门岗通")
        canv.setFont(fs.main, 8)
        _header_form(canv, cols, windows, symptom_labels)
        for number, page in enumerate(pages, 1):
            top = PAGE_H - MARGIN
            canv.setFillColor(_TEXT)
            fs.draw_string(canv, MARGIN, top - 6 * mm, _("title"), 14)
            head = _("head", site=site_name, building=page[0].building, day=day.isoformat())
            fs.draw_string(canv, MARGIN + fs.string_width(_("title"), 14) + 6 * mm, top - 6 * mm, head, 11)
            canv.setFillColor(_LABEL)
            fs.draw_string(canv, PAGE_W - MARGIN, top - 6 * mm, generated, 8, align="right")
            y = top - HEAD_H
            canv.saveState()
            canv.translate(MARGIN, y - TABLE_HEAD_H)
            canv.doForm("tablehead")
            canv.restoreState()
            y -= TABLE_HEAD_H
            for h in page:
                y = _draw_household(canv, h, cols, y)
            canv.setFillColor(_LABEL)
            fs.draw_string(canv, MARGIN, MARGIN, _("foot", fever=fever, page=number, pages=len(pages)), 8)
            canv.showPage()
        canv.save()
    log.info("wrote round sheets: %d households on %d pages to %s", len(households), len(pages), out)
    return Path(out)


def _header_form(canv: Canvas, cols, windows, symptom_labels) -> None:
    """The table's head row, drawn once and placed on every page."""
    fs = font_set()
    width = sum(w for _k, w in cols)
    canv.beginForm("tablehead", 0, 0, width, TABLE_HEAD_H)
    canv.setFillColor(_SHADE)
    canv.rect(0, 0, width, TABLE_HEAD_H, stroke=0, fill=1)
    canv.setStrokeColor(_GRID)
    canv.setLineWidth(0.5)
    canv.rect(0, 0, width, TABLE_HEAD_H, stroke=1, fill=0)
    labels = {"qr": _("qr"), "room": _("room"), "name": _("name"), "day": _("day"),
              "not_reached": _("not_reached"), "checker": _("checker")}
    labels.update({f"t{i}": _("temp", window=w) for i, w in enumerate(windows)})
    labels.update({f"s{i}": s for i, s in enumerate(symptom_labels)})
    x = 0.0
    canv.setFillColor(_LABEL)
    for key, w in cols:
        canv.line(x, 0, x, TABLE_HEAD_H)
        lines = labels[key].split("\n")
        if len(lines) == 1 and fs.string_width(lines[0], 8) > w - 2 * mm and " " in lines[0]:
            # a long label of words in two short lines rather than tiny type
            text = lines[0]
            cut = text.rfind(" ", 0, len(text) // 2 + 3)
            cut = cut if cut > 0 else text.find(" ")
            lines = [text[:cut].strip(), text[cut:].strip()]
        for i, part in enumerate(lines):
            size = fs.fit_size(part, w - 1.5 * mm, 8, 5)
            y = TABLE_HEAD_H / 2 - size * 0.35 + (len(lines) - 1 - 2 * i) * 1.9 * mm
            fs.draw_string(canv, x + w / 2, y, part, size, align="centre")
        x += w
    canv.endForm()


def _draw_household(canv: Canvas, h: SheetHousehold, cols, top: float) -> float:
    fs = font_set()
    height = _block_height(h)
    width = sum(w for _k, w in cols)
    bottom = top - height
    canv.setStrokeColor(_GRID)
    canv.setLineWidth(0.5)
    canv.rect(MARGIN, bottom, width, height, stroke=1, fill=0)
    qr = encode(h.payload, ecl="M")
    module = QR_SIDE / (qr.size + 2 * QUIET_ZONE)
    qx = MARGIN + 1 * mm + QUIET_ZONE * module
    qy = top - (height + QR_SIDE) / 2 + QUIET_ZONE * module
    draw_qr(canv, qr, qx, qy, qr.size * module)
    x = MARGIN
    xs = {}
    for key, w in cols:
        xs[key] = (x, w)
        if key != "qr":
            canv.line(x, bottom, x, top)
        x += w
    canv.line(MARGIN + cols[0][1], bottom, MARGIN + cols[0][1], top)
    canv.setFillColor(_TEXT)
    rx, rw = xs["room"]
    fs.draw_string(canv, rx + 2 * mm, top - height / 2 - 4, h.room, fs.fit_size(h.room, rw - 4 * mm, 12, 6))
    line_h = height / len(h.people)
    first_person_col = xs["name"][0]
    for i, p in enumerate(h.people):
        y_top = top - i * line_h
        if i:
            canv.setStrokeColor(_GRID)
            canv.line(first_person_col, y_top, MARGIN + width, y_top)
        base = y_top - line_h / 2 - 3.5
        nx, nw = xs["name"]
        fs.draw_string(canv, nx + 2 * mm, base, p.name, fs.fit_size(p.name, nw - 4 * mm, 11, 6))
        dx, dw = xs["day"]
        day = (_("day_value", n=p.day, total=p.length) if p.length else _("day_open", n=p.day))
        day = f"{day} {_('m.' + p.measure)}"
        fs.draw_string(canv, dx + dw / 2, base, day, fs.fit_size(day, dw - 2 * mm, 9, 5), align="centre")
        canv.setLineWidth(0.6)
        for key, (cx, cw) in xs.items():
            if key.startswith("s") or key == "not_reached":
                box = 3.6 * mm
                canv.rect(cx + (cw - box) / 2, y_top - line_h / 2 - box / 2, box, box, stroke=1, fill=0)
        canv.setLineWidth(0.5)
    return bottom
