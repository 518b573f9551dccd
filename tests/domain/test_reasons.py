"""domain/reasons.py: the words of each reason, as the gate says them."""

from __future__ import annotations

import pytest

from checkpoint_app.domain.rules import GateRules, LastPassage, decide_passage
from tests.domain.test_rules import ago, facts


@pytest.mark.parametrize("mode, outcome", [("soft", "flagged"), ("hard", "denied")])
def test_the_anti_passback_sentence_never_contradicts_the_answer(mode, outcome):
    """Soft anti-passback (the default) lets the resident through, amber; its sentence said
    "不能重复出" / "cannot go out again" under 注意, and the guard at night did not know whether
    to let them go. The sentence now says what happened and asks to check, for both modes."""
    decision = decide_passage(facts(direction_explicit=True, last_passage=LastPassage("out", ago(hours=1))),
                              GateRules(antipassback=mode))
    assert decision.outcome.value == outcome and decision.reason == "antipassback"
    zh, en = decision.message("zh_CN"), decision.message("en")
    assert "不能" not in zh and "cannot" not in en.lower(), (zh, en)
    assert "“出”" in zh and "04:00" in zh and "04:00" in en and "out" in en
