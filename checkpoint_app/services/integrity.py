"""Integrity of the records: what ``verify-db`` and the screens ask, through one door.

The checks themselves live in storage: :func:`checkpoint_app.db.verify.verify_database`
(SQLite's own checks, rows outside any chain, every chain) and the one chain verifier under
it, :func:`checkpoint_app.db.chain.verify_range`.
"""

from __future__ import annotations

from checkpoint_app.db import chain, verify
from checkpoint_app.services.context import GateContext

VerifyReport = verify.VerifyReport


def verify_database(ctx: GateContext, *, quick: bool = False) -> VerifyReport:
    """Everything in the file recomputed (minutes on a 10 M-passage file)."""
    return verify.verify_database(ctx.db.conn, quick=quick)


def verify_records(ctx: GateContext, origin: str, from_seq: int = 1, to_seq: int | None = None,
                   *, limit: int = 50) -> chain.RangeResult:
    """One gate's records ``from_seq``..``to_seq`` recomputed, in one snapshot."""
    with ctx.db.read() as conn:
        return chain.verify_range(conn, origin, from_seq, to_seq, limit=limit)
