"""The shared A4 document: header, footer with "X / Y", CJK styles, chunked tables, last page.

Every page carries the site and gate, the report title, the day, "第 X / Y 页" and who
generated it when. The total page count is known only at the end, so the canvas keeps each
page's drawing until ``save`` and then stamps the header and footer on all of them (one pass).

Tables: a single platypus ``Table`` of 10,000 rows is slow (each page split re-measures the
rest), so :func:`data_table` makes one table per page-worth of rows, each repeating the
header row. Cells are plain strings (fast) unless they need wrapping or a
fallback font, then they become Paragraphs.

Typical use::

    meta = ReportMeta(site_name="阳光花园", gate_name="东门", day=day, title="出入登记日志",
                      generated_by="张三")
    story = [para("…", styles().body), data_table(header, rows, widths),
             closing_block(checkpoint_payload, ["站点 …", "记录 1-8123"])]
    build_report(out, meta, story)
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFInfo, PDFString
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from checkpoint_app.i18n import Messages
from checkpoint_app.reports.fonts import MAIN_FONT, font_set
from checkpoint_app.reports.qr import QrFlowable

log = logging.getLogger(__name__)

# Write compressed streams as binary, not ASCII85 on top of Flate: reportlab's pure-Python
# ASCII85 encoder was a quarter of the time of a 5,000-card sheet, and the files are 25 %
# smaller. (Read by reportlab when a document is saved; only this app's PDFs are affected.)
rl_config.useA85 = 0

_ = Messages({
    "page.number": ("第 {page} / {pages} 页", "Page {page} / {pages}"),
    "page.generated": ("生成于 {when} · 生成人 {who}", "Generated {when} by {who}"),
    "page.site_gate": ("{site} · {gate}", "{site} · {gate}"),
    "page.day": ("日期 {day}", "Date {day}"),
    "page.day_as_of": ("日期 {day} · 截至 {time}（当日未结束）", "Date {day} · as of {time} (day not over)"),
    "sig.duty": ("值班员", "Guard on duty"),
    "sig.manager": ("负责人", "Person in charge"),
    "sig.signature": ("（签字）", " (signature)"),
    "sig.date": ("日期", "Date"),
    "sig.colon": ("：", ": "),
    "sig.date_blank": ("          年      月      日", "            /          /"),
    "checkpoint.title": ("核验码", "Checkpoint code"),
    "checkpoint.hint": (
        "扫描核验码，或用 PDF 阅读器的签名面板，核对本文件是否完整、未被改动。",
        "Scan the checkpoint code, or open the PDF reader's signature panel, to check that "
        "this file is complete and unaltered.",
    ),
})

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 15 * mm
HEADER_HEIGHT = 24 * mm  # from the top edge to the frame
FOOTER_HEIGHT = 18 * mm  # from the bottom edge to the frame
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_HEIGHT - HEADER_HEIGHT - FOOTER_HEIGHT

INK = HexColor("#111111")
MUTED = HexColor("#555555")
RULE = HexColor("#8A939E")
GRID = HexColor("#B8BEC6")
HEADER_FILL = HexColor("#E4E9EF")
ZEBRA = HexColor("#F5F7F9")
STRIKE = HexColor("#3A3F45")


# -- files ---------------------------------------------------------------------------------------

@contextlib.contextmanager
def atomic_target(out: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``out``; on success it replaces ``out`` atomically, on
    error it is removed (so a crash never leaves a half-written PDF under the real name)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600); a printed log is an ordinary document.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def format_generated(when: datetime, who: str) -> str:
    """"生成于 2024-06-01 20:15 · 生成人 张三" (in the current language)."""
    return _("page.generated", when=when.strftime("%Y-%m-%d %H:%M"), who=who)


# -- styles --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_centre: ParagraphStyle
    header_cell: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> Styles:
    """Paragraph styles in the bundled CJK font, wrapping between any two CJK characters."""
    font = font_set().main

    def style(name: str, size: float, leading: float, **kw) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK",
            textColor=kw.pop("textColor", INK), **kw,
        )

    return Styles(
        title=style("cp-title", 16, 21, alignment=TA_CENTER, spaceAfter=3 * mm),
        heading=style("cp-heading", 12, 16, spaceBefore=4 * mm, spaceAfter=2 * mm),
        body=style("cp-body", 9.5, 14),
        small=style("cp-small", 7.5, 10, textColor=MUTED),
        cell=style("cp-cell", CELL_FONT_SIZE, CELL_LEADING),
        cell_right=style("cp-cell-r", CELL_FONT_SIZE, CELL_LEADING, alignment=TA_RIGHT),
        cell_centre=style("cp-cell-c", CELL_FONT_SIZE, CELL_LEADING, alignment=TA_CENTER),
        header_cell=style("cp-head-cell", CELL_FONT_SIZE, CELL_LEADING, alignment=TA_LEFT),
    )


def para(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A Paragraph of plain ``text`` (escaped; rare characters in a fallback font)."""
    return Paragraph(font_set().markup(text), style or styles().body)


