"""Door rounds (上门测温, issue 16 item 2): everyone under home quarantine or observation is
checked at their door once in each window of the day (setting ``door_round_windows``).

A check is a ``door_check`` record per person: the temperature and symptoms, or "not reached",
and who checked. A fever (or any symptom) opens an incident in the same transaction, asking for
follow-up (the community health centre, the fever clinic). Today's round says per household and
window: ``done``, ``not_reached``, ``due`` (window open), ``missed`` (window over, no check) or
``later``. The paper round sheet carries a QR per household (:func:`qr_payload`); scanning it at
the desk finds the household (:func:`household_from_qr`).
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from checkpoint_app.db import current, records, residents_repo
from checkpoint_app.domain.home_quarantine import (MEASURES, SYMPTOMS, day_of, follow_up_reason, parse_windows,
                                                   slot_at, slot_state)
from checkpoint_app.domain.temperature import format_temperature, parse_temperature
from checkpoint_app.domain.text import free_text, natural_key, shown
from checkpoint_app.errors import InvalidInput, NotFound
from checkpoint_app.i18n import Messages
from checkpoint_app.services import clock_guard
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

log = logging.getLogger(__name__)

_ = Messages({
    "qr": ("这不是本小区入户测温单上的二维码：{text}", "This is not a household code of this compound's round sheet: {text}"),
    "no_household": ("该户目前没有居家隔离或健康观察人员：{household}",
                     "Nobody in this household is under quarantine or observation: {household}"),
    "not_watched": ("{name} 不在居家隔离或健康观察中，无需上门测温。",
                    "{name} is not under quarantine or observation: no door check."),
    "slot": ("测温时段须为 1 到 {n}。", "The round must be 1 to {n}."),
    "symptom": ("未知症状：{code}", "Unknown symptom: {code}"),
    "empty": ("请填写体温，或勾选“未见到”。", "Type a temperature, or tick “not reached”."),
    "checker": ("请填写测温人。", "Say who checked."),
    "s.fever": ("发热", "fever"), "s.cough": ("咳嗽", "cough"), "s.fatigue": ("乏力", "fatigue"),
    "s.sore_throat": ("咽痛", "sore throat"), "s.diarrhoea": ("腹泻", "diarrhoea"),
    "s.smell_taste": ("嗅味觉减退", "smell/taste loss"), "s.short_breath": ("气促", "breathless"),
})

QR_PREFIX = "HH"


def symptom_label(code: str) -> str:
    return _(f"s.{code}") if f"s.{code}" in _ else code


def windows(ctx: GateContext) -> tuple[tuple[time, time], ...]:
    from checkpoint_app.settings import SETTINGS

    return parse_windows(ctx.settings.get("door_round_windows", SETTINGS["door_round_windows"].default))


def _site_tag(site_code: str) -> str:
    return hashlib.sha256(site_code.upper().encode()).hexdigest()[:4].upper()


def qr_payload(site_code: str, household_id: int) -> str:
    """What a household's QR on the round sheet holds: ``HH:<id>:<site tag>``. Alphanumeric and
    short (under 20 characters), so the code stays small and the gate's scan capture takes it
    for typing, delivered to the rounds page's scan field, never for a pass scan."""
    return f"{QR_PREFIX}:{household_id}:{_site_tag(site_code)}"


def household_from_qr(ctx: GateContext, text: str) -> int:
    """The household a scanned round-sheet QR names; NotFound for anything else (another
    compound's sheet included)."""
    parts = str(text).strip().upper().split(":")
    if len(parts) != 3 or parts[0] != QR_PREFIX or not parts[1].isdigit() or parts[2] != _site_tag(ctx.site.code):
        raise NotFound(_("qr", text=shown(text, 40)), "not_a_household_code")
    with ctx.db.read() as conn:
        if residents_repo.household_by_id(conn, int(parts[1])) is None:
            raise NotFound(_("qr", text=shown(text, 40)), "not_a_household_code")
    return int(parts[1])


@dataclass(frozen=True)
class Watched:
    """A person under a measure on a day, with the day of it they are on."""
    resident_id: int
    uid: str
    name: str
    household_id: int
    household: str
    measure: str
    start: date
    until: date | None
    day: int

    @property
    def length(self) -> int | None:
        return (self.until - self.start).days + 1 if self.until else None


