"""Users and signing on: guards with a PIN, managers/auditors/admins with a password.

Secrets are stored as Argon2id hashes with OWASP's parameters (19 MiB, 2 passes, 1 lane).
Five wrong secrets in a row lock the name for five minutes.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from checkpoint_app.domain.text import shown
from checkpoint_app.db import site_repo, state
from checkpoint_app.domain.identity import normalize_name
from checkpoint_app.errors import InvalidInput, NotFound, PermissionDenied, RuleRefusal
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

log = logging.getLogger(__name__)

_ = Messages({
    "role": ("角色须为 guard、manager、auditor 或 admin。", "The role must be guard, manager, auditor or admin."),
    "pin": ("值班员 PIN 须为 4 到 8 位数字。", "A guard's PIN must be 4 to 8 digits."),
    "password": ("密码至少 8 个字符。", "A password needs at least 8 characters."),
    "exists": ("用户 {name} 已存在。", "User {name} already exists."),
    "no_user": ("没有用户 {name}。", "There is no user {name}."),
    "wrong": ("用户名或密码/PIN 不正确。", "Wrong name or password/PIN."),
    "locked": ("连续输错次数过多，已锁定至 {until}。", "Too many wrong attempts: locked until {until}."),
    "disabled": ("用户 {name} 已停用。", "User {name} is disabled."),
    "not_first": ("已有用户：请由管理员签到后添加。", "There are users already: an admin adds new ones after signing on."),
})

ROLES = ("guard", "manager", "auditor", "admin")
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)


@functools.cache
def _hasher():
    """Argon2id (argon2-cffi), made at the first hash or check: the gate screen lists its users
    while it opens, and ``argon2`` is not needed until somebody signs on (cold start)."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@dataclass(frozen=True)
class SignedOn:
    id: int
    name: str
    role: str
    acting: GateContext | None = field(default=None, compare=False, repr=False)   # sign_on's new context


def check_secret_format(role: str, secret: str) -> None:
    if role == "guard":
        if not re.fullmatch(r"[0-9]{4,8}", secret or ""):
            raise InvalidInput(_("pin"), "pin_invalid")
    elif len(secret or "") < 8 or any(0xD800 <= ord(c) <= 0xDFFF or ord(c) < 32 for c in secret):
        raise InvalidInput(_("password"), "password_invalid")


def add_user(ctx: GateContext, name: str, role: str, secret: str) -> SignedOn:
    require(ctx, "manage_users")
    return _add(ctx, name, role, secret)


def add_first_user(ctx: GateContext, name: str, role: str, secret: str) -> SignedOn:
    """An account made with nobody signed on: the set-up wizard's admin while the site has no
    user at all, or the first guard at the sign-on panel while there is no guard (DESIGN: the
    first guard makes their own account). Any other time it is ``add_user``'s, an admin's job."""
    return _add(ctx, name, role, secret, first=True)


_FIRST = {"admin": "SELECT 1 FROM users LIMIT 1",
          "guard": "SELECT 1 FROM users WHERE role = 'guard' AND NOT disabled LIMIT 1"}


def _add(ctx: GateContext, name: str, role: str, secret: str, *, first: bool = False) -> SignedOn:
    name = normalize_name(name)
    if role not in ROLES:
        raise InvalidInput(_("role"), "role_invalid")
    check_secret_format(role, secret)
    digest = _hasher().hash(secret)
    with ctx.db.write() as conn:
        if site_repo.find_user(conn, name):
            raise RuleRefusal(_("exists", name=name), "user_exists")
        if first and (role not in _FIRST or conn.execute(_FIRST[role]).fetchone()):
            raise PermissionDenied(_("not_first"), "not_first_user")
        user = site_repo.insert_user(conn, name, role, ctx.now().isoformat(timespec="seconds"))
        conn.execute("UPDATE users SET secret_hash = ? WHERE id = ?", (digest, user.id))
        state.record_user(conn, name, by=ctx.user, origin=ctx.gate.uid, at=ctx.now())
    log.info("user %s added with role %s", name, role)
    return SignedOn(user.id, name, role)


def list_users(ctx: GateContext) -> list[site_repo.User]:
    with ctx.db.read() as conn:
        return site_repo.list_users(conn)


@dataclass(frozen=True)
class UserState:
    name: str
    role: str
    disabled: bool
    failed_attempts: int
    locked_until: str | None       # set while the name is locked (and until it is cleared)

    def locked(self, now: datetime) -> bool:
        return bool(self.locked_until) and datetime.fromisoformat(self.locked_until) > now


