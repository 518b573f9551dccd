"""Privacy: masking ID numbers and phones for roles that may not see them, and the retention purge.

Masks (DESIGN §3): ID numbers keep the first 3 and last 4 characters (``110***********1234``,
the length kept), phones the first 3 and last 4 digits (``138****5678``). Screens and PDFs call
``show_id_number`` / ``show_phone`` with the context of the person looking.

The purge deletes visitors' personal fields (``visitor_personal``: name, phone, ID number, the
salt and the watch key) of entries older than ``retention_days``. The records themselves stay:
they keep only a salted hash of those fields, which cannot be reversed once the salt is gone, so
every hash and chain still verifies. The purge is itself a record (kind ``purge``) written in
the same transaction. Deleted pages are overwritten (``secure_delete``) and the WAL is
checkpointed, so the names do not linger in the file's free space.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from checkpoint_app.domain import identity
from checkpoint_app.db import records
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import allowed, require

log = logging.getLogger(__name__)

_ = Messages({})

AUTO = "auto"   # recorded_by of the daily automatic purge


def mask_id_number(value: str | None) -> str:
    return identity.mask_id_number(str(value)) if value else ""


def mask_phone(value: str | None) -> str:
    return identity.mask_phone(str(value)) if value else ""


def may_see_personal_data(ctx: GateContext) -> bool:
    return allowed(getattr(ctx, "role", None), "view_personal_data")


def show_id_number(ctx: GateContext, value: str | None) -> str:
    return (value or "") if may_see_personal_data(ctx) else mask_id_number(value)


def show_phone(ctx: GateContext, value: str | None) -> str:
    return (value or "") if may_see_personal_data(ctx) else mask_phone(value)


@dataclass(frozen=True)
class PurgeResult:
    before_day: str          # entries on days before this one were purged
    purged: int              # visitors whose personal fields were deleted
    record_uid: str | None   # the purge record


def cutoff(ctx: GateContext, retention_days: int | None = None) -> date:
    days = int(retention_days if retention_days is not None else ctx.settings.get("retention_days", 28))
    return ctx.now().date() - timedelta(days=max(days, 1))


def purge(ctx: GateContext, *, retention_days: int | None = None) -> PurgeResult:
    """Delete personal fields of visitor entries older than the retention; record the purge."""
    require(ctx, "purge_personal_data")
    return _purge(ctx, retention_days, ctx.user)


def _purge(ctx: GateContext, retention_days: int | None, by: str | None) -> PurgeResult:
    before = cutoff(ctx, retention_days).isoformat()
    conn = ctx.db.conn
    conn.execute("PRAGMA secure_delete = ON")
    try:
        with ctx.db.write() as conn:
            purged = conn.execute(
                "DELETE FROM visitor_personal WHERE uid IN (SELECT uid FROM visitor_entries WHERE day < ?)",
                (before,)).rowcount
            appended = records.append(conn, "purge", {"before_day": before, "purged": purged,
                                                      "recorded_by": by},
                                      origin=ctx.gate.uid, at=ctx.now())
    finally:
        conn.execute("PRAGMA secure_delete = OFF")
    if purged:
        # The old pages may still sit in the WAL: fold it into the file (overwritten there).
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except Exception:  # a busy reader only delays this; the data is already unreachable
            log.warning("WAL checkpoint after the purge did not finish", exc_info=True)
    log.info("purged personal data of %d visitors before %s", purged, before)
    return PurgeResult(before, purged, appended.uid)


def purge_if_due(ctx: GateContext) -> PurgeResult | None:
    """At most one purge a day (the GUI calls this at start and daily); None when already done.

    The retention rule runs whoever is signed on (a guard may not purge by hand): the record
    says ``recorded_by = "auto"``."""
    from checkpoint_app.services import clock_guard

    if not clock_guard.check(ctx).ok:
        # A clock years ahead would make every visitor's data look expired: purge nothing
        # until the clock is right or confirmed.
        log.warning("automatic purge skipped: the clock disagrees with the records")
        return None
    today = ctx.now().date().isoformat()
    row = ctx.db.conn.execute("SELECT day FROM purges ORDER BY at DESC LIMIT 1").fetchone()
    if row is not None and row[0] == today:
        return None
    return _purge(ctx, None, AUTO)
