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
_file: Path | None = None       # the log file, once configured
HELD_MAX = 2000


def log_file() -> Path | None:
    """The file this process logs into (None before ``configure`` or when it could not be made)."""
    return _file


class _Held(logging.Handler):
    def __init__(self, on_error: Callable[[], None] | None) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] | None = []
        self.forward: list[logging.Handler] = []
        self.dropped = 0
        self.on_error = on_error

    def emit(self, record: logging.LogRecord) -> None:
        # Called with the handler's lock held (logging.Handler.handle): ``configure`` takes the
        # same lock to take the records, so none is appended after they were written out.
        if self.records is None:
            # configure has taken the records and removed this handler while this thread waited
            # for the lock: its loop over the root's handlers has passed the file handler (which
            # took this one's place in the list), so the record is handed on here.
            for h in self.forward:
                if record.levelno >= h.level:
                    h.handle(record)
            return
        if len(self.records) < HELD_MAX:
            self.records.append(record)
        else:
            self.dropped += 1
        if record.levelno >= logging.ERROR and self.on_error is not None:
            on_error, self.on_error = self.on_error, None
            try:
                on_error()
            except Exception:  # noqa: BLE001 (logging must never raise into the caller)
                self.handleError(record)


_held: _Held | None = None


def hold(log_dir: Callable[[], Path | None], *, level: int = logging.INFO,
         file_name: Callable[[], str] | str = "checkpoint.log") -> None:
    """Keep records in memory until ``configure``; ``log_dir`` is asked only if an error comes first."""
    global _held
    if _configured or _held is not None:
        return
    _held = _Held(lambda: configure(log_dir(), level=level,
                                    file_name=file_name() if callable(file_name) else file_name))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(_held)


def configure(log_dir: Path | None = None, *, level: int = logging.INFO, stderr: bool = False,
              file_name: str = "checkpoint.log") -> None:
    global _configured, _held
    global _file
    if _configured:
        return
    _configured = True
    import logging.handlers

    root = logging.getLogger()
    root.setLevel(level)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    added: list[logging.Handler] = []
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                log_dir / file_name, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
            )
            handler.setFormatter(fmt)
            added.append(handler)
            _file = log_dir / file_name
        except OSError:
            # A log folder we cannot write must never stop the gate.
            pass
    if stderr:
        h = logging.StreamHandler()
        h.setFormatter(fmt)
        h.setLevel(logging.WARNING)
        added.append(h)
    held, _held = _held, None
    if held is None:
        for h in added:
            root.addHandler(h)
        return
    # Under the held handler's lock (another thread logging now waits on it, before it reaches the
    # new handlers, which come after it in the root's list): the new handlers go on, the held
    # records are taken and written to them only (others, if any, had them already), in order.
    held.acquire()
    try:
        for h in added:
            root.addHandler(h)
        records, held.records, held.forward = held.records or [], None, added
        root.removeHandler(held)
        if held.dropped:
            records.append(logging.LogRecord(__name__, logging.WARNING, __file__, 0,
                                             "%d log records of the start were dropped", (held.dropped,), None))
        for record in records:
            for h in added:
                if record.levelno >= h.level:
                    h.handle(record)
    finally:
        held.release()
