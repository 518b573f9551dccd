"""The style sheet: what a button that cannot be pressed looks like."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPushButton


def _colours(button: QPushButton) -> set[tuple[int, int, int]]:
    button.resize(220, 56)
    image = button.grab().toImage()
    return {image.pixelColor(x, y).getRgb()[:3] for x in range(image.width()) for y in range(image.height())}


@pytest.mark.parametrize("name", ["", "primary"])
def test_a_disabled_button_does_not_look_like_one_that_works(styled, name):
    enabled, disabled = QPushButton("取消导入"), QPushButton("取消导入")
    for button in (enabled, disabled):
        button.setObjectName(name)
    disabled.setEnabled(False)
    assert _colours(enabled) != _colours(disabled)
