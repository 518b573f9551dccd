from datetime import date

import pytest

from checkpoint_app.db.verify import verify_database
from checkpoint_app.errors import InvalidInput, PermissionDenied, RuleRefusal
from checkpoint_app.services import residents, returnees
from checkpoint_app.services.gate import record_passage


def _people(gate):
    return {r.name: r for r in residents.list_residents(gate.ctx)}


def test_a_returnee_from_a_risk_area_is_refused_at_the_gate_the_same_minute(gate):
    returnees.set_risk_area(gate.ctx, "武汉", "quarantine", 14)
    assert record_passage(gate.ctx, gate.cards["张三"], direction="out").outcome == "allowed"
    gate.clock.advance(seconds=20)
    r = returnees.register_returnee(gate.ctx, resident_id=gate.ids["张三"], from_area="武汉",
                                    arrival=date(2026, 11, 19), travel="G1234", contact="无")
    assert (r.measure, r.until) == ("quarantine", date(2026, 12, 2))   # day 1 = arrival, 14 days
    assert _people(gate)["张三"].status_until == date(2026, 12, 2)
    gate.clock.advance(seconds=20)                                   # the same minute
    result = record_passage(gate.ctx, gate.cards["张三"], direction="out")
    assert (result.outcome, result.reason) == ("denied", "quarantine")
    # the other member of the household was not put under quarantine
    assert record_passage(gate.ctx, gate.cards["李四"], direction="out").outcome == "allowed"


def test_observation_flags_and_the_whole_household_can_be_covered(gate):
    returnees.set_risk_area(gate.ctx, "黄冈", "observation", 7)
    returnees.register_returnee(gate.ctx, resident_id=gate.ids["张三"], from_area="黄冈",
                                arrival=date(2026, 11, 20), whole_household=True)
    people = _people(gate)
    assert {people[n].status for n in ("张三", "李四")} == {"observation"}
    assert people["张三"].status_until == date(2026, 11, 26)
    result = record_passage(gate.ctx, gate.cards["李四"], direction="out")
    assert (result.outcome, result.reason) == ("flagged", "observation")


def test_a_longer_quarantine_is_not_shortened_by_a_later_registration(gate):
    # 王五 is under quarantine until 2026-11-25 from the roster; observation until 11-26 does not
    # lift it, nor does a shorter quarantine cut it.
    returnees.register_returnee(gate.ctx, resident_id=gate.ids["王五"], from_area="孝感",
                                arrival=date(2026, 11, 20), measure="quarantine", days=3)
    assert _people(gate)["王五"].status_until == date(2026, 11, 25)


def test_a_new_person_joins_the_household_under_the_measure(gate):
    returnees.set_risk_area(gate.ctx, "武汉", "quarantine", 14)
    r = returnees.register_returnee(gate.ctx, name="张小明", household="3-2-501", phone="13800000000",
                                    from_area="武汉", arrival=date(2026, 11, 18), travel="自驾 鄂A12345")
    assert (r.name, r.household) == ("张小明", "3-2-501")
    assert _people(gate)["张小明"].status == "quarantine"
    assert [x.name for x in returnees.returnee_ledger(gate.ctx)] == ["张小明"]


@pytest.mark.parametrize("kwargs, code", [
    (dict(from_area="", arrival=date(2026, 11, 19)), "from_required"),
    (dict(from_area="上海", arrival=date(2026, 11, 19)), "measure_invalid"),        # not listed, no measure
    (dict(from_area="武汉", arrival=date(2026, 11, 21)), "arrival_future"),
    (dict(from_area="武汉", arrival=date(2026, 11, 19), household="3-2"), "who_required"),
    (dict(from_area="武汉", arrival=date(2026, 11, 19), name="某", household="3-2"), "household_invalid"),
    (dict(from_area="上海", arrival=date(2026, 11, 19), measure="quarantine", days=0), "days_invalid"),
])
def test_bad_registrations_are_refused_and_write_nothing(gate, kwargs, code):
    returnees.set_risk_area(gate.ctx, "武汉", "quarantine", 14)
    before = gate.count("journal")
    with pytest.raises(InvalidInput) as err:
        returnees.register_returnee(gate.ctx, **kwargs)
    assert err.value.code == code
    assert gate.count("journal") == before


