"""How far a long service call has got, and a way to ask it to stop: plain Python, no Qt.

A service that may take long takes ``progress: Progress | None``. It calls ``progress.step(done,
total, text)`` between units of work (which raises ``Cancelled`` once a cancel was asked: the
service stops there, leaving nothing half-written, as it would for any other error), and may
register what interrupts a step that cannot check by itself (``while_running(conn.interrupt)``:
SQLite's ``quick_check`` is one statement of minutes). ``ui/shared/jobs.py`` makes one per job, reports
the steps to the widget that started it and cancels it when asked or when that widget goes; the
command line passes none.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

from checkpoint_app.errors import UserError
from checkpoint_app.i18n import Messages

_ = Messages({
    "cancelled": ("已取消。", "Cancelled."),
})


class Cancelled(UserError):
    """The work stopped because a cancel was asked (not a failure: nothing to announce)."""

    def __init__(self) -> None:
        super().__init__(_("cancelled"), "cancelled")


class Progress:
    """One job's progress reports and its cancel flag; ``report`` is called on the worker thread."""

    def __init__(self, report: Callable[[int, int, str], None] | None = None) -> None:
        self._report = report
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._interrupts: list[Callable[[], None]] = []

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the work to stop (any thread): the next ``step`` or ``check`` raises ``Cancelled``,
        and a step that cannot check (see ``while_running``) is interrupted now."""
        with self._lock:
            self._cancel.set()
            for interrupt in self._interrupts:
                interrupt()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def step(self, done: int, total: int, text: str = "") -> None:
        self.check()
        if self._report is not None:
            self._report(done, total, text)

    @contextlib.contextmanager
    def while_running(self, interrupt: Callable[[], None]) -> Iterator[None]:
        """Within the block, a cancel also calls ``interrupt`` (e.g. ``sqlite3.Connection.interrupt``,
        safe from another thread while the connection is open: it is unregistered before it
        closes). A cancel asked before the block interrupts at once."""
        with self._lock:
            self._interrupts.append(interrupt)
            if self._cancel.is_set():
                interrupt()
        try:
            yield
        finally:
            with self._lock:
                self._interrupts.remove(interrupt)


def step(progress: Progress | None, done: int, total: int, text: str = "") -> None:
    """``progress.step`` for services whose caller may pass no ``Progress``."""
    if progress is not None:
        progress.step(done, total, text)


def while_running(progress: Progress | None, interrupt: Callable[[], None]):
    """``progress.while_running`` for services whose caller may pass no ``Progress``."""
    return progress.while_running(interrupt) if progress is not None else contextlib.nullcontext()
