"""The open gate: database, site, this gate, settings, keys and the clock, and who is acting.

Every service takes a ``GateContext``; the GUI and the CLI each open one and call the same
services with it. Who is acting is part of the context and never changes in it: ``open_gate``
gives a context acting for nobody (it may read, but every permission-checked service refuses),
``acting_as`` / ``as_system`` and ``users.sign_on`` give a NEW context for someone, sharing
the connection, settings and keys of the one it came from. So a screen that checks a secret
(a handover, an admin's password) cannot leave the gate acting for the wrong person, and a job
sent off the GUI thread keeps acting for whoever asked, whoever signs on meanwhile.
"""

from __future__ import annotations

import copy
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from checkpoint_app import paths
from checkpoint_app.db import site_repo
from checkpoint_app.db.connection import Database, open_database, storage_error
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
    role: str | None = None      # None: nobody; see services/permissions.py for the roles
    keys: dict[int, site_repo.SiteKey] = field(default_factory=dict)

    @property
    def rules(self) -> GateRules:
        return self._shared["rules"]

    def __post_init__(self) -> None:
        # Shared by every acting context made from this one (a shallow copy keeps the dicts).
        self._shared = {"rules": gate_rules(self.settings)}

    def now(self) -> datetime:
        return self.clock()

    def acting_as(self, user: str | None, role: str | None) -> GateContext:
        """The same open gate acting for ``user`` in ``role``; this context is left as it is."""
        acting = copy.copy(self)
        acting.user, acting.role = user, role
        return acting

    def as_system(self) -> GateContext:
        """Start-up and upkeep work nobody asked for just now (permissions.SYSTEM)."""
        from checkpoint_app.services.permissions import SYSTEM

        return self.acting_as(SYSTEM, SYSTEM)

    def reload(self) -> None:
        """Settings and keys read again, for this context and every one made from it."""
        with self.db.read() as conn:
            settings, keys = site_repo.load_settings(conn), site_repo.keys(conn)
        self.settings.clear()
        self.settings.update(settings)
        self.keys.clear()
        self.keys.update(keys)
        self._shared["rules"] = gate_rules(self.settings)

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
    except sqlite3.Error as exc:
        # Damage in the first pages (the schema) may let the file open and fail only here.
        db.close()
        raise storage_error(exc, path) from exc
    except BaseException:
        db.close()
        raise
    if background_checkpoint:
        db.checkpoint_in_background()
    return GateContext(db=db, data_dir=data_dir, site=site, gate=gate, settings=settings, clock=clock, keys=keys)


def reopen(like: GateContext) -> GateContext:
    """The same data folder opened again, acting for the same person: for work on another thread
    (SQLite connections are not shared between threads); read-only if ``like`` is. Close it when done."""
    return open_gate(like.data_dir, clock=like.clock, readonly=like.db.readonly).acting_as(like.user, like.role)
