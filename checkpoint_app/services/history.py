"""Search the passage history by household (3-2-501) or by name, newest first.

Both go through an index: a household through ``passages(household, at)``, a name through the
residents it matches and then ``passages(resident_uid, at)``. Pages of ``limit`` rows continue
``before`` a time, so that a year of passages is never read at once.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass

from checkpoint_app.db import current, residents_repo
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require


@dataclass(frozen=True)
class HistoryRow:
    uid: str
    at: str
    direction: str
    household: str | None
    name: str | None
    temp_tenths: int | None
    outcome: str
    reason: str
    manual: bool
    guard: str | None
    void: bool = False      # voided by a correction: shown, marked, counted nowhere


# direction and temperature as they stand (db/current.py), and whether the passage was voided
_COLS = (f"p.uid, p.at, {current.direction('p')}, p.household, r.name, {current.amended('p', 'temp_tenths')}, "
         f"p.outcome, p.reason, p.manual, p.guard, NOT {current.not_void('p')} "
         "FROM passages p LEFT JOIN residents r ON r.uid = p.resident_uid")


def search_history(ctx: GateContext, text: str, *, limit: int = 200, before: str | None = None) -> list[HistoryRow]:
    require(ctx, "search_history")
    text = "".join(c for c in str(text).strip() if not 0xD800 <= ord(c) <= 0xDFFF)[:40]
    if not text:
        return []
    before = before or "9999"
    limit = max(1, min(limit, 1000))
    with ctx.db.read() as conn:
        households = [h[0] for h in conn.execute(
            "SELECT label FROM households WHERE label = ? OR label LIKE ? ESCAPE '\\' LIMIT 50",
            (text, text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"))]
        if households:
            column, keys = "household", households
        else:
            column, keys = "resident_uid", [r.uid for r in residents_repo.search_residents(conn, text, limit=50)]
        # Per key, the newest ``limit`` (time, rowid) pairs straight from the index (no table
        # reads), merged here; then only the rows that make the page are read. An IN (...) with
        # ORDER BY would sort every passage of every key (35 s for 50 households on 10 M).
        per_key = [conn.execute(f"SELECT at, rowid FROM passages WHERE {column} = ? AND at < ? "
                                "ORDER BY at DESC LIMIT ?", (key, before, limit)).fetchall() for key in keys]
        page = [rowid for _at, rowid in itertools.islice(heapq.merge(*per_key, reverse=True), limit)]
        rows = [conn.execute(f"SELECT {_COLS} WHERE p.rowid = ?", (rowid,)).fetchone() for rowid in page]
    return [HistoryRow(*r[:8], bool(r[8]), r[9], bool(r[10])) for r in rows]
