"""Set up a site on this PC, and change its settings."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from checkpoint_app import paths
from checkpoint_app.db import records, site_repo
from checkpoint_app.db.connection import open_database
from checkpoint_app.domain import passcode
from checkpoint_app.errors import InvalidInput, UserError
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext, open_gate, system_clock
from checkpoint_app.services.permissions import require
from checkpoint_app.settings import parse_setting, show_setting, SETTINGS

log = logging.getLogger(__name__)

_ = Messages({
    "already": ("数据目录 {dir} 已经初始化（小区 {code}），不会覆盖。", "The data folder {dir} is already set up (site {code}); nothing was overwritten."),
    "name": ("{what}不能为空，且不超过 40 个字。", "{what} must not be empty and at most 40 characters."),
    "site_name": ("小区名称", "The site name"),
    "gate_name": ("门岗名称", "The gate name"),
})


def _clean_name(text: str, what: str) -> str:
    value = " ".join(str(text or "").split())  # None: an option left out (init without --join)
    if not value or len(value) > 40 or any(ord(c) < 32 for c in value):
        raise InvalidInput(_("name", what=_(what)), "name_invalid")
    return value


def refuse_if_initialised(data_dir: Path) -> Path:
    """The database path of a data folder that holds no site yet; refuses one that does."""
    path = paths.db_path(data_dir)
    if path.exists():
        db = open_database(path)
        try:
            existing = site_repo.get_site(db.conn)
        finally:
            db.close()
        if existing is not None:
            raise UserError(_("already", dir=data_dir, code=existing.code), "already_initialised")
    return path


def init_site(data_dir: Path, *, site_code: str, site_name: str, gate_name: str,
              clock: Callable[[], datetime] = system_clock, with_private_key: bool = True) -> GateContext:
    """Create the database of a new site with this PC as its first gate, its signing key and its
    certificates. Refuses a folder that is already set up."""
    code = passcode.normalize_site_code(site_code)
    name = _clean_name(site_name, "site_name")
    gate = _clean_name(gate_name, "gate_name")
    data_dir = Path(data_dir)
    path = refuse_if_initialised(data_dir)
    from checkpoint_app.reports.signing import create_site_pki

    pki = create_site_pki(code, name)
    private, public = passcode.generate_keypair()
    now = clock().isoformat(timespec="seconds")
    db = open_database(path, create=True)
    try:
        with db.write() as conn:
            site_repo.insert_site(conn, code, name, now)
            gate_uid = records.new_uid()
            site_repo.insert_gate(conn, gate_uid, gate, now, local=True)
            gate_private, gate_public = passcode.generate_keypair()
            conn.execute("UPDATE gates SET public_key = ?, private_key = ? WHERE uid = ?",
                         (gate_public, gate_private, gate_uid))
            site_repo.insert_key(conn, 1, public, private if with_private_key else None, now)
            # the CA's key stays with the pass key: the PC that issues passes issues gates' certificates
            site_repo.save_pki(conn, pki.ca_cert, pki.signer_cert, pki.signer_key,
                               pki.ca_key if with_private_key else None)
            for key, setting in SETTINGS.items():
                site_repo.save_setting(conn, key, setting.default, now, None)
    finally:
        db.close()
    log.info("initialised site %s (%s), gate %s in %s", code, name, gate, data_dir)
    return open_gate(data_dir, clock=clock)


def set_setting(ctx: GateContext, key: str, text: str) -> Any:
    return set_settings(ctx, {key: text})[key]


def set_settings(ctx: GateContext, texts: dict[str, str]) -> dict[str, Any]:
    """Change several settings at once: every value is checked before any is written (one bad
    value: InvalidInput and nothing changed). Each real change is a ``setting_change`` record —
    who changed which setting from what to what, when."""
    require(ctx, "change_settings")
    values = {key: parse_setting(key, text) for key, text in texts.items()}
    now = ctx.now()
    with ctx.db.write() as conn:
        for key, value in values.items():
            old, new = show_setting(key, ctx.settings[key]), show_setting(key, value)
            if old == new:
                continue
            site_repo.save_setting(conn, key, value, now.isoformat(timespec="seconds"), ctx.user)
            records.append(conn, "setting_change",
                           {"key": key, "old_value": old, "new_value": new, "recorded_by": ctx.user},
                           origin=ctx.gate.uid, at=now)
    ctx.reload()
    return values


def setting_changes(ctx: GateContext, limit: int = 50) -> list[dict]:
    """The latest changes of settings, newest first."""
    with ctx.db.read() as conn:
        rows = conn.execute("SELECT at, key, old_value, new_value, recorded_by FROM setting_changes "
                            "ORDER BY at DESC, rowid DESC LIMIT ?", (limit,)).fetchall()
    return [{"at": at, "key": key, "label": SETTINGS[key].label if key in SETTINGS else key,
             "old": old, "new": new, "by": by} for at, key, old, new, by in rows]


def list_settings(ctx: GateContext) -> list[dict]:
    return [{"key": k, "value": show_setting(k, ctx.settings[k]), "label": s.label,
             "default": show_setting(k, s.default)} for k, s in SETTINGS.items()]
