"""Who acts on the command line (SECURITY.md, "Who may act from the command line").

``--user NAME`` (or ``--guard NAME`` on the gate's commands, which must name a guard) signs on
as that user: the PIN or password comes from ``$CHECKPOINT_SECRET`` (scripts) or standard input
(asked without echo on a terminal, else its first line), never from an argument. Without either,
the command acts as the PC's operator, ``operator:<os user>``, role ``operator``: it may read,
verify, print the logs and back up, and a write it may not make is refused with a hint.
"""

from __future__ import annotations

import getpass
import os
import sys

from checkpoint_app.errors import InvalidInput, PermissionDenied
from checkpoint_app.i18n import Messages

from checkpoint_app.services.permissions import CLI_OPERATOR as OPERATOR

SECRET_ENV = "CHECKPOINT_SECRET"

_ = Messages({
    "secret_prompt": ("请输入 {name} 的{what}：", "{what} for {name}: "),
    "pin": ("PIN", "PIN"), "password": ("密码", "password"),
    "empty": ("没有从标准输入或 CHECKPOINT_SECRET 读到 {name} 的密码/PIN。",
              "No password or PIN for {name} was read from standard input or CHECKPOINT_SECRET."),
    "two_names": ("--user {user} 与 --guard {guard} 不是同一人：登记由签到的人完成。",
                  "--user {user} and --guard {guard} differ: a record is made by whoever signs on."),
    "not_guard": ("{name} 不是值班员。", "{name} is not a guard."),
    "operator_hint": ("{message} 请用 --user 姓名 登录（密码/PIN 从标准输入或 CHECKPOINT_SECRET 读取）。",
                      "{message} Sign on with --user NAME (password/PIN from standard input or "
                      "CHECKPOINT_SECRET)."),
})


def read_secret(prompt: str, *, confirm: str | None = None) -> str:
    """One secret from standard input: without echo on a terminal (asked twice when ``confirm``
    is the second prompt), else one line of it. '' when there is none."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if confirm is not None and getpass.getpass(confirm) != first:
            return "\0mismatch"
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def operator_name() -> str:
    """How the operator is named in records and documents: ``operator:<login name>`` (SECURITY.md)."""
    try:
        return f"operator:{getpass.getuser()}"
    except Exception:  # no login name in this environment (a service, a container)
        return "operator"


def act(ctx, user: str | None, guard: str | None):
    """``ctx`` acting as the proved user, or as the marked operator (a new acting context)."""
    from checkpoint_app.domain.identity import normalize_name
    from checkpoint_app.services import users

    if user and guard and normalize_name(user) != normalize_name(guard):
        raise InvalidInput(_("two_names", user=user[:40], guard=guard[:40]), "two_names")
    name = user or guard
    if not name:
        return ctx.acting_as(operator_name(), OPERATOR)
    what = _("pin") if guard else _("password") + "/" + _("pin")
    secret = os.environ.get(SECRET_ENV) or read_secret(_("secret_prompt", name=name[:40], what=what))
    if not secret:
        raise PermissionDenied(_("empty", name=name[:40]), "secret_missing")
    signed = users.sign_on(ctx, name, secret)
    if guard and signed.role != "guard":
        raise PermissionDenied(_("not_guard", name=signed.name), "not_a_guard")
    return signed.acting


def explain(ctx, err: PermissionDenied) -> PermissionDenied:
    """A refusal of the operator says how to sign on instead."""
    if ctx is not None and ctx.role == OPERATOR and err.code not in ("secret_missing", "wrong_secret"):
        return PermissionDenied(_("operator_hint", message=str(err)), err.code)
    return err
