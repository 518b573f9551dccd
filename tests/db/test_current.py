"""The read model: what every reader sees once amendments and voids are applied (issue 12)."""

from checkpoint_app.db import current
from checkpoint_app.services import amendments, board, visitors
from checkpoint_app.services.gate import record_passage

VISITOR = dict(name="孙七", phone="138 0013 8000", id_number="11010519491231002x", purpose="探望父母",
               host="3-2-501", from_place="北京市朝阳区", health_code="green", temperature="36.5")


def test_a_voided_visitor_entry_is_not_inside_on_the_board_nor_in_the_f4_list(gate):
    kept = visitors.visitor_in(gate.ctx, **VISITOR)
    voided = visitors.visitor_in(gate.ctx, **(VISITOR | {"name": "周八", "phone": "138 0013 8001",
                                                          "id_number": "110105194912310062"}))
    assert board.board(gate.ctx).visitors_inside == 2
    amendments.void_record(gate.ctx, voided.visitor_id, "登记错了人")
    assert board.board(gate.ctx).visitors_inside == 1
    assert [v.visitor_id for v in visitors.visitors_inside(gate.ctx)] == [kept.visitor_id]


def test_a_voided_exit_puts_the_visitor_back_inside_and_may_be_recorded_again(gate):
    entry = visitors.visitor_in(gate.ctx, **VISITOR)
    exit_uid = visitors.visitor_out(gate.ctx, entry.visitor_id)
    assert board.board(gate.ctx).visitors_inside == 0
    amendments.void_record(gate.ctx, exit_uid, "按错了人")
    assert board.board(gate.ctx).visitors_inside == 1
    assert [v.visitor_id for v in visitors.visitors_inside(gate.ctx)] == [entry.visitor_id]
    gate.clock.advance(minutes=1)
    visitors.visitor_out(gate.ctx, entry.visitor_id)
    assert board.board(gate.ctx).visitors_inside == 0


def test_an_amended_purpose_shows_in_the_f4_list(gate):
    entry = visitors.visitor_in(gate.ctx, **VISITOR)
    amendments.amend_record(gate.ctx, entry.visitor_id, {"purpose": "送药"}, "事由记错")
    assert [v.purpose for v in visitors.visitors_inside(gate.ctx)] == ["送药"]


def test_a_passage_amended_from_out_to_in_counts_as_in_for_the_board_and_anti_passback(gate):
    out = record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    assert out.direction == "out"
    assert [o.name for o in board.board(gate.ctx).out_now] == ["张三"]
    amendments.amend_record(gate.ctx, out.passage_id, {"direction": "in"}, "方向按错")
    b = board.board(gate.ctx)
    assert b.out_now == [] and (b.count_in, b.count_out) == (1, 0)
    with gate.ctx.db.read() as conn:
        assert current.last_through(conn, gate.ctx.db.conn.execute(
            "SELECT resident_uid FROM passages WHERE uid = ?", (out.passage_id,)).fetchone()[0])[0] == "in"
    gate.clock.advance(minutes=1)
    # the holder is inside: the next scan (no direction given) is going out, not in again
    assert record_passage(gate.ctx, gate.cards["张三"], temperature="365").direction == "out"


def test_the_latest_amendment_of_a_field_wins_and_bad_json_is_ignored(gate):
    out = record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    amendments.amend_record(gate.ctx, out.passage_id, {"direction": "in"}, "方向按错")
    gate.clock.advance(seconds=1)
    amendments.amend_record(gate.ctx, out.passage_id, {"direction": "out"}, "其实是出")
    with gate.ctx.db.read() as conn:
        assert conn.execute(f"SELECT {current.direction('p')} FROM passages p").fetchone()[0] == "out"
        assert current.fixes(conn, [out.passage_id])[out.passage_id].value("direction", "?") == "out"
    fix = current.Fix()
    fix.apply("amend", "{not json")
    fix.apply("amend", '{"temp_tenths": 367}')
    assert fix.value("temp_tenths", 365, int) == 367 and fix.value("direction", "in") == "in"
    assert not fix.void and fix.fields == {"temp_tenths"}


def test_history_and_the_recent_list_show_passages_as_they_stand(gate):
    from checkpoint_app.services import history
    out = record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    gate.clock.advance(minutes=1)
    wrong = record_passage(gate.ctx, gate.cards["李四"], temperature="365")
    amendments.amend_record(gate.ctx, out.passage_id, {"direction": "in", "temp_tenths": "36.8"}, "录错")
    amendments.void_record(gate.ctx, wrong.passage_id, "扫错卡")
    [row] = history.search_history(gate.ctx, "张三")
    assert (row.direction, row.temp_tenths, row.void) == ("in", 368, False)
    assert history.search_history(gate.ctx, "李四")[0].void
    assert [(r.uid, r.direction, r.temp_tenths) for r in board.board(gate.ctx).recent] == [
        (out.passage_id, "in", 368)]
