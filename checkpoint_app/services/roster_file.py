"""Read a resident roster (花名册) made in Excel or exported as CSV into validated rows.

No database work here: ``read_roster`` only reads, recognises the header, normalises and
validates every row. Problems with the file itself raise ``InvalidInput``; problems with a row
never raise: the row goes to ``errors`` with a sentence naming the column, and the good rows
are kept.

Office files as they come: a title row or two above the header (the header is the row among the
first ten that names the most known columns), merged cells (a merged range reads as its
top-left value in every cell it covers: a building written once for a block of rows), blank rows,
full-width digits, phones typed as numbers (13812345678.0). An ID number that Excel made a
number (4.21202E+17, or a float in the .xlsx) lost its last digits: the row is rejected, saying
so. A .csv's encoding is detected (UTF-8 with or without BOM, UTF-16, GB18030/GBK). The wizard
(``inspect_roster``) shows what was detected and lets the user choose the sheet, the header row
and the column of each field (``RosterChoice``); ``write_rejects`` writes the rejected rows, as
they were in the file, with the reason, to an .xlsx the office can correct and import again.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from pathlib import Path
from typing import TypeVar

from checkpoint_app.domain.identity import normalize_name, validate_id_number, validate_mobile
from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages, language
from checkpoint_app.services import roster_values as values

_ = Messages({
    "file.missing": ("找不到文件“{name}”。", "The file “{name}” does not exist."),
    "file.unopenable": (
        "无法打开文件“{name}”，请确认它没有被其他程序占用。",
        "The file “{name}” cannot be opened; make sure no other program is using it.",
    ),
    "file.extension": (
        "无法读取“{name}”：花名册须为 .xlsx、.csv 或 .txt 文件。",
        "Cannot read “{name}”: the roster must be an .xlsx, .csv or .txt file.",
    ),
    "file.xls": (
        "“{name}”是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入。",
        "“{name}” is an old Excel (.xls) file; save it as .xlsx in Excel and import that.",
    ),
    "file.corrupt": (
        "“{name}”不是有效的 Excel 文件（可能已损坏或设置了密码），请在 Excel 中另存一份后再导入。",
        "“{name}” is not a valid Excel file (damaged or password-protected); save a copy in Excel and import that.",
    ),
    "file.encoding": (
        "无法识别“{name}”的文字编码，请在 Excel 中另存为“CSV UTF-8”后再导入。",
        "The text encoding of “{name}” is not recognised; save it as “CSV UTF-8” in Excel and import that.",
    ),
    "file.csv_broken": (
        "“{name}”第 {line} 行格式有误（可能有未闭合的引号或过长的内容）。",
        "Line {line} of “{name}” is malformed (an unclosed quote or an overlong value).",
    ),
    "file.too_big": ("“{name}”太大，无法作为花名册读取。", "“{name}” is too large to be a roster."),
    "file.empty": ("“{name}”里没有住户数据。", "“{name}” contains no residents."),
    "file.too_many": (
        "“{name}”的住户超过 {limit} 行，请拆分成几个文件分别导入。",
        "“{name}” has more than {limit} resident rows; split it into several files.",
    ),
    "header.none": (
        "在“{name}”的前 {rows} 行找不到表头，表头应包含：{columns}。",
        "No header row in the first {rows} rows of “{name}”; it must have the columns {columns}.",
    ),
    "header.missing": (
        "“{name}”的表头缺少这些列：{columns}。",
        "The header of “{name}” lacks the columns {columns}.",
    ),
    "header.twice": (
        "“{name}”的“{first}”和“{second}”两列是同一项，请删除或改名其中一列。",
        "The columns “{first}” and “{second}” of “{name}” mean the same thing; delete or rename one.",
    ),
    "cell": ("“{column}”：{detail}", "“{column}”: {detail}"),
    "id.numeric": (
        "“{column}”被 Excel 当成了数字（如 4.21202E+17），末几位已经丢失，这个号码不可信；请把该列设为文本格式后重新填写。",
        "Excel turned “{column}” into a number (like 4.21202E+17): it lost its last digits and cannot be trusted; "
        "format the column as text and type it again.",
    ),
    "phone.numeric": (
        "“{column}”被 Excel 写成了科学计数法（如 1.38123E+10），已经丢失数字；请把该列设为文本格式后重新填写。",
        "Excel wrote “{column}” in scientific notation (like 1.38123E+10) and lost its digits; "
        "format the column as text and type it again.",
    ),
    "sheet.unknown": ("“{name}”中没有名为“{sheet}”的工作表。", "“{name}” has no sheet named “{sheet}”."),
    "header.beyond": ("“{name}”没有第 {row} 行。", "“{name}” has no row {row}."),
    "header.not_here": (
        "“{name}”的第 {row} 行不是表头；请选择表头所在的行，或为每一项选择它所在的列。",
        "Row {row} of “{name}” is not a header; choose the header's row, or the column of each field.",
    ),
    "map.twice": (
        "第 {column} 列不能同时作为“{first}”和“{second}”。",
        "Column {column} cannot be both “{first}” and “{second}”.",
    ),
    "rejects.why": ("未导入原因", "Why not imported"),
    "rejects.row": ("原行号", "Row in the file"),
    "rejects.sheet": ("未导入的行", "Rows not imported"),
    "join": ("；", "; "),
    "dup.id": (
        "“{column}”与第 {row} 行重复。", "“{column}” is the same as in row {row}.",
    ),
    "dup.person": (
        "与第 {row} 行是同一户的同一人（{name}）。", "Same household and name ({name}) as row {row}.",
    ),
})

MAX_DATA_ROWS = 100_000
HEADER_SCAN_ROWS = 10
PREVIEW_ROWS = 30
MAX_TEXT_BYTES = 256 * 1024 * 1024
XLSX_SUFFIXES = (".xlsx", ".xlsm")
TEXT_SUFFIXES = (".csv", ".txt")


@dataclass(frozen=True)
class RosterRow:
    row: int  # the row / line number the user sees in Excel or the CSV, header counted
    building: str
    unit: str
    room: str
    name: str
    phone: str | None
    id_number: str | None
    kind: str  # owner | family | tenant
    status: str  # normal | quarantine | observation
    quarantine_until: date | None

    @property
    def household(self) -> str:
        return f"{self.building}-{self.unit}-{self.room}"


@dataclass(frozen=True)
class RowError:
    row: int
    message: str


@dataclass
class RosterChoice:
    """What the user chose instead of what was detected (None: detect)."""
    sheet: str | None = None
    header_row: int | None = None            # the row number as Excel shows it
    mapping: dict[str, int] | None = None    # field -> column (0 = A); fields left out are not read


@dataclass
class RosterLayout:
    """What the wizard shows about a file before reading it whole."""
    sheets: list[str]                        # a workbook's sheets; [] for a text file
    sheet: str | None                        # the sheet read
    encoding: str | None                     # a text file's encoding, as detected
    header_row: int | None                   # None: no header found
    mapping: dict[str, int]                  # field -> column
    rows: list[tuple[int, list[str]]]        # the first rows as read (merged cells filled)
    problem: str | None = None               # why it cannot be read as it is (one sentence)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # in those rows: (row, last row, column, last column)


@dataclass
class RosterReadResult:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    layout: RosterLayout | None = field(default=None, compare=False)
    # a rejected row's room and name as written (for the preview): row -> ("3-2-501", "张三")
    rejected: dict[int, tuple[str, str]] = field(default_factory=dict, compare=False)


Line = tuple[int, Sequence[object]]  # (row number, raw cell values)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as Excel names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_roster(path: str | Path, *, today: date | None = None, choice: RosterChoice | None = None,
                check: Callable[[], None] | None = None) -> RosterReadResult:
    """Read an .xlsx, .csv or .txt roster; see the module docstring. ``check`` is called now and
    then (a cancel raises there)."""
    path = Path(path)
    with _open(path) as book:
        found = _locate(book, choice or RosterChoice(), path.name)
        header = found.checked(path.name)
        reader = _Reader(path.name, today or date.today(), check)
        reader.read(header, found.rest)
    reader.result.layout = RosterLayout(book.sheets, found.sheet, book.encoding, header.row, header.mapping, [])
    return reader.result


def inspect_roster(path: str | Path, choice: RosterChoice | None = None) -> RosterLayout:
    """The sheets, the encoding, the header row and column mapping detected (or chosen), and the
    first rows as read. A file that cannot be opened raises; a header that cannot be used is
    said in ``problem`` (the user may then choose another sheet, row or mapping)."""
    path = Path(path)
    with _open(path) as book:
        found = _locate(book, choice or RosterChoice(), path.name)
    problem = None
    try:
        found.checked(path.name)
    except InvalidInput as exc:
        problem = str(exc)
    header = found.header
    last = found.preview[-1][0] if found.preview else 0
    merged = [area for area in book.merged.get(found.sheet, []) if area[0] <= last]
    return RosterLayout(book.sheets, found.sheet, book.encoding, header.row if header else None,
                        header.mapping if header else {}, _shown_rows(found.preview), problem, merged)


def _shown_rows(lines: list[Line]) -> list[tuple[int, list[str]]]:
    return [(number, [values.shown(values.cell_text(c), 40) for c in cells]) for number, cells in lines]


# --- header ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
    row: int
    columns: dict[str, tuple[int, str]]  # field -> (index, label as written in the file)
    duplicate: tuple[str, str] | None  # two labels naming the same field
    cells: tuple[object, ...] = ()       # the header row as in the file
    clash: tuple[str, str, str] | None = None  # two fields mapped to one column: (first, second, column)

    @property
    def missing(self) -> list[str]:
        return [f for f in values.REQUIRED_FIELDS if f not in self.columns]

    @property
    def mapping(self) -> dict[str, int]:
        return {f: index for f, (index, _label) in self.columns.items()}


def _header_of(number: int, cells: Sequence[object]) -> _Header | None:
    """The header read from one row, if at least two of its cells name a known field."""
    columns: dict[str, tuple[int, str]] = {}
    duplicate = None
    for index, cell in enumerate(cells):
        known = values.header_field(cell)
        if known is None:
            continue
        label = values.shown(values.nfkc(str(cell)))
        if known in columns:
            duplicate = duplicate or (columns[known][1], label)
        else:
            columns[known] = (index, label)
    return _Header(number, columns, duplicate, tuple(cells)) if len(columns) >= 2 else None


def _mapped_header(number: int, cells: Sequence[object], mapping: dict[str, int]) -> _Header:
    """The header as the user mapped it: each field in the column chosen, labelled as in the file."""
    english = language() == "en"
    columns: dict[str, tuple[int, str]] = {}
    clash = None
    taken: dict[int, str] = {}
    for f in values.FIELDS:
        if f not in mapping:
            continue
        index = mapping[f]
        text = values.cell_text(cells[index]) if index < len(cells) else ""
        columns[f] = (index, values.shown(values.nfkc(text)) if text else values.FIELD_LABELS[f][english])
        if index in taken and clash is None:
            clash = (values.FIELD_LABELS[taken[index]][english], values.FIELD_LABELS[f][english], column_letter(index))
        taken.setdefault(index, f)
    return _Header(number, columns, None, tuple(cells), clash)


def _best_header(head: Sequence[Line]) -> _Header | None:
    """Of the rows given, the one naming the most fields (a full header before a partial one; the
    first of equals)."""
    found = [h for number, cells in head if (h := _header_of(number, cells))]
    return max(found, key=lambda h: (not h.missing, len(h.columns)), default=None)


def _labels(fields: Iterable[str]) -> str:
    english = language() == "en"
    return ("、" if not english else ", ").join(values.FIELD_LABELS[f][english] for f in fields)


@dataclass
class _Located:
    header: _Header | None
    sheet: str | None
    rest: Iterator[Line]        # the rows below the header
    preview: list[Line]         # the sheet's first rows
    anything: bool              # False: an empty file or sheet
    error: InvalidInput | None = None

    def checked(self, name: str) -> _Header:
        """The header, or the one sentence saying why the file cannot be read by it."""
        if self.error is not None:
            raise self.error
        header = self.header
        if header is None:
            if not self.anything:
                raise InvalidInput(_("file.empty", name=name), "roster_unreadable")
            raise InvalidInput(
                _("header.none", name=name, rows=HEADER_SCAN_ROWS, columns=_labels(values.REQUIRED_FIELDS)),
                "roster_headers",
            )
        if header.missing:
            raise InvalidInput(_("header.missing", name=name, columns=_labels(header.missing)), "roster_headers")
        if header.clash:
            first, second, column = header.clash
            raise InvalidInput(_("map.twice", column=column, first=first, second=second), "roster_headers")
        if header.duplicate:
            first, second = header.duplicate
            raise InvalidInput(_("header.twice", name=name, first=first, second=second), "roster_headers")
        return header


def _find_header(lines: Iterator[Line], choice: RosterChoice, sheet: str | None, name: str) -> _Located:
    """The header detected in the first rows (or the row chosen), mapped as chosen."""
    preview = list(islice(lines, PREVIEW_ROWS))
    anything = len(preview) > HEADER_SCAN_ROWS or any(values.cell_text(c) for _n, cells in preview for c in cells)
    rows = chain(preview, lines)
    if choice.header_row is not None:
        for number, cells in rows:
            if number == choice.header_row:
                if choice.mapping is not None:
                    return _Located(_mapped_header(number, cells, choice.mapping), sheet, rows, preview, anything)
                header = _header_of(number, cells)
                error = None if header else InvalidInput(_("header.not_here", name=name, row=number), "roster_headers")
                return _Located(header, sheet, rows, preview, anything, error)
        error = InvalidInput(_("header.beyond", name=name, row=choice.header_row), "roster_headers")
        return _Located(None, sheet, iter(()), preview, anything, error)
    header = _best_header(preview[:HEADER_SCAN_ROWS])
    if header is None:
        return _Located(None, sheet, iter(()), preview, anything)
    if choice.mapping is not None:
        header = _mapped_header(header.row, header.cells, choice.mapping)
    return _Located(header, sheet, (line for line in rows if line[0] > header.row), preview, anything)


def _locate(book: _Book, choice: RosterChoice, name: str) -> _Located:
    """The chosen sheet, or else the first sheet with a full header (else the first with a
    header, else the first)."""
    if choice.sheet is not None and choice.sheet not in book.sheets:
        raise InvalidInput(_("sheet.unknown", name=name, sheet=values.shown(choice.sheet)), "roster_unreadable")
    sheets = [choice.sheet] if choice.sheet is not None else (book.sheets or [None])
    first: _Located | None = None
    anything = False
    for sheet in sheets:
        found = _find_header(book.lines(sheet), choice, sheet, name)
        anything = anything or found.anything
        if found.header is not None and not found.header.missing:
            return found
        if first is None or (first.header is None and found.header is not None):
            first = found
    assert first is not None
    first.anything = anything
    return first


# --- rows -----------------------------------------------------------------------------------

T = TypeVar("T")
CHECK_EVERY = 256   # rows between two ``check`` calls
# What Excel makes of a long number: 4.21202E+17, 4.21202e17, 421202199001011234.0
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]*)?[eE][+]?[0-9]+|[0-9]{12,}\.[0-9]+")
_WHOLE_DECIMAL = re.compile(r"([0-9]+)\.0+")


class _Reader:
    """Turns the rows below a header into RosterRows and RowErrors."""

    def __init__(self, name: str, today: date, check: Callable[[], None] | None = None) -> None:
        self.name = name
        self.today = today
        self.check = check
        self.result = RosterReadResult()
        self._ids: dict[str, int] = {}
        self._people: dict[tuple[str, str], int] = {}

    def read(self, header: _Header, lines: Iterable[Line]) -> None:
        columns = header.columns
        labels = {f: columns[f][1] if f in columns else values.FIELD_LABELS[f][language() == "en"]
                  for f in values.FIELDS}
        count = 0
        for number, cells in lines:
            if self.check is not None and number % CHECK_EVERY == 0:
                self.check()
            raw = {f: cells[i] if i < len(cells) else None for f, (i, _label) in columns.items()}
            texts = {f: values.cell_text(raw.get(f)) for f in values.FIELDS}
            if not any(texts.values()):
                continue  # an empty row, or one with only a serial number or remarks
            count += 1
            if count > MAX_DATA_ROWS:
                raise InvalidInput(_("file.too_many", name=self.name, limit=MAX_DATA_ROWS), "roster_unreadable")
            self._row(number, raw, texts, labels)
        if count == 0:
            raise InvalidInput(_("file.empty", name=self.name), "roster_unreadable")

    def _row(self, number: int, raw: dict[str, object], texts: dict[str, str], labels: dict[str, str]) -> None:
        problems: list[str] = []

        def attempt(fn: Callable[..., T], *args: object, column: str | None = None, **kwargs: object) -> T | None:
            """fn(*args); on InvalidInput note the problem (prefixed with the column when given)."""
            try:
                return fn(*args, **kwargs)
            except InvalidInput as exc:
                problems.append(_("cell", column=column, detail=exc) if column else str(exc))
                return None

        building, unit, room = (
            attempt(values.parse_location, texts[f], f, labels[f]) for f in ("building", "unit", "room")
        )
        name = None
        if not texts["name"]:
            problems.append(values.empty_message(labels["name"]))
        else:
            name = attempt(normalize_name, texts["name"], column=labels["name"])
        phone = None
        if phone_text := values.nfkc(texts["phone"]):
            if _SCIENTIFIC.fullmatch(phone_text):
                problems.append(_("phone.numeric", column=labels["phone"]))
            else:   # 13812345678.0: a phone typed as a number, in a CSV
                whole = _WHOLE_DECIMAL.fullmatch(phone_text)
                phone = attempt(validate_mobile, whole[1] if whole else phone_text, column=labels["phone"])
        id_number = None
        if id_text := values.nfkc(texts["id_number"]):
            if _is_number(raw.get("id_number")) or _SCIENTIFIC.fullmatch(id_text):
                # Excel keeps 15 significant digits: the rest are gone, whatever the check digit says.
                problems.append(_("id.numeric", column=labels["id_number"]))
            else:
                id_number = attempt(validate_id_number, id_text, today=self.today, column=labels["id_number"])
        kind = attempt(values.parse_kind, texts["kind"], labels["kind"])
        before = len(problems)
        status = attempt(values.parse_status, texts["status"], labels["status"])
        until = attempt(values.parse_date, raw.get("quarantine_until"), labels["quarantine_until"])
        resolved = None
        if len(problems) == before:
            resolved = attempt(values.resolve_status, status, until, today=self.today,
                               date_column=labels["quarantine_until"])
        if problems:
            self._reject(number, texts, problems)
            return
        assert building and unit and room and name and kind and resolved  # else a problem was noted
        row = RosterRow(number, building, unit, room, name, phone, id_number, kind, *resolved)
        if id_number is not None and (first := self._ids.get(id_number)) is not None:
            self._reject(number, texts, [_("dup.id", column=labels["id_number"], row=first)])
            return
        person = (row.household, name)
        if (first := self._people.get(person)) is not None:
            self._reject(number, texts, [_("dup.person", row=first, name=name)])
            return
        if id_number is not None:
            self._ids[id_number] = number
        self._people[person] = number
        self.result.rows.append(row)


    def _reject(self, number: int, texts: dict[str, str], problems: list[str]) -> None:
        self.result.errors.extend(RowError(number, problem) for problem in problems)
        room = "-".join(values.shown(values.nfkc(texts[f]), 10) for f in ("building", "unit", "room"))
        self.result.rejected[number] = (room, values.shown(values.nfkc(texts["name"]), 10))


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --- the file: sheets and their rows --------------------------------------------------------


class _Book:
    """An opened roster: its sheets (none for a text file) and the rows of each."""

    sheets: list[str] = []
    encoding: str | None = None
    merged: dict[str | None, list[tuple[int, int, int, int]]] = {}   # a sheet's merged ranges, once read

    def lines(self, sheet: str | None) -> Iterator[Line]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> _Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open(path: Path) -> _Book:
    name = path.name
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InvalidInput(_("file.xls", name=name), "roster_unreadable")
    if suffix not in XLSX_SUFFIXES + TEXT_SUFFIXES:
        raise InvalidInput(_("file.extension", name=name), "roster_unreadable")
    if not path.is_file():
        raise InvalidInput(_("file.missing", name=name), "roster_unreadable")
    return _XlsxBook(path) if suffix in XLSX_SUFFIXES else _TextBook(path)


# --- xlsx -----------------------------------------------------------------------------------


def _guarded(rows: Iterator[T], name: str) -> Iterator[T]:
    """Iterate openpyxl's rows, turning whatever a damaged file makes it raise into one sentence."""
    while True:
        try:
            item = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl parsing an untrusted file: any failure means damaged
            raise InvalidInput(_("file.corrupt", name=name), "roster_unreadable") from exc
        yield item


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?"')


