"""Home quarantine between PCs (issue 16 item 1, DESIGN §8): a returnee registered at the office
(a resident, or a new person added to a household) is refused going out at another gate after one
sync, through the hub or a USB file with no hub; ending the measure early at the office lets them
out there after the next sync; a door-round fever recorded at the office is an open incident at
every gate after a sync (incidents are records, and every record travels)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from checkpoint_app.exchange import hub, usb
from checkpoint_app.services import door_rounds, incidents, passes, residents, returnees
from tests.exchange.conftest import scan


@pytest.fixture(params=["hub", "usb"])
def sync(request, tmp_path):
    """One sync from the office to a gate: through the hub, or a USB file (no hub at all)."""
    if request.param == "hub":
        url = request.getfixturevalue("hub_url")

        def through_hub(office, gate):
            with hub.connect(url) as pg:
                hub.push(office, pg)
                result = hub.pull(gate, pg)
            assert not result.problems
            return result
        return through_hub

    files = iter(range(1000))

    def through_usb(office, gate):
        exported = usb.export_file(office, tmp_path / f"office-{next(files)}.db")
        result = usb.import_file(gate, exported.path)
        assert not result.problems
        return result
    return through_usb


def _resident(ctx, name):
    return next(r for r in residents.list_residents(ctx) if r.name == name)


def test_a_returnee_registered_at_the_office_is_held_at_another_gate_after_one_sync(compound, sync):
    office, (north, *_rest) = compound.office, compound.gates
    zhang = compound.cards["张三"]
    assert _resident(north, "张三").status == "normal"            # before: 张三 goes out freely
    returnees.set_risk_area(office, "武汉", "quarantine", 14)
    today = office.now().date()
    returnees.register_returnee(office, from_area="武汉", arrival=today - timedelta(days=2),
                                resident_id=_resident(office, "张三").id, travel="G1234")
    new = returnees.register_returnee(office, from_area="武汉", arrival=today, name="钱八", household="5-1-102",
                                      phone="13300000001")
    assert new.measure == "quarantine" and new.until > today
    qian_card = next(p for p in passes.issue_passes(office, household="5-1-102") if p.name == "钱八").payload
    north.clock.advance(hours=1)                                  # the gate scans after the sync
    sync(office, north)
    assert _resident(north, "张三").status == "quarantine"
    assert _resident(north, "钱八").status == "quarantine"
    assert _resident(north, "钱八").status_until == new.until
    assert scan(north, zhang, "out").reason == "quarantine"
    assert scan(north, qian_card, "out").reason == "quarantine"

    # ending early at the office (with a reason) lets them out at the gate after the next sync
    office.clock.advance(hours=2)
    returnees.end_early(office, _resident(office, "张三").id, "核酸阴性，社区解除")
    returnees.end_early(office, _resident(office, "钱八").id, "误登记")
    north.clock.advance(hours=2)
    sync(office, north)
    assert _resident(north, "张三").status == "normal"
    assert scan(north, zhang, "out").outcome == "allowed"
    assert scan(north, qian_card, "out").outcome == "allowed"


def test_a_door_round_fever_at_the_office_is_an_open_incident_at_the_gate_after_a_sync(compound, sync):
    office, (north, *_rest) = compound.office, compound.gates
    returnees.register_returnee(office, from_area="黄冈", arrival=office.now().date(), name="钱八",
                                household="5-1-102", measure="quarantine", days=14)
    qian = _resident(office, "钱八")
    saved = door_rounds.record_household(office, qian.household_id,
                                         [door_rounds.Entry(qian.id, temperature="38.4")], slot=0,
                                         checked_by="楼长孙")
    assert len(saved.incidents) == 1
    assert not [i for i in incidents.open_incidents(north) if i.uid in saved.incidents]
    sync(office, north)
    seen = {i.uid: i for i in incidents.open_incidents(north)}
    assert saved.incidents[0] in seen
    assert seen[saved.incidents[0]].who == "5-1-102 钱八"
    # followed up at the gate, closed at the gate: it leaves the gate's open list
    incidents.follow_up(north, saved.incidents[0], "已联系社区卫生服务中心", close=True)
    assert saved.incidents[0] not in {i.uid for i in incidents.open_incidents(north)}


def test_a_whole_household_under_observation_is_flagged_at_the_gate_after_one_sync(compound, sync):
    office, (north, *_rest) = compound.office, compound.gates
    returnees.set_risk_area(office, "孝感", "observation", 14)
    returnees.register_returnee(office, from_area="孝感", arrival=office.now().date(),
                                resident_id=_resident(office, "张三").id, whole_household=True)
    sync(office, north)
    for name in ("张三", "李四"):                                 # both of 3-2-501
        assert _resident(north, name).status == "observation"
        decision = scan(north, compound.cards[name], "out")
        assert (decision.outcome, decision.reason) == ("flagged", "observation")
    assert _resident(north, "王五").status != "observation"       # 3-2-502 is another household


def test_lifting_early_on_the_office_needs_a_reason_everywhere_and_reaches_the_gate_with_who_and_why(compound, sync):
    """One way to lift a measure early (the residents page, `residents set-status --reason`, the
    returnees page, `returnee end-early`): the status record with its reason. It travels, the gate
    lets the person out, and the gate's household history and records page say who, when and why."""
    from checkpoint_app.errors import RuleRefusal
    from checkpoint_app.services import records_browser

    office, (north, *_rest) = compound.office.acting_as("物业刘", "manager"), compound.gates
    household = _resident(office, "张三").household_id
    until = office.now().date() + timedelta(days=14)
    residents.set_households_status(office, [household], "quarantine", until)     # 张三 and 李四
    sync(office, north)
    assert scan(north, compound.cards["张三"], "out").reason == "quarantine"
    journal = office.db.conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    for lift in (lambda: residents.set_status(office, _resident(office, "张三").id, "normal"),
                 lambda: residents.set_status(office, _resident(office, "张三").id, "normal", reason="  "),
                 lambda: residents.set_households_status(office, [household], "normal"),
                 lambda: returnees.end_early(office, _resident(office, "李四").id, "")):
        with pytest.raises(RuleRefusal) as refused:
            lift()
        assert refused.value.code == "reason_required"
    assert office.db.conn.execute("SELECT count(*) FROM journal").fetchone()[0] == journal   # nothing written

    office.clock.advance(hours=1)
    residents.set_status(office, _resident(office, "张三").id, "normal", reason="核酸阴性，社区同意解除")
    returnees.end_early(office, _resident(office, "李四").id, "误登记")
    assert not office.db.conn.execute("SELECT count(*) FROM quarantine_ends").fetchone()[0]   # the one way only
    north.clock.advance(hours=2)
    sync(office, north)
    assert scan(north, compound.cards["张三"], "out").outcome == "allowed"
    assert scan(north, compound.cards["李四"], "out").outcome == "allowed"
    lifted = {c.name: c for c in residents.household_view(north, _resident(north, "张三").household_id).changes
              if c.action == "normal"}
    assert {n: (c.reason, c.recorded_by) for n, c in lifted.items()} == {
        "张三": ("核酸阴性，社区同意解除", "物业刘"), "李四": ("误登记", "物业刘")}
    rows = records_browser.page(north.acting_as("物业刘", "manager"),
                                records_browser.RecordFilter(kinds=("resident_status",)))
    shown = {(r.who, r.by): r.detail for r in rows if "恢复正常" in r.detail}
    assert shown == {("3-2-501 张三", "物业刘"): "恢复正常 · 核酸阴性，社区同意解除",
                     ("3-2-501 李四", "物业刘"): "恢复正常 · 误登记"}
