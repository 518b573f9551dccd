"""Home quarantine on the command line (issue 16; an EXTENSIONS module of cli.py):

    checkpoint risk-area set 武汉 --measure quarantine --days 14 | list | remove 武汉
    checkpoint returnee register (--resident-id N | --name 张小明 --household 3-2-501) --from 武汉
                                 --arrival 2026-11-19 [--travel G1234] [--contact …] [--whole-household]
    checkpoint returnee list | end-early RESIDENT_ID --reason "…"
    checkpoint rounds today | sheets --out FILE.pdf [--building 3]
    checkpoint rounds record (--household 3-2-501 | --qr CPHH:…) --check 张三=36.5 --check 李四=37.8/cough
                             --check 王五=not-reached [--round 1] [--checked-by 刘志愿]
    checkpoint survey visit CAMPAIGN 3-2-501 visited|phoned|not_reached [--present …] [--need elderly_alone]
    checkpoint survey progress CAMPAIGN
    checkpoint home-report monitoring-form|monitoring-summary|returnee-ledger|survey-progress --out DIR
                           [--resident-id N] [--campaign NAME] [--date YYYY-MM-DD] [--xlsx]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from checkpoint_app.cli import emit, table
from checkpoint_app.cli_documents import _date
from checkpoint_app.domain.home_quarantine import CONTACTS, MEASURES, NEEDS
from checkpoint_app.errors import InvalidInput, NotFound
from checkpoint_app.i18n import Messages

_ = Messages({
    "check": ("--check 应写成 姓名=体温[/症状,症状] 或 姓名=not-reached：{text}",
              "--check is NAME=TEMPERATURE[/symptom,symptom] or NAME=not-reached: {text}"),
    "nobody": ("本户没有名为“{name}”的居家隔离或健康观察人员。",
               "Nobody called “{name}” is under a measure in this household."),
    "where": ("请用 --household 或 --qr 指明住户。", "Name the household with --household or --qr."),
    "saved": ("已记录 {n} 人的上门测温；新开事件 {k} 件。", "Door checks of {n} people recorded; {k} incidents opened."),
    "registered": ("已登记：{household} {name}，自 {area} 返回，{measure}至 {until}。",
                   "Registered: {household} {name}, back from {area}, {measure} until {until}."),
    "ended": ("{name} 已提前解除。", "{name}: measure ended early."),
    "written": ("已写入 {file}", "Written: {file}"),
    "need": ("请加上 {option}。", "Add {option}."),
    "no_household": ("没有房号为 {household} 的住户。", "There is no household {household}."),
})


def add_commands(sub: argparse._SubParsersAction) -> dict:
    s = sub.add_parser("risk-area", help="the risk areas and the measure each implies (a manager)")
    ss = s.add_subparsers(dest="action", required=True, parser_class=type(s))
    x = ss.add_parser("set")
    x.add_argument("area")
    x.add_argument("--measure", choices=MEASURES, required=True)
    x.add_argument("--days", type=int, required=True)
    ss.add_parser("list")
    x = ss.add_parser("remove")
    x.add_argument("area")

    s = sub.add_parser("returnee", help="register returnees; their ledger; end a measure early")
    ss = s.add_subparsers(dest="action", required=True, parser_class=type(s))
    x = ss.add_parser("register")
    x.add_argument("--resident-id", type=int)
    x.add_argument("--name")
    x.add_argument("--household", metavar="3-2-501")
    x.add_argument("--phone")
    x.add_argument("--from", dest="from_area", required=True, metavar="AREA")
    x.add_argument("--arrival", type=_date, required=True, metavar="YYYY-MM-DD")
    x.add_argument("--travel", default="", help="train or flight number, car plate")
    x.add_argument("--contact", default="", help="contact with cases")
    x.add_argument("--measure", choices=MEASURES)
    x.add_argument("--days", type=int)
    x.add_argument("--whole-household", action="store_true")
    ss.add_parser("list")
    x = ss.add_parser("end-early")
    x.add_argument("resident_id", type=int)
    x.add_argument("--reason", default="")

    s = sub.add_parser("rounds", help="door rounds of people under quarantine or observation")
    ss = s.add_subparsers(dest="action", required=True, parser_class=type(s))
    ss.add_parser("today")
    x = ss.add_parser("record")
    x.add_argument("--household", metavar="3-2-501")
    x.add_argument("--qr", metavar="TEXT", help="the household's code from the round sheet")
    x.add_argument("--check", action="append", default=[], metavar="NAME=36.5[/cough,fatigue]")
    x.add_argument("--round", type=int, metavar="N", help="the window of the day, 1-based (default: now)")
    x.add_argument("--checked-by", metavar="NAME")
    x = ss.add_parser("sheets")
    x.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    x.add_argument("--building")

    s = sub.add_parser("survey", help="the door-to-door survey (入户排查)")
    ss = s.add_subparsers(dest="action", required=True, parser_class=type(s))
    x = ss.add_parser("visit")
    x.add_argument("campaign")
    x.add_argument("household", metavar="3-2-501")
    x.add_argument("contact", choices=CONTACTS)
    x.add_argument("--present", default="")
    x.add_argument("--need", action="append", default=[], choices=NEEDS)
    x.add_argument("--note", default="")
    x = ss.add_parser("progress")
    x.add_argument("campaign")

    s = sub.add_parser("home-report", help="signed documents of home quarantine (PDF, and .xlsx with --xlsx)")
    s.add_argument("kind", choices=("monitoring-form", "monitoring-summary", "returnee-ledger", "survey-progress"))
    s.add_argument("--out", type=Path, required=True, metavar="DIR")
    s.add_argument("--resident-id", type=int, help="the person of a monitoring form")
    s.add_argument("--campaign", help="the survey of a progress report")
    s.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="the day of a summary (default: today)")
    s.add_argument("--xlsx", action="store_true", help="also write the .xlsx beside the PDF")
    return {"risk-area": _risk_area, "returnee": _returnee, "rounds": _rounds, "survey": _survey,
            "home-report": _home_report}


def _home_report(ctx, args) -> int:
    from checkpoint_app.services import home_documents as docs

    if args.kind == "monitoring-form":
        if args.resident_id is None:
            raise InvalidInput(_("need", option="--resident-id"), "option_required")
        data, suffix = docs.monitoring_form_data(ctx, args.resident_id), str(args.resident_id)
    elif args.kind == "monitoring-summary":
        data, suffix = docs.monitoring_summary_data(ctx, args.date), ""
    elif args.kind == "returnee-ledger":
        data, suffix = docs.returnee_ledger_data(ctx), ""
    else:
        if not args.campaign:
            raise InvalidInput(_("need", option="--campaign"), "option_required")
        data, suffix = docs.survey_progress_data(ctx, args.campaign), ""
    files = [docs.write_document(ctx, data, args.out, suffix=suffix)]
    if args.xlsx:
        files.append(docs.write_xlsx(ctx, data, files[0].with_suffix(".xlsx")))
    emit(args, {"files": [str(f) for f in files]}, [_("written", file=f) for f in files])
    return 0


def _risk_area(ctx, args) -> int:
    from checkpoint_app.services import returnees

    if args.action == "set":
        returnees.set_risk_area(ctx, args.area, args.measure, args.days)
    elif args.action == "remove":
        returnees.remove_risk_area(ctx, args.area)
    areas = returnees.risk_areas(ctx)
    emit(args, {"risk_areas": [{"area": a.area, "measure": a.measure, "days": a.days} for a in areas]},
         table([(a.area, returnees.measure_label(a.measure), str(a.days)) for a in areas], right=(2,)))
    return 0


def _returnee_json(r) -> dict:
    return {"id": r.uid, "resident_id": r.resident_id, "name": r.name, "household": r.household,
            "from": r.from_area, "arrival": r.arrival.isoformat(), "travel": r.travel, "contact": r.contact,
            "measure": r.measure, "until": r.until.isoformat(), "ended_early": r.ended_early}


def _returnee(ctx, args) -> int:
    from checkpoint_app.services import returnees

    if args.action == "register":
        r = returnees.register_returnee(
            ctx, from_area=args.from_area, arrival=args.arrival, resident_id=args.resident_id, name=args.name,
            household=args.household, phone=args.phone, travel=args.travel, contact=args.contact,
            measure=args.measure, days=args.days, whole_household=args.whole_household)
        emit(args, _returnee_json(r), _("registered", household=r.household, name=r.name, area=r.from_area,
                                        measure=returnees.measure_label(r.measure), until=r.until.isoformat()))
    elif args.action == "end-early":
        person = returnees.end_early(ctx, args.resident_id, args.reason)
        emit(args, {"resident_id": person.id, "status": person.status}, _("ended", name=person.name))
    else:
        ledger = returnees.returnee_ledger(ctx)
        emit(args, {"returnees": [_returnee_json(r) for r in ledger]},
             table([(r.household, r.name, r.from_area, r.arrival.isoformat(), r.travel,
                     returnees.measure_label(r.measure), r.until.isoformat(), r.ended_early or "") for r in ledger]))
    return 0


def _parse_checks(texts: list[str], people) -> list:
    from checkpoint_app.services.door_rounds import Entry

    by_name = {p.name: p for p in people}
    entries = []
    for text in texts:
        name, sep, value = text.partition("=")
        if not sep or not value.strip():
            raise InvalidInput(_("check", text=text[:40]), "check_invalid")
        person = by_name.get(name.strip())
        if person is None:
            raise NotFound(_("nobody", name=name.strip()[:20]), "not_watched")
        if value.strip().lower() in ("not-reached", "not_reached", "未见到"):
            entries.append(Entry(person.resident_id, reached=False))
            continue
        temp, _sep, symptoms = value.partition("/")
        entries.append(Entry(person.resident_id, temp.strip() or None,
                             tuple(s.strip() for s in symptoms.split(",") if s.strip())))
    return entries


def _rounds(ctx, args) -> int:
    from checkpoint_app.services import door_rounds, home_documents

    if args.action == "sheets":
        out = home_documents.round_sheets(ctx, args.out, building=args.building)
        emit(args, {"file": str(out)}, _("written", file=out))
        return 0
    if args.action == "record":
        if args.qr:
            household_id = door_rounds.household_from_qr(ctx, args.qr)
        elif args.household:
            household_id = _household_id(ctx, args.household)
        else:
            raise InvalidInput(_("where"), "household_required")
        rnd = door_rounds.today_round(ctx, household_id=household_id)
        people = rnd.households[0].people if rnd.households else ()
        entries = _parse_checks(args.check, people)
        saved = door_rounds.record_household(ctx, household_id, entries, checked_by=args.checked_by,
                                             slot=None if args.round is None else args.round - 1)
        emit(args, {"checks": saved.checks, "incidents": saved.incidents},
             _("saved", n=len(saved.checks), k=len(saved.incidents)))
        return 0
    rnd = door_rounds.today_round(ctx)
    windows = [f"{a:%H:%M}-{b:%H:%M}" for a, b in rnd.windows]
    emit(args, {"day": rnd.day.isoformat(), "windows": windows, "households": [
        {"household": h.household, "people": [{"name": p.name, "measure": p.measure, "day": p.day,
                                                "of": p.length} for p in h.people],
         "rounds": list(h.states)} for h in rnd.households]},
        table([("", "", *windows)] + [(h.household, " ".join(p.name for p in h.people), *h.states)
                                      for h in rnd.households]))
    return 0


def _household_id(ctx, label: str) -> int:
    from checkpoint_app.db import residents_repo

    with ctx.db.read() as conn:
        home = residents_repo.household_by_label(conn, label.strip())
    if home is None:
        raise NotFound(_("no_household", household=label[:20]), "no_household")
    return home.id


def _survey(ctx, args) -> int:
    from checkpoint_app.services import survey

    if args.action == "visit":
        v = survey.record_visit(ctx, args.campaign, args.household, args.contact, present=args.present,
                                needs=tuple(args.need), note=args.note)
        emit(args, {"id": v.uid, "household": v.household, "contact": v.contact, "incident": v.incident},
             f"{v.household} {survey.contact_label(v.contact)}")
        return 0
    p = survey.progress(ctx, args.campaign)

    def row(name, t):
        return {"name": name, "households": t.households, "visited": t.visited, "phoned": t.phoned,
                "not_reached": t.not_reached, "untouched": t.untouched, "needs_help": t.needs_help,
                "percent": t.percent}
    rows = [row(b, t) for b, t in p.buildings.items()] + [row("*", p.estate)]
    emit(args, {"campaign": p.campaign, "buildings": rows[:-1], "estate": rows[-1]},
         table([tuple(str(r[k]) for k in ("name", "households", "visited", "phoned", "not_reached", "untouched",
                                          "needs_help", "percent")) for r in rows], right=(1, 2, 3, 4, 5, 6, 7)))
    return 0

