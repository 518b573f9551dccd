"""Disinfection rounds, handovers, amendments and the live board."""

import json

import pytest

from checkpoint_app.db.verify import verify_database
from checkpoint_app.errors import InvalidInput, NotFound, RuleRefusal
from checkpoint_app.services import amendments, board, disinfection, handover
from checkpoint_app.services.gate import record_passage

ROUND = dict(area="1号楼大堂", agent="含氯消毒剂", concentration="500", contact_minutes="30", method="spray",
             operator="赵保洁", checker="孙主管")


def test_round_is_recorded_with_exact_values_and_the_agents_unit(site):
    uid = disinfection.record_round(site.ctx, **(ROUND | {"agent": "过氧乙酸", "concentration": "０.50"}))
    row = site.ctx.db.conn.execute("SELECT area, concentration, contact_minutes, method FROM disinfection_rounds "
                                   "WHERE uid = ?", (uid,)).fetchone()
    assert row == ("1号楼大堂", "0.5 %", 30, "spray")
    assert disinfection.list_areas(site.ctx) == [], "a round plans nothing (issue 11)"


# Issue 11 (3): concentrations are checked against the agent's own unit and range.
@pytest.mark.parametrize("agent, given, stored", [
    ("含氯消毒剂", "500", "500 mg/L"), ("84消毒液", "2000 mg/L", "2000 mg/L"), ("含氯消毒剂", "250", "250 mg/L"),
    ("75%酒精", "75", "75 %"), ("乙醇", "75%", "75 %"), ("酒精", "70", "70 %"), ("过氧乙酸", "0.2", "0.2 %"),
    ("过氧化氢", "3", "3 %"), ("二氧化氯", "500", "500 mg/L"), ("季铵盐", "1000", "1000 mg/L")])
def test_concentration_in_the_agents_range_is_kept_with_its_unit(site, agent, given, stored):
    uid = disinfection.record_round(site.ctx, **(ROUND | {"agent": agent, "concentration": given}))
    assert site.ctx.db.conn.execute("SELECT concentration FROM disinfection_rounds WHERE uid = ?",
                                    (uid,)).fetchone() == (stored,)


@pytest.mark.parametrize("agent, given, words", [
    ("含氯消毒剂", "99999", "250–2000 mg/L"), ("75%酒精", "250", "70–80 %"),
    ("乙醇", "750", "70–80 %"), ("过氧乙酸", "5", "0.1–0.5 %"), ("乙醇", "75 mg/L", "数字"),
    ("消毒水", "500", "不在目录中"), ("含氯消毒剂", "0", "数字")])
def test_concentration_above_the_agents_range_is_one_sentence_and_writes_nothing(site, agent, given, words):
    """Above the range is a typing error (99999 mg/L); below it is an under-dosed round (issue 14)."""
    with pytest.raises(InvalidInput) as err:
        disinfection.record_round(site.ctx, **(ROUND | {"agent": agent, "concentration": given}))
    message = str(err.value)
    assert words in message and message.count("。") == 1 and message.endswith("。")
    assert site.count("journal") == 0


# Issue 14: below the range is recorded, and keeps the range it fell below.
@pytest.mark.parametrize("agent, given, stored, under", [
    ("84消毒液", "100", "100 mg/L", "250–2000 mg/L"), ("乙醇", "60", "60 %", "70–80 %"),
    ("过氧乙酸", "0.05", "0.05 %", "0.1–0.5 %"), ("含氯消毒剂", "249.9", "249.9 mg/L", "250–2000 mg/L"),
    ("含氯消毒剂", "250", "250 mg/L", None), ("乙醇", "80", "80 %", None)])
def test_an_under_dosed_round_is_recorded_with_the_range_it_fell_below(site, agent, given, stored, under):
    uid = disinfection.record_round(site.ctx, **(ROUND | {"agent": agent, "concentration": given}))
    assert site.ctx.db.conn.execute("SELECT concentration, under_dosed FROM disinfection_rounds WHERE uid = ?",
                                    (uid,)).fetchone() == (stored, under)
    assert verify_database(site.ctx.db.conn).ok


def test_a_round_is_stamped_now_and_a_late_entry_keeps_when_it_was_done_never_another_day(site):
    from datetime import timedelta

    ctx, clock = site.ctx, site.clock
    now = ctx.now()
    earlier = (now - timedelta(minutes=50)).strftime("%H:%M")
    uid = disinfection.record_round(ctx, **ROUND, done_at=earlier)
    at, done_at = ctx.db.conn.execute("SELECT at, done_at FROM disinfection_rounds WHERE uid = ?", (uid,)).fetchone()
    assert at.startswith(now.isoformat(timespec="seconds")[:19]) and done_at[11:16] == earlier
    areas, rounds = disinfection.today(ctx)
    assert rounds[0].done_at == earlier and rounds[0].at == now.strftime("%H:%M")
    soon = disinfection.record_round(ctx, **ROUND, done_at=(now - timedelta(minutes=5)).strftime("%H:%M"))
    assert [r.done_at for r in disinfection.today(ctx)[1] if r.uid == soon] == [None], "5 minutes is not late"
    for bad in ((now + timedelta(minutes=5)).strftime("%H:%M"), "25:00", "昨天", now - timedelta(days=1)):
        with pytest.raises(InvalidInput):
            disinfection.record_round(ctx, **ROUND, done_at=bad)
    assert site.count("disinfection_rounds") == 2


