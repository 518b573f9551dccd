"""The gate window between the gate and the office."""

from __future__ import annotations

from checkpoint_app.services import users
from tests.ui.conftest import sign_on_as


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
