"""Automatic upkeep of the gate, off the GUI thread: backups at start, after each handover and
daily, the privacy purge at start and daily (services/backup.py, services/privacy.py), and
yesterday's daily logs at the first start (or hourly check) after midnight when they are not
made yet (services/daily_logs.py ``make_if_missing``): the status bar says where they are. On a PC
that holds other gates' records, the same checks make the whole compound's logs of a past day once
every gate's records of it are here, or after a few days as they are
(``make_compound_when_complete``); until then the status bar names the gates waited for.

Each job opens its own context on the data folder and closes it. A folder problem (the USB
stick unplugged) is a warning in the status bar, never a dialog and never a stop: scanning goes
on whatever happens here. The purge is skipped while the clock disagrees with the records: a
clock years ahead would otherwise delete every visitor's details as "expired".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from checkpoint_app.services.progress import Progress, step
from checkpoint_app.ui.shared.jobs import UPKEEP, Jobs

log = logging.getLogger(__name__)

DAILY_CHECK_MS = 60 * 60 * 1000     # every hour: is today's copy there yet?


@dataclass
class UpkeepResult:
    reason: str
    at: datetime
    copies: int = 0
    warnings: list[str] = field(default_factory=list)
    purged: int | None = None          # visitors whose personal data went; None: no purge ran
    skipped: bool = False              # daily: today's copy was already there
    daily_logs: Path | None = None     # the folder yesterday's logs were just made in
    daily_logs_error: str | None = None
    compound: list = field(default_factory=list)   # daily_logs.CompoundDay: made just now, or waiting
    compound_error: str | None = None


def upkeep_job(data_dir: Path, clock: Callable[[], datetime], reason: str, *, purge: bool,
               progress: Progress | None = None) -> UpkeepResult:
    """Runs in the upkeep lane, as the system: the purge (when due and the clock is sane), then
    a backup; a cancel (the app closing) stops it between the two."""
    from checkpoint_app.services import backup, clock_guard, privacy
    from checkpoint_app.services.context import open_gate

    ctx = open_gate(data_dir, clock=clock).as_system()
    try:
        result = UpkeepResult(reason, ctx.now())
        if reason in ("start", "daily"):
            _yesterdays_logs(ctx, result)
            _compound_logs(ctx, result, progress)
        step(progress, 0, 2)
        if purge:
            if clock_guard.check(ctx).ok:
                done = privacy.purge_if_due(ctx)
                result.purged = done.purged if done is not None else None
            else:
                log.warning("privacy purge skipped: the clock disagrees with the records")
        step(progress, 1, 2)
        if reason == "daily" and not backup.daily_due(ctx):
            result.skipped = True
            return result
        made = backup.auto_backup(ctx, reason)
        result.copies = len(made.copies)
        result.warnings = list(made.warnings)
        return result
    finally:
        ctx.close()


def _yesterdays_logs(ctx, result: UpkeepResult) -> None:
    """Yesterday's logs, unless made already; a failure is said, never stops the upkeep."""
    from datetime import timedelta

    from checkpoint_app.errors import UserError
    from checkpoint_app.services import clock_guard, daily_logs

    if not clock_guard.check(ctx).ok:
        return
    yesterday = ctx.now().date() - timedelta(days=1)
    try:
        made = daily_logs.make_if_missing(ctx, yesterday)
    except UserError as err:
        result.daily_logs_error = str(err)
        return
    if made:
        result.daily_logs = made[0].parent


def _compound_logs(ctx, result: UpkeepResult, progress: Progress | None) -> None:
    """The whole compound's logs of the past days that can be complete now; a failure is said, a
    cancel (the app closing) stops the child after the log it is signing."""
    from checkpoint_app.errors import UserError
    from checkpoint_app.services import clock_guard, daily_logs
    from checkpoint_app.services.progress import Cancelled

    if not clock_guard.check(ctx).ok:
        return
    try:
        result.compound = daily_logs.make_compound_when_complete(ctx, progress)
    except Cancelled:
        raise
    except UserError as err:
        result.compound_error = str(err)


class Upkeep(QObject):
    status = Signal(str, str)          # level (ok | warning | bad), sentence for the status bar
    done = Signal(object)              # UpkeepResult (tests wait on it)

    def __init__(self, data_dir: Path, clock: Callable[[], datetime], jobs: Jobs,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = Path(data_dir)
        self._clock = clock
        self._jobs = jobs
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.daily)
        self.last: UpkeepResult | None = None

    def start(self) -> None:
        """After the start-up check said the file is whole: purge, back up, then hourly checks."""
        self._stopped = False
        self._submit("start", purge=True)
        self._timer.start(DAILY_CHECK_MS)

    def after_handover(self, _signed=None) -> None:
        self._submit("handover", purge=False)

    def daily(self) -> None:
        self._submit("daily", purge=True)

    def stop(self) -> None:
        self._stopped = True
        self._timer.stop()

    def _submit(self, reason: str, *, purge: bool) -> None:
        if self._stopped:
            return
        data_dir, clock = self._data_dir, self._clock
        self._jobs.start(("upkeep", reason), lambda progress: upkeep_job(data_dir, clock, reason, purge=purge,
                                                                         progress=progress),
                         owner=self, lane=UPKEEP, on_done=self._finished, on_failed=self._failed)

    def _finished(self, result: UpkeepResult) -> None:
        self.last = result
        said: list[tuple[str, str]] = []           # (level, sentence), shown together
        if result.daily_logs is not None:
            said.append(("ok", self.tr("已自动生成昨日日志：{folder}").format(folder=result.daily_logs)))
        elif result.daily_logs_error:
            said.append(("warning", self.tr("昨日日志未能生成：{why}").format(why=result.daily_logs_error)))
        # the service's sentences, in the app's language: of the days just made one (a short one
        # first), of the days waited for the oldest (the logs page tells each day)
        made = [d for d in result.compound if d.made is not None]
        if made:
            day = next((d for d in reversed(made) if d.missing), made[-1])
            said.append(("warning" if day.missing else "ok", day.sentence()))
        waiting = [d for d in result.compound if d.made is None]
        if waiting:
            said.append(("ok", waiting[0].sentence()))
        if result.compound_error:
            said.append(("warning", self.tr("全小区日志未能生成：{why}").format(why=result.compound_error)))
        if not result.skipped:
            when = f"{result.at:%H:%M}"
            if result.copies and not result.warnings:
                said.append(("ok", self.tr("已备份 {time}（{n} 份）").format(time=when, n=result.copies)))
            elif result.copies:
                said.append(("warning", self.tr("已备份 {time}，但：{warning}").format(
                    time=when, warning=result.warnings[0])))
            else:
                why = result.warnings[0] if result.warnings else ""
                said.append(("bad", self.tr("备份失败：{why}").format(why=why)))
        if said:
            # The bar elides the line's end at 1024 px (a folder path is long): what matters most
            # first — a failure or a warning, then the backup (the line's usual news), then the rest.
            backup = said[-1] if not result.skipped else None
            said.sort(key=lambda s: (("bad", "warning", "ok").index(s[0]), s is not backup))
            level = next((lv for lv in ("bad", "warning") if any(x == lv for x, _t in said)), "ok")
            self.status.emit(level, "；".join(text for _lv, text in said))
        self.done.emit(result)

    def _failed(self, err: BaseException) -> None:
        log.error("upkeep failed: %s", err)
        self.status.emit("bad", self.tr("备份失败：{why}").format(why=err))
