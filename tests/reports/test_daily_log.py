"""The six daily logs as documents: plain dataclasses in, PDFs read back with real readers.

No database here (that is tests/services/test_documents.py): the data is made by hand, so
each layout rule can be pinned down (masking, void rows, amended marks, empty days, headers
repeated on every page, the checkpoint on the last page).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from checkpoint_app.domain.checkpoint import Checkpoint
from checkpoint_app.domain.daily import (
    AreaPlan,
    Correction,
    DailyData,
    FollowUp,
    HandoverRow,
    IncidentRow,
    InsideVisitor,
    OutRow,
    PassageRow,
    RoundRow,
    VisitorRow,
    summarise,
)
from checkpoint_app.reports.daily_log import (
    CHECKPOINT_INFO_KEY,
    LOG_INFO_KEY,
    LOG_KINDS,
    checkpoint_caption,
    passage_table_rows,
    render_log,
    title,
)

from .conftest import assert_fonts_embedded, decode_qr, extract_text, qpdf_check, render

DAY = date(2024, 3, 15)
CP = Checkpoint("YGHY", "0123456789abcdef0123456789abcdef", DAY, 321, 1001, 1321, "ab" * 32)
CP_TEXT = "CPK1" + "A" * 211  # what the QR carries (its content is not checked here)
WHEN = datetime(2024, 3, 16, 7, 45)
NAMES = ["张伟", "王芳", "李𠮷祥", "陈䶮", "阿依古丽·买买提艾力", "欧阳娜娜"]


def passages(n: int) -> list[PassageRow]:
    out = []
    for i in range(n):
        outcome, reasons = "allowed", ("ok",)
        if i % 17 == 3:
            outcome, reasons = "flagged", ("late_return",)
        if i % 29 == 5:
            outcome, reasons = "denied", ("quarantine",)
        if i % 31 == 7:
            outcome, reasons = "flagged", ("fever", "observation")
        out.append(PassageRow(
            seq=1001 + i, time=f"{6 + i // 60 % 16:02d}:{i % 60:02d}:00",
            direction="out" if i % 2 == 0 else "in", household=f"{i % 12 + 1}-2-50{i % 4 + 1}",
            name=NAMES[i % len(NAMES)], pass_number=100 + i % 40, pass_version=1 + (i % 9 == 0),
            temp_tenths=380 if "fever" in reasons else 361 + i % 8, outcome=outcome, reasons=reasons,
            manual=i % 23 == 0, guard="李建国", void=i == 10,
            amended=frozenset({"temp_tenths"}) if i == 12 else frozenset()))
    return out


def row_text(text: str, seq: int) -> str:
    """A table row's extracted text, wrapped cells included: from its record number to the
    next one."""
    start = text.index(f"\n{seq} ")
    end = text.find(f"\n{seq + 1} ", start)
    return text[start:end if end > 0 else None]


def full_day(n_passages: int = 150) -> DailyData:
    return DailyData(
        site_code="YGHY", site_name="阳光花园小区", gate_name="东门（1号岗）", day=DAY,
        cut_off="2024-03-15 23:59",
        passages=passages(n_passages),
        visitors=[
            VisitorRow(2001, "09:12:00", "10:40:00", "孙悟空", "13800138000", "11010519491231002X",
                       "为 3-2-501 住户上门更换厨房燃气管道并检查热水器排烟管，预计两小时",
                       "本市朝阳区", "3-2-501", "green", 366, "allowed", ("ok",), "王海波"),
            VisitorRow(2002, "11:05:00", None, "猪八戒", "13900139000", "110105198005060125",
                       "送快递", "河北廊坊", "5-1-102", "red", 364, "denied", ("health_code_red",),
                       "王海波"),
            VisitorRow(2003, "14:20:00", None, None, None, None, "探望父母", "天津", "1-1-101",
                       "green", 365, "allowed", ("ok",), "张伟", amended=frozenset({"purpose"})),
        ],
        rounds=[RoundRow(3001, "07:10:00", "1号楼大堂", "84消毒液", "500", 30, "spray", "赵保洁",
                         "孙主管", "物业管理员"),
                RoundRow(3002, "12:10:00", "电梯轿厢", "75%酒精", "75 %", 10, "wipe", "钱保洁", None,
                         "物业管理员", void=True),
                RoundRow(3003, "16:45:00", "快递柜", "含氯消毒剂", "100 mg/L", 30, "spray", "赵保洁", None,
                         "物业管理员", done_at="15:20", under_dosed="250–2000 mg/L")],
        plan=[AreaPlan("1号楼大堂", 2, 1), AreaPlan("电梯轿厢", 3, 0), AreaPlan("快递柜", 1, 1)],
        incidents=[
            IncidentRow(4001, "09:30:00", "fever", 380, ("fever",), "李建国",
                        (FollowUp("03-15 10:05", "社区医生复测 36.9，已解除", True, "孙主管"),),
                        subject_kind="resident", household="3-2-501", name="李𠮷祥"),
            IncidentRow(4002, "11:05:00", "visitor_health_code_red", 364, ("health_code_red",),
                        "王海波", subject_kind="visitor", household="5-1-102", name="猪八戒"),
            IncidentRow(4003, "13:13:00", "forged", 365, ("forged",), "张伟", subject_kind="card",
                        excerpt="CP1AEDEERKXYZ"),
        ],
        handovers=[HandoverRow(5001, "08:00:30", "李建国", "王海波", "2024-03-15T00:00:30.000+08:00",
                               "2024-03-15T08:00:30.000+08:00",
                               {"in": 3, "out": 11, "flagged": 1, "denied": 0, "fever": 1,
                                "visitors": 0}, ("fever", "fever", "quarantine"), "测温枪电量低")],
        still_out=[OutRow("3-2-501", "李𠮷祥", "21:10:00", 169, True),
                   OutRow("6-1-201", "陈䶮", "22:40:00", 79, False)],
        visitors_inside=[InsideVisitor(2003, "14:20:00", None, "1-1-101", "探望父母")],
        corrections=[
            Correction(1400, "18:00:00", "amend", "passage", 1013, "2024-03-15",
                       (("temp_tenths", 367),), "录入错误", "物业管理员", "passages"),
            Correction(1401, "18:05:00", "void", "passage", 1011, "2024-03-15", (), "重复登记",
                       "物业管理员", "passages"),
            Correction(1402, "18:10:00", "void", "disinfection", 3002, "2024-03-15", (), "记错区域",
                       "物业管理员", "disinfection"),
        ],
        records_by_kind={"passage": 150, "visitor_in": 3, "incident": 3, "disinfection": 2,
                         "handover": 1, "amendment": 3, "pass_issue": 159},
    )


@pytest.fixture(scope="module")
def logs(tmp_path_factory) -> dict[str, Path]:
    from checkpoint_app import i18n

    before = i18n.language()
    i18n.set_language("zh_CN")
    try:
        out = tmp_path_factory.mktemp("logs")
        data = full_day()
        return {kind: render_log(kind, data, CP, CP_TEXT, out / f"{kind}.pdf",
                                 generated_by="值班员 李四", generated_at=WHEN)
                for kind in LOG_KINDS}
    finally:
        i18n.set_language(before)


def test_every_log_is_a_clean_pdf_with_embedded_fonts_and_the_checkpoint(logs):
    for kind, pdf in logs.items():
        qpdf_check(pdf)
        assert_fonts_embedded(pdf)
        info = PdfReader(str(pdf)).metadata
        assert info[f"/{CHECKPOINT_INFO_KEY}"] == CP_TEXT and info[f"/{LOG_INFO_KEY}"] == kind
        assert info["/Title"] == f"{title(kind)} 2024-03-15"


def test_every_page_has_the_frame(logs):
    for kind, pdf in logs.items():
        pages = extract_text(pdf)
        for n, page in enumerate(pages, 1):
            for needed in ("阳光花园小区 · 东门（1号岗）", "日期 2024-03-15", title(kind),
                           f"第 {n} / {len(pages)} 页", "生成于 2024-03-16 07:45 · 生成人 值班员 李四"):
                assert needed in page, (kind, n, needed)


def test_passages_span_pages_with_the_header_repeated_and_every_row(logs, rare_names_printable):
    pages = extract_text(logs["passages"])
    assert len(pages) >= 3
    for page in pages[:-1]:
        assert "记录号 时间 方向 户号 姓名 出入证 体温 结果 原因 值班员" in page
    text = "\n".join(pages)
    for row in passages(150):
        assert f"\n{row.seq} {row.time} " in text, row.seq
    for name in rare_names_printable.values():
        assert name in text
    assert "超时返回" in text and "居家隔离" in text and "发热、健康观察" in text
    assert "人工登记" in text and "000109-2" in text


def test_void_rows_are_kept_and_labelled_amended_values_marked(logs):
    text = "\n".join(extract_text(logs["passages"]))
    assert "作废" in row_text(text, 1011)
    assert "*" in row_text(text, 1013)
    assert "带“*”的数值已更正" in text and "划线并标“作废”的记录已作废" in text
    corr = text.split("更正与作废记录")[-1]
    assert "出入 #1013" in corr and "体温改为 36.7" in corr and "录入错误" in corr
    assert "3002" not in corr  # the disinfection void is listed in its own log
    assert "记错区域" in "\n".join(extract_text(logs["disinfection"]))


def test_struck_rows_are_struck_through(tmp_path):
    """The void row has a line through it: the pixels along its middle are dark across."""
    from PIL import Image

    data = DailyData("YGHY", "阳光花园小区", "东门", DAY, "2024-03-15 23:59", passages=passages(12))
    pdf = render_log("passages", data, CP, CP_TEXT, tmp_path / "p.pdf", generated_by="x",
                     generated_at=WHEN)
    png = render(pdf, tmp_path, 100)[0]
    with Image.open(png) as im:
        gray = im.convert("L")
        w, h = gray.size
        dark_rows = [y for y in range(h // 6, h // 2)
                     if sum(gray.getpixel((x, y)) < 120 for x in range(w // 10, w * 9 // 10, 4))
                     > 0.9 * len(range(w // 10, w * 9 // 10, 4))]
    assert dark_rows, "no line across the table"


def test_visitors_are_masked_whatever_the_caller_passes(logs):
    text = "\n".join(extract_text(logs["visitors"]))
    assert "138****8000" in text and "110***********002X" in text
    assert "139****9000" in text and "110***********0125" in text
    assert "13800138000" not in text and "49123100" not in text
    assert "已清除" in text
    assert "为3-2-501住户上门更换厨房燃气管道并检查热水器排烟管，预计两小时" in "".join(text.split())
    assert "探望父母*" in text  # an amended purpose


def test_disinfection_plan_against_rounds(logs):
    text = "\n".join(extract_text(logs["disinfection"]))
    assert "计划 6 次，完成 2 次，缺 4 次" in text
    lines = text.splitlines()
    assert any(ln.startswith("电梯轿厢 3 0 3 缺 3 次") for ln in lines)
    assert any(ln.startswith("1号楼大堂 2 1 1 缺 1 次") for ln in lines)
    assert any(ln.startswith("快递柜 1 1 0 已完成") for ln in lines)


def test_an_under_dosed_round_and_a_round_entered_late_say_so_on_paper(logs):
    """Issue 14: flagged in the row and in a sentence under the table."""
    text = "\n".join(extract_text(logs["disinfection"]))
    flat = "".join(text.split())
    assert "剂量不足" in text and "3003 16:45 补录 快递柜" in " ".join(text.split())
    assert "序号3003：浓度100mg/L低于含氯消毒剂要求的250–2000mg/L，剂量不足" in flat
    assert "序号3003：15:20完成，16:45才登记（补录" in flat
    assert "序号3001" not in flat


def test_incidents_and_handovers(logs, rare_names_printable):
    text = "\n".join(extract_text(logs["incidents"]))
    for needed in ("发热", "访客红码", "疑似伪造", "不明卡 CP1AEDEERKXY…", "已闭环", "待跟进",
                   f"3-2-501 {rare_names_printable['李𠮷祥']}", "访客 猪八戒 → 5-1-102"):
        assert needed in text, needed
    assert "社区医生复测" in text
    text = "\n".join(extract_text(logs["handovers"]))
    assert "李建国 → 王海波" in text and "住户发热2、隔离人员欲外出1" in "".join(text.split())  # categories as on screen
    assert "测温枪电量低" in text


def test_summary(logs, rare_names_printable):
    text = "\n".join(extract_text(logs["summary"]))
    s = summarise(full_day())
    assert f"{s.out} / {s.inn}" in text
    assert "日终仍在外" in text and "2 人（超时 1）" in text
    assert rare_names_printable["陈䶮"] in text and "超时" in text
    assert "合计 321" in text  # the records by kind add up to the checkpoint's row count


def test_summarise_counts_what_the_logs_print():
    s = summarise(full_day())
    rows = [p for p in passages(150) if not p.void]
    assert s.denied == sum(p.outcome == "denied" for p in rows)
    assert s.out + s.inn == sum(p.outcome != "denied" for p in rows)
    assert s.fever_residents == sum("fever" in p.reasons for p in rows)
    assert (s.visitors, s.visitors_allowed, s.visitors_denied) == (3, 2, 1)
    assert (s.planned, s.done, s.missed) == (6, 2, 4)
    assert (s.incidents, s.incidents_open) == (3, 2)
    assert (s.amended, s.voided) == (1, 2)


def test_last_page_signature_lines_and_a_checkpoint_that_decodes(logs, tmp_path):
    for kind, pdf in logs.items():
        pages = extract_text(pdf)
        last = pages[-1]
        assert "值班员（签字）" in last and "负责人（签字）" in last, kind
        assert "本门岗当日全部记录 321 条，记录号 1001–1321" in last
        assert "链头 abababab abababab" in last
        for page in pages[:-1]:
            assert "核验码" not in page
        png = render(pdf, tmp_path, 150, len(pages))[0]
        assert decode_qr(png) == {CP_TEXT}, kind


def test_an_empty_day_says_so(tmp_path):
    empty = DailyData("YGHY", "阳光花园小区", "东门", DAY, "2024-03-15 23:59")
    cp = Checkpoint("YGHY", CP.gate_id, DAY, 0, 0, 0, "00" * 32)
    expected = {"passages": "本日没有出入记录。", "visitors": "本日没有外来人员登记。",
                "disinfection": "没有设置消毒计划。", "incidents": "本日没有异常事件。",
                "handovers": "本日没有交接班记录。", "summary": "本门岗当日没有记录"}
    for kind in LOG_KINDS:
        pdf = render_log(kind, empty, cp, CP_TEXT, tmp_path / f"{kind}.pdf", generated_by="x",
                         generated_at=WHEN)
        pages = extract_text(pdf)
        assert len(pages) == 1 and expected[kind] in pages[0], kind
        assert "记录号 时间" not in pages[0] or kind == "summary"
    summary = extract_text(tmp_path / "summary.pdf")[0]
    assert "当日没有发热记录。" in summary and "当日记录没有更正或作废。" in summary


def test_caption_and_plain_rows():
    lines = checkpoint_caption(CP, "阳光花园小区", "东门")
    assert lines[0] == "阳光花园小区（YGHY）· 东门 · 2024-03-15"
    assert lines[2].startswith("链头 abababab abababab")
    header, rows = passage_table_rows(full_day(3))
    assert header[0] == "记录号" and rows[0][:3] == ["1001", "06:00:00", "出"]


def test_unknown_kind_is_refused(tmp_path):
    with pytest.raises(ValueError):
        render_log("nonsense", full_day(1), CP, CP_TEXT, tmp_path / "x.pdf", generated_by="x",
                   generated_at=WHEN)


def test_a_clock_incident_reads_in_words_not_as_its_code(tmp_path):
    """The three label tables disagreed: the log printed ``clock_behind`` raw (issue 12)."""
    import dataclasses

    from checkpoint_app import i18n

    data = dataclasses.replace(full_day(), incidents=[
        IncidentRow(4101, "03:10:00", "clock_behind", None, (), "李建国"),
        IncidentRow(4102, "03:20:00", "clock_far_ahead", None, (), "李建国")])
    before = i18n.language()
    i18n.set_language("zh_CN")
    try:
        path = render_log("incidents", data, CP, CP_TEXT, tmp_path / "incidents.pdf",
                          generated_by="值班员 李四", generated_at=WHEN)
    finally:
        i18n.set_language(before)
    text = "".join("\n".join(extract_text(path)).split())
    assert "clock_behind" not in text and "clock_far_ahead" not in text
    assert "时钟早于最新记录" in text and "时钟远晚于最新记录" in text
