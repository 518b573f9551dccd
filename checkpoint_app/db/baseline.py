"""The state a site held before its state travelled as records (issue 15).

A site made before state records (schema step 9) holds roster, passes, users, settings and watch
list rows that no record says, so they do not travel and a PC rebuilt from records lacks them.
:func:`write` writes, once, a ``baseline`` record for every state row that the records do not
make as it is (found by rebuilding the state inside a savepoint and comparing): the row as it
stands (``snapshot``, canonical JSON), signed and chained like every record. db/state.py reads
them: a baseline is the entity's state over the records from before the ``supersedes`` field
(which it already contains), and gives way to every change made after it. Writing again finds
nothing left to write.

It runs on the PC that issues passes (the office), which holds the roster it came from: a gate's
copy of the roster came from it in the join file, and two PCs writing baselines for the same
rows would only say the same twice.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

#: entity -> (the SELECT of its rows as they are compared and written, the column that with the key
#: tells its rows apart)
_ROWS = {
    "household": ("SELECT h.label AS key, h.building, h.unit, h.room, h.status, h.status_until, h.created_at "
                  "FROM households h", None),
    "resident": ("SELECT r.uid AS key, h.building, h.unit, h.room, r.name, r.phone, r.id_number, r.kind, r.active, "
                 "r.status, r.status_until, r.created_at FROM residents r JOIN households h ON h.id = r.household_id",
                 None),
    "pass": ("SELECT p.number AS key, p.version, r.uid AS resident_uid, p.key_id, p.valid_from, p.valid_until, "
             "p.status, p.payload, p.issued_at FROM passes p JOIN residents r ON r.id = p.resident_id", "version"),
    "user": ("SELECT name AS key, role, disabled, secret_hash, created_at FROM users", None),
    "setting": ("SELECT key, value, updated_at, updated_by FROM settings", None),
    "watch": ("SELECT match_hash AS key, note, created_at FROM watchlist", None),
}
#: columns kept in the snapshot but not compared (bookkeeping a rebuild cannot know otherwise)
_NOT_COMPARED = {"household": ("created_at",), "resident": ("created_at",), "setting": ("updated_at", "updated_by")}


def _rows(conn: sqlite3.Connection) -> dict[tuple[str, str, object], dict]:
    rows: dict[tuple[str, str, object], dict] = {}
    for entity, (sql, sub) in _ROWS.items():
        cur = conn.execute(sql)
        names = [d[0] for d in cur.description]
        for values in cur:
            row = dict(zip(names, values))
            key = str(row.pop("key"))
            rows[(entity, key, row.get(sub) if sub else None)] = row
    return rows


def _compared(entity: str, row: dict | None) -> dict | None:
    return None if row is None else {k: v for k, v in row.items() if k not in _NOT_COMPARED.get(entity, ())}


def write(conn: sqlite3.Connection, *, origin: str, at: datetime, by: str | None) -> dict[str, int]:
    """Write the baseline records this database lacks (inside a write transaction); how many of
    each entity were written ({} when the records already make every row)."""
    from checkpoint_app.db import records, state

    held = _rows(conn)
    conn.execute("SAVEPOINT baseline")
    try:
        state.rebuild(conn, at=at.isoformat(timespec="seconds"))
        made = _rows(conn)
    finally:
        conn.execute("ROLLBACK TO baseline")
        conn.execute("RELEASE baseline")
    written: dict[str, int] = {}
    for (entity, key, _sub), row in sorted(held.items(), key=lambda item: (list(_ROWS).index(item[0][0]),
                                                                          item[0][1], str(item[0][2]))):
        if _compared(entity, made.get((entity, key, _sub))) != _compared(entity, row):
            snapshot = json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            records.append(conn, "baseline", {"entity": entity, "key": key, "snapshot": snapshot, "recorded_by": by},
                           origin=origin, at=at)
            written[entity] = written.get(entity, 0) + 1
    return written


def latest(conn: sqlite3.Connection, entity: str, key: object) -> dict | None:
    """The entity's row as the baseline has it (None: no baseline)."""
    row = conn.execute("SELECT snapshot FROM baselines WHERE entity = ? AND key = ? ORDER BY at DESC, uid DESC LIMIT 1",
                       (entity, str(key))).fetchone()
    return json.loads(row[0]) if row else None


def every(conn: sqlite3.Connection, entity: str, key: object) -> list[dict]:
    """Every baseline row of the entity (a pass number's versions)."""
    return [json.loads(s) for (s,) in conn.execute(
        "SELECT snapshot FROM baselines WHERE entity = ? AND key = ? ORDER BY at, uid", (entity, str(key)))]


def keys(conn: sqlite3.Connection, entity: str) -> list[str]:
    return [k for (k,) in conn.execute("SELECT DISTINCT key FROM baselines WHERE entity = ?", (entity,))]


def lacking(conn: sqlite3.Connection) -> bool:
    """A cheap sign that :func:`write` has rows to write: a resident or a user that no record names
    (no change, no baseline) — a site made before state records. Two indexed look-ups per row at
    most and it stops at the first; not the whole comparison :func:`write` makes."""
    return conn.execute(
        "SELECT EXISTS (SELECT 1 FROM residents r WHERE NOT EXISTS "
        "(SELECT 1 FROM resident_changes c WHERE c.resident_uid = r.uid) AND NOT EXISTS "
        "(SELECT 1 FROM baselines b WHERE b.entity = 'resident' AND b.key = r.uid)) "
        "OR EXISTS (SELECT 1 FROM users u WHERE NOT EXISTS (SELECT 1 FROM user_changes c WHERE c.name = u.name) "
        "AND NOT EXISTS (SELECT 1 FROM baselines b WHERE b.entity = 'user' AND b.key = u.name))").fetchone()[0] == 1
