"""The Roles proof of issue #5: every service call a role must not make is refused, as a table.

Each row is one service call, the permission it needs, an optional preparation (run as the
unrestricted local operator) and the call. For every role × row: a role without the permission
gets PermissionDenied and nothing is written (no change on the connection, same journal, same
file); a role with it succeeds. Every action of permissions.py must appear here or be listed in
NO_SERVICE_YET with a reason, so a new action cannot slip by untested.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from checkpoint_app import paths
from checkpoint_app.errors import PermissionDenied
from checkpoint_app.services import (amendments, audit, backup, clock_guard, company, daily_logs, disinfection,
                                     door_rounds, gate as gate_service, handover, history, incidents, passes, privacy,
                                     residents, returnees, site, statistics, users, visitors)
from checkpoint_app.services import exchange_file, exchange_problems, integrity, records_browser
from checkpoint_app.services.context import open_gate
from checkpoint_app.services.permissions import ACTIONS, OPERATOR, PERMISSIONS, SYSTEM, allowed
from tests.core_fixtures import ROSTER_CSV, FakeClock, Gate

ROLES = ("guard", "manager", "auditor", "admin")
VISITOR = dict(name="孙悟空", phone="13800138000", id_number="11010519491231002X", purpose="送快递",
               host="3-2-501", from_place="本市朝阳区", health_code="green", temperature="36.6")
NEW_ROSTER = "楼栋,单元,房号,姓名,电话,身份证号,类型,状态,隔离至\n9,1,101,钱七,13312345678,,户主,正常,\n"


@dataclass(frozen=True)
class Call:
    name: str
    action: str
    run: Callable[[Gate, Any], Any]
    prepare: Callable[[Gate], Any] = lambda g: None
    writes: bool = True          # a read (a search) leaves the file as it was even when allowed


def _passage(g: Gate) -> str:
    g.clock.advance(minutes=1)
    return gate_service.record_passage(g.ctx, g.cards["张三"], temperature="365").passage_id


def _roster(g: Gate) -> Path:
    p = g.data_dir.parent / "new-roster.csv"
    p.write_text(NEW_ROSTER, encoding="utf-8")
    return p


def _clock_back(g: Gate) -> None:
    _passage(g)
    g.clock.advance(hours=-3)


CALLS = [
    Call("record_passage", "record_passage",
         lambda g, _: gate_service.record_passage(g.ctx, g.cards["李四"], temperature="365")),
    Call("record_manual_passage", "record_passage",
         lambda g, _: gate_service.record_manual_passage(g.ctx, g.ids["李四"], temperature="365")),
    Call("clock_guard.acknowledge", "record_passage", lambda g, _: clock_guard.acknowledge(g.ctx), _clock_back),
    Call("visitor_in", "register_visitor", lambda g, _: visitors.visitor_in(g.ctx, **VISITOR)),
    Call("visitor_out", "register_visitor", lambda g, vid: visitors.visitor_out(g.ctx, vid),
         lambda g: visitors.visitor_in(g.ctx, **VISITOR).visitor_id),
    Call("follow_up", "follow_up_incidents", lambda g, uid: incidents.follow_up(g.ctx, uid, "已通知社区"),
         lambda g: (gate_service.record_passage(g.ctx, g.cards["王五"], temperature="365", direction="out"),
                    incidents.open_incidents(g.ctx)[0].uid)[1]),
    Call("search_history", "search_history", lambda g, _: history.search_history(g.ctx, "3-2-501"),
         writes=False),
    Call("hand_over", "hand_over", lambda g, _: handover.hand_over(g.ctx, from_guard="李建国", to_guard="王海波")),
    Call("record_round", "record_disinfection",
         lambda g, _: disinfection.record_round(g.ctx, area="电梯轿厢", agent="84消毒液", concentration="500",
                                                contact_minutes="30", method="wipe", operator="王海波")),
    Call("set_plan", "record_disinfection", lambda g, _: disinfection.set_plan(g.ctx, "快递柜", 2)),
    Call("import_roster", "import_roster", lambda g, p: residents.import_roster(g.ctx, p), _roster),
    Call("set_status", "manage_residents",
         lambda g, _: residents.set_status(g.ctx, g.ids["赵六"], "normal", reason="观察期满")),
    Call("add_to_watchlist", "manage_residents",
         lambda g, _: visitors.add_to_watchlist(g.ctx, id_number="11010519491231002X", note="x")),
    Call("issue_passes", "issue_passes",
         lambda g, _: passes.issue_passes(g.ctx, household="3-2-501", reissue=True)),
    Call("revoke_pass", "revoke_passes", lambda g, _: passes.revoke_pass(g.ctx, "000001", "丢失")),
    Call("void_record", "amend_records", lambda g, uid: amendments.void_record(g.ctx, uid, "重复"), _passage),
    Call("amend_record", "amend_records",
         lambda g, uid: amendments.amend_record(g.ctx, uid, {"temp_tenths": "36.7"}, "录入错误"), _passage),
    Call("set_setting", "change_settings", lambda g, _: site.set_setting(g.ctx, "fever_threshold", "37.5")),
    Call("add_user", "manage_users", lambda g, _: users.add_user(g.ctx, "新保安", "guard", "2468")),
    Call("disable_user", "manage_users", lambda g, _: users.disable_user(g.ctx, "老保安"),
         lambda g: users.add_user(g.ctx, "老保安", "guard", "1357")),
    Call("back_up_to", "backup", lambda g, _: backup.back_up_to(g.ctx, g.data_dir.parent, full=False)),
    Call("purge", "purge_personal_data", lambda g, _: privacy.purge(g.ctx)),
    Call("verify_files", "verify_documents",
         lambda g, _: audit.verify_files([g.data_dir.parent / "no-such.pdf"], ctx=g.ctx), writes=False),
    Call("daily_report", "print_reports",
         lambda g, _: daily_logs.daily_report(g.ctx, g.clock.now.date(), g.data_dir.parent / "logs",
                                             kinds=("summary",))),
    Call("records_browser.page", "browse_records", lambda g, _: records_browser.page(g.ctx, limit=5), writes=False),
    Call("verify_database", "check_database", lambda g, _: integrity.verify_database(g.ctx), writes=False),
    Call("set_risk_area", "register_returnees",
         lambda g, _: returnees.set_risk_area(g.ctx, "武汉", "quarantine", 14)),
    Call("door_check", "record_door_rounds",
         lambda g, hid: door_rounds.record_household(g.ctx, hid, [door_rounds.Entry(g.ids["王五"], "365")],
                                                     checked_by="刘志愿"),
         lambda g: door_rounds.today_round(g.ctx).households[0].household_id),
    Call("add_resident", "manage_residents", lambda g, _: residents.add_resident(g.ctx, "3-2-501", "王小明")),
    Call("correct_resident", "manage_residents",
         lambda g, _: residents.correct_resident(g.ctx, g.ids["李四"], {"name": "李思"}, "写错")),
    Call("move_out", "manage_residents", lambda g, _: residents.move_out(g.ctx, g.ids["李四"], "出售")),
    Call("set_households_status", "manage_residents",
         lambda g, _: residents.set_households_status(g.ctx, [1, 2], "quarantine", date(2026, 12, 1))),
    Call("company_pdf", "view_company", lambda g, _: company.write_pdf(g.ctx, company.Overview(
        g.clock.now.date(), g.clock.now.date(), g.clock.now, company.STALE_AFTER, [], []), g.data_dir.parent / "c.pdf")),
    Call("export_new", "exchange_records",
         lambda g, _: exchange_file.export_new(g.ctx, g.data_dir.parent / "x.ckx")),
    Call("exchange_problems", "view_exchange_problems", lambda g, _: exchange_problems.list_problems(g.ctx),
         writes=False),
    Call("set_agent", "record_disinfection",
         lambda g, _: disinfection.set_agent(g.ctx, "次氯酸水", "mg/L", "50", "200")),
    Call("day_stats", "print_reports",
         lambda g, _: statistics.day_stats(g.ctx, g.clock.now.date(), g.clock.now.date()), writes=False),
    Call("export_xlsx", "print_reports",
         lambda g, _: statistics.export_xlsx(g.ctx, g.clock.now.date(), g.clock.now.date(),
                                             g.data_dir.parent / "stats.xlsx")),
]

NO_SERVICE_YET = {
    "view_personal_data": "not a refusal but a mask: tested in test_privacy.test_who_sees_full_numbers",
}


@pytest.fixture(scope="module")
def template(tmp_path_factory, _site_template) -> tuple[Path, dict, dict]:
    """A site with the roster and passes, built once; each test gets its own copy."""
    data = tmp_path_factory.mktemp("roles-template")
    shutil.copy(paths.db_path(_site_template), paths.db_path(data))
    ctx = open_gate(data, clock=FakeClock()).acting_as(None, "operator")
    roster = data / "roster.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8")
    residents.import_roster(ctx, roster)
    cards = {p.name: p.payload for p in passes.issue_passes(ctx, all_residents=True)}
    ids = {r.name: r.id for r in residents.list_residents(ctx)}
    ctx.close()
    return paths.db_path(data), cards, ids


@pytest.fixture
def fresh(template, tmp_path) -> Gate:
    db, cards, ids = template
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(db, paths.db_path(data))
    clock = FakeClock()
    ctx = open_gate(data, clock=clock).acting_as("操作员", "operator")
    yield Gate(ctx, clock, dict(cards), dict(ids))
    ctx.close()


def _state(g: Gate) -> tuple:
    conn = g.ctx.db.conn
    return (conn.total_changes, g.count("journal"),
            conn.execute("SELECT count(*) FROM users").fetchone()[0],
            conn.execute("SELECT group_concat(key || '=' || value) FROM settings").fetchone()[0],
            sorted(p.name for p in g.data_dir.parent.iterdir()))


def test_the_table_covers_every_action():
    covered = {c.action for c in CALLS} | set(NO_SERVICE_YET)
    assert covered == set(ACTIONS), set(ACTIONS) ^ covered


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.name)
@pytest.mark.parametrize("role", ROLES)
def test_roles(fresh, role, call):
    prepared = call.prepare(fresh)
    fresh.ctx.role = role
    before = _state(fresh)
    if allowed(role, call.action):
        call.run(fresh, prepared)
        if call.writes:
            assert _state(fresh) != before, f"{call.name} as {role} wrote nothing"
    else:
        with pytest.raises(PermissionDenied) as err:
            call.run(fresh, prepared)
        assert err.value.code == "permission_denied"
        assert str(err.value)                            # a sentence for the screen
        assert _state(fresh) == before, f"{call.name} as {role} wrote before refusing"


@pytest.mark.parametrize("role", ROLES)
def test_every_role_can_do_something_and_not_everything(role):
    assert PERMISSIONS[role] and PERMISSIONS[role] != ACTIONS


def test_an_unknown_role_may_do_nothing(fresh):
    fresh.ctx.role = "visitor"
    before = _state(fresh)
    for call in CALLS:
        prepared = None
        with pytest.raises(PermissionDenied):
            call.run(fresh, prepared)
    assert _state(fresh) == before


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.name)
def test_nobody_signed_on_may_do_nothing(fresh, call):
    """Issue 12 item 5: a context with no role (before sign-on, a job that did not say who
    asked) is refused by every permission-checked service, and writes nothing."""
    prepared = call.prepare(fresh)
    fresh.ctx = open_gate(fresh.data_dir, clock=fresh.clock)      # as it opens: acting for nobody
    try:
        assert fresh.ctx.role is None
        before = _state(fresh)
        with pytest.raises(PermissionDenied) as err:
            call.run(fresh, prepared)
        assert err.value.code == "permission_denied" and str(err.value)
        assert _state(fresh) == before
    finally:
        fresh.ctx.close()


SYSTEM_MAY = {"backup", "purge_personal_data", "print_reports"}


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.name)
def test_the_system_does_upkeep_only(fresh, call):
    """Start-up and upkeep work acts as the system: backups, the purge, scheduled daily logs;
    it records nothing at the gate and changes nobody's data."""
    prepared = call.prepare(fresh)
    fresh.ctx = fresh.ctx.as_system()
    before = _state(fresh)
    if call.action in SYSTEM_MAY:
        call.run(fresh, prepared)
    else:
        with pytest.raises(PermissionDenied):
            call.run(fresh, prepared)
        assert _state(fresh) == before
    assert PERMISSIONS[SYSTEM] == SYSTEM_MAY and not allowed(SYSTEM, "view_personal_data")