@dataclass(frozen=True)
class Check:
    uid: str
    at: str
    slot: int
    temp_tenths: int | None
    symptoms: tuple[str, ...]
    reached: bool
    checked_by: str


@dataclass(frozen=True)
class HouseholdRound:
    household_id: int
    household: str
    people: tuple[Watched, ...]
    checks: dict = field(compare=False)          # (resident uid, slot) -> Check
    states: tuple[str, ...] = ()                 # per window: done | not_reached | due | missed | later


@dataclass(frozen=True)
class Round:
    day: date
    windows: tuple[tuple[time, time], ...]
    households: list[HouseholdRound]

    def count(self, slot: int, state: str) -> int:
        return sum(1 for h in self.households if h.states[slot] == state)


def watched(conn, today: date, household_id: int | None = None) -> list[Watched]:
    """Everyone active under quarantine or observation on ``today`` (of one household, or all),
    by household. The measure starts on the returnee's arrival when a returnee record set it,
    else on the day the status was recorded."""
    rows = conn.execute(
        "SELECT r.id, r.uid, r.name, r.household_id, h.label, r.status, r.status_until, "
        " (SELECT t.arrival FROM returnees t WHERE t.resident_uid = r.uid AND t.measure = r.status "
        f"  AND {current.not_void('t')} ORDER BY t.at DESC LIMIT 1), "
        " (SELECT s.day FROM resident_status_changes s WHERE s.resident_uid = r.uid AND s.status = r.status "
        "  ORDER BY s.at DESC LIMIT 1) "
        "FROM residents r JOIN households h ON h.id = r.household_id "
        f"WHERE r.active = 1 AND r.status IN ({','.join('?' * len(MEASURES))}) "
        "AND (r.status_until IS NULL OR r.status_until >= ?)" + (" AND r.household_id = ?" if household_id else ""),
        (*MEASURES, today.isoformat(), *((household_id,) if household_id else ()))).fetchall()
    out = []
    for rid, uid, name, hid, label, status, until, arrival, since in rows:
        start = date.fromisoformat(arrival or since or today.isoformat())
        until_d = date.fromisoformat(until) if until else None
        out.append(Watched(rid, uid, name, hid, label, status, start, until_d, day_of(start, today)))
    return sorted(out, key=lambda w: (natural_key(w.household), w.resident_id))


def _checks(conn, day: date, uids: list[str] | None = None) -> dict[tuple[str, int], Check]:
    """The day's door checks that stand, the last per person and window."""
    sql = ("SELECT uid, at, resident_uid, slot, temp_tenths, symptoms, reached, checked_by FROM door_checks c "
           f"WHERE day = ? AND {current.not_void('c')}")
    args: list = [day.isoformat()]
    if uids is not None:
        sql += f" AND resident_uid IN ({','.join('?' * len(uids))})"
        args += uids
    found: dict[tuple[str, int], Check] = {}
    for uid, at, ruid, slot, temp, symptoms, reached, by in conn.execute(sql + " ORDER BY at, rowid", args):
        found[(ruid, slot)] = Check(uid, at, slot, temp, tuple(s for s in (symptoms or "").split(",") if s),
                                    bool(reached), by or "")
    return found


def _household_state(people, checks, window, now: datetime, slot: int) -> str:
    got = [checks.get((p.uid, slot)) for p in people]
    if all(c is not None and c.reached for c in got):
        return "done"
    if all(c is not None for c in got):
        return "not_reached"
    return slot_state(window, now, False)


def today_round(ctx: GateContext, *, household_id: int | None = None) -> Round:
    """Today's round per household (or one household's)."""
    now = ctx.now()
    wins = windows(ctx)
    with ctx.db.read() as conn:
        people = watched(conn, now.date(), household_id)
        checks = _checks(conn, now.date(), [p.uid for p in people] if household_id is not None else None)
    by_household: dict[int, list[Watched]] = defaultdict(list)
    for p in people:
        by_household[p.household_id].append(p)
    out = []
    for hid, members in by_household.items():
        states = tuple(_household_state(members, checks, w, now, i) for i, w in enumerate(wins))
        mine = {k: v for k, v in checks.items() if any(k[0] == m.uid for m in members)}
        out.append(HouseholdRound(hid, members[0].household, tuple(members), mine, states))
    return Round(now.date(), wins, out)


