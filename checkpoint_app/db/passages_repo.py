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


_COLS = ("uid, at, direction, pass_number, resident_uid, household, temp_tenths, outcome, reason, "
         "reasons, manual, guard")


def _passage(row: tuple) -> Passage:
    return Passage(*row[:10], bool(row[10]), row[11])


def last_scan_of_pass(conn: sqlite3.Connection, pass_number: int) -> datetime | None:
    row = conn.execute("SELECT at FROM passages WHERE pass_number = ? ORDER BY at DESC LIMIT 1",
                       (pass_number,)).fetchone()
    return datetime.fromisoformat(row[0]) if row else None


def for_day(conn: sqlite3.Connection, day: date) -> list[Passage]:
    return [_passage(r) for r in conn.execute(
        f"SELECT {_COLS} FROM passages WHERE day = ? ORDER BY at", (day.isoformat(),))]


def recent(conn: sqlite3.Connection, limit: int = 20) -> list[Passage]:
    return [_passage(r) for r in conn.execute(
        f"SELECT {_COLS} FROM passages ORDER BY at DESC LIMIT ?", (limit,))]


def get(conn: sqlite3.Connection, uid: str) -> Passage | None:
    row = conn.execute(f"SELECT {_COLS} FROM passages WHERE uid = ?", (uid,)).fetchone()
    return _passage(row) if row else None
