import re
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkpoint_app import i18n
from checkpoint_app.errors import InvalidInput
from checkpoint_app.services.roster_values import (
    cell_text,
    header_field,
    parse_date,
    parse_kind,
    parse_location,
    parse_status,
    resolve_status,
    shown,
)

TODAY = date(2026, 11, 1)


@pytest.fixture(autouse=True)
def chinese():
    previous = i18n.language()
    i18n.set_language("zh_CN")
    yield
    i18n.set_language(previous)


@pytest.mark.parametrize("cell, field", [
    ("楼栋", "building"), ("楼号", "building"), ("栋", "building"), ("Building", "building"), ("楼栋*", "building"),
    ("单元", "unit"), ("UNIT", "unit"), ("单元（必填）", "unit"), ("Unit No.", "unit"),
    ("房号", "room"), ("房间号", "room"), ("室", "room"), ("ｒｏｏｍ", "room"),
    ("姓名", "name"), ("名字", "name"), (" Name ", "name"), ("*姓名", "name"), ("姓 名", "name"),
    ("电话", "phone"), ("手机", "phone"), ("手机号", "phone"), ("联系电话", "phone"), ("phone", "phone"), ("手机号码:", "phone"),
    ("身份证号", "id_number"), ("身份证", "id_number"), ("证件号码", "id_number"), ("id_number", "id_number"),
    ("ID", "id_number"), ("ID Number", "id_number"), ("身份证号码", "id_number"),
    ("类型", "kind"), ("人员类型", "kind"), ("kind", "kind"),
    ("状态", "status"), ("STATUS", "status"),
    ("隔离至", "quarantine_until"), ("隔离截止", "quarantine_until"), ("隔离截止日期", "quarantine_until"),
    ("quarantine_until", "quarantine_until"), ("Quarantine until", "quarantine_until"),
    ("隔离至(yyyy-mm-dd)", "quarantine_until"), ("\ufeff楼栋", "building"), ("姓名\u200b", "name"), ("单元\xa0", "unit"),
    ("序号", None), ("备注", None), ("", None), ("阳光花园住户花名册", None), (None, None), (3, None), ("楼栋单元", None),
])
def test_header_field(cell, field):
    assert header_field(cell) == field


@pytest.mark.parametrize("value, text", [
    (None, ""), ("  a b  ", "a b"), (501, "501"), (501.0, "501"), (5.5, "5.5"), (1.10105199001011e17, "1.10105199001011e+17"),
    (True, "TRUE"), (datetime(2026, 12, 1), "2026-12-01"), (datetime(2026, 12, 1, 8, 30), "2026-12-01 08:30:00"),
    (date(2026, 12, 1), "2026-12-01"), (time(8, 30), "08:30:00"),
])
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_shown_is_short_and_printable():
    assert shown("abc") == "abc"
    assert shown("x" * 50) == "x" * 20 + "…"
    assert shown("a\x00b\ud800") == "a�b�"


@pytest.mark.parametrize("field, text, expected", [
    ("building", "3栋", "3"), ("building", "3号楼", "3"), ("building", "3幢", "3"), ("building", "A座", "A"),
    ("building", "12号", "12"), ("building", "３栋", "3"), ("building", "b1", "B1"), ("building", "东区3", "东区3"),
    ("unit", "2单元", "2"), ("unit", " 2 单元 ", "2"), ("unit", "2", "2"),
    ("room", "501室", "501"), ("room", "501号", "501"), ("room", "501.0", "501"), ("room", "0501", "0501"),
    ("room", "1234567890", "1234567890"), ("room", "𠮷1", "𠮷1"), ("room", "Ⅴ01", "V01"),  # NFKC
    ("unit", "2栋", "2栋"),  # a building suffix means nothing in the unit column
])
def test_parse_location(field, text, expected):
    assert parse_location(text, field, "列") == expected


@pytest.mark.parametrize("field, text, words", [
    ("building", "", "不能为空"), ("building", "栋", "不能为空"), ("unit", "单元", "不能为空"),
    ("room", "3-2-501", "-"), ("room", "501-1", "-"), ("room", "12345678901", "10"),
    ("room", "5 01", "只能"), ("room", "501.5", "只能"), ("building", "3#", "只能"), ("building", "😀", "只能"),
    ("room", "５０１（东）", "只能"),
])
def test_parse_location_refuses(field, text, words):
    with pytest.raises(InvalidInput) as caught:
        parse_location(text, field, "房号列")
    assert "“房号列”" in str(caught.value) and words in str(caught.value)


