"""ui/gate/banner.py: the full-width answer."""

from __future__ import annotations

import pytest

from checkpoint_app.ui.gate.banner import Banner


@pytest.mark.parametrize("width", [1024, 1366])
def test_the_temperature_on_a_long_answer_line_is_never_cut(qtbot, styled, width):
    """English at 1024 px: "ALLOWED  1-1-101 石远一 ↓in 36…" — the reading was cut off the
    answer. The line is drawn smaller instead, whole."""
    banner = Banner()
    qtbot.addWidget(banner)
    banner.resize(width, banner.height())
    banner.show()
    qtbot.waitExposed(banner)
    for title, who in (("ALLOWED", "1-1-101  石远一  ↓ in  36.5 °C"),
                       ("FLAGGED", "3-2-501  Ouyang Nana  ↑ out  38.1 °C"),
                       ("注意", "3-2-501  欧阳娜娜  ↑ 出  38.1 °C")):
        with qtbot.waitSignal(banner.painted):
            banner.show_state("allowed", title, who, "Recorded at 21:30:00")
        assert banner.who_drawn == who


def test_a_long_title_gives_way_so_who_it_is_about_is_on_the_answer_line(qtbot, styled):
    """English at 1024 px: "FEVER: measure again" filled the line and who it was about was "…"."""
    from checkpoint_app.ui.gate.banner import TITLE_PX

    banner = Banner()
    qtbot.addWidget(banner)
    banner.resize(1024, banner.height())
    banner.show()
    qtbot.waitExposed(banner)
    with qtbot.waitSignal(banner.painted):
        banner.show_state("fever", "FEVER: measure again", "1-1-101  石华秀  ↑ out", "Temperature 37.9 °C")
    assert banner.who_drawn == "1-1-101  石华秀  ↑ out"
    assert 56 <= banner.title_px < TITLE_PX
    with qtbot.waitSignal(banner.painted):
        banner.show_state("allowed", "通行", "1-1-101  石远一  ↓ 进  36.5 °C", "")
    assert banner.title_px == TITLE_PX and banner.who_drawn == "1-1-101  石远一  ↓ 进  36.5 °C"
