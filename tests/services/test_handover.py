"""The shift summary handed on at a handover."""

from __future__ import annotations

from datetime import datetime

from checkpoint_app.services import handover
from checkpoint_app.services.gate import record_passage


def test_a_night_shift_handed_over_after_midnight_counts_its_whole_shift(gate):
    now = gate.clock()
    gate.clock.set(now.replace(hour=16, minute=0))
    handover.hand_over(gate.ctx, from_guard="李建国", to_guard="王海波")
    gate.clock.set(now.replace(hour=20, minute=0))
    record_passage(gate.ctx, gate.cards["张三"], temperature="365", direction="out")
    gate.clock.set(now.replace(hour=23, minute=50))
    record_passage(gate.ctx, gate.cards["张三"], temperature="365", direction="in")
    gate.clock.advance(minutes=10, seconds=30)                 # 00:00:30: the night shift hands over
    summary = handover.shift_summary(gate.ctx)
    assert datetime.fromisoformat(summary.shift_start) == now.replace(hour=16, minute=0)
    assert (summary.counts["out"], summary.counts["in"]) == (1, 1)


def test_a_handover_days_ago_does_not_make_a_shift_of_days(gate):
    handover.hand_over(gate.ctx, from_guard="李建国", to_guard="王海波")
    record_passage(gate.ctx, gate.cards["张三"], temperature="365", direction="out")
    gate.clock.advance(days=3)
    summary = handover.shift_summary(gate.ctx)
    assert datetime.fromisoformat(summary.shift_start) == gate.clock().replace(hour=0, minute=0, second=0,
                                                                               microsecond=0)
    assert summary.counts["out"] == 0