# -- header and footer ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportMeta:
    site_name: str
    gate_name: str
    day: date
    title: str
    generated_by: str
    generated_at: datetime | None = None
    subject: str = ""
    keywords: Sequence[str] = field(default_factory=tuple)
    #: extra entries of the PDF's document information dictionary (ASCII names), e.g.
    #: ``{"CheckpointCode": "CPK1..."}``: covered by the PDF signature like every other byte
    custom_info: Mapping[str, str] = field(default_factory=dict)
    #: a report of a day printed before the day ended: every page says "截至 HH:MM"
    as_of: datetime | None = None


class _InfoWithCustom(PDFInfo):
    """reportlab's document information plus custom entries (PDF 32000 §14.3.3 allows any)."""

    def __init__(self, base: PDFInfo, custom: Mapping[str, str]) -> None:
        super().__init__()
        self.__dict__.update(base.__dict__)
        for key in custom:
            if not key.isascii() or not key.isalnum():
                raise ValueError(f"document information key must be ASCII letters/digits: {key!r}")
        self.custom = dict(custom)

    def format(self, document):
        text = super().format(document)
        extra = PDFDictionary({k: PDFString(v) for k, v in self.custom.items()}).format(document)
        inner = extra.strip()[2:-2]  # drop this dictionary's own << >>
        end = text.rstrip().rfind(b">>")
        return text[:end] + inner + b"\n" + text[end:]


def _decorate(canv: Canvas, meta: ReportMeta, when: datetime, page: int, pages: int) -> None:
    fs = font_set()
    canv.saveState()
    top = PAGE_HEIGHT
    left, right = MARGIN_X, PAGE_WIDTH - MARGIN_X
    canv.setFillColor(INK)
    fs.draw_string(canv, PAGE_WIDTH / 2, top - 13 * mm, meta.title,
                   fs.fit_size(meta.title, FRAME_WIDTH * 0.7, 13), align="centre")
    canv.setFillColor(MUTED)
    site_gate = _("page.site_gate", site=meta.site_name, gate=meta.gate_name)
    day = (_("page.day", day=meta.day.isoformat()) if meta.as_of is None else
           _("page.day_as_of", day=meta.day.isoformat(), time=meta.as_of.strftime("%H:%M")))
    day_w = fs.string_width(day, 8.5)
    fs.draw_string(canv, left, top - 19.5 * mm, site_gate,
                   fs.fit_size(site_gate, FRAME_WIDTH - day_w - 10 * mm, 8.5))
    fs.draw_string(canv, right, top - 19.5 * mm, day, 8.5, align="right")
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.6)
    canv.line(left, top - 21.5 * mm, right, top - 21.5 * mm)
    canv.setLineWidth(0.4)
    canv.line(left, FOOTER_HEIGHT - 4 * mm, right, FOOTER_HEIGHT - 4 * mm)
    number = _("page.number", page=page, pages=pages)
    number_w = fs.string_width(number, 8.5)
    generated = format_generated(when, meta.generated_by)
    fs.draw_string(canv, left, FOOTER_HEIGHT - 8.5 * mm, generated,
                   fs.fit_size(generated, FRAME_WIDTH - number_w - 10 * mm, 8))
    canv.setFillColor(INK)
    fs.draw_string(canv, right, FOOTER_HEIGHT - 8.5 * mm, number, 8.5, align="right")
    canv.restoreState()


