"""Read a resident roster (花名册) made in Excel or exported as CSV into validated rows.

No database work here: ``read_roster`` only reads, recognises the header, normalises and
validates every row. Problems with the file itself raise ``InvalidInput``; problems with a row
never raise: the row goes to ``errors`` with a sentence naming the column, and the good rows
are kept.
"""

from __future__ import annotations

import codecs
import csv
import io
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
        "“{column}”被 Excel 存成了数字，末几位已经丢失；请把该列设为文本格式后重新填写。",
        "Excel stored “{column}” as a number and lost its last digits; format the column as text and type it again.",
    ),
    "dup.id": (
        "“{column}”与第 {row} 行重复。", "“{column}” is the same as in row {row}.",
    ),
    "dup.person": (
        "与第 {row} 行是同一户的同一人（{name}）。", "Same household and name ({name}) as row {row}.",
    ),
})

MAX_DATA_ROWS = 100_000
HEADER_SCAN_ROWS = 10
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
class RosterReadResult:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


Line = tuple[int, Sequence[object]]  # (row number, raw cell values)


def read_roster(path: str | Path, *, today: date | None = None) -> RosterReadResult:
    """Read an .xlsx, .csv or .txt roster; see the module docstring."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InvalidInput(_("file.xls", name=name), "roster_unreadable")
    if suffix not in XLSX_SUFFIXES + TEXT_SUFFIXES:
        raise InvalidInput(_("file.extension", name=name), "roster_unreadable")
    if not path.is_file():
        raise InvalidInput(_("file.missing", name=name), "roster_unreadable")
    reader = _Reader(name, today or date.today())
    if suffix in XLSX_SUFFIXES:
        _read_xlsx(path, reader)
    else:
        _read_text(path, reader)
    return reader.result


# --- header ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
    row: int
    columns: dict[str, tuple[int, str]]  # field -> (index, label as written in the file)
    duplicate: tuple[str, str] | None  # two labels naming the same field

    @property
    def missing(self) -> list[str]:
        return [f for f in values.REQUIRED_FIELDS if f not in self.columns]


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
    return _Header(number, columns, duplicate) if len(columns) >= 2 else None


def _labels(fields: Iterable[str]) -> str:
    english = language() == "en"
    return ("、" if not english else ", ").join(values.FIELD_LABELS[f][english] for f in fields)


def _find_header(lines: Iterator[Line]) -> tuple[_Header | None, Iterator[Line], bool]:
    """Look for the header in the first rows; returns it, the rows after it, and whether the
    table has anything at all (False means an empty file or sheet)."""
    head = list(islice(lines, HEADER_SCAN_ROWS))
    anything = len(head) == HEADER_SCAN_ROWS or any(values.cell_text(c) for _n, cells in head for c in cells)
    for position, (number, cells) in enumerate(head):
        if header := _header_of(number, cells):
            return header, chain(head[position + 1 :], lines), anything
    return None, iter(()), anything


def _check_header(name: str, header: _Header | None, anything: bool) -> _Header:
    if header is None:
        if not anything:
            raise InvalidInput(_("file.empty", name=name), "roster_unreadable")
        raise InvalidInput(
            _("header.none", name=name, rows=HEADER_SCAN_ROWS, columns=_labels(values.REQUIRED_FIELDS)),
            "roster_headers",
        )
    if header.missing:
        raise InvalidInput(_("header.missing", name=name, columns=_labels(header.missing)), "roster_headers")
    if header.duplicate:
        first, second = header.duplicate
        raise InvalidInput(_("header.twice", name=name, first=first, second=second), "roster_headers")
    return header


# --- rows -----------------------------------------------------------------------------------

T = TypeVar("T")


class _Reader:
    """Turns the rows below a header into RosterRows and RowErrors."""

    def __init__(self, name: str, today: date) -> None:
        self.name = name
        self.today = today
        self.result = RosterReadResult()
        self._ids: dict[str, int] = {}
        self._people: dict[tuple[str, str], int] = {}

    def read(self, header: _Header, lines: Iterable[Line]) -> None:
        columns = header.columns
        labels = {f: columns[f][1] if f in columns else values.FIELD_LABELS[f][language() == "en"]
                  for f in values.FIELDS}
        count = 0
        for number, cells in lines:
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
        phone = attempt(validate_mobile, texts["phone"], column=labels["phone"]) if texts["phone"] else None
        id_number = None
        if texts["id_number"]:
            if _is_number(raw.get("id_number")):
                id_number = attempt(validate_id_number, texts["id_number"], today=self.today)
                if id_number is None:  # Excel kept only 15 significant digits: say so, not "20 digits"
                    problems[-1] = _("id.numeric", column=labels["id_number"])
            else:
                id_number = attempt(validate_id_number, texts["id_number"], today=self.today,
                                    column=labels["id_number"])
        kind = attempt(values.parse_kind, texts["kind"], labels["kind"])
        before = len(problems)
        status = attempt(values.parse_status, texts["status"], labels["status"])
        until = attempt(values.parse_date, raw.get("quarantine_until"), labels["quarantine_until"])
        resolved = None
        if len(problems) == before:
            resolved = attempt(values.resolve_status, status, until, today=self.today,
                               date_column=labels["quarantine_until"])
        if problems:
            self.result.errors.extend(RowError(number, problem) for problem in problems)
            return
        assert building and unit and room and name and kind and resolved  # else a problem was noted
        row = RosterRow(number, building, unit, room, name, phone, id_number, kind, *resolved)
        if id_number is not None and (first := self._ids.get(id_number)) is not None:
            self.result.errors.append(RowError(number, _("dup.id", column=labels["id_number"], row=first)))
            return
        person = (row.household, name)
        if (first := self._people.get(person)) is not None:
            self.result.errors.append(RowError(number, _("dup.person", row=first, name=name)))
            return
        if id_number is not None:
            self._ids[id_number] = number
        self._people[person] = number
        self.result.rows.append(row)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


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


def _read_xlsx(path: Path, reader: _Reader) -> None:
    import openpyxl  # imported here: it is slow to import and only the manager's PC imports rosters

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise InvalidInput(_("file.unopenable", name=path.name), "roster_unreadable") from exc
    except Exception as exc:  # BadZipFile, KeyError, XML errors... from an untrusted file
        raise InvalidInput(_("file.corrupt", name=path.name), "roster_unreadable") from exc
    try:
        first_partial: _Header | None = None
        anything = False
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # the stored size is often wrong; read every row there is
            rows = _guarded(sheet.iter_rows(values_only=True), path.name)
            header, rest, found = _find_header(enumerate(rows, start=1))
            anything = anything or found
            if header is not None and not header.missing:
                reader.read(_check_header(path.name, header, True), rest)
                return
            first_partial = first_partial or header
        _check_header(path.name, first_partial, anything)
    finally:
        book.close()


# --- csv / txt ------------------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    """UTF-8 with BOM, UTF-16 with BOM (Excel's "Unicode text"), UTF-8, else GB18030."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise InvalidInput(_("file.encoding", name=name), "roster_unreadable") from exc
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
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


def _read_text(path: Path, reader: _Reader) -> None:
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise InvalidInput(_("file.too_big", name=path.name), "roster_unreadable")
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(_("file.unopenable", name=path.name), "roster_unreadable") from exc
    text = _decode(data, path.name)
    header, rest, anything = _find_header(_csv_lines(text, _delimiter(text), path.name))
    reader.read(_check_header(path.name, header, anything), rest)
