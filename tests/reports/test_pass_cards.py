from __future__ import annotations

import random
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from checkpoint_app.reports.fonts import font_set
from checkpoint_app.reports.pass_cards import (
    CARD_HEIGHT,
    CARD_WIDTH,
    GRID_X,
    GRID_Y,
    QR_SIDE,
    PassCard,
    render_pass_cards,
)
from checkpoint_app.reports.qr import QUIET_ZONE, encode

from .conftest import (
    RARE_NAMES,
    assert_fonts_embedded,
    decode_qr,
    extract_text,
    qpdf_check,
    render,
)

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
NAMES = [*RARE_NAMES, "张伟", "欧阳娜娜", "阿依古丽·买买提艾力", "王芳", "刘洋", "赵敏", "孙悟空",
         "周杰"]


def make_cards(n: int, seed: int = 5) -> list[PassCard]:
    rnd = random.Random(seed)
    return [
        PassCard(
            household=f"{rnd.randint(1, 24)}-{rnd.randint(1, 4)}-{rnd.randint(1, 33)}0{i % 4 + 1}",
            name=NAMES[i % len(NAMES)],
            number=f"{i + 1:06d}",
            version=1 + i % 3,
            valid_from=date(2024, 3, 1),
            valid_until=date(2024, 8, 31),
            payload="CP1" + "".join(rnd.choice(BASE32) for _ in range(122)),
        )
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def sheet(tmp_path_factory) -> tuple[Path, list[PassCard]]:
    cards = make_cards(10)
    out = tmp_path_factory.mktemp("cards") / "cards.pdf"
    result = render_pass_cards(cards, out, site_name="阳光花园小区", generated_by="物业管理员 张三",
                               generated_at=datetime(2024, 3, 1, 9, 30))
    assert result == out
    return out, cards


def test_one_a4_page_for_ten_cards(sheet):
    out, _cards = sheet
    reader = PdfReader(str(out))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_fonts_embedded(sheet):
    assert_fonts_embedded(sheet[0])


def test_qpdf_check(sheet):
    qpdf_check(sheet[0])


def test_every_qr_decodes_at_150_dpi(sheet, tmp_path):
    out, cards = sheet
    png = render(out, tmp_path, 150)[0]
    assert decode_qr(png) == {c.payload for c in cards}


def test_card_texts(sheet, rare_names_printable):
    out, cards = sheet
    text = extract_text(out)[0]
    for card in cards:
        assert card.household in text
        assert rare_names_printable.get(card.name, card.name) in text
        assert f"{card.number}  第{card.version}版" in text
    assert "2024-03-01 至 2024-08-31" in text
    for label in ("楼栋-单元-房号", "姓名", "证号", "有效期", "阳光花园小区", "出入证"):
        assert label in text
    assert "第 1 / 1 页" in text
    assert "生成于 2024-03-01 09:30 · 生成人 物业管理员 张三" in text


def test_layout_fits_a4_and_the_qr_is_big_enough():
    assert CARD_WIDTH / 72 * 25.4 == pytest.approx(85.6)
    assert CARD_HEIGHT / 72 * 25.4 == pytest.approx(54)
    assert GRID_X > 15 / 25.4 * 72 and GRID_Y > 12 / 25.4 * 72  # room for cut marks
    code = encode(make_cards(1)[0].payload)
    module = QR_SIDE / (code.size + 2 * QUIET_ZONE)
    assert code.size * module / 72 * 25.4 >= 25  # the symbol alone is at least 25 mm
    assert module / 72 * 25.4 >= 0.5


def test_several_pages_and_a_partial_last_sheet(tmp_path):
    cards = make_cards(23)
    out = render_pass_cards(cards, tmp_path / "many.pdf", site_name="阳光花园小区",
                            generated_by="张三")
    pages = extract_text(out)
    assert len(pages) == 3
    assert "第 3 / 3 页" in pages[2]
    assert pages[2].count("楼栋-单元-房号") == 3  # empty slots stay blank
    assert decode_qr(render(out, tmp_path, 150, 3)[0]) == {c.payload for c in cards[20:]}


def test_long_values_shrink_to_fit(tmp_path):
    long = PassCard("12-4-3304", "阿卜杜热合曼·买买提艾力·吐尔逊巴克", "123456", 12,
                    date(2024, 3, 1), date(2025, 2, 28), "CP1" + "A" * 122)
    out = render_pass_cards([long], tmp_path / "long.pdf",
                            site_name="阳光花园小区二期东区南门物业服务中心管理处",
                            generated_by="张三")
    text = extract_text(out)[0]
    assert long.name in text and "第12版" in text
    assert decode_qr(render(out, tmp_path, 150)[0]) == {long.payload}


def test_byte_mode_payload_still_decodes(tmp_path):
    card = PassCard("1-1-101", "张伟", "000001", 1, date(2024, 3, 1), date(2024, 8, 31),
                    "cp1:lower-case/payload?v=1")
    out = render_pass_cards([card], tmp_path / "byte.pdf", site_name="小区", generated_by="张三")
    assert decode_qr(render(out, tmp_path, 150)[0]) == {card.payload}


def test_no_cards_is_an_error(tmp_path):
    with pytest.raises(ValueError):
        render_pass_cards([], tmp_path / "none.pdf", site_name="小区", generated_by="张三")
    assert not (tmp_path / "none.pdf").exists()


def test_pass_card_is_frozen():
    card = make_cards(1)[0]
    with pytest.raises(AttributeError):
        card.name = "x"  # type: ignore[misc]
    assert font_set().covers(card.household)
