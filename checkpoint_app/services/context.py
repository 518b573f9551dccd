"""The open gate: database, site, this gate, settings, keys and the clock.

Every service takes a ``GateContext``; the GUI and the CLI each open one and call the same
services with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from checkpoint_app import paths
from checkpoint_app.db import site_repo
from checkpoint_app.db.connection import Database, open_database
from checkpoint_app.domain.rules import GateRules
from checkpoint_app.errors import NotInitialised
from checkpoint_app.i18n import Messages
from checkpoint_app.settings import gate_rules

log = logging.getLogger(__name__)

_ = Messages({
    "not_init": ("数据目录 {dir} 尚未初始化，请先运行 checkpoint init。",
                 "The data folder {dir} is not set up yet; run checkpoint init first."),
})


def system_clock() -> datetime:
    return datetime.now().astimezone()


@dataclass
class GateContext:
    db: Database
    data_dir: Path
    site: site_repo.Site
    gate: site_repo.Gate
    settings: dict[str, Any]
    clock: Callable[[], datetime] = system_clock
    user: str | None = None
    role: str | None = None      # None: the local command-line operator (see permissions.py)
    keys: dict[int, site_repo.SiteKey] = field(default_factory=dict)

    @property
    def rules(self) -> GateRules:
        return self._rules

    def __post_init__(self) -> None:
        self._rules = gate_rules(self.settings)

    def now(self) -> datetime:
        return self.clock()

    def reload(self) -> None:
        with self.db.read() as conn:
            self.settings = site_repo.load_settings(conn)
            self.keys = site_repo.keys(conn)
        self._rules = gate_rules(self.settings)

    def close(self) -> None:
        self.db.close()


def open_gate(data_dir: Path | None = None, *, clock: Callable[[], datetime] = system_clock,
              readonly: bool = False, background_checkpoint: bool = False) -> GateContext:
    """Open an initialised data folder; ``NotInitialised`` when there is nothing there yet.

    ``background_checkpoint``: for the long-running gate app (see Database.checkpoint_in_background)."""
    data_dir = Path(data_dir) if data_dir else paths.default_data_dir()
    path = paths.db_path(data_dir)
    if not path.exists():
        raise NotInitialised(_("not_init", dir=data_dir))
    db = open_database(path, readonly=readonly)
    try:
        with db.read() as conn:
            site = site_repo.get_site(conn)
            gate = site_repo.local_gate(conn)
            if site is None or gate is None:
                raise NotInitialised(_("not_init", dir=data_dir))
            settings = site_repo.load_settings(conn)
            keys = site_repo.keys(conn)
    except BaseException:
        db.close()
        raise
    if background_checkpoint:
        db.checkpoint_in_background()
    return GateContext(db=db, data_dir=data_dir, site=site, gate=gate, settings=settings, clock=clock, keys=keys)
