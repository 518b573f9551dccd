"""Who may do what. Enforced in the services, so a hidden button is never the only guard.

Who is acting is always said, never assumed (``services/context.py``): a person who signed on
(``users.sign_on`` returns their acting context), the ``system`` (the start-up check, backups,
the purge, scheduled daily logs: work nobody asked for at that moment) or the ``operator`` of
the command line on this PC without ``--user`` (``cli_operator``, cli_identity.py): upkeep and
reading only, so that no record names a person who did not prove it (SECURITY.md). ``operator``
(every right) is the program itself doing set-up for the PC's operator (``init``, ``demo``).
A context with no role may do nothing.
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
    "browse_records": ("浏览全部记录", "browse all records"),
    "check_database": ("检查数据库", "check the database"),
    "record_door_rounds": ("登记上门测温和入户排查", "record door rounds and survey visits"),
    "register_returnees": ("登记返回人员和风险地区", "register returnees and risk areas"),
    "verify_documents": ("核验签名日志", "verify signed logs"),
    "view_company": ("查看公司总览", "see the company overview"),
    "view_exchange_problems": ("查看同步拒收的记录", "see the records refused by the sync"),
    "exchange_records": ("导出或导入交换文件、与中心库同步", "export or import exchange files and sync with the hub"),
    "guard": ("值班员", "guard"), "manager": ("物业管理员", "manager"),
    "auditor": ("审计员", "auditor"), "admin": ("系统管理员", "admin"),
    "system": ("系统", "system"), "operator": ("程序设置", "the program setting up"),
    "cli_operator": ("本机操作员（未登录）", "operator of this PC (not signed on)"),
    "nobody": ("尚未签到，无权{action}。", "Nobody is signed on: no one may {action}."),
})

SYSTEM = "system"          # start-up and upkeep work (services/context.py: GateContext.as_system)
OPERATOR = "operator"      # the program acting for the PC's operator in set-up (init, demo) and tests
CLI_OPERATOR = "cli_operator"  # the command line without --user (cli_identity.py): limited rights

PERMISSIONS: dict[str, frozenset[str]] = {
    "guard": frozenset({"record_passage", "register_visitor", "hand_over", "follow_up_incidents", "search_history",
                        "record_door_rounds", "check_database"}),
    "manager": frozenset({"record_passage", "register_visitor", "hand_over", "record_disinfection",
                          "import_roster", "manage_residents", "issue_passes", "revoke_passes",
                          "amend_records", "change_settings", "print_reports", "view_personal_data",
                          "backup", "purge_personal_data", "follow_up_incidents", "search_history",
                          "record_door_rounds", "register_returnees", "browse_records", "check_database",
                          "verify_documents", "view_company", "view_exchange_problems", "exchange_records"}),
    "auditor": frozenset({"print_reports", "view_personal_data", "search_history", "browse_records",
                          "check_database", "verify_documents", "view_exchange_problems"}),
    "admin": frozenset({"change_settings", "manage_users", "backup", "print_reports",
                        "purge_personal_data", "check_database", "view_exchange_problems", "exchange_records"}),
    # The PC's operator on the command line without --user (cli_identity.py, SECURITY.md):
    # upkeep that names nobody's judgement; everything that decides, records or changes who
    # may do what needs a user who signs on.
    CLI_OPERATOR: frozenset({"print_reports", "backup", "purge_personal_data", "search_history",
                             "check_database", "browse_records", "verify_documents", "view_company", "view_exchange_problems",
                             "exchange_records"}),
}
ACTIONS = frozenset().union(*PERMISSIONS.values())
# Upkeep copies and purges, and may print the day's logs on a schedule; it records nothing at the
# gate, changes no one's status and sees no full ID numbers.
PERMISSIONS[SYSTEM] = frozenset({"backup", "purge_personal_data", "print_reports"})
PERMISSIONS[OPERATOR] = ACTIONS


def allowed(role: str | None, action: str) -> bool:
    """May ``role`` do ``action``? No role (nobody signed on) may do nothing."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return action in PERMISSIONS.get(role, frozenset())


def require(ctx, action: str) -> None:
    role = getattr(ctx, "role", None)
    if role is None:
        raise PermissionDenied(_("nobody", action=_(action)))
    if not allowed(role, action):
        raise PermissionDenied(_("denied", role=_(role) if role in PERMISSIONS else str(role), action=_(action)))
