"""Record a passage: scan → decision → durable commit, in one ``BEGIN IMMEDIATE`` transaction.

The GUI calls ``identify`` as soon as a scan arrives (to show the holder while the guard
measures), then ``record_passage`` with the temperature; the CLI calls ``record_passage``
directly. Both end in the same rules and the same records.
"""

from __future__ import annotations

import logging
import sqlite3
import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from checkpoint_app.db import current, passages_repo, passes_repo, records, residents_repo
from checkpoint_app.domain import passcode
from checkpoint_app.domain.decision import Decision, Outcome, sentence
from checkpoint_app.domain.rules import (LastPassage, PassageFacts, decide_passage, pass_state_reason,
                                         quota_window_start, resolve_direction)
from checkpoint_app.domain.temperature import format_temperature, parse_temperature
from checkpoint_app.errors import InvalidInput, NotFound
from checkpoint_app.i18n import Messages
from checkpoint_app.services import clock_guard
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

log = logging.getLogger(__name__)

_ = Messages({
    "no_resident": ("没有编号为 {id} 的住户。", "There is no resident with id {id}."),
    "direction": ("方向须为 in 或 out。", "Direction must be in or out."),
    "first_later": ("首次测温时间不能晚于现在。", "The first reading cannot be later than now."),
})

# Reasons that open an incident to follow up (DESIGN §5: fevers, denials, forged passes).
INCIDENT_REASONS = {"fever", "forged", "foreign_site", "revoked", "superseded", "expired", "unknown_pass",
                    "quarantine", "quarantine_entry", "antipassback", "quota", "late_return_suspended",
                    "resident_inactive"}


@dataclass(frozen=True)
class Holder:
    resident_id: int
    resident_uid: str
    name: str
    household: str
    pass_number: int | None
    pass_version: int | None
    status: str

    @property
    def pass_label(self) -> str:
        return passcode.format_pass_number(self.pass_number) if self.pass_number else "—"


@dataclass(frozen=True)
class ScanResult:
    outcome: str
    reason: str
    message: str
    reasons: tuple[str, ...] = ()
    direction: str | None = None
    passage_id: str | None = None
    holder: Holder | None = None
    temperature: int | None = None
    needs_remeasure: bool = False
    details: dict = field(default_factory=dict, compare=False)

    @property
    def recorded(self) -> bool:
        return self.passage_id is not None

    def as_json(self) -> dict:
        return {"outcome": self.outcome, "reason": self.reason, "message": self.message,
                "direction": self.direction, "passage_id": self.passage_id,
                "reasons": list(self.reasons or (self.reason,)),
                "temperature": format_temperature(self.temperature) if self.temperature is not None else None,
                "holder": None if self.holder is None else {
                    "name": self.holder.name, "household": self.holder.household,
                    "pass_number": self.holder.pass_label}}


@dataclass(frozen=True)
class Identified:
    """What a scan says before any temperature: the holder, or why the pass is refused."""
    text: str
    payload: passcode.PassPayload | None
    holder: Holder | None
    refusal: str | None          # reason code when the pass itself is refused
    details: dict = field(default_factory=dict)


_PRINTABLE = set(string.ascii_letters + string.digits + ":-_./+=")


def _excerpt(text: str) -> str:
    return "".join(c if c in _PRINTABLE else "?" for c in text.strip()[:64])


def _refused(reason: str, details: dict | None = None, **kw) -> ScanResult:
    d = details or {}
    return ScanResult(outcome=Outcome.DENIED.value, reason=reason, reasons=(reason,),
                      message=sentence(reason, d), details=d, **kw)


def is_repeat(ctx: GateContext, conn: sqlite3.Connection, pass_number: int, now: datetime) -> bool:
    """The same pass went through moments ago (within ``duplicate_window_seconds``): ignore it."""
    last_scan = passages_repo.last_scan_of_pass(conn, pass_number)
    return last_scan is not None and timedelta(0) <= now - last_scan < timedelta(
        seconds=ctx.rules.duplicate_window_seconds)