def _numbered_canvas(meta: ReportMeta, when: datetime) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Keeps every page until ``save``, then stamps header and "X / Y" on each."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._page_states: list[dict] = []
            if meta.custom_info:
                self._doc.info = _InfoWithCustom(self._doc.info, meta.custom_info)

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._page_states)
            for number, state in enumerate(self._page_states, 1):
                self.__dict__.update(state)
                _decorate(self, meta, when, number, total)
                Canvas.showPage(self)
            self._page_states = []
            Canvas.save(self)

    return NumberedCanvas


def build_report(out: Path, meta: ReportMeta, story: list[Flowable]) -> Path:
    """Lay ``story`` out on A4 pages with the shared header and footer; write ``out``
    atomically and return it. The caller signs it afterwards (:mod:`.signing`)."""
    out = Path(out)
    fs = font_set()
    when = meta.generated_at or datetime.now()
    with atomic_target(out) as tmp:
        doc = BaseDocTemplate(
            str(tmp), pagesize=A4,
            leftMargin=MARGIN_X, rightMargin=MARGIN_X,
            topMargin=HEADER_HEIGHT, bottomMargin=FOOTER_HEIGHT,
            title=f"{meta.title} {meta.day.isoformat()}",
            author=meta.generated_by,
            subject=meta.subject or f"{meta.site_name} {meta.gate_name}",
            creator="Checkpoint 门岗通",
            keywords=list(meta.keywords),
            initialFontName=fs.main,
            pageCompression=1,
        )
        frame = Frame(MARGIN_X, FOOTER_HEIGHT, FRAME_WIDTH, FRAME_HEIGHT,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        doc.build(list(story), canvasmaker=_numbered_canvas(meta, when))
    log.info("wrote report %r (%s) to %s", meta.title, meta.day, out)
    return out


# -- tables --------------------------------------------------------------------------------------

CELL_FONT_SIZE = 8
CELL_LEADING = 10
CELL_PAD_X = 3
CELL_PAD_Y = 2.2
ROW_HEIGHT = CELL_LEADING + 2 * CELL_PAD_Y  # a single-line row


def _path(canv: Canvas, ops: list[str]):
    """A canvas path made of ready-formatted PDF path operators ("x y m", "x y w h re"...):
    reportlab formats each coordinate through a slow generic routine, and a long table has
    tens of thousands of them. Falls back to parsing the operators into the public API."""
    path = canv.beginPath()
    code = getattr(path, "_code", None)
    if isinstance(code, list) and not code:
        code.extend(ops)
        return path
    for op in ops:  # pragma: no cover - only if reportlab's internals change
        parts = op.split()
        i = 0
        while i < len(parts):
            if parts[i + 2] == "m":
                path.moveTo(float(parts[i]), float(parts[i + 1]))
                i += 3
            elif parts[i + 2] == "l":
                path.lineTo(float(parts[i]), float(parts[i + 1]))
                i += 3
            else:
                path.rect(*(float(v) for v in parts[i:i + 4]))
                i += 5
    return path


class _CellEncoder:
    """Table cells as PDF text operators, cached per document.

    reportlab's ``textOut`` formats every string anew (subset lookup, escaping, number
    formatting: three quarters of a 10,000-row log's drawing time). Here each distinct cell
    text is turned into its ``(font subset, "(...) Tj")`` pieces once per document, through the
    font's own ``splitString`` (so the subsets and the embedded glyphs are exactly reportlab's),
    and a subset switch is written only when it changes. Widths of right-aligned or centred
    texts are cached the same way. These are reportlab internals: :meth:`usable` checks they
    are there, and the table falls back to ``textOut`` otherwise.
    """

    def __init__(self, canv: Canvas, font_name: str, size: float, leading: float) -> None:
        from reportlab.pdfbase.pdfmetrics import getFont

        self.font = getFont(font_name)
        self.font_name = font_name
        self.doc = canv._doc
        self.escape = canv._escape
        self.size = size
        self.tf = f" {size:g} Tf {leading:g} TL"
        self.pieces: dict[str, tuple[tuple[int, str], ...]] = {}
        self.widths: dict[str, float] = {}
        self.subset_names: dict[int, str] = {}

    @classmethod
    def of(cls, canv: Canvas, font_name: str, size: float, leading: float) -> _CellEncoder:
        cache = canv.__dict__.setdefault("_cp_cell_encoders", {})
        key = (font_name, size, leading)
        enc = cache.get(key)
        if enc is None:
            enc = cache[key] = cls(canv, font_name, size, leading)
        return enc

    def usable(self, text) -> bool:
        return (getattr(self.font, "_dynamicFont", False) and hasattr(self.font, "splitString")
                and isinstance(getattr(text, "_code", None), list)
                and hasattr(text, "_curSubset") and text._canvas.bottomup)

    def width(self, value: str) -> float:
        w = self.widths.get(value)
        if w is None:
            w = self.widths[value] = stringWidth(value, self.font_name, self.size)
        return w

    def encode(self, value: str) -> tuple[tuple[int, str], ...]:
        """``(subset, "(...) Tj")`` pieces of a non-empty ``value`` (cached)."""
        escape = self.escape
        pieces = self.pieces[value] = tuple(
            (n, f"({escape(b)}) Tj") for n, b in self.font.splitString(value, self.doc))
        return pieces

    def select(self, subset: int) -> str:
        """The operator selecting font subset ``subset``."""
        name = self.subset_names.get(subset)
        if name is None:
            name = self.subset_names[subset] = self.font.getSubsetInternalName(subset, self.doc)
        return name + self.tf


class PagedTable(Flowable):
    """A long table that fills each page, splitting itself one page-worth of rows at a time.

    Row heights are worked out once (plain-string rows: one line; Paragraph cells: wrapped),
    so finding how many rows fit the space left on a page is a binary search over running
    totals, and each page draws just its rows with the header row on top. A single platypus
    ``Table`` of 10,000 rows would re-measure all remaining rows at every page break, and its
    per-cell drawing is several times slower than the one text object per page drawn here.
    """

    def __init__(self, head: list, rows: list[list], col_widths: Sequence[float], *,
                 align: Sequence[str], zebra: bool = True, struck: Collection[int] = (),
                 _heights: list[float] | None = None, _cum: list[float] | None = None,
                 _start: int = 0, _stop: int | None = None) -> None:
        super().__init__()
        self.head = head
        self.rows = rows
        self.col_widths = list(col_widths)
        self.align = list(align)
        self.zebra = zebra
        self.struck = struck if isinstance(struck, frozenset) else frozenset(struck)
        self.width = sum(self.col_widths)
        if _heights is None or _cum is None:
            _heights = [self._row_height(r) for r in [head, *rows]]
            _cum = [0.0]
            for h in _heights[1:]:
                _cum.append(_cum[-1] + h)
        self._heights = _heights  # [header, row 0, row 1, ...]
        self._cum = _cum  # _cum[i] = total height of rows[0:i]
        self._start = _start
        self._stop = len(rows) if _stop is None else _stop
        self.height = self._heights[0] + self._cum[self._stop] - self._cum[self._start]
        self.hAlign = "LEFT"

    def _row_height(self, row: list) -> float:
        h = ROW_HEIGHT
        for value, w in zip(row, self.col_widths, strict=True):
            if isinstance(value, Flowable):
                _w, ph = value.wrap(w - 2 * CELL_PAD_X, 1e6)
                h = max(h, ph + 2 * CELL_PAD_Y)
        return h

    def _slice(self, start: int, stop: int) -> PagedTable:
        part = PagedTable(self.head, self.rows, self.col_widths, align=self.align,
                          zebra=self.zebra, struck=self.struck, _heights=self._heights,
                          _cum=self._cum, _start=start, _stop=stop)
        return part

    def wrap(self, avail_width, avail_height):  # noqa: D401 - reportlab API
        return self.width, self.height

    def split(self, avail_width, avail_height):  # noqa: D401 - reportlab API
        room = avail_height - self._heights[0]
        start, stop = self._start, self._stop
        base = self._cum[start]
        lo, hi = start, stop  # the largest end with rows[start:end] fitting
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._cum[mid] - base <= room + 1e-6:
                lo = mid
            else:
                hi = mid - 1
        if lo == start:
            return []  # not even one row fits: move to the next frame
        if lo == stop:
            return [self]
        return [self._slice(start, lo), self._slice(lo, stop)]

    def draw(self) -> None:
        canv = self.canv
        fs = font_set()
        widths = self.col_widths
        xs = [0.0]
        for w in widths:
            xs.append(xs[-1] + w)
        total_w = xs[-1]
        heights = [self._heights[0], *self._heights[self._start + 1:self._stop + 1]]
        rows = [self.head, *self.rows[self._start:self._stop]]
        tops = [self.height]
        for h in heights:
            tops.append(tops[-1] - h)
        bottom = tops[-1]
        canv.saveState()
        # backgrounds: header, then every other row
        canv.setFillColor(HEADER_FILL)
        canv.rect(0, tops[1], total_w, heights[0], stroke=0, fill=1)
        if self.zebra:
            stripes = [f"0 {tops[i + 1]:.2f} {total_w:.2f} {heights[i]:.2f} re"
                       for i in range(1, len(rows)) if (self._start + i - 1) % 2 == 1]
            if stripes:
                canv.setFillColor(ZEBRA)
                canv.drawPath(_path(canv, stripes), stroke=0, fill=1)
        # grid, the rule under the header, the box
        lines = [f"0 {y:.2f} m {total_w:.2f} {y:.2f} l" for y in tops[2:-1]]
        lines += [f"{x:.2f} {self.height:.2f} m {x:.2f} {bottom:.2f} l" for x in xs[1:-1]]
        path = _path(canv, lines)
        canv.setStrokeColor(GRID)
        canv.setLineWidth(0.25)
        canv.drawPath(path, stroke=1, fill=0)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.8)
        canv.line(0, tops[1], total_w, tops[1])
        canv.setLineWidth(0.6)
        canv.rect(0, bottom, total_w, self.height - bottom, stroke=1, fill=0)
        # plain-string cells go into one text object per page (a Paragraph cell closes it,
        # draws itself and opens the next, so the content stays in reading order)
        main = fs.main
        size = CELL_FONT_SIZE
        drop = size * 0.36  # baseline below the middle of the row, for CJK and digits alike
        align = self.align
        encoder = _CellEncoder.of(canv, main, size, CELL_LEADING)
        measure = encoder.width

        def begin():
            text = canv.beginText()
            text.setFont(main, size, CELL_LEADING)
            text.setFillColor(INK)
            return text

        text = begin()
        fast = encoder.usable(text)
        code = text._code if fast else None
        cur = -1  # the font subset selected in the current text object
        pieces_of = encoder.pieces
        left_x = [f"1 0 0 1 {x + CELL_PAD_X:.2f} " for x in xs[:-1]]
        for i, row in enumerate(rows):
            top, h = tops[i], heights[i]
            base_y = top - h / 2 - drop
            y_tm = f" {base_y:.2f} Tm "
            for col, value in enumerate(row):
                if not value:
                    continue
                if isinstance(value, Flowable):
                    if fast:
                        text._curSubset = cur
                    canv.drawText(text)
                    _w, ph = value.wrap(widths[col] - 2 * CELL_PAD_X, 1e6)
                    value.drawOn(canv, xs[col] + CELL_PAD_X, top - h / 2 - ph / 2)
                    text = begin()
                    if fast:
                        code = text._code
                        cur = -1
                    continue
                how = align[col]
                if not fast:
                    if how == "left":
                        x = xs[col] + CELL_PAD_X
                    elif how == "right":
                        x = xs[col + 1] - CELL_PAD_X - measure(value)
                    else:
                        x = (xs[col] + xs[col + 1] - measure(value)) / 2
                    text.setTextOrigin(x, base_y)
                    text.textOut(value)
                    continue
                if how == "left":
                    tm = left_x[col] + y_tm
                elif how == "right":
                    tm = f"1 0 0 1 {xs[col + 1] - CELL_PAD_X - measure(value):.2f}{y_tm}"
                else:
                    tm = f"1 0 0 1 {(xs[col] + xs[col + 1] - measure(value)) / 2:.2f}{y_tm}"
                pieces = pieces_of.get(value) or encoder.encode(value)
                n, op = pieces[0]
                if n != cur:
                    code.append(encoder.select(n))
                    cur = n
                code.append(tm + op)
                for n, op in pieces[1:]:
                    if n != cur:
                        code.append(encoder.select(n))
                        cur = n
                    code.append(op)
        if fast:
            text._curSubset = cur
        canv.drawText(text)
        # voided rows: kept, struck through (the caller labels them too)
        if self.struck:
            strikes = [f"1.5 {tops[i] - heights[i] / 2:.2f} m {total_w - 1.5:.2f} "
                       f"{tops[i] - heights[i] / 2:.2f} l"
                       for i in range(1, len(rows)) if self._start + i - 1 in self.struck]
            if strikes:
                canv.setStrokeColor(STRIKE)
                canv.setLineWidth(0.7)
                canv.drawPath(_path(canv, strikes), stroke=1, fill=0)
        canv.restoreState()


