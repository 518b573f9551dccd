"""The live board at the gate: today's counts, who is out now, recent passages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from checkpoint_app.db.passages_repo import NOT_VOID
from checkpoint_app.services.context import GateContext


@dataclass(frozen=True)
class OutNow:
    resident_uid: str
    name: str
    household: str
    since: datetime
    overdue: bool


@dataclass(frozen=True)
class RecentPassage:
    uid: str
    at: str
    direction: str
    name: str | None
    household: str | None
    temp_tenths: int | None
    outcome: str
    reason: str
    manual: bool


@dataclass(frozen=True)
class Board:
    day: date
    count_in: int
    count_out: int
    fevers: int
    refusals: int
    flagged: int
    visitors_inside: int
    out_now: list[OutNow]
    recent: list[RecentPassage]


LOOKBACK_DAYS = 3


def who_is_out(conn, *, at: datetime, outing_limit_minutes: int, lookback_days: int = LOOKBACK_DAYS) -> list[OutNow]:
    """Residents whose last passage that went through (up to ``at``) was going out.

    Only the last ``lookback_days`` days are read, so that the board stays fast on a file with
    millions of passages; someone away longer than that is a trip, not an outing."""
    since = (at.date() - timedelta(days=lookback_days)).isoformat()
    rows = conn.execute(
        "SELECT p.resident_uid, r.name, p.household, p.at FROM passages p "
        "JOIN (SELECT resident_uid, max(at) AS last FROM passages WHERE day >= ? AND outcome != 'denied' AND at <= ? "
        f"      AND resident_uid IS NOT NULL AND {NOT_VOID} GROUP BY resident_uid) m "
        "  ON m.resident_uid = p.resident_uid AND m.last = p.at "
        "LEFT JOIN residents r ON r.uid = p.resident_uid "
        "WHERE p.direction = 'out' AND p.outcome != 'denied' ORDER BY p.at",
        (since, at.isoformat(timespec="milliseconds"))).fetchall()
    out = []
    for uid, name, household, since_text in rows:
        since = datetime.fromisoformat(since_text)
        overdue = outing_limit_minutes > 0 and (at - since).total_seconds() > outing_limit_minutes * 60
        out.append(OutNow(uid, name or "?", household or "?", since, overdue))
    return out


def board(ctx: GateContext, *, recent: int = 20) -> Board:
    now = ctx.now()
    day = now.date().isoformat()
    with ctx.db.read() as conn:
        count_in = count_out = fevers = refusals = flagged = 0
        for direction, outcome, reasons, n in conn.execute(
                "SELECT direction, outcome, reasons, count(*) FROM passages WHERE day = ? "
                f"AND {NOT_VOID} GROUP BY direction, outcome, reasons", (day,)):
            if outcome == "denied":
                refusals += n
            else:
                count_in += n if direction == "in" else 0
                count_out += n if direction == "out" else 0
            if outcome == "flagged":
                flagged += n
            if "fever" in (reasons or "").split(","):
                fevers += n
        inside = conn.execute(
            "SELECT count(*) FROM visitor_entries v WHERE v.outcome != 'denied' AND NOT EXISTS "
            "(SELECT 1 FROM visitor_exits x WHERE x.entry_uid = v.uid)").fetchone()[0]
        out_now = who_is_out(conn, at=now, outing_limit_minutes=ctx.rules.outing_limit_minutes)
        rows = conn.execute(
            "SELECT p.uid, p.at, p.direction, r.name, p.household, p.temp_tenths, p.outcome, p.reason, p.manual "
            "FROM passages p LEFT JOIN residents r ON r.uid = p.resident_uid ORDER BY p.at DESC LIMIT ?",
            (recent,)).fetchall()
    return Board(now.date(), count_in, count_out, fevers, refusals, flagged, inside, out_now,
                 [RecentPassage(*r[:8], bool(r[8])) for r in rows])


