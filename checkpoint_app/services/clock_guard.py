"""Clock sanity: a gate PC's clock is checked against the newest record of this gate.

Cheap PCs lose their clock: a dead CMOS battery boots at 2000-01-01, a bad sync jumps years
ahead. Records are ordered by ``origin_seq``, but their times are what the daily logs, quotas
and the auditor read, so a record must not silently carry a time before the one it follows.

States:
- ``ok``;
- ``implausible``: before ``MIN_PLAUSIBLE`` or before the site was set up. Cannot be
  acknowledged: the clock must be set right;
- ``behind``: earlier than this gate's newest record by more than ``TOLERANCE``;
- ``far_ahead``: later than the newest record by more than ``MAX_AHEAD``.

``behind`` and ``far_ahead`` can be acknowledged by the person at the gate ("the clock is
right"): the acknowledgement is itself recorded (an incident naming who, the clock and the
newest record), so nothing is written out of order silently. After it the newest record is the
acknowledgement, so the check passes again.

Services call ``require_sane(ctx, conn)`` inside their write transaction; the GUI calls
``check(ctx)`` at start and on a timer to show the warning before the guard's next scan.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from checkpoint_app.db import records
from checkpoint_app.errors import RuleRefusal
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

log = logging.getLogger(__name__)

_ = Messages({
    "implausible": ("电脑时钟显示 {now}，明显有误（主板电池耗尽？），请先校准时钟，暂停登记。",
                    "The PC clock says {now}, which cannot be right (flat CMOS battery?): set the clock before recording."),
    "behind": ("电脑时钟显示 {now}，早于本门岗最新记录的时间 {newest}；请核对时钟，确认无误后再登记。",
               "The PC clock says {now}, before this gate's newest record at {newest}: check the clock and confirm before recording."),
    "far_ahead": ("电脑时钟显示 {now}，比本门岗最新记录（{newest}）晚 {days} 天以上；请核对时钟，确认无误后再登记。",
                  "The PC clock says {now}, more than {days} days after this gate's newest record ({newest}): check the clock and confirm before recording."),
    "not_ackable": ("时钟明显有误，不能确认，请先校准时钟。", "The clock is plainly wrong and cannot be confirmed: set it first."),
    "nothing": ("时钟正常，无需确认。", "The clock is fine; there is nothing to confirm."),
})

MIN_PLAUSIBLE = datetime(2020, 1, 1)
TOLERANCE = timedelta(minutes=2)        # clock slews and a guard's own correction
# A clock that jumped ahead is usually years off; a compound's gate is rarely shut for more than
# a month, and one that was is asked once to confirm.
MAX_AHEAD = timedelta(days=45)


@dataclass(frozen=True)
class ClockStatus:
    state: str                    # ok | implausible | behind | far_ahead
    now: datetime
    newest: datetime | None       # time of this gate's newest record
    newest_uid: str | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "ok"

    @property
    def can_acknowledge(self) -> bool:
        return self.state in ("behind", "far_ahead")


class ClockSuspect(RuleRefusal):
    """The clock disagrees with the records; ``status`` says how."""

    def __init__(self, status: ClockStatus) -> None:
        super().__init__(status.message, f"clock_{status.state}")
        self.status = status


def _fmt(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M")


def _naive(when: datetime) -> datetime:
    return when.replace(tzinfo=None) if when.tzinfo is None else when.astimezone().replace(tzinfo=None)


def check(ctx: GateContext, conn: sqlite3.Connection | None = None, *, now: datetime | None = None) -> ClockStatus:
    """Compare the clock with this gate's newest record (by ``origin_seq``) and the site's age."""
    conn = conn or ctx.db.conn
    now = now or ctx.now()
    row = conn.execute("SELECT at, uid FROM journal WHERE origin = ? ORDER BY origin_seq DESC LIMIT 1",
                       (ctx.gate.uid,)).fetchone()
    newest = datetime.fromisoformat(row[0]) if row else None
    uid = row[1] if row else None
    site_created = _site_created(ctx)
    n = _naive(now)
    if n < MIN_PLAUSIBLE or (site_created is not None and n < _naive(site_created) - timedelta(days=1)):
        return ClockStatus("implausible", now, newest, uid, _("implausible", now=_fmt(now)))
    if newest is not None:
        ref = _naive(newest) if newest.tzinfo is None or now.tzinfo is None else newest
        cur = n if ref.tzinfo is None else now
        if cur < ref - TOLERANCE:
            return ClockStatus("behind", now, newest, uid, _("behind", now=_fmt(now), newest=_fmt(newest)))
        if cur > ref + MAX_AHEAD:
            return ClockStatus("far_ahead", now, newest, uid,
                               _("far_ahead", now=_fmt(now), newest=_fmt(newest), days=MAX_AHEAD.days))
    return ClockStatus("ok", now, newest, uid)


def _site_created(ctx: GateContext) -> datetime | None:
    try:
        return datetime.fromisoformat(ctx.site.created_at)
    except (TypeError, ValueError):
        return None


def require_sane(ctx: GateContext, conn: sqlite3.Connection | None = None) -> ClockStatus:
    """Raise ``ClockSuspect`` unless the clock agrees with the records. Call inside the write
    transaction, before appending, so the check and the write see the same newest record."""
    status = check(ctx, conn)
    if not status.ok:
        log.warning("clock refused: %s (newest record %s)", status.now, status.newest)
        raise ClockSuspect(status)
    return status


def acknowledge(ctx: GateContext, note: str = "") -> str:
    """The person at the gate confirms the clock is right: recorded as an incident that names
    them, the clock and the newest record. Returns the incident's uid. Only roles that record
    at the gate may confirm (an auditor or an admin sets the clock instead)."""
    require(ctx, "record_passage")
    note = " ".join(str(note).split())[:200]
    with ctx.db.write() as conn:
        status = check(ctx, conn)
        if status.state == "implausible":
            raise RuleRefusal(_("not_ackable"), "clock_implausible")
        if status.ok:
            raise RuleRefusal(_("nothing"), "clock_ok")
        text = (f"clock {status.now.isoformat(timespec='seconds')} vs newest record "
                f"{status.newest.isoformat(timespec='seconds') if status.newest else '-'}")
        appended = records.append(conn, "incident", {
            "category": f"clock_{status.state}", "subject_uid": status.newest_uid, "reason": status.state,
            "note": f"{text}; {note}" if note else text, "recorded_by": ctx.user}, origin=ctx.gate.uid,
            at=status.now)
    log.warning("clock %s acknowledged by %s: %s", status.state, ctx.user, text)
    return appended.uid
