"""Value normalisation for resident rosters: header names, cells, building/unit/room, kind,
status and the quarantine date.

Every parser takes the text (or raw cell) of one cell and the column's label as the user wrote
it in the header, and raises ``InvalidInput`` with a sentence that names that column.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages

_ = Messages({
    "empty": ("“{column}”不能为空。", "“{column}” must not be empty."),
    "loc.dash": (
        "“{column}”中不能有“-”，请把楼栋、单元、房号分别填在各自的列中。",
        "“{column}” must not contain “-”; put building, unit and room in their own columns.",
    ),
    "loc.long": ("“{column}”的“{value}”太长，最多 10 个字。", "“{column}” “{value}” is longer than 10 characters."),
    "loc.chars": (
        "“{column}”的“{value}”只能包含汉字、字母和数字。",
        "“{column}” “{value}” may only contain Chinese characters, letters and digits.",
    ),
    "kind.unknown": (
        "“{column}”的“{value}”无法识别，应为户主、家属或租户。",
        "“{column}” “{value}” is not recognised; use owner, family or tenant.",
    ),
    "status.unknown": (
        "“{column}”的“{value}”无法识别，应为正常、居家隔离或健康观察。",
        "“{column}” “{value}” is not recognised; use normal, quarantine or observation.",
    ),
    "date.invalid": (
        "“{column}”的“{value}”不是有效日期，请写成 2026-12-01 这样的格式。",
        "“{column}” “{value}” is not a valid date; write it like 2026-12-01.",
    ),
    "date.missing": (
        "状态为居家隔离，但“{column}”没有填写隔离截止日期。",
        "The status is quarantine but “{column}” has no end date.",
    ),
    "date.with_normal": (
        "状态为正常，却在“{column}”填写了隔离截止日期；请清空日期或修改状态。",
        "The status is normal but “{column}” has a quarantine end date; clear the date or change the status.",
    ),
    "date.past": (
        "“{column}”的 {value} 已经过去；如隔离已结束，请把状态改为正常并清空日期。",
        "“{column}” {value} is in the past; if the quarantine is over, set the status to normal and clear the date.",
    ),
    "date.far": (
        "“{column}”的 {value} 距今超过一年，请检查是否填错。",
        "“{column}” {value} is more than a year away; please check it.",
    ),
})

FIELDS = ("building", "unit", "room", "name", "phone", "id_number", "kind", "status", "quarantine_until")
REQUIRED_FIELDS = ("building", "unit", "room", "name")
KINDS = ("owner", "family", "tenant")
STATUSES = ("normal", "quarantine", "observation")

# (Chinese, English) name of each field: for messages about a column the file does not have.
FIELD_LABELS = {
    "building": ("楼栋", "building"), "unit": ("单元", "unit"), "room": ("房号", "room"),
    "name": ("姓名", "name"), "phone": ("电话", "phone"), "id_number": ("身份证号", "ID number"),
    "kind": ("类型", "kind"), "status": ("状态", "status"), "quarantine_until": ("隔离至", "quarantine until"),
}

_SYNONYMS = {
    "building": ("楼栋", "楼号", "栋", "building", "楼栋号", "楼幢", "幢", "幢号", "楼宇", "building no"),
    "unit": ("单元", "unit", "单元号", "unit no"),
    "room": ("房号", "房间号", "室", "room", "房间", "房屋号", "室号", "room no"),
    "name": ("姓名", "名字", "name", "住户姓名", "居民姓名", "full name"),
    "phone": ("电话", "手机", "手机号", "联系电话", "phone", "手机号码", "电话号码", "联系方式", "mobile",
              "phone number", "mobile phone"),
    "id_number": ("身份证号", "身份证", "证件号码", "id_number", "id", "身份证号码", "证件号", "id number", "id no"),
    "kind": ("类型", "人员类型", "kind", "人员类别", "类别", "type", "住户类型"),
    "status": ("状态", "status", "人员状态", "健康状态"),
    "quarantine_until": ("隔离至", "隔离截止", "隔离截止日期", "quarantine_until", "隔离截止时间",
                         "隔离结束日期", "quarantine until"),
}

# Notes that people add to header cells: "姓名（必填）", "*房号", "隔离至[yyyy-mm-dd]", "电话:".
_HEADER_NOISE = re.compile(r"[(\[【][^)\]】]*[)\]】]|[*:\s_\-.\u200b-\u200d\ufeff]")


def header_key(text: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text).casefold())


_HEADER_FIELDS = {header_key(word): field for field, words in _SYNONYMS.items() for word in words}


def header_field(value: object) -> str | None:
    """The field a header cell names ("联系电话" -> "phone"), or None."""
    if not isinstance(value, str):
        return None
    return _HEADER_FIELDS.get(header_key(value))


def cell_text(value: object) -> str:
    """A raw cell (str, number, date... from openpyxl or csv) as stripped text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))  # Excel stores 501 as 501.0
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def shown(text: str, limit: int = 20) -> str:
    """A cell value fit to quote in a message: printable and short."""
    text = "".join(ch if ch.isprintable() else "�" for ch in text[: limit + 1])
    return text if len(text) <= limit else text[:limit] + "…"


