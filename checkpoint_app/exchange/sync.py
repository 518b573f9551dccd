"""The background sync of a PC with the hub (issue 15 item 3, the GUI part): push, then pull, in
small batches so that the gate's scans never wait long for the write lock; and how old the
newest record from each other gate is, for the status bar.

Where things are kept:
- the hub's URL is the ``hub_url`` setting (no password in it: settings travel between PCs as
  records and are shown on screen);
- the password is in ``hub.pgpass`` in the data folder, in libpq's passfile format, readable by
  this user only (0600), handed to libpq as ``passfile``. It never enters the database, a
  record, a backup of the database or a log. (No OS keyring: the gate PCs run offline on
  whatever Windows or Linux the compound has; a file only this account can read is what they
  all offer.)

A sync cut anywhere resumes by itself: the next push starts at the hub's head per origin and
the next pull at this PC's high-water mark per origin (exchange/hub.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from checkpoint_app.errors import InvalidInput, StorageError
from checkpoint_app.exchange import hub, merge
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

_ = Messages({
    "no_hub": ("尚未设置中心库地址。", "No hub address is set."),
    "password_refused": ("中心库拒绝了密码，请在设置页重新填写。",
                         "The hub refused the password: enter it again on the settings page."),
    "password_missing": ("中心库要求密码，请在设置页填写。",
                         "The hub asks for a password: enter it on the settings page."),
    "bad_password": ("中心库密码不能为空，也不能含换行。", "The hub password cannot be empty or contain a line break."),
    "ago_now": ("{name} 刚刚", "{name} just now"),
    "ago_min": ("{name} {n} 分钟前", "{name} {n} min ago"),
    "ago_hour": ("{name} {n} 小时前", "{name} {n} h ago"),
    "ago_day": ("{name} {n} 天前", "{name} {n} days ago"),
    "nothing": ("{name} 无记录", "{name} no records"),
})

PASSFILE = "hub.pgpass"
SYNC_BATCH = 2_000      # a pull batch is one write transaction at the gate: ~0.1 s, not a stalled scan


@dataclass(frozen=True)
class GateAge:
    origin: str
    name: str
    newest_at: datetime | None


@dataclass
class SyncResult:
    pushed: int = 0
    pulled: merge.ApplyResult = field(default_factory=merge.ApplyResult)
    ages: list[GateAge] = field(default_factory=list)
    at: datetime | None = None


def passfile(data_dir: Path) -> Path:
    return Path(data_dir) / PASSFILE


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(":", "\\:")


def save_password(ctx: GateContext, password: str) -> Path:
    """Keep the hub password for the ``hub_url`` setting in the data folder's passfile (0600)."""
    require(ctx, "change_settings")
    url = ctx.settings["hub_url"]
    if not url:
        raise InvalidInput(_("no_hub"), "no_hub")
    if not password or "\n" in password or "\r" in password:
        raise InvalidInput(_("bad_password"), "bad_password")
    parts = urlsplit(url)
    line = ":".join(_escape(x) for x in (parts.hostname or "", str(parts.port or 5432),
                                          parts.path.strip("/"), parts.username or "*", password)) + "\n"
    path = passfile(ctx.data_dir)
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(line)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path


def connect(ctx: GateContext, url: str | None = None):
    """The hub of ``url`` (else the ``hub_url`` setting) with this PC's passfile; a password the
    hub asks for and this PC lacks, or one it refuses, is one sentence saying where to set it."""
    url = url or ctx.settings["hub_url"]
    if not url:
        raise InvalidInput(_("no_hub"), "no_hub")
    pf = passfile(ctx.data_dir)
    try:
        return hub.connect(url, **({"passfile": str(pf)} if pf.exists() else {}))
    except StorageError as exc:
        why = str(exc.__cause__ or "")
        if "password authentication failed" in why:
            raise StorageError(_("password_refused"), "hub_password") from exc
        if "no password supplied" in why:
            raise StorageError(_("password_missing"), "hub_password") from exc
        raise


def sync(ctx: GateContext, url: str | None = None, *, batch: int = SYNC_BATCH) -> SyncResult:
    """Push what the hub lacks, then pull what this PC lacks; then the other gates' ages."""
    result = SyncResult()
    with connect(ctx, url) as pg:
        result.pushed = hub.push(ctx, pg, batch=batch)
        result.pulled = hub.pull(ctx, pg, batch=batch)
        names = dict(pg.execute("SELECT origin, name FROM origins WHERE name IS NOT NULL").fetchall())
        pg.commit()
    result.at = ctx.now()
    result.ages = others_newest(ctx, names)
    return result


def others_newest(ctx: GateContext, names: dict[str, str] | None = None) -> list[GateAge]:
    """Each other gate of the site (known here or named by the hub) with the time of its newest
    record this PC holds (None: none yet), by name."""
    with ctx.db.read() as conn:
        known = dict(conn.execute("SELECT uid, name FROM gates"))
        everyone = {**(names or {}), **known}
        # one probe of the journal's key per gate (a GROUP BY over the journal read every record:
        # seconds on a gate with millions of passages, at every sync)
        newest = {}
        for o in everyone:
            row = conn.execute("SELECT at FROM journal WHERE origin = ? ORDER BY origin_seq DESC LIMIT 1",
                               (o,)).fetchone()
            if row:
                newest[o] = row[0]
    ages = [GateAge(o, everyone.get(o) or o[:8], datetime.fromisoformat(newest[o]) if o in newest else None)
            for o in everyone if o != ctx.gate.uid]
    return sorted(ages, key=lambda a: a.name)


def ages_text(now: datetime, ages: list[GateAge]) -> str:
    """"北门 3 分钟前 · 东门 2 小时前": how old the newest record from each other gate is."""
    parts = []
    for a in ages:
        if a.newest_at is None:
            parts.append(_("nothing", name=a.name))
            continue
        minutes = max(0, int((now - a.newest_at).total_seconds() // 60))
        if minutes < 1:
            parts.append(_("ago_now", name=a.name))
        elif minutes < 120:
            parts.append(_("ago_min", name=a.name, n=minutes))
        elif minutes < 48 * 60:
            parts.append(_("ago_hour", name=a.name, n=minutes // 60))
        else:
            parts.append(_("ago_day", name=a.name, n=minutes // 1440))
    return " · ".join(parts)
