"""The background sync with the hub (exchange/sync.py) for the gate and office app: on a timer
(the ``hub_sync_minutes`` setting), in a lane of its own off the GUI thread, with its own
connection, acting as the system; push then pull, each resumable. The status bar says how old
the newest record from each other gate is, refreshed every minute between syncs; a hub that
cannot be reached is a warning there, never a dialog and never a stop. Records refused on arrival
(services/exchange_problems.py: a forked or altered gate), by the hub or by a USB file imported
in the office (``exchanged``; with no hub set too), are a warning there, naming the gates, until
the office's database check page has listed them (``mark_seen``). With no hub set, on a site of
several gates, the line still says how old the newest record this PC holds from each other gate is
(what USB files brought): a guard sees that the office's last revocations may not be here yet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from checkpoint_app.ui.shared.jobs import Jobs

log = logging.getLogger(__name__)

SYNC = "sync"                 # the lane: a slow hub never delays a backup, nor a backup a sync
REFRESH_MS = 60 * 1000        # "3 分钟前" becomes "4 分钟前" without a sync


@dataclass(frozen=True)
class NoHub:
    """No hub set: the other gates' newest records here (USB files) and the records refused since."""
    ages: list            # exchange.sync.GateAge
    refused: object       # exchange_problems.Unseen


def sync_job(data_dir: Path, clock: Callable[[], datetime], seen: int = 0):
    """Runs in the sync lane: (the SyncResult, the records refused since problem ``seen``:
    exchange_problems.Unseen); with no hub set, a :class:`NoHub` (the other gates' ages and those
    refused records — a USB file's), or None on a site of one PC with nothing refused."""
    from checkpoint_app.exchange import sync
    from checkpoint_app.services import exchange_problems
    from checkpoint_app.services.context import open_gate

    ctx = open_gate(data_dir, clock=clock).as_system()
    try:
        if not ctx.settings["hub_url"]:
            refused = exchange_problems.unseen(ctx, seen)
            ages = sync.others_newest(ctx)
            return NoHub(ages, refused) if refused.count or ages else None
        result = sync.sync(ctx)
        return result, exchange_problems.unseen(ctx, seen)
    finally:
        ctx.close()


def refused_job(data_dir: Path, clock: Callable[[], datetime], seen: int) -> NoHub:
    """Runs in the sync lane after a USB import: the records refused since problem ``seen``, and
    the other gates' newest records here (what the file may have brought)."""
    from checkpoint_app.exchange import sync
    from checkpoint_app.services import exchange_problems
    from checkpoint_app.services.context import open_gate

    ctx = open_gate(data_dir, clock=clock).as_system()
    try:
        return NoHub(sync.others_newest(ctx), exchange_problems.unseen(ctx, seen))
    finally:
        ctx.close()


