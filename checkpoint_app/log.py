"""Logging set-up: configured once, a rotating file in the user log folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

_configured = False


def configure(log_dir: Path | None = None, *, level: int = logging.INFO, stderr: bool = False) -> None:
    global _configured
    if _configured:
        return
    _configured = True
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
