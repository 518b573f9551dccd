"""The live board: today's counts, who is out (and overdue), the last 20 passages.

The board's queries run in a worker thread on a connection of their own, so a busy file (10
million passages) never delays the answer to the resident in front of the guard. The worker
refreshes when asked (after each record) and when ``PRAGMA data_version`` says another
connection wrote to the file (the CLI, a merge), and once a minute for the overdue marks.
"""

from __future__ import annotations

import functools
import html
import logging
import math
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QSize, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QFont, QFontMetrics, QTextDocument
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from checkpoint_app.domain.temperature import format_temperature

log = logging.getLogger(__name__)

POLL_MS = 2000
INCIDENTS_COUNTED = 99  # the F6 key says "99+" beyond; the panel lists them all
OUT_SHOWN = 15          # overdue and longest out first; hundreds of names help nobody at the gate
OUT_LINES = 4           # lines of who is out; those that do not fit are "…另 n 人"


class BoardWorker(QObject):
    """Owns its own GateContext; lives in the board thread."""

    loaded = Signal(object)       # services.board.Board
    incidents = Signal(int)       # open incidents (up to INCIDENTS_COUNTED)
    failed = Signal(str)

    def __init__(self, data_dir: Path, clock: Callable[[], datetime], *, readonly: bool = False) -> None:
        super().__init__()
        self._data_dir = data_dir
        self._clock = clock
        self._readonly = readonly
        self._ctx = None
        self._timer: QTimer | None = None
        self._version = None
        self._minute = None

    @Slot()
    def start(self) -> None:
        try:
            if self._readonly:   # a damaged file or read-only media: show it, never write
                from checkpoint_app.services.health import open_gate_readonly

                self._ctx = open_gate_readonly(self._data_dir, clock=self._clock)
            else:
                from checkpoint_app.services.context import open_gate

                self._ctx = open_gate(self._data_dir, clock=self._clock)
        except Exception as exc:  # noqa: BLE001 — the screen says the board is not there
            log.exception("board cannot open %s", self._data_dir)
            self.failed.emit(str(exc))
            return
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.poll)
        self._timer.start(POLL_MS)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        if self._ctx is None:
            return
        from checkpoint_app.services import board as board_service, gate_screen, incidents

        try:
            self._ctx.reload()
            self._version = gate_screen.data_version(self._ctx)
            self._minute = self._ctx.now().replace(second=0, microsecond=0)
            self.loaded.emit(board_service.board(self._ctx))
            self.incidents.emit(len(incidents.open_incidents(self._ctx, limit=INCIDENTS_COUNTED + 1)))
        except Exception as exc:  # noqa: BLE001 — a board that failed once must try again later
            log.exception("board refresh failed")
            self.failed.emit(str(exc))

    @Slot()
    def poll(self) -> None:
        if self._ctx is None:
            return
        from checkpoint_app.services import gate_screen

        try:
            changed = gate_screen.data_version(self._ctx) != self._version
        except Exception:  # noqa: BLE001
            log.exception("board poll failed")
            return
        if changed or self._ctx.now().replace(second=0, microsecond=0) != self._minute:
            self.refresh()

    @Slot()
    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            # Destroyed here, in the thread it lives in: Qt warns when a timer dies elsewhere.
            self._timer.setParent(None)
            self._timer = None
        if self._ctx is not None:
            self._ctx.close()
            self._ctx = None


#: The tiles' text sizes (px: value, label) from roomy to tight; the board takes the largest whose
#: figures and words fit its width (a busy day's "104" tiles in English needed 427 px, and the
#: board, 451 px wide at 1024x640, was laid over the guard's panel).
TILE_FITS = (("", 40, 16), ("compact", 30, 14), ("tight", 24, 12))


