"""Background work for the office pages: one small adapter over ui/tasks.py.

The pages never call the task runner directly, so the runner can be swapped for another (a jobs
module) in one place. A job gets its own ``GateContext`` (SQLite connections stay in their thread)
acting for the same person, and cannot be started twice while it runs (``busy``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from checkpoint_app.services.context import GateContext, open_gate
from checkpoint_app.ui.errors import guarded
from checkpoint_app.ui.tasks import TaskRunner


def own_context(ctx: GateContext) -> GateContext:
    """A context of its own on the same data folder, acting for the same user and role."""
    opened = open_gate(ctx.data_dir, clock=ctx.clock)
    opened.user, opened.role = ctx.user, ctx.role
    return opened


def acting(ctx: GateContext, user: str, role: str) -> GateContext:
    """The gate's context acting for an office user (same connection, same thread)."""
    return replace(ctx, user=user, role=role)


class Background(QObject):
    """Runs ``job(ctx)`` off the GUI thread; ``done``/``failed`` are called on the GUI thread."""

    idle = Signal()

    def __init__(self, ctx: GateContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._runner = TaskRunner("checkpoint-office", self)
        self._runner.idle.connect(self.idle)
        self._running: dict[int, str] = {}

    def busy(self, name: str) -> bool:
        return name in self._running.values()

    def run(self, name: str, job: Callable[[GateContext], Any], done: Callable[[Any], None] | None = None,
            failed: Callable[[BaseException], None] | None = None) -> bool:
        """False (and nothing started) when a job of that name is still running. Without
        ``failed`` an error goes the two tiers' way (ui/errors.py). The job no longer counts as
        running when its callback is called (the callback may start the next one)."""
        if name in self._running.values():
            return False
        ctx = self.ctx
        job_id = 0

        def work() -> Any:
            own = own_context(ctx)
            try:
                return job(own)
            finally:
                own.close()

        def ended(callback: Callable[[Any], None] | None) -> Callable[[Any], None]:
            def call(value: Any) -> None:
                self._running.pop(job_id, None)
                if callback is not None:
                    callback(value)
            return call

        job_id = self._runner.submit(work, ended(done), ended(failed or guarded(_raise)))
        if job_id > 0:
            self._running[job_id] = name
        return job_id > 0

    def shutdown(self) -> None:
        self._runner.shutdown()


def _raise(err: BaseException) -> None:
    raise err
