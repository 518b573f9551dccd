from datetime import date

import pytest

from checkpoint_app.errors import InvalidInput, NotFound, RuleRefusal
from checkpoint_app.services import residents


def test_import_creates_households_residents_and_status_records(site, roster_file):
    report = residents.import_roster(site.ctx, roster_file)
    assert (report.households, report.residents, report.updated, report.unchanged) == (4, 5, 0, 0)
    people = {r.name: r for r in residents.list_residents(site.ctx)}
    assert people["王五"].status == "quarantine" and people["王五"].status_until == date(2026, 11, 25)
    assert people["张三"].name_initials == "zs"
    # the two non-normal statuses are recorded in the chain
    assert site.count("resident_status_changes") == 2


def test_reimport_changes_nothing_and_a_changed_row_updates(site, roster_file, tmp_path):
    residents.import_roster(site.ctx, roster_file)
    journal = site.count("journal")
    again = residents.import_roster(site.ctx, roster_file)
    assert (again.households, again.residents, again.updated, again.unchanged) == (0, 0, 0, 5)
    assert site.count("journal") == journal
    changed = tmp_path / "changed.csv"
    changed.write_text(roster_file.read_text(encoding="utf-8").replace("13912345678", "13900000000"), encoding="utf-8")
    r = residents.import_roster(site.ctx, changed)
    assert (r.updated, r.unchanged) == (1, 4)
    assert {p.name: p.phone for p in residents.list_residents(site.ctx)}["李四"] == "13900000000"


def test_dry_run_writes_nothing(site, roster_file):
    r = residents.import_roster(site.ctx, roster_file, dry_run=True)
    assert r.residents == 5 and site.count("residents") == 0 and site.count("journal") == 0


