"""Rules across gates (issue 15 item 5): out at one gate and in at another is one trip; a decision
made on what a gate knew stands, and a conflict found when records arrive becomes an incident —
raised once, by the gate whose decision it was, never again on re-import."""

from __future__ import annotations

import pytest

from checkpoint_app.exchange import hub, merge
from checkpoint_app.services import gate, incidents, site
from tests.exchange.conftest import scan


def _carry(src, dst):
    """Everything ``src`` holds that ``dst`` lacks, applied at ``dst`` (what a sync does)."""
    with src.db.read() as conn:
        wires = [w for batch in merge.iter_all_above(conn, {o: s for o, (s, _c) in merge.heads(dst.db.conn).items()})
                 for w in batch]
    with dst.db.write() as conn:
        result = merge.apply(conn, wires, source="test", at=dst.now().isoformat(timespec="seconds"))
    dst.reload()
    assert not result.problems
    return result


def _incidents(ctx, category):
    return ctx.db.conn.execute("SELECT uid, subject_uid, reason, note FROM incidents WHERE category = ?",
                               (category,)).fetchall()


def _passages(ctx):
    return ctx.db.conn.execute("SELECT uid, direction, outcome, reasons FROM passages ORDER BY uid").fetchall()


def test_in_twice_across_gates_becomes_one_incident_at_the_gate_that_let_it_pass(compound):
    north, east, west = compound.gates
    card = compound.cards["张三"]
    first = scan(north, card, "in")
    east.clock.advance(minutes=10)                 # later than north's scan
    second = scan(east, card, "in")                # east could not know: let in
    assert second.outcome == "allowed" and "antipassback" not in second.reasons
    decided = _passages(east)
    result = _carry(north, east)
    found = _incidents(east, "cross_gate_antipassback")
    assert [(s, r) for _u, s, r, _n in found] == [(second.passage_id, "antipassback")]
    assert result.incidents == [found[0][0]]
    assert "北门" in found[0][3]                    # the note names the other gate
    # the decision stands: east's passage is as it was decided, not edited
    assert [p for p in _passages(east) if p[0] != first.passage_id] == decided
    # re-import: nothing new
    with north.db.read() as conn:
        wires = merge.read_range(conn, north.gate.uid, 0)
    with east.db.write() as conn:
        assert merge.apply(conn, wires, source="again", at="2026-11-20T10:00:00+08:00").incidents == []
    assert len(_incidents(east, "cross_gate_antipassback")) == 1
    # north learns east's passage (and its incident): north raises none of its own
    _carry(east, north)
    _carry(east, west)
    _carry(north, west)
    for ctx in (north, west, east):
        assert _incidents(ctx, "cross_gate_antipassback") == found
    # it is on the open-incidents list of every gate, with who it was
    assert any(i.category == "cross_gate_antipassback" and "张三" in i.who for i in incidents.open_incidents(north))


def test_out_at_one_gate_and_in_at_another_is_one_trip(compound):
    north, east, _west = compound.gates
    card = compound.cards["张三"]
    out = scan(east, card, "out")
    _carry(east, north)
    north.clock.set(east.clock.now)
    back = scan(north, card)                       # direction from what north knows: in
    assert (back.direction, back.outcome) == ("in", "allowed")
    assert "antipassback" not in back.reasons
    # and going in again at east, after east learnt of north's "in", is anti-passback at once
    _carry(north, east)
    east.clock.set(north.clock.now)
    twice = scan(east, card, "in")
    assert "antipassback" in twice.reasons and out.direction == "out"
    # nothing about this is an incident on arrival: every gate decided knowing the trip
    _carry(east, north)
    _carry(north, east)
    for ctx in (north, east):
        assert _incidents(ctx, "cross_gate_antipassback") == []


def test_anti_passback_off_raises_nothing(compound):
    north, east, _west = compound.gates
    for ctx in (north, east):
        site.set_setting(ctx, "antipassback", "off")
    scan(north, compound.cards["张三"], "in")
    east.clock.advance(minutes=10)
    scan(east, compound.cards["张三"], "in")
    _carry(north, east)
    assert _incidents(east, "cross_gate_antipassback") == []


def test_a_household_quota_counts_every_gate(compound, hub_url):
    office, (north, east, west) = compound.office, compound.gates
    site.set_setting(office, "quota_exits", "1")
    with hub.connect(hub_url) as pg:
        hub.push(office, pg)
        for ctx in (north, east, west):
            hub.pull(ctx, pg)
            assert ctx.settings["quota_exits"] == 1          # a setting travels as its record
        # 张三 and 李四 are one household (3-2-501): each goes out at another gate, unsynced
        first = scan(north, compound.cards["张三"], "out")
        east.clock.advance(minutes=10)
        second = scan(east, compound.cards["李四"], "out")
        assert first.outcome == second.outcome == "allowed"
        hub.push(north, pg)
        hub.push(east, pg)
        pulled = hub.pull(east, pg)
        found = _incidents(east, "cross_gate_quota")
        assert [(s, r) for _u, s, r, _n in found] == [(second.passage_id, "quota")]
        assert pulled.incidents == [found[0][0]]
        assert hub.pull(north, pg).incidents == []           # north's exit was the first: no conflict
        hub.push(east, pg)
        assert hub.pull(east, pg).incidents == []            # not again
        # a gate that knows both exits decides on them: a third exit is refused by the quota
        hub.pull(west, pg)
        west.clock.set(east.clock.now)
        west.clock.advance(minutes=5)
        third = gate.record_passage(west, compound.cards["张三"], temperature="36.5", direction="out")
        assert third.outcome == "denied" and "quota" in third.reasons
        for ctx in (north, east, west):
            hub.pull(ctx, pg)
            assert len(_incidents(ctx, "cross_gate_quota")) == 1


@pytest.mark.parametrize("category", ["cross_gate_antipassback", "cross_gate_quota"])
def test_the_new_categories_have_words(category):
    from checkpoint_app.domain import reasons

    assert reasons.category(category, "en") != category and reasons.category(category, "zh_CN") != category
