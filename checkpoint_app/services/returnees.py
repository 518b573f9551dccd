"""Returnees and risk areas (返回人员 · 风险地区, issue 16 item 1).

The manager keeps a list of risk areas, each with the measure it implies (home quarantine or
health observation) and for how many days from arrival. Registering a returnee (a resident, or a
new person in a household) records where from, when, how they travelled and any contact with
cases, and sets the person's (or the whole household's) status and end date through
``resident_status`` records in the same transaction: the gate refuses or flags them at the next
scan. Ending a measure early needs a reason, kept on the ``resident_status`` record that lifts it
(the residents page's way too, services/residents.py): that record travels to every gate, which
applies it, and shows with who, when and why in the household history and the records page.
(Older sites also hold ``quarantine_end`` records, the previous way: still read, never written.)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from checkpoint_app.db import current, records, residents_repo, state
from checkpoint_app.domain.home_quarantine import MEASURES, measure_until
from checkpoint_app.domain.text import free_text, natural_key, shown
from checkpoint_app.errors import InvalidInput, NotFound, RuleRefusal
from checkpoint_app.i18n import Messages
from checkpoint_app.services import clock_guard
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require
from checkpoint_app.services.residents import _record_status, _record_statuses, name_initials

log = logging.getLogger(__name__)

_ = Messages({
    "area": ("请填写地区名称。", "Name the area."),
    "measure": ("措施须为 quarantine（居家隔离）或 observation（健康观察）。",
                "The measure must be quarantine or observation."),
    "days": ("天数须为 1 到 60。", "Days must be from 1 to 60."),
    "no_area": ("风险地区名单中没有“{area}”。", "“{area}” is not on the list of risk areas."),
    "from": ("请填写从何地返回。", "Say where the person came from."),
    "arrival_future": ("到达日期不能晚于今天。", "The arrival date cannot be later than today."),
    "who": ("请选择住户，或填写新成员的姓名和房号。", "Choose a resident, or give a new person's name and household."),
    "no_resident": ("没有编号为 {id} 的在住住户。", "There is no resident living here with id {id}."),
    "bad_household": ("房号“{text}”无效，应为 楼栋-单元-房号，如 3-2-501。",
                      "The household “{text}” is not valid: write building-unit-room, e.g. 3-2-501."),
    "not_under": ("{name} 目前不在居家隔离或健康观察中。", "{name} is not under quarantine or observation."),
    "m.quarantine": ("居家隔离", "home quarantine"), "m.observation": ("健康观察", "health observation"),
    "m.removed": ("已移出", "removed"),
})


@dataclass(frozen=True)
class RiskArea:
    area: str
    measure: str           # quarantine | observation
    days: int
    since: str             # when it was last set


@dataclass(frozen=True)
class Returnee:
    uid: str
    at: str
    resident_id: int | None
    name: str
    household: str
    from_area: str
    arrival: date
    travel: str
    contact: str
    measure: str
    until: date
    ended_early: str | None      # the reason, when the measure was ended early
    recorded_by: str


def measure_label(measure: str) -> str:
    return _(f"m.{measure}") if f"m.{measure}" in _ else measure


# -- risk areas -----------------------------------------------------------------------------------

def set_risk_area(ctx: GateContext, area: str, measure: str, days: int) -> RiskArea:
    """Add an area to the list, or change its measure or days, from now on."""
    require(ctx, "register_returnees")
    area = free_text(area, 40)
    if not area:
        raise InvalidInput(_("area"), "area_required")
    if measure not in MEASURES:
        raise InvalidInput(_("measure"), "measure_invalid")
    if not isinstance(days, int) or not 1 <= days <= 60:
        raise InvalidInput(_("days"), "days_invalid")
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        at = records.append(conn, "risk_area", {"area": area, "measure": measure, "days": days,
                                                "recorded_by": ctx.user}, origin=ctx.gate.uid, at=ctx.now()).at
    return RiskArea(area, measure, days, at)


def remove_risk_area(ctx: GateContext, area: str) -> None:
    require(ctx, "register_returnees")
    with ctx.db.write() as conn:
        if area not in {a.area for a in _risk_areas(conn)}:
            raise NotFound(_("no_area", area=shown(area, 40)), "no_area")
        records.append(conn, "risk_area", {"area": area, "measure": "removed", "days": None,
                                           "recorded_by": ctx.user}, origin=ctx.gate.uid, at=ctx.now())


def risk_areas(ctx: GateContext) -> list[RiskArea]:
    with ctx.db.read() as conn:
        return _risk_areas(conn)


def _risk_areas(conn) -> list[RiskArea]:
    """Each area's last record that stands; removed ones left out; in the order first listed."""
    rows = conn.execute(
        f"SELECT area, measure, days, at FROM risk_areas r WHERE {current.not_void('r')} ORDER BY at, rowid").fetchall()
    last: dict[str, RiskArea] = {}
    for area, measure, days, at in rows:
        last[area] = RiskArea(area, measure, days or 0, at)
    return [a for a in last.values() if a.measure != "removed"]


# -- returnees ------------------------------------------------------------------------------------

def _household_parts(text: str) -> tuple[str, str, str]:
    parts = [p.strip() for p in str(text).strip().split("-")]
    if len(parts) != 3 or not all(parts) or any(len(p) > 10 for p in parts):
        raise InvalidInput(_("bad_household", text=shown(text, 20)), "household_invalid")
    return parts[0], parts[1], parts[2]


