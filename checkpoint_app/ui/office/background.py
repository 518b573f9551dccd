"""Background work for the office pages: one small adapter over ui/shared/jobs.py.

The pages never call the job runner directly, so the runner can change in one place. A job gets
its own ``GateContext`` (SQLite connections stay in their thread) acting for the same person
(``Jobs`` reopens the acting context), cannot be started twice while it runs (``busy``), and its
callbacks stop when the office closes (the jobs are tied to this object, a child of the shell).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from checkpoint_app.services.context import GateContext
from checkpoint_app.ui.shared.jobs import UPKEEP, USER, Jobs


class Background(QObject):
    """Runs ``job(ctx)`` off the GUI thread; ``done``/``failed`` are called on the GUI thread."""

    idle = Signal()

    def __init__(self, ctx: GateContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._jobs = Jobs("checkpoint-office", self)
        self._jobs.idle.connect(self.idle)

    def busy(self, name: str) -> bool:
        return self._jobs.running(name) is not None

    def run(self, name: str, job: Callable[..., Any], done: Callable[[Any], None] | None = None,
            failed: Callable[[BaseException], None] | None = None,
            progress: Callable[[int, int, str], None] | None = None, lane: str = USER) -> bool:
        """False (and nothing started) when a job of that name is still running. Without
        ``failed`` an error goes the two tiers' way (ui/shared/errors.py). With ``progress`` the job is
        called ``job(ctx, progress)`` and its steps reach ``progress`` on the GUI thread. The job
        no longer counts as running when its callback is called (the callback may start the next one).
        ``lane``: a page whose reads must not queue behind the other pages' work runs them on a
        lane (a worker thread) of its own."""
        if self.busy(name):
            return False
        work = job if progress is not None else (lambda ctx, _progress: job(ctx))
        self._jobs.start(name, work, owner=self, acting=self.ctx, lane=lane, on_done=done, on_failed=failed,
                         on_progress=progress)
        return True

    def track(self, name: str, job: Callable[[GateContext, Any], Any], *, done: Callable[[Any], None],
              progress: Callable[[int, int, str], None], cancelled: Callable[[], None],
              failed: Callable[[BaseException], None] | None = None):
        """A long job with progress and a cancel (``job(ctx, progress)``), on the upkeep lane so
        that the pages' short reads do not wait behind it; the ``Job`` (``cancel()``)."""
        return self._jobs.start(name, job, owner=self, acting=self.ctx, lane=UPKEEP, on_done=done,
                                on_failed=failed, on_cancelled=cancelled, on_progress=progress)

    def shutdown(self) -> None:
        self._jobs.shutdown()
