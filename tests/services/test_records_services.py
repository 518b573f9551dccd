"""Disinfection rounds, handovers, amendments and the live board."""

import json

import pytest

from checkpoint_app.db.verify import verify_database
from checkpoint_app.errors import InvalidInput, NotFound, RuleRefusal
from checkpoint_app.services import amendments, board, disinfection, handover
from checkpoint_app.services.gate import record_passage

ROUND = dict(area="1号楼大堂", agent="含氯消毒剂", concentration="500", contact_minutes="30", method="spray",
             operator="赵保洁", checker="孙主管")


def test_round_is_recorded_with_exact_values(site):
    uid = disinfection.record_round(site.ctx, **(ROUND | {"concentration": "０.50"}))
    row = site.ctx.db.conn.execute("SELECT area, concentration, contact_minutes, method FROM disinfection_rounds "
                                   "WHERE uid = ?", (uid,)).fetchone()
    assert row == ("1号楼大堂", "0.5", 30, "spray")
    assert [a.name for a in disinfection.list_areas(site.ctx)] == ["1号楼大堂"]


@pytest.mark.parametrize("field, value", [("concentration", "-1"), ("concentration", "abc"), ("contact_minutes", "0"),
                                          ("contact_minutes", "9999"), ("method", "pray"), ("area", ""),
                                          ("operator", "\x07")])
def test_bad_round_writes_nothing(site, field, value):
    with pytest.raises(InvalidInput):
        disinfection.record_round(site.ctx, **(ROUND | {field: value}))
    assert site.count("journal") == 0


def test_handover_records_counts_and_open_alerts_and_switches_guard(gate):
    record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    gate.clock.advance(minutes=1)
    record_passage(gate.ctx, gate.cards["王五"], temperature="365", direction="out")
    summary = handover.shift_summary(gate.ctx)
    assert summary.counts["out"] == 1 and summary.counts["denied"] == 1
    assert [a["category"] for a in summary.open_alerts] == ["quarantine"]
    uid = handover.hand_over(gate.ctx, from_guard="李建国", to_guard="王海波", notes="测温枪电量低", summary=summary)
    row = gate.ctx.db.conn.execute("SELECT from_guard, to_guard, counts, notes FROM handovers WHERE uid = ?",
                                   (uid,)).fetchone()
    assert row[:2] == ("李建国", "王海波") and json.loads(row[2])["out"] == 1 and row[3] == "测温枪电量低"
    assert gate.ctx.user is None  # the next guard signs on with their own PIN
    gate.clock.advance(minutes=1)
    assert handover.shift_summary(gate.ctx).counts["out"] == 0  # a new shift counts from the handover


def test_void_and_amend_name_the_original_and_keep_it(gate):
    r = record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    aid = amendments.amend_record(gate.ctx, r.passage_id, {"temp_tenths": "36.8"}, "误读")
    row = gate.ctx.db.conn.execute("SELECT target_uid, action, changes FROM amendments WHERE uid = ?", (aid,)).fetchone()
    assert row == (r.passage_id, "amend", '{"temp_tenths":368}')
    amendments.void_record(gate.ctx, r.passage_id, "扫错人")
    with pytest.raises(RuleRefusal):
        amendments.void_record(gate.ctx, r.passage_id, "again")
    with pytest.raises(NotFound):
        amendments.void_record(gate.ctx, "missing", "x")
    with pytest.raises(InvalidInput):
        amendments.amend_record(gate.ctx, r.passage_id, {"temp_tenths": "36.8"}, "")
    assert gate.ctx.db.conn.execute("SELECT temp_tenths FROM passages WHERE uid = ?", (r.passage_id,)).fetchone() == (365,)
    assert verify_database(gate.ctx.db.conn).ok


def test_amend_refuses_fields_that_are_not_amendable(gate):
    r = record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    with pytest.raises(InvalidInput):
        amendments.amend_record(gate.ctx, r.passage_id, {"outcome": "allowed"}, "x")


def test_board_counts_and_who_is_out(gate):
    from checkpoint_app.services import site as site_service
    site_service.set_setting(gate.ctx, "outing_limit_minutes", "60")
    record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    gate.clock.advance(minutes=5)
    record_passage(gate.ctx, gate.cards["李四"], temperature="381")
    gate.clock.advance(minutes=5)
    record_passage(gate.ctx, gate.cards["李四"], temperature="365")
    gate.clock.advance(minutes=5)
    record_passage(gate.ctx, gate.cards["王五"], temperature="365", direction="out")
    gate.clock.advance(minutes=60)
    b = board.board(gate.ctx)
    assert (b.count_out, b.count_in, b.fevers, b.refusals) == (2, 1, 1, 1)
    assert [(o.name, o.overdue) for o in b.out_now] == [("张三", True)]
    assert b.recent[0].name == "王五" and len(b.recent) == 4


def test_incident_follow_up_until_closed(gate):
    from checkpoint_app.services import incidents
    record_passage(gate.ctx, gate.cards["王五"], temperature="365", direction="out")
    [open_one] = incidents.open_incidents(gate.ctx)
    assert open_one.category == "quarantine" and open_one.followups == 0
    assert open_one.who == "3-2-502 王五"
    incidents.follow_up(gate.ctx, open_one.uid, "已电话通知社区")
    assert incidents.open_incidents(gate.ctx)[0].followups == 1
    incidents.follow_up(gate.ctx, open_one.uid, "社区已上门核实", close=True)
    assert incidents.open_incidents(gate.ctx) == []
    with pytest.raises(RuleRefusal):
        incidents.follow_up(gate.ctx, open_one.uid, "again")
    with pytest.raises(NotFound):
        incidents.follow_up(gate.ctx, "nope", "x")
    with pytest.raises(InvalidInput):
        incidents.follow_up(gate.ctx, open_one.uid, " ")


def test_a_voided_passage_no_longer_counts_on_the_board(gate):
    r = record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    assert [o.name for o in board.board(gate.ctx).out_now] == ["张三"]
    amendments.void_record(gate.ctx, r.passage_id, "扫错卡")
    b = board.board(gate.ctx)
    assert b.out_now == [] and b.count_out == 0
    gate.clock.advance(minutes=1)
    assert record_passage(gate.ctx, gate.cards["张三"], temperature="365").direction == "out"
