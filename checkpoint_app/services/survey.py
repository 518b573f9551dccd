"""The door-to-door survey (入户排查, issue 16 item 3).

A campaign (a name, e.g. "2026-12 入户排查") goes over every household that has someone living
there: each is visited, phoned or not reached (a ``survey_visit`` record; the last one of a
household counts, so a household not reached is visited again later). Who was there is noted.
A household that needs help (an elderly person living alone, nobody to shop for them…) opens a
``needs_help`` incident whose follow-ups are the help given (services/incidents.py). Returnees
found are registered through services/returnees.py. Progress per building and for the estate.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from checkpoint_app.db import current, records, residents_repo
from checkpoint_app.domain.home_quarantine import CONTACTS, NEEDS, SurveyTally, tally
from checkpoint_app.domain.text import free_text, natural_key, shown
from checkpoint_app.errors import InvalidInput, NotFound
from checkpoint_app.i18n import Messages
from checkpoint_app.services import clock_guard
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

_ = Messages({
    "campaign": ("请填写排查名称。", "Name the survey."),
    "contact": ("结果须为 visited（入户）、phoned（电话）或 not_reached（未联系上）。",
                "The result must be visited, phoned or not_reached."),
    "need": ("未知的帮助类别：{code}", "Unknown kind of help: {code}"),
    "no_household": ("没有房号为 {household} 的在住住户。", "Nobody lives at {household}."),
    "c.visited": ("已入户", "visited"), "c.phoned": ("已电话", "phoned"), "c.not_reached": ("未联系上", "not reached"),
    "n.elderly_alone": ("独居老人", "elderly, living alone"), "n.no_shopper": ("无人代购", "nobody to shop"),
    "n.medicine": ("需要配药", "needs medicine"), "n.disabled": ("行动不便", "disabled"), "n.other": ("其他", "other"),
})


def contact_label(code: str) -> str:
    return _(f"c.{code}") if f"c.{code}" in _ else code


def need_label(code: str) -> str:
    return _(f"n.{code}") if f"n.{code}" in _ else code


@dataclass(frozen=True)
class Visit:
    uid: str
    household: str
    contact: str
    present: str
    needs: tuple[str, ...]
    note: str
    incident: str | None      # the needs_help incident it opened


def record_visit(ctx: GateContext, campaign: str, household: str, contact: str, *, present: str = "",
                 needs: tuple[str, ...] = (), note: str = "") -> Visit:
    """One household's visit, call or failed attempt in a campaign."""
    require(ctx, "record_door_rounds")
    campaign = free_text(campaign or "", 40)
    if not campaign:
        raise InvalidInput(_("campaign"), "campaign_required")
    if contact not in CONTACTS:
        raise InvalidInput(_("contact"), "contact_invalid")
    bad = [n for n in needs if n not in NEEDS]
    if bad:
        raise InvalidInput(_("need", code=shown(bad[0], 20)), "need_invalid")
    present, note = free_text(present or "", 80), free_text(note or "", 200)
    needs = tuple(n for n in NEEDS if n in needs)
    now = ctx.now()
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        home = residents_repo.household_by_label(conn, str(household).strip())
        if home is None or not residents_repo.list_residents(conn, household_id=home.id):
            raise NotFound(_("no_household", household=shown(household, 20)), "no_household")
        uid = records.append(conn, "survey_visit", {
            "campaign": campaign, "household": home.label, "contact": contact, "present": present or None,
            "needs_help": ",".join(needs) or None, "note": note or None, "recorded_by": ctx.user},
            origin=ctx.gate.uid, at=now).uid
        incident = None
        if needs:
            words = " ".join([home.label, *(need_label(n) for n in needs), note]).strip()
            incident = records.append(conn, "incident", {
                "category": "needs_help", "subject_uid": uid, "reason": "needs_help", "note": words,
                "recorded_by": ctx.user}, origin=ctx.gate.uid, at=now).uid
    return Visit(uid, home.label, contact, present, needs, note, incident)


@dataclass(frozen=True)
class Progress:
    campaign: str
    estate: SurveyTally
    buildings: dict[str, SurveyTally]           # building -> its tally, in natural order
    last: dict[str, Visit]                      # household -> its last visit


def campaigns(ctx: GateContext) -> list[str]:
    with ctx.db.read() as conn:
        return [r[0] for r in conn.execute(
            f"SELECT campaign FROM survey_visits s WHERE {current.not_void('s')} GROUP BY campaign ORDER BY min(at)")]


def progress(ctx: GateContext, campaign: str) -> Progress:
    """Each household with someone living there counts once, by its last visit in the campaign."""
    with ctx.db.read() as conn:
        homes = {label: building for label, building in conn.execute(
            "SELECT h.label, h.building FROM households h WHERE EXISTS "
            "(SELECT 1 FROM residents r WHERE r.household_id = h.id AND r.active = 1)")}
        rows = conn.execute(
            "SELECT s.uid, s.household, s.contact, s.present, s.needs_help, s.note, i.uid FROM survey_visits s "
            "LEFT JOIN incidents i ON i.subject_uid = s.uid "
            f"WHERE s.campaign = ? AND {current.not_void('s')} ORDER BY s.at, s.rowid", (campaign,)).fetchall()
    last: dict[str, Visit] = {}
    helped: set[str] = set()
    for uid, hh, contact, present, needs, note, inc in rows:
        visit = Visit(uid, hh, contact, present or "", tuple(n for n in (needs or "").split(",") if n), note or "", inc)
        last[hh] = visit
        if visit.needs:
            helped.add(hh)
    contacts = {h: v.contact for h, v in last.items()}
    per_building: dict[str, list[str]] = defaultdict(list)
    for label, building in homes.items():
        per_building[building].append(label)
    buildings = {b: tally(per_building[b], contacts, helped) for b in sorted(per_building, key=natural_key)}
    return Progress(campaign, tally(list(homes), contacts, helped), buildings, last)