def identify(ctx: GateContext, text: str, conn: sqlite3.Connection | None = None) -> Identified:
    """Decode and check a scanned pass; find its holder. Writes nothing."""
    conn = conn or ctx.db.conn
    try:
        payload = passcode.decode_pass(text)
    except passcode.MalformedPass:
        return Identified(text, None, None, "malformed")
    today = ctx.now().date()
    key = ctx.keys.get(payload.key_id)
    signature_ok = key is not None and passcode.verify_signature(payload, key.public_key)
    record = passes_repo.get(conn, payload.number, payload.version) if signature_ok else None
    newest = passes_repo.newest(conn, payload.number) if record else None
    resident = residents_repo.get_resident(conn, record.resident_id) if record else None
    details: dict = {"site": payload.site_code}
    if record:
        details.update(valid_from=record.valid_from.isoformat(), valid_until=record.valid_until.isoformat())
    refusal = pass_state_reason(
        site_code=ctx.site.code, payload_site=payload.site_code, signature_ok=signature_ok,
        known=record is not None, status=record.status if record else None,
        newest_version=newest.version if newest else None, version=payload.version,
        valid_from=record.valid_from if record else None, valid_until=record.valid_until if record else None,
        today=today, holder_active=resident.active if resident else True)
    holder = None
    if resident is not None:
        holder = Holder(resident.id, resident.uid, resident.name, resident.household, payload.number,
                        payload.version, resident.status)
    return Identified(text, payload, holder, refusal, details)


def _parse_temp(text: str | None) -> tuple[int | None, ScanResult | None]:
    if text is None or str(text).strip() == "":
        return None, None
    try:
        return parse_temperature(str(text)), None
    except InvalidInput as err:
        return None, ScanResult(outcome=Outcome.DENIED.value, reason=err.code, reasons=(err.code,),
                                message=str(err))


@dataclass(frozen=True)
class Readings:
    """The temperatures taken: ``decisive`` is the one the rules decide on (the re-measure when
    there is one); ``first`` the earlier reading it replaced, taken at ``first_at``."""
    decisive: int | None
    first: int | None = None
    first_at: datetime | None = None

    def fields(self) -> dict:
        return {"temp_tenths": self.decisive, "first_temp_tenths": self.first,
                "first_temp_at": self.first_at.isoformat(timespec="milliseconds") if self.first_at else None}


def _check_input(ctx: GateContext, direction: str | None, temperature: str | None,
                 remeasure: str | None, first_at: datetime | None) -> tuple[Readings, ScanResult | None]:
    """What both ways of recording a passage check before opening a transaction."""
    require(ctx, "record_passage")
    if direction not in (None, "in", "out"):
        raise InvalidInput(_("direction"), "direction_invalid")
    if remeasure in (None, ""):
        temp, problem = _parse_temp(temperature)
        return Readings(temp), problem
    first, problem = _parse_temp(temperature)
    second, problem2 = _parse_temp(remeasure)
    if problem or problem2:
        return Readings(None), problem or problem2
    now = ctx.now()
    if first_at is not None and first_at > now:
        raise InvalidInput(_("first_later"), "first_reading_later")
    return Readings(second, first, first_at or now if first is not None else None), None


def record_passage(ctx: GateContext, text: str, *, temperature: str | None = None,
                   remeasure: str | None = None, direction: str | None = None, guard: str | None = None,
                   require_remeasure: bool = False, first_at: datetime | None = None) -> ScanResult:
    """A scanned pass at the gate. ``require_remeasure``: a first fever reading is not recorded
    but answered with ``needs_remeasure`` (the GUI asks again, then calls with ``remeasure`` and
    ``first_at``, when the first reading was taken). Both readings are recorded; the rules decide
    on the re-measure."""
    temp, problem = _check_input(ctx, direction, temperature, remeasure, first_at)
    if problem:
        return problem
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        ident = identify(ctx, text, conn)
        if ident.refusal == "malformed":
            return _refused("malformed")
        holder = ident.holder
        now = ctx.now()
        number = ident.payload.number if ident.refusal not in ("forged", "foreign_site") else None
        if number is not None and is_repeat(ctx, conn, number, now):
            return ScanResult(outcome=Outcome.IGNORED.value, reason="duplicate", reasons=("duplicate",),
                              message=sentence("duplicate", {}), holder=holder)
        if ident.refusal is not None or holder is None:
            reason = ident.refusal or "unknown_pass"
            d = dict(ident.details)
            resolved = direction or "in"
            if temp.decisive is not None:
                d["temperature"] = format_temperature(temp.decisive)
            decision = Decision(Outcome.DENIED, reason, (reason,), d)
            return _write(ctx, conn, decision, resolved, holder, temp, guard, manual=False,
                          excerpt=None if holder else _excerpt(text), pass_number=number,
                          pass_version=ident.payload.version if number else None)
        return _decide_and_write(ctx, conn, holder, temp, direction, guard, manual=False,
                                 require_remeasure=require_remeasure and remeasure in (None, ""))


