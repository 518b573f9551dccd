from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from reportlab.lib.units import mm

from checkpoint_app.reports.page import (
    FRAME_WIDTH,
    PagedTable,
    ReportMeta,
    atomic_target,
    build_report,
    closing_block,
    data_table,
    para,
    signature_block,
    styles,
)

from .conftest import (
    RARE_NAMES,
    assert_fonts_embedded,
    decode_qr,
    extract_text,
    qpdf_check,
    render,
)

META = ReportMeta(
    site_name="阳光花园小区", gate_name="东门（1号岗）", day=date(2024, 3, 15),
    title="出入登记日志", generated_by="值班员 李四",
    generated_at=datetime(2024, 3, 15, 21, 5),
)
HEADER = ["序号", "时间", "房号", "姓名", "方向", "体温", "结果", "原因"]
WIDTHS = [16 * mm, 18 * mm, 22 * mm, 34 * mm, 12 * mm, 14 * mm, 14 * mm]
WIDTHS.append(FRAME_WIDTH - sum(WIDTHS))
CHECKPOINT = "CK1:YGHY:E1:20240315:ROWS=150:SEQ=1-150:HEAD=3F9AC21B"
LONG_REASON = "居家隔离至 2024-03-20，禁止外出；已通知物业跟进并登记在册"
NAMES = ["张伟", "王芳", *RARE_NAMES, "阿依古丽·买买提艾力", "欧阳娜娜"]


def rows(n: int) -> list[list[object]]:
    out = []
    for i in range(n):
        reason = "" if i % 3 else LONG_REASON * (1 + i % 2)
        out.append([f"R{i + 1:05d}", f"{i // 60:02d}:{i % 60:02d}:00",
                    f"{i % 12 + 1}-2-50{i % 4 + 1}",
                    NAMES[i % len(NAMES)], "出" if i % 2 else "入", 36.5, "放行", reason])
    return out


def sample_story(n: int = 150):
    st = styles()
    return [
        para("一、出入登记 <含特殊字符 & 符号>", st.heading),
        data_table(HEADER, rows(n), WIDTHS, wrap={7}, align={0: "right", 4: "centre", 5: "right"}),
        closing_block(CHECKPOINT, ["站点 阳光花园小区 · 东门", "记录 150 条"]),
    ]


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("page") / "sample.pdf"
    assert build_report(out, META, sample_story()) == out
    return out


def test_every_font_is_embedded(sample_pdf):
    fonts = assert_fonts_embedded(sample_pdf)
    assert any("WenQuanYiMicroHei" in f["name"] for f in fonts)


def test_qpdf_check_passes(sample_pdf):
    qpdf_check(sample_pdf)


def test_every_page_has_header_and_footer(sample_pdf):
    pages = extract_text(sample_pdf)
    assert len(pages) >= 3
    for number, text in enumerate(pages, 1):
        assert "出入登记日志" in text
        assert "阳光花园小区 · 东门（1号岗）" in text
        assert "日期 2024-03-15" in text
        assert f"第 {number} / {len(pages)} 页" in text
        assert "生成于 2024-03-15 21:05 · 生成人 值班员 李四" in text


def test_every_row_printed_once_in_order_with_the_header_on_each_page(sample_pdf):
    pages = extract_text(sample_pdf)
    ids = []
    for text in pages:
        found = re.findall(r"R(\d{5})", text)
        if found:
            assert "序号" in text and "原因" in text
        ids += [int(x) for x in found]
    assert ids == list(range(1, 151))


def test_names_with_rare_characters_are_printed(sample_pdf, rare_names_printable):
    text = "".join(extract_text(sample_pdf))
    for printable in rare_names_printable.values():
        assert printable in text
    assert "<含特殊字符 & 符号>" in text


def test_last_page_has_signature_lines_and_a_readable_checkpoint_qr(sample_pdf, tmp_path):
    pages = extract_text(sample_pdf)
    last = pages[-1]
    for word in ("值班员", "负责人", "日期", "核验码", "记录 150 条"):
        assert word in last
    assert "负责人（签字）" in last and "（签字）" not in "".join(pages[:-1])
    png = render(sample_pdf, tmp_path, 150, len(pages))[0]
    assert CHECKPOINT in decode_qr(png)


def test_pages_fill_up(sample_pdf):
    """One table per page-worth of rows: a page in the middle is full (no half-empty page
    from a chunk that did not fit)."""
    pages = extract_text(sample_pdf)
    counts = [len(re.findall(r"R\d{5}", t)) for t in pages]
    assert counts[0] > 20 and counts[1] > 20


def test_empty_table_and_english(tmp_path):
    from checkpoint_app import i18n

    i18n.set_language("en")
    out = tmp_path / "empty.pdf"
    build_report(out, META, [data_table(HEADER, [], WIDTHS), signature_block()])
    text = extract_text(out)[0]
    assert "Page 1 / 1" in text and "Guard on duty" in text and "序号" in text
    assert_fonts_embedded(out)


def test_paged_table_split_fits_the_space():
    table = data_table(HEADER, rows(100), WIDTHS, wrap={7})
    assert isinstance(table, PagedTable)
    w, h = table.wrap(FRAME_WIDTH, 300)
    assert w == pytest.approx(FRAME_WIDTH)
    first, rest = table.split(FRAME_WIDTH, 300)
    assert first.wrap(FRAME_WIDTH, 300)[1] <= 300
    assert first.wrap(FRAME_WIDTH, 300)[1] + rest.wrap(FRAME_WIDTH, 1e9)[1] == pytest.approx(
        h + first._heights[0])  # the header is repeated
    assert table.split(FRAME_WIDTH, 5) == []
    assert table.split(FRAME_WIDTH, 1e9) == [table]


def test_mismatched_widths_are_refused():
    with pytest.raises(ValueError):
        data_table(["a", "b"], [], [10 * mm])
    with pytest.raises(ValueError, match="row 2"):
        data_table(["a", "b"], [["1", "2"], ["3"]], [10 * mm, 10 * mm])


def test_atomic_target_leaves_nothing_on_error(tmp_path):
    out = tmp_path / "sub" / "x.pdf"
    with pytest.raises(RuntimeError):
        with atomic_target(out) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("crash")
    assert list((tmp_path / "sub").iterdir()) == []
    out.write_bytes(b"old")
    with atomic_target(out) as tmp:
        tmp.write_bytes(b"new")
    assert out.read_bytes() == b"new"
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["x.pdf"]