def user_states(ctx: GateContext) -> list[UserState]:
    """Every user with the lockout counters, for the admin's users page."""
    with ctx.db.read() as conn:
        return [UserState(n, r, bool(d), f, u) for n, r, d, f, u in conn.execute(
            "SELECT name, role, disabled, failed_attempts, locked_until FROM users ORDER BY name")]


def _change(ctx: GateContext, name: str, sql: str, params: tuple = (), *, travels: bool = True) -> str:
    """Run ``sql`` (``... WHERE name = ?``) for an existing user, as an admin; the name. A change
    that ``travels`` is a ``user`` record too (a lockout is this PC's own business)."""
    require(ctx, "manage_users")
    name = normalize_name(name)
    with ctx.db.write() as conn:
        if site_repo.find_user(conn, name) is None:
            raise NotFound(_("no_user", name=shown(name, 40)))
        conn.execute(sql, (*params, name))
        if travels:
            state.record_user(conn, name, by=ctx.user, origin=ctx.gate.uid, at=ctx.now())
    return name


def disable_user(ctx: GateContext, name: str) -> None:
    _change(ctx, name, "UPDATE users SET disabled = 1 WHERE name = ?")
    log.info("user %s disabled", name)


def enable_user(ctx: GateContext, name: str) -> None:
    _change(ctx, name, "UPDATE users SET disabled = 0 WHERE name = ?")
    log.info("user %s enabled", name)


def clear_lockout(ctx: GateContext, name: str) -> None:
    _change(ctx, name, "UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE name = ?", travels=False)
    log.info("lockout of %s cleared", name)


def reset_secret(ctx: GateContext, name: str, secret: str) -> None:
    """A new PIN (guard) or password (others), under the same rules as a new user's; the lockout
    is cleared with it."""
    require(ctx, "manage_users")
    with ctx.db.read() as conn:
        user = site_repo.find_user(conn, normalize_name(name))
    if user is None:
        raise NotFound(_("no_user", name=shown(normalize_name(name), 40)))
    check_secret_format(user.role, secret)
    _change(ctx, user.name, "UPDATE users SET secret_hash = ?, failed_attempts = 0, locked_until = NULL "
            "WHERE name = ?", (_hasher().hash(secret),))
    log.info("secret of %s reset", user.name)


def sign_on(ctx: GateContext, name: str, secret: str, *, now: datetime | None = None) -> SignedOn:
    """Check a name and PIN/password; on success ``SignedOn.acting`` is a new context acting as
    that user (``ctx`` itself is left acting for whoever it did)."""
    now = now or ctx.now()
    name = " ".join(str(name).split())
    if any(0xD800 <= ord(c) <= 0xDFFF for c in name) or not name:
        _hasher().hash("timing")  # a name that cannot exist is just a wrong name
        raise PermissionDenied(_("wrong"), "wrong_secret")
    with ctx.db.write() as conn:
        row = conn.execute("SELECT id, role, disabled, secret_hash, failed_attempts, locked_until FROM users "
                           "WHERE name = ?", (name,)).fetchone()
        if row is None:
            _hasher().hash("timing")  # the same cost whether or not the name exists
            raise PermissionDenied(_("wrong"), "wrong_secret")
        uid, role, disabled, digest, failures, locked_until = row
        if disabled:
            raise PermissionDenied(_("disabled", name=name), "user_disabled")
        if locked_until and datetime.fromisoformat(locked_until) > now:
            raise PermissionDenied(_("locked", until=locked_until[11:16]), "locked")
        refusal = None
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            _hasher().verify(digest or "", str(secret))
        except (VerificationError, InvalidHashError):
            failures += 1
            until = (now + LOCKOUT).isoformat(timespec="seconds") if failures >= MAX_FAILURES else None
            conn.execute("UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?",
                         (0 if until else failures, until, uid))
            log.warning("failed sign-on for %s (%d)", name, failures)
            refusal = (PermissionDenied(_("locked", until=until[11:16]), "locked") if until
                       else PermissionDenied(_("wrong"), "wrong_secret"))
        else:
            conn.execute("UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?", (uid,))
    # Raised after the commit: a failed attempt must be counted even though sign-on is refused.
    if refusal is not None:
        raise refusal
    return SignedOn(uid, name, role, ctx.acting_as(name, role))
