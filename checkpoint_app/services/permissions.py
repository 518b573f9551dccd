"""Who may do what. Enforced in the services, so a hidden button is never the only guard.

``ctx.role`` is set when a person signs on (GUI) or names themselves with a secret (CLI
``--user``); the CLI without ``--user`` acts as ``operator`` (cli_identity.py), who may read,
print the logs, back up and purge, nothing else. A context with no role is the program itself
(set-up, demo data, the GUI before anybody signs on).
"""

from __future__ import annotations

from checkpoint_app.errors import PermissionDenied
from checkpoint_app.i18n import Messages

_ = Messages({
    "denied": ("“{role}”角色无权{action}。", "The {role} role may not {action}."),
    "record_passage": ("登记出入", "record passages"),
    "register_visitor": ("登记访客", "register visitors"),
    "hand_over": ("交接班", "hand over shifts"),
    "record_disinfection": ("登记消毒", "record disinfection rounds"),
    "import_roster": ("导入住户名单", "import the roster"),
    "manage_residents": ("修改住户状态", "change residents' status"),
    "issue_passes": ("发放出入证", "issue passes"),
    "revoke_passes": ("作废出入证", "revoke passes"),
    "amend_records": ("更正或作废记录", "amend or void records"),
    "change_settings": ("修改设置", "change settings"),
    "manage_users": ("管理用户", "manage users"),
    "print_reports": ("打印日报", "print the daily logs"),
    "view_personal_data": ("查看完整身份证号和电话", "see full ID numbers and phones"),
    "backup": ("备份或恢复数据", "back up or restore data"),
    "purge_personal_data": ("清除过期个人信息", "purge expired personal data"),
    "follow_up_incidents": ("跟进事件", "follow up incidents"),
    "search_history": ("查询出入记录", "search the passage history"),
    "guard": ("值班员", "guard"), "manager": ("物业管理员", "manager"),
    "auditor": ("审计员", "auditor"), "admin": ("系统管理员", "admin"),
    "operator": ("本机操作员（未登录）", "operator of this PC (not signed on)"),
})

PERMISSIONS: dict[str, frozenset[str]] = {
    "guard": frozenset({"record_passage", "register_visitor", "hand_over", "follow_up_incidents", "search_history"}),
    "manager": frozenset({"record_passage", "register_visitor", "hand_over", "record_disinfection",
                          "import_roster", "manage_residents", "issue_passes", "revoke_passes",
                          "amend_records", "change_settings", "print_reports", "view_personal_data",
                          "backup", "purge_personal_data", "follow_up_incidents", "search_history"}),
    "auditor": frozenset({"print_reports", "view_personal_data", "search_history"}),
    "admin": frozenset({"change_settings", "manage_users", "backup", "print_reports",
                        "purge_personal_data"}),
    # The PC's operator on the command line without --user (cli_identity.py, SECURITY.md):
    # upkeep that names nobody's judgement; everything that decides, records or changes who
    # may do what needs a user who signs on.
    "operator": frozenset({"print_reports", "backup", "purge_personal_data", "search_history"}),
}
ACTIONS = frozenset().union(*PERMISSIONS.values())


def allowed(role: str | None, action: str) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return role is None or action in PERMISSIONS.get(role, frozenset())


def require(ctx, action: str) -> None:
    role = getattr(ctx, "role", None)
    if not allowed(role, action):
        raise PermissionDenied(_("denied", role=_(role) if role in PERMISSIONS else str(role), action=_(action)))
