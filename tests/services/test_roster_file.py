import csv
import io
import os
import re
import time
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from checkpoint_app import i18n
from checkpoint_app.domain.identity import make_id_number
from checkpoint_app.errors import InvalidInput
from checkpoint_app.services import roster_file, roster_values
from checkpoint_app.services.roster_file import RosterReadResult, RosterRow, RowError, read_roster

TODAY = date(2026, 11, 1)
ID1 = make_id_number("110101", date(1990, 1, 1), 1)
ID2 = make_id_number("310104", date(1985, 6, 15), 22)
ID3 = make_id_number("440305", date(2001, 12, 31), 333)
BAD_CHECK = ID1[:-1] + ("0" if ID1[-1] != "0" else "1")
ZH_HEADER = ["楼栋", "单元", "房号", "姓名", "电话", "身份证号", "类型", "状态", "隔离至"]
EN_HEADER = ["Building", "Unit", "Room", "Name", "Phone", "ID_Number", "Kind", "Status", "Quarantine_Until"]


@pytest.fixture(autouse=True)
def chinese():
    previous = i18n.language()
    i18n.set_language("zh_CN")
    yield
    i18n.set_language(previous)


def write_xlsx(path, rows, *, sheets=None):
    """rows for the first sheet, or sheets = {title: rows} for several."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, sheet_rows in (sheets or {"花名册": rows}).items():
        sheet = book.create_sheet(title)
        for row in sheet_rows:
            sheet.append(list(row))
    book.save(path)
    return path


def csv_bytes(rows, *, encoding="utf-8", delimiter=",", errors="strict"):
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding, errors)


def write_csv(path, rows, **options):
    path.write_bytes(csv_bytes(rows, **options))
    return path


def read(path):
    return read_roster(path, today=TODAY)


def person(row, building="3", unit="2", room="501", name="张三", phone=None, id_number=None,
           kind="family", status="normal", until=None):
    return RosterRow(row, building, unit, room, name, phone, id_number, kind, status, until)


def one_row(tmp_path, **cells):
    """Read a CSV with one resident whose cells default to 3/2/501/张三; returns (rows, errors)."""
    values = {"楼栋": "3", "单元": "2", "房号": "501", "姓名": "张三"} | cells
    result = read(write_csv(tmp_path / "one.csv", [list(values), list(values.values())]))
    return result.rows, result.errors


def unreadable(path, code="roster_unreadable"):
    with pytest.raises(InvalidInput) as caught:
        read(path)
    assert caught.value.code == code
    message = str(caught.value)
    assert message.count("。") == 1 and message.endswith("。"), message  # one sentence
    return message


# --- whole files ----------------------------------------------------------------------------


def test_xlsx_with_chinese_headers_and_title_rows(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [
        ["阳光花园小区住户花名册"],
        [],
        ["制表：物业办公室", None, None, "2026年11月"],
        ["序号", *ZH_HEADER],
        [1, "3栋", "2单元", "501室", "张三", "13800138000", ID1, "户主", "正常", None],
        [2, 3, 2, 501, " 李四 ", 13912345678, ID2, "家属", "居家隔离", datetime(2026, 11, 14)],
        [3, "12号楼", "1", "1102", "王五", None, None, "租户", None, None],
    ])
    result = read(path)
    assert result == RosterReadResult(rows=[
        person(5, phone="13800138000", id_number=ID1, kind="owner"),
        person(6, name="李四", phone="13912345678", id_number=ID2, status="quarantine",
               until=date(2026, 11, 14)),
        person(7, building="12", unit="1", room="1102", name="王五", kind="tenant"),
    ], errors=[])
    assert result.rows[0].household == "3-2-501"


def test_csv_with_english_headers_any_case_and_full_width(tmp_path):
    header = [" BUILDING ", "unit", "Ｒｏｏｍ", "name", "PHONE", "id", "kind", "Status", "quarantine until"]
    path = write_csv(tmp_path / "r.csv", [
        header,
        ["b1", "2", "0501", "John Smith", "+86 138-0013-8000", ID3.lower(), "tenant", "observation", ""],
    ])
    assert read(path).rows == [
        person(2, building="B1", room="0501", name="John Smith", phone="13800138000", id_number=ID3,
               kind="tenant", status="observation"),
    ]


@pytest.mark.parametrize("header", [
    ["楼号", "单元", "房间号", "名字", "手机号", "身份证", "人员类型", "状态", "隔离截止"],
    ["栋", "单元", "室", "姓名", "联系电话", "证件号码", "类型", "status", "隔离截止日期"],
    ["楼栋*", "单元（必填）", "房号(必填)", "*姓名", "手机", "身份证号", "kind", "状态", "quarantine_until"],
])
def test_header_synonyms(tmp_path, header):
    path = write_xlsx(tmp_path / "r.xlsx", [header, ["3", "2", "501", "张三", "13800138000", ID1, "户主", "", "2026-11-20"]])
    assert read(path).rows == [
        person(2, phone="13800138000", id_number=ID1, kind="owner", status="quarantine", until=date(2026, 11, 20)),
    ]


def test_only_required_columns_give_defaults(tmp_path):
    path = write_csv(tmp_path / "r.csv", [["姓名", "房号", "单元", "楼栋"], ["张三", "501", "2", "3"]])
    assert read(path).rows == [person(2)]


def test_first_sheet_with_a_header_is_used(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", None, sheets={
        "填写说明": [["请按下表填写"], ["类型填户主、家属或租户"]],
        "住户": [["楼栋", "单元", "房号", "姓名"], ["3", "2", "501", "张三"]],
        "旧名单": [["楼栋", "单元", "房号", "姓名"], ["9", "9", "999", "不该读到"]],
    })
    assert read(path).rows == [person(2)]


def test_location_suffixes_and_numeric_cells(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [
        ["楼栋", "单元", "房号", "姓名"],
        ["3栋", "2单元", "501室", "甲"],
        [3.0, 2, 501.0, "乙"],
        ["３号楼", "２ 单元", "501号", "丙"],
        ["3幢", " 2", "501 ", "丁"],
    ])
    rows = read(path).rows
    assert [r.household for r in rows] == ["3-2-501"] * 4
    assert [r.row for r in rows] == [2, 3, 4, 5]


@pytest.mark.parametrize("cell, kind", [
    ("户主", "owner"), ("业主", "owner"), ("owner", "owner"), ("OWNER", "owner"),
    ("家属", "family"), ("家庭成员", "family"), ("family", "family"), ("Member", "family"), ("", "family"),
    ("租户", "tenant"), ("租客", "tenant"), ("tenant", "tenant"), (" 租户 ", "tenant"),
])
def test_kind_mapping(tmp_path, cell, kind):
    rows, errors = one_row(tmp_path, 类型=cell)
    assert errors == [] and rows[0].kind == kind


@pytest.mark.parametrize("cell, until, status", [
    ("正常", "", "normal"), ("normal", "", "normal"), ("", "", "normal"),
    ("居家隔离", "2026-11-14", "quarantine"), ("隔离", "2026-11-14", "quarantine"),
    ("Quarantine", "2026-11-14", "quarantine"), ("", "2026-11-14", "quarantine"),
    ("观察", "", "observation"), ("健康观察", "", "observation"), ("返乡", "", "observation"),
    ("返乡人员", "2026-11-14", "observation"), ("observation", "", "observation"),
])
def test_status_mapping(tmp_path, cell, until, status):
    rows, errors = one_row(tmp_path, 状态=cell, 隔离至=until)
    assert errors == []
    assert (rows[0].status, rows[0].quarantine_until) == (status, date(2026, 11, 14) if until else None)


@pytest.mark.parametrize("cell", [
    datetime(2026, 12, 1), datetime(2026, 12, 1, 18, 30), date(2026, 12, 1), 46357, 46357.75, 20261201,
    "2026-12-01", "2026/12/1", "2026.12.1", "2026年12月1日", "20261201", " 2026-12-01 00:00:00 ", "２０２６－１２－０１",
])
def test_quarantine_date_formats_in_xlsx(tmp_path, cell):
    path = write_xlsx(tmp_path / "r.xlsx", [["楼栋", "单元", "房号", "姓名", "隔离至"], [3, 2, 501, "张三", cell]])
    assert read(path).rows == [person(2, status="quarantine", until=date(2026, 12, 1))]


def test_bad_rows_are_reported_with_their_row_and_column_and_good_rows_kept(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [
        ["小区花名册"],
        ["楼栋", "单元", "房号", "姓名", "手机", "证件号码", "人员类型", "状态", "隔离截止日期"],
        [1, 1, 101, "好一", "13800138000", ID1, "", "", None],                 # 3 good
        [1, 1, 102, "坏电话", "1380013800", None, "", "", None],               # 4
        [1, 1, 103, "坏证件", None, BAD_CHECK, "", "", None],                  # 5
        [1, 1, 104, "12345", None, None, "", "", None],                       # 6
        [1, 1, 105, "坏类型", None, None, "保姆", "", None],                    # 7
        [1, 1, 106, "坏状态", None, None, "", "出差", None],                    # 8
        [1, 1, 107, "坏日期", None, None, "", "", "2026-02-30"],                # 9
        [1, 1, 108, "无日期", None, None, "", "居家隔离", None],                 # 10
        [1, 1, 109, "正常带日期", None, None, "", "正常", "2026-11-20"],          # 11
        [1, 1, 110, "过期", None, None, "", "隔离", "2026-10-31"],              # 12
        [1, 1, "1-1-111", "连写", None, None, "", "", None],                   # 13
        [None, 1, 112, "缺楼栋", None, None, "", "", None],                     # 14
        [1, 1, 113, None, "13800138001", None, "", "", None],                 # 15
        [1, 1, 114, "好二", None, ID2, "租户", "观察", None],                    # 16 good
        [1, 1, 115, "很远", None, None, "", "", "2062-11-20"],                  # 17
        [1, 1, 116, "张😀", None, None, "", "", None],                         # 18
        [1, 1, "5 01", "空格", None, None, "", "", None],                       # 19
    ])
    result = read(path)
    assert [(r.row, r.name) for r in result.rows] == [(3, "好一"), (16, "好二")]
    expected = {
        4: ("手机", "手机号码"), 5: ("证件号码", "校验码"), 6: ("姓名", "数字"), 7: ("人员类型", "保姆"),
        8: ("状态", "出差"), 9: ("隔离截止日期", "2026-02-30"), 10: ("隔离截止日期", "居家隔离"),
        11: ("隔离截止日期", "正常"), 12: ("隔离截止日期", "2026-10-31"), 13: ("房号", "-"),
        14: ("楼栋", "不能为空"), 15: ("姓名", "不能为空"), 17: ("隔离截止日期", "2062-11-20"),
        18: ("姓名", "😀"), 19: ("房号", "5 01"),
    }
    assert [e.row for e in result.errors] == list(expected)
    for error in result.errors:
        column, detail = expected[error.row]
        assert f"“{column}”" in error.message and detail in error.message, error
        assert error.message.endswith("。")
        assert ID1[:6] not in error.message  # never quotes an ID number


def test_every_problem_of_a_row_is_reported(tmp_path):
    rows, errors = one_row(tmp_path, 楼栋="", 电话="123", 类型="?", 状态="?")
    assert rows == [] and len(errors) == 4 and {e.row for e in errors} == {2}


def test_id_number_stored_by_excel_as_a_number_gets_a_hint(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [["楼栋", "单元", "房号", "姓名", "身份证号"], [3, 2, 501, "张三", float(ID1[:17] + "0")]])
    [error] = read(path).errors
    assert error.row == 2 and "数字" in error.message and "文本" in error.message


def test_duplicates_name_the_earlier_row(tmp_path):
    path = write_csv(tmp_path / "r.csv", [
        ["楼栋", "单元", "房号", "姓名", "身份证号"],
        ["3", "2", "501", "张三", ID1],
        ["3", "2", "502", "张三", ""],          # same name, other household: fine
        ["4", "1", "101", "李四", ID1.lower()],  # same ID
        ["3栋", "2单元", "501室", "张三", ""],    # same household and name
        ["3", "2", "501", "张三丰", ID2],
        [],
        ["3", "2", "501", "张三丰", ""],          # same household and name as line 6
    ])
    result = read(path)
    assert [r.row for r in result.rows] == [2, 3, 6]
    assert [(e.row, "第 2 行" in e.message) for e in result.errors] == [(4, True), (5, True), (8, False)]
    assert "第 6 行" in result.errors[2].message
    assert "“身份证号”" in result.errors[0].message


def test_empty_rows_and_rows_with_only_unknown_columns_are_skipped(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [
        ["序号", "楼栋", "单元", "房号", "姓名", "备注"],
        [1, 3, 2, 501, "张三", None],
        [],
        [2, None, None, None, None, "待填"],
        [3, "  ", " ", None, "\t", None],
        [4, 3, 2, 502, "李四", None],
    ])
    result = read(path)
    assert ([r.row for r in result.rows], result.errors) == ([2, 6], [])


def test_csv_row_numbers_are_line_numbers_even_with_quoted_newlines(tmp_path):
    text = ('楼栋,单元,房号,姓名,备注\r\n3,2,501,"张三",\r\n3,2,502,李四,"两行\r\n备注"\r\n'
            '3,2,503,"王\n五",\r\n\r\n3,2,504,赵六,')
    (tmp_path / "r.csv").write_text(text, encoding="utf-8", newline="")
    result = read(tmp_path / "r.csv")
    assert [(r.row, r.name) for r in result.rows] == [(2, "张三"), (3, "李四"), (5, "王五"), (8, "赵六")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_encodings_with_rare_names(tmp_path, encoding):
    names = ["欧阳喆", "王堃", "李燊", "赵昇", "张珺"] + (["吉𠮷", "龚䶮"] if encoding not in ("gbk",) else [])
    rows = [["楼栋", "单元", "房号", "姓名", "类型"]] + [["1", "1", str(101 + i), n, "户主"] for i, n in enumerate(names)]
    result = read(write_csv(tmp_path / "r.csv", rows, encoding=encoding))
    assert [r.name for r in result.rows] == names and result.errors == []


@pytest.mark.parametrize("delimiter, suffix", [(",", ".csv"), (";", ".csv"), ("\t", ".csv"), ("\t", ".txt"), (";", ".TXT")])
def test_delimiters(tmp_path, delimiter, suffix):
    rows = [["住户花名册"], ["楼栋", "单元", "房号", "姓名", "电话"], ["3", "2", "501", "张三", "13800138000"],
            ["3", "2", "502", "O'Brien, Jr", ""]]
    result = read(write_csv(tmp_path / f"r{suffix}", rows, delimiter=delimiter))
    assert [(r.row, r.room, r.name) for r in result.rows] == [(3, "501", "张三")]
    assert [e.row for e in result.errors] == [4]  # the comma is not a letter of a name


# --- file-level problems --------------------------------------------------------------------


def test_missing_required_columns_are_named(tmp_path):
    message = unreadable(write_csv(tmp_path / "r.csv", [["楼栋", "姓名", "电话"], ["3", "张三", ""]]), "roster_headers")
    assert "单元" in message and "房号" in message and "r.csv" in message and "姓名" not in message


def test_missing_columns_in_english(tmp_path):
    i18n.set_language("en")
    with pytest.raises(InvalidInput, match=r"lacks the columns unit, room\.$"):
        read(write_csv(tmp_path / "r.csv", [["Building", "Name"], ["3", "Zhang"]]))


@pytest.mark.parametrize("rows", [
    [["住户名单"], ["张三", "3", "2", "501"]],
    [[f"行{i}"] for i in range(10)] + [["楼栋", "单元", "房号", "姓名"], ["3", "2", "501", "张三"]],
    [[]] * 11 + [["楼栋", "单元", "房号", "姓名"], ["3", "2", "501", "张三"]],  # not "empty": it is further down
])
def test_no_header_in_the_first_ten_rows(tmp_path, rows):
    message = unreadable(write_xlsx(tmp_path / "r.xlsx", rows), "roster_headers")
    assert "表头" in message and "楼栋" in message


def test_two_columns_for_one_field(tmp_path):
    message = unreadable(write_csv(tmp_path / "r.csv", [["楼栋", "单元", "房号", "姓名", "手机", "联系电话"]]), "roster_headers")
    assert "“手机”" in message and "“联系电话”" in message


def rewrite_sheet(path, change):
    """Rewrite xl/worksheets/sheet1.xml of a saved workbook with change(xml_text)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = change(members[sheet].decode()).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_xlsx_with_a_wrong_stored_size_is_read_whole(tmp_path):
    rows = [["楼栋", "单元", "房号", "姓名", "类型"]] + [[1, 1, 101 + i, "住户" + chr(0x4E00 + i), "户主"] for i in range(30)]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    rewrite_sheet(path, lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:B3"', xml))
    result = read(path)
    assert len(result.rows) == 30 and result.rows[-1].kind == "owner"


def test_xlsx_with_a_damaged_sheet(tmp_path):
    rows = [["楼栋", "单元", "房号", "姓名"]] + [[1, 1, 101 + i, "住户" + chr(0x4E00 + i)] for i in range(30)]
    path = rewrite_sheet(write_xlsx(tmp_path / "r.xlsx", rows), lambda xml: xml[: len(xml) // 2])
    assert "损坏" in unreadable(path)


def test_corrupt_xlsx(tmp_path):
    (tmp_path / "random.xlsx").write_bytes(os.urandom(4096))
    assert "random.xlsx" in unreadable(tmp_path / "random.xlsx")
    good = write_xlsx(tmp_path / "good.xlsx", [["楼栋", "单元", "房号", "姓名"], [3, 2, 501, "张三"]]).read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(good[: len(good) // 2])
    unreadable(tmp_path / "cut.xlsx")
    with zipfile.ZipFile(tmp_path / "junk.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
    unreadable(tmp_path / "junk.xlsx")
    # what an encrypted workbook looks like: an OLE compound file, not a zip
    (tmp_path / "locked.xlsx").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    assert "密码" in unreadable(tmp_path / "locked.xlsx")


@pytest.mark.parametrize("name, content", [
    ("empty.csv", b""), ("blank.csv", b"\r\n  \r\n,,,\r\n"), ("bom.csv", b"\xef\xbb\xbf"),
    ("header-only.csv", "楼栋,单元,房号,姓名\r\n,,,\r\n".encode()),
])
def test_empty_text_files(tmp_path, name, content):
    (tmp_path / name).write_bytes(content)
    assert "没有住户数据" in unreadable(tmp_path / name)


def test_empty_workbook(tmp_path):
    assert "没有住户数据" in unreadable(write_xlsx(tmp_path / "r.xlsx", []))


@pytest.mark.parametrize("name, expected", [
    ("nowhere.csv", "找不到"), ("roster.xls", ".xlsx"), ("roster.pdf", ".csv"), ("roster", ".xlsx"),
])
def test_unusable_paths(tmp_path, name, expected):
    if name.endswith(".xls") or name.endswith(".pdf"):
        (tmp_path / name).write_bytes(b"whatever")
    assert expected in unreadable(tmp_path / name)


def test_a_directory_named_like_a_roster(tmp_path):
    (tmp_path / "dir.csv").mkdir()
    unreadable(tmp_path / "dir.csv")


def test_undecodable_text(tmp_path):
    (tmp_path / "r.csv").write_bytes("楼栋,单元,房号,姓名\n".encode() + b"\x81\x30\xff\xfe\x00")
    assert "编码" in unreadable(tmp_path / "r.csv")


def test_too_many_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(roster_file, "MAX_DATA_ROWS", 3)
    rows = [["楼栋", "单元", "房号", "姓名"]] + [["1", "1", str(100 + i), "张三"] for i in range(4)]
    assert "3" in unreadable(write_csv(tmp_path / "r.csv", rows))
    assert len(read(write_csv(tmp_path / "ok.csv", rows[:4] + [[], [""] * 4])).rows) == 3


def test_unclosed_quote_or_overlong_field(tmp_path):
    rows = [["楼栋", "单元", "房号", "姓名"], ["3", "2", "501", "x" * 200_000]]
    assert "第 2 行" in unreadable(write_csv(tmp_path / "r.csv", rows))


# --- properties -----------------------------------------------------------------------------

HEADER_CELLS = st.sampled_from(ZH_HEADER + EN_HEADER + ["序号", "备注", ""])
# Any code point, lone surrogates included (only UTF-8/16 CSV can even carry those, as bad bytes).
ANY_CHAR = st.characters(exclude_categories=())
# What an .xlsx can hold (XML 1.0 characters): no surrogates, no control characters but tab, CR
# and LF, not the non-characters U+FFFE and U+FFFF (the XML writer refuses them while the test
# writes its file: a failure of the test, not of the import).
XLSX_CHAR = st.characters(exclude_categories=("Cs",),
                          exclude_characters=[chr(c) for c in range(32) if c not in (9, 10, 13)] + ["\ufffe", "\uffff"])
SAMPLES = ["", " ", "3栋", "2单元", "501室", "张三", "户主", "隔离", "观察", "正常", "2026-11-20", ID1, "13800138000"]


def cells(chars):
    return st.one_of(
        st.text(chars, max_size=30),
        st.sampled_from(SAMPLES),
        st.builds(lambda c, n: c * n, chars, st.integers(1000, 30_000)),  # huge
        st.none(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    )


HEADERS = st.one_of(
    st.permutations(ZH_HEADER), st.permutations(EN_HEADER), st.lists(HEADER_CELLS, min_size=1, max_size=10)
)


def _header_then_rows(chars):
    return HEADERS.flatmap(lambda header: st.tuples(
        st.just(header), st.lists(st.lists(cells(chars), max_size=len(header) + 2), max_size=6)
    ))


def _check(path):
    try:
        result = read(path)
    except InvalidInput as exc:
        assert str(exc) and exc.code in ("roster_unreadable", "roster_headers")
        event(exc.code)
        return
    event("read: some rows" if result.rows else "read: only errors")
    for row in result.rows:
        assert "-" not in row.building + row.unit + row.room and row.name
        assert row.kind in ("owner", "family", "tenant") and row.status in ("normal", "quarantine", "observation")
    for error in result.errors:
        assert isinstance(error, RowError) and error.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(table=_header_then_rows(ANY_CHAR), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_random_csv_never_raises_anything_but_invalid_input(tmp_path, table, encoding, delimiter):
    header, rows = table
    errors = "surrogatepass" if encoding.startswith("utf") else "replace"
    data = csv_bytes([header, *rows], encoding=encoding, delimiter=delimiter, errors=errors)
    (tmp_path / "fuzz.csv").write_bytes(data)
    _check(tmp_path / "fuzz.csv")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(table=_header_then_rows(XLSX_CHAR))
def test_random_xlsx_never_raises_anything_but_invalid_input(tmp_path, table):
    header, rows = table
    _check(write_xlsx(tmp_path / "fuzz.xlsx", [header, *rows]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(1, 6), st.integers(101, 3204),
                          st.text(alphabet="张王李赵刘陈杨黄吴周𠮷䶮喆堃", min_size=1, max_size=4)),
                max_size=20, unique_by=lambda p: (p[0], p[1], p[2], p[3])))
def test_valid_residents_round_trip_through_csv(tmp_path, people):
    assume(people)
    rows = [["楼栋", "单元", "房号", "姓名"]] + [[f"{b}栋", f"{u}单元", f"{r}室", n] for b, u, r, n in people]
    result = read(write_csv(tmp_path / "ok.csv", rows))
    assert result.errors == []
    assert [(r.building, r.unit, r.room, r.name) for r in result.rows] == [(str(b), str(u), str(r), n) for b, u, r, n in people]
    assert [r.row for r in result.rows] == list(range(2, len(people) + 2))


# --- figure ---------------------------------------------------------------------------------


def test_timing_of_a_5000_row_xlsx(tmp_path):
    rows = [["住户花名册"], ZH_HEADER]
    for i in range(5000):
        rows.append([f"{i // 200 + 1}栋", f"{i // 50 % 4 + 1}单元", f"{i % 50 + 101}室", f"住户{chr(0x4E00 + i)}",
                     f"138{i:08d}", make_id_number("110101", date(1960 + i % 50, 1 + i % 12, 1 + i % 28), i % 1000),
                     ["户主", "家属", "租户"][i % 3], ["", "观察", "隔离"][i % 3],
                     datetime(2026, 11, 20) if i % 3 == 2 else None])
    path = write_xlsx(tmp_path / "big.xlsx", rows)
    start = time.perf_counter()
    result = read(path)
    elapsed = time.perf_counter() - start
    print(f"\nread_roster: 5,000-row xlsx in {elapsed:.3f} s")
    assert len(result.rows) == 5000 and result.errors == []


# --- office files: header detection, the user's choices, the rejects workbook ----------------

from checkpoint_app.services.roster_file import RosterChoice, column_letter, inspect_roster, write_rejects  # noqa: E402
from tests.roster_workbooks import MESSY_IMPORTED, MESSY_REJECTED, messy_office_workbook  # noqa: E402

FOUR = ["楼栋", "单元", "房号", "姓名"]
ONE = ["3", "2", "501", "张三"]


def test_a_messy_office_workbook(tmp_path):
    path = messy_office_workbook(tmp_path / "花名册.xlsx")
    layout = inspect_roster(path)
    assert (layout.sheets, layout.sheet, layout.header_row, layout.problem) == (["花名册", "填写说明"], "花名册", 3, None)
    assert layout.mapping == {"building": 1, "unit": 2, "room": 3, "name": 4, "phone": 5, "id_number": 6,
                              "kind": 7, "status": 8}
    assert (1, 1, 0, 9) in layout.merged and layout.rows[0][1][0].startswith("阳光花园")
    result = read(path)
    assert {(r.household, r.name): (r.phone, r.id_number) for r in result.rows} == MESSY_IMPORTED
    assert {e.row for e in result.errors} == set(MESSY_REJECTED)
    [lost] = [e.message for e in result.errors if e.row == 8]
    assert "4.21202E+17" in lost and "不可信" in lost and "“身份证号”" in lost
    assert result.rejected[8] == ("3-2-502", "王五")


@pytest.mark.parametrize("rows, header_row", [
    ([FOUR, ONE], 1),
    ([["住户花名册"], FOUR, ONE], 2),
    ([["住户花名册"], [], ["制表人：刘", None, "2026-11"], ["序号", *FOUR, "备注"], ["1", *ONE]], 4),
    ([["姓名", "电话", "（请如实填写）"], ["说明：楼栋、单元、房号分列填写"], FOUR, ONE], 3),   # a partial header first
    ([["姓名", "住址", "住址", "住址", "电话"], ["姓名", "楼栋", "单元", "房号", "电话"], ["张三", "3", "2", "501", ""]], 2),
    ([["　楼　栋　"], ["x"]], None),   # one known cell is not a header
])
def test_header_row_detection_table(tmp_path, rows, header_row):
    layout = inspect_roster(write_xlsx(tmp_path / "r.xlsx", rows))
    assert layout.header_row == header_row
    assert (layout.problem is None) == (header_row is not None)


def test_a_two_row_header_with_merged_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "住址", None, None, "电话"])
    sheet.append([None, "楼栋", "单元", "房号", None])
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:D1")
    sheet.merge_cells("E1:E2")
    sheet.append(["张三", 3, 2, 501, 13800138000])
    book.save(tmp_path / "r.xlsx")
    assert read(tmp_path / "r.xlsx").rows == [person(3, phone="13800138000")]


def test_merged_building_cells_fill_the_rows_they_cover(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(FOUR)
    for room, name in [("501", "张三"), ("501", "李四"), ("502", "王五")]:
        sheet.append(["3栋" if name == "张三" else None, "2" if name == "张三" else None, room, name])
    sheet.merge_cells("A2:A4")
    sheet.merge_cells("B2:B4")
    book.save(tmp_path / "r.xlsx")
    assert [(r.household, r.name) for r in read(tmp_path / "r.xlsx").rows] == \
        [("3-2-501", "张三"), ("3-2-501", "李四"), ("3-2-502", "王五")]


@pytest.mark.parametrize("phone, expected", [
    (13812345678.0, "13812345678"), (13812345678, "13812345678"), ("13812345678.0", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"), ("１３８-１２３４-５６７８", "13812345678"),
    ("1.38123E+10", "科学计数法"), ("1.38123e10", "科学计数法"), ("138123", "“电话”"),
])
def test_phones_as_office_files_hold_them(tmp_path, phone, expected):
    path = write_xlsx(tmp_path / "r.xlsx", [[*FOUR, "电话"], [*ONE, phone]])
    result = read(path)
    if expected.isdigit():
        assert [r.phone for r in result.rows] == [expected] and not result.errors
    else:
        assert not result.rows and expected in result.errors[0].message


def _checked_id_ending_in_zeros() -> str:
    """An ID number whose last three characters are 000: what a number with 15 significant digits
    can hold, and still a valid check digit. Excel's number looks right, and it is somebody else."""
    for day in range(1, 400):
        number = make_id_number("110101", date(1980, 1, 1).fromordinal(date(1980, 1, 1).toordinal() + day), 0)
        if number.endswith("000"):
            return number
    raise AssertionError("no such number")


@pytest.mark.parametrize("cell", [
    pytest.param(lambda: int(_checked_id_ending_in_zeros()), id="a number that passes the check digit"),
    pytest.param(lambda: float(ID1), id="float"),
    pytest.param(lambda: f"{float(ID1):.5E}", id="4.21202E+17 as text"),
    pytest.param(lambda: "４.２１２０２Ｅ＋１７", id="full-width scientific"),
    pytest.param(lambda: f"{int(ID1[:17])}0.0", id="18 digits .0"),
])
def test_an_id_number_excel_made_a_number_is_rejected_as_untrustworthy(tmp_path, cell):
    path = write_xlsx(tmp_path / "r.xlsx", [[*FOUR, "身份证号"], [*ONE, cell()]])
    result = read(path)
    assert result.rows == [] and [e.row for e in result.errors] == [2]
    assert "末几位已经丢失" in result.errors[0].message and "不可信" in result.errors[0].message


def test_an_id_number_in_scientific_notation_in_a_csv(tmp_path):
    i18n.set_language("en")
    rows, errors = one_row(tmp_path, 身份证号="4.21202E+17")
    assert not rows and "lost its last digits and cannot be trusted" in errors[0].message


@pytest.mark.parametrize("encoding, shown", [
    ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"), ("gb18030", "GB18030/GBK"), ("gbk", "GB18030/GBK"),
    ("gb2312", "GB18030/GBK"), ("utf-16", "UTF-16"),
])
def test_the_csv_encoding_is_detected_and_shown(tmp_path, encoding, shown):
    path = write_csv(tmp_path / "r.csv", [["小区花名册"], FOUR, ["3", "2", "501", "张三丰"]], encoding=encoding)
    layout = inspect_roster(path)
    assert (layout.encoding, layout.header_row, layout.sheets, layout.sheet) == (shown, 2, [], None)
    assert [r.name for r in read(path).rows] == ["张三丰"]


def test_an_old_xls_is_refused_in_one_sentence(tmp_path):
    (tmp_path / "名单.xls").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    with pytest.raises(InvalidInput, match=r"^“名单.xls”是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入。$"):
        inspect_roster(tmp_path / "名单.xls")


def test_the_user_chooses_the_sheet(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", None, sheets={
        "一期": [FOUR, ONE], "二期": [["二期名单"], FOUR, ["9", "1", "101", "李四"]], "空": []})
    assert [r.name for r in read(path).rows] == ["张三"]
    chosen = read_roster(path, today=TODAY, choice=RosterChoice(sheet="二期"))
    assert [r.name for r in chosen.rows] == ["李四"] and chosen.layout.header_row == 2
    assert "没有住户数据" in inspect_roster(path, RosterChoice(sheet="空")).problem
    with pytest.raises(InvalidInput, match="没有名为“三期”的工作表"):
        read_roster(path, today=TODAY, choice=RosterChoice(sheet="三期"))


def test_the_user_chooses_a_header_row_below_the_first_ten(tmp_path):
    rows = [[f"说明第{i}行"] for i in range(11)] + [FOUR, ONE]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    assert "表头" in inspect_roster(path).problem
    layout = inspect_roster(path, RosterChoice(header_row=12))
    assert (layout.header_row, layout.problem, layout.mapping) == (12, None, {"building": 0, "unit": 1, "room": 2, "name": 3})
    assert read_roster(path, today=TODAY, choice=RosterChoice(header_row=12)).rows == [person(13)]
    assert "没有第 99 行" in inspect_roster(path, RosterChoice(header_row=99)).problem


def test_the_user_maps_columns_the_detector_cannot_name(tmp_path):
    path = write_csv(tmp_path / "r.csv", [["幢", "门", "户", "户主姓名", "手机"], ["3", "2", "501", "张三", "13800138000"]])
    assert "表头" in inspect_roster(path).problem     # 幢 and 手机: two known names, but no 单元 and 房号
    mapping = {"building": 0, "unit": 1, "room": 2, "name": 3, "phone": 4}
    choice = RosterChoice(header_row=1, mapping=mapping)
    layout = inspect_roster(path, choice)
    assert layout.problem is None and layout.mapping == mapping
    assert read_roster(path, today=TODAY, choice=choice).rows == [person(2, phone="13800138000")]
    twice = inspect_roster(path, RosterChoice(header_row=1, mapping=mapping | {"phone": 3})).problem
    assert twice == "第 D 列不能同时作为“姓名”和“电话”。"
    missing = {k: v for k, v in mapping.items() if k != "room"}
    assert "房号" in inspect_roster(path, RosterChoice(header_row=1, mapping=missing)).problem
    # a field the user left out is not read, even when the file names it
    detected = write_csv(tmp_path / "d.csv", [[*FOUR, "电话"], [*ONE, "garbage"]])
    assert read_roster(detected, today=TODAY, choice=RosterChoice(mapping={f: i for i, f in enumerate(
        ["building", "unit", "room", "name"])})).rows == [person(2)]


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == \
        ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


def test_the_rejected_rows_go_to_a_workbook_the_office_corrects_and_imports_again(tmp_path):
    path = messy_office_workbook(tmp_path / "花名册.xlsx")
    result = read(path)
    out = tmp_path / "未导入.xlsx"
    assert write_rejects(path, result.errors, out) == 2
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.values)
    assert rows[0] == ("序号", "楼栋", "单元", "房号", "姓名", "联系电话", "身份证号", "类型", "状态", "备注", "原行号", "未导入原因")
    assert [r[:5] for r in rows[1:]] == [(4, 3, 2, 502, "王五"), (7, 5, 1, 103, "钱七")]
    assert [r[10] for r in rows[1:]] == [8, 11] and "不可信" in rows[1][11] and "联系电话" in rows[2][11]
    assert sheet.freeze_panes == "A2" and sheet.cell(1, 1).font.bold
    assert sheet.column_dimensions["L"].width >= 40 and 6 <= sheet.column_dimensions["A"].width <= 10
    assert sheet.cell(2, 7).number_format == "@"            # the ID column is text: typed again, it stays text
    assert not list(tmp_path.glob("*.partial"))
    # corrected in the office, the workbook imports
    book = openpyxl.load_workbook(out)
    book.active.cell(2, 7).value = make_id_number("110101", date(1970, 1, 1), 5)
    book.active.cell(3, 6).value = "13812340000"
    book.save(out)
    again = read(out)
    assert again.errors == [] and [(r.household, r.name) for r in again.rows] == [("3-2-502", "王五"), ("5-1-103", "钱七")]


def test_rejected_rows_of_a_csv_keep_their_text(tmp_path):
    path = write_csv(tmp_path / "r.csv", [["花名册"], [*FOUR, "电话"], [*ONE, "123"], ["3", "2", "502", "李四", ""]],
                     encoding="gb18030")
    result = read(path)
    assert write_rejects(path, result.errors, tmp_path / "x.xlsx") == 1
    assert list(openpyxl.load_workbook(tmp_path / "x.xlsx").active.values)[1][:5] == ("3", "2", "501", "张三", "123")


# The detector, on any title rows above any arrangement of the header (hypothesis).
TITLE_CELL = st.one_of(st.none(), st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12)
                       .filter(lambda t: roster_values.header_field(t) is None))
SYNONYM = {f: st.sampled_from([w for w, field in roster_values._HEADER_FIELDS.items() if field == f] + [f])
           for f in roster_values.FIELDS}


@st.composite
def office_tables(draw):
    titles = draw(st.lists(st.lists(TITLE_CELL, max_size=5), max_size=4))
    fields = draw(st.permutations(roster_values.FIELDS))
    fields = list(roster_values.REQUIRED_FIELDS) + [f for f in fields if f not in roster_values.REQUIRED_FIELDS][
        : draw(st.integers(0, 5))]
    fields = draw(st.permutations(fields))
    extras = draw(st.lists(st.sampled_from(["序号", "备注", "", None, "登记日期"]), max_size=3))
    header: list[object] = list(extras)
    for f in fields:
        header.insert(draw(st.integers(0, len(header))), draw(SYNONYM[f]))
    return titles, header, fields


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(table=office_tables(), as_csv=st.booleans(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_the_detector_finds_the_header_under_any_title_rows(tmp_path, table, as_csv, encoding):
    titles, header, fields = table
    data = ["3", "2", "501", "张三"]
    row = [None] * len(header)
    for f, value in zip(roster_values.REQUIRED_FIELDS, data):
        row[[roster_values.header_field(h) for h in header].index(f)] = value
    rows = [*titles, header, row]
    if as_csv:
        cells = [["" if c is None else str(c) for c in r] for r in rows]
        path = write_csv(tmp_path / "t.csv", cells, encoding=encoding, errors="replace")
    else:
        path = write_xlsx(tmp_path / "t.xlsx", rows)
    layout = inspect_roster(path)
    expected = {roster_values.header_field(h): i for i, h in enumerate(header) if roster_values.header_field(h)}
    assert layout.problem is None and layout.header_row == len(titles) + 1 and layout.mapping == expected
    assert set(expected) == set(fields)
    assert [(r.household, r.name) for r in read(path).rows] == [("3-2-501", "张三")]


def test_rejects_that_cannot_be_saved_leave_nothing_behind(tmp_path):
    path = write_csv(tmp_path / "r.csv", [[*FOUR, "电话"], [*ONE, "123"]])
    (tmp_path / "taken.xlsx").mkdir()          # as when the name is held by something that is not a file
    with pytest.raises(InvalidInput, match="taken.xlsx") as caught:
        write_rejects(path, read(path).errors, tmp_path / "taken.xlsx")
    assert caught.value.code == "rejects_unwritable" and str(caught.value).count("。") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "taken.xlsx"]
