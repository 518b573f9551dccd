"""Logging set-up: configured once, a rotating file in the user log folder.

The gate app starts with ``hold``: records are kept in memory, and the file handler (which loads
``logging.handlers`` and ``platformdirs``, ~10 ms) is made a second after the window is up, when
the held records are written to it in order. An error record does not wait: it configures at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

_configured = False
HELD_MAX = 2000


class _Held(logging.Handler):
    def __init__(self, on_error: Callable[[], None] | None) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.dropped = 0
        self.on_error = on_error

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < HELD_MAX:
            self.records.append(record)
        else:
            self.dropped += 1
        if record.levelno >= logging.ERROR and self.on_error is not None:
            on_error, self.on_error = self.on_error, None
            on_error()


_held: _Held | None = None


def hold(log_dir: Callable[[], Path | None], *, level: int = logging.INFO) -> None:
    """Keep records in memory until ``configure``; ``log_dir`` is asked only if an error comes first."""
    global _held
    if _configured or _held is not None:
        return
    _held = _Held(lambda: configure(log_dir(), level=level))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(_held)


def configure(log_dir: Path | None = None, *, level: int = logging.INFO, stderr: bool = False) -> None:
    global _configured, _held
    if _configured:
        return
    _configured = True
    import logging.handlers

    root = logging.getLogger()
    root.setLevel(level)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                log_dir / "checkpoint.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
            )
            handler.setFormatter(fmt)
            root.addHandler(handler)
        except OSError:
            # A log folder we cannot write must never stop the gate.
            pass
    if stderr:
        h = logging.StreamHandler()
        h.setFormatter(fmt)
        h.setLevel(logging.WARNING)
        root.addHandler(h)
    held, _held = _held, None
    if held is not None:
        root.removeHandler(held)
        if held.dropped:
            held.records.append(logging.LogRecord(
                __name__, logging.WARNING, __file__, 0, "%d log records of the start were dropped",
                (held.dropped,), None))
        for record in held.records:
            for h in root.handlers:
                if record.levelno >= h.level:
                    h.handle(record)
