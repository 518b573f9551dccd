"""Shift handover (交接班): what the outgoing guard hands on, recorded in the chain."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from checkpoint_app.domain.text import free_text
from checkpoint_app.db import records
from checkpoint_app.domain.identity import normalize_name
from checkpoint_app.i18n import Messages
from checkpoint_app.services import clock_guard
from checkpoint_app.db import current
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

_ = Messages({})


@dataclass(frozen=True)
class ShiftSummary:
    shift_start: str
    shift_end: str
    counts: dict
    open_alerts: list[dict]


def shift_summary(ctx: GateContext, since: datetime | None = None) -> ShiftSummary:
    """Counts since the shift began (the last handover, or the start of the day) and the open alerts."""
    now = ctx.now()
    with ctx.db.read() as conn:
        if since is None:
            row = conn.execute("SELECT at FROM handovers ORDER BY at DESC LIMIT 1").fetchone()
            day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
            last = datetime.fromisoformat(row[0]) if row else None
            # A night shift runs past midnight: it counts from its handover. A handover more than a
            # day old (the gate unused) is no shift: then from the start of the day.
            since = last if last is not None and last >= now - timedelta(days=1) else day_start
        start = since.isoformat(timespec="milliseconds")
        counts = {"in": 0, "out": 0, "flagged": 0, "denied": 0, "fever": 0, "visitors": 0}
        for direction, outcome, reasons, n in current.passage_counts(conn, "at >= ?", (start,)):
            if outcome != "denied":
                counts[direction] += n
            if outcome in ("flagged", "denied"):
                counts[outcome] += n
            if "fever" in (reasons or "").split(","):
                counts["fever"] += n
        counts["visitors"] = conn.execute("SELECT count(*) FROM visitor_entries WHERE at >= ?", (start,)).fetchone()[0]
        alerts = [{"incident_id": uid, "category": cat, "at": at} for uid, cat, at in conn.execute(
            "SELECT i.uid, i.category, i.at FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM incident_followups f "
            "WHERE f.incident_uid = i.uid AND f.closed = 1) AND i.at >= ? ORDER BY i.at",
            ((now.replace(hour=0, minute=0, second=0, microsecond=0)).isoformat(timespec="milliseconds"),))]
    return ShiftSummary(start, now.isoformat(timespec="milliseconds"), counts, alerts)


def hand_over(ctx: GateContext, *, from_guard: str, to_guard: str, notes: str = "",
              summary: ShiftSummary | None = None) -> str:
    require(ctx, "hand_over")
    from_guard = normalize_name(from_guard)
    to_guard = normalize_name(to_guard)
    summary = summary or shift_summary(ctx)
    notes = free_text(notes, 500)
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        appended = records.append(conn, "handover", {
            "from_guard": from_guard, "to_guard": to_guard, "shift_start": summary.shift_start,
            "shift_end": summary.shift_end,
            "counts": json.dumps(summary.counts, sort_keys=True, separators=(",", ":")),
            "open_alerts": json.dumps(summary.open_alerts, sort_keys=True, separators=(",", ":")),
            "notes": notes or None}, origin=ctx.gate.uid, at=ctx.now())
    # The next guard is not signed on by this: they sign on with their own PIN (the GUI asks).
    return appended.uid
