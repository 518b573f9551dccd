from hypothesis import HealthCheck, given, settings, strategies as st

import pytest

from checkpoint_app.domain.home_quarantine import CONTACTS, tally
from checkpoint_app.errors import InvalidInput, NotFound
from checkpoint_app.services import incidents, survey

HOUSEHOLDS = ("3-2-501", "3-2-502", "5-1-101", "5-1-102")


def test_progress_per_building_and_estate(gate):
    survey.record_visit(gate.ctx, "第一轮", "3-2-501", "not_reached")
    survey.record_visit(gate.ctx, "第一轮", "3-2-502", "phoned", present="王五")
    gate.clock.advance(minutes=5)
    survey.record_visit(gate.ctx, "第一轮", "3-2-501", "visited", present="张三 李四")   # the last one counts
    p = survey.progress(gate.ctx, "第一轮")
    assert (p.estate.households, p.estate.visited, p.estate.phoned, p.estate.untouched, p.estate.percent) == (4, 1, 1, 2, 50)
    assert list(p.buildings) == ["3", "5"]
    assert (p.buildings["3"].reached, p.buildings["5"].pending) == (2, 2)
    assert survey.progress(gate.ctx, "另一轮").estate.untouched == 4      # campaigns are separate
    assert survey.campaigns(gate.ctx) == ["第一轮"]


def test_a_household_needing_help_opens_an_incident_whose_follow_ups_are_the_help(gate):
    v = survey.record_visit(gate.ctx, "第一轮", "5-1-101", "visited", present="赵六",
                            needs=("elderly_alone", "no_shopper"), note="子女在外地")
    (inc,) = [i for i in incidents.open_incidents(gate.ctx) if i.uid == v.incident]
    assert (inc.category, inc.who) == ("needs_help", "5-1-101")
    incidents.follow_up(gate.ctx.acting_as("刘志愿", "guard"), v.incident, "已代购蔬菜和药品")
    assert survey.progress(gate.ctx, "第一轮").estate.needs_help == 1


@pytest.mark.parametrize("args, error", [
    (("", "3-2-501", "visited"), InvalidInput), (("a", "3-2-501", "met"), InvalidInput),
    (("a", "9-9-999", "visited"), NotFound),
])
def test_bad_visits_write_nothing(gate, args, error):
    before = gate.count("journal")
    with pytest.raises(error):
        survey.record_visit(gate.ctx, *args)
    with pytest.raises(InvalidInput):
        survey.record_visit(gate.ctx, "a", "3-2-501", "visited", needs=("money",))
    assert gate.count("journal") == before


@given(visits=st.lists(st.tuples(st.sampled_from(HOUSEHOLDS + ("9-9-9",)), st.sampled_from(CONTACTS))),
       helped=st.sets(st.sampled_from(HOUSEHOLDS)))
def test_the_counts_add_up(visits, helped):
    last = {}
    for household, contact in visits:
        last[household] = contact
    t = tally(HOUSEHOLDS, last, helped)
    assert t.visited + t.phoned + t.not_reached + t.untouched == t.households == len(HOUSEHOLDS)
    assert t.reached + t.pending == t.households
    assert 0 <= t.percent <= 100 and t.needs_help == len(helped)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(visits=st.lists(st.tuples(st.sampled_from(HOUSEHOLDS), st.sampled_from(CONTACTS)), max_size=8))
def test_the_service_counts_add_up_per_building_and_estate(gate, visits):
    name = f"轮{len(survey.campaigns(gate.ctx))}"
    for household, contact in visits:
        gate.clock.advance(seconds=1)
        survey.record_visit(gate.ctx, name, household, contact)
    p = survey.progress(gate.ctx, name)
    for field in ("households", "visited", "phoned", "not_reached", "untouched"):
        assert sum(getattr(b, field) for b in p.buildings.values()) == getattr(p.estate, field)
    assert p.estate.untouched == len(set(HOUSEHOLDS) - {h for h, _ in visits})
