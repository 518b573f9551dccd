"""Passages (出入登记): the facts the rules need at a scan, and the lists people read."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Passage:
    uid: str
    at: str
    direction: str
    pass_number: int | None
    resident_uid: str | None
    household: str | None
    temp_tenths: int | None
    outcome: str
    reason: str
    reasons: str
    manual: bool
    guard: str | None


# A voided passage stays in the file but no longer counts for the rules or the board.
NOT_VOID = "NOT EXISTS (SELECT 1 FROM amendments a WHERE a.target_uid = passages.uid AND a.action = 'void')"

_COLS = ("uid, at, direction, pass_number, resident_uid, household, temp_tenths, outcome, reason, "
         "reasons, manual, guard")


def _passage(row: tuple) -> Passage:
    return Passage(*row[:10], bool(row[10]), row[11])


def last_through(conn: sqlite3.Connection, resident_uid: str) -> tuple[str, datetime] | None:
    """The holder's last passage that went through the gate (not denied)."""
    row = conn.execute("SELECT direction, at FROM passages WHERE resident_uid = ? AND outcome != 'denied' "
                       f"AND {NOT_VOID} ORDER BY at DESC LIMIT 1", (resident_uid,)).fetchone()
    return (row[0], datetime.fromisoformat(row[1])) if row else None


def last_scan_of_pass(conn: sqlite3.Connection, pass_number: int) -> datetime | None:
    row = conn.execute("SELECT at FROM passages WHERE pass_number = ? ORDER BY at DESC LIMIT 1",
                       (pass_number,)).fetchone()
    return datetime.fromisoformat(row[0]) if row else None


def household_exits_since(conn: sqlite3.Connection, household: str, since: date) -> int:
    return conn.execute("SELECT count(*) FROM passages WHERE household = ? AND at >= ? AND direction = 'out' "
                        f"AND outcome != 'denied' AND {NOT_VOID}", (household, since.isoformat())).fetchone()[0]


def household_last_late_return(conn: sqlite3.Connection, household: str, since: date) -> date | None:
    row = conn.execute("SELECT day FROM passages WHERE household = ? AND at >= ? AND direction = 'in' "
                       f"AND outcome != 'denied' AND instr(reasons, 'late_return') > 0 AND {NOT_VOID} "
                       "ORDER BY at DESC LIMIT 1",
                       (household, since.isoformat())).fetchone()
    return date.fromisoformat(row[0]) if row else None


def for_day(conn: sqlite3.Connection, day: date) -> list[Passage]:
    return [_passage(r) for r in conn.execute(
        f"SELECT {_COLS} FROM passages WHERE day = ? ORDER BY at", (day.isoformat(),))]


def recent(conn: sqlite3.Connection, limit: int = 20) -> list[Passage]:
    return [_passage(r) for r in conn.execute(
        f"SELECT {_COLS} FROM passages ORDER BY at DESC LIMIT ?", (limit,))]


def get(conn: sqlite3.Connection, uid: str) -> Passage | None:
    row = conn.execute(f"SELECT {_COLS} FROM passages WHERE uid = ?", (uid,)).fetchone()
    return _passage(row) if row else None
