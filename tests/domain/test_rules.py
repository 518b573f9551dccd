"""The gate's rules (DESIGN §2) as tables, plus properties that must hold for any facts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from checkpoint_app.domain.decision import Decision, Finding, Outcome, sentence, REASONS
from checkpoint_app.domain.rules import (GateRules, LastPassage, PassageFacts, VisitorFacts, decide_passage,
                                         decide_visitor, last_reset, pass_state_reason, quota_window_start,
                                         resolve_direction)

TZ = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
TODAY = NOW.date()


def facts(**kw) -> PassageFacts:
    base = dict(now=NOW, direction="out", direction_explicit=False, temperature=365)
    base.update(kw)
    return PassageFacts(**base)


def ago(**kw) -> datetime:
    return NOW - timedelta(**kw)


CASES = [
    # id, facts, rules, outcome, main reason
    ("plain exit", facts(), GateRules(), "allowed", "ok"),
    ("plain entry", facts(direction="in"), GateRules(), "allowed", "ok"),
    ("no temperature taken", facts(temperature=None), GateRules(), "allowed", "ok"),
    ("fever at threshold flags a resident", facts(temperature=373), GateRules(), "flagged", "fever"),
    ("just below threshold", facts(temperature=372), GateRules(), "allowed", "ok"),
    ("threshold is a setting", facts(temperature=372), GateRules(fever_threshold=370), "flagged", "fever"),
    ("quarantined resident may not go out",
     facts(holder_status="quarantine", holder_status_until=TODAY), GateRules(), "denied", "quarantine"),
    ("quarantine over yesterday", facts(holder_status="quarantine", holder_status_until=TODAY - timedelta(days=1)),
     GateRules(), "allowed", "ok"),
    ("household quarantine applies to every member",
     facts(household_status="quarantine", household_status_until=TODAY + timedelta(days=3)),
     GateRules(), "denied", "quarantine"),
    ("quarantined resident coming in is flagged",
     facts(direction="in", holder_status="quarantine", holder_status_until=TODAY), GateRules(), "flagged",
     "quarantine_entry"),
    ("returnee under observation is flagged", facts(holder_status="observation"), GateRules(), "flagged",
     "observation"),
    ("soft anti-passback flags a second exit",
     facts(direction_explicit=True, last_passage=LastPassage("out", ago(hours=1))), GateRules(antipassback="soft"),
     "flagged", "antipassback"),
    ("hard anti-passback denies a second exit",
     facts(direction_explicit=True, last_passage=LastPassage("out", ago(hours=1))), GateRules(antipassback="hard"),
     "denied", "antipassback"),
    ("anti-passback off", facts(direction_explicit=True, last_passage=LastPassage("out", ago(hours=1))),
     GateRules(antipassback="off"), "allowed", "ok"),
    ("anti-passback forgets at the daily reset (04:00)",
     facts(direction_explicit=True, last_passage=LastPassage("out", NOW.replace(hour=3, minute=59))),
     GateRules(antipassback="hard"), "allowed", "ok"),
    ("after the reset it counts again",
     facts(direction_explicit=True, last_passage=LastPassage("out", NOW.replace(hour=4, minute=0))),
     GateRules(antipassback="hard"), "denied", "antipassback"),
    ("inferred direction never trips anti-passback",
     facts(direction="out", direction_explicit=False, last_passage=LastPassage("out", ago(hours=1))),
     GateRules(antipassback="hard"), "allowed", "ok"),
    ("quota reached denies", facts(household_exits_in_window=1), GateRules(quota_exits=1, quota_days=2), "denied",
     "quota"),
    ("quota reached flags when set to flag", facts(household_exits_in_window=1),
     GateRules(quota_exits=1, quota_days=2, quota_action="flag"), "flagged", "quota"),
    ("under quota", facts(household_exits_in_window=1), GateRules(quota_exits=2, quota_days=2), "allowed", "ok"),
    ("quota 0 disables", facts(household_exits_in_window=99), GateRules(quota_exits=0), "allowed", "ok"),
    ("quota does not limit coming back", facts(direction="in", household_exits_in_window=5),
     GateRules(quota_exits=1), "allowed", "ok"),
    ("late return is flagged", facts(direction="in", last_passage=LastPassage("out", ago(minutes=121))),
     GateRules(outing_limit_minutes=120), "flagged", "late_return"),
    ("return exactly at the limit is fine", facts(direction="in", last_passage=LastPassage("out", ago(minutes=120))),
     GateRules(outing_limit_minutes=120), "allowed", "ok"),
    ("outing limit 0 disables", facts(direction="in", last_passage=LastPassage("out", ago(days=2))),
     GateRules(outing_limit_minutes=0), "allowed", "ok"),
    ("late return yesterday suspends today's exit", facts(household_late_return_on=TODAY - timedelta(days=1)),
     GateRules(late_return_suspends=True), "denied", "late_return_suspended"),
    ("suspension ends after the next day", facts(household_late_return_on=TODAY - timedelta(days=2)),
     GateRules(late_return_suspends=True), "allowed", "ok"),
    ("no suspension unless set", facts(household_late_return_on=TODAY), GateRules(late_return_suspends=False),
     "allowed", "ok"),
    ("denial beats a fever flag", facts(temperature=385, holder_status="quarantine", holder_status_until=None),
     GateRules(), "denied", "quarantine"),
]


@pytest.mark.parametrize("f, rules, outcome, reason", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_passage_rules(f, rules, outcome, reason):
    decision = decide_passage(f, rules)
    assert (decision.outcome.value, decision.reason) == (outcome, reason)
    assert decision.reason in decision.reasons
    assert decision.message("zh_CN") and decision.message("en")
    assert "{" not in decision.message("zh_CN") + decision.message("en")


def test_every_reason_is_kept_when_several_apply():
    d = decide_passage(facts(temperature=380, holder_status="observation"), GateRules())
    assert d.outcome is Outcome.FLAGGED
    assert set(d.reasons) == {"fever", "observation"}


@pytest.mark.parametrize("requested, last, expected", [
    (None, None, ("out", False)),
    (None, LastPassage("out", NOW), ("in", False)),
    (None, LastPassage("in", NOW), ("out", False)),
    ("out", LastPassage("out", NOW), ("out", True)),
    ("in", None, ("in", True)),
])
def test_direction_defaults_to_the_opposite_of_the_last_passage(requested, last, expected):
    assert resolve_direction(requested, last) == expected


@pytest.mark.parametrize("now, expected", [
    (datetime(2026, 1, 2, 3, 59, tzinfo=TZ), datetime(2026, 1, 1, 4, 0, tzinfo=TZ)),
    (datetime(2026, 1, 2, 4, 0, tzinfo=TZ), datetime(2026, 1, 2, 4, 0, tzinfo=TZ)),
    (datetime(2026, 1, 2, 23, 0, tzinfo=TZ), datetime(2026, 1, 2, 4, 0, tzinfo=TZ)),
])
def test_last_reset(now, expected):
    assert last_reset(now, time(4, 0)) == expected


@pytest.mark.parametrize("days, start", [(1, date(2026, 11, 20)), (2, date(2026, 11, 19)), (7, date(2026, 11, 14)),
                                         (0, date(2026, 11, 20))])
def test_quota_window_counts_calendar_days(days, start):
    assert quota_window_start(date(2026, 11, 20), days) == start


VALID = dict(site_code="HXY01", payload_site="HXY01", signature_ok=True, known=True, status="active",
             newest_version=1, version=1, valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31), today=TODAY)


@pytest.mark.parametrize("change, reason", [
    ({}, None),
    ({"payload_site": "OTHER1"}, "foreign_site"),
    ({"payload_site": "OTHER1", "signature_ok": False}, "foreign_site"),
    ({"signature_ok": False}, "forged"),
    ({"known": False, "status": None, "newest_version": None}, "unknown_pass"),
    ({"status": "revoked"}, "revoked"),
    ({"status": "superseded"}, "superseded"),
    ({"newest_version": 2}, "superseded"),
    ({"valid_until": TODAY - timedelta(days=1)}, "expired"),
    ({"valid_from": TODAY + timedelta(days=1)}, "expired"),
    ({"valid_until": TODAY}, None),
    ({"holder_active": False}, "resident_inactive"),
    ({"status": "revoked", "valid_until": TODAY - timedelta(days=9)}, "revoked"),
])
def test_pass_validity(change, reason):
    assert pass_state_reason(**(VALID | change)) == reason


@pytest.mark.parametrize("temp, code, hit, rules, outcome, reason", [
    (365, "green", False, GateRules(), "allowed", "ok"),
    (373, "green", False, GateRules(), "denied", "visitor_fever"),
    (365, "red", False, GateRules(), "denied", "health_code_red"),
    (365, "yellow", False, GateRules(), "flagged", "health_code_yellow"),
    (365, "yellow", False, GateRules(yellow_code_action="deny"), "denied", "health_code_yellow"),
    (365, "green", True, GateRules(), "flagged", "watchlist"),
    (380, "yellow", True, GateRules(), "denied", "visitor_fever"),
])
def test_visitor_rules(temp, code, hit, rules, outcome, reason):
    d = decide_visitor(VisitorFacts(temp, code, hit), rules)
    assert (d.outcome.value, d.reason) == (outcome, reason)


def test_every_reason_has_both_languages_and_no_unfilled_field_with_full_details():
    details = dict(temperature="38.1", direction="out", count=2, days=2, limit=1, until="2026-12-01",
                   suspended_until="2026-12-01", valid_from="2026-01-01", valid_until="2026-06-30", site="ABC",
                   minutes=130)
    for code in REASONS.keys():
        for lang in ("zh_CN", "en"):
            text = sentence(code, details, lang)
            assert text and "{" not in text, (code, lang)


def test_a_sentence_with_missing_fields_still_says_something():
    assert sentence("quota", {}, "en").startswith("This household")


outcomes = st.sampled_from([Outcome.ALLOWED, Outcome.FLAGGED, Outcome.DENIED])


@given(st.lists(st.tuples(outcomes, st.sampled_from(list(REASONS.keys()))), max_size=6))
def test_combine_takes_the_worst_outcome(findings):
    d = Decision.combine([Finding(o, r) for o, r in findings], {})
    if not findings:
        assert d.outcome is Outcome.ALLOWED
    else:
        assert d.outcome.severity == max(o.severity for o, _ in findings)
        assert len(d.reasons) == len(findings)


statuses = st.sampled_from(["normal", "quarantine", "observation"])
dates = st.one_of(st.none(), st.dates(min_value=date(2026, 11, 1), max_value=date(2026, 12, 31)))


@given(direction=st.sampled_from(["in", "out"]), explicit=st.booleans(),
       temp=st.one_of(st.none(), st.integers(340, 425)), hs=statuses, hu=dates, fs=statuses, fu=dates,
       last=st.one_of(st.none(), st.tuples(st.sampled_from(["in", "out"]), st.integers(0, 5000))),
       exits=st.integers(0, 5), late=dates,
       rules=st.builds(GateRules, antipassback=st.sampled_from(["off", "soft", "hard"]),
                       quota_exits=st.integers(0, 3), quota_days=st.integers(1, 3),
                       quota_action=st.sampled_from(["deny", "flag"]), outing_limit_minutes=st.integers(0, 300),
                       late_return_suspends=st.booleans()))
def test_any_facts_give_a_consistent_explained_decision(direction, explicit, temp, hs, hu, fs, fu, last, exits,
                                                         late, rules):
    f = PassageFacts(now=NOW, direction=direction, direction_explicit=explicit, temperature=temp,
                     holder_status=hs, holder_status_until=hu, household_status=fs, household_status_until=fu,
                     last_passage=LastPassage(last[0], ago(minutes=last[1])) if last else None,
                     household_exits_in_window=exits, household_late_return_on=late)
    d = decide_passage(f, rules)
    assert d.outcome in (Outcome.ALLOWED, Outcome.FLAGGED, Outcome.DENIED)
    assert (d.outcome is Outcome.ALLOWED) == (d.reasons == ("ok",))
    # A fever is never silently allowed; a quarantined resident never simply walks out.
    if temp is not None and temp >= rules.fever_threshold:
        assert "fever" in d.reasons
    quarantined = any(s == "quarantine" and (u is None or u >= TODAY) for s, u in ((hs, hu), (fs, fu)))
    if quarantined and direction == "out":
        assert d.outcome is Outcome.DENIED
    for lang in ("zh_CN", "en"):
        assert "{" not in d.message(lang)