def test_strict_is_all_or_nothing(site, tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("楼栋,单元,房号,姓名,电话\n1,1,101,甲,13800000000\n1,1,102,乙,bad\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        residents.import_roster(site.ctx, f, strict=True)
    assert site.count("residents") == 0
    r = residents.import_roster(site.ctx, f)
    assert r.residents == 1 and [e.row for e in r.errors] == [3]


def test_an_id_number_already_used_by_someone_else_is_a_row_error(site, tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("楼栋,单元,房号,姓名,身份证号\n1,1,101,甲,11010519491231002X\n", encoding="utf-8")
    residents.import_roster(site.ctx, f)
    g = tmp_path / "g.csv"
    g.write_text("楼栋,单元,房号,姓名,身份证号\n2,1,101,乙,11010519491231002X\n2,1,101,丙,\n", encoding="utf-8")
    r = residents.import_roster(site.ctx, g)
    assert r.residents == 1 and [e.row for e in r.errors] == [2]


def test_search_by_household_name_and_pinyin(gate):
    find = lambda text: {r.name for r in residents.search_residents(gate.ctx, text)}  # noqa: E731
    assert find("3-2-501") == {"张三", "李四"}
    assert find("3-2") == {"张三", "李四", "王五"}
    assert find("李") == {"李四", "李𠮷祥"}
    assert find("zs") == {"张三"}
    assert find("%") == set() and find("") == set()


def test_set_status(gate):
    rid = gate.ids["张三"]
    r = residents.set_status(gate.ctx, rid, "quarantine", date(2026, 12, 1))
    assert (r.status, r.status_until) == ("quarantine", date(2026, 12, 1))
    with pytest.raises(RuleRefusal):
        residents.set_status(gate.ctx, rid, "quarantine", None)
    with pytest.raises(InvalidInput):
        residents.set_status(gate.ctx, rid, "asleep")
    with pytest.raises(NotFound):
        residents.set_status(gate.ctx, 9999, "normal")
    with pytest.raises(RuleRefusal, match="提前解除"):     # lifting early: a reason is required
        residents.set_status(gate.ctx, rid, "normal", date(2026, 12, 1))
    assert residents.set_status(gate.ctx, rid, "normal", date(2026, 12, 1), reason="核酸阴性").status_until is None


def test_a_household_goes_under_quarantine_in_one_step_and_all_or_none(gate):
    from checkpoint_app.db import residents_repo

    with gate.ctx.db.read() as conn:
        household = residents_repo.get_resident(conn, gate.ids["张三"]).household_id
    before = gate.count("resident_status_changes")
    changed = residents.set_household_status(gate.ctx, household, "quarantine", date(2026, 12, 20))
    assert sorted(r.name for r in changed) == ["张三", "李四"]
    assert {(r.status, r.status_until) for r in changed} == {("quarantine", date(2026, 12, 20))}
    assert gate.count("resident_status_changes") == before + 2
    with pytest.raises(RuleRefusal):          # no end date: nobody changes
        residents.set_household_status(gate.ctx, household, "quarantine", None)
    with pytest.raises(NotFound):
        residents.set_household_status(gate.ctx, 9999, "normal")
    with pytest.raises(Exception, match="无权"):
        residents.set_household_status(gate.ctx.acting_as("李建国", "guard"), household, "normal")
    assert gate.count("resident_status_changes") == before + 2


def test_the_household_view_masks_phones_unless_the_role_may_see_them(gate):
    from checkpoint_app.db import residents_repo

    with gate.ctx.db.read() as conn:
        household = residents_repo.get_resident(conn, gate.ids["张三"]).household_id
    view = residents.household_view(gate.ctx.acting_as("物业刘", "manager"), household)
    assert view.label == "3-2-501" and {r.phone for r in view.members} == {"13812345678", "13912345678"}
    assert all(len(view.passes[r.id]) == 1 for r in view.members)
    # an admin may not see personal data, nor the history
    view = residents.household_view(gate.ctx.acting_as("陈志明", "admin"), household)
    assert {r.phone for r in view.members} == {"138****5678", "139****5678"} and view.passages == []
    with pytest.raises(NotFound):
        residents.household_view(gate.ctx, 9999)


def test_the_office_roster_knows_who_holds_a_valid_pass(gate):
    from checkpoint_app.services import passes

    everyone = residents.office_roster(gate.ctx)
    assert len(everyone.residents) == 5 and everyone.with_valid_pass == {r.id for r in everyone.residents}
    with gate.ctx.db.read() as conn:
        number = conn.execute("SELECT number FROM passes WHERE resident_id = ?", (gate.ids["赵六"],)).fetchone()[0]
    passes.revoke_pass(gate.ctx, str(number), "lost")
    assert gate.ids["赵六"] not in residents.office_roster(gate.ctx).with_valid_pass


# --- residents missing from a new roster (issue 11, finding 6) -----------------------------------

def _without(roster_file, tmp_path, name):
    f = tmp_path / "new-roster.csv"
    f.write_text("".join(line for line in roster_file.read_text(encoding="utf-8").splitlines(True)
                         if f",{name}," not in line), encoding="utf-8")
    return f


def test_a_resident_missing_from_the_file_is_listed_and_stays(gate, roster_file, tmp_path):
    from checkpoint_app.services.gate import record_passage

    report = residents.import_roster(gate.ctx, _without(roster_file, tmp_path, "赵六"))
    assert report.missing == [("5-1-101", "赵六")] and report.moved_out == 0
    assert "赵六" in [r.name for r in residents.list_residents(gate.ctx)]
    assert record_passage(gate.ctx, gate.cards["赵六"], temperature="365").outcome != "denied"


def test_moved_out_ends_the_pass_with_records_and_a_dry_run_only_shows_it(gate, roster_file, tmp_path):
    from checkpoint_app.services.gate import record_passage

    f = _without(roster_file, tmp_path, "赵六")
    journal = gate.count("journal")
    preview = residents.import_roster(gate.ctx, f, dry_run=True, mark_missing_moved_out=True)
    assert (preview.missing, preview.moved_out) == ([("5-1-101", "赵六")], 1)
    assert gate.count("journal") == journal and "赵六" in [r.name for r in residents.list_residents(gate.ctx)]

    report = residents.import_roster(gate.ctx, f, mark_missing_moved_out=True)
    assert report.moved_out == 1 and report.as_json()["missing"] == [{"household": "5-1-101", "name": "赵六"}]
    assert "赵六" not in [r.name for r in residents.list_residents(gate.ctx)]
    kinds = [k for (k,) in gate.ctx.db.conn.execute(
        "SELECT kind FROM journal ORDER BY origin_seq DESC LIMIT 2")]
    assert sorted(kinds) == ["pass_revoke", "resident_status"]
    assert gate.ctx.db.conn.execute("SELECT status FROM resident_status_changes ORDER BY rowid DESC LIMIT 1"
                                    ).fetchone() == ("moved_out",)
    result = record_passage(gate.ctx, gate.cards["赵六"], temperature="365")
    assert (result.outcome, result.reason) == ("denied", "revoked")
    # listed again later: back in, nobody else moved
    again = residents.import_roster(gate.ctx, roster_file, mark_missing_moved_out=True)
    assert again.moved_out == 0 and "赵六" in [r.name for r in residents.list_residents(gate.ctx)]


def test_nobody_is_moved_out_by_a_file_with_rejected_rows(gate, roster_file, tmp_path):
    f = _without(roster_file, tmp_path, "赵六")
    f.write_text(f.read_text(encoding="utf-8") + "9,9,909,错号,12345,,户主,正常,\n", encoding="utf-8")
    journal = gate.count("journal")
    with pytest.raises(InvalidInput) as err:
        residents.import_roster(gate.ctx, f, mark_missing_moved_out=True)
    assert err.value.code == "move_out_with_errors"
    assert gate.count("journal") == journal


def _household(gate, name):
    from checkpoint_app.db import residents_repo

    with gate.ctx.db.read() as conn:
        return residents_repo.get_resident(conn, gate.ids[name]).household_id


def _last(gate, table, *cols):
    return gate.ctx.db.conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY at DESC, rowid DESC "
                                    "LIMIT 1").fetchone()


@pytest.mark.parametrize("status,until,needs_reason", [
    ("quarantine", date(2026, 11, 25), True),     # 王五 until the 25th, today the 20th: early
    ("observation", None, True),                  # no end date: lifting it is always early
    ("quarantine", date(2026, 11, 19), False),    # already over yesterday: nothing to lift
    ("normal", None, False),
])
def test_lifting_early_needs_a_reason_that_is_kept_on_the_record(gate, status, until, needs_reason):
    rid = gate.ids["张三"]
    with gate.ctx.db.write() as conn:     # the state to lift, as an import may have left it
        conn.execute("UPDATE residents SET status = ?, status_until = ? WHERE id = ?",
                     (status, until.isoformat() if until else None, rid))
    before = gate.count("resident_status_changes")
    if needs_reason:
        for blank in (None, "", "   "):
            with pytest.raises(RuleRefusal, match="^提前解除隔离或观察须填写原因") as refused:
                residents.set_status(gate.ctx, rid, "normal", reason=blank)
            assert refused.value.code == "reason_required"
        assert gate.count("resident_status_changes") == before
    else:
        residents.set_status(gate.ctx, rid, "normal")
        before += 1
    gate.ctx.user = "物业刘"
    residents.set_status(gate.ctx, rid, "normal", reason="核酸 两次 阴性")
    assert gate.count("resident_status_changes") == before + 1
    assert _last(gate, "resident_status_changes", "status", "reason", "recorded_by") == ("normal", "核酸 两次 阴性", "物业刘")


def test_a_household_with_one_member_under_quarantine_is_lifted_only_with_a_reason(gate):
    household = _household(gate, "王五")
    before = gate.count("resident_status_changes")
    with pytest.raises(RuleRefusal, match="原因"):
        residents.set_household_status(gate.ctx, household, "normal")
    assert gate.count("resident_status_changes") == before
    residents.set_household_status(gate.ctx, household, "normal", reason="解除隔离通知")
    assert gate.count("resident_status_changes") == before + 1


def test_several_households_go_under_quarantine_in_one_step_all_or_none(gate):
    a, b, c = _household(gate, "张三"), _household(gate, "赵六"), _household(gate, "李𠮷祥")
    before = gate.count("resident_status_changes")
    with pytest.raises(NotFound):                      # one household that does not exist: nobody changes
        residents.set_households_status(gate.ctx, [a, b, 9999], "quarantine", date(2026, 12, 4))
    assert gate.count("resident_status_changes") == before
    with pytest.raises(InvalidInput, match="选择房屋"):
        residents.set_households_status(gate.ctx, [], "quarantine", date(2026, 12, 4))
    changed = residents.set_households_status(gate.ctx, [a, b, c, a], "quarantine", date(2026, 12, 4))
    assert sorted(r.name for r in changed) == sorted(["张三", "李四", "赵六", "李𠮷祥"])
    assert {(r.status, r.status_until) for r in changed} == {("quarantine", date(2026, 12, 4))}
    assert gate.count("resident_status_changes") == before + 4


def test_a_resident_is_added_with_a_record_and_checked_as_a_roster_row(gate):
    before = gate.count("resident_corrections")
    gate.ctx.user = "物业刘"
    r = residents.add_resident(gate.ctx, "３-2-５０１", "王小明", phone="+86 139-0000-1111", kind="租户")
    assert (r.household, r.name, r.phone, r.kind, r.status, r.active) == (
        "3-2-501", "王小明", "13900001111", "tenant", "normal", True)
    assert r.name_initials == "wxm"
    row = _last(gate, "resident_corrections", "resident_uid", "action", "household", "changes", "recorded_by")
    assert row[:3] == (r.uid, "add", "3-2-501") and row[4] == "物业刘"
    assert "13900001111" not in row[3] and "139****1111" in row[3]      # the record holds no phone
    new = residents.add_resident(gate.ctx, "9-1-101", "钱七")          # a new household is made
    assert new.household == "9-1-101"
    for household, name, kwargs, match in [
        ("3-2-501", "张三", {}, "已有一位 张三"),
        ("3-2", "孙八", {}, "楼栋-单元-房号"),
        ("3-2-501", "", {}, "姓名"),
        ("3-2-501", "孙八", {"phone": "123"}, "手机"),
        ("3-2-501", "孙八", {"id_number": "11010519491231002X"}, "已属于 3-2-501 的 张三"),
        ("3-2-501", "孙八", {"kind": "房东的狗"}, "类型"),
    ]:
        with pytest.raises((InvalidInput, RuleRefusal), match=match):
            residents.add_resident(gate.ctx, household, name, **kwargs)
    assert gate.count("resident_corrections") == before + 2
    with pytest.raises(Exception, match="无权"):
        residents.add_resident(gate.ctx.acting_as("李建国", "guard"), "3-2-501", "孙八")


def test_a_correction_keeps_who_when_what_from_what_and_why_and_shows_in_the_household_view(gate):
    import json

    rid = gate.ids["李四"]
    with pytest.raises(InvalidInput, match="原因"):
        residents.correct_resident(gate.ctx, rid, {"name": "李思"}, "")
    with pytest.raises(RuleRefusal, match="没有改动"):
        residents.correct_resident(gate.ctx, rid, {"name": "李四", "phone": "13912345678"}, "核对")
    with pytest.raises(InvalidInput, match="不能更正"):
        residents.correct_resident(gate.ctx, rid, {"status": "normal"}, "核对")
    assert gate.count("resident_corrections") == 0
    gate.ctx.user = "物业刘"
    gate.clock.advance(minutes=5)
    r = residents.correct_resident(gate.ctx, rid, {"name": "李思", "phone": "13900002222", "household": "3-2-502"},
                                   "登记时写错了")
    assert (r.name, r.phone, r.household, r.name_initials) == ("李思", "13900002222", "3-2-502", "ls")
    at, action, household, changes, reason, who = _last(
        gate, "resident_corrections", "at", "action", "household", "changes", "reason", "recorded_by")
    assert (action, household, reason, who) == ("correct", "3-2-502", "登记时写错了", "物业刘")
    assert json.loads(changes) == {"name": ["李四", "李思"], "phone": ["139****5678", "139****2222"],
                                   "household": ["3-2-501", "3-2-502"]}
    assert at.startswith("2026-11-20T09:05:00")
    view = residents.household_view(gate.ctx.acting_as("物业刘", "manager"), r.household_id)
    seen = view.changes[0]
    assert (seen.name, seen.action, seen.reason, seen.recorded_by) == ("李思", "correct", "登记时写错了", "物业刘")
    assert seen.changes["name"] == ["李四", "李思"]
    with pytest.raises(RuleRefusal, match="已属于"):     # another resident's ID number
        residents.correct_resident(gate.ctx, rid, {"id_number": "11010519491231002X"}, "核对")


def test_moving_out_revokes_the_pass_at_once_with_the_reason(gate):
    from checkpoint_app.services import gate as gate_service

    rid = gate.ids["张三"]
    with pytest.raises(InvalidInput, match="原因"):
        residents.move_out(gate.ctx, rid, " ")
    gate.ctx.user = "物业刘"
    r = residents.move_out(gate.ctx, rid, "房屋出售")
    assert not r.active
    assert _last(gate, "resident_status_changes", "status", "reason", "recorded_by") == ("moved_out", "房屋出售", "物业刘")
    assert _last(gate, "pass_events_revoke", "reason") == ("房屋出售",)
    assert gate_service.record_passage(gate.ctx, gate.cards["张三"], temperature="36.5").outcome == "denied"
    with pytest.raises(RuleRefusal, match="已迁出"):
        residents.move_out(gate.ctx, rid, "房屋出售")
    with pytest.raises(RuleRefusal, match="已迁出"):
        residents.correct_resident(gate.ctx, rid, {"name": "张叁"}, "写错")
    view = residents.household_view(gate.ctx, r.household_id)
    assert view.changes[0].action == "moved_out" and view.changes[0].reason == "房屋出售"


# --- the preview of every row, the user's choices, cancelling -------------------------------

from checkpoint_app.services.progress import Cancelled, Progress  # noqa: E402
from checkpoint_app.services.roster_file import RosterChoice  # noqa: E402
from tests.roster_workbooks import MESSY_IMPORTED, MESSY_REJECTED, messy_office_workbook  # noqa: E402


def test_the_preview_says_for_every_row_new_changed_unchanged_or_rejected_and_writes_nothing(gate, tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("花名册,,,,,,,,\n楼栋,单元,房号,姓名,电话,身份证号,类型,状态,隔离至\n"
                 "3,2,501,张三,13812345678,11010519491231002X,户主,正常,\n"   # unchanged
                 "3,2,501,李四,13900000000,,家属,居家隔离,\n"     # quarantine without a date: rejected
                 "3,2,502,王五,13712345678,,户主,健康观察,\n"     # changed: status
                 "5,1,102,李𠮷祥,13599999999,,户主,正常,\n"        # changed: phone
                 "9,9,901,新人,,,,,\n"                             # new
                 "9,9,902,,,,,,\n", encoding="utf-8")              # rejected: no name
    journal = gate.count("journal")
    report = residents.import_roster(gate.ctx, f, dry_run=True)
    assert [(o.row, o.status, o.household, o.name) for o in report.outcomes] == [
        (3, "unchanged", "3-2-501", "张三"), (4, "rejected", "3-2-501", "李四"), (5, "changed", "3-2-502", "王五"),
        (6, "changed", "5-1-102", "李𠮷祥"), (7, "new", "9-9-901", "新人"), (8, "rejected", "9-9-902", "")]
    details = {o.row: o.detail for o in report.outcomes}
    assert details[5] == "状态" and details[6] == "电话" and "隔离" in details[4] and "姓名" in details[8]
    assert report.missing == [("3-2-501", "李四"), ("5-1-101", "赵六")]   # 李四 only on a rejected row
    assert gate.count("journal") == journal and gate.count("residents") == 5


def test_a_conflict_found_by_the_import_is_a_rejected_row_of_the_preview(site, tmp_path):
    f = tmp_path / "r.csv"
    f.write_text("楼栋,单元,房号,姓名,身份证号\n1,1,101,甲,11010519491231002X\n", encoding="utf-8")
    residents.import_roster(site.ctx, f)
    g = tmp_path / "g.csv"
    g.write_text("楼栋,单元,房号,姓名,身份证号\n2,1,101,乙,11010519491231002X\n", encoding="utf-8")
    with pytest.raises(InvalidInput):   # the dry run refuses a file of which nothing can be imported
        residents.import_roster(site.ctx, g, dry_run=True)
    [outcome] = residents.preview_roster(site.ctx, g).outcomes
    assert (outcome.status, outcome.household, outcome.name) == ("rejected", "2-1-101", "乙")
    assert "1-1-101 的 甲" in outcome.detail


def test_a_messy_office_workbook_imports(site, tmp_path):
    path = messy_office_workbook(tmp_path / "花名册.xlsx")
    report = residents.import_roster(site.ctx, path)
    assert (report.residents, len(report.errors)) == (len(MESSY_IMPORTED), 2) and report.layout.header_row == 3
    assert {e.row for e in report.errors} == set(MESSY_REJECTED)
    assert {(r.household, r.name): (r.phone, r.id_number) for r in residents.list_residents(site.ctx)} == MESSY_IMPORTED


def test_the_users_choice_of_sheet_and_header_row_reaches_the_reader(site, tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["楼栋", "单元", "房号", "姓名"])
    book.active.append([1, 1, 101, "甲"])
    other = book.create_sheet("二期")
    other.append(["楼栋", "单元", "房号", "姓名"])
    other.append([2, 1, 101, "乙"])
    book.save(tmp_path / "r.xlsx")
    report = residents.import_roster(site.ctx, tmp_path / "r.xlsx", choice=RosterChoice(sheet="二期", header_row=1))
    assert [r.name for r in residents.list_residents(site.ctx)] == ["乙"] and report.layout.sheet == "二期"


def test_a_cancelled_import_leaves_the_roster_as_it_was(gate, tmp_path):
    f = tmp_path / "big.csv"
    f.write_text("楼栋,单元,房号,姓名,状态,隔离至\n" + "".join(f"7,{i % 3 + 1},{100 + i},住户{chr(0x4E00 + i)},居家隔离,2026-11-30\n"
                                                          for i in range(600)), encoding="utf-8")
    before = {t: gate.count(t) for t in ("residents", "households", "journal", "resident_status_changes")}
    steps = []

    def report(done, total, text):
        steps.append(done)
        if done == 300:
            progress.cancel()

    progress = Progress(report)
    with pytest.raises(Cancelled):
        residents.import_roster(gate.ctx, f, progress=progress, mark_missing_moved_out=True)
    assert steps[:3] == [0, 1, 2] and max(steps) == 300
    assert {t: gate.count(t) for t in before} == before
    # and the same file imports whole afterwards
    assert residents.import_roster(gate.ctx, f, progress=Progress()).residents == 600


def test_a_roster_without_a_column_keeps_what_the_residents_have_there(gate, tmp_path):
    before = {r.name: (r.phone, r.id_number, r.kind, r.status, r.status_until) for r in residents.list_residents(gate.ctx)}
    f = tmp_path / "names-only.csv"
    f.write_text("楼栋,单元,房号,姓名\n3,2,501,张三\n3,2,501,李四\n3,2,502,王五\n5,1,101,赵六\n5,1,102,李𠮷祥\n9,1,101,新人\n",
                 encoding="utf-8")
    report = residents.import_roster(gate.ctx, f)
    assert (report.unchanged, report.updated, report.residents) == (5, 0, 1)
    after = {r.name: (r.phone, r.id_number, r.kind, r.status, r.status_until) for r in residents.list_residents(gate.ctx)}
    assert {k: v for k, v in after.items() if k != "新人"} == before and after["新人"] == (None, None, "family", "normal", None)
    # a column that is there but empty does clear it
    g = tmp_path / "phones.csv"
    g.write_text("楼栋,单元,房号,姓名,电话\n3,2,501,张三,\n", encoding="utf-8")
    [outcome] = [o for o in residents.import_roster(gate.ctx, g).outcomes if o.name == "张三"]
    assert outcome.detail == "电话"