def test_ending_early_needs_a_reason(gate):
    returnees.set_risk_area(gate.ctx, "武汉", "quarantine", 14)
    returnees.register_returnee(gate.ctx, resident_id=gate.ids["张三"], from_area="武汉", arrival=date(2026, 11, 19))
    for reason in ("", "   "):
        with pytest.raises(RuleRefusal) as err:
            returnees.end_early(gate.ctx, gate.ids["张三"], reason)
        assert err.value.code == "reason_required"
    assert _people(gate)["张三"].status == "quarantine"
    returnees.end_early(gate.ctx, gate.ids["张三"], "核酸检测阴性，社区卫生服务中心同意解除")
    assert _people(gate)["张三"].status == "normal"
    assert returnees.returnee_ledger(gate.ctx)[0].ended_early.startswith("核酸")
    gate.clock.advance(seconds=30)
    assert record_passage(gate.ctx, gate.cards["张三"], direction="out").outcome == "allowed"
    with pytest.raises(RuleRefusal):        # nothing left to end
        returnees.end_early(gate.ctx, gate.ids["张三"], "again")
    assert verify_database(gate.ctx.db.conn).ok


def test_risk_areas_change_and_are_removed_as_records(gate):
    returnees.set_risk_area(gate.ctx, "武汉", "quarantine", 14)
    returnees.set_risk_area(gate.ctx, "孝感", "observation", 7)
    returnees.set_risk_area(gate.ctx, "武汉", "quarantine", 21)
    assert [(a.area, a.days) for a in returnees.risk_areas(gate.ctx)] == [("武汉", 21), ("孝感", 7)]
    returnees.remove_risk_area(gate.ctx, "孝感")
    assert [a.area for a in returnees.risk_areas(gate.ctx)] == ["武汉"]
    assert gate.count("risk_areas") == 4


def test_a_guard_may_not_register_returnees(gate):
    guard = gate.ctx.acting_as("李建国", "guard")
    with pytest.raises(PermissionDenied):
        returnees.set_risk_area(guard, "武汉", "quarantine", 14)
    with pytest.raises(PermissionDenied):
        returnees.end_early(guard, gate.ids["王五"], "reason")


def test_a_name_in_a_household_is_the_resident_living_there(gate):
    r = returnees.register_returnee(gate.ctx, name="李四", household="3-2-501", from_area="孝感",
                                    arrival=date(2026, 11, 20), measure="observation", days=14)
    assert r.resident_id == gate.ids["李四"]
    assert len(residents.list_residents(gate.ctx)) == 5


@pytest.mark.parametrize("lift", ["returnees page", "residents page"])
def test_a_measure_lifted_early_either_way_is_one_status_record_with_who_and_why(gate, lift):
    """The returnees page (end_early) and the residents page (set_status with a reason) lift a
    measure the same way: the status record carries the reason, the household history shows it
    and the returnee ledger says it ended early. Before, end_early's reason was on a separate
    `quarantine_end` record the history did not show, and a lift on the residents page never
    reached the ledger."""
    returnees.set_risk_area(gate.ctx, "武汉", "quarantine", 14)
    returnees.register_returnee(gate.ctx, resident_id=gate.ids["张三"], from_area="武汉", arrival=date(2026, 11, 19))
    office = gate.ctx.acting_as("物业刘", "manager")
    if lift == "returnees page":
        returnees.end_early(office, gate.ids["张三"], "核酸阴性")
    else:
        residents.set_status(office, gate.ids["张三"], "normal", reason="核酸阴性")
    assert gate.count("quarantine_ends") == 0
    assert gate.ctx.db.conn.execute(
        "SELECT status, reason, recorded_by FROM resident_status_changes ORDER BY at DESC, rowid DESC LIMIT 1"
    ).fetchone() == ("normal", "核酸阴性", "物业刘")
    change = residents.household_view(office, _people(gate)["张三"].household_id).changes[0]
    assert (change.name, change.action, change.reason, change.recorded_by) == ("张三", "normal", "核酸阴性", "物业刘")
    assert returnees.returnee_ledger(gate.ctx)[0].ended_early == "核酸阴性"


def test_the_ledger_still_reads_a_lift_recorded_the_old_way(gate):
    """Sites lifted early with a `quarantine_end` record before: the ledger still shows its reason."""
    from checkpoint_app.db import records

    returnees.set_risk_area(gate.ctx, "武汉", "quarantine", 14)
    returnees.register_returnee(gate.ctx, resident_id=gate.ids["张三"], from_area="武汉", arrival=date(2026, 11, 19))
    gate.clock.advance(minutes=5)
    with gate.ctx.db.write() as conn:
        uid = conn.execute("SELECT uid FROM residents WHERE id = ?", (gate.ids["张三"],)).fetchone()[0]
        records.append(conn, "quarantine_end", {"resident_uid": uid, "reason": "旧记录", "recorded_by": "物业刘"},
                       origin=gate.ctx.gate.uid, at=gate.clock())
    assert returnees.returnee_ledger(gate.ctx)[0].ended_early == "旧记录"