_NARROW = "0123456789:-./*+ "


def data_table(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    col_widths: Sequence[float],
    *,
    wrap: Collection[int] = (),
    align: Mapping[int, str] | None = None,
    zebra: bool = True,
    struck: Collection[int] = (),
) -> PagedTable:
    """A table of ``rows`` under ``header`` that fills each page and repeats the header on
    every page.

    Cells are converted with ``str`` (``None`` → empty). A cell becomes a wrapping Paragraph
    when its column is in ``wrap``, when it is too wide for its column, when it has a line
    break or when it needs a fallback font; otherwise it stays a plain string, which is much
    faster to lay out. ``align`` maps column index to ``"left"``/``"right"``/``"centre"``.
    ``struck``: indexes of rows drawn struck through (voided records that stay on file).
    """
    if len(header) != len(col_widths):
        raise ValueError("header and col_widths differ in length")
    fs = font_set()
    st = styles()
    align = dict(align or {})
    para_style = {"right": st.cell_right, "centre": st.cell_centre, "center": st.cell_centre}
    col_style = [para_style.get(align.get(i, "left"), st.cell) for i in range(len(header))]
    inner = [w - 2 * CELL_PAD_X for w in col_widths]
    # a string of at most this many characters fits its column whatever its characters
    safe_len = [int(w // CELL_FONT_SIZE) for w in inner]
    # ... and of at most this many when made of digits and the like only (times, numbers)
    narrow = max(stringWidth(ch, fs.main, CELL_FONT_SIZE) for ch in _NARROW)
    safe_narrow = [int(w // narrow) for w in inner]
    wrap = frozenset(wrap)
    covers = fs.covers
    markup = fs.markup
    main = fs.main

    measured: dict[str, float] = {}  # logs repeat their reasons, names, rooms...

    def cell(value: object, col: int):
        text = "" if value is None else str(value)
        if col in wrap or "\n" in text or not covers(text):
            # line by line: markup() turns control characters (a newline too) into spaces
            return Paragraph("<br/>".join(markup(line) for line in text.split("\n")),
                             col_style[col])
        if len(text) > safe_len[col]:
            if len(text) <= safe_narrow[col] and not text.strip(_NARROW):
                return text  # digits, times, numbers: narrow characters only
            width = measured.get(text)
            if width is None:
                width = measured[text] = stringWidth(text, main, CELL_FONT_SIZE)
            if width > inner[col]:
                return Paragraph(markup(text), col_style[col])
        return text

    head = [Paragraph(markup(h), st.header_cell)
            if not covers(h) or stringWidth(h, main, CELL_FONT_SIZE) > inner[i] else h
            for i, h in enumerate(header)]
    body = []
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"row {len(body) + 1} has {len(row)} cells, the header {len(header)}")
        body.append([cell(v, i) for i, v in enumerate(row)])
    aligns = [{"right": "right", "centre": "centre", "center": "centre"}.get(
        align.get(i, "left"), "left") for i in range(len(header))]
    return PagedTable(head, body, col_widths, align=aligns, zebra=zebra, struck=struck)


# -- the last page -------------------------------------------------------------------------------

class SignatureLines(Flowable):
    """"值班员（签字）：______  日期：____年__月__日", one line per role."""

    def __init__(self, roles: Sequence[str], width: float, line_gap: float = 13 * mm) -> None:
        super().__init__()
        self.roles = list(roles)
        self.width = width
        self.line_gap = line_gap
        self.height = line_gap * len(self.roles)

    def wrap(self, avail_width, avail_height):  # noqa: D401 - reportlab API
        self.width = min(self.width, avail_width)
        return self.width, self.height

    def draw(self) -> None:
        fs = font_set()
        canv = self.canv
        size = 10
        date_label = _("sig.date") + _("sig.colon")
        date_blank = _("sig.date_blank")
        date_w = fs.string_width(date_label, size) + max(
            fs.string_width(date_blank, size), 32 * mm)
        canv.setStrokeColor(INK)
        canv.setLineWidth(0.6)
        canv.setFillColor(INK)
        for i, role in enumerate(self.roles):
            y = self.height - (i + 1) * self.line_gap + 3 * mm
            label = f"{role}{_('sig.signature')}{_('sig.colon')}"
            label_w = fs.draw_string(canv, 0, y, label, size)
            date_x = self.width - date_w
            canv.line(label_w + 2 * mm, y - 1.5, date_x - 6 * mm, y - 1.5)
            lw = fs.draw_string(canv, date_x, y, date_label, size)
            fs.draw_string(canv, date_x + lw, y, date_blank, size)
            canv.line(date_x + lw, y - 1.5, self.width, y - 1.5)


def signature_block(roles: Sequence[str] | None = None, width: float = FRAME_WIDTH) -> Flowable:
    """Signature lines, by default for 值班员 and 负责人, each with a date line."""
    if roles is None:
        roles = (_("sig.duty"), _("sig.manager"))
    return SignatureLines(roles, width)


def qr_flowable(payload: str, side: float = 34 * mm) -> Flowable:
    """A QR code of ``payload`` (quiet zone included in ``side``)."""
    return QrFlowable(payload, side)


def closing_block(
    checkpoint_payload: str,
    caption_lines: Sequence[str] = (),
    *,
    roles: Sequence[str] | None = None,
    qr_side: float = 34 * mm,
) -> Flowable:
    """What the last page ends with, kept together on one page: the signature lines, then the
    checkpoint QR with its caption beside it (site, gate, day, rows, chain head...)."""
    st = styles()
    caption = [para(_("checkpoint.title"), st.heading)]
    caption += [para(line, st.body) for line in caption_lines]
    caption += [Spacer(1, 1.5 * mm), para(_("checkpoint.hint"), st.small)]
    qr_table = Table(
        [[qr_flowable(checkpoint_payload, qr_side), caption]],
        colWidths=[qr_side + 4 * mm, FRAME_WIDTH - qr_side - 4 * mm],
        style=TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("FONTNAME", (0, 0), (-1, -1), MAIN_FONT),
        ]),
        hAlign="LEFT",
    )
    return KeepTogether([
        Spacer(1, 8 * mm),
        signature_block(roles, FRAME_WIDTH),
        Spacer(1, 6 * mm),
        qr_table,
    ])
