"""Passages (出入登记): the one fact about scans as recorded, not as corrected.

What counts once corrections are applied (the holder's last passage, quotas, late returns,
who is out) is read through :mod:`checkpoint_app.db.current`.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime


def last_scan_of_pass(conn: sqlite3.Connection, pass_number: int) -> datetime | None:
    """The last time this card was scanned, whatever came of it (the duplicate-scan guard)."""
    row = conn.execute("SELECT at FROM passages WHERE pass_number = ? ORDER BY at DESC LIMIT 1",
                       (pass_number,)).fetchone()
    return datetime.fromisoformat(row[0]) if row else None
