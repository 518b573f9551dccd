"""The office's statistics over a range of days and the .xlsx export, read back with openpyxl;
the same through ``checkpoint report stats``."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from checkpoint_app.cli import main
from checkpoint_app.errors import InvalidInput
from checkpoint_app.services import amendments, disinfection, statistics, visitors
from checkpoint_app.services.gate import record_passage

VISITOR = dict(name="孙悟空", phone="13800138000", id_number="11010519491231002X", purpose="送快递",
               host="3-2-501", from_place="本市", health_code="green")


@pytest.fixture
def two_days(gate_ctx):
    """Day 1: 张三 out and in, 李四 with a fever, 王五 (quarantine) refused, a visitor refused for a
    fever, one passage voided; a plan of 3 rounds, 2 done (one voided). Day 2: quiet, 1 round."""
    g = gate_ctx
    ctx, clock = g.operator, g.clock
    day1 = ctx.now().date()
    step = lambda: clock.advance(minutes=5)   # noqa: E731
    disinfection.set_plan(ctx, "1号楼大堂", 3)
    record_passage(ctx, g.cards["张三"], temperature="365", direction="out", guard="王海波")
    step()
    record_passage(ctx, g.cards["张三"], temperature="366", direction="in", guard="王海波")
    step()
    record_passage(ctx, g.cards["李四"], temperature="380", guard="王海波")
    step()
    record_passage(ctx, g.cards["王五"], temperature="364", direction="out", guard="王海波")
    step()
    wrong = record_passage(ctx, g.cards["赵六"], temperature="364", direction="out", guard="王海波")
    amendments.void_record(ctx, wrong.passage_id, "扫错卡")
    visitors.visitor_in(ctx, temperature="38.2", guard="王海波", **VISITOR)
    visitors.visitor_in(ctx, temperature="36.4", guard="王海波", **{**VISITOR, "name": "猪八戒"})
    kept = dict(area="1号楼大堂", agent="84消毒液", concentration="500", contact_minutes=30, method="spray",
                operator="赵保洁")
    disinfection.record_round(ctx, **kept)
    voided = disinfection.record_round(ctx, **kept)
    amendments.void_record(ctx, voided, "重复登记")
    clock.advance(days=1)
    disinfection.record_round(ctx, **kept)
    return g, day1


def test_figures_per_day_count_what_stands(two_days):
    g, day1 = two_days
    stats = statistics.day_stats(g.operator, day1 - timedelta(days=1), day1 + timedelta(days=1))
    assert stats.days == [day1 - timedelta(days=1), day1, day1 + timedelta(days=1)]
    assert stats.figures == {
        "passages": [0, 4, 0], "fevers": [0, 2, 0], "refusals": [0, 2, 0], "visitors": [0, 2, 0],
        "returnees": [0, 0, 0], "rounds_done": [0, 1, 1], "rounds_planned": [0, 3, 3]}
    with pytest.raises(InvalidInput):
        statistics.day_stats(g.operator, day1, day1 - timedelta(days=1))
    with pytest.raises(InvalidInput):
        statistics.day_stats(g.operator, day1, day1 + timedelta(days=400))


def test_the_returnees_figure_counts_the_returnee_records(two_days):
    """Counted from the first table of RETURNEE_TABLES (issue 16's ``returnees``), voided ones left out."""
    from checkpoint_app.db import records

    g, day1 = two_days
    at = datetime.combine(day1, datetime.min.time()).replace(hour=10, tzinfo=g.clock().tzinfo)
    with g.ctx.db.write() as conn:
        uids = [records.append(conn, "returnee", {"household": "3-2-501", "from_area": "武汉", "recorded_by": "x"},
                               origin=g.ctx.gate.uid, at=at).uid for _ in range(3)]
    amendments.void_record(g.operator, uids[0], "重复登记")
    assert statistics.day_stats(g.operator, day1, day1 + timedelta(days=1)).figures["returnees"] == [2, 0]


def test_the_xlsx_has_one_sheet_per_kind_frozen_headers_widths_and_real_dates(two_days, tmp_path):
    g, day1 = two_days
    out = tmp_path / "stats.xlsx"
    statistics.export_xlsx(g.operator, day1, day1 + timedelta(days=1), out)
    book = load_workbook(out)
    assert book.sheetnames[0] == "每日统计" and "出入" in book.sheetnames and "消毒" in book.sheetnames
    assert "更正 · 作废" in book.sheetnames
    ws = book["每日统计"]
    assert [c.value for c in ws[1]] == ["日期", "出入", "发热", "拒绝", "访客", "返乡人员", "消毒完成", "消毒计划"]
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=2)] == [
        [datetime.combine(day1, datetime.min.time()), 4, 2, 2, 2, 0, 1, 3],
        [datetime.combine(day1 + timedelta(days=1), datetime.min.time()), 0, 0, 0, 0, 0, 1, 3]]
    assert ws["A2"].is_date
    passages = book["出入"]
    assert passages.freeze_panes == "A2"
    assert passages.column_dimensions["B"].width == 20
    header = [c.value for c in passages[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in passages.iter_rows(min_row=2)]
    assert len(rows) == 5 and sum(1 for r in rows if r["已作废"] == "是") == 1
    assert all(isinstance(r["时间"], datetime) and isinstance(r["日期"], datetime) for r in rows)
    assert rows[0]["时间"] == datetime(2026, 11, 20, 9, 0) and rows[0]["方向"] == "出"
    assert isinstance(rows[2]["体温"], int) and rows[2]["体温"] == 380     # numbers stay numbers
    assert book["消毒"].max_row == 1 + 3
    assert not (tmp_path / "stats.xlsx.partial").exists()


def test_the_command_line_prints_the_figures_and_writes_the_same_xlsx(two_days, tmp_path, capsys):
    g, day1 = two_days
    out = tmp_path / "cli.xlsx"
    code = main(["report", "stats", "--from", day1.isoformat(), "--to", (day1 + timedelta(days=1)).isoformat(),
                 "--out", str(out), "--data-dir", str(g.data_dir), "--json"])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["figures"]["passages"] == [4, 0] and printed["figures"]["rounds_planned"] == [3, 3]
    assert load_workbook(out)["每日统计"]["B2"].value == 4
    code = main(["report", "stats", "--from", day1.isoformat(), "--to", day1.isoformat(), "--data-dir",
                 str(g.data_dir), "--lang", "zh_CN"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["日期", "出入", "发热"]
    assert lines[1].split() == [day1.isoformat(), "4", "2", "2", "2", "0", "1", "3"]
    assert date.fromisoformat(lines[1].split()[0]) == day1


def test_the_xlsx_never_holds_a_secret_and_masks_phones_for_the_command_line(gate_ctx, tmp_path):
    """Every record kind goes into the workbook, but not a user's sign-on hash, a card's signed
    payload (a QR made from it opens the gate) or a gate's key; and the command line's operator,
    who may print reports but not see personal data, gets phones and ID numbers masked."""
    from checkpoint_app.services import passes, residents, users
    from checkpoint_app.services.permissions import CLI_OPERATOR

    g = gate_ctx
    users.add_user(g.operator, "门卫小王", "guard", "4711")
    secret_hash = g.operator.db.conn.execute("SELECT secret_hash FROM users WHERE name = '门卫小王'").fetchone()[0]
    residents.add_resident(g.operator, "3-2-501", "王小明", phone="13912345678")
    payloads = [p.payload for p in passes.issue_passes(g.operator, all_residents=True)]
    assert payloads
    day = g.operator.now().date()

    def cells(ctx, name):
        out = tmp_path / name
        statistics.export_xlsx(ctx, day, day, out)
        book = load_workbook(out, read_only=True)
        return [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]

    for text in (cells(g.operator, "manager.xlsx"), cells(g.operator.acting_as("operator:root", CLI_OPERATOR), "cli.xlsx")):
        assert not [t for t in text if "$argon2" in t or secret_hash[:24] in t]
        assert not [t for t in text for p in payloads if p[:24] in t]
    assert "13912345678" in cells(g.operator, "manager2.xlsx")
    cli = cells(g.operator.acting_as("operator:root", CLI_OPERATOR), "cli2.xlsx")
    assert "13912345678" not in cli and any(t.startswith("139") and "*" in t for t in cli)
