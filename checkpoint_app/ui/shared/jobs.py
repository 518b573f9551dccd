"""Slow service calls off the GUI thread, for the screens: the start-up check, backups and the
purge, a restore, creating the site (and the office pages' reports next).

``Jobs.start(key, work, owner=widget)`` runs ``work(progress)`` — or ``work(ctx, progress)``
with ``acting=`` a context: the job gets its own connection (SQLite connections stay on their
thread) acting for the same person as ``acting``, whoever signs on at the gate meanwhile. It
returns a ``Job``: progress (``on_progress(done, total, text)``, at most every
``PROGRESS_EVERY_S``), ``cancel()``, and in the end a result (``on_done``) or one error
(``on_failed``; without it a ``UserError`` shows its sentence and anything else is logged and
announced as a bug, ui/errors.py); a cancelled job calls ``on_cancelled`` if given, nothing else.
Callbacks run on the GUI thread.

- **Tied to the widget that asked**: when ``owner`` is closed or destroyed, its jobs are
  cancelled and detached — no callback reaches it any more.
- **Lanes**: each lane is one worker thread running its jobs in order; the user's work (``USER``)
  and the upkeep (``UPKEEP``: the start-up check, backups, the purge) have one each, so a report
  never waits behind a backup.
- **Once**: starting a key that is queued or running returns that job; nothing new starts.
- **Cancel** is cooperative: the service stops at its next ``progress.step`` (services/progress.py,
  plain Python) or is interrupted inside a long SQLite statement; a queued job never starts.

Why Python threads and not ``QThread``: a ``QThread`` still running when the window closes
aborts the process, and a job in a C call cannot be stopped at once. The workers are daemons:
``shutdown`` cancels everything, waits a moment, then leaves them (SQLite keeps the file whole;
a backup cut short leaves a ``.partial`` file that the next rotation removes).
"""

from __future__ import annotations

import functools
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Signal, Slot

from checkpoint_app.errors import UserError
from checkpoint_app.services.progress import Cancelled, Progress
from checkpoint_app.ui.shared import errors as ui_errors

log = logging.getLogger(__name__)

USER, UPKEEP = "user", "upkeep"
PROGRESS_EVERY_S = 0.05          # a tight loop's steps reach the screen at most 20 times a second


class Job:
    """One piece of work: where it stands, and what the GUI thread calls when it moves."""

    def __init__(self, key: Hashable, lane: str, owner: QObject, work: Callable, acting, progress: Progress,
                 on_done, on_failed, on_cancelled, on_progress) -> None:
        self.key, self.lane, self.owner = key, lane, owner
        self.state = "queued"                 # queued | running | done | failed | cancelled
        self.result: Any = None
        self.error: BaseException | None = None
        self.progress = progress              # its reports go to the GUI thread (Jobs._deliver)
        self._work, self._acting = work, acting
        self._callbacks = {"done": on_done, "failed": on_failed, "cancelled": on_cancelled,
                           "progress": on_progress}
        self._owner_link = None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed", "cancelled")

    @property
    def message(self) -> str | None:
        """The failure as one sentence for the screen (a bug: where the details are)."""
        if self.error is None:
            return None
        return str(self.error) if isinstance(self.error, UserError) else ui_errors.bug_sentence()

    def cancel(self) -> None:
        """Ask it to stop; its end is reported as cancelled (unless it finished first)."""
        self.progress.cancel()

    def detach(self) -> None:
        """No more callbacks (the widget is going), and stop."""
        self._callbacks = {}
        self.cancel()

    def _run(self) -> Any:       # on the worker thread
        if self._acting is None:
            return self._work(self.progress)
        from checkpoint_app.services.context import reopen

        ctx = reopen(self._acting)
        try:
            return self._work(ctx, self.progress)
        finally:
            ctx.close()


