"""A gate's day as the daily logs count and print it: the rows, with corrections applied, and
the day's counting rules (DESIGN §5).

Filled by :mod:`checkpoint_app.db.report_repo`, laid out by :mod:`checkpoint_app.reports.daily_log`;
here so that storage and services may read a day without the PDF layer (reportlab).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

# Times are the gate's local wall-clock text as recorded ("HH:MM:SS"; "MM-DD HH:MM" when the
# event fell on another day). ``seq`` is the record's number in its gate's chain (origin_seq),
# the same numbers the checkpoint's "first/last record" refer to.

@dataclass(frozen=True, slots=True)
class PassageRow:
    seq: int
    time: str
    direction: str                  # "in" | "out"
    household: str | None
    name: str | None
    pass_number: int | None
    pass_version: int | None
    temp_tenths: int | None
    outcome: str                    # "allowed" | "flagged" | "denied"
    reasons: tuple[str, ...]
    manual: bool = False
    guard: str | None = None
    excerpt: str | None = None      # what an unknown card said (no holder)
    void: bool = False
    amended: frozenset[str] = frozenset()
    first_reading: tuple[int, int | None] | None = None  # re-measured: (first tenths, seconds before)
    gate: str = ""                  # the gate's name, in the compound's logs (issue 15)


@dataclass(frozen=True, slots=True)
class VisitorRow:
    seq: int
    time: str
    left: str | None                # time of leaving, None while inside (or refused)
    name: str | None                # None: personal fields purged after the retention period
    phone: str | None               # unmasked here: masked when printed
    id_number: str | None
    purpose: str
    from_place: str
    host_household: str
    health_code: str
    temp_tenths: int | None
    outcome: str
    reasons: tuple[str, ...]
    guard: str | None = None
    void: bool = False
    amended: frozenset[str] = frozenset()
    gate: str = ""                  # the gate's name, in the compound's logs (issue 15)


@dataclass(frozen=True, slots=True)
class RoundRow:
    seq: int
    time: str
    area: str
    agent: str
    concentration: str
    contact_minutes: int | None
    method: str
    operator: str
    checker: str | None
    recorded_by: str | None
    void: bool = False
    amended: frozenset[str] = frozenset()
    done_at: str | None = None          # "HH:MM" done, when entered late (issue 14)
    under_dosed: str | None = None      # the agent's range it fell below (issue 14)
    gate: str = ""                  # the gate's name, in the compound's logs (issue 15)


@dataclass(frozen=True, slots=True)
class AreaPlan:
    area: str
    planned: int                    # rounds per day in the plan
    done: int                       # rounds recorded that day (voided ones not counted)


@dataclass(frozen=True, slots=True)
class FollowUp:
    when: str
    note: str
    closed: bool
    by: str | None
    void: bool = False


@dataclass(frozen=True, slots=True)
class IncidentRow:
    seq: int
    time: str
    category: str                   # a reason code, "visitor_" + code for visitors
    temp_tenths: int | None
    reasons: tuple[str, ...]
    recorded_by: str | None
    followups: tuple[FollowUp, ...] = ()
    void: bool = False
    # the subject: "resident" (household, name), "pass" (pass_number: no holder known),
    # "card" (excerpt of an unreadable or foreign card), "visitor" (name, None once purged;
    # household = the host), or "" (none recorded)
    subject_kind: str = ""
    household: str | None = None
    name: str | None = None
    pass_number: int | None = None
    excerpt: str | None = None
    note: str | None = None
    gate: str = ""                  # the gate's name, in the compound's logs (issue 15)

    @property
    def closed(self) -> bool:
        return any(f.closed and not f.void for f in self.followups)


@dataclass(frozen=True, slots=True)
class HandoverRow:
    seq: int
    time: str
    from_guard: str
    to_guard: str
    shift_start: str
    shift_end: str
    counts: dict
    open_alerts: tuple[str, ...]    # categories of the alerts handed on
    notes: str | None
    void: bool = False
    gate: str = ""                  # the gate's name, in the compound's logs (issue 15)


@dataclass(frozen=True, slots=True)
class OutRow:
    household: str
    name: str
    since: str
    minutes: int
    overdue: bool


@dataclass(frozen=True, slots=True)
class InsideVisitor:
    seq: int
    time: str
    name: str | None
    host_household: str
    purpose: str
    origin: str = ""                # the gate (uid) that recorded the entry
    gate: str = ""                  # the gate's name, in the compound's logs (issue 15)


@dataclass(frozen=True, slots=True)
class Correction:
    seq: int                        # the amendment record's own number
    when: str
    action: str                     # "void" | "amend"
    target_kind: str
    target_seq: int | None
    target_day: str | None          # ISO date of the corrected record
    changes: tuple[tuple[str, object], ...]  # (field, new value) for "amend"
    reason: str
    by: str | None
    log: str | None                 # which log shows the corrected record (None: none)
    origin: str = ""                # the gate (uid) that made the amendment
    gate: str = ""                  # the gate's name, in the compound's logs (issue 15)


@dataclass(frozen=True)
class DailyData:
    """Everything the six logs print, for one gate and one day."""

    site_code: str
    site_name: str
    gate_name: str
    day: date
    cut_off: str                    # "2026-11-28 23:59" (or the time of printing, today)
    partial: bool = False           # printed before the day ended: no end-of-day facts
    passages: Sequence[PassageRow] = ()
    visitors: Sequence[VisitorRow] = ()
    rounds: Sequence[RoundRow] = ()
    plan: Sequence[AreaPlan] = ()
    incidents: Sequence[IncidentRow] = ()
    handovers: Sequence[HandoverRow] = ()
    still_out: Sequence[OutRow] = ()
    visitors_inside: Sequence[InsideVisitor] = ()
    corrections: Sequence[Correction] = ()
    records_by_kind: dict[str, int] = field(default_factory=dict)
    #: the compound's log (issue 15): the gates whose rows it holds, each row naming its gate
    gates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    out: int
    inn: int
    denied: int
    flagged: int
    households: int                 # households with a passage that went through
    households_refused: int         # households whose every passage was refused
    fever_residents: int
    fever_visitors: int
    visitors: int
    visitors_allowed: int
    visitors_denied: int
    planned: int
    done: int
    missed: int
    incidents: int
    incidents_open: int
    handovers: int
    amended: int
    voided: int


def summarise(data: DailyData) -> Summary:
    """The summary's figures, counted from the same rows the logs print (voided rows not
    counted)."""
    out = inn = denied = flagged = fever_r = 0
    households: set[str] = set()
    refused: set[str] = set()
    for p in data.passages:
        if p.void:
            continue
        if p.outcome == "denied":
            denied += 1
            if p.household:
                refused.add(p.household)
        else:
            if p.direction == "out":
                out += 1
            else:
                inn += 1
            if p.household:
                households.add(p.household)
        if p.outcome == "flagged":
            flagged += 1
        if "fever" in p.reasons:
            fever_r += 1
    visitors = [v for v in data.visitors if not v.void]
    fever_v = sum(1 for v in visitors if "visitor_fever" in v.reasons or "fever" in v.reasons)
    v_denied = sum(1 for v in visitors if v.outcome == "denied")
    planned = sum(a.planned for a in data.plan)
    done = sum(min(a.done, a.planned) for a in data.plan)
    incidents = [i for i in data.incidents if not i.void]
    return Summary(
        out=out, inn=inn, denied=denied, flagged=flagged, households=len(households),
        households_refused=len(refused - households),
        fever_residents=fever_r, fever_visitors=fever_v,
        visitors=len(visitors), visitors_allowed=len(visitors) - v_denied, visitors_denied=v_denied,
        planned=planned, done=done, missed=planned - done,
        incidents=len(incidents), incidents_open=sum(1 for i in incidents if not i.closed),
        handovers=sum(1 for h in data.handovers if not h.void),
        amended=sum(1 for c in data.corrections if c.action == "amend"),
        voided=sum(1 for c in data.corrections if c.action == "void"),
    )