@given(st.text(st.characters(exclude_categories=())), st.sampled_from(["building", "unit", "room"]))
def test_parse_location_gives_a_short_dashless_value_or_invalid_input(text, field):
    try:
        value = parse_location(text, field, "c")
    except InvalidInput:
        return
    assert re.fullmatch(r"[^\s\-]{1,10}", value) and value == value.upper()


@pytest.mark.parametrize("text, kind", [("户主", "owner"), ("ＯＷＮＥＲ", "owner"), ("", "family"), ("  ", "family"), ("租客", "tenant")])
def test_parse_kind(text, kind):
    assert parse_kind(text, "类型") == kind


@pytest.mark.parametrize("text", ["保姆", "户", "owners", "1"])
def test_parse_kind_refuses(text):
    with pytest.raises(InvalidInput, match="“类型”的“.+”无法识别"):
        parse_kind(text, "类型")


@pytest.mark.parametrize("text, status", [("正常", "normal"), ("", None), ("隔离", "quarantine"), ("返乡人员", "observation")])
def test_parse_status(text, status):
    assert parse_status(text, "状态") == status


def test_parse_status_refuses():
    with pytest.raises(InvalidInput, match="“状态”的“出差”无法识别"):
        parse_status("出差", "状态")


@pytest.mark.parametrize("value, expected", [
    (None, None), ("", None), ("  ", None),
    (datetime(2026, 12, 1, 23, 59), date(2026, 12, 1)), (date(2026, 12, 1), date(2026, 12, 1)),
    (46357, date(2026, 12, 1)), (46357.99, date(2026, 12, 1)), ("46357", date(2026, 12, 1)),
    (20261201, date(2026, 12, 1)), ("20261201", date(2026, 12, 1)),
    ("2026-12-01", date(2026, 12, 1)), ("2026/12/1", date(2026, 12, 1)), ("2026.12.1", date(2026, 12, 1)),
    ("2026年12月1日", date(2026, 12, 1)), ("2026 年 12 月 1 号", date(2026, 12, 1)), ("2026年12月1", date(2026, 12, 1)),
    ("2026-12-01 00:00:00", date(2026, 12, 1)), ("2026-12-01T08:00", date(2026, 12, 1)), ("２０２６／１２／１", date(2026, 12, 1)),
])
def test_parse_date(value, expected):
    assert parse_date(value, "隔离至") == expected


@pytest.mark.parametrize("value", [
    "2026-02-30", "2026-13-01", "2026-12/01", "12/1/2026", "1/12/2026", "明天", "2026-12", "20261301",
    "202612011", 0, -5, 3_000_000, 1e20, True, time(8, 0), timedelta(days=3), "46357.5x",
])
def test_parse_date_refuses(value):
    with pytest.raises(InvalidInput, match="“隔离至”.*不是有效日期"):
        parse_date(value, "隔离至")


@given(st.dates(date(1900, 3, 1), date(9999, 12, 31)))
def test_parse_date_reads_every_written_form(day):
    forms = [day, datetime.combine(day, time(12)), day.isoformat(), f"{day.year}/{day.month}/{day.day}",
             f"{day.year}.{day.month}.{day.day}", f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y%m%d"),
             (day - date(1899, 12, 30)).days]
    if day.year < 1000:
        forms = forms[:2]
    assert {parse_date(form, "c") for form in forms} == {day}


@pytest.mark.parametrize("status, until, expected", [
    (None, None, ("normal", None)),
    (None, TODAY, ("quarantine", TODAY)),
    ("quarantine", date(2026, 11, 15), ("quarantine", date(2026, 11, 15))),
    ("observation", None, ("observation", None)),
    ("observation", date(2026, 11, 15), ("observation", date(2026, 11, 15))),
    ("normal", None, ("normal", None)),
    ("quarantine", TODAY + timedelta(days=366), ("quarantine", TODAY + timedelta(days=366))),
])
def test_resolve_status(status, until, expected):
    assert resolve_status(status, until, today=TODAY, date_column="隔离至") == expected


@pytest.mark.parametrize("status, until, words", [
    ("quarantine", None, "没有填写"),
    ("normal", date(2026, 11, 15), "状态为正常"),
    ("quarantine", TODAY - timedelta(days=1), "已经过去"),
    (None, TODAY - timedelta(days=1), "已经过去"),
    ("observation", TODAY + timedelta(days=367), "超过一年"),
])
def test_resolve_status_refuses(status, until, words):
    with pytest.raises(InvalidInput) as caught:
        resolve_status(status, until, today=TODAY, date_column="隔离截止日期")
    assert words in str(caught.value) and "“隔离截止日期”" in str(caught.value)


def test_messages_in_english():
    i18n.set_language("en")
    with pytest.raises(InvalidInput, match=r"^“Kind” “maid” is not recognised; use owner, family or tenant\.$"):
        parse_kind("maid", "Kind")
