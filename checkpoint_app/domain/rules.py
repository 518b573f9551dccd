"""The rules the gate enforces (DESIGN §2), as pure functions of facts and settings.

The service gathers the facts from the database; these functions only decide. Nothing here
knows about SQLite or Qt, so every rule is tested with tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from checkpoint_app.domain.decision import Decision, Finding, Outcome


@dataclass(frozen=True)
class GateRules:
    fever_threshold: int = 373            # tenths of °C
    antipassback: str = "soft"             # off | soft | hard
    antipassback_reset: time = time(4, 0)  # the daily moment the one-way state is forgotten
    quota_exits: int = 0                   # 0 disables the household quota
    quota_days: int = 1
    quota_action: str = "deny"             # deny | flag
    outing_limit_minutes: int = 0          # 0 disables the outing time limit
    late_return_suspends: bool = False
    duplicate_window_seconds: int = 10
    yellow_code_action: str = "flag"       # flag | deny (visitors with a yellow health code)


@dataclass(frozen=True)
class LastPassage:
    direction: str
    at: datetime


@dataclass(frozen=True)
class PassageFacts:
    """What the gate knows at the moment of a resident's scan."""

    now: datetime
    direction: str                         # in | out (already resolved)
    direction_explicit: bool               # typed by the guard rather than inferred
    temperature: int | None                # tenths of °C, None when not taken
    holder_status: str = "normal"          # normal | quarantine | observation
    holder_status_until: date | None = None
    household_status: str = "normal"
    household_status_until: date | None = None
    last_passage: LastPassage | None = None    # the holder's last passage that went through
    household_exits_in_window: int = 0         # exits that went through in the quota window
    household_late_return_on: date | None = None  # day of the household's last late return


def resolve_direction(requested: str | None, last: LastPassage | None) -> tuple[str, bool]:
    """The guard's direction if given, else the opposite of the holder's last passage."""
    if requested:
        return requested, True
    if last is None:
        return "out", False
    return ("in" if last.direction == "out" else "out"), False


def last_reset(now: datetime, reset: time) -> datetime:
    """The most recent daily reset moment at or before ``now``."""
    today_reset = datetime.combine(now.date(), reset, tzinfo=now.tzinfo)
    return today_reset if today_reset <= now else today_reset - timedelta(days=1)


def quota_window_start(today: date, quota_days: int) -> date:
    """Calendar days counted by the quota: today and the ``quota_days - 1`` days before."""
    return today - timedelta(days=max(quota_days, 1) - 1)


def _in_force(status: str, until: date | None, wanted: str, today: date) -> bool:
    return status == wanted and (until is None or until >= today)


def decide_passage(facts: PassageFacts, rules: GateRules) -> Decision:
    today = facts.now.date()
    findings: list[Finding] = []
    details: dict = {"direction": facts.direction}

    quarantine_ends = [until for status, until in ((facts.holder_status, facts.holder_status_until),
                                                   (facts.household_status, facts.household_status_until))
                       if _in_force(status, until, "quarantine", today)]
    if quarantine_ends:
        dated = [u for u in quarantine_ends if u is not None]
        details["until"] = max(dated).isoformat() if dated else "—"
        if facts.direction == "out":
            findings.append(Finding(Outcome.DENIED, "quarantine"))
        else:
            findings.append(Finding(Outcome.FLAGGED, "quarantine_entry"))

    last = facts.last_passage
    if (rules.antipassback != "off" and facts.direction_explicit and last is not None
            and last.direction == facts.direction
            and last.at >= last_reset(facts.now, rules.antipassback_reset)):
        details["reset"] = rules.antipassback_reset.strftime("%H:%M")
        findings.append(Finding(Outcome.DENIED if rules.antipassback == "hard" else Outcome.FLAGGED,
                                "antipassback"))

    if facts.direction == "out":
        if rules.quota_exits > 0 and facts.household_exits_in_window >= rules.quota_exits:
            details.update(count=facts.household_exits_in_window, days=rules.quota_days,
                           limit=rules.quota_exits)
            findings.append(Finding(Outcome.DENIED if rules.quota_action == "deny" else Outcome.FLAGGED,
                                    "quota"))
        late_day = facts.household_late_return_on
        if rules.late_return_suspends and late_day is not None and today <= late_day + timedelta(days=1):
            details["suspended_until"] = (late_day + timedelta(days=1)).isoformat()
            findings.append(Finding(Outcome.DENIED, "late_return_suspended"))
    elif (rules.outing_limit_minutes > 0 and last is not None and last.direction == "out"):
        minutes = int((facts.now - last.at).total_seconds() // 60)
        if minutes > rules.outing_limit_minutes:
            details.update(minutes=minutes, limit=rules.outing_limit_minutes)
            findings.append(Finding(Outcome.FLAGGED, "late_return"))

    if facts.temperature is not None:
        details["temperature"] = f"{facts.temperature // 10}.{facts.temperature % 10}"
        if facts.temperature >= rules.fever_threshold:
            findings.append(Finding(Outcome.FLAGGED, "fever"))

    if _in_force(facts.holder_status, facts.holder_status_until, "observation", today) or \
            _in_force(facts.household_status, facts.household_status_until, "observation", today):
        findings.append(Finding(Outcome.FLAGGED, "observation"))

    return Decision.combine(findings, details)


def pass_state_reason(*, site_code: str, payload_site: str, signature_ok: bool,
                      known: bool, status: str | None, newest_version: int | None, version: int,
                      valid_from: date | None, valid_until: date | None, today: date,
                      holder_active: bool = True) -> str | None:
    """Why a decoded pass must be denied, or None when it is valid (DESIGN §2, pass validity)."""
    if payload_site != site_code:
        return "foreign_site"
    if not signature_ok:
        return "forged"
    if not known:
        return "unknown_pass"
    if status == "revoked":
        return "revoked"
    if status == "superseded" or (newest_version is not None and version < newest_version):
        return "superseded"
    if valid_from is not None and valid_until is not None and not (valid_from <= today <= valid_until):
        return "expired"
    if not holder_active:
        return "resident_inactive"
    return None


@dataclass(frozen=True)
class VisitorFacts:
    temperature: int | None
    health_code: str          # green | yellow | red
    watch_hit: bool


def decide_visitor(facts: VisitorFacts, rules: GateRules) -> Decision:
    findings: list[Finding] = []
    details: dict = {}
    if facts.health_code == "red":
        findings.append(Finding(Outcome.DENIED, "health_code_red"))
    elif facts.health_code == "yellow":
        findings.append(Finding(Outcome.DENIED if rules.yellow_code_action == "deny" else Outcome.FLAGGED,
                                "health_code_yellow"))
    if facts.temperature is not None:
        details["temperature"] = f"{facts.temperature // 10}.{facts.temperature % 10}"
        if facts.temperature >= rules.fever_threshold:
            findings.append(Finding(Outcome.DENIED, "visitor_fever"))
    if facts.watch_hit:
        findings.append(Finding(Outcome.FLAGGED, "watchlist"))
    return Decision.combine(findings, details)
