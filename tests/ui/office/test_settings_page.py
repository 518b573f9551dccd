"""The settings page driven as the manager uses it: a change made on the page is in
``checkpoint settings list`` (the real command line) and in the change record; a value the
setting does not allow is refused with one sentence and nothing is written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox

from checkpoint_app.services import site
from checkpoint_app.settings import SETTINGS, show_setting
from tests.ui.office.conftest import MANAGER

ROOT = Path(__file__).resolve().parents[3]


def _page(window, qtbot):
    page = window.office.open("settings")
    qtbot.waitUntil(lambda: page.save_button.isEnabled(), timeout=10_000)
    return page


def _cli_settings(data_dir: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "checkpoint_app.cli", "--data-dir", str(data_dir), "--json",
                          "settings", "list"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[0])["settings"]


def test_every_setting_has_an_editor_bounded_as_declared_with_its_unit_and_help(office, qtbot):
    page = _page(office(), qtbot)
    assert set(page.editors) == set(SETTINGS)
    for key, setting in SETTINGS.items():
        w = page.editors[key].widget
        if isinstance(w, QDoubleSpinBox):
            assert (round(w.minimum() * 10), round(w.maximum() * 10)) == setting.range
        elif isinstance(w, QSpinBox):
            assert (w.minimum(), w.maximum()) == setting.range
        elif isinstance(w, QComboBox):
            assert tuple(w.itemData(i).lower() for i in range(w.count())) == setting.choices
        assert page.editors[key].text() == show_setting(key, page.ctx.settings[key])
    texts = {label.text() for label in page.findChildren(type(page.message))}
    assert {"分钟", "°C", "天"} <= texts and SETTINGS["idle_lock_minutes"].help + "（1–120）" in texts


def test_a_choice_is_shown_in_words_with_the_value_the_command_line_takes(office, qtbot):
    """The choice boxes showed the raw values (soft, hard, deny, flag, true) in the Chinese page."""
    page = _page(office(), qtbot)
    shown = {key: [page.editors[key].widget.itemText(i) for i in range(page.editors[key].widget.count())]
             for key in ("antipassback", "quota_action", "yellow_code_action", "language")}
    assert shown["antipassback"] == ["不检查（off）", "提示后可放行（soft）", "拒绝（hard）"]
    assert shown["quota_action"] == ["拒绝外出（deny）", "放行但标记（flag）"]
    assert shown["yellow_code_action"] == ["放行但标记（flag）", "拒绝进入（deny）"]
    assert shown["language"] == ["中文", "English"]
    for key in ("antipassback", "quota_action", "yellow_code_action"):
        w = page.editors[key].widget
        assert [w.itemData(i) for i in range(w.count())] == list(SETTINGS[key].choices)   # what is saved
    for key, setting in SETTINGS.items():
        w = page.editors[key].widget
        if isinstance(w, QComboBox) and key != "language":
            assert all(not w.itemText(i).isascii() for i in range(w.count())), (key, w.itemText(0))


def test_a_change_made_on_the_page_is_in_settings_list_and_in_the_change_record(office, office_users, qtbot,
                                                                              watchdog):
    window = office()
    page = _page(window, qtbot)
    watchdog.start()
    editors = page.editors
    editors["fever_threshold"].widget.setValue(37.5)
    lock = editors["idle_lock_minutes"].widget
    lock.setValue(500)                       # more than the 120 allowed: the box does not take it
    assert lock.value() == 120
    lock.setValue(50)
    editors["antipassback"].widget.setCurrentIndex(editors["antipassback"].widget.findData("hard"))
    editors["antipassback_reset"].widget.setTime(QTime(5, 30))
    with qtbot.waitSignal(page.saved, timeout=10_000) as saved:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert saved.args == [4] and "4" in page.message.text()
    with watchdog.paused():
        listed = _cli_settings(office_users.data_dir)
    assert (listed["fever_threshold"], listed["idle_lock_minutes"], listed["antipassback"],
            listed["antipassback_reset"]) == ("37.5", "50", "hard", "05:30")
    changes = {c["key"]: (c["old"], c["new"], c["by"]) for c in site.setting_changes(office_users.ctx)}
    assert changes == {"fever_threshold": ("37.3", "37.5", MANAGER), "idle_lock_minutes": ("10", "50", MANAGER),
                       "antipassback": ("soft", "hard", MANAGER), "antipassback_reset": ("04:00", "05:30", MANAGER)}
    shown = {tuple(page.changes.item(r, c).text() for c in (1, 2, 3, 4)) for r in range(page.changes.rowCount())}
    assert (SETTINGS["fever_threshold"].label, "37.3", "37.5", MANAGER) in shown and len(shown) == 4


def test_a_value_out_of_range_is_refused_in_one_sentence_and_nothing_is_written(office, office_users, qtbot,
                                                                             watchdog):
    page = _page(office(), qtbot)
    watchdog.start()
    before = site.list_settings(office_users.ctx)
    page.editors["fever_threshold"].widget.setValue(38.0)             # a good value on the same page
    folder = page.editors["backup_dir"].widget
    assert isinstance(folder, QLineEdit)
    folder.setText("E:/" + "备份" * 140)                                # longer than a folder path may be
    with qtbot.waitSignal(page.bg.idle, timeout=10_000):
        page.save_button.click()
    text = page.message.text()
    assert page.message.objectName() == "fieldError" and "backup_dir" in text and "\n" not in text
    assert text.count("。") + text.count(".") <= 1 + text.count("...")
    assert site.list_settings(office_users.ctx) == before and site.setting_changes(office_users.ctx) == []
    page.revert_button.click()                                        # what is stored comes back
    assert page.editors["fever_threshold"].text() == "37.3" and folder.text() == ""


def test_enter_in_a_setting_saves_the_page(office, office_users, qtbot, keyboard):
    page = _page(office(), qtbot)
    box = page.editors["fever_threshold"].widget
    box.setValue(37.5)
    with qtbot.waitSignal(page.saved, timeout=10_000) as saved:
        keyboard.enter(target=box)                  # as 保存 does
    assert saved.args == [1]
    assert next(c for c in site.setting_changes(office_users.ctx) if c["key"] == "fever_threshold")["new"] == "37.5"
