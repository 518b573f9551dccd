"""Integrity of the records: what ``verify-db`` and the screens ask, through one door.

The checks themselves live in storage: :func:`checkpoint_app.db.verify.verify_database`
(SQLite's own checks, rows outside any chain, every chain) and the one chain verifier under
it, :func:`checkpoint_app.db.chain.verify_range`. The start-up check (services/health.py) goes
on from the verified marks a whole check leaves (db/chain.py ``verify_since_marks``).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from checkpoint_app.db import chain, verify
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require
from checkpoint_app.services.progress import Progress, step, while_running

VerifyReport = verify.VerifyReport


def verify_database(ctx: GateContext, *, quick: bool = False, progress: Progress | None = None) -> VerifyReport:
    """Everything in the file recomputed (minutes on a 10 M-passage file); a cancel of
    ``progress`` stops it (``Cancelled``), within SQLite's own check too. A whole file moves the
    verified marks to the heads it found (not for an auditor, who changes nothing at all)."""
    require(ctx, "check_database")
    conn = ctx.db.conn
    with while_running(progress, conn.interrupt):
        try:
            step(progress, 0, 1)
            report = verify.verify_database(conn, quick=quick,
                                            on_chunk=lambda done, total: step(progress, done, total))
        except sqlite3.OperationalError:
            step(progress, 0, 1)     # interrupted by a cancel: Cancelled, not a damaged file
            raise
    if report.ok and report.marks and not ctx.db.readonly and ctx.role != "auditor":   # who changes nothing
        with ctx.db.write() as w:
            chain.write_marks(w, report.marks, ctx.clock().isoformat(timespec="seconds"), full=True)
    return report


def last_verified(ctx: GateContext) -> tuple[str | None, str | None]:
    """(the last check that moved a mark, the last whole check): ISO times or None."""
    if not chain.read_marks(ctx.db.conn):
        return None, None
    return ctx.db.conn.execute("SELECT max(checked_at), max(full_at) FROM verified_marks").fetchone()


def verify_records(ctx: GateContext, origin: str, from_seq: int = 1, to_seq: int | None = None,
                   *, limit: int = 50) -> chain.RangeResult:
    """One gate's records ``from_seq``..``to_seq`` recomputed, in one snapshot."""
    with ctx.db.read() as conn:
        return chain.verify_range(conn, origin, from_seq, to_seq, limit=limit)
