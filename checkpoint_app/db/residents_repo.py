"""Households (楼栋-单元-房号) and the residents who live in them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Household:
    id: int
    building: str
    unit: str
    room: str
    status: str
    status_until: date | None

    @property
    def label(self) -> str:
        return household_label(self.building, self.unit, self.room)


@dataclass(frozen=True)
class Resident:
    id: int
    uid: str
    household_id: int
    household: str          # "3-2-501"
    name: str
    name_initials: str
    phone: str | None
    id_number: str | None
    kind: str
    status: str
    status_until: date | None
    active: bool


def household_label(building: str, unit: str, room: str) -> str:
    return f"{building}-{unit}-{room}"


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


_RESIDENT_COLS = ("r.id, r.uid, r.household_id, h.label, r.name, r.name_initials, r.phone, r.id_number, "
                  "r.kind, r.status, r.status_until, r.active")


def _resident(row: tuple) -> Resident:
    return Resident(*row[:10], _date(row[10]), bool(row[11]))


def get_or_create_household(conn: sqlite3.Connection, building: str, unit: str, room: str,
                            at: str) -> tuple[Household, bool]:
    row = conn.execute("SELECT id, building, unit, room, status, status_until FROM households "
                       "WHERE building = ? AND unit = ? AND room = ?", (building, unit, room)).fetchone()
    if row:
        return Household(*row[:5], _date(row[5])), False
    cur = conn.execute("INSERT INTO households (building, unit, room, label, created_at) VALUES (?, ?, ?, ?, ?)",
                       (building, unit, room, household_label(building, unit, room), at))
    return Household(cur.lastrowid, building, unit, room, "normal", None), True


def household_by_label(conn: sqlite3.Connection, label: str) -> Household | None:
    row = conn.execute("SELECT id, building, unit, room, status, status_until FROM households WHERE label = ?",
                       (label,)).fetchone()
    return Household(*row[:5], _date(row[5])) if row else None


def household_by_id(conn: sqlite3.Connection, household_id: int) -> Household | None:
    row = conn.execute("SELECT id, building, unit, room, status, status_until FROM households WHERE id = ?",
                       (household_id,)).fetchone()
    return Household(*row[:5], _date(row[5])) if row else None


def list_households(conn: sqlite3.Connection) -> list[Household]:
    return [Household(*r[:5], _date(r[5])) for r in conn.execute(
        "SELECT id, building, unit, room, status, status_until FROM households ORDER BY building, unit, room")]


def find_resident(conn: sqlite3.Connection, *, household_id: int, name: str,
                  id_number: str | None) -> Resident | None:
    """The same person in a re-imported roster: by ID number when given, else by household and name."""
    if id_number:
        row = conn.execute(f"SELECT {_RESIDENT_COLS} FROM residents r JOIN households h ON h.id = r.household_id "
                           "WHERE r.id_number = ?", (id_number,)).fetchone()
        if row:
            return _resident(row)
    row = conn.execute(f"SELECT {_RESIDENT_COLS} FROM residents r JOIN households h ON h.id = r.household_id "
                       "WHERE r.household_id = ? AND r.name = ?", (household_id, name)).fetchone()
    return _resident(row) if row else None


def insert_resident(conn: sqlite3.Connection, *, uid: str, household_id: int, name: str, initials: str,
                    phone: str | None, id_number: str | None, kind: str, status: str,
                    status_until: date | None, at: str) -> int:
    cur = conn.execute(
        "INSERT INTO residents (uid, household_id, name, name_initials, phone, id_number, kind, status, "
        "status_until, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (uid, household_id, name, initials, phone, id_number, kind, status,
         status_until.isoformat() if status_until else None, at, at))
    return cur.lastrowid


def update_resident(conn: sqlite3.Connection, resident_id: int, *, household_id: int, name: str,
                    initials: str, phone: str | None, id_number: str | None, kind: str, at: str) -> None:
    conn.execute("UPDATE residents SET household_id = ?, name = ?, name_initials = ?, phone = ?, id_number = ?, "
                 "kind = ?, active = 1, updated_at = ? WHERE id = ?",
                 (household_id, name, initials, phone, id_number, kind, at, resident_id))


def set_status(conn: sqlite3.Connection, resident_id: int, status: str, until: date | None, at: str) -> None:
    conn.execute("UPDATE residents SET status = ?, status_until = ?, updated_at = ? WHERE id = ?",
                 (status, until.isoformat() if until else None, at, resident_id))


def set_household_status(conn: sqlite3.Connection, household_id: int, status: str, until: date | None) -> None:
    conn.execute("UPDATE households SET status = ?, status_until = ? WHERE id = ?",
                 (status, until.isoformat() if until else None, household_id))


def get_resident(conn: sqlite3.Connection, resident_id: int) -> Resident | None:
    row = conn.execute(f"SELECT {_RESIDENT_COLS} FROM residents r JOIN households h ON h.id = r.household_id "
                       "WHERE r.id = ?", (resident_id,)).fetchone()
    return _resident(row) if row else None


def resident_by_uid(conn: sqlite3.Connection, uid: str) -> Resident | None:
    row = conn.execute(f"SELECT {_RESIDENT_COLS} FROM residents r JOIN households h ON h.id = r.household_id "
                       "WHERE r.uid = ?", (uid,)).fetchone()
    return _resident(row) if row else None


def list_residents(conn: sqlite3.Connection, *, household_id: int | None = None,
                   active_only: bool = True) -> list[Resident]:
    sql = f"SELECT {_RESIDENT_COLS} FROM residents r JOIN households h ON h.id = r.household_id"
    where, args = [], []
    if household_id is not None:
        where.append("r.household_id = ?")
        args.append(household_id)
    if active_only:
        where.append("r.active = 1")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY h.building, h.unit, h.room, r.id"
    return [_resident(r) for r in conn.execute(sql, args)]


def search_residents(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[Resident]:
    """By household (``3-2-501``, ``3-2``), by name (part of it) or by pinyin initials (``zs``)."""
    text = "".join(c for c in text.strip() if not 0xD800 <= ord(c) <= 0xDFFF)[:40]
    if not text:
        return []
    like = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    sql = (f"SELECT {_RESIDENT_COLS} FROM residents r JOIN households h ON h.id = r.household_id "
           "WHERE r.active = 1 AND (h.label LIKE ? ESCAPE '\\' OR r.name LIKE ? ESCAPE '\\' "
           "OR r.name_initials LIKE ? ESCAPE '\\') ORDER BY h.building, h.unit, h.room, r.id LIMIT ?")
    # The household as typed so far ("3-2-5" while typing "3-2-501"), a part of the name, or the
    # start of the pinyin initials.
    rows = conn.execute(sql, (like + "%", "%" + like + "%", like.lower() + "%", limit))
    return [_resident(r) for r in rows]
