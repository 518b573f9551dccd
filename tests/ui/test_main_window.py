"""ui/main_window.py, the gate window between the gate and the office: the status bar's lines at the
smallest window (1024x640) — the other gates' sync ages and the upkeep line elided to the room they
get, never cut, the whole text in the tooltip; the sign-on list after the office added a guard."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from checkpoint_app.services import users
from tests.ui.conftest import sign_on_as

LONG = ("1 条记录被拒收（北门），见“数据库检查” · 已同步 21:30：北门 3 分钟前 · 东门 2 小时前 · 西门 无记录 · "
        "办公室 15 分钟前 · 南二门 1 天前")


def _shown(label: QLabel) -> str:
    return QLabel.text(label)          # what is painted (``text()`` is the whole line)


def test_the_sync_ages_line_is_elided_to_its_room_at_1024_wide_never_cut(window, qtbot):
    window.resize(1024, 640)
    window.show_upkeep("ok", "已备份 21:30（2 份）")
    window.show_hub("warning", LONG)
    qtbot.waitUntil(lambda: window.width() == 1024)
    qtbot.wait(50)
    bar = window.statusBar()
    for label in (window.hub_label, window.upkeep_label, window.clock_label):
        assert label.isVisible() and label.geometry().right() <= bar.width(), label.objectName()
    for label in (window.hub_label, window.upkeep_label):
        room = label.contentsRect().width()
        assert label.fontMetrics().horizontalAdvance(_shown(label)) <= room, (_shown(label), room)
    assert _shown(window.hub_label).endswith("…") and _shown(window.hub_label).startswith("1 条记录被拒收")
    assert window.hub_label.toolTip() == LONG and window.hub_label.text() == LONG
    assert _shown(window.upkeep_label) == "已备份 21:30（2 份）"      # short lines are whole
    narrow = len(_shown(window.hub_label))
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    qtbot.wait(50)
    assert len(_shown(window.hub_label)) > narrow + 10                # more room: more of it
    assert window.hub_label.fontMetrics().horizontalAdvance(_shown(window.hub_label)) <= \
        window.hub_label.contentsRect().width()


def test_a_guard_added_in_the_office_is_offered_on_the_sign_on_after_it(make_window, gate_ctx, qtbot):
    users.add_user(gate_ctx.operator, "管理员周", "admin", "admin-pass-1")
    window = make_window(sign_on=False)
    panel = window.page.sign_on_panel
    panel.pin.setText("0000")
    panel.submit.click()                               # a wrong PIN: said under the form
    assert panel.error.text() != ""
    sign_on_as(qtbot, window, "管理员周", "admin-pass-1")
    assert window.office is not None
    users.add_user(window.office.ctx, "赵强", "guard", "4444")      # as the users page does
    window.office.sign_off()
    assert window.office is None and panel.isVisible()
    assert "赵强" in [panel.name.itemText(i) for i in range(panel.name.count())]
    assert panel.error.text() == "" and panel.name.currentText() == ""