def record_manual_passage(ctx: GateContext, resident_id: int, *, temperature: str | None = None,
                          remeasure: str | None = None, direction: str | None = None,
                          guard: str | None = None, require_remeasure: bool = False,
                          first_at: datetime | None = None) -> ScanResult:
    """A resident without the card, found by the guard: the same decision path, marked manual."""
    temp, problem = _check_input(ctx, direction, temperature, remeasure, first_at)
    if problem:
        return problem
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        resident = residents_repo.get_resident(conn, resident_id)
        if resident is None or not resident.active:
            raise NotFound(_("no_resident", id=resident_id))
        card = passes_repo.active_for_resident(conn, resident.id)
        holder = Holder(resident.id, resident.uid, resident.name, resident.household,
                        card.number if card else None, card.version if card else None, resident.status)
        return _decide_and_write(ctx, conn, holder, temp, direction, guard, manual=True,
                                 require_remeasure=require_remeasure and remeasure in (None, ""))


def _decide_and_write(ctx: GateContext, conn: sqlite3.Connection, holder: Holder, temp: Readings,
                      direction: str | None, guard: str | None, *, manual: bool,
                      require_remeasure: bool) -> ScanResult:
    now = ctx.now()
    rules = ctx.rules
    resident = residents_repo.get_resident(conn, holder.resident_id)
    household = residents_repo.household_by_id(conn, resident.household_id)
    last = current.last_through(conn, resident.uid)
    last_passage = LastPassage(*last) if last else None
    resolved, explicit = resolve_direction(direction, last_passage)
    today = now.date()
    facts = PassageFacts(
        now=now, direction=resolved, direction_explicit=explicit, temperature=temp.decisive,
        holder_status=resident.status, holder_status_until=resident.status_until,
        household_status=household.status, household_status_until=household.status_until,
        last_passage=last_passage,
        household_exits_in_window=(current.household_exits_since(
            conn, household.label, quota_window_start(today, rules.quota_days))
            if resolved == "out" and rules.quota_exits else 0),
        household_late_return_on=(current.household_last_late_return(
            conn, household.label, today - timedelta(days=1))
            if resolved == "out" and rules.late_return_suspends else None),
    )
    decision = decide_passage(facts, rules)
    if require_remeasure and "fever" in decision.reasons:
        d = dict(decision.details)
        return ScanResult(outcome=decision.outcome.value, reason="fever_remeasure", reasons=("fever_remeasure",),
                          message=sentence("fever_remeasure", d), direction=resolved, holder=holder,
                          temperature=temp.decisive, needs_remeasure=True, details=d)
    return _write(ctx, conn, decision, resolved, holder, temp, guard, manual=manual)


def _write(ctx: GateContext, conn: sqlite3.Connection, decision: Decision, direction: str,
           holder: Holder | None, temp: Readings, guard: str | None, *, manual: bool,
           excerpt: str | None = None, pass_number: int | None = None,
           pass_version: int | None = None) -> ScanResult:
    now = ctx.now()
    guard = guard or ctx.user
    appended = records.append(conn, "passage", {
        "direction": direction,
        "pass_number": holder.pass_number if holder else pass_number,
        "pass_version": holder.pass_version if holder else pass_version,
        "resident_uid": holder.resident_uid if holder else None,
        "household": holder.household if holder else None,
        **temp.fields(), "outcome": decision.outcome.value, "reason": decision.reason,
        "reasons": ",".join(decision.reasons), "manual": 1 if manual else 0, "guard": guard,
        "payload_excerpt": excerpt,
    }, origin=ctx.gate.uid, at=now)
    incident = next((r for r in decision.reasons if r in INCIDENT_REASONS), None)
    if incident is not None:
        records.append(conn, "incident", {"category": incident, "subject_uid": appended.uid,
                                          "reason": ",".join(decision.reasons), "recorded_by": guard},
                       origin=ctx.gate.uid, at=now)
    return ScanResult(outcome=decision.outcome.value, reason=decision.reason, reasons=decision.reasons,
                      message=decision.message(), direction=direction, passage_id=appended.uid,
                      holder=holder, temperature=temp.decisive, details=dict(decision.details))