def _column_index(letters: bytes) -> int:
    index = 0
    for byte in letters:
        index = index * 26 + byte - ord("A") + 1
    return index - 1


class _XlsxBook(_Book):
    def __init__(self, path: Path) -> None:
        import openpyxl  # imported here: it is slow to import and only the manager's PC imports rosters

        self.name = path.name
        try:
            self.book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except OSError as exc:
            raise InvalidInput(_("file.unopenable", name=path.name), "roster_unreadable") from exc
        except Exception as exc:  # BadZipFile, KeyError, XML errors... from an untrusted file
            raise InvalidInput(_("file.corrupt", name=path.name), "roster_unreadable") from exc
        self.sheets = list(self.book.sheetnames)
        self.merged = {}

    def close(self) -> None:
        self.book.close()

    def _merged(self, sheet) -> list[tuple[int, int, int, int]]:
        """The merged ranges of a sheet: (first row, last row, first column, last column), rows
        numbered from 1, columns from 0. Read from the sheet's XML: the read-only reader skips them."""
        ranges = []

        def note(matches: Iterator[re.Match[bytes]]) -> None:
            for m in matches:
                c1, r1 = _column_index(m[1]), int(m[2])
                c2, r2 = (_column_index(m[3]), int(m[4])) if m[3] else (c1, r1)
                ranges.append((min(r1, r2), max(r1, r2), min(c1, c2), min(max(c1, c2), min(c1, c2) + 1000)))

        try:
            with sheet._get_source() as source:
                tail = b""
                while chunk := source.read(1 << 20):
                    data = tail + chunk
                    cut = max(0, data.rfind(b"<", max(0, len(data) - 200)))   # a tag may go on in the next chunk
                    note(_MERGE.finditer(data, 0, cut))
                    tail = data[cut:]
                note(_MERGE.finditer(tail))
        except Exception as exc:  # a damaged archive member
            raise InvalidInput(_("file.corrupt", name=self.name), "roster_unreadable") from exc
        return ranges

    def lines(self, sheet: str | None) -> Iterator[Line]:
        ws = self.book[sheet] if sheet is not None else self.book.worksheets[0]
        ws.reset_dimensions()  # the stored size is often wrong; read every row there is
        merged = self.merged[sheet] = self._merged(ws)
        rows = enumerate(_guarded(ws.iter_rows(values_only=True), self.name), start=1)
        return _filled(rows, merged) if merged else rows


