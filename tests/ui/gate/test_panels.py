"""Manual entry, visitors, handover and signing on, driven from the keyboard like at the gate."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.conftest import GUARD, NEXT_GUARD, NEXT_GUARD_PIN


def test_manual_entry_by_pinyin_initials(window, keyboard, gate_ctx, qtbot):
    page = window.page
    keyboard.key(Qt.Key.Key_F3)
    assert page.stack.currentWidget() is page.manual_panel
    keyboard.type("ls")
    qtbot.waitUntil(lambda: page.manual_panel.results.count() >= 1, timeout=2000)
    texts = [page.manual_panel.results.item(i).text() for i in range(page.manual_panel.results.count())]
    assert any("李四" in t for t in texts)
    # Pick 李四 (not 李𠮷祥) with the arrow keys, then Enter.
    while "李四" not in page.manual_panel.results.currentItem().text():
        keyboard.key(Qt.Key.Key_Down)
    with qtbot.waitSignal(page.scanAnswered, timeout=3000):
        keyboard.enter()
    assert page.current is not None and page.current.manual
    assert page.scan_panel.manual_badge.isVisible()
    assert page.scan_panel.temperature.hasFocus()
    with qtbot.waitSignal(page.passageRecorded, timeout=3000):
        keyboard.type("364")
        keyboard.enter()
    assert "手动" in page.banner.who
    assert gate_ctx.passages() == [("3-2-501", "out", 364, "allowed", "ok", 1, GUARD)]


def test_manual_entry_by_household_and_by_chinese_name(window, keyboard, gate_ctx, qtbot):
    page = window.page
    page.open_manual_entry()
    keyboard.type("5-1")
    qtbot.waitUntil(lambda: page.manual_panel.results.count() == 2, timeout=2000)
    page.manual_panel.search.clear()
    keyboard.commit("赵", page.manual_panel.search)
    qtbot.waitUntil(lambda: page.manual_panel.results.count() == 1, timeout=2000)
    assert "健康观察" in page.manual_panel.results.item(0).text()
    page.manual_panel.search.clear()
    keyboard.commit("没有这个人", page.manual_panel.search)
    qtbot.waitUntil(lambda: "没有找到" in page.manual_panel.empty.text(), timeout=2000)


def _fill_visitor(keyboard, panel, qtbot, capture, *, code="green", temperature="365", phone="13812345678"):
    f = panel.fields

    def typed(field, text):
        f[field].edit.setFocus()
        keyboard.type(text, gap=70)
        qtbot.waitUntil(lambda: capture.pending() == "", timeout=1000)   # the echo of held keys

    keyboard.commit("孙七", f["name"].edit)
    typed("phone", phone)
    typed("id_number", "11010519491231002X")
    typed("temperature", temperature)
    keyboard.commit("送快递", f["purpose"].edit)
    keyboard.commit("本市朝阳区", f["from_place"].edit)
    qtbot.waitUntil(lambda: capture.pending() == "", timeout=1000)
    # Typed keys would open the completer popup, a window the offscreen platform cannot raise.
    f["host"].edit.setText("3-2-501")
    if code is not None:
        panel.code_buttons[code].click()


def test_visitor_registration_validated_as_typed(window, keyboard, gate_ctx, qtbot):
    page = window.page
    keyboard.key(Qt.Key.Key_F2)
    panel = page.visitor_panel
    assert page.stack.currentWidget() is panel and panel.fields["name"].edit.hasFocus()
    phone = panel.fields["phone"]
    phone.edit.setFocus()
    keyboard.type("1381234", gap=70)
    qtbot.waitUntil(lambda: phone.edit.text() == "1381234", timeout=1000)
    assert phone.status.text() == "", "no scolding while the number is still being typed"
    panel.fields["id_number"].edit.setFocus()      # leaving the field judges it
    assert "11" in phone.status.text() and phone.edit.property("invalid") is True
    phone.edit.setFocus()
    keyboard.type("5678", gap=70)
    qtbot.waitUntil(lambda: phone.status.text() == "✓", timeout=1000)
    ident = panel.fields["id_number"]
    ident.edit.setFocus()
    keyboard.type("110105194912310021", gap=70)     # wrong check digit: judged at 18 characters
    qtbot.waitUntil(lambda: "校验" in ident.status.text(), timeout=1000)
    # Submitting with errors writes nothing and puts the focus on the first bad field.
    panel.register()
    assert gate_ctx.count("visitor_entries") == 0
    assert panel.fields["name"].edit.hasFocus()
    assert panel.fields["name"].status.text() != "" and panel.code_status.text() != ""


def test_visitor_in_and_out(window, keyboard, gate_ctx, qtbot, capture):
    page = window.page
    page.open_visitor_form()
    panel = page.visitor_panel
    _fill_visitor(keyboard, panel, qtbot, capture)
    qtbot.waitUntil(lambda: panel.fields["temperature"].edit.text() == "365", timeout=1000)
    completer = panel.fields["host"].edit.completer()
    completer.setCompletionPrefix("3-2")
    assert completer.currentCompletion() == "3-2-501"
    with qtbot.waitSignal(page.visitorRegistered, timeout=3000) as reg:
        panel.submit.click()
    assert reg.args[0].outcome == "allowed"
    assert page.banner.kind == "allowed" and "孙七" in page.banner.who
    assert page.stack.currentWidget() is page.scan_panel
    row = gate_ctx.ctx.db.conn.execute(
        "SELECT v.host_household, v.health_code, v.temp_tenths, v.guard, p.name, p.phone FROM visitor_entries v "
        "JOIN visitor_personal p ON p.uid = v.uid").fetchall()
    assert row == [("3-2-501", "green", 365, GUARD, "孙七", "13812345678")]
    assert all(f.edit.text() == "" for f in panel.fields.values()), "the form is cleared for the next visitor"
    qtbot.waitUntil(lambda: page.board.board.visitors_inside == 1)
    # Out again from the list of visitors inside.
    keyboard.key(Qt.Key.Key_F4)
    inside = page.inside_panel
    assert inside.table.rowCount() == 1 and inside.table.item(0, 1).text() == "孙七"
    keyboard.enter()
    assert gate_ctx.count("visitor_exits") == 1
    assert inside.table.rowCount() == 0
    qtbot.waitUntil(lambda: page.board.board.visitors_inside == 0)


def test_enter_on_a_health_code_colour_chooses_it_and_registers(window, keyboard, gate_ctx, qtbot, capture):
    """The form is filled field by field with Enter; after the host the focus is on the colours,
    and Enter there is the last step (Space only chooses)."""
    page = window.page
    page.open_visitor_form()
    panel = page.visitor_panel
    _fill_visitor(keyboard, panel, qtbot, capture, code=None)
    assert panel.health_code() is None
    panel.code_buttons["yellow"].setFocus()
    qtbot.waitUntil(panel.code_buttons["yellow"].hasFocus)
    with qtbot.waitSignal(page.visitorRegistered, timeout=3000) as reg:
        keyboard.enter()
    assert gate_ctx.ctx.db.conn.execute("SELECT health_code FROM visitor_entries").fetchall() == [("yellow",)]
    assert reg.args[0].outcome in ("flagged", "denied", "allowed")


def test_a_red_code_visitor_is_refused_with_a_sound(window, keyboard, gate_ctx, qtbot, capture):
    page = window.page
    page.sound.played.clear()
    page.open_visitor_form()
    _fill_visitor(keyboard, page.visitor_panel, qtbot, capture, code="red")
    with qtbot.waitSignal(page.visitorRegistered, timeout=3000):
        page.visitor_panel.register()
    assert page.banner.kind == "denied" and "红码" in page.banner.detail
    assert page.sound.played == ["denied"]
    assert gate_ctx.count("visitor_entries", "outcome = 'denied'") == 1


def test_a_scan_during_the_visitor_form_keeps_what_was_typed(window, keyboard, gate_ctx, qtbot):
    page = window.page
    page.open_visitor_form()
    keyboard.commit("孙七", page.visitor_panel.fields["name"].edit)
    with qtbot.waitSignal(page.scanAnswered, timeout=3000):
        keyboard.scan(gate_ctx.cards["张三"])
    assert page.stack.currentWidget() is page.scan_panel
    with qtbot.waitSignal(page.passageRecorded, timeout=3000):
        keyboard.type("365")
        keyboard.enter()
    keyboard.key(Qt.Key.Key_F2)
    assert page.visitor_panel.fields["name"].edit.text() == "孙七"


def test_shift_handover(window, keyboard, gate_ctx, qtbot):
    page = window.page
    keyboard.scan(gate_ctx.cards["张三"])
    with qtbot.waitSignal(page.passageRecorded, timeout=3000):
        keyboard.type("365")
        keyboard.enter()
    gate_ctx.clock.advance(hours=7)
    keyboard.key(Qt.Key.Key_F9)
    panel = page.handover_panel
    assert page.stack.currentWidget() is panel
    assert "出 1" in panel.counts.text()
    assert panel.notes.hasFocus()
    keyboard.commit("测温枪电量低，已更换电池", panel.notes)
    keyboard.key(Qt.Key.Key_Tab)
    assert panel.next_guard.hasFocus() and panel.next_guard.currentText() == ""
    keyboard.key(Qt.Key.Key_Down)            # the list of the other guards: ↓ picks the first
    assert panel.next_guard.currentText() == NEXT_GUARD
    panel.pin.setFocus()
    panel.pin.setText("0000")
    panel.submit.click()
    assert "PIN" in panel.error.text() or "不正确" in panel.error.text()
    assert gate_ctx.count("handovers") == 0 and page.ctx.user == GUARD
    panel.pin.setText(NEXT_GUARD_PIN)
    panel.submit.click()
    rows = gate_ctx.ctx.db.conn.execute("SELECT from_guard, to_guard, notes, counts FROM handovers").fetchall()
    assert len(rows) == 1 and rows[0][:3] == (GUARD, NEXT_GUARD, "测温枪电量低，已更换电池")
    assert '"out":1' in rows[0][3]
    assert page.ctx.user == NEXT_GUARD and page.ctx.role == "guard"
    assert gate_ctx.ctx.user is None and all(w.ctx is page.ctx for w in page._panels.values() if hasattr(w, "ctx"))
    assert NEXT_GUARD in window.guard_label.text() and NEXT_GUARD in window.windowTitle()
    assert page.stack.currentWidget() is page.scan_panel
    # The next passage is recorded under the new guard.
    gate_ctx.clock.advance(minutes=1)
    keyboard.scan(gate_ctx.cards["李四"])
    with qtbot.waitSignal(page.passageRecorded, timeout=3000):
        keyboard.type("366")
        keyboard.enter()
    assert gate_ctx.passages()[-1][-1] == NEXT_GUARD


def test_wrong_pin_at_sign_on(make_window, gate_ctx, qtbot):
    window = make_window(sign_on=False)
    panel = window.page.sign_on_panel
    assert not panel.first_run and panel.name.count() == 2
    panel.name.setEditText(GUARD)
    panel.pin.setText("9999")
    panel.submit.click()
    assert panel.error.text() != "" and not window.page.signed_on
    assert not window.page.key_buttons["F2"].isEnabled()


def test_first_guard_creates_their_account_at_sign_on(make_window, gate_ctx, qtbot):
    gate_ctx.ctx.db.conn.execute("DELETE FROM users")
    window = make_window(sign_on=False)
    panel = window.page.sign_on_panel
    assert panel.first_run and panel.pin2.isVisible()
    assert "第一个值班员" in panel.explain.text()
    panel.name.setEditText("周八")
    panel.pin.setText("2468")
    panel.pin2.setText("2469")
    panel.submit.click()
    assert "不一致" in panel.error.text()
    panel.pin.setText("2468")
    panel.pin2.setText("2468")
    with qtbot.waitSignal(panel.signedOn, timeout=5000):
        panel.submit.click()
    assert window.page.ctx.user == "周八" and window.page.ctx.role == "guard" and gate_ctx.ctx.role is None
    assert window.page.signed_on


def test_visitors_inside_from_an_earlier_day_show_their_date(gate_ctx, qtbot):
    """Issue 11 finding 8: after midnight the F4 list showed "23:53" with no date."""
    from datetime import datetime

    from checkpoint_app.services.visitors import visitor_in
    from checkpoint_app.ui.gate.visitors_inside import VisitorsInsidePanel
    from tests.core_fixtures import CST, OPERATOR

    ctx = gate_ctx.ctx.acting_as(None, OPERATOR)
    visitor = dict(phone="13812345678", id_number="11010519491231002X", purpose="探望", host="3-2-501",
                   from_place="本市", health_code="green", temperature="365")
    gate_ctx.clock.set(datetime(2026, 11, 20, 23, 53, tzinfo=CST))
    visitor_in(ctx, name="孙七", **visitor)
    gate_ctx.clock.set(datetime(2026, 11, 21, 0, 5, tzinfo=CST))
    visitor_in(ctx, name="周八", **visitor)
    panel = VisitorsInsidePanel(ctx)
    qtbot.addWidget(panel)
    panel.prepare()
    shown = {panel.table.item(r, 1).text(): panel.table.item(r, 0).text() for r in range(panel.table.rowCount())}
    assert shown == {"孙七": "11-20 23:53", "周八": "00:05"}