def empty_message(column: str) -> str:
    return _("empty", column=column)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


_LOCATION_SUFFIXES = {
    "building": ("号楼", "栋", "幢", "座", "号"),
    "unit": ("单元",),
    "room": ("室", "号"),
}
_INTEGRAL_DECIMAL = re.compile(r"[0-9]+\.0+")
# ASCII letters and digits, CJK unified ideographs (basic, extension A, compatibility, B-G).
_LOCATION_OK = re.compile(
    "[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+"
)


def parse_location(text: str, field: str, column: str) -> str:
    """Building, unit or room: "3栋" -> "3", "2单元" -> "2", "501室" -> "501", "b1" -> "B1"."""
    value = nfkc(text)
    if _INTEGRAL_DECIMAL.fullmatch(value):
        value = value.split(".")[0]
    for suffix in _LOCATION_SUFFIXES[field]:
        if value.endswith(suffix):
            value = value[: -len(suffix)].strip()
            break
    if not value:
        raise InvalidInput(empty_message(column), "roster_row")
    if "-" in value:
        raise InvalidInput(_("loc.dash", column=column), "roster_row")
    if len(value) > 10:
        raise InvalidInput(_("loc.long", column=column, value=shown(value)), "roster_row")
    if not _LOCATION_OK.fullmatch(value):
        raise InvalidInput(_("loc.chars", column=column, value=shown(value)), "roster_row")
    return value.upper()  # only ASCII letters can change here


_KINDS = {
    "户主": "owner", "业主": "owner", "owner": "owner",
    "家属": "family", "家庭成员": "family", "family": "family", "member": "family",
    "租户": "tenant", "租客": "tenant", "tenant": "tenant",
}
_STATUSES = {
    "正常": "normal", "normal": "normal",
    "居家隔离": "quarantine", "隔离": "quarantine", "quarantine": "quarantine",
    "观察": "observation", "健康观察": "observation", "返乡": "observation",
    "返乡人员": "observation", "observation": "observation",
}


def parse_kind(text: str, column: str) -> str:
    """户主/业主/owner, 家属/家庭成员/family/member, 租户/租客/tenant; empty means family."""
    key = nfkc(text).casefold()
    if not key:
        return "family"
    try:
        return _KINDS[key]
    except KeyError:
        raise InvalidInput(_("kind.unknown", column=column, value=shown(text)), "roster_row") from None


def parse_status(text: str, column: str) -> str | None:
    """正常/normal, 居家隔离/隔离/quarantine, 观察/健康观察/返乡/observation; empty gives None."""
    key = nfkc(text).casefold()
    if not key:
        return None
    try:
        return _STATUSES[key]
    except KeyError:
        raise InvalidInput(_("status.unknown", column=column, value=shown(text)), "roster_row") from None


_EXCEL_EPOCH = date(1899, 12, 30)
_MAX_SERIAL = (date(9999, 12, 31) - _EXCEL_EPOCH).days
_DATE_SEPARATED = re.compile(
    r"(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_DATE_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_DIGITS = re.compile(r"[0-9]{1,8}(?:\.[0-9]+)?")


def _from_number(number: float) -> date | None:
    """20261201 as yyyymmdd, otherwise an Excel serial day number (1900 system)."""
    if number.is_integer() and 10000101 <= number <= 99991231:
        whole = int(number)
        return date(whole // 10000, whole // 100 % 100, whole % 100)
    if 1 <= number <= _MAX_SERIAL:
        return _EXCEL_EPOCH + timedelta(days=int(number))
    raise ValueError(number)


def parse_date(value: object, column: str) -> date | None:
    """An Excel date cell, serial number or text such as 2026-12-01, 2026/12/1, 2026.12.1,
    2026年12月1日, 20261201; None when the cell is empty."""
    text = cell_text(value)
    if not text:
        return None
    try:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _from_number(float(value))
        if isinstance(value, str):
            text = nfkc(text)
            if match := _DATE_SEPARATED.fullmatch(text):
                return date(int(match[1]), int(match[3]), int(match[4]))
            if match := _DATE_CHINESE.fullmatch(text):
                return date(int(match[1]), int(match[2]), int(match[3]))
            if _DIGITS.fullmatch(text):
                return _from_number(float(text))
    except (ValueError, OverflowError):
        pass
    raise InvalidInput(_("date.invalid", column=column, value=shown(text)), "roster_row")


def resolve_status(
    status: str | None, until: date | None, *, today: date, date_column: str
) -> tuple[str, date | None]:
    """Combine the status and the quarantine date of one row.

    A date with no status means quarantine; quarantine needs a date; normal takes none; the date
    must be from today to a year ahead.
    """
    if status is None:
        status = "quarantine" if until is not None else "normal"
    if until is None:
        if status == "quarantine":
            raise InvalidInput(_("date.missing", column=date_column), "roster_row")
        return status, None
    if status == "normal":
        raise InvalidInput(_("date.with_normal", column=date_column), "roster_row")
    if until < today:
        raise InvalidInput(_("date.past", column=date_column, value=until.isoformat()), "roster_row")
    if until > today + timedelta(days=366):
        raise InvalidInput(_("date.far", column=date_column, value=until.isoformat()), "roster_row")
    return status, until
