"""Pass cards (出入证): credit-card-size cards, ten to an A4 sheet, with cut marks.

Each card (ISO/IEC 7810 ID-1, 85.6 × 54 mm) shows the site, a QR code of the pass payload
(30 mm with its quiet zone kept inside the card), building-unit-room, the holder's name, the
pass number and version, and the validity. The cards of a sheet abut (2 × 5, one guillotine
cut per line); the cut marks sit in the margins, the header and footer too.

Speed: everything the cards share is drawn once as PDF form XObjects (the card background with
its labels, the sheet's cut marks); per card only the texts and the QR path are written. The QR
comes from :mod:`checkpoint_app.reports.qr` (vector rectangles, no images).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from checkpoint_app.i18n import Messages
from checkpoint_app.reports.fonts import font_set
from checkpoint_app.reports.page import atomic_target, format_generated
from checkpoint_app.reports.qr import QUIET_ZONE, draw_qr, encode

log = logging.getLogger(__name__)

_ = Messages({
    "cards.title": ("出入证", "Resident pass"),
    "cards.doc_title": ("出入证打印页", "Pass cards"),
    "cards.room": ("楼栋-单元-房号", "Building-unit-room"),
    "cards.name": ("姓名", "Name"),
    "cards.number": ("证号", "Pass no."),
    "cards.version": ("第{version}版", "v{version}"),
    "cards.valid": ("有效期", "Valid"),
    "cards.valid_range": ("{start} 至 {end}", "{start} – {end}"),
    "cards.note": ("仅限本人使用 · 遗失请及时到物业挂失", "Holder only · report a lost card"),
    "cards.header": ("{site} · 出入证 · 共 {count} 张", "{site} · pass cards · {count} cards"),
    "cards.cut_hint": (
        "沿裁切标记裁开，每张 85.6 × 54 mm", "Cut along the marks; each card 85.6 × 54 mm"
    ),
    "cards.page": ("第 {page} / {pages} 页", "Page {page} / {pages}"),
})

CARD_WIDTH = 85.6 * mm
CARD_HEIGHT = 54 * mm
COLUMNS = 2
ROWS = 5
PER_PAGE = COLUMNS * ROWS
QR_SIDE = 30 * mm  # the QR symbol with its quiet zone

PAGE_WIDTH, PAGE_HEIGHT = A4
GRID_X = (PAGE_WIDTH - COLUMNS * CARD_WIDTH) / 2  # 19.4 mm
GRID_Y = (PAGE_HEIGHT - ROWS * CARD_HEIGHT) / 2  # 13.5 mm

_BAND = HexColor("#1F4E79")
_LABEL = HexColor("#5F6B7A")
_TEXT = HexColor("#111111")
_OUTLINE = HexColor("#C8CDD3")
_MARGIN_TEXT = HexColor("#555555")

# card layout, in points from the card's lower-left corner
_PAD = 3 * mm
_BAND_BOTTOM = 42.5 * mm
_BAND_TOP = CARD_HEIGHT - _PAD
_QR_X = 4.5 * mm
_QR_Y = (_BAND_BOTTOM - QR_SIDE) / 2
_TEXT_X = _QR_X + QR_SIDE + 3.5 * mm
_TEXT_RIGHT = CARD_WIDTH - 4 * mm
_TEXT_WIDTH = _TEXT_RIGHT - _TEXT_X


@dataclass(frozen=True)
class PassCard:
    household: str  # building-unit-room, e.g. "3-2-501"
    name: str
    number: str  # e.g. "000123"
    version: int
    valid_from: date
    valid_until: date
    payload: str  # the QR content (ASCII; alphanumeric mode when possible)


def _card_form(canv: Canvas, site_name: str) -> None:
    """The parts every card shares: outline, band with site name and title, labels."""
    fs = font_set()
    canv.beginForm("card", 0, 0, CARD_WIDTH, CARD_HEIGHT)
    canv.setLineWidth(0.3)
    canv.setStrokeColor(_OUTLINE)
    canv.rect(0, 0, CARD_WIDTH, CARD_HEIGHT, stroke=1, fill=0)
    canv.setFillColor(_BAND)
    canv.roundRect(_PAD, _BAND_BOTTOM, CARD_WIDTH - 2 * _PAD, _BAND_TOP - _BAND_BOTTOM,
                   1.5 * mm, stroke=0, fill=1)
    canv.setFillColor(white)
    title = _("cards.title")
    title_size = 11
    title_w = fs.string_width(title, title_size)
    band_mid = (_BAND_BOTTOM + _BAND_TOP) / 2
    fs.draw_string(canv, CARD_WIDTH - _PAD - 3 * mm, band_mid - title_size * 0.36, title,
                   title_size, align="right")
    site_room = CARD_WIDTH - 2 * _PAD - 6 * mm - title_w - 4 * mm
    site_size = fs.fit_size(site_name, site_room, 11, 6)
    fs.draw_string(canv, _PAD + 3 * mm, band_mid - site_size * 0.36, site_name, site_size)
    canv.setFillColor(_LABEL)
    fs.draw_string(canv, _TEXT_X, 35.0 * mm, _("cards.room"), 6.5)
    fs.draw_string(canv, _TEXT_X, 23.0 * mm, _("cards.name"), 6.5)
    fs.draw_string(canv, _TEXT_X, 12.0 * mm, _("cards.number"), 6.5)
    fs.draw_string(canv, _TEXT_X, 8.0 * mm, _("cards.valid"), 6.5)
    fs.draw_string(canv, _TEXT_X, 3.6 * mm, _("cards.note"), 5)
    canv.endForm()


def _label_width() -> float:
    fs = font_set()
    widest = max(fs.string_width(_("cards.number"), 6.5), fs.string_width(_("cards.valid"), 6.5))
    return widest + 1.5 * mm


def _sheet_form(canv: Canvas) -> None:
    """Cut marks in the margins at every card boundary."""
    canv.beginForm("sheet", 0, 0, PAGE_WIDTH, PAGE_HEIGHT)
    canv.setLineWidth(0.35)
    canv.setStrokeColor(Color(0, 0, 0))
    gap, length = 2 * mm, 6 * mm
    left, right = GRID_X, GRID_X + COLUMNS * CARD_WIDTH
    bottom, top = GRID_Y, GRID_Y + ROWS * CARD_HEIGHT
    p = canv.beginPath()
    for c in range(COLUMNS + 1):
        x = left + c * CARD_WIDTH
        p.moveTo(x, top + gap)
        p.lineTo(x, top + gap + length)
        p.moveTo(x, bottom - gap)
        p.lineTo(x, bottom - gap - length)
    for r in range(ROWS + 1):
        y = bottom + r * CARD_HEIGHT
        p.moveTo(left - gap, y)
        p.lineTo(left - gap - length, y)
        p.moveTo(right + gap, y)
        p.lineTo(right + gap + length, y)
    canv.drawPath(p, stroke=1, fill=0)
    canv.endForm()


def _draw_card(canv: Canvas, card: PassCard, x: float, y: float, label_w: float) -> None:
    fs = font_set()
    canv.saveState()
    canv.translate(x, y)
    canv.doForm("card")
    qr = encode(card.payload, ecl="M")
    module = QR_SIDE / (qr.size + 2 * QUIET_ZONE)
    draw_qr(canv, qr, _QR_X + QUIET_ZONE * module, _QR_Y + QUIET_ZONE * module, qr.size * module)
    canv.setFillColor(_TEXT)
    size = fs.fit_size(card.household, _TEXT_WIDTH, 20, 8)
    fs.draw_string(canv, _TEXT_X, 27.5 * mm, card.household, size)
    size = fs.fit_size(card.name, _TEXT_WIDTH, 15, 5)
    fs.draw_string(canv, _TEXT_X, 16.5 * mm, card.name, size)
    number = f"{card.number}  {_('cards.version', version=card.version)}"
    room = _TEXT_WIDTH - label_w
    fs.draw_string(canv, _TEXT_X + label_w, 12.0 * mm, number, fs.fit_size(number, room, 8, 5))
    valid = _("cards.valid_range", start=card.valid_from.isoformat(),
              end=card.valid_until.isoformat())
    fs.draw_string(canv, _TEXT_X + label_w, 8.0 * mm, valid, fs.fit_size(valid, room, 8, 5))
    canv.restoreState()


def render_pass_cards(
    cards: Sequence[PassCard],
    out: Path,
    *,
    site_name: str,
    generated_by: str,
    generated_at: datetime | None = None,
) -> Path:
    """Write the cards to ``out`` (A4, 10 cards a sheet) and return ``out``.

    The file appears atomically (written beside it, then renamed). Empty slots on the last
    sheet stay blank. Raises ``ValueError`` when ``cards`` is empty.
    """
    if not cards:
        raise ValueError("no pass cards to print")
    out = Path(out)
    fs = font_set()
    when = generated_at or datetime.now()
    pages = math.ceil(len(cards) / PER_PAGE)
    header_left = _("cards.header", site=site_name, count=len(cards))
    header_right = format_generated(when, generated_by)
    cut_hint = _("cards.cut_hint")
    with atomic_target(out) as tmp:
        canv = Canvas(str(tmp), pagesize=A4, pageCompression=1, initialFontName=fs.main)
        canv.setTitle(f"{site_name} {_('cards.doc_title')}")
        canv.setAuthor(generated_by)
        canv.setSubject(_("cards.doc_title"))
        canv.setCreator("Checkpoint 门岗通")
        canv.setFont(fs.main, 8)  # never let reportlab's default Helvetica in
        _card_form(canv, site_name)
        _sheet_form(canv)
        label_w = _label_width()
        text_top = PAGE_HEIGHT - GRID_Y + 4.2 * mm
        text_bottom = GRID_Y - 6.6 * mm
        left_x = GRID_X + 3 * mm
        right_x = GRID_X + 2 * CARD_WIDTH - 3 * mm
        slot = CARD_WIDTH - 6 * mm  # between two cut marks
        header_left_size = fs.fit_size(header_left, slot, 7.5)
        header_right_size = fs.fit_size(header_right, slot, 7.5)
        hint_size = fs.fit_size(cut_hint, slot, 7)
        for page in range(pages):
            canv.doForm("sheet")
            canv.setFillColor(_MARGIN_TEXT)
            # margin texts sit between the cut marks (left, middle, right), never across them
            fs.draw_string(canv, left_x, text_top, header_left, header_left_size)
            fs.draw_string(canv, right_x, text_top, header_right, header_right_size, align="right")
            fs.draw_string(canv, left_x, text_bottom, cut_hint, hint_size)
            page_text = _("cards.page", page=page + 1, pages=pages)
            fs.draw_string(canv, right_x, text_bottom, page_text,
                           fs.fit_size(page_text, slot, 7.5), align="right")
            chunk = cards[page * PER_PAGE:(page + 1) * PER_PAGE]
            for i, card in enumerate(chunk):
                row, col = divmod(i, COLUMNS)
                x = GRID_X + col * CARD_WIDTH
                y = GRID_Y + (ROWS - 1 - row) * CARD_HEIGHT
                _draw_card(canv, card, x, y, label_w)
            canv.showPage()
        canv.save()
    log.info("wrote %d pass cards on %d pages to %s", len(cards), pages, out)
    return out
