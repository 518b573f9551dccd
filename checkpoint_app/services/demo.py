"""A realistic compound for trying the app and for screenshots: ``checkpoint demo``.

Everything goes through the real services with a moving clock, so the demo data obeys the
same rules, chains and sequences as real records.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from checkpoint_app.db import residents_repo
from checkpoint_app.domain.identity import make_id_number
from checkpoint_app.domain.passcode import encode_pass, generate_keypair
from checkpoint_app.services import disinfection, gate, handover, passes, residents, site, users, visitors
from checkpoint_app.services.context import system_clock
from checkpoint_app.services.permissions import OPERATOR

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国建华文志宏海波鹏辉晓东雪梅丹宇浩然子涵欣怡梓萱一诺思远嘉怡俊杰佳琪雨桐宇轩婷婷"
REGIONS = ("110105", "310104", "420106", "440305", "510107", "330106", "320102", "370202")
AREAS = (("1号楼大堂", 2), ("2号楼大堂", 2), ("电梯轿厢", 3), ("垃圾站", 2), ("快递柜", 2), ("南门岗亭", 1))
GUARDS = ("李建国", "王海波", "张伟")
# Agents as a property office uses them: chlorine for floors and bins, 75 % ethanol for buttons
ROUND_AGENTS = (("含氯消毒剂", "500", 30, ("spray", "wipe")), ("84消毒液", "1000", 30, ("spray", "wipe")),
                ("乙醇", "75", 3, ("wipe",)))
# Demo sign-ons, printed by `checkpoint demo` and in the README: never use these on a real gate.
DEMO_ADMIN = ("物业管理员", "manager", "demo-manager-2026")
DEMO_USERS = (("系统管理员", "admin", "demo-admin-2026"), DEMO_ADMIN,
              *((g, "guard", pin) for g, pin in zip(GUARDS, ("1111", "2222", "3333"))))
PURPOSES = ("送快递", "探望父母", "维修水管", "送外卖", "家政保洁", "社区医生上门", "搬家")
PLACES = ("本市朝阳区", "本市海淀区", "河北廊坊", "天津", "本市丰台区", "山东济南")


def _name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def make_demo(data_dir: Path, *, households: int = 120, days: int = 7, seed: int = 2020,
              today: date | None = None) -> dict:
    rng = random.Random(seed)
    households = max(1, min(households, 5000))
    days = max(1, min(days, 60))
    today = today or system_clock().date()
    tz = system_clock().tzinfo
    start = datetime.combine(today - timedelta(days=days - 1), time(0, 5), tzinfo=tz)
    clock = {"now": start - timedelta(days=1)}
    ctx = site.init_site(data_dir, site_code="HXY01", site_name="和谐苑小区", gate_name="南门",
                         clock=lambda: clock["now"])
    try:
        return _fill(ctx, rng, clock, households, days, start, today)
    finally:
        ctx.close()


def _fill(ctx, rng, clock, n_households, days, start, today) -> dict:
    ctx.db.conn.execute("PRAGMA synchronous = OFF")  # demo data: speed over durability
    ctx = ctx.acting_as(DEMO_ADMIN[0], OPERATOR)     # `checkpoint demo`: the command line's operator
    for name, role, secret in DEMO_USERS:
        users.add_user(ctx, name, role, secret)
    for key, value in (("outing_limit_minutes", "180"), ("duplicate_window_seconds", "10")):
        site.set_setting(ctx, key, value)
    for area, per_day in AREAS:
        disinfection.set_plan(ctx, area, per_day)
    # The roster, written as a CSV the way an office would export it, then imported for real.
    roster = ctx.data_dir / "demo-roster.csv"
    lines = ["楼栋,单元,房号,姓名,电话,身份证号,类型,状态,隔离至"]
    special = iter(("李𠮷祥", "陈䶮", "欧阳娜娜"))
    used_ids = set()
    for i in range(n_households):
        building, unit, floor, door = 1 + i // 24, 1 + (i // 12) % 2, 1 + (i // 2) % 6, 1 + i % 2
        members = rng.choice((1, 2, 2, 3, 3, 4))
        names = set()
        for m in range(members):
            name = next(special, None) if rng.random() < 0.03 else None
            name = name or _name(rng)
            if name in names:
                continue
            names.add(name)
            birth = date(rng.randint(1945, 2012), rng.randint(1, 12), rng.randint(1, 28))
            idn = make_id_number(rng.choice(REGIONS), birth, rng.randint(1, 999))
            if idn in used_ids:
                continue
            used_ids.add(idn)
            phone = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
            status, until = "normal", ""
            r = rng.random()
            if r < 0.02:
                status, until = "居家隔离", (today + timedelta(days=rng.randint(2, 10))).isoformat()
            elif r < 0.04:
                status = "健康观察"
            kind = "户主" if m == 0 else "家属"
            lines.append(f"{building},{unit},{floor}0{door},{name},{phone},{idn},{kind},{status if status != 'normal' else '正常'},{until}")
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    report = residents.import_roster(ctx, roster)
    issued = passes.issue_passes(ctx, all_residents=True)
    people: dict[str, list] = {}
    for r in residents.list_residents(ctx):
        people.setdefault(r.household, []).append(r)
    by_household: dict[str, list] = {}
    for p in issued:
        by_household.setdefault(p.household, [])
        if not any(r.name == p.name and r.status == "quarantine" for r in people.get(p.household, ())):
            by_household[p.household].append(p)
    # One lost card, revoked and re-issued: its old payload will be tried at the gate.
    lost = rng.choice(issued)
    passes.revoke_pass(ctx, str(lost.number), "遗失")
    for new in passes.issue_passes(ctx, household=lost.household):
        cards = by_household[new.household]
        by_household[new.household] = [new if c.number == new.number else c for c in cards]

    forger_key = generate_keypair()[0]
    in_quarantine = {(r.household, r.name) for r in residents.list_residents(ctx) if r.status == "quarantine"}
    quarantined = [p.payload for p in issued if (p.household, p.name) in in_quarantine]
    events: list[tuple[datetime, str, tuple]] = []
    for d in range(days):
        day = start.date() + timedelta(days=d)
        for label, cards in by_household.items():
            if not cards:
                continue
            busy: dict[int, datetime] = {}
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                card = rng.choice(cards)
                out_at = datetime.combine(day, time(rng.randint(6, 20), rng.randint(0, 59)), tzinfo=start.tzinfo)
                back = out_at + timedelta(minutes=rng.choice((25, 40, 60, 60, 90, 90, 120, 150, 170, 200)))
                if card.number in busy and out_at <= busy[card.number]:
                    continue  # already out then: one outing at a time per person
                busy[card.number] = back
                events.append((out_at, "pass", (card.payload, "out")))
                events.append((back, "pass", (card.payload, "in")))
        for h in (0, 8, 16):
            events.append((datetime.combine(day, time(h, 0, 30), tzinfo=start.tzinfo), "handover", (h,)))
        for area, per_day in AREAS:
            for k in range(per_day):
                if rng.random() < 0.9:
                    at = datetime.combine(day, time(7 + k * 5 + rng.randint(0, 2), rng.randint(0, 59)), tzinfo=start.tzinfo)
                    events.append((at, "round", (area,)))
        for _ in range(rng.randint(3, 8)):
            at = datetime.combine(day, time(rng.randint(8, 19), rng.randint(0, 59)), tzinfo=start.tzinfo)
            events.append((at, "visitor", (rng.choice(list(by_household)),)))
        events.append((datetime.combine(day, time(rng.randint(9, 20), 13), tzinfo=start.tzinfo), "forged", ()))
        for payload in quarantined:  # someone in home quarantine tries to go out
            if rng.random() < 0.5:
                at = datetime.combine(day, time(rng.randint(8, 18), 41), tzinfo=start.tzinfo)
                events.append((at, "pass", (payload, "out")))
        events.append((datetime.combine(day, time(rng.randint(9, 20), 27), tzinfo=start.tzinfo), "lost", (lost.payload,)))
    now_limit = system_clock().replace(tzinfo=start.tzinfo) if today == system_clock().date() else None
    events.sort(key=lambda e: e[0])
    counts = {"passages": 0, "visitors": 0, "rounds": 0, "handovers": 0}
    inside: list[tuple[str, datetime]] = []
    for at, kind, args in events:
        if now_limit is not None and at > now_limit:
            break
        while inside and inside[0][1] <= at:
            vid, leave = inside.pop(0)
            clock["now"] = leave
            visitors.visitor_out(ctx, vid, guard=GUARDS[leave.hour // 8 % 3])
        clock["now"] = at
        guard = GUARDS[at.hour // 8 % 3]
        if kind == "pass":
            payload, direction = args
            temp = rng.choice(("362", "364", "365", "366", "368", "360", "370")) if rng.random() > 0.01 else "378"
            gate.record_passage(ctx, payload, temperature=temp, direction=direction, guard=guard)
            counts["passages"] += 1
        elif kind in ("forged", "lost"):
            # A forged card: right site and layout, signed with a key that is not the site's.
            payload = args[0] if args else encode_pass(ctx.site.code, rng.randint(1, 500), 1, 1, forger_key)
            gate.record_passage(ctx, payload, temperature="365", guard=guard)
            counts["passages"] += 1
        elif kind == "round":
            agent, concentration, minutes, methods = rng.choice(ROUND_AGENTS)
            disinfection.record_round(ctx, area=args[0], agent=agent, concentration=concentration,
                                      contact_minutes=minutes,
                                      method=rng.choice(methods), operator=rng.choice(("赵保洁", "钱保洁")),
                                      checker=rng.choice((None, "孙主管")))
            counts["rounds"] += 1
        elif kind == "visitor":
            birth = date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
            r = visitors.visitor_in(
                ctx, name=_name(rng), phone=f"13{rng.randint(0, 999999999):09d}",
                id_number=make_id_number(rng.choice(REGIONS), birth, rng.randint(1, 999)),
                purpose=rng.choice(PURPOSES), host=args[0], from_place=rng.choice(PLACES),
                health_code=rng.choice(("green",) * 12 + ("yellow",)),
                temperature=rng.choice(("363", "365", "367")) if rng.random() > 0.03 else "381", guard=guard)
            counts["visitors"] += 1
            if r.outcome != "denied":
                inside.append((r.visitor_id, at + timedelta(minutes=rng.randint(10, 120))))
                inside.sort(key=lambda v: v[1])
        elif kind == "handover":
            h = args[0]
            handover.hand_over(ctx, from_guard=GUARDS[(h // 8 - 1) % 3], to_guard=GUARDS[h // 8 % 3],
                               notes="设备正常" if rng.random() > 0.2 else "测温枪电量低，已更换电池")
            counts["handovers"] += 1
    ctx.db.conn.execute("PRAGMA synchronous = FULL")
    with ctx.db.read() as conn:
        n_res = len(residents_repo.list_residents(conn))
    return {"data_dir": str(ctx.data_dir), "site": ctx.site.code, "households": n_households, "residents": n_res,
            "passes": len(issued), "roster_rejected": len(report.errors), **counts,
            "sign_on": {name: f"{role}, {'PIN' if role == 'guard' else 'password'} {secret}"
                        for name, role, secret in DEMO_USERS}}
