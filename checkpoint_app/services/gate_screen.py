"""Queries the gate screen needs besides the core use cases: read-only, no Qt.

``prepare_scan`` is what the screen calls the moment a scan arrives: who holds the pass, which way
they are expected to go, and whether the scan is a repeat that the gate will ignore, so that the
guard sees all of it while measuring and nothing is asked that the record would then throw away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from checkpoint_app.db import current, passes_repo, residents_repo
from checkpoint_app.domain.rules import LastPassage, resolve_direction
from checkpoint_app.services.context import GateContext

if TYPE_CHECKING:  # services.gate loads the signature code; the sign-on screen does not need it
    from checkpoint_app.services.gate import Holder, Identified


@dataclass(frozen=True)
class ScanPreview:
    identified: Identified
    direction: str | None        # the direction the gate will assume (None when refused)
    duplicate: bool              # the same pass went through the gate moments ago: it will be ignored

    @property
    def holder(self) -> Holder | None:
        return self.identified.holder

    @property
    def refusal(self) -> str | None:
        return self.identified.refusal


def prepare_scan(ctx: GateContext, text: str) -> ScanPreview:
    """Identify a scan and say what the gate is about to do with it. Writes nothing."""
    from checkpoint_app.services.gate import identify, is_repeat

    with ctx.db.read() as conn:
        ident = identify(ctx, text, conn)
        if ident.refusal == "malformed" or ident.payload is None:
            return ScanPreview(ident, None, False)
        duplicate = False
        if ident.refusal not in ("forged", "foreign_site"):
            duplicate = is_repeat(ctx, conn, ident.payload.number, ctx.now())
        direction = None
        if ident.refusal is None and ident.holder is not None:
            last_through = current.last_through(conn, ident.holder.resident_uid)
            direction = resolve_direction(None, LastPassage(*last_through) if last_through else None)[0]
    return ScanPreview(ident, direction, duplicate)


def holder_for_resident(ctx: GateContext, resident_id: int) -> tuple[Holder, str] | None:
    """A resident found by the guard (manual entry) as a holder, with the expected direction."""
    from checkpoint_app.services.gate import Holder

    with ctx.db.read() as conn:
        resident = residents_repo.get_resident(conn, resident_id)
        if resident is None or not resident.active:
            return None
        card = passes_repo.active_for_resident(conn, resident.id)
        holder = Holder(resident.id, resident.uid, resident.name, resident.household,
                        card.number if card else None, card.version if card else None, resident.status)
        last = current.last_through(conn, resident.uid)
    return holder, resolve_direction(None, LastPassage(*last) if last else None)[0]


def household_labels(ctx: GateContext, prefix: str = "", limit: int = 50) -> list[str]:
    """Household labels ('3-2-501') starting with ``prefix``, for the visitor form's host field."""
    prefix = prefix.strip()
    like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with ctx.db.read() as conn:
        rows = conn.execute("SELECT label FROM households WHERE label LIKE ? ESCAPE '\\' "
                            "ORDER BY building, unit, room LIMIT ?", (like, limit)).fetchall()
    return [r[0] for r in rows]


def has_users(ctx: GateContext) -> bool:
    with ctx.db.read() as conn:
        return conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None


def guard_names(ctx: GateContext) -> list[str]:
    """Names offered at sign-on: enabled users, guards first."""
    with ctx.db.read() as conn:
        rows = conn.execute("SELECT name FROM users WHERE disabled = 0 "
                            "ORDER BY role != 'guard', name").fetchall()
    return [r[0] for r in rows]


def data_version(ctx: GateContext) -> int:
    """Changes whenever another connection commits to the file: the board polls it."""
    return ctx.db.conn.execute("PRAGMA data_version").fetchone()[0]
