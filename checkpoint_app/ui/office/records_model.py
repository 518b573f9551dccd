"""A lazy window onto the records list (services/records_browser.py): pages by key, in the background.

The model holds a window of at most ``WINDOW`` rows of a list that may be ten million long. It
never counts the list and never reads it by OFFSET: scrolling down fetches the page after the
last row held (``canFetchMore``/``fetchMore``), scrolling up to the top the page before the first
(``fetch_before``), the jump to the end the last page; each page is read by a background job
(office/background.py) and handed to the model on the GUI thread, so no handler waits on
SQLite. When the window grows past ``WINDOW`` the rows furthest from where the reading goes are
let go (and can be fetched again).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from checkpoint_app.domain import record_kinds
from checkpoint_app.errors import UserError
from checkpoint_app.services import records_browser
from checkpoint_app.services.records_browser import RecordFilter, RecordRow
from checkpoint_app.ui.office.background import Background

translate = QCoreApplication.translate
PAGE = 200
FIRST_PAGE = 50        # the first (or last) page: a screenful and more, read and shown sooner
WINDOW = 5000
LAST = ("~", "")       # a key after every record: the page before it is the last page
LANE = "records"      # its own worker: the first rows never wait behind another page's work (the roster)

COLUMNS = (QT_TRANSLATE_NOOP("RecordsModel", "时间"), QT_TRANSLATE_NOOP("RecordsModel", "类型"),
           QT_TRANSLATE_NOOP("RecordsModel", "对象"), QT_TRANSLATE_NOOP("RecordsModel", "内容"),
           QT_TRANSLATE_NOOP("RecordsModel", "登记人"), QT_TRANSLATE_NOOP("RecordsModel", "结果"),
           QT_TRANSLATE_NOOP("RecordsModel", "更正 / 作废"), QT_TRANSLATE_NOOP("RecordsModel", "门岗 · 序号"))


class RecordsModel(QAbstractTableModel):
    pageLoaded = Signal(str, int)      # "after" | "before" | "first" | "last", rows added
    failed = Signal(str)               # one sentence

    def __init__(self, background: Background, parent=None, *, page: int = PAGE, window: int = WINDOW) -> None:
        super().__init__(parent)
        self.background = background
        self.page_size = page
        self.first_size = min(FIRST_PAGE, page)
        self.window = window
        self.rows: list[RecordRow] = []
        self.filter = RecordFilter()
        self.more_after = False
        self.more_before = False
        self._request = 0          # a new filter or a jump makes older answers stale
        self._fetching = False
        self._dimmed = QColor("#78909c")

    # -- what is asked ----------------------------------------------------------------------------
    def set_filter(self, f: RecordFilter) -> None:
        self._reset(f)
        self._fetch("first", after=None)

    def jump_to_end(self) -> None:
        self._reset(self.filter)
        self._fetch("last", before=LAST)

    def jump_to_start(self) -> None:
        self.set_filter(self.filter)

    def fetch_before(self) -> None:
        if self.more_before and not self._fetching and self.rows:
            self._fetch("before", before=self.rows[0].key)

    @property
    def fetching(self) -> bool:
        return self._fetching

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and self.more_after and not self._fetching

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        if self.canFetchMore(parent) and self.rows:
            self._fetch("after", after=self.rows[-1].key)

    # -- the background read ------------------------------------------------------------------------
    def _reset(self, f: RecordFilter) -> None:
        self._request += 1
        self._fetching = False
        self.beginResetModel()
        self.filter = f
        self.rows = []
        self.more_after = self.more_before = False
        self.endResetModel()

    def _fetch(self, where: str, *, after=None, before=None) -> None:
        self._fetching = True
        request, f = self._request, self.filter
        size = self.first_size if where in ("first", "last") else self.page_size
        self.background.run(
            f"records {request} {where} {after or before}",
            lambda ctx: records_browser.page(ctx, f, after=after, before=before, limit=size),
            lambda rows: self._arrived(request, where, rows, size),
            lambda err: self._failed(request, err), lane=LANE)

    def _failed(self, request: int, err: BaseException) -> None:
        if request != self._request:
            return
        self._fetching = False
        if not isinstance(err, UserError):
            raise err
        self.failed.emit(str(err))

    def _arrived(self, request: int, where: str, rows: list[RecordRow], size: int) -> None:
        if request != self._request:
            return
        self._fetching = False
        full = len(rows) == size
        if where in ("first", "last"):
            self.more_after = full and where == "first"
            self.more_before = full and where == "last"
        if where in ("first", "after"):
            self.more_after = full
        else:
            self.more_before = full
        if rows:
            if where in ("first", "after"):
                at = len(self.rows)
                self.beginInsertRows(QModelIndex(), at, at + len(rows) - 1)
                self.rows.extend(rows)
                self.endInsertRows()
                extra = len(self.rows) - self.window
                if extra > 0:          # let go of the top
                    self.beginRemoveRows(QModelIndex(), 0, extra - 1)
                    del self.rows[:extra]
                    self.endRemoveRows()
                    self.more_before = True
            else:
                self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
                self.rows[:0] = rows
                self.endInsertRows()
                extra = len(self.rows) - self.window
                if extra > 0:          # let go of the bottom
                    self.beginRemoveRows(QModelIndex(), len(self.rows) - extra, len(self.rows) - 1)
                    del self.rows[-extra:]
                    self.endRemoveRows()
                    self.more_after = True
        self.pageLoaded.emit(where, len(rows))

    # -- the table --------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return translate("RecordsModel", COLUMNS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= len(COLUMNS):
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 6 and r.fixes:
            return r.fixes_text()
        if role == Qt.ItemDataRole.ForegroundRole and r.void:
            return self._dimmed
        if role == Qt.ItemDataRole.FontRole and r.void:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setStrikeOut(index.column() in (2, 3))
            return font
        return None

    def _text(self, r: RecordRow, column: int) -> str:
        if column == 0:
            return r.at[:19].replace("T", " ")
        if column == 1:
            return record_kinds.label(r.kind)
        if column == 2:
            return r.who
        if column == 3:
            return r.detail
        if column == 4:
            return r.by
        if column == 5:
            return records_browser.outcome_label(r.outcome) if r.outcome else ""
        if column == 6:
            return r.fixes_text()
        return f"{r.origin} · {r.seq}"
