from datetime import date, datetime

import pytest

from checkpoint_app.errors import InvalidInput, NotFound
from checkpoint_app.services import door_rounds, incidents, returnees, site
from checkpoint_app.services.door_rounds import Entry
from tests.core_fixtures import CST


def _watch(gate):
    """张三 back from 武汉 on 11-19 (day 2 of 14 on the 20th); 王五 in quarantine from the roster."""
    returnees.set_risk_area(gate.ctx, "武汉", "quarantine", 14)
    returnees.register_returnee(gate.ctx, resident_id=gate.ids["张三"], from_area="武汉", arrival=date(2026, 11, 19))


def _manager(gate):
    return gate.ctx.acting_as("周经理", "manager")


def _row(rnd, household):
    return next(h for h in rnd.households if h.household == household)


def test_everyone_under_a_measure_is_on_the_round_with_the_day_of_it(gate):
    _watch(gate)
    rnd = door_rounds.today_round(gate.ctx)
    assert [h.household for h in rnd.households] == ["3-2-501", "3-2-502", "5-1-101"]
    zhang = _row(rnd, "3-2-501").people[0]
    assert (zhang.name, zhang.day, zhang.length) == ("张三", 2, 14)
    assert [p.name for p in _row(rnd, "3-2-501").people] == ["张三"]   # 李四 is not under a measure


def test_a_fever_at_the_door_becomes_an_incident_asking_for_follow_up(gate):
    _watch(gate)
    hid = _row(door_rounds.today_round(gate.ctx), "3-2-501").household_id
    saved = door_rounds.record_household(_manager(gate), hid, [Entry(gate.ids["张三"], "38.2", ("cough",))],
                                         checked_by="刘志愿")
    assert len(saved.incidents) == 1
    (inc,) = [i for i in incidents.open_incidents(gate.ctx) if i.uid == saved.incidents[0]]
    assert (inc.category, inc.who) == ("door_fever", "3-2-501 张三")
    incidents.follow_up(gate.ctx, inc.uid, "已联系社区卫生服务中心，送发热门诊", close=True)
    assert saved.incidents[0] not in {i.uid for i in incidents.open_incidents(gate.ctx)}


@pytest.mark.parametrize("temperature, symptoms, category", [
    ("36.5", (), None), ("37.3", (), "door_fever"), ("36.6", ("fever",), "door_fever"),
    ("36.6", ("smell_taste",), "door_symptom"), (None, ("cough",), "door_symptom"),
])
def test_what_opens_an_incident(gate, temperature, symptoms, category):
    _watch(gate)
    hid = _row(door_rounds.today_round(gate.ctx), "3-2-501").household_id
    saved = door_rounds.record_household(_manager(gate), hid, [Entry(gate.ids["张三"], temperature, symptoms)])
    cats = gate.ctx.db.conn.execute("SELECT category FROM incidents WHERE subject_uid = ?",
                                    (saved.checks[0],)).fetchall()
    assert [c[0] for c in cats] == ([category] if category else [])


def test_not_reached_is_recorded_and_opens_nothing(gate):
    _watch(gate)
    hid = _row(door_rounds.today_round(gate.ctx), "3-2-501").household_id
    saved = door_rounds.record_household(_manager(gate), hid, [Entry(gate.ids["张三"], reached=False)])
    assert saved.incidents == []
    assert _row(door_rounds.today_round(gate.ctx), "3-2-501").states[0] == "not_reached"


def test_a_missed_check_shows_as_missed_after_its_window(gate):
    _watch(gate)
    gate.clock.set(datetime(2026, 11, 20, 7, 30, tzinfo=CST))
    assert _row(door_rounds.today_round(gate.ctx), "3-2-502").states == ("later", "later")
    gate.clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=CST))
    hid = _row(door_rounds.today_round(gate.ctx), "3-2-501").household_id
    door_rounds.record_household(_manager(gate), hid, [Entry(gate.ids["张三"], "365")])
    rnd = door_rounds.today_round(gate.ctx)
    assert _row(rnd, "3-2-501").states == ("done", "later")
    assert _row(rnd, "3-2-502").states == ("due", "later")
    gate.clock.set(datetime(2026, 11, 20, 10, 59, 59, tzinfo=CST))
    assert _row(door_rounds.today_round(gate.ctx), "3-2-502").states[0] == "due"
    gate.clock.set(datetime(2026, 11, 20, 11, 0, tzinfo=CST))
    rnd = door_rounds.today_round(gate.ctx)
    assert (_row(rnd, "3-2-502").states, _row(rnd, "3-2-501").states) == (("missed", "later"), ("done", "later"))
    assert (rnd.count(0, "missed"), rnd.count(0, "done")) == (2, 1)   # 王五 and 赵六
    gate.clock.set(datetime(2026, 11, 20, 19, 0, tzinfo=CST))
    assert _row(door_rounds.today_round(gate.ctx), "3-2-501").states == ("done", "missed")


def test_the_windows_are_a_setting(gate):
    site.set_setting(gate.ctx, "door_round_windows", "07:00-08:30, 12:00-13:00,17:00-19:00")
    gate.ctx.reload()
    _watch(gate)
    assert _row(door_rounds.today_round(gate.ctx), "3-2-501").states == ("missed", "later", "later")
    for bad in ("08:00", "11:00-08:00", "08:00-11:00,10:00-12:00", "", "25:00-26:00"):
        with pytest.raises(InvalidInput):
            site.set_setting(gate.ctx, "door_round_windows", bad)


def test_the_qr_finds_the_household_and_nothing_else(gate):
    _watch(gate)
    hid = _row(door_rounds.today_round(gate.ctx), "3-2-501").household_id
    assert door_rounds.household_from_qr(gate.ctx, door_rounds.qr_payload("HXY01", hid)) == hid
    assert len(door_rounds.qr_payload("ABCDEFGHIJKLMNOP", 999_999)) < 20    # never taken for a pass scan
    other = door_rounds.qr_payload("OTHER", hid)
    for text in (other, door_rounds.qr_payload("HXY01", 999), "CP1:whatever", "", f"HH:x:{other[-4:]}"):
        with pytest.raises(NotFound):
            door_rounds.household_from_qr(gate.ctx, text)


@pytest.mark.parametrize("entry, code", [
    (dict(temperature=None), "reading_required"),
    (dict(temperature="365", symptoms=("sneeze",)), "symptom_invalid"),
    (dict(temperature="99"), "temperature_malformed"),
])
def test_bad_entries_write_nothing(gate, entry, code):
    _watch(gate)
    hid = _row(door_rounds.today_round(gate.ctx), "3-2-501").household_id
    before = gate.count("journal")
    with pytest.raises(InvalidInput) as err:
        door_rounds.record_household(_manager(gate), hid, [Entry(gate.ids["张三"], **entry)])
    assert err.value.code.startswith(code.split("_")[0])
    assert gate.count("journal") == before


def test_only_people_under_a_measure_are_checked(gate):
    _watch(gate)
    hid = _row(door_rounds.today_round(gate.ctx), "3-2-501").household_id
    before = gate.count("journal")
    with pytest.raises(NotFound):
        door_rounds.record_household(_manager(gate), hid, [Entry(gate.ids["张三"], "365"), Entry(gate.ids["李四"], "365")])
    assert gate.count("journal") == before