@dataclass(frozen=True)
class Entry:
    """One person's check as typed: a temperature and symptoms, or not reached."""
    resident_id: int
    temperature: str | None = None
    symptoms: tuple[str, ...] = ()
    reached: bool = True


@dataclass(frozen=True)
class Saved:
    checks: list[str]
    incidents: list[str]


def current_slot(ctx: GateContext) -> int:
    return slot_at(windows(ctx), ctx.now())


def record_household(ctx: GateContext, household_id: int, entries: list[Entry], *, slot: int | None = None,
                     checked_by: str | None = None) -> Saved:
    """A household's door check of one window (0-based ``slot``; default the window open now,
    else the last begun), all its entries in one transaction. A fever or a symptom opens an
    incident. Everything is checked before anything is written."""
    require(ctx, "record_door_rounds")
    wins = windows(ctx)
    slot = current_slot(ctx) if slot is None else slot
    if not 0 <= slot < len(wins):
        raise InvalidInput(_("slot", n=len(wins)), "slot_invalid")
    checker = free_text(checked_by or ctx.user or "", 20)
    if not checker:
        raise InvalidInput(_("checker"), "checker_required")
    parsed = []
    for e in entries:
        bad = [s for s in e.symptoms if s not in SYMPTOMS]
        if bad:
            raise InvalidInput(_("symptom", code=shown(bad[0], 20)), "symptom_invalid")
        temp = parse_temperature(e.temperature) if e.reached and str(e.temperature or "").strip() else None
        if e.reached and temp is None and not e.symptoms:
            raise InvalidInput(_("empty"), "reading_required")
        parsed.append((e, temp))
    now = ctx.now()
    threshold = ctx.rules.fever_threshold
    saved, opened = [], []
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        members = {w.resident_id: w for w in watched(conn, now.date(), household_id)}
        if not members:
            household = residents_repo.household_by_id(conn, household_id)
            raise NotFound(_("no_household", household=household.label if household else household_id),
                           "nobody_watched")
        for e, temp in parsed:
            person = members.get(e.resident_id)
            if person is None:
                r = residents_repo.get_resident(conn, e.resident_id)
                raise NotFound(_("not_watched", name=r.name if r else e.resident_id), "not_watched")
            symptoms = tuple(s for s in SYMPTOMS if s in e.symptoms) if e.reached else ()
            check = records.append(conn, "door_check", {
                "resident_uid": person.uid, "household": person.household, "slot": slot,
                "temp_tenths": temp, "symptoms": ",".join(symptoms) or None, "reached": 1 if e.reached else 0,
                "checked_by": checker, "recorded_by": ctx.user}, origin=ctx.gate.uid, at=now)
            saved.append(check.uid)
            reason = follow_up_reason(temp, symptoms, threshold) if e.reached else None
            if reason:
                words = [person.household, person.name]
                if temp is not None:
                    words.append(f"{format_temperature(temp)} °C")
                words += [symptom_label(s) for s in symptoms]
                opened.append(records.append(conn, "incident", {
                    "category": reason, "subject_uid": check.uid, "reason": reason,
                    "note": " ".join(words), "recorded_by": ctx.user}, origin=ctx.gate.uid, at=now).uid)
    if opened:
        log.info("door round %s: %d incident(s) opened", household_id, len(opened))
    return Saved(saved, opened)


def person_checks(conn, resident_uid: str, start: date, end: date) -> dict[tuple[str, int], Check]:
    """One person's checks from ``start`` to ``end`` (days), keyed by (day, slot): the 14-day form."""
    found: dict[tuple[str, int], Check] = {}
    for uid, at, day, slot, temp, symptoms, reached, by in conn.execute(
            "SELECT uid, at, day, slot, temp_tenths, symptoms, reached, checked_by FROM door_checks c "
            f"WHERE resident_uid = ? AND day BETWEEN ? AND ? AND {current.not_void('c')} ORDER BY at, rowid",
            (resident_uid, start.isoformat(), end.isoformat())):
        found[(day, slot)] = Check(uid, at, slot, temp, tuple(s for s in (symptoms or "").split(",") if s),
                                   bool(reached), by or "")
    return found
