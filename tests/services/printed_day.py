"""One printed day at a gate, shared by the tests of the daily logs, their verification and
the pass cards: every kind of record, printed once per module (``printed``)."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from checkpoint_app import i18n, paths
from checkpoint_app.db import records
from checkpoint_app.services import amendments, disinfection, handover, passes, residents, visitors
from checkpoint_app.services.checkpoints import make_checkpoint
from checkpoint_app.services.daily_logs import daily_report
from checkpoint_app.services.gate import record_manual_passage, record_passage
from tests.core_fixtures import CST, START
from tests.reports.conftest import extract_text


DAY = START.date()  # 2026-11-20
EXTRA_ROSTER = """楼栋,单元,房号,姓名,电话,身份证号,类型,状态,隔离至
6,1,201,陈䶮,13312345678,,户主,正常,
6,1,201,阿依古丽·买买提艾力,13412345678,,家属,正常,
"""
LONG_PURPOSE = "为 3-2-501 住户上门更换厨房燃气管道并检查热水器排烟管，预计两小时"
VISITOR = dict(name="孙悟空", phone="13800138000", id_number="11010519491231002X",
               purpose=LONG_PURPOSE, host="3-2-501", from_place="本市朝阳区", health_code="green")


def build_day(g, tmp_path: Path) -> dict:
    """Fill the ``gate`` fixture with one day (START's) of every kind of record; return what
    the tests look for."""
    ctx, clock = g.ctx, g.clock
    roster = tmp_path / "extra.csv"
    roster.write_text(EXTRA_ROSTER, encoding="utf-8")
    residents.import_roster(ctx, roster)
    for p in passes.issue_passes(ctx, household="6-1-201"):
        g.cards[p.name] = p.payload
    for area, per_day in (("1号楼大堂", 2), ("电梯轿厢", 3), ("垃圾站", 1)):
        disinfection.set_plan(ctx, area, per_day)
    ctx.user = "李建国"
    step = lambda minutes=7: clock.advance(minutes=minutes)  # noqa: E731
    out = {}
    out["zhang_out"] = record_passage(ctx, g.cards["张三"], temperature="365", direction="out")
    step()
    record_passage(ctx, g.cards["张三"], temperature="366", direction="in")
    step()
    record_passage(ctx, g.cards["王五"], temperature="364", direction="out")        # quarantine
    step()
    out["fever"] = record_passage(ctx, g.cards["李四"], temperature="380")          # fever
    step()
    record_manual_passage(ctx, g.ids["赵六"], temperature="36.8", direction="out")  # observation
    step()
    v = visitors.visitor_in(ctx, temperature="36.6", **VISITOR)
    step()
    visitors.visitor_in(ctx, temperature="36.4", **{**VISITOR, "name": "猪八戒", "phone": "13900139000",
                                                   "id_number": "110105198005060125",
                                                   "health_code": "red", "purpose": "送快递"})
    step()
    visitors.visitor_in(ctx, temperature="36.5", **{**VISITOR, "name": "沙悟净", "phone": "13700137000",
                                                   "id_number": "110105198005060133",
                                                   "purpose": "探望父母"})  # stays inside
    step()
    visitors.visitor_out(ctx, v.visitor_id)
    step()
    ctx.user = "物业管理员"
    r1 = disinfection.record_round(ctx, area="1号楼大堂", agent="84消毒液", concentration="500",
                                   contact_minutes="30", method="spray", operator="赵保洁",
                                   checker="孙主管")
    step()
    disinfection.record_round(ctx, area="1号楼大堂", agent="含氯消毒剂", concentration="1000",
                              contact_minutes="30", method="wipe", operator="钱保洁")
    step()
    disinfection.record_round(ctx, area="电梯轿厢", agent="75%酒精", concentration="75",
                              contact_minutes="10", method="wipe", operator="赵保洁")
    step()
    ctx.user = "李建国"
    forged = passes.passcode.encode_pass(ctx.site.code, 4242, 1, 1, passes.passcode.generate_keypair()[0])
    record_passage(ctx, forged, temperature="365")                                 # forged
    step()
    out["rare_out"] = record_passage(ctx, g.cards["李𠮷祥"], temperature="364", direction="out")
    step()
    record_passage(ctx, g.cards["陈䶮"], temperature="365", direction="out")
    step(30)
    out["chen_in"] = record_passage(ctx, g.cards["陈䶮"], temperature="365", direction="in")
    step()
    record_passage(ctx, g.cards["阿依古丽·买买提艾力"], temperature="363", direction="out")
    step()
    record_passage(ctx, g.cards["阿依古丽·买买提艾力"], temperature="363", direction="in")
    step()
    ctx.user = "物业管理员"
    amendments.amend_record(ctx, out["zhang_out"].passage_id, {"temp_tenths": "36.7"}, "录入错误")
    step()
    amendments.void_record(ctx, out["chen_in"].passage_id, "扫错卡，实际未进入")
    step()
    amendments.amend_record(ctx, r1, {"checker": "周主管"}, "核查人登记错误")
    step()
    fever_incident = ctx.db.conn.execute(
        "SELECT uid FROM incidents WHERE subject_uid = ?", (out["fever"].passage_id,)).fetchone()[0]
    with ctx.db.write() as conn:  # no service writes follow-ups yet: the record kind exists
        records.append(conn, "incident_followup", {"incident_uid": fever_incident,
                                                   "note": "已通知社区医生上门复测，体温正常",
                                                   "closed": 1, "recorded_by": "孙主管"},
                       origin=ctx.gate.uid, at=clock())
    step()
    ctx.user = "李建国"
    handover.hand_over(ctx, from_guard="李建国", to_guard="王海波", notes="测温枪电量低，已更换电池")
    ctx.user = "李建国"
    clock.set(datetime(2026, 11, 21, 8, 30, tzinfo=CST))  # printed the next morning
    out["visitor"] = v
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory, _site_template):
    """The day built once and printed once for the module: (data dir, files, facts)."""
    from tests.core_fixtures import FakeClock, ROSTER_CSV
    from checkpoint_app.services.context import open_gate

    tmp = tmp_path_factory.mktemp("documents")
    data = tmp / "data"
    data.mkdir()
    shutil.copy(paths.db_path(_site_template), paths.db_path(data))
    clock = FakeClock()
    ctx = open_gate(data, clock=clock).acting_as(None, "operator")
    before = i18n.language()
    i18n.set_language("zh_CN")
    try:
        roster = tmp / "roster.csv"
        roster.write_text(ROSTER_CSV, encoding="utf-8")
        residents.import_roster(ctx, roster)

        class G:
            pass
        g = G()
        g.ctx, g.clock = ctx, clock
        g.cards = {p.name: p.payload for p in passes.issue_passes(ctx, all_residents=True)}
        g.ids = {r.name: r.id for r in residents.list_residents(ctx)}
        facts = build_day(g, tmp)
        files = daily_report(ctx, DAY, tmp / "out")
        cp, cp_text = make_checkpoint(ctx, DAY)
        facts.update(checkpoint=cp, checkpoint_text=cp_text, clock=clock)
        yield ctx, files, facts
    finally:
        i18n.set_language(before)
        ctx.close()


@pytest.fixture(autouse=True)
def chinese():
    before = i18n.language()
    i18n.set_language("zh_CN")
    yield
    i18n.set_language(before)


def by_kind(files: list[Path]) -> dict[str, Path]:
    return {f.stem.rsplit("_", 1)[1]: f for f in files}


def text_of(pdf: Path) -> str:
    return "\n".join(extract_text(pdf))


def rows_by_seq(text: str) -> dict[int, str]:
    """Extracted table text cut into rows: record number -> the row's text (a wrapped cell
    spills onto the next lines)."""
    out = {}
    for block in re.split(r"\n(?=\d+ (?:\d\d:\d\d|[^\n]{0,8}\d\d:\d\d))", "\n" + text):
        m = re.match(r"(\d+) ", block)
        if m:
            out[int(m.group(1))] = block
    return out


def flat(text: str) -> str:
    """Extracted text without line breaks and spaces (wrapped cells come back in pieces)."""
    return "".join(text.split())
