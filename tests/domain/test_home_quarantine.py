"""Home quarantine rules as tables and properties: measure length, day of it, round windows and
states, what a door check follows up."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, strategies as st

from checkpoint_app.domain.home_quarantine import (day_of, follow_up_reason, measure_until, parse_windows,
                                                   slot_at, slot_state)

W = ((time(8), time(11)), (time(15), time(18)))


@pytest.mark.parametrize("arrival, days, until", [
    (date(2020, 1, 23), 14, date(2020, 2, 5)), (date(2020, 1, 23), 1, date(2020, 1, 23)),
    (date(2020, 12, 25), 14, date(2021, 1, 7)), (date(2020, 2, 20), 14, date(2020, 3, 4)),   # leap year
])
def test_measure_until(arrival, days, until):
    assert measure_until(arrival, days) == until


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(1, 60))
def test_the_last_day_is_day_n_of_n(arrival, days):
    assert day_of(arrival, measure_until(arrival, days)) == days
    assert day_of(arrival, arrival) == 1


@pytest.mark.parametrize("text, ok", [
    ("08:00-11:00,15:00-18:00", True), ("8:00-9:00", True), ("08:00-11:00, 11:00-12:00", True),
    ("06:00-07:00,08:00-09:00,10:00-11:00,12:00-13:00", True),
    ("06:00-07:00,08:00-09:00,10:00-11:00,12:00-13:00,14:00-15:00", False),     # five
    ("11:00-08:00", False), ("08:00-08:00", False), ("08:00-11:00,10:00-12:00", False), ("", False),
    ("08:00", False), ("24:00-25:00", False), ("08:60-09:00", False), ("15:00-18:00,08:00-11:00", False),
])
def test_parse_windows(text, ok):
    if ok:
        assert parse_windows(text)
    else:
        with pytest.raises(ValueError):
            parse_windows(text)


@pytest.mark.parametrize("clock, done, state", [
    ("07:59", False, "later"), ("08:00", False, "due"), ("10:59", False, "due"), ("11:00", False, "missed"),
    ("23:59", False, "missed"), ("07:00", True, "done"), ("12:00", True, "done"),
])
def test_slot_state(clock, done, state):
    now = datetime.combine(date(2020, 2, 1), time.fromisoformat(clock))
    assert slot_state(W[0], now, done) == state


@given(st.times(), st.booleans())
def test_a_check_is_missed_only_after_its_window_and_never_when_done(t, done):
    now = datetime.combine(date(2020, 2, 1), t)
    state = slot_state(W[1], now, done)
    assert (state == "done") == done
    assert state != "missed" or t >= W[1][1]
    assert slot_at(W, now) in (0, 1)


@pytest.mark.parametrize("temp, symptoms, reason", [
    (365, (), None), (372, (), None), (373, (), "door_fever"), (None, (), None), (None, ("fever",), "door_fever"),
    (366, ("cough",), "door_symptom"), (380, ("cough",), "door_fever"), (None, ("smell_taste",), "door_symptom"),
])
def test_follow_up_reason(temp, symptoms, reason):
    assert follow_up_reason(temp, symptoms, 373) == reason


def test_a_late_entry_belongs_to_the_last_window_begun():
    day = date(2020, 2, 1)
    assert [slot_at(W, datetime.combine(day, time(h))) for h in (6, 9, 12, 16, 22)] == [0, 0, 0, 1, 1]
    assert slot_at(W, datetime.combine(day, time(8)) - timedelta(seconds=1)) == 0
