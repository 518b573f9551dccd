"""Incidents (fevers, refusals, forged passes…) and their follow-up."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from checkpoint_app.db import current, records, site_repo
from checkpoint_app.domain.rules import last_reset, quota_window_start
from checkpoint_app.domain.text import free_text, record_id, shown
from checkpoint_app.errors import InvalidInput, NotFound, RuleRefusal
from checkpoint_app.i18n import Messages
from checkpoint_app.services import clock_guard
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require
from checkpoint_app.settings import gate_rules

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
            "LEFT JOIN resident_status_changes c ON c.uid = i.subject_uid "
            "LEFT JOIN residents r ON r.uid = coalesce(p.resident_uid, d.resident_uid, c.resident_uid) "
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


# -- conflicts across gates, found when records arrive (DESIGN §8) -------------------------------

def conflicts_on_arrival(conn: sqlite3.Connection, arrived: list[dict], *, at: str) -> list[str]:
    """Passages from other gates have just arrived (decoded records, inside the write
    transaction that applies them). Where they show that one of THIS gate's decisions broke a
    rule it could not see (in twice in a row across gates; a household's exits over the quota
    counted at every gate), the decision stands and an incident is raised, by the gate that
    made the decision only (so once per site), never twice for the same passage (so not again
    on re-import). Returns the uids of the incidents raised."""
    gate = site_repo.local_gate(conn)
    if gate is None or not arrived:
        return []
    rules = gate_rules(site_repo.load_settings(conn))
    now = datetime.fromisoformat(at)
    raised: list[str] = []
    # only a resident or household with passages of THIS gate near the arrivals can conflict: one
    # range read of this gate's journal instead of a look per arriving person (a gate catching up
    # on a week of another gate's records mostly has none); then, per resident and per household
    # among those, the earliest arrival: only what is near it is read again
    def keys(f: dict) -> tuple:
        return ("r", f.get("resident_uid")), ("h", f.get("household") if f.get("direction") == "out" else None)

    start = min((d["at"] for d in arrived if d["fields"].get("resident_uid") is not None
                 or (d["fields"].get("household") is not None and d["fields"].get("direction") == "out")),
                default=None)
    if start is None:
        return []
    window = datetime.fromisoformat(start) - timedelta(days=max(1, rules.quota_days))
    mine: set[tuple[str, str]] = set()
    for resident, household in conn.execute(
            "SELECT p.resident_uid, p.household FROM journal j CROSS JOIN passages p ON p.uid = j.uid "
            "WHERE j.origin = ? AND j.at >= ? AND j.kind = 'passage'",
            (gate.uid, window.isoformat(timespec="milliseconds"))):
        mine.update({("r", resident), ("h", household)})
    first_of: dict[tuple[str, str], str] = {}
    if mine:
        for d in arrived:
            for key in keys(d["fields"]):
                if key[1] is not None and key in mine and d["at"] < first_of.get(key, "\uffff"):
                    first_of[key] = d["at"]

    def through(where: str, args: tuple, after: datetime) -> list[tuple]:
        return conn.execute(
            f"SELECT p.uid, j.origin, p.at, {current.direction('p')}, coalesce(p.reasons, '') FROM passages p "
            f"JOIN journal j ON j.uid = p.uid WHERE {where} AND p.at >= ? AND p.outcome != 'denied' "
            f"AND {current.not_void('p')} ORDER BY p.at", (*args, after.isoformat(timespec="milliseconds"))).fetchall()

    names = dict(conn.execute("SELECT uid, name FROM gates"))
    # what was already raised, read once (incidents has no index on the subject: a look per
    # conflict was a scan each, quadratic when a long partition brings thousands)
    flagged = set(conn.execute("SELECT subject_uid, category FROM incidents WHERE category IN "
                               "('cross_gate_antipassback', 'cross_gate_quota')"))

    def gate_name(origin: str) -> str:
        return names.get(origin) or origin[:8]

    def incident(category: str, reason: str, subject: str, other: tuple) -> None:
        if (subject, category) in flagged:
            return
        flagged.add((subject, category))
        raised.append(records.append(conn, "incident", {
            "category": category, "subject_uid": subject, "reason": reason,
            "note": f"{gate_name(other[1])} {other[2][:16]}", "recorded_by": None}, origin=gate.uid, at=now).uid)

    if rules.antipassback != "off":
        for resident in sorted(k for t, k in first_of if t == "r"):
            since = datetime.fromisoformat(first_of[("r", resident)])
            rows = through("p.resident_uid = ?", (resident,), since - timedelta(days=1))
            for prev, cur in zip(rows, rows[1:]):
                if (cur[1] == gate.uid and prev[1] != gate.uid and prev[3] == cur[3]
                        and "antipassback" not in cur[4].split(",")
                        and datetime.fromisoformat(prev[2]) >= last_reset(datetime.fromisoformat(cur[2]),
                                                                          rules.antipassback_reset)):
                    incident("cross_gate_antipassback", "antipassback", cur[0], prev)
    if rules.quota_exits > 0:
        for household in sorted(k for t, k in first_of if t == "h"):
            since = datetime.fromisoformat(first_of[("h", household)])
            outs = [r for r in through("p.household = ?", (household,), since - timedelta(days=rules.quota_days))
                    if r[3] == "out"]
            for i, cur in enumerate(outs):
                if cur[1] != gate.uid or "quota" in cur[4].split(","):
                    continue
                start = quota_window_start(datetime.fromisoformat(cur[2]).date(), rules.quota_days).isoformat()
                before = [r for r in outs[:i] if r[2] >= start]
                remote = [r for r in before if r[1] != gate.uid]
                if len(before) >= rules.quota_exits and remote:
                    incident("cross_gate_quota", "quota", cur[0], remote[-1])
    return raised


def state_conflicts(conn: sqlite3.Connection, conflicts: list, *, at: str) -> list[str]:
    """Concurrent changes of one resident, user or setting found when records arrived
    (db/state.Conflict): the one taken stands on every PC; each change of THIS PC that was not
    taken becomes an incident here (so once per site, never twice for the same change), naming
    the change that was taken. Returns the uids of the incidents raised."""
    gate = site_repo.local_gate(conn)
    if gate is None:
        return []
    raised: list[str] = []
    for conflict in conflicts:
        for uid, origin in conflict.losers:
            if origin != gate.uid or conn.execute(
                    "SELECT 1 FROM incidents WHERE subject_uid = ? AND category = 'state_conflict'", (uid,)).fetchone():
                continue
            won = conflict.winner
            name = conn.execute("SELECT name FROM gates WHERE uid = ?", (won["j_origin"],)).fetchone()
            raised.append(records.append(conn, "incident", {
                "category": "state_conflict", "subject_uid": uid, "reason": "state_conflict",
                "note": f"{name[0] if name else won['j_origin'][:8]} {won['at'][:16]} {won['uid']}",
                "recorded_by": None}, origin=gate.uid, at=datetime.fromisoformat(at)).uid)
    return raised