def test_the_command_line_operator_may_do_everything():
    assert PERMISSIONS[OPERATOR] == ACTIONS and OPERATOR not in users.ROLES and SYSTEM not in users.ROLES


def test_signing_on_returns_a_new_context_and_leaves_the_shared_one(fresh):
    users.add_user(fresh.ctx, "小李", "guard", "1234")
    shared = open_gate(fresh.data_dir, clock=fresh.clock)
    try:
        signed = users.sign_on(shared, "小李", "1234")
        assert (shared.user, shared.role) == (None, None)             # nobody, as before
        assert (signed.acting.user, signed.acting.role) == ("小李", "guard")
        assert signed.acting is not shared and signed.acting.db is shared.db
        with pytest.raises(PermissionDenied):
            gate_service.record_passage(shared, fresh.cards["李四"], temperature="365")
        gate_service.record_passage(signed.acting, fresh.cards["李四"], temperature="365")
        shared.reload()                                                 # settings shared, not copied
        assert signed.acting.settings is shared.settings and signed.acting.rules is shared.rules
    finally:
        shared.close()


def test_the_first_accounts_need_no_one_signed_on_only_while_there_are_none(fresh):
    nobody = open_gate(fresh.data_dir, clock=fresh.clock)
    try:
        with pytest.raises(PermissionDenied):
            users.add_user(nobody, "老王", "admin", "correct horse")
        users.add_first_user(nobody, "老王", "admin", "correct horse")
        with pytest.raises(PermissionDenied):                           # a second admin: an admin's job
            users.add_first_user(nobody, "老张", "admin", "correct horse")
        users.add_first_user(nobody, "小李", "guard", "1234")            # the first guard, at sign-on
        with pytest.raises(PermissionDenied):
            users.add_first_user(nobody, "小王", "guard", "5678")
        with pytest.raises(PermissionDenied):
            users.add_first_user(nobody, "小赵", "manager", "correct horse")
    finally:
        nobody.close()


