"""services/clock_guard.py: a clock that jumped back or far ahead is caught before it writes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from checkpoint_app.errors import PermissionDenied, RuleRefusal
from checkpoint_app.services import clock_guard, gate as gate_service
from checkpoint_app.services.clock_guard import ClockSuspect
from tests.core_fixtures import CST, START


@pytest.fixture
def recorded(gate):
    gate.clock.advance(minutes=5)
    r = gate_service.record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    assert r.recorded
    return gate


@pytest.mark.parametrize("shift, state", [
    (timedelta(0), "ok"),
    (timedelta(seconds=1), "ok"),
    (-timedelta(minutes=1), "ok"),                        # within the tolerance
    (-clock_guard.TOLERANCE - timedelta(seconds=1), "behind"),
    (-timedelta(hours=3), "behind"),
    (timedelta(days=6), "ok"),
    (clock_guard.MAX_AHEAD + timedelta(minutes=1), "far_ahead"),
    (timedelta(days=3650), "far_ahead"),
])
def test_states_against_the_newest_record(recorded, shift, state):
    newest = recorded.clock.now
    recorded.clock.set(newest + shift)
    status = clock_guard.check(recorded.ctx)
    assert status.state == state
    assert status.newest == newest
    assert bool(status.message) == (state != "ok")


@pytest.mark.parametrize("when", [datetime(2000, 1, 1, 0, 0, tzinfo=CST),    # dead CMOS battery
                                  datetime(1970, 1, 1, 8, 0, tzinfo=CST),
                                  START - timedelta(days=30)])                 # before the site existed
def test_an_impossible_clock_even_without_records(site, when):
    assert site.count("journal") == 0
    site.clock.set(when)
    status = clock_guard.check(site.ctx)
    assert status.state == "implausible" and not status.can_acknowledge
    assert when.strftime("%Y-%m-%d") in status.message
    with pytest.raises(ClockSuspect) as err:
        clock_guard.require_sane(site.ctx)
    assert err.value.code == "clock_implausible"
    with pytest.raises(RuleRefusal):
        clock_guard.acknowledge(site.ctx)
    assert site.count("journal") == 0


def test_no_records_and_a_plausible_clock_is_fine(site):
    assert clock_guard.check(site.ctx).ok
    assert clock_guard.require_sane(site.ctx).ok


def test_behind_is_refused_until_acknowledged_and_the_acknowledgement_is_recorded(recorded):
    ctx = recorded.ctx
    ctx.user = "王海波"
    recorded.clock.advance(hours=-2)
    n = recorded.count("journal")
    with pytest.raises(ClockSuspect) as err:
        clock_guard.require_sane(ctx)
    assert err.value.code == "clock_behind" and err.value.status.state == "behind"
    uid = clock_guard.acknowledge(ctx, "手表核对过")
    assert recorded.count("journal") == n + 1
    row = ctx.db.conn.execute("SELECT category, reason, note, recorded_by, at FROM incidents WHERE uid = ?",
                              (uid,)).fetchone()
    assert row[0] == "clock_behind" and row[3] == "王海波" and "手表核对过" in row[2]
    assert row[4].startswith(recorded.clock.now.strftime("%Y-%m-%dT%H:%M"))
    assert clock_guard.require_sane(ctx).ok          # the acknowledgement is the newest record now
    with pytest.raises(RuleRefusal):
        clock_guard.acknowledge(ctx)                 # nothing left to acknowledge


def test_far_ahead_is_acknowledged_once(recorded):
    recorded.clock.advance(days=clock_guard.MAX_AHEAD.days + 1)
    assert clock_guard.check(recorded.ctx).state == "far_ahead"
    clock_guard.acknowledge(recorded.ctx)
    recorded.clock.advance(minutes=1)
    assert clock_guard.check(recorded.ctx).ok


def test_acknowledging_needs_a_gate_role(recorded):
    recorded.clock.advance(hours=-2)
    recorded.ctx.role = "auditor"
    n = recorded.count("journal")
    with pytest.raises(PermissionDenied):
        clock_guard.acknowledge(recorded.ctx)
    assert recorded.count("journal") == n


def test_other_gates_records_do_not_count(recorded):
    """A peer's records merged in carry the peer's clock; only this gate's chain is the reference."""
    from checkpoint_app.db import records

    with recorded.ctx.db.write() as conn:
        records.append(conn, "incident", {"category": "peer"}, origin="peer-gate",
                       at=recorded.clock.now + timedelta(days=1))
    assert clock_guard.check(recorded.ctx).ok


def test_record_passage_refuses_a_clock_that_jumped_back(recorded):
    n = recorded.count("passages")
    recorded.clock.set(datetime(2000, 1, 1, tzinfo=CST))
    with pytest.raises(ClockSuspect):
        gate_service.record_passage(recorded.ctx, recorded.cards["李四"], temperature="365")
    assert recorded.count("passages") == n
