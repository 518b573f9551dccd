"""What the daily logs print: one gate's records of one day, read in one snapshot.

The logs hold the records made at the given gate (``journal.origin``) on the day (each
record's own ``day``): the same set the checkpoint on their last page counts. Names come from
the roster (residents), visitors' personal fields from ``visitor_personal`` unmasked (the
document masks them); ``None`` once the retention purge deleted them.

Corrections are applied as they stand when the logs are printed: a voided record is kept and
marked ``void``; an amended field shows its latest value and is named in ``amended``; every
amendment that touches a record of the day, or that was itself made that day at this gate, is
listed (``corrections``).

"Still out at the end of the day" looks at every passage this database knows (all gates,
a few days back, as the gate board does), with voids and amended directions applied.

Call with a connection inside a read transaction (``with ctx.db.read() as conn``) so that all
the queries see one consistent state.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from checkpoint_app.db import current
from checkpoint_app.domain import disinfectants, record_kinds
from checkpoint_app.domain.daily import (
    AreaPlan,
    Correction,
    DailyData,
    FollowUp,
    HandoverRow,
    IncidentRow,
    InsideVisitor,
    OutRow,
    PassageRow,
    RoundRow,
    VisitorRow,
)

#: How far back "still out" and "visitors still inside" look (as services.board does).
LOOKBACK_DAYS = 3

# which log shows a record of this kind, and the tables of the kinds the logs show
_LOG_OF_KIND = record_kinds.LOG_OF_KIND
_TABLE_OF_KIND = {kind: record_kinds.BY_KIND[kind].table for kind in _LOG_OF_KIND}


def _time(at: str, day_iso: str) -> str:
    """"HH:MM:SS" for the day itself, "MM-DD HH:MM" for another day."""
    if at[:10] == day_iso:
        return at[11:19]
    return f"{at[5:10]} {at[11:16]}"


def _seconds_between(earlier: str | None, later: str) -> int | None:
    if not earlier:
        return None
    return max(0, round((datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds()))


def _reasons(text: str | None) -> tuple[str, ...]:
    return tuple(r for r in (text or "").split(",") if r)


def _day_bounds(day: date) -> tuple[str, str]:
    return day.isoformat(), (day + timedelta(days=1)).isoformat()


def plan_in_force(conn: sqlite3.Connection, before: str) -> list[tuple[str, int]]:
    """(area, rounds a day) of each area's disinfection plan in force at ``before`` (ISO text):
    its latest plan record before it, from any PC of the site, in the order areas were first
    planned. An area never planned has no plan; a voided plan record never was in force."""
    return conn.execute(
        f"""SELECT p.area, p.rounds_per_day FROM disinfection_plans p
            WHERE {current.not_void('p')} AND p.at = (SELECT max(q.at) FROM disinfection_plans q
                  WHERE q.area = p.area AND q.at < ? AND {current.not_void('q')})
            GROUP BY p.area
            ORDER BY (SELECT min(q.at) FROM disinfection_plans q WHERE q.area = p.area AND {current.not_void('q')}),
                     p.area""",
        (before,)).fetchall()


class _Reader:
    def __init__(self, conn: sqlite3.Connection, gate_id: str, day: date) -> None:
        self.conn = conn
        self.gate = gate_id
        self.day = day
        self.iso = day.isoformat()
        self.fixes: dict[str, current.Fix] = defaultdict(current.Fix)
        self.corrections: list[Correction] = []

    # -- corrections ---------------------------------------------------------------------------

    def load_corrections(self) -> None:
        """Amendments of this day's records (made whenever, at any gate) and amendments made
        this day at this gate (of any record)."""
        day_uids = " UNION ALL ".join(
            f"SELECT uid FROM {table} WHERE day = :day" for table in _TABLE_OF_KIND.values())
        lo, hi = _day_bounds(self.day)
        rows = self.conn.execute(
            f"""SELECT a.uid, a.at, a.target_uid, a.action, a.changes, a.reason, a.recorded_by,
                       ja.origin, ja.origin_seq, jt.kind, jt.origin_seq, jt.at, jt.origin
                FROM amendments a
                JOIN journal ja ON ja.uid = a.uid
                LEFT JOIN journal jt ON jt.uid = a.target_uid
                WHERE a.target_uid IN ({day_uids})
                   OR (ja.origin = :gate AND ja.at >= :lo AND ja.at < :hi)
                ORDER BY a.at, ja.origin, ja.origin_seq""",
            {"day": self.iso, "gate": self.gate, "lo": lo, "hi": hi}).fetchall()
        for (_uid, at, target, action, changes, reason, by, origin, seq, tkind, tseq, tat,
             torigin) in rows:
            self.fixes[target].apply(action, changes)
            parsed: tuple = ()
            if action == "amend":
                try:
                    parsed = tuple(sorted(json.loads(changes or "{}").items()))
                except (ValueError, AttributeError):
                    parsed = (("?", changes),)
            self.corrections.append(Correction(
                seq=seq, when=_time(at, self.iso), action=action, target_kind=tkind or "?",
                target_seq=tseq, target_day=tat[:10] if tat else None, changes=parsed,
                reason=reason or "", by=by,
                # a log lists the corrections of the rows it shows: this gate's records
                log=_LOG_OF_KIND.get(tkind or "") if torigin == self.gate else None, origin=origin))

    def fix(self, uid: str) -> current.Fix:
        return self.fixes.get(uid, current.NO_FIX)

    # -- the logs ------------------------------------------------------------------------------

    def passages(self) -> list[PassageRow]:
        rows = self.conn.execute(
            """SELECT j.origin_seq, p.uid, p.at, p.direction, p.household, r.name, p.pass_number,
                      p.pass_version, p.temp_tenths, p.outcome, p.reasons, p.manual, p.guard,
                      p.payload_excerpt, p.first_temp_tenths, p.first_temp_at
               FROM passages p
               JOIN journal j ON j.uid = p.uid
               LEFT JOIN residents r ON r.uid = p.resident_uid
               WHERE p.day = ? AND j.origin = ?
               ORDER BY j.origin_seq""", (self.iso, self.gate)).fetchall()
        out = []
        fixes = self.fixes
        iso = self.iso
        reason_cache: dict[str | None, tuple[str, ...]] = {}
        for (seq, uid, at, direction, household, name, number, version, temp, outcome, reasons,
             manual, guard, excerpt, first, first_at) in rows:
            first_reading = None if first is None else (first, _seconds_between(first_at, at))
            parsed = reason_cache.get(reasons)
            if parsed is None:
                parsed = reason_cache[reasons] = _reasons(reasons)
            time = at[11:19] if at[:10] == iso else _time(at, iso)
            fix = fixes.get(uid)
            if fix is None:
                out.append(PassageRow(seq, time, direction, household, name, number, version, temp,
                                      outcome, parsed, bool(manual), guard, excerpt,
                                      first_reading=first_reading))
                continue
            changes = fix.changes or {}
            if isinstance(changes.get("temp_tenths"), int):
                temp = changes["temp_tenths"]
            if changes.get("direction") in ("in", "out"):
                direction = changes["direction"]
            out.append(PassageRow(seq, time, direction, household, name, number, version, temp,
                                  outcome, parsed, bool(manual), guard, excerpt, fix.void,
                                  frozenset(changes), first_reading))
        return out

    def visitors(self) -> list[VisitorRow]:
        rows = self.conn.execute(
            """SELECT j.origin_seq, v.uid, v.at, vp.name, vp.phone, vp.id_number, v.purpose,
                      v.from_place, v.host_household, v.health_code, v.temp_tenths, v.outcome,
                      v.reasons, v.guard
               FROM visitor_entries v
               JOIN journal j ON j.uid = v.uid
               LEFT JOIN visitor_personal vp ON vp.uid = v.uid
               WHERE v.day = ? AND j.origin = ?
               ORDER BY j.origin_seq""", (self.iso, self.gate)).fetchall()
        exits = self._exits([r[1] for r in rows])
        out = []
        for (seq, uid, at, name, phone, idn, purpose, from_place, host, code, temp, outcome,
             reasons, guard) in rows:
            fix = self.fix(uid)
            changes = fix.changes or {}
            if isinstance(changes.get("temp_tenths"), int):
                temp = changes["temp_tenths"]
            if isinstance(changes.get("purpose"), str):
                purpose = changes["purpose"]
            left = exits.get(uid)
            out.append(VisitorRow(seq, _time(at, self.iso), _time(left, self.iso) if left else None,
                                  name, phone, idn, purpose, from_place, host, code, temp, outcome,
                                  _reasons(reasons), guard, fix.void, frozenset(changes)))
        return out

    def _exits(self, entry_uids: list[str]) -> dict[str, str]:
        """entry uid -> time of its (first, not voided) exit, wherever recorded."""
        if not entry_uids:
            return {}
        found: dict[str, str] = {}
        for i in range(0, len(entry_uids), 500):
            chunk = entry_uids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for exit_uid, entry, at in self.conn.execute(
                    f"SELECT uid, entry_uid, at FROM visitor_exits WHERE entry_uid IN ({marks}) "
                    "ORDER BY at", chunk):
                if entry in found or self._voided(exit_uid):
                    continue
                found[entry] = at
        return found

    def _voided(self, uid: str) -> bool:
        fix = self.fixes.get(uid)
        if fix is not None:
            return fix.void
        return current.is_void(self.conn, uid)

    def rounds(self) -> list[RoundRow]:
        rows = self.conn.execute(
            """SELECT j.origin_seq, d.uid, d.at, d.area, d.agent, d.concentration,
                      d.contact_minutes, d.method, d.operator, d.checker, d.recorded_by,
                      d.done_at, d.under_dosed
               FROM disinfection_rounds d
               JOIN journal j ON j.uid = d.uid
               WHERE d.day = ? AND j.origin = ?
               ORDER BY j.origin_seq""", (self.iso, self.gate)).fetchall()
        out = []
        for seq, uid, at, area, agent, conc, minutes, method, operator, checker, by, done_at, under in rows:
            fix = self.fix(uid)
            changes = fix.changes or {}
            if isinstance(changes.get("agent"), str):
                agent = changes["agent"]
            if isinstance(changes.get("checker"), str):
                checker = changes["checker"]
            late = done_at[11:16] if done_at and disinfectants.entered_late(done_at, at) else None
            out.append(RoundRow(seq, _time(at, self.iso), area, agent, conc or "", minutes,
                                method, operator, checker, by, fix.void, frozenset(changes), late, under))
        return out

    def plan(self, rounds: list[RoundRow]) -> list[AreaPlan]:
        done: dict[str, int] = defaultdict(int)
        for r in rounds:
            if not r.void:
                done[r.area] += 1
        # the plan in force that day: the last plan record of each area before the day ended
        plan = [AreaPlan(name, per_day, done.get(name, 0))
                for name, per_day in plan_in_force(self.conn, _day_bounds(self.day)[1])]
        planned = {a.area for a in plan}
        # rounds in areas that are not (or no longer) in the plan: shown with 0 planned
        plan += [AreaPlan(area, 0, n) for area, n in sorted(done.items()) if area not in planned]
        return plan

    def incidents(self) -> list[IncidentRow]:
        rows = self.conn.execute(
            """SELECT j.origin_seq, i.uid, i.at, i.category, i.reason, i.recorded_by, i.note,
                      p.uid, p.household, r.name, p.pass_number, p.payload_excerpt, p.temp_tenths,
                      v.uid, vp.name, v.host_household, v.temp_tenths
               FROM incidents i
               JOIN journal j ON j.uid = i.uid
               LEFT JOIN passages p ON p.uid = i.subject_uid
               LEFT JOIN residents r ON r.uid = p.resident_uid
               LEFT JOIN visitor_entries v ON v.uid = i.subject_uid
               LEFT JOIN visitor_personal vp ON vp.uid = v.uid
               WHERE i.day = ? AND j.origin = ?
               ORDER BY j.origin_seq""", (self.iso, self.gate)).fetchall()
        followups: dict[str, list[FollowUp]] = defaultdict(list)
        if rows:
            for f_uid, incident, at, note, closed, by in self.conn.execute(
                    """SELECT f.uid, f.incident_uid, f.at, f.note, f.closed, f.recorded_by
                       FROM incident_followups f
                       WHERE f.incident_uid IN (SELECT uid FROM incidents WHERE day = ?)
                       ORDER BY f.at""", (self.iso,)):
                followups[incident].append(FollowUp(
                    f"{at[5:10]} {at[11:16]}", note or "", bool(closed), by, self.fix(f_uid).void))
        out = []
        for (seq, uid, at, category, reasons, by, note, p_uid, household, name, number, excerpt,
             p_temp, v_uid, v_name, v_host, v_temp) in rows:
            subject: dict = {}
            temp = None
            if p_uid is not None:
                temp = self._amended_temp(p_uid, p_temp)
                if household or name:
                    subject = {"subject_kind": "resident", "household": household, "name": name}
                elif number is not None:
                    subject = {"subject_kind": "pass", "pass_number": number}
                else:
                    subject = {"subject_kind": "card", "excerpt": excerpt}
            elif v_uid is not None:
                temp = self._amended_temp(v_uid, v_temp)
                subject = {"subject_kind": "visitor", "household": v_host, "name": v_name}
            out.append(IncidentRow(seq, _time(at, self.iso), category, temp, _reasons(reasons), by,
                                   tuple(followups.get(uid, ())), self.fix(uid).void,
                                   note=note, **subject))
        return out

    def _amended_temp(self, uid: str, temp: int | None) -> int | None:
        changes = self.fix(uid).changes or {}
        value = changes.get("temp_tenths")
        return value if isinstance(value, int) else temp

    def handovers(self) -> list[HandoverRow]:
        rows = self.conn.execute(
            """SELECT j.origin_seq, h.uid, h.at, h.from_guard, h.to_guard, h.shift_start,
                      h.shift_end, h.counts, h.open_alerts, h.notes
               FROM handovers h
               JOIN journal j ON j.uid = h.uid
               WHERE h.day = ? AND j.origin = ?
               ORDER BY j.origin_seq""", (self.iso, self.gate)).fetchall()
        out = []
        for seq, uid, at, from_guard, to_guard, start, end, counts, alerts, notes in rows:
            try:
                parsed_counts = json.loads(counts or "{}")
            except ValueError:
                parsed_counts = {}
            try:
                parsed_alerts = tuple(str(a.get("category", "?")) for a in json.loads(alerts or "[]"))
            except (ValueError, AttributeError):
                parsed_alerts = ("?",)
            out.append(HandoverRow(seq, _time(at, self.iso), from_guard, to_guard, start or "",
                                   end or "", parsed_counts if isinstance(parsed_counts, dict)
                                   else {}, parsed_alerts, notes, self.fix(uid).void))
        return out

    def records_by_kind(self) -> dict[str, int]:
        lo, hi = _day_bounds(self.day)
        return dict(self.conn.execute(
            "SELECT kind, count(*) FROM journal WHERE origin = ? AND at >= ? AND at < ? "
            "GROUP BY kind", (self.gate, lo, hi)).fetchall())

    # -- the end of the day --------------------------------------------------------------------

    def still_out(self, cut_off: datetime, outing_limit_minutes: int) -> list[OutRow]:
        """Residents whose last passage that went through, up to ``cut_off``, was going out."""
        cut = cut_off.isoformat(timespec="milliseconds")
        since = (self.day - timedelta(days=LOOKBACK_DAYS)).isoformat()
        rows = self.conn.execute(
            """SELECT p.uid, p.resident_uid, p.household, r.name, p.at, p.direction
               FROM passages p LEFT JOIN residents r ON r.uid = p.resident_uid
               WHERE p.day >= ? AND p.day <= ? AND p.at <= ? AND p.outcome != 'denied'
                 AND p.resident_uid IS NOT NULL
               ORDER BY p.at""", (since, self.iso, cut)).fetchall()
        fixes = current.fixes(self.conn, [r[0] for r in rows])
        last: dict[str, tuple] = {}
        for uid, resident, household, name, at, direction in rows:
            fix = fixes.get(uid)
            if fix is not None:
                if fix.void:
                    continue
                direction = (fix.changes or {}).get("direction", direction)
            last[resident] = (household, name, at, direction)
        out = []
        for household, name, at, direction in last.values():
            if direction != "out":
                continue
            try:
                minutes = max(0, int((cut_off - datetime.fromisoformat(at)).total_seconds() // 60))
            except (ValueError, TypeError):
                minutes = 0
            out.append(OutRow(household or "?", name or "?", _time(at, self.iso), minutes,
                              outing_limit_minutes > 0 and minutes > outing_limit_minutes))
        out.sort(key=lambda o: (o.household, o.name))
        return out

    def visitors_inside(self, cut_off: datetime) -> list[InsideVisitor]:
        cut = cut_off.isoformat(timespec="milliseconds")
        since = (self.day - timedelta(days=LOOKBACK_DAYS)).isoformat()
        rows = self.conn.execute(
            """SELECT j.origin_seq, v.uid, v.at, vp.name, v.host_household, v.purpose, j.origin
               FROM visitor_entries v
               JOIN journal j ON j.uid = v.uid
               LEFT JOIN visitor_personal vp ON vp.uid = v.uid
               WHERE v.day >= ? AND v.day <= ? AND v.at <= ? AND v.outcome != 'denied'
               ORDER BY v.at""", (since, self.iso, cut)).fetchall()
        if not rows:
            return []
        uids = [r[1] for r in rows]
        fixes = current.fixes(self.conn, uids)
        exits = {}
        for entry, at, exit_uid in self.conn.execute(
                "SELECT entry_uid, at, uid FROM visitor_exits WHERE at <= ? AND entry_uid IN "
                f"({','.join('?' * len(uids))})", (cut, *uids)):
            if not self._voided(exit_uid):
                exits[entry] = at
        out = []
        for seq, uid, at, name, host, purpose, origin in rows:
            fix = fixes.get(uid)
            if (fix is not None and fix.void) or uid in exits:
                continue
            if fix is not None and isinstance((fix.changes or {}).get("purpose"), str):
                purpose = fix.changes["purpose"]
            out.append(InsideVisitor(seq, _time(at, self.iso), name, host, purpose, origin))
        return out


def read_day(conn: sqlite3.Connection, *, site_code: str, site_name: str, gate_id: str,
             gate_name: str, day: date, cut_off: datetime,
             outing_limit_minutes: int = 0, partial: bool = False) -> DailyData:
    """Everything the six logs of ``day`` at gate ``gate_id`` print. ``cut_off``: the end of
    the day, or the time of printing when the day is not over (the "still out" moment;
    ``partial``: the day is not over)."""
    reader = _Reader(conn, gate_id, day)
    reader.load_corrections()
    rounds = reader.rounds()
    return DailyData(
        site_code=site_code, site_name=site_name, gate_name=gate_name, day=day,
        cut_off=cut_off.strftime("%Y-%m-%d %H:%M"), partial=partial,
        passages=reader.passages(),
        visitors=reader.visitors(),
        rounds=rounds,
        plan=reader.plan(rounds),
        incidents=reader.incidents(),
        handovers=reader.handovers(),
        still_out=reader.still_out(cut_off, outing_limit_minutes),
        visitors_inside=reader.visitors_inside(cut_off),
        corrections=reader.corrections,
        records_by_kind=reader.records_by_kind(),
    )


def read_compound_day(conn: sqlite3.Connection, *, site_code: str, site_name: str, compound_name: str,
                      gates: Sequence[tuple[str, str]], day: date, cut_off: datetime,
                      outing_limit_minutes: int = 0, partial: bool = False) -> DailyData:
    """The day of the whole compound (issue 15): every gate's rows of ``day`` (``gates``: (uid,
    name), in the order their columns are read), each row naming its gate, in time order; who is
    still out, which visitors are inside and the plan are the compound's (read once), the
    corrections each once (by the gate that made them)."""
    name_of = dict(gates)
    readers = [_Reader(conn, uid, day) for uid, _name in gates]
    parts: dict[str, list] = defaultdict(list)
    corrections: dict[tuple[str, int], Correction] = {}
    by_kind: dict[str, int] = defaultdict(int)
    for reader in readers:
        reader.load_corrections()
        gate = name_of[reader.gate]
        for what in ("passages", "visitors", "rounds", "incidents", "handovers"):
            parts[what] += [replace(row, gate=gate) for row in getattr(reader, what)()]
        for c in reader.corrections:    # each reader also sees the other gates' amendments of its rows
            key = (c.origin, c.seq)
            if key not in corrections or c.log is not None:
                corrections[key] = replace(c, gate=name_of.get(c.origin, c.origin[:8]))
        for kind, n in reader.records_by_kind().items():
            by_kind[kind] += n
    for rows in parts.values():
        rows.sort(key=lambda r: r.time)   # stable: the gates' order within the same moment
    first = readers[0] if readers else _Reader(conn, "", day)
    return DailyData(
        site_code=site_code, site_name=site_name, gate_name=compound_name, day=day,
        cut_off=cut_off.strftime("%Y-%m-%d %H:%M"), partial=partial,
        plan=first.plan(parts["rounds"]),
        still_out=first.still_out(cut_off, outing_limit_minutes),
        visitors_inside=[replace(v, gate=name_of.get(v.origin, v.origin[:8]))
                         for v in first.visitors_inside(cut_off)],
        corrections=sorted(corrections.values(), key=lambda c: c.when),
        records_by_kind=dict(by_kind), gates=tuple(name for _uid, name in gates),
        **parts,
    )
