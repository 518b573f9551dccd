"""The sign-on panel: a password typed with Caps Lock on is said before it fails (and counts)."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_caps_lock_is_said_under_the_pin_while_letters_come_in_upper_case(make_window, keyboard, qtbot):
    window = make_window(sign_on=False)
    panel = window.page.sign_on_panel
    panel.name.setEditText("物业管理员")
    panel.pin.setFocus()

    def typed(text: str) -> None:      # a typed key reaches the field once the scan capture let it go
        qtbot.waitUntil(lambda: panel.pin.text() == text, timeout=3000)

    assert not panel.caps.isVisibleTo(panel)
    keyboard.type("demo", target=panel.pin)
    typed("demo")
    assert not panel.caps.isVisibleTo(panel)
    keyboard.type("DEMO", target=panel.pin)             # capitals without Shift: Caps Lock is on
    typed("demoDEMO")
    assert panel.caps.isVisibleTo(panel) and "大写" in panel.caps.text()
    panel.prepare()                                     # the next sign-on starts without it
    assert not panel.caps.isVisibleTo(panel)
    panel.name.setEditText("物业管理员")
    panel.pin.setFocus()
    keyboard.type("DEMO", target=panel.pin)
    typed("DEMO")
    assert panel.caps.isVisibleTo(panel)
    keyboard.press(Qt.Key.Key_D, "d", modifiers=Qt.KeyboardModifier.ShiftModifier, target=panel.pin)
    typed("DEMOd")
    assert panel.caps.isVisibleTo(panel)                # Shift with Caps Lock gives small letters
    keyboard.type("e", target=panel.pin)                # a small letter without Shift: it is off again
    typed("DEMOde")
    assert not panel.caps.isVisibleTo(panel)
