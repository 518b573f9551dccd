"""The door round sheet: its QR codes decode from a 150 dpi rendering and open the right household."""

from datetime import date

from checkpoint_app.services import door_rounds, home_documents, returnees
from tests.reports.conftest import assert_fonts_embedded, decode_qr, extract_text, qpdf_check, render


def test_round_sheet_qr_codes_decode_at_150_dpi_and_open_the_right_household(gate_ctx, tmp_path):
    ctx = gate_ctx.operator
    returnees.set_risk_area(ctx, "武汉", "quarantine", 14)
    returnees.register_returnee(ctx, resident_id=gate_ctx.ids["张三"], from_area="武汉", arrival=date(2026, 11, 19),
                                whole_household=True)
    returnees.register_returnee(ctx, name="陈䶮", household="12-1-1203", from_area="武汉", arrival=date(2026, 11, 20))
    pdf = home_documents.round_sheets(ctx, tmp_path / "rounds.pdf")
    qpdf_check(pdf)
    assert_fonts_embedded(pdf)
    pages = extract_text(pdf)
    assert len(pages) == 3                             # buildings 3, 5 and 12 each on their own page
    assert "3-2-501" in pages[0] and "张三" in pages[0] and "第 2/14 天" in pages[0]
    assert "陈䶮" in pages[2] and "12-1-1203" in pages[2]
    want = {h.household: h.household_id for h in door_rounds.today_round(ctx).households}
    found = {}
    for png in render(pdf, tmp_path, 150, 1, 3):
        for text in decode_qr(png):
            found[text] = door_rounds.household_from_qr(ctx, text)
    assert sorted(found.values()) == sorted(want.values())
    assert found[door_rounds.qr_payload("HXY01", want["12-1-1203"])] == want["12-1-1203"]


def test_one_building_only(gate_ctx, tmp_path):
    pdf = home_documents.round_sheets(gate_ctx.operator, tmp_path / "b5.pdf", building="5")
    (page,) = extract_text(pdf)
    assert "5-1-101" in page and "3-2-502" not in page
