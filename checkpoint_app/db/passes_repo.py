"""Passes (出入证): one number per holder, a new version for each re-issued card."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PassRecord:
    number: int
    version: int
    resident_id: int
    key_id: int
    valid_from: date
    valid_until: date
    status: str
    payload: str
    issued_at: str


_COLS = "number, version, resident_id, key_id, valid_from, valid_until, status, payload, issued_at"


def _pass(row: tuple) -> PassRecord:
    return PassRecord(row[0], row[1], row[2], row[3], date.fromisoformat(row[4]), date.fromisoformat(row[5]),
                      row[6], row[7], row[8])


def get(conn: sqlite3.Connection, number: int, version: int) -> PassRecord | None:
    row = conn.execute(f"SELECT {_COLS} FROM passes WHERE number = ? AND version = ?", (number, version)).fetchone()
    return _pass(row) if row else None


def newest(conn: sqlite3.Connection, number: int) -> PassRecord | None:
    row = conn.execute(f"SELECT {_COLS} FROM passes WHERE number = ? ORDER BY version DESC LIMIT 1",
                       (number,)).fetchone()
    return _pass(row) if row else None


def for_resident(conn: sqlite3.Connection, resident_id: int) -> list[PassRecord]:
    return [_pass(r) for r in conn.execute(
        f"SELECT {_COLS} FROM passes WHERE resident_id = ? ORDER BY number, version", (resident_id,))]


def active_for_resident(conn: sqlite3.Connection, resident_id: int) -> PassRecord | None:
    row = conn.execute(f"SELECT {_COLS} FROM passes WHERE resident_id = ? AND status = 'active' "
                       "ORDER BY version DESC LIMIT 1", (resident_id,)).fetchone()
    return _pass(row) if row else None


def next_number(conn: sqlite3.Connection) -> int:
    return (conn.execute("SELECT max(number) FROM passes").fetchone()[0] or 0) + 1


def insert(conn: sqlite3.Connection, p: PassRecord) -> None:
    conn.execute(f"INSERT INTO passes ({_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (p.number, p.version, p.resident_id, p.key_id, p.valid_from.isoformat(),
                  p.valid_until.isoformat(), p.status, p.payload, p.issued_at))


def set_status(conn: sqlite3.Connection, number: int, version: int, status: str) -> None:
    conn.execute("UPDATE passes SET status = ? WHERE number = ? AND version = ?", (status, number, version))


def supersede_older(conn: sqlite3.Connection, number: int, version: int) -> None:
    conn.execute("UPDATE passes SET status = 'superseded' WHERE number = ? AND version < ? AND status = 'active'",
                 (number, version))