def register_returnee(ctx: GateContext, *, from_area: str, arrival: date, resident_id: int | None = None,
                      name: str | None = None, household: str | None = None, phone: str | None = None,
                      travel: str = "", contact: str = "", measure: str | None = None, days: int | None = None,
                      whole_household: bool = False) -> Returnee:
    """Register a returnee and put them (or their whole household) under the measure.

    The person is ``resident_id``, or ``name`` in ``household``: the resident of that name living
    there, else a new member of the household (created, with ``phone``).

    ``from_area`` on the risk list gives the measure and days unless they are given; an area not
    on the list needs ``measure`` and ``days``. A person already under a measure that ends later
    keeps the later end. All in one transaction."""
    require(ctx, "register_returnees")
    require(ctx, "manage_residents")
    from_area = free_text(from_area, 40)
    if not from_area:
        raise InvalidInput(_("from"), "from_required")
    travel, contact = free_text(travel or "", 80), free_text(contact or "", 120)
    now = ctx.now()
    if arrival > now.date():
        raise InvalidInput(_("arrival_future"), "arrival_future")
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        listed = {a.area: a for a in _risk_areas(conn)}.get(from_area)
        measure = measure or (listed.measure if listed else None)
        days = days if days is not None else (listed.days if listed else None)
        if measure not in MEASURES:
            raise InvalidInput(_("measure"), "measure_invalid")
        if not isinstance(days, int) or not 1 <= days <= 60:
            raise InvalidInput(_("days"), "days_invalid")
        person = _person(ctx, conn, resident_id, name, household, phone, now)
        until = measure_until(arrival, days)
        uid = records.append(conn, "returnee", {
            "resident_uid": person.uid, "household": person.household, "from_area": from_area,
            "arrival": arrival.isoformat(), "travel": travel or None, "contact": contact or None,
            "measure": measure, "until": until.isoformat(), "recorded_by": ctx.user},
            origin=ctx.gate.uid, at=now).uid
        members = (residents_repo.list_residents(conn, household_id=person.household_id)
                   if whole_household else [person])
        for member in members:
            if _in_force(member, now.date()) and member.status_until and member.status_until > until \
                    and (member.status == "quarantine" or measure == "observation"):
                continue  # already under a measure as strict that lasts longer
            _record_status(ctx, conn, member, measure, until, now)
    log.info("returnee registered: %s from %s, %s until %s", person.household, from_area, measure, until)
    return next(r for r in returnee_ledger(ctx) if r.uid == uid)


def _person(ctx: GateContext, conn, resident_id, name, household, phone, now) -> residents_repo.Resident:
    if resident_id is not None:
        person = residents_repo.get_resident(conn, resident_id)
        if person is None or not person.active:
            raise NotFound(_("no_resident", id=resident_id))
        return person
    name = free_text(name or "", 20)
    if not name or not household:
        raise InvalidInput(_("who"), "who_required")
    building, unit, room = _household_parts(household)
    at = now.isoformat(timespec="seconds")
    home, _created = residents_repo.get_or_create_household(conn, building, unit, room, at)
    for member in residents_repo.list_residents(conn, household_id=home.id):
        if member.name == name:
            return member          # already living there: the resident, not a second one
    uid = records.new_uid()
    new_id = residents_repo.insert_resident(
        conn, uid=uid, household_id=home.id, name=name, initials=name_initials(name), phone=phone or None,
        id_number=None, kind="family", status="normal", status_until=None, at=at)
    state.record_resident(conn, uid, by=ctx.user, origin=ctx.gate.uid, at=now)   # travels (issue 15)
    return residents_repo.get_resident(conn, new_id)


def _in_force(resident: residents_repo.Resident, today: date) -> bool:
    return resident.status in MEASURES and (resident.status_until is None or resident.status_until >= today)


def end_early(ctx: GateContext, resident_id: int, reason: str) -> residents_repo.Resident:
    """End a person's quarantine or observation before its date: refused without a reason, and when
    no measure is in force."""
    require(ctx, "manage_residents")
    now = ctx.now()
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        person = residents_repo.get_resident(conn, resident_id)
        if person is None or not person.active:
            raise NotFound(_("no_resident", id=resident_id))
        if not _in_force(person, now.date()):
            raise RuleRefusal(_("not_under", name=person.name), "not_under_measure")
        _record_statuses(ctx, conn, [person], "normal", None, free_text(reason or "", 200) or None, now)
        return residents_repo.get_resident(conn, person.id)


def returnee_ledger(ctx: GateContext, *, since: date | None = None) -> list[Returnee]:
    """Every returnee registered (from ``since``), by household then arrival: the ledger (台账)."""
    with ctx.db.read() as conn:
        rows = conn.execute(
            "SELECT t.uid, t.at, r.id, r.name, t.household, t.from_area, t.arrival, t.travel, t.contact, "
            "t.measure, t.until, coalesce((SELECT s.reason FROM resident_status_changes s WHERE s.resident_uid = "
            "t.resident_uid AND s.at >= t.at AND s.status = 'normal' AND s.reason IS NOT NULL AND "
            f"{current.not_void('s')} ORDER BY s.at LIMIT 1), (SELECT e.reason FROM quarantine_ends e WHERE "
            f"e.resident_uid = t.resident_uid AND e.at >= t.at AND {current.not_void('e')} ORDER BY e.at LIMIT 1)), "
            "t.recorded_by "
            "FROM returnees t LEFT JOIN residents r ON r.uid = t.resident_uid "
            f"WHERE {current.not_void('t')} AND t.arrival >= ?", ((since or date.min).isoformat(),)).fetchall()
    out = [Returnee(uid, at, rid, name or "—", hh or "—", area, date.fromisoformat(arr), travel or "",
                    contact or "", measure, date.fromisoformat(until), ended, by or "")
           for uid, at, rid, name, hh, area, arr, travel, contact, measure, until, ended, by in rows]
    return sorted(out, key=lambda r: (natural_key(r.household), r.arrival, r.at))
