"""Slow service calls off the GUI thread: the start-up check, backups, the purge, a restore.

One helper for all of them (CONVENTIONS: slow work through one helper). Each job is a plain
function that opens what it needs itself (its own ``GateContext``: SQLite connections are not
shared between threads) and returns a value; ``on_done`` / ``on_failed`` are then called on the
GUI thread. A failure defaults to the two error tiers (``ui/errors.py``): a ``UserError`` is
shown as its sentence, anything else is logged and announced as a bug.

Why a Python thread and not a ``QThread`` like the board's: a job cannot be interrupted (a
``quick_check`` of a 10 M-passage file reads 7 GB, about two minutes on a cheap disk), and a
``QThread`` still running when the window closes aborts the process. This thread is a daemon:
closing the app waits a moment for the job, then leaves it (SQLite keeps the file whole; a
backup cut short leaves a ``.partial`` file that the next rotation removes).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from checkpoint_app.errors import UserError
from checkpoint_app.ui import errors as ui_errors

log = logging.getLogger(__name__)


class TaskRunner(QObject):
    """Runs submitted functions one after the other in one worker thread."""

    finished = Signal(int, bool, object)    # job id, succeeded, result or exception (GUI thread)
    idle = Signal()                         # nothing left to run (tests wait on it)

    def __init__(self, name: str = "tasks", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._callbacks: dict[int, tuple[Callable | None, Callable | None, Callable]] = {}
        self._next_id = 0
        self._closed = False
        # Emitted from the worker thread; delivered (queued) on the GUI thread, where self lives.
        self.finished.connect(self._deliver)

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def submit(self, job: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
               on_failed: Callable[[BaseException], None] | None = None) -> int:
        if self._closed:
            return -1
        self._next_id += 1
        self._callbacks[self._next_id] = (on_done, on_failed, job)
        self._queue.put((self._next_id, job))
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name=self._name, daemon=True)
            self._thread.start()
        return self._next_id

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            job_id, job = item
            del item
            try:
                outcome = (True, job())
            except BaseException as exc:  # noqa: BLE001 — handed to the GUI thread
                if not isinstance(exc, UserError):
                    log.error("%s: job failed", self._name, exc_info=(type(exc), exc, exc.__traceback__))
                outcome = (False, exc)
            # The GUI thread holds the job too (``_callbacks``): whatever Qt objects its closure
            # reaches are released there, never here (Qt objects must die in their own thread).
            del job
            if not self._closed:
                try:
                    self.finished.emit(job_id, *outcome)
                except RuntimeError:   # the runner is gone (the window closed meanwhile)
                    return
            del outcome

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, result: object) -> None:
        on_done, on_failed, _job = self._callbacks.pop(job_id, (None, None, None))
        try:
            if ok:
                if on_done is not None:
                    on_done(result)
            elif on_failed is not None:
                on_failed(result)
            elif isinstance(result, UserError):
                ui_errors.show_user_error(result)
            elif ui_errors.reraise_bugs:
                raise result
            else:
                ui_errors.notifier().message.emit("bug", ui_errors.bug_sentence())
        finally:
            if not self._callbacks:
                self.idle.emit()

    def shutdown(self, wait_s: float = 3.0) -> None:
        """No more results; wait a little for the running job (see the module docstring)."""
        if self._closed:
            return
        self._closed = True
        self._callbacks.clear()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(wait_s)
            if self._thread.is_alive():
                log.warning("%s: a job was still running at shutdown", self._name)