class _Tile(QWidget):
    def __init__(self, label: str, *, alarm: bool = False) -> None:
        super().__init__()
        self._alarm = alarm
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.setSpacing(0)
        self.value = QLabel("–")
        self.value.setObjectName("tileValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label = QLabel(label)
        self.label.setObjectName("tileLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.value)
        lay.addWidget(self.label)
        self.fit = ""

    def minimumSizeHint(self):  # noqa: N802 — the board fits the text to the width, never the reverse
        return QSize(0, super().minimumSizeHint().height())

    def needs(self, value_px: int, label_px: int) -> int:
        """The width this tile's figure and words take at those text sizes."""
        value, label = QFont(self.value.font()), QFont(self.label.font())
        value.setPixelSize(value_px)
        label.setPixelSize(label_px)
        margins = self.layout().contentsMargins()
        return max(QFontMetrics(value).horizontalAdvance(self.value.text()),
                   QFontMetrics(label).horizontalAdvance(self.label.text())) + margins.left() + margins.right()

    def set_fit(self, fit: str) -> None:
        if fit == self.fit:
            return
        self.fit = fit
        for widget in (self.value, self.label):
            widget.setProperty("fit", fit)
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def set(self, n: int) -> None:
        self.value.setText(str(n))
        name = "tileValueBad" if self._alarm and n else "tileValue"
        if self.value.objectName() != name:
            self.value.setObjectName(name)
            self.value.style().unpolish(self.value)
            self.value.style().polish(self.value)


def _lines_height(font, lines: int) -> int:
    """The height of ``lines`` lines of rich text in ``font``, as a label lays them out."""
    return _measured_height(font.toString(), lines)


@functools.lru_cache(maxsize=64)
def _measured_height(font_key: str, lines: int) -> int:
    font = QFont()
    font.fromString(font_key)
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml("<br>".join(["国"] * lines))
    return math.ceil(doc.size().height())


class _OutList(QLabel):
    """Who is out: re-laid out by the board when its width changes (a line per what fits)."""

    def __init__(self, refit: Callable[[], None]) -> None:
        super().__init__()
        self._refit = refit

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._refit()

    def minimumSizeHint(self):  # noqa: N802 — its lines are made for its width, never the reverse
        return QSize(0, super().minimumSizeHint().height())

    def sizeHint(self):  # noqa: N802
        return QSize(0, super().sizeHint().height())


class BoardWidget(QWidget):
    refreshRequested = Signal()
    updated = Signal()
    incidentsCounted = Signal(int)

    def __init__(self, data_dir: Path, clock: Callable[[], datetime], *, threaded: bool = True,
                 readonly: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("board")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._clock = clock
        self.board = None
        self._busy = False
        self._again = False
        self._built = False
        self._recent_shown = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setSpacing(6)
        self.title = QLabel(self.tr("今日"))
        self.title.setObjectName("boardTitle")
        lay.addWidget(self.title)
        self._worker = BoardWorker(data_dir, clock, readonly=readonly)
        self._thread: QThread | None = None
        if threaded:
            self._thread = QThread(self)
            self._thread.setObjectName("board")
            self._worker.moveToThread(self._thread)
            self._thread.started.connect(self._worker.start)
            self._thread.finished.connect(self._worker.deleteLater)
        self._worker.loaded.connect(self._show)
        self._worker.failed.connect(self._failed)
        self._worker.incidents.connect(self.incidentsCounted)
        self.refreshRequested.connect(self._worker.refresh)
        self._started = False

    def start(self) -> None:
        """Open the board's own connection and load (in the thread when threaded)."""
        if self._started:
            return
        self.build()
        self._started = True
        if self._thread is not None:
            self._thread.start()
        else:
            self._worker.start()

    def build(self) -> None:
        """The tiles and lists; made after the window's first paint (the data comes later anyway)."""
        if self._built:
            return
        self._built = True
        lay = self.layout()
        tiles = QGridLayout()
        tiles.setHorizontalSpacing(4)
        self.tile_in = _Tile(self.tr("进"))
        self.tile_out = _Tile(self.tr("出"))
        self.tile_fever = _Tile(self.tr("发热"), alarm=True)
        self.tile_refused = _Tile(self.tr("拒绝"), alarm=True)
        self.tile_flagged = _Tile(self.tr("需注意"))
        self.tile_visitors = _Tile(self.tr("访客在内"))
        self._tiles = (self.tile_in, self.tile_out, self.tile_fever, self.tile_refused,
                       self.tile_flagged, self.tile_visitors)
        for i, t in enumerate(self._tiles):
            tiles.addWidget(t, 0, i)
        self._tiles_layout = tiles
        lay.addLayout(tiles)
        head = QHBoxLayout()
        self.out_title = QLabel(self.tr("外出未归"))
        self.out_title.setObjectName("boardTitle")
        head.addWidget(self.out_title)
        head.addStretch(1)
        self.out_hint = QLabel(self.tr("已外出 时:分"))
        self.out_hint.setObjectName("tileLabel")
        head.addWidget(self.out_hint)
        lay.addLayout(head)
        # One label of rich text rather than a list of items: re-laid out and painted in one go,
        # so a board update never holds up the answer to the next resident.
        self.out_list = _OutList(self._fit_out)
        self.out_list.setObjectName("outNow")
        self.out_list.setTextFormat(Qt.TextFormat.RichText)
        self.out_list.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.out_list.ensurePolished()
        self.out_list.setFixedHeight(_lines_height(self.out_list.font(), OUT_LINES))
        lay.addWidget(self.out_list)
        self.recent_title = QLabel(self.tr("最近 20 条"))
        self.recent_title.setObjectName("boardTitle")
        lay.addWidget(self.recent_title)
        self.recent = QTableWidget(0, 5)
        self.recent.setHorizontalHeaderLabels([self.tr("时间"), self.tr("方向"), self.tr("户号 姓名"),
                                               self.tr("体温"), self.tr("结果")])
        self.recent.verticalHeader().setVisible(False)
        self.recent.verticalHeader().setDefaultSectionSize(30)
        self.recent.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.recent.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.recent.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.recent.setShowGrid(False)
        header = self.recent.horizontalHeader()
        fm = self.recent.fontMetrics()
        # Fixed widths (measured once): resizing to contents re-measures every cell on each update.
        # A small padding: at 1024×640 the board is ~400 px wide and the household must be whole
        # ("1-1-30…" told the guard nothing; issue 10), the name may be cut (its tooltip has it).
        for col, sample in ((0, "00:00"), (1, self.tr("出")), (3, "00.0"),
                            (4, self.tr("手动·") + self._outcome_text("allowed"))):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, max(fm.horizontalAdvance(sample), fm.horizontalAdvance(
                self.recent.horizontalHeaderItem(col).text())) + 8)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.recent, 1)

    # -- data -----------------------------------------------------------------------------------
    def request_refresh(self) -> None:
        """Ask for fresh figures; requests made while one is running collapse into one more."""
        if self._busy:
            self._again = True
            return
        self._busy = True
        self.refreshRequested.emit()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_tiles()

    def fit_tiles(self) -> None:
        """The largest text sizes at which every tile's figure and words fit the board's width."""
        if not self._built:
            return
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right() \
            - self._tiles_layout.horizontalSpacing() * (len(self._tiles) - 1)
        for fit, value_px, label_px in TILE_FITS:
            if sum(t.needs(value_px, label_px) for t in self._tiles) <= room:
                break
        for t in self._tiles:
            t.set_fit(fit)

    @Slot(object)
    def _show(self, board) -> None:
        self._busy = False
        if self._again:
            self._again = False
            self.request_refresh()
        self.board = board
        digits = [len(t.value.text()) for t in self._tiles]
        self.tile_in.set(board.count_in)
        self.tile_out.set(board.count_out)
        self.tile_fever.set(board.fevers)
        self.tile_refused.set(board.refusals)
        self.tile_flagged.set(board.flagged)
        self.tile_visitors.set(board.visitors_inside)
        if digits != [len(t.value.text()) for t in self._tiles]:
            self.fit_tiles()             # a figure grew (or lost) a digit
        overdue = sum(1 for o in board.out_now if o.overdue)
        self.out_title.setText(self.tr("外出未归 {n} 人").format(n=len(board.out_now))
                               + (self.tr("（超时 {m} 人）").format(m=overdue) if overdue else ""))
        self.out_hint.setVisible(bool(board.out_now))
        now = self._clock()
        shown = sorted(board.out_now, key=lambda o: (not o.overdue, o.since))
        self._out_entries = []
        for o in shown[:OUT_SHOWN]:
            minutes = max(0, int((now - o.since).total_seconds() // 60))
            self._out_entries.append((f"{o.household} {o.name} {minutes // 60}:{minutes % 60:02d}", o.overdue))
        self._out_total = len(shown)
        self._fit_out()
        if board.recent != self._recent_shown:
            self._fill_recent(board.recent)
        self.updated.emit()

    def _fit_out(self) -> None:
        """Who is out, laid out here line by line, as many as the list's lines hold; the others
        are "…另 n 人" — never a name or that count cut off below the list's bottom edge."""
        entries, total = getattr(self, "_out_entries", None), getattr(self, "_out_total", 0)
        if entries is None:
            return
        fm = self.out_list.fontMetrics()
        room = self.out_list.contentsRect().width()
        rows, height = 1, self.out_list.contentsRect().height()
        while _lines_height(self.out_list.font(), rows + 1) <= height:
            rows += 1
        gap, pad = "\u00a0\u00a0 ", "\u00a0"

        def width(entry) -> int:
            text, overdue = entry
            return fm.horizontalAdvance(pad + text + pad if overdue else text)

        def lay(items: list, more: str | None) -> list[list] | None:
            lines, line, used = [], [], 0
            for item in [*items, *([(more, False)] if more else [])]:
                w = width(item)
                if line and used + fm.horizontalAdvance(gap) + w > room:
                    lines.append(line)
                    line, used = [], 0
                used += (fm.horizontalAdvance(gap) if line else 0) + w
                line.append(item)
            if line:
                lines.append(line)
            return lines if len(lines) <= rows else None

        lines = None
        for n in range(len(entries), -1, -1):
            more = self.tr("…另 {n} 人").format(n=total - n) if n < total else None
            lines = lay(entries[:n], more)
            if lines is not None:
                break
        lines = lines or [[(self.tr("…另 {n} 人").format(n=total), False)]]

        def cell(entry) -> str:
            text, overdue = entry
            text = html.escape(text).replace(" ", "&nbsp;")
            return f'<span style="background:#c62828;color:#ffffff;">&nbsp;{text}&nbsp;</span>' if overdue else text

        text = "<br>".join("&nbsp;&nbsp; ".join(cell(e) for e in line) for line in lines) if entries or total else ""
        if text != self.out_list.text():
            self.out_list.setText(text)

    def _fill_recent(self, recent: list) -> None:
        self._recent_shown = recent
        self.recent.setRowCount(len(recent))
        for row, r in enumerate(recent):
            outcome = self._outcome_text(r.outcome)
            # hours and minutes: the seconds (in the tooltip) took the room the household needs at 1024 px
            cells = (r.at[11:16], self.tr("进") if r.direction == "in" else self.tr("出"),
                     " ".join(x for x in (r.household or "", r.name or "") if x) or self.tr("（未知卡）"),
                     format_temperature(r.temp_tenths) if r.temp_tenths is not None else "",
                     self.tr("手动·") + outcome if r.manual else outcome)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 2:
                    item.setToolTip(text)
                if col == 0:
                    item.setToolTip(r.at[11:19])
                if col == 4 and r.outcome in _OUTCOME_COLOR:
                    bg, fg = _OUTCOME_COLOR[r.outcome]
                    item.setBackground(QColor(bg))
                    item.setForeground(QColor(fg))
                self.recent.setItem(row, col, item)

    @Slot(str)
    def _failed(self, _message: str) -> None:
        self._busy = False

    def _outcome_text(self, outcome: str) -> str:
        return {"allowed": self.tr("通行"), "flagged": self.tr("注意"), "denied": self.tr("拒绝")}.get(outcome, outcome)

    def shutdown(self) -> None:
        if self._thread is not None and self._thread.isRunning():
            from PySide6.QtCore import QMetaObject

            QMetaObject.invokeMethod(self._worker, "stop", Qt.ConnectionType.BlockingQueuedConnection)
            self._thread.quit()
            self._thread.wait(5000)
        elif self._thread is None:
            self._worker.stop()


_OUTCOME_COLOR = {"allowed": ("#e8f5e9", "#1b5e20"), "flagged": ("#ffb300", "#000000"),
                  "denied": ("#c62828", "#ffffff")}