def _filled(rows: Iterable[Line], merged: list[tuple[int, int, int, int]]) -> Iterator[Line]:
    """Every cell of a merged range given the range's top-left value."""
    starting: dict[int, list[tuple[int, int, int, int]]] = {}
    for area in merged:
        starting.setdefault(area[0], []).append(area)
    live: list[tuple[tuple[int, int, int, int], object]] = []
    for number, cells in rows:
        live = [(area, value) for area, value in live if area[1] >= number]
        if number in starting:
            for area in starting[number]:
                live.append((area, cells[area[2]] if area[2] < len(cells) else None))
        if live:
            cells = list(cells)
            for (_r1, _r2, c1, c2), value in live:
                if len(cells) <= c2:
                    cells.extend([None] * (c2 + 1 - len(cells)))
                cells[c1 : c2 + 1] = [value] * (c2 + 1 - c1)
        yield number, cells


# --- csv / txt ------------------------------------------------------------------------------

ENCODINGS = {"utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16", "utf-8": "UTF-8", "gb18030": "GB18030/GBK"}


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """UTF-8 with BOM, UTF-16 with BOM (Excel's "Unicode text"), UTF-8, else GB18030 (which reads
    GBK and GB2312 too): the text and the encoding's name as shown (``ENCODINGS``)."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), ENCODINGS["utf-8-sig"]
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16"), ENCODINGS["utf-16"]
    except UnicodeDecodeError as exc:
        raise InvalidInput(_("file.encoding", name=name), "roster_unreadable") from exc
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), ENCODINGS[encoding]
        except UnicodeDecodeError:
            pass
    raise InvalidInput(_("file.encoding", name=name), "roster_unreadable")


def _delimiter(text: str) -> str:
    """The delimiter of the first line that reads as a header: csv.Sniffer's guess on that line
    first, then comma, semicolon, tab; comma when no line reads as a header."""
    for line in islice(io.StringIO(text, newline=""), HEADER_SCAN_ROWS):
        line = line[:4096]
        candidates = [",", ";", "\t"]
        try:
            candidates.insert(0, csv.Sniffer().sniff(line, delimiters=",;\t").delimiter)
        except csv.Error:
            pass
        for delimiter in candidates:
            try:
                cells = next(csv.reader([line], delimiter=delimiter), [])
            except csv.Error:
                continue
            if _header_of(0, cells):
                return delimiter
    return ","


def _csv_lines(text: str, delimiter: str, name: str) -> Iterator[Line]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvalidInput(_("file.csv_broken", name=name, line=start), "roster_unreadable") from exc
        yield start, cells
        start = reader.line_num + 1


class _TextBook(_Book):
    def __init__(self, path: Path) -> None:
        self.name = path.name
        try:
            if path.stat().st_size > MAX_TEXT_BYTES:
                raise InvalidInput(_("file.too_big", name=path.name), "roster_unreadable")
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidInput(_("file.unopenable", name=path.name), "roster_unreadable") from exc
        self.text, self.encoding = _decode(data, path.name)
        self.delimiter = _delimiter(self.text)

    def lines(self, sheet: str | None) -> Iterator[Line]:
        return _csv_lines(self.text, self.delimiter, self.name)


# --- the rejected rows, for the office to correct ------------------------------------------


def write_rejects(path: str | Path, errors: Sequence[RowError], out: str | Path,
                  choice: RosterChoice | None = None) -> int:
    """The rows of ``path`` that ``errors`` name, as they are in the file (merged cells filled),
    under the file's header, with the row number and the reason in two more columns, to a new
    .xlsx ``out``: header frozen, columns wide enough. The workbook imports again once corrected
    (the two added columns are not roster fields). Returns the number of rows written."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path, out = Path(path), Path(out)
    why: dict[int, list[str]] = {}
    for error in errors:
        why.setdefault(error.row, []).append(error.message)
    with _open(path) as book:
        found = _locate(book, choice or RosterChoice(), path.name)
        header = found.checked(path.name)
        rows = [(number, list(cells)) for number, cells in found.rest if number in why]
    width = max([len(header.cells), *(len(cells) for _n, cells in rows)], default=0)
    text_columns = {header.columns[f][0] for f in ("phone", "id_number") if f in header.columns}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("rejects.sheet")
    head = [values.cell_text(c) for c in header.cells] + [""] * (width - len(header.cells))
    sheet.append(head + [_("rejects.row"), _("rejects.why")])
    for number, cells in rows:
        cells = [_excel_value(c) for c in cells] + [None] * (width - len(cells))
        sheet.append(cells + [number, _("join").join(why[number])])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
    for row in sheet.iter_rows(min_row=2):
        for index in text_columns:   # what is typed there again stays text: no more 4.21202E+17
            row[index].number_format = "@"
        row[width + 1].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index in range(width + 2):
        texts = [values.cell_text(sheet.cell(r, index + 1).value) for r in range(1, sheet.max_row + 1)]
        longest = max((_display_width(t) for t in texts), default=4)
        limit = 60 if index == width + 1 else 30
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(6, min(limit, longest + 2))
    partial = out.with_name(out.name + ".partial")
    try:
        book.save(partial)
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InvalidInput(_("file.unopenable", name=out.name), "rejects_unwritable") from exc
    return len(rows)


def _excel_value(value: object) -> object:
    """A cell as it can go into a workbook: text with control characters openpyxl refuses is cut."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
    return value


def _display_width(text: str) -> int:
    """Columns the text takes in Excel's default font: a CJK character counts two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text[:200])
