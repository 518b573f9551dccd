"""The lock page: Caps Lock said under the PIN, as on the sign-on (a manager unlocks with a password)."""

from __future__ import annotations

import pytest

from checkpoint_app.ui.shared.lock_page import LockPage


@pytest.mark.qt_log_ignore("propagateSizeHints")     # the offscreen platform, on showing a top-level page
def test_caps_lock_is_said_under_the_pin(qtbot, styled, gate_ctx, keyboard):
    page = LockPage(gate_ctx.ctx)
    qtbot.addWidget(page)
    page.show()
    page.prepare("物业管理员")
    assert not page.caps.isVisibleTo(page)
    keyboard.type("DEMO", target=page.pin)
    qtbot.waitUntil(lambda: page.pin.text() == "DEMO", timeout=3000)
    assert page.caps.isVisibleTo(page)
    page.prepare("物业管理员")
    assert not page.caps.isVisibleTo(page)
