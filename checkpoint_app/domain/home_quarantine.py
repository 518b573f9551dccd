"""Home quarantine as pure rules (issue 16): how long a measure lasts, which day of it today is,
the door rounds' windows and the state of a round, what a door check must follow up, and the
survey's tally. Nothing here knows about SQLite or Qt; tested with tables and hypothesis.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

MEASURES = ("quarantine", "observation")
#: the symptoms a door check asks about, in the order of the form
SYMPTOMS = ("fever", "cough", "fatigue", "sore_throat", "diarrhoea", "smell_taste", "short_breath")
#: how a survey reached a household
CONTACTS = ("visited", "phoned", "not_reached")
#: the kinds of help a survey may find a household needs
NEEDS = ("elderly_alone", "no_shopper", "medicine", "disabled", "other")


def measure_until(arrival: date, days: int) -> date:
    """The last day of a measure of ``days`` days counted from the day of arrival (day 1)."""
    return arrival + timedelta(days=max(days, 1) - 1)


def day_of(start: date, today: date) -> int:
    """Which day of the measure ``today`` is: the start is day 1."""
    return (today - start).days + 1


def parse_windows(text: str) -> tuple[tuple[time, time], ...]:
    """``08:00-11:00,15:00-18:00`` → the windows; ValueError when not 1–4 ordered, non-overlapping
    windows of HH:MM-HH:MM each."""
    parts = [p.strip() for p in str(text).split(",")]
    out: list[tuple[time, time]] = []
    for part in parts:
        m = re.fullmatch(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", part)
        if not m:
            raise ValueError(part)
        h1, m1, h2, m2 = (int(x) for x in m.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(part)
        start, end = time(h1, m1), time(h2, m2)
        if end <= start or (out and start < out[-1][1]):
            raise ValueError(part)
        out.append((start, end))
    if not 1 <= len(out) <= 4:
        raise ValueError(text)
    return tuple(out)


def slot_state(window: tuple[time, time], now: datetime, done: bool) -> str:
    """One check of today's round: ``done``; ``missed`` once its window has ended undone;
    ``due`` while the window is open; ``later`` before it opens."""
    if done:
        return "done"
    if now.time() >= window[1]:
        return "missed"
    if now.time() >= window[0]:
        return "due"
    return "later"


def slot_at(windows: tuple[tuple[time, time], ...], now: datetime) -> int:
    """The round a check typed now belongs to: the open window, else the last one that began
    (a late entry of a sheet), else the first (0-based)."""
    begun = [i for i, (start, _end) in enumerate(windows) if now.time() >= start]
    return begun[-1] if begun else 0


def follow_up_reason(temp_tenths: int | None, symptoms: Iterable[str], fever_threshold: int) -> str | None:
    """Why a door check opens an incident: ``door_fever`` (a fever reading, or the fever box),
    ``door_symptom`` (any other symptom), or None."""
    symptoms = set(symptoms)
    if (temp_tenths is not None and temp_tenths >= fever_threshold) or "fever" in symptoms:
        return "door_fever"
    if symptoms:
        return "door_symptom"
    return None


@dataclass(frozen=True)
class SurveyTally:
    """A survey's progress over a set of households: each household counts once, by its last
    visit; ``pending`` are those not visited or phoned yet (never reached ones included)."""
    households: int
    visited: int
    phoned: int
    not_reached: int
    untouched: int
    needs_help: int

    @property
    def reached(self) -> int:
        return self.visited + self.phoned

    @property
    def pending(self) -> int:
        return self.households - self.reached

    @property
    def percent(self) -> int:
        return (100 * self.reached // self.households) if self.households else 100


def tally(households: Iterable[str], last_contact: dict[str, str], needing_help: Iterable[str]) -> SurveyTally:
    """The tally of ``households`` given each one's last contact (households not in the dict are
    untouched). Contacts of households outside the set are ignored."""
    wanted = list(dict.fromkeys(households))
    count = Counter(last_contact[h] for h in wanted if h in last_contact)
    help_set = set(needing_help)
    return SurveyTally(len(wanted), count["visited"], count["phoned"], count["not_reached"],
                       len(wanted) - sum(count.values()), sum(1 for h in wanted if h in help_set))
