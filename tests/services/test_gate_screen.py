"""services/gate_screen.py: the queries behind the gate screen."""

from __future__ import annotations

from checkpoint_app.services import board, gate, gate_screen, site, visitors


def _pass(g, name, temp="365", **kw):
    g.clock.advance(minutes=7)
    return gate.record_passage(g.ctx, g.cards[name], temperature=temp, **kw)


def test_board_figures(gate_ctx):
    g = gate_ctx
    g.ctx = g.operator
    site.set_setting(g.ctx, "outing_limit_minutes", "30")
    _pass(g, "张三")                       # out
    _pass(g, "李四")                       # out
    _pass(g, "李四", direction="in")       # back
    _pass(g, "王五")                       # quarantine: denied
    _pass(g, "赵六", temp="380")           # fever, flagged
    g.clock.advance(minutes=5)
    visitors.visitor_in(g.ctx, name="孙七", phone="13812345678", id_number="11010519491231002X",
                        purpose="送快递", host="3-2-501", from_place="本市", health_code="green", temperature="365")
    g.clock.advance(hours=1)
    got = board.board(g.ctx)
    assert got.count_out == 3 and got.refusals == 1 and got.fevers == 1 and got.visitors_inside == 1
    assert {o.name for o in got.out_now} == {"张三", "赵六"} and all(o.overdue for o in got.out_now)


def test_prepare_scan_says_who_which_way_and_whether_it_is_a_repeat(gate_ctx):
    g = gate_ctx
    g.ctx = g.operator
    preview = gate_screen.prepare_scan(g.ctx, g.cards["张三"])
    assert preview.holder.name == "张三" and preview.direction == "out" and not preview.duplicate
    _pass(g, "张三")
    g.clock.advance(seconds=3)
    assert gate_screen.prepare_scan(g.ctx, g.cards["张三"]).duplicate
    g.clock.advance(minutes=1)
    again = gate_screen.prepare_scan(g.ctx, g.cards["张三"])
    assert again.direction == "in" and not again.duplicate
    assert gate_screen.prepare_scan(g.ctx, "garbage").identified.payload is None
    assert gate.identify(g.ctx, g.cards["张三"]).holder.name == "张三"
    assert g.count("passages") == 1, "previews write nothing"


def test_households_and_users_for_the_forms(gate_ctx):
    assert gate_screen.household_labels(gate_ctx.ctx, "3-2") == ["3-2-501", "3-2-502"]
    assert gate_screen.has_users(gate_ctx.ctx)
    assert set(gate_screen.guard_names(gate_ctx.ctx)) == {"李建国", "王海波"}
    found = gate_screen.holder_for_resident(gate_ctx.ctx, gate_ctx.ids["李四"])
    assert found[0].name == "李四" and found[1] == "out"
