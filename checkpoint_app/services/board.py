"""The live board at the gate: today's counts, who is out now, recent passages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from checkpoint_app.db import current
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
    millions of passages; someone away longer than that is a trip, not an outing. It
    is read through :mod:`checkpoint_app.db.current` (voids and amended directions applied)."""
    rows = current.out_now(conn, at=at, since=at.date() - timedelta(days=lookback_days))
    out = []
    for uid, name, household, since_text in rows:
        since_at = datetime.fromisoformat(since_text)
        overdue = outing_limit_minutes > 0 and (at - since_at).total_seconds() > outing_limit_minutes * 60
        out.append(OutNow(uid, name or "?", household or "?", since_at, overdue))
    return out


def recent_passages(conn, *, at: datetime, limit: int = 20) -> list[RecentPassage]:
    """The newest passages up to ``at`` that stand (voided ones left out, corrections applied): read from the last day first (through the ``day``
    index), widened only when it holds too few, so that no query sorts the whole table."""
    at_text = at.isoformat(timespec="milliseconds")
    rows: list = []
    for days in (1, 30, None):
        where = "WHERE p.day >= ? AND p.at <= ?" if days is not None else "WHERE p.at <= ?"
        args = ((at.date() - timedelta(days=days)).isoformat(), at_text) if days is not None else (at_text,)
        rows = conn.execute(
            f"SELECT p.uid, p.at, {current.direction('p')}, r.name, p.household, "
            f"{current.amended('p', 'temp_tenths')}, p.outcome, p.reason, p.manual "
            f"FROM passages p LEFT JOIN residents r ON r.uid = p.resident_uid {where} AND {current.not_void('p')} "
            "ORDER BY p.at DESC LIMIT ?", (*args, limit)).fetchall()
        if len(rows) >= limit:
            break
    return [RecentPassage(*r[:8], bool(r[8])) for r in rows]


def board(ctx: GateContext, *, recent: int = 20) -> Board:
    now = ctx.now()
    day = now.date().isoformat()
    with ctx.db.read() as conn:
        count_in = count_out = fevers = refusals = flagged = 0
        for direction, outcome, reasons, n in current.passage_counts(conn, "day = ?", (day,)):
            if outcome == "denied":
                refusals += n
            else:
                count_in += n if direction == "in" else 0
                count_out += n if direction == "out" else 0
            if outcome == "flagged":
                flagged += n
            if "fever" in (reasons or "").split(","):
                fevers += n
        inside = current.visitors_inside_count(conn)
        out_now = who_is_out(conn, at=now, outing_limit_minutes=ctx.rules.outing_limit_minutes)
        latest = recent_passages(conn, at=now, limit=recent)
    return Board(now.date(), count_in, count_out, fevers, refusals, flagged, inside, out_now, latest)
