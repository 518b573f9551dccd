"""The residents table: a model over the office roster and a filter proxy for search and filters.

Search (``matches``): a room as typed (``3-2-501``; ``3-2`` is building 3 unit 2, not unit 20;
the room may be typed part-way: ``3-2-5``), a part of the name, the start of the pinyin
initials (``zs``), or the tail of the phone (3 digits or more; a masked phone keeps its tail).
Full-width characters count as their plain forms (NFKC). The proxy works out which rows match
in one pass over precomputed columns (``SearchColumns``) and answers ``filterAcceptsRow`` from that list: a search
over 10,000 residents costs one list comprehension, not 10,000 trips through Python.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from checkpoint_app.db.residents_repo import Resident
from checkpoint_app.services.residents import OfficeRoster

RESIDENT_ROLE = Qt.ItemDataRole.UserRole + 1


translate = QCoreApplication.translate


@dataclass(frozen=True)
class SearchColumns:
    """What the search looks at, one list per field (a search is a few list comprehensions)."""
    labels: list[str]          # "3-2-501"
    names: list[str]
    initials: list[str]        # lower case
    phones: list[str]          # digits and the mask's stars, as shown


def search_columns(people: list[Resident]) -> SearchColumns:
    """Worked out once per roster, off the GUI thread (the roster job does it)."""
    return SearchColumns([r.household for r in people], [r.name for r in people],
                         [(r.name_initials or "").lower() for r in people],
                         ["".join(c for c in (r.phone or "") if c.isdigit() or c == "*") for r in people])


def normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def matching(text: str, cols: SearchColumns) -> list[bool]:
    """For each row: does it match ``text`` (already ``normalise``d)? Empty matches everything."""
    n = len(cols.labels)
    if not text:
        return [True] * n
    if "-" in text:
        parts = text.split("-")
        if len(parts) > 3:
            return [False] * n
        # Building and unit exactly (``3-2`` is not unit 20), the room as typed so far.
        prefix = text if len(parts) == 3 or not parts[-1] else text + "-"
        return [label.startswith(prefix) for label in cols.labels]
    hits = [text in name for name in cols.names]
    if text.isascii() and text.isalpha():
        low = text.lower()
        hits = [h or i.startswith(low) for h, i in zip(hits, cols.initials)]
    if text.isdigit():
        building = text + "-"
        tail = len(text) >= 3
        hits = [h or label.startswith(building) or (tail and phone.endswith(text))
                for h, label, phone in zip(hits, cols.labels, cols.phones)]
    return hits


def matches(text: str, person: Resident) -> bool:
    return matching(text, search_columns([person]))[0]


FILTERS = ("quarantine", "observation", "no_pass", "moved_out")


class ResidentsModel(QAbstractTableModel):
    COLUMNS = (QT_TRANSLATE_NOOP("ResidentsModel", "房号"), QT_TRANSLATE_NOOP("ResidentsModel", "姓名"),
               QT_TRANSLATE_NOOP("ResidentsModel", "身份"), QT_TRANSLATE_NOOP("ResidentsModel", "电话"),
               QT_TRANSLATE_NOOP("ResidentsModel", "身份证号"), QT_TRANSLATE_NOOP("ResidentsModel", "状态"),
               QT_TRANSLATE_NOOP("ResidentsModel", "出入证"))

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[Resident] = []
        self.columns = search_columns([])
        self.valid_pass: frozenset[int] = frozenset()
        self._headers = [translate("ResidentsModel", c) for c in self.COLUMNS]
        self._kinds = {"owner": translate("ResidentsModel", "户主"), "family": translate("ResidentsModel", "家属"), "tenant": translate("ResidentsModel", "租户")}
        self._statuses = {"normal": translate("ResidentsModel", "正常"), "quarantine": translate("ResidentsModel", "居家隔离"), "observation": translate("ResidentsModel", "健康观察")}

    def set_roster(self, roster: OfficeRoster, columns: SearchColumns | None = None) -> None:
        """``columns``: ``search_columns(roster.residents)``, made in the background for a big roster."""
        self.beginResetModel()
        self.rows = list(roster.residents)
        self.columns = columns or search_columns(self.rows)
        self.valid_pass = roster.with_valid_pass
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    @property
    def kinds(self) -> dict[str, str]:
        """owner/family/tenant in words."""
        return self._kinds

    def status_text(self, r: Resident) -> str:
        if not r.active:
            return translate("ResidentsModel", "已迁出")
        text = self._statuses.get(r.status, r.status)
        if r.status != "normal" and r.status_until:
            text += translate("ResidentsModel", " 至 {day}").format(day=r.status_until.isoformat())
        return text

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        r = self.rows[index.row()]
        if role == RESIDENT_ROLE:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            col = index.column()
            if col == 0:
                return r.household
            if col == 1:
                return r.name
            if col == 2:
                return self._kinds.get(r.kind, r.kind)
            if col == 3:
                return r.phone or ""
            if col == 4:
                return r.id_number or ""
            if col == 5:
                return self.status_text(r)
            if col == 6:
                return translate("ResidentsModel", "有效") if r.id in self.valid_pass else translate("ResidentsModel", "无")
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in (5, 6):
            from PySide6.QtGui import QColor

            if index.column() == 5 and r.active and r.status == "quarantine":
                return QColor("#c62828")
            if index.column() == 5 and r.active and r.status == "observation":
                return QColor("#8a5a00")
            if index.column() == 6 and r.active and r.id not in self.valid_pass:
                return QColor("#c62828")
        return None


class ResidentsFilter(QSortFilterProxyModel):
    """Search text and the four filters; with no filter ticked, the people living here."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.text = ""
        self.filters: set[str] = set()
        self.today: date | None = None
        self._accept: list[bool] = []
        self.total = 0                       # the rows the filters take, whatever is typed (the count's "of")
        self.setDynamicSortFilter(False)

    def setSourceModel(self, model) -> None:  # noqa: N802
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self._reset_about)
        model.modelReset.connect(self.refresh)
        self.refresh()

    def _reset_about(self) -> None:
        self._accept = []

    def set_text(self, text: str) -> None:
        self.text = normalise(text)
        self.refresh()

    def set_filter(self, name: str, on: bool) -> None:
        (self.filters.add if on else self.filters.discard)(name)
        self.refresh()

    def _wanted(self, r: Resident, valid_pass: frozenset[int]) -> bool:
        if not self.filters:
            return r.active
        return (("moved_out" in self.filters and not r.active)
                or (r.active and ("quarantine" in self.filters and r.status == "quarantine"
                                  or "observation" in self.filters and r.status == "observation"
                                  or "no_pass" in self.filters and r.id not in valid_pass)))

    def refresh(self) -> None:
        model = self.sourceModel()
        self.beginFilterChange()
        if model is None:
            self._accept, self.total = [], 0
        else:
            valid = model.valid_pass
            wanted = [self._wanted(r, valid) for r in model.rows]
            self.total = sum(wanted)
            self._accept = [hit and want for hit, want in zip(matching(self.text, model.columns), wanted)]
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        # The proxy re-filters on the source's reset before ``refresh`` has run: nothing yet.
        return source_row < len(self._accept) and self._accept[source_row]
