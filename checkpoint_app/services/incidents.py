"""Incidents (fevers, refusals, forged passes…) and their follow-up."""

from __future__ import annotations

from dataclasses import dataclass

from checkpoint_app.db import records
from checkpoint_app.domain.text import free_text, record_id, shown
from checkpoint_app.errors import InvalidInput, NotFound, RuleRefusal
from checkpoint_app.i18n import Messages
from checkpoint_app.services import clock_guard
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

_ = Messages({
    "no_incident": ("没有编号为 {id} 的事件。", "There is no incident {id}."),
    "closed": ("该事件已结案。", "This incident is already closed."),
    "note": ("请填写跟进情况。", "Write what was done."),
    "visitor": ("访客（被访 {host}）", "visitor (host {host})"),
})


@dataclass(frozen=True)
class OpenIncident:
    uid: str
    at: str
    category: str
    reason: str
    subject_uid: str | None
    followups: int
    who: str = ""          # "3-2-502 王五", "visitor (host 3-2-501)", or "—" when nobody is known


def follow_up(ctx: GateContext, incident_id: str, note: str, *, close: bool = False) -> str:
    """Record what was done about an incident; ``close`` ends it (it leaves the open list)."""
    require(ctx, "follow_up_incidents")
    uid = record_id(incident_id)
    if uid is None:
        raise NotFound(_("no_incident", id=shown(incident_id, 40)))
    note = free_text(note, 300)
    if not note:
        raise InvalidInput(_("note"), "note_required")
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        if conn.execute("SELECT 1 FROM incidents WHERE uid = ?", (uid,)).fetchone() is None:
            raise NotFound(_("no_incident", id=uid))
        if conn.execute("SELECT 1 FROM incident_followups WHERE incident_uid = ? AND closed = 1", (uid,)).fetchone():
            raise RuleRefusal(_("closed"), "incident_closed")
        return records.append(conn, "incident_followup", {"incident_uid": uid, "note": note, "closed": 1 if close else 0,
                                                          "recorded_by": ctx.user},
                              origin=ctx.gate.uid, at=ctx.now()).uid


def open_incidents(ctx: GateContext, limit: int = 200) -> list[OpenIncident]:
    with ctx.db.read() as conn:
        rows = conn.execute(
            "SELECT i.uid, i.at, i.category, i.reason, i.subject_uid, "
            "(SELECT count(*) FROM incident_followups f WHERE f.incident_uid = i.uid), "
            "coalesce(p.household, d.household, s.household), r.name, v.host_household FROM incidents i "
            "LEFT JOIN passages p ON p.uid = i.subject_uid LEFT JOIN door_checks d ON d.uid = i.subject_uid "
            "LEFT JOIN survey_visits s ON s.uid = i.subject_uid "
            "LEFT JOIN residents r ON r.uid = coalesce(p.resident_uid, d.resident_uid) "
            "LEFT JOIN visitor_entries v ON v.uid = i.subject_uid "
            "WHERE NOT EXISTS (SELECT 1 FROM incident_followups f WHERE f.incident_uid = i.uid AND f.closed = 1) "
            "ORDER BY i.at DESC LIMIT ?", (limit,)).fetchall()
    out = []
    for *head, household, name, host in rows:
        if household or name:
            who = " ".join(x for x in (household, name) if x)
        elif host:
            who = _("visitor", host=host)
        else:
            who = "—"  # a forged or unknown card: nobody known (the guard is not the subject)
        out.append(OpenIncident(*head, who=who))
    return out
