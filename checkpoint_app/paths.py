"""Where things live: the data folder, the log folder, the bundled assets."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from checkpoint_app import APP_NAME

DB_FILENAME = "checkpoint.sqlite3"


def default_data_dir() -> Path:
    env = os.environ.get("CHECKPOINT_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs  # here, not at the top: it is not needed before the gate's first paint

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    env = os.environ.get("CHECKPOINT_LOG_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file(data_dir: Path | None = None) -> Path:
    """The log file of a data folder, named after the folder and a hash of its full path, so
    that two folders never share a log. Asks nothing but ``log_dir`` (the gate app makes its log
    file while scans may be arriving: no extra imports here)."""
    import hashlib
    import re

    full = str(Path(data_dir if data_dir is not None else default_data_dir()).absolute())
    name = re.sub(r"[^\w.-]", "_", Path(full).name)[:30] or "data"
    digest = hashlib.sha256(full.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return log_dir() / f"checkpoint-{name}-{digest}.log"


def db_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_FILENAME


def asset_dir() -> Path:
    """The assets folder, also when frozen by PyInstaller (``sys._MEIPASS``)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "assets"
    return Path(__file__).resolve().parent.parent / "assets"


def asset(*parts: str) -> Path:
    return asset_dir().joinpath(*parts)