def test_records_say_who_made_them(fresh):
    users.add_user(fresh.ctx, "小李", "guard", "1234")
    fresh.ctx = users.sign_on(fresh.ctx, "小李", "1234").acting
    uid = _passage(fresh)
    assert fresh.ctx.db.conn.execute("SELECT guard FROM passages WHERE uid = ?", (uid,)).fetchone()[0] == "小李"


def test_a_guard_cannot_read_full_id_numbers_through_services(fresh):
    fresh.ctx.role = "guard"
    people = residents.list_residents(fresh.ctx) + residents.search_residents(fresh.ctx, "张")
    assert not any(p.id_number == "11010519491231002X" for p in people)
    assert not any(p.phone == "13812345678" for p in people)


AUDITOR_MAY = {"print_reports", "view_personal_data", "search_history", "browse_records", "check_database",
               "verify_documents", "view_exchange_problems"}


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.name)
def test_the_auditor_changes_nothing(fresh, call):
    """Issue 14 item 4: the auditor reads records, prints and verifies logs; every call that
    records, corrects, imports, issues, configures or backs up is refused, and what the auditor
    may call leaves the site's database as it was."""
    prepared = call.prepare(fresh)
    fresh.ctx.role = "auditor"
    conn = fresh.ctx.db.conn
    before = (conn.total_changes, fresh.count("journal"), fresh.count("amendments"),
              conn.execute("SELECT count(*) FROM users").fetchone()[0],
              conn.execute("SELECT group_concat(key || '=' || value) FROM settings").fetchone()[0])
    if call.action in AUDITOR_MAY:
        call.run(fresh, prepared)
    else:
        with pytest.raises(PermissionDenied, match="审计员"):
            call.run(fresh, prepared)
    assert (conn.total_changes, fresh.count("journal"), fresh.count("amendments"),
            conn.execute("SELECT count(*) FROM users").fetchone()[0],
            conn.execute("SELECT group_concat(key || '=' || value) FROM settings").fetchone()[0]) == before
    assert PERMISSIONS["auditor"] == AUDITOR_MAY