def test_the_catalogue_is_edited_by_records_over_the_defaults(site):
    ctx = site.ctx
    assert [a.name for a in disinfection.catalogue(ctx)][:2] == ["含氯消毒剂", "乙醇"]
    disinfection.set_agent(ctx, "含氯消毒剂", "mg/L", "500", "1000", "84消毒液、漂白粉")
    disinfection.set_agent(ctx, "次氯酸水", "mg/L", "50", "200", "")
    agents = {a.name: a for a in disinfection.catalogue(ctx)}
    assert agents["含氯消毒剂"].range_text == "500–1000 mg/L" and agents["次氯酸水"].range_text == "50–200 mg/L"
    uid = disinfection.record_round(ctx, **(ROUND | {"agent": "84消毒液", "concentration": "300"}))
    assert site.ctx.db.conn.execute("SELECT under_dosed FROM disinfection_rounds WHERE uid = ?",
                                    (uid,)).fetchone() == ("500–1000 mg/L",)
    disinfection.record_round(ctx, **(ROUND | {"agent": "次氯酸水", "concentration": "100"}))
    with pytest.raises(InvalidInput):
        disinfection.record_round(ctx, **(ROUND | {"agent": "次氯酸水", "concentration": "300"}))
    for unit, low, high in (("ppm", "1", "2"), ("%", "5", "1"), ("%", "0", "1"), ("%", "x", "1")):
        with pytest.raises(InvalidInput):
            disinfection.set_agent(ctx, "新药", unit, low, high)
    assert site.count("disinfectants") == 2 and verify_database(ctx.db.conn).ok


def test_todays_plan_per_area_done_due_and_overdue(site):
    from datetime import datetime, time

    ctx, clock = site.ctx, site.clock
    clock.set(datetime.combine(ctx.now().date(), time(9, 0), tzinfo=ctx.now().tzinfo))
    disinfection.set_plan(ctx, "1号楼大堂", 2)      # due by 14:00 and 21:00
    disinfection.set_plan(ctx, "电梯轿厢", 4)       # due by 10:30, 14:00, 17:30, 21:00
    disinfection.record_round(ctx, **(ROUND | {"area": "快递柜"}))
    state = lambda: {a.area: (a.planned, a.done, a.state, a.next_due) for a in disinfection.today(ctx)[0]}
    assert state() == {"1号楼大堂": (2, 0, "due", "14:00"), "电梯轿厢": (4, 0, "due", "10:30"),
                       "快递柜": (0, 1, "unplanned", None)}
    clock.advance(minutes=100)                     # 10:40
    assert state()["电梯轿厢"][2:] == ("overdue", "10:30")
    disinfection.record_round(ctx, **(ROUND | {"area": "电梯轿厢"}))
    assert state()["电梯轿厢"] == (4, 1, "due", "14:00")
    for _ in range(2):
        disinfection.record_round(ctx, **ROUND)
    assert state()["1号楼大堂"] == (2, 2, "done", None)


def test_the_days_plan_is_the_one_in_force_that_day(site):
    """Issue 11 (3): areas start with no plan; plan changes are records; a day's ledger counts
    against the plan in force that day, not today's."""
    from datetime import timedelta

    from checkpoint_app.db.report_repo import read_day
    ctx, clock = site.ctx, site.clock
    day1 = ctx.now().date()
    disinfection.record_round(ctx, **ROUND)
    disinfection.set_plan(ctx, "1号楼大堂", 3)
    clock.advance(days=1)
    disinfection.set_plan(ctx, "1号楼大堂", "1")
    disinfection.set_plan(ctx, "电梯轿厢", 2)

    def plan(day):
        data = read_day(ctx.db.conn, site_code=ctx.site.code, site_name=ctx.site.name, gate_id=ctx.gate.uid,
                        gate_name=ctx.gate.name, day=day, cut_off=ctx.now())
        return [(a.area, a.planned, a.done) for a in data.plan]

    assert plan(day1 - timedelta(days=1)) == []
    assert plan(day1) == [("1号楼大堂", 3, 1)]
    assert plan(day1 + timedelta(days=1)) == [("1号楼大堂", 1, 0), ("电梯轿厢", 2, 0)]
    assert [(a.name, a.rounds_per_day) for a in disinfection.list_areas(ctx)] == [("1号楼大堂", 1), ("电梯轿厢", 2)]
    assert site.count("disinfection_plans") == 3
    with pytest.raises(InvalidInput):
        disinfection.set_plan(ctx, "1号楼大堂", "49")


def test_a_voided_plan_record_is_not_in_force(site):
    """A plan change entered by mistake and voided must not be what the signed ledger counts against."""
    from checkpoint_app.db.report_repo import plan_in_force

    ctx, clock = site.ctx, site.clock
    disinfection.set_plan(ctx, "1号楼大堂", 3)
    clock.advance(minutes=5)
    disinfection.set_plan(ctx, "1号楼大堂", 12)      # meant 2
    clock.advance(minutes=5)
    disinfection.set_plan(ctx, "电梯轿厢", 2)         # no such area here: voided too
    uids = [u for (u,) in ctx.db.conn.execute("SELECT uid FROM disinfection_plans ORDER BY at")]
    amendments.void_record(ctx, uids[1], "录入错误")
    amendments.void_record(ctx, uids[2], "录入错误")
    clock.advance(minutes=1)
    assert plan_in_force(ctx.db.conn, ctx.now().isoformat()) == [("1号楼大堂", 3)]


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
