"""``checkpoint users|backup|restore|purge``: the admin's commands (an EXTENSIONS module of cli.py).

Secrets are read from standard input, never from arguments (which other users of the PC can
read in the process list and which land in shell history): with ``getpass`` (asked twice) when
standard input is a terminal, else one line of it (``echo "$PIN" | checkpoint users add ...``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from checkpoint_app import paths
from checkpoint_app.cli import emit
from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages

_ = Messages({
    "secret_prompt": ("请输入 {name} 的{what}：", "{what} for {name}: "),
    "again": ("请再输入一次：", "Once more: "),
    "pin": ("PIN", "PIN"), "password": ("密码", "password"),
    "mismatch": ("两次输入不一致，未添加用户。", "The two entries differ; the user was not added."),
    "empty": ("没有从标准输入读到密码/PIN。", "No password or PIN was read from standard input."),
    "added": ("已添加用户 {name}（{role}）。", "User {name} ({role}) added."),
    "disabled": ("已停用用户 {name}。", "User {name} disabled."),
    "backup_done": ("备份完成：{file}", "Backed up to {file}"),
    "restored": ("已从 {file} 恢复；原数据库保留为 {aside}。", "Restored from {file}; the previous database is kept as {aside}."),
    "restored_fresh": ("已从 {file} 恢复（此前没有数据库，无需保留原文件）。",
                       "Restored from {file} (there was no database before, so nothing was kept aside)."),
    "behind": ("注意：备份比原数据库少 {n} 条本门岗记录（仍在保留的原文件中）。",
               "Note: the backup lacks {n} of this gate's records (still in the file kept aside)."),
    "purged": ("已清除 {n} 位访客在 {day} 之前的个人信息。", "Personal data of {n} visitors before {day} purged."),
    "days": ("--days 须为 1 到 3650 之间的整数。", "--days must be a whole number from 1 to 3650."),
})

ROLES = ("guard", "manager", "auditor", "admin")


def add_commands(sub: argparse._SubParsersAction) -> dict:
    s = sub.add_parser("users", help="add, list or disable users (secrets from standard input)")
    ss = s.add_subparsers(dest="action", required=True, parser_class=type(s))
    x = ss.add_parser("add", help="add a user; the PIN/password is read from standard input")
    x.add_argument("name")
    x.add_argument("--role", required=True, choices=ROLES)
    ss.add_parser("list")
    x = ss.add_parser("disable")
    x.add_argument("name")

    s = sub.add_parser("backup", help="write a checked copy of the database into a folder")
    s.add_argument("--to", type=Path, required=True, metavar="DIR")

    s = sub.add_parser("restore", help="put a backup in place (the current file is kept aside)")
    s.add_argument("file", type=Path)

    s = sub.add_parser("purge", help="delete visitors' personal data older than retention_days")
    s.add_argument("--days", help="override retention_days for this run")
    return {"users": _users, "backup": _backup, "restore": _restore, "purge": _purge}


def read_secret(name: str, role: str) -> str:
    """The new user's secret (after the acting user's, when they sign on from standard input)."""
    from checkpoint_app.cli_identity import read_secret as read

    what = _("pin") if role == "guard" else _("password")
    secret = read(_("secret_prompt", name=name, what=what), confirm=_("again"))
    if secret == "\0mismatch":
        raise InvalidInput(_("mismatch"), "secret_mismatch")
    if not secret:
        raise InvalidInput(_("empty"), "secret_missing")
    return secret


def _users(ctx, args) -> int:
    from checkpoint_app.services import users

    if args.action == "add":
        from checkpoint_app.domain.identity import normalize_name

        name = normalize_name(args.name)
        from checkpoint_app.services.permissions import CLI_OPERATOR, require

        # The first admin of a new gate: nobody could sign on to add them (SECURITY.md).
        first = ctx.role == CLI_OPERATOR and args.role == "admin" and not users.list_users(ctx)
        if not first:
            require(ctx, "manage_users")      # refuse before asking for a secret
        secret = read_secret(name, args.role)
        user = (users.add_first_user if first else users.add_user)(ctx, name, args.role, secret)
        emit(args, {"id": user.id, "name": user.name, "role": user.role}, _("added", name=user.name, role=user.role))
        return 0
    if args.action == "disable":
        users.disable_user(ctx, args.name)
        emit(args, {"name": args.name, "disabled": True}, _("disabled", name=args.name))
        return 0
    rows = users.list_users(ctx)
    emit(args, {"users": [{"id": u.id, "name": u.name, "role": u.role, "disabled": u.disabled} for u in rows]},
         [f"{u.name:<12} {u.role:<8} {'disabled' if u.disabled else ''}".rstrip() for u in rows])
    return 0


def _backup(ctx, args) -> int:
    from checkpoint_app.services import backup

    info = backup.back_up_to(ctx, args.to)
    emit(args, {"file": str(info.path), "head_seq": info.head_seq}, _("backup_done", file=info.path))
    return 0


def _restore(ctx, args) -> int:
    """Runs without opening the gate (see ``without_gate``): the current file may be damaged."""
    from checkpoint_app.services import backup

    data_dir = args.data_dir or paths.default_data_dir()
    result = backup.restore(data_dir, args.file)
    lines = [_("restored", file=result.restored_from, aside=result.kept_aside[0]) if result.kept_aside
             else _("restored_fresh", file=result.restored_from)]
    if result.records_behind:
        lines.append(_("behind", n=result.records_behind))
    emit(args, {"restored_from": str(result.restored_from), "database": str(result.database),
                "kept_aside": [str(p) for p in result.kept_aside], "records_behind": result.records_behind},
         lines)
    return 0


_restore.without_gate = True  # type: ignore[attr-defined]


def _purge(ctx, args) -> int:
    from checkpoint_app.services import privacy

    days = None
    if args.days is not None:
        text = str(args.days).strip()
        if not text.isdigit() or not 1 <= int(text) <= 3650:
            raise InvalidInput(_("days"), "days_invalid")
        days = int(text)
    result = privacy.purge(ctx, retention_days=days)
    emit(args, {"before_day": result.before_day, "purged": result.purged, "record_id": result.record_uid},
         _("purged", n=result.purged, day=result.before_day))
    return 0
