"""A gate with every kind of record, made through the services (shared by db and services tests)."""

from __future__ import annotations

from checkpoint_app.db import records
from checkpoint_app.db.schema import RECORD_TABLES
from checkpoint_app.exchange.join import export_join
from checkpoint_app.services import (amendments, disinfection, door_rounds, gate as gate_service, handover,
                                     passes, privacy, residents, returnees, site, survey, users, visitors)

VISITOR = dict(name="孙悟空", phone="13800138000", id_number="11010519491231002X", purpose="送快递",
               host="3-2-501", from_place="本市朝阳区", health_code="green")


def populate(g) -> dict[str, int]:
    """Fill the ``gate`` fixture's database with every record kind; return counts per kind."""
    ctx, clock = g.ctx, g.clock
    ctx.user = "李建国"
    step = lambda: clock.advance(minutes=7)  # noqa: E731
    first = gate_service.record_passage(ctx, g.cards["张三"], temperature="365", direction="out")
    step()
    gate_service.record_passage(ctx, g.cards["张三"], temperature="366", direction="in")
    step()
    gate_service.record_passage(ctx, g.cards["王五"], temperature="364")            # quarantine: denied
    step()
    gate_service.record_passage(ctx, g.cards["李四"], temperature="380")            # fever: incident
    step()
    gate_service.record_manual_passage(ctx, g.ids["赵六"], temperature="36.8", direction="out")
    step()
    v = visitors.visitor_in(ctx, temperature="36.6", **VISITOR)
    step()
    visitors.visitor_in(ctx, temperature="36.4", **{**VISITOR, "name": "猪八戒", "phone": "13900139000",
                                                   "id_number": "110105198005060125", "health_code": "red"})
    step()
    visitors.visitor_out(ctx, v.visitor_id)
    step()
    disinfection.set_plan(ctx, "1号楼大堂", 2)
    disinfection.set_agent(ctx, "次氯酸水", "mg/L", "50", "200")
    disinfection.record_round(ctx, area="1号楼大堂", agent="84消毒液", concentration="500", contact_minutes="30",
                              method="spray", operator="王海波", checker="张伟")
    step()
    ctx.user = "物业管理员"
    residents.set_status(ctx, g.ids["李𠮷祥"], "observation")
    users.add_user(ctx, "夜班保安", "guard", "7777")
    visitors.add_to_watchlist(ctx, id_number="110105198005060125", note="红码访客")
    export_join(ctx, "北门", g.data_dir / "north.ckp")
    step()
    residents.correct_resident(ctx, g.ids["李四"], {"phone": "13900001111"}, "换了手机号")
    step()
    passes.revoke_pass(ctx, "000002", "丢失")
    step()
    passes.issue_passes(ctx, household="3-2-501", reissue=True)
    step()
    amendments.amend_record(ctx, first.passage_id, {"temp_tenths": "36.7"}, "录入错误")
    step()
    incident = ctx.db.conn.execute("SELECT uid FROM incidents ORDER BY at LIMIT 1").fetchone()[0]
    with ctx.db.write() as conn:   # no service writes follow-ups yet: the record kind exists
        records.append(conn, "incident_followup", {"incident_uid": incident, "note": "已联系社区医生",
                                                   "closed": 1, "recorded_by": ctx.user},
                       origin=ctx.gate.uid, at=clock())
    step()
    handover.hand_over(ctx, from_guard="李建国", to_guard="王海波", notes="一切正常")
    step()
    returnees.set_risk_area(ctx, "武汉", "quarantine", 14)
    returnees.register_returnee(ctx, resident_id=g.ids["张三"], from_area="武汉", arrival=clock().date(),
                                travel="G1234")
    door_rounds.record_household(ctx, door_rounds.today_round(ctx).households[0].household_id,
                                 [door_rounds.Entry(g.ids["张三"], "38.0", ("cough",))])
    returnees.end_early(ctx, g.ids["张三"], "核酸阴性")
    with ctx.db.write() as conn:   # how a site lifted a measure early before (services/returnees.py)
        uid = conn.execute("SELECT uid FROM residents WHERE id = ?", (g.ids["张三"],)).fetchone()[0]
        records.append(conn, "quarantine_end", {"resident_uid": uid, "reason": "核酸阴性", "recorded_by": ctx.user},
                       origin=ctx.gate.uid, at=clock())
    survey.record_visit(ctx, "入户排查", "5-1-101", "visited", present="赵六", needs=("elderly_alone",))
    clock.advance(days=40)
    ctx.user = "物业管理员"
    privacy.purge(ctx)
    clock.advance(minutes=1)
    visitors.visitor_in(ctx, temperature="36.5", **{**VISITOR, "name": "沙悟净"})   # personal data kept
    site.set_setting(ctx, "retention_days", "30")
    with ctx.db.write() as conn:   # a site made before state records gets these once (db/baseline.py)
        records.append(conn, "baseline", {"entity": "setting", "key": "retention_days", "recorded_by": ctx.user,
                                          "snapshot": '{"updated_at":null,"updated_by":null,"value":"30"}'},
                       origin=ctx.gate.uid, at=clock())
    counts = dict(ctx.db.conn.execute("SELECT kind, count(*) FROM journal GROUP BY kind").fetchall())
    missing = set(RECORD_TABLES) - set(counts)
    assert not missing, f"populate() made no {missing}"
    return counts