class Jobs(QObject):
    """The screens' background work, in lanes (see the module docstring)."""

    _event = Signal(int, str, object)     # job id, state or "progress", payload (worker → GUI thread)
    ended = Signal(object)                # Job, after its callbacks (tests wait on it)
    idle = Signal()                       # no job left

    def __init__(self, name: str = "jobs", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._ids = itertools.count(1)
        self._jobs: dict[int, Job] = {}     # until the worker reports the end: the GUI thread owns them
        self._lanes: dict[str, tuple[queue.Queue, threading.Thread]] = {}
        self._closed = False
        self._event.connect(self._deliver)

    # -- asking -----------------------------------------------------------------------------------
    def start(self, key: Hashable, work: Callable, *, owner: QObject, lane: str = USER, acting=None,
              on_done: Callable[[Any], None] | None = None,
              on_failed: Callable[[BaseException], None] | None = None,
              on_cancelled: Callable[[], None] | None = None,
              on_progress: Callable[[int, int, str], None] | None = None) -> Job:
        running = self.running(key)
        if running is not None:
            return running
        job_id = next(self._ids)
        progress = Progress(_throttled(functools.partial(self._event.emit, job_id, "progress")))
        job = Job(key, lane, owner, work, acting, progress, on_done, on_failed, on_cancelled, on_progress)
        if self._closed:
            job.state = "cancelled"
            return job
        self._jobs[job_id] = job
        job._owner_link = owner.destroyed.connect(functools.partial(self._owner_gone, owner_id=id(owner)))
        owner.installEventFilter(self)
        self._lane(lane)[0].put((job_id, job))
        return job

    def running(self, key: Hashable) -> Job | None:
        """The queued or running job of ``key``, if any."""
        return next((j for j in self._jobs.values() if j.key == key and not j.finished), None)

    @property
    def pending(self) -> int:
        return len(self._jobs)

    def _lane(self, lane: str) -> tuple[queue.Queue, threading.Thread]:
        if lane not in self._lanes:
            q: queue.Queue = queue.Queue()
            thread = threading.Thread(target=self._work, args=(q,), name=f"{self._name}-{lane}", daemon=True)
            self._lanes[lane] = (q, thread)
            thread.start()
        return self._lanes[lane]

    # -- the worker threads -------------------------------------------------------------------------
    def _work(self, q: queue.Queue) -> None:
        while True:
            item = q.get()
            if item is None:
                return
            job_id, job = item
            del item
            if job.progress.cancelled:
                state, payload = "cancelled", None
            else:
                self._emit(job_id, "running", None)
                try:
                    state, payload = "done", job._run()
                except BaseException as exc:  # noqa: BLE001 — handed to the GUI thread
                    if job.progress.cancelled:   # whatever stopping made it raise (an interrupted query)
                        state, payload = "cancelled", None
                    else:
                        if not isinstance(exc, UserError):
                            log.error("%s: job %r failed", self._name, job.key,
                                      exc_info=(type(exc), exc, exc.__traceback__))
                        state, payload = "failed", exc
            # The GUI thread still holds the job (``_jobs``) until this report arrives: whatever Qt
            # objects its closure reaches are released there, never here.
            del job
            if not self._emit(job_id, state, payload):
                return
            del payload

    def _emit(self, job_id: int, state: str, payload: object) -> bool:
        if self._closed:
            return False
        try:
            self._event.emit(job_id, state, payload)
        except RuntimeError:   # the runner is gone (the window closed meanwhile)
            return False
        return True

    # -- on the GUI thread ------------------------------------------------------------------------
    @Slot(int, str, object)
    def _deliver(self, job_id: int, state: str, payload: object) -> None:
        job = self._jobs.get(job_id)
        if job is None:
            return
        if state == "progress":
            self._call(job, "progress", *payload)
            return
        if state == "running":
            if job.state == "queued":
                job.state = "running"
            return
        del self._jobs[job_id]
        job.state = state
        if state == "done":
            job.result = payload
        elif state == "failed":
            job.error = payload
        self._unlink(job)
        try:
            if state == "done":
                self._call(job, "done", payload)
            elif state == "cancelled":
                self._call(job, "cancelled")
            elif job._callbacks.get("failed") is not None:
                self._call(job, "failed", payload)
            elif job._callbacks:      # not detached: the default error tiers
                self._announce(payload)
        finally:
            job._callbacks, job._work, job._acting = {}, None, None
            self.ended.emit(job)
            if not self._jobs:
                self.idle.emit()

    @staticmethod
    def _call(job: Job, what: str, *args) -> None:
        callback = job._callbacks.get(what)
        if callback is not None and shiboken6.isValid(job.owner):
            callback(*args)

    @staticmethod
    def _announce(err: BaseException) -> None:
        if isinstance(err, UserError):
            ui_errors.show_user_error(err)
        elif ui_errors.reraise_bugs:
            raise err
        else:
            ui_errors.notifier().message.emit("bug", ui_errors.bug_sentence())

    def _unlink(self, job: Job) -> None:
        if job._owner_link is not None:
            if shiboken6.isValid(job.owner):
                job.owner.destroyed.disconnect(job._owner_link)
            job._owner_link = None
        if shiboken6.isValid(job.owner) and not any(j.owner is job.owner for j in self._jobs.values()):
            job.owner.removeEventFilter(self)

    def _owner_gone(self, *_args, owner_id: int) -> None:
        for job in self._jobs.values():
            if id(job.owner) == owner_id:
                job.detach()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Close:
            for job in self._jobs.values():
                if job.owner is obj:
                    job.detach()
        return False

    def shutdown(self, wait_s: float = 3.0) -> None:
        """Cancel everything, no more results; wait a little for the running jobs."""
        if self._closed:
            return
        for job in self._jobs.values():
            job.detach()
        self._closed = True
        for q, _thread in self._lanes.values():
            q.put(None)
        deadline = time.monotonic() + wait_s
        for lane, (_q, thread) in self._lanes.items():
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                log.warning("%s: a %s job was still running at shutdown", self._name, lane)
        self._jobs.clear()


def _throttled(report: Callable[[tuple], None]) -> Callable[[int, int, str], None]:
    """A progress hook for the worker: the last step always, others at most every PROGRESS_EVERY_S."""
    last = [0.0]

    def hook(done: int, total: int, text: str = "") -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= PROGRESS_EVERY_S:
            last[0] = now
            report((done, total, text))
    return hook