class HubSync(QObject):
    status = Signal(str, str)          # level (ok | warning | off), sentence for the status bar
    synced = Signal(object)            # SyncResult or None (tests wait on it)
    checked = Signal(object)           # exchange_problems.Unseen after an exchange in the office (tests wait on it)

    def __init__(self, data_dir: Path, clock: Callable[[], datetime], jobs: Jobs, *,
                 minutes: Callable[[], int], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir, self._clock, self._jobs, self._minutes = Path(data_dir), clock, jobs, minutes
        self.last = None
        self.seen = 0                  # the newest refused record the office has listed
        self.refused = None            # exchange_problems.Unseen above ``seen`` after the last sync or import
        self.off = False               # the last sync found no hub set
        self.usb_ages = []             # no hub: the other gates' newest records here (GateAge)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.sync_now)
        self._refresh = QTimer(self)
        self._refresh.timeout.connect(self._show)

    def start(self) -> None:
        self.sync_now()
        self._timer.start(max(1, self._minutes()) * 60 * 1000)
        self._refresh.start(REFRESH_MS)

    def stop(self) -> None:
        self._timer.stop()
        self._refresh.stop()

    def sync_now(self) -> None:
        data_dir, clock, seen = self._data_dir, self._clock, self.seen
        self._jobs.start("hub sync", lambda _progress: sync_job(data_dir, clock, seen), owner=self, lane=SYNC,
                         on_done=self._done, on_failed=self._failed)

    def exchanged(self, result=None) -> None:
        """The office imported a USB file (``result`` None) or synced itself (its SyncResult):
        the records refused since the office last listed them turn the line amber, as after a sync."""
        if result is not None:
            self.last, self.off = result, False
            self._show()
        data_dir, clock, seen = self._data_dir, self._clock, self.seen
        self._jobs.start("refused check", lambda _progress: refused_job(data_dir, clock, seen), owner=self,
                         lane=SYNC, on_done=self._refused, on_failed=lambda err: log.warning("refused check: %s", err))

    def _refused(self, done: NoHub) -> None:
        refused = done.refused
        self.refused = refused if refused.count and refused.last_id > self.seen else None
        if self.last is None:          # no hub: the file may have brought newer records of other gates
            self.usb_ages = done.ages
        self._show()
        self.checked.emit(refused)

    def mark_seen(self, last_id: int) -> None:
        """The office listed the refused records up to problem ``last_id``: no longer a warning."""
        self.seen = max(self.seen, last_id)
        if self.refused is not None and self.refused.last_id <= self.seen:
            self.refused = None
            self._show()

    def _done(self, done) -> None:
        result = None
        if done is None:
            self.off, self.last, self.refused, self.usb_ages = True, None, None, []
            self.status.emit("off", "")
        elif isinstance(done, NoHub):
            self.off, self.last, self.usb_ages = True, None, done.ages
            self.refused = done.refused if done.refused.count and done.refused.last_id > self.seen else None
            self._show()
        else:
            result, refused = done
            self.last, self.off = result, result is None
            self.refused = refused if refused.count and refused.last_id > self.seen else None
            interval = max(1, self._minutes()) * 60 * 1000
            if self._timer.isActive() and self._timer.interval() != interval:
                self._timer.start(interval)   # the setting changed meanwhile
            self._show()
        self.synced.emit(result)

    def _show(self) -> None:
        from checkpoint_app.exchange.sync import ages_text

        if self.last is None:          # no hub (or none reached yet): only what USB files brought
            ages = self.tr("{ages}（U 盘交换）").format(ages=ages_text(self._clock(), self.usb_ages)) \
                if self.usb_ages else ""
            if self.refused is not None:
                self.status.emit("warning", " · ".join(t for t in (self._refused_text(), ages) if t))
            elif ages:
                self.status.emit("ok", ages)
            elif self.off:
                self.status.emit("off", "")
            return
        ages = ages_text(self._clock(), self.last.ages)
        # The ages first: at 1024 px the bar elides the line's end, and "已同步 HH:MM：…" alone
        # told the guard nothing of the other gates.
        text = (self.tr("{ages}（已同步 {time}）").format(time=f"{self.last.at:%H:%M}", ages=ages)
                if ages else self.tr("已同步 {time}").format(time=f"{self.last.at:%H:%M}"))
        if self.refused is None:
            self.status.emit("ok", text)
            return
        self.status.emit("warning", f"{self._refused_text()} · {text}")

    def _refused_text(self) -> str:
        return self.tr("{n} 条记录被拒收（{gates}），见“数据库检查”").format(
            n=self.refused.count, gates=self.tr("、").join(self.refused.gates))

    def _failed(self, err: BaseException) -> None:
        log.warning("hub sync failed: %s", err)
        since = self.tr("，上次同步 {time}").format(time=f"{self.last.at:%H:%M}") if self.last else ""
        self.status.emit("warning", self.tr("未能同步：{why}{since}").format(why=err, since=since))
        self.synced.emit(err)
