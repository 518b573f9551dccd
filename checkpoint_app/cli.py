"""``checkpoint``: the headless command line. Same services as the GUI.

Exit codes: 0 done; 1 refused by a rule or invalid input (one line on stderr, nothing
written); 2 usage; 3 storage problem; 4 a bug (details in the log).
With ``--json`` stdout is exactly one JSON object, also on error (``{"error": {...}}``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from checkpoint_app import __version__, i18n, paths
from checkpoint_app import cli_identity
from checkpoint_app import log as logsetup
from checkpoint_app.errors import InvalidInput, PermissionDenied, UserError
from checkpoint_app.i18n import Messages

log = logging.getLogger(__name__)

_ = Messages({
    "bug": ("出现意外错误，详情见日志：{log}", "Something went wrong; details are in the log: {log}"),
    "bad_time": ("时间“{text}”无效，应为 HH:MM，如 08:05。", "Time \"{text}\" is not valid: use HH:MM, e.g. 08:05."),
    "denied": ("拒绝：{message}", "Denied: {message}"),
    "planned": ("{area}：自现在起每日计划消毒 {n} 次。", "{area}: {n} rounds a day planned from now on."),
    "verify_ok": ("数据库完整：{n} 条记录，{g} 个门岗的哈希链均有效。",
                  "Database intact: {n} records, hash chains of {g} gate(s) valid."),
    "verify_bad": ("数据库校验失败：{problem}", "Database verification failed: {problem}"),
    "unknown_kind": ("没有“{kind}”这种记录，可选：{kinds}", "There is no record kind '{kind}'; known: {kinds}"),
    "interrupted": ("已中断。", "Interrupted."),
    "dry_run": ("试运行（--dry-run）：未写入任何内容。若正式导入，结果将是：",
                "Dry run (--dry-run): nothing was written. A real import would give:"),
    "imported": ("已导入。", "Imported."),
    "import_summary": ("新增户 {households}，新增住户 {residents}，更新 {updated}，未变 {unchanged}，被拒 {rejected} 行",
                       "households +{households}, residents +{residents}, updated {updated}, "
                       "unchanged {unchanged}, rejected {rejected}"),
    "row": ("第 {row} 行：{message}", "row {row}: {message}"),
    "read_from": ("读取{where}表头在第 {row} 行。", "Read {where}the header in row {row}."),
    "read_sheet": ("工作表“{sheet}”，", "sheet “{sheet}”, "),
    "read_encoding": ("编码 {encoding}，", "encoding {encoding}, "),
    "missing": ("名单中没有以下 {n} 位在册住户（仍为在住；加 --mark-missing-moved-out 可标记为迁出）：",
                "{n} registered residents are not in the file (still active; add --mark-missing-moved-out "
                "to mark them moved out):"),
    "missing_moved_out": ("已将名单中没有的 {n} 位住户标记为迁出，其出入证已作废：",
                          "{n} residents not in the file were marked moved out and their passes revoked:"),
    "missing_moved_out_preview": ("将把名单中没有的 {n} 位住户标记为迁出，并作废其出入证：",
                                  "{n} residents not in the file would be marked moved out and their passes revoked:"),
    "col.id": ("编号", "id"), "col.room": ("房号", "room"), "col.name": ("姓名", "name"),
    "col.phone": ("电话", "phone"), "col.id_number": ("身份证号", "ID number"), "col.status": ("状态", "status"),
    "status.normal": ("正常", "normal"), "status.quarantine": ("居家隔离至", "quarantine until"),
    "status.observation": ("健康观察", "observation"),
    "handover": ("交接班已记录（{uid}）：{from_guard} → {to_guard}。本班：进 {in_} 人次，出 {out} 人次，"
                 "异常 {flagged}，拒绝 {denied}，发热 {fever}，访客 {visitors}；未处理提醒 {alerts} 条。",
                 "Handover recorded ({uid}): {from_guard} → {to_guard}. This shift: {in_} in, {out} out, "
                 "{flagged} flagged, {denied} denied, {fever} fevers, {visitors} visitors; {alerts} open alerts."),
    "from_not_you": ("交班人须是签到的本人（{user}），不能代他人交班。",
                     "The outgoing guard must be the one signed on ({user}); nobody hands over for another."),
    "to_unknown": ("接班人“{name}”不是本门岗在用的值班员。", "“{name}” is not an enabled guard of this gate."),
    "to_self": ("接班人不能是交班人本人。", "The incoming guard cannot be the outgoing one."),
})


# Modules that add commands: each has ``add_commands(subparsers) -> {name: handler(ctx, args)}``
# and may reuse ``emit`` from here. Keeps this file about the core commands.
EXTENSIONS: list[str] = ["checkpoint_app.cli_admin", "checkpoint_app.cli_documents", "checkpoint_app.cli_exchange",
                         "checkpoint_app.cli_quarantine", "checkpoint_app.cli_audit", "checkpoint_app.cli_company"]


_GUARD_HELP = "sign on as this guard (PIN from standard input or $CHECKPOINT_SECRET)"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, exit 2
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _build_parser() -> argparse.ArgumentParser:
    # The global options are accepted before and after the command ("checkpoint residents list
    # --json"): each sub-parser gets them too, with SUPPRESS defaults so that a value given before
    # the command is not overwritten by the sub-parser's default. Two copies: parents share their
    # action objects, and the main parser's set_defaults would change the sub-parsers' too.
    def common() -> argparse.ArgumentParser:
        c = argparse.ArgumentParser(add_help=False)
        c.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                       help="data folder (default: user data dir, or $CHECKPOINT_DATA_DIR)")
        c.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                       help="print exactly one JSON object on stdout")
        c.add_argument("--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS,
                       help="language of messages (default zh_CN)")
        c.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME",
                       help="act as this user; the PIN/password is read from standard input or "
                            "$CHECKPOINT_SECRET (without it: the PC's operator, who may only read, "
                            "verify, print the logs and back up)")
        return c

    p = _Parser(prog="checkpoint", description="Checkpoint (门岗通) gate logger — command line",
                parents=[common()])
    p.set_defaults(data_dir=None, json=False, lang=None, user=None)
    p.add_argument("--version", action="version", version=f"checkpoint {__version__}")
    shared = common()

    class _Sub(_Parser):
        def __init__(self, *a, **kw):
            kw.setdefault("parents", [shared])
            super().__init__(*a, **kw)

    sub = p.add_subparsers(dest="command", required=True, parser_class=_Sub)

    s = sub.add_parser("init", help="set up a new site with this PC as a gate")
    s.add_argument("--site-code", required=True)
    s.add_argument("--site-name", required=True)
    s.add_argument("--gate", required=True)

    s = sub.add_parser("settings", help="list or change settings")
    ss = s.add_subparsers(dest="action", required=True, parser_class=_Sub)
    ss.add_parser("list")
    x = ss.add_parser("set")
    x.add_argument("key")
    x.add_argument("value")

    s = sub.add_parser("residents", help="the resident roster")
    ss = s.add_subparsers(dest="action", required=True, parser_class=_Sub)
    x = ss.add_parser("import")
    x.add_argument("file", type=Path)
    x.add_argument("--dry-run", action="store_true", help="check the file and show what would change; write nothing")
    x.add_argument("--strict", action="store_true", help="import nothing when any row has an error")
    x.add_argument("--mark-missing-moved-out", action="store_true",
                   help="mark residents the file does not list as moved out (their passes are revoked)")
    x.add_argument("--sheet", help="the sheet to read (default: the first with a header)")
    x.add_argument("--header-row", type=int, metavar="N", help="the header is row N (default: detected)")
    ss.add_parser("list")
    x = ss.add_parser("set-status")
    x.add_argument("id", type=int)
    x.add_argument("--status", required=True, choices=("normal", "quarantine", "observation"))
    x.add_argument("--until")
    x.add_argument("--reason", default="", help="why (needed to lift a quarantine or observation early)")

    s = sub.add_parser("passes", help="issue and revoke passes")
    ss = s.add_subparsers(dest="action", required=True, parser_class=_Sub)
    x = ss.add_parser("issue")
    g = x.add_mutually_exclusive_group(required=True)
    g.add_argument("--all", action="store_true")
    g.add_argument("--household", metavar="BUILDING-UNIT-ROOM")
    x.add_argument("--reissue", action="store_true", help="also replace cards that are still valid")
    x.add_argument("--out", type=Path, metavar="CARDS.pdf", help="print the cards into this PDF")
    x = ss.add_parser("revoke")
    x.add_argument("number")
    x.add_argument("--reason", required=True)

    s = sub.add_parser("scan", help="record a passage from a scanned pass")
    s.add_argument("payload")
    s.add_argument("--temp")
    s.add_argument("--remeasure", help="second reading after a fever")
    s.add_argument("--temp-at", metavar="HH:MM", help="when the first reading (--temp) was taken, with --remeasure")
    s.add_argument("--direction", choices=("in", "out"))
    s.add_argument("--guard", help=_GUARD_HELP)

    s = sub.add_parser("visitor-in", help="register a visitor coming in")
    for name in ("name", "phone", "id-number", "purpose", "host", "from", "temp"):
        s.add_argument(f"--{name}", required=True)
    s.add_argument("--health-code", required=True, choices=("green", "yellow", "red"))
    s.add_argument("--guard", help=_GUARD_HELP)
    s = sub.add_parser("visitor-out", help="record a visitor leaving")
    s.add_argument("id")
    s.add_argument("--guard", help=_GUARD_HELP)

    s = sub.add_parser("disinfect", help="record a disinfection round")
    for name in ("area", "agent", "concentration", "contact-minutes", "operator"):
        s.add_argument(f"--{name}", required=True)
    s.add_argument("--method", required=True, choices=("spray", "wipe", "fog"))
    s.add_argument("--checker")
    s.add_argument("--done-at", metavar="HH:MM", help="entered late: when it was done, earlier today")

    s = sub.add_parser("disinfect-plan", help="plan the rounds a day of an area (a manager), from now on")
    s.add_argument("--area", required=True)
    s.add_argument("--rounds", required=True, metavar="N", help="rounds a day, 0 to 48 (0: none planned)")

    s = sub.add_parser("handover", help="hand the shift over")
    s.add_argument("--from", dest="from_guard", help="the outgoing guard: whoever signs on (--user/--guard)")
    s.add_argument("--to", dest="to_guard", required=True, help="the incoming guard (an enabled guard)")
    s.add_argument("--guard", help=_GUARD_HELP)
    s.add_argument("--notes", default="")

    s = sub.add_parser("void", help="void a record (it stays, marked void)")
    s.add_argument("id")
    s.add_argument("--reason", required=True)
    s = sub.add_parser("amend", help="correct a field of a record")
    s.add_argument("id")
    s.add_argument("--set", action="append", required=True, metavar="FIELD=VALUE")
    s.add_argument("--reason", required=True)

    s = sub.add_parser("incident", help="follow up an incident")
    ss = s.add_subparsers(dest="action", required=True, parser_class=_Sub)
    ss.add_parser("list", help="open incidents")
    x = ss.add_parser("follow-up")
    x.add_argument("id")
    x.add_argument("--note", required=True)
    x.add_argument("--close", action="store_true")

    s = sub.add_parser("history", help="passages of a household (3-2-501, 3-2) or a person, newest first")
    s.add_argument("text")
    s.add_argument("--limit", type=int, default=50)
    s.add_argument("--before", help="continue before this time (the last row's 'at')")

    sub.add_parser("verify-db", help="recompute integrity, hashes and chains")

    s = sub.add_parser("records", help="every kind of record, filtered, in time order, a page at a time")
    s.add_argument("--kind", action="append", default=[], help="a record kind (passage, visitor_in, …); repeatable")
    s.add_argument("--from", dest="day_from", type=date.fromisoformat, help="first day, YYYY-MM-DD")
    s.add_argument("--to", dest="day_to", type=date.fromisoformat, help="last day, YYYY-MM-DD")
    s.add_argument("--household", default="", help="3-2-501, or 3-2 for a building-unit")
    s.add_argument("--person", default="", help="a resident's name or pinyin initials")
    s.add_argument("--recorded-by", default="", help="who recorded it (the guard, or the person)")
    s.add_argument("--outcome", default="", choices=["", "allowed", "flagged", "denied"])
    s.add_argument("--after", help="continue after this key (the last row's AT/UID)")
    s.add_argument("--last", action="store_true", help="the last page (the newest records)")
    s.add_argument("--limit", type=int, default=50)

    s = sub.add_parser("demo", help="fill a new data folder with a realistic compound")
    s.add_argument("--households", type=int, default=120)
    s.add_argument("--days", type=int, default=7)
    s.add_argument("--seed", type=int, default=2020)

    for module in EXTENSIONS:
        _COMMANDS.update(importlib.import_module(module).add_commands(sub))
    return p


def emit(args: argparse.Namespace, obj: dict, text: str | list[str] | None = None, *, err: bool = False) -> None:
    if args.json:
        print(json.dumps(obj, ensure_ascii=False))
    elif text is not None:
        lines = [text] if isinstance(text, str) else text
        print("\n".join(lines), file=sys.stderr if err else sys.stdout)


def _run(args: argparse.Namespace) -> int:
    from checkpoint_app.services.context import open_gate

    data_dir = args.data_dir or paths.default_data_dir()
    cmd = args.command
    log.info("checkpoint %s %s in %s", cmd, getattr(args, "action", "") or "", data_dir)
    if cmd == "init" and args.join:  # a gate of an existing site (cli_exchange.py)
        return _COMMANDS["init-join"](None, args)
    if cmd == "init":
        from checkpoint_app.services.site import init_site

        ctx = init_site(data_dir, site_code=args.site_code, site_name=args.site_name, gate_name=args.gate)
        emit(args, {"site": ctx.site.code, "site_name": ctx.site.name, "gate": ctx.gate.name,
                     "gate_id": ctx.gate.uid, "data_dir": str(data_dir)},
              f"OK {ctx.site.code} {ctx.site.name} / {ctx.gate.name} → {data_dir}")
        ctx.close()
        return 0
    if cmd == "demo":
        from checkpoint_app.services.demo import make_demo

        summary = make_demo(data_dir, households=args.households, days=args.days, seed=args.seed)
        emit(args, summary, json.dumps(summary, ensure_ascii=False, indent=1))
        return 0
    if getattr(_COMMANDS[cmd], "without_gate", False):  # e.g. restore: the file may be damaged
        return _COMMANDS[cmd](None, args)
    gate = ctx = open_gate(data_dir)
    try:
        ctx = cli_identity.act(gate, args.user, getattr(args, "guard", None))
        return _COMMANDS[cmd](ctx, args)
    except PermissionDenied as err:
        raise cli_identity.explain(ctx, err) from None
    finally:
        gate.close()


def _settings(ctx, args) -> int:
    from checkpoint_app.services import site

    if args.action == "set":
        site.set_setting(ctx, args.key, args.value)
    rows = site.list_settings(ctx)
    emit(args, {"settings": {r["key"]: r["value"] for r in rows}},
          [f"{r['key']:<26} {r['value']:<8} {r['label']}" for r in rows])
    return 0


def _residents(ctx, args) -> int:
    from checkpoint_app.services import residents

    if args.action == "import":
        from checkpoint_app.services.roster_file import RosterChoice

        report = residents.import_roster(ctx, args.file, dry_run=args.dry_run, strict=args.strict,
                                         mark_missing_moved_out=args.mark_missing_moved_out,
                                         choice=RosterChoice(sheet=args.sheet, header_row=args.header_row))
        layout = report.layout
        where = (_("read_sheet", sheet=layout.sheet) if layout.sheet else "") + \
            (_("read_encoding", encoding=layout.encoding) if layout.encoding else "")
        lines = [_("dry_run") if report.dry_run else _("imported"),
                 _("read_from", where=where, row=layout.header_row),
                 _("import_summary", households=report.households, residents=report.residents,
                   updated=report.updated, unchanged=report.unchanged, rejected=len(report.errors))]
        lines += ["  " + _("row", row=e.row, message=e.message) for e in report.errors]
        if report.missing:
            key = ("missing_moved_out_preview" if report.dry_run else "missing_moved_out") \
                if args.mark_missing_moved_out else "missing"
            lines.append(_(key, n=len(report.missing)))
            lines += [f"  {h} {n}" for h, n in report.missing]
        emit(args, report.as_json(), lines)
        return 0
    if args.action == "list":
        people = residents.list_residents(ctx)
        emit(args, {"residents": [{"id": r.id, "name": r.name, "building": r.household.split("-")[0],
                                    "unit": r.household.split("-")[1], "room": r.household.split("-", 2)[2],
                                    "phone": r.phone, "id_number": r.id_number,
                                    "status": r.status, "status_until": r.status_until.isoformat()
                                    if r.status_until else None, "kind": r.kind} for r in people]},
             table([tuple(_(f"col.{c}") for c in ("id", "room", "name", "phone", "id_number", "status"))]
                   + [(str(r.id), r.household, r.name, r.phone or "-", r.id_number or "-",
                     _(f"status.{r.status}") + (f" {r.status_until}" if r.status_until else ""))
                    for r in people], right=(0,)))
        return 0
    r = residents.set_status(ctx, args.id, args.status, residents.parse_until(args.until), args.reason)
    emit(args, {"id": r.id, "name": r.name, "status": r.status,
                 "status_until": r.status_until.isoformat() if r.status_until else None},
          f"{r.id} {r.name}: {r.status} {r.status_until or ''}")
    return 0


def table(rows: list[tuple[str, ...]], *, right: tuple[int, ...] = ()) -> list[str]:
    """Rows as aligned columns, by terminal width (a Chinese character takes two columns)."""
    from checkpoint_app.domain.text import display_width, pad

    widths = [max((display_width(row[i]) for row in rows), default=0) for i in range(len(rows[0]))] if rows else []
    return [" ".join((" " * (w - display_width(c)) + c) if i in right else pad(c, w)
                     for i, (c, w) in enumerate(zip(row, widths))).rstrip() for row in rows]


def _passes(ctx, args) -> int:
    from checkpoint_app.services import passes

    if args.action == "revoke":
        p = passes.revoke_pass(ctx, args.number, args.reason)
        label = f"{p.number:06d}"
        emit(args, {"number": label, "version": p.version, "status": p.status}, f"{label} v{p.version}: revoked")
        return 0
    issued = passes.issue_passes(ctx, household=args.household, all_residents=args.all, reissue=args.reissue)
    out: dict[str, Any] = {"issued": len(issued), "passes": [p.as_json() for p in issued]}
    if args.out:
        from checkpoint_app.services.pass_cards import print_pass_cards

        out["file"] = str(print_pass_cards(ctx, issued, args.out))
    emit(args, out, [f"{p.label} {p.household} {p.name} v{p.version}" for p in issued]
          + [f"issued {len(issued)}"] + ([f"→ {out['file']}"] if args.out else []))
    return 0


def _time_today(ctx, text: str) -> datetime:
    """``HH:MM`` today, on the gate's clock."""
    try:
        t = datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise InvalidInput(_("bad_time", text=text), "time_invalid") from None
    now = ctx.now()
    return datetime.combine(now.date(), t, tzinfo=now.tzinfo)


def _scan(ctx, args) -> int:
    from checkpoint_app.services.gate import record_passage

    result = record_passage(ctx, args.payload, temperature=args.temp, remeasure=args.remeasure,
                            direction=args.direction, guard=ctx.user,
                            first_at=_time_today(ctx, args.temp_at) if args.temp_at else None)
    denied = result.outcome == "denied"
    if args.json:
        emit(args, result.as_json())
        if denied:
            print(_("denied", message=result.message), file=sys.stderr)
    else:
        who = f"{result.holder.household} {result.holder.name} " if result.holder else ""
        emit(args, {}, f"{result.outcome.upper()} {result.direction or ''} {who}— {result.message}", err=denied)
    return 1 if denied else 0


def _visitor_in(ctx, args) -> int:
    from checkpoint_app.services.visitors import visitor_in

    r = visitor_in(ctx, name=args.name, phone=args.phone, id_number=args.id_number, purpose=args.purpose,
                   host=args.host, from_place=getattr(args, "from"), health_code=args.health_code,
                   temperature=args.temp, guard=ctx.user)
    emit(args, r.as_json(), f"{r.outcome.upper()} {r.visitor_id} — {r.message}", err=r.outcome == "denied")
    if args.json and r.outcome == "denied":
        print(_("denied", message=r.message), file=sys.stderr)
    return 1 if r.outcome == "denied" else 0


def _visitor_out(ctx, args) -> int:
    from checkpoint_app.services.visitors import visitor_out

    uid = visitor_out(ctx, args.id)
    emit(args, {"visitor_id": args.id, "exit_id": uid}, f"OK {args.id} out")
    return 0


def _disinfect(ctx, args) -> int:
    from checkpoint_app.services.disinfection import record_round

    uid = record_round(ctx, area=args.area, agent=args.agent, concentration=args.concentration,
                       contact_minutes=args.contact_minutes, method=args.method, operator=args.operator,
                       checker=args.checker, done_at=args.done_at)
    emit(args, {"round_id": uid}, f"OK {uid}")
    return 0


def _disinfect_plan(ctx, args) -> int:
    from checkpoint_app.services.disinfection import set_plan

    area = set_plan(ctx, args.area, args.rounds)
    emit(args, {"area": area.name, "rounds_per_day": area.rounds_per_day},
         _("planned", area=area.name, n=area.rounds_per_day))
    return 0


def _handover(ctx, args) -> int:
    from checkpoint_app.db import site_repo
    from checkpoint_app.domain.identity import normalize_name
    from checkpoint_app.domain.text import shown
    from checkpoint_app.services.handover import hand_over, shift_summary
    from checkpoint_app.services.permissions import require

    require(ctx, "hand_over")
    # The outgoing guard is whoever signed on; the incoming one must be a guard of this gate
    # (they prove themselves when they next sign on: a second secret is not asked here).
    if args.from_guard and normalize_name(args.from_guard) != ctx.user:
        raise PermissionDenied(_("from_not_you", user=ctx.user), "not_signed_on")
    to = normalize_name(args.to_guard)
    with ctx.db.read() as conn:
        incoming = site_repo.find_user(conn, to)
    if incoming is None or incoming.disabled or incoming.role != "guard":
        raise InvalidInput(_("to_unknown", name=shown(args.to_guard, 40)), "unknown_guard")
    if incoming.name == ctx.user:
        raise InvalidInput(_("to_self"), "same_guard")
    summary = shift_summary(ctx)
    uid = hand_over(ctx, from_guard=ctx.user, to_guard=incoming.name, notes=args.notes, summary=summary)
    c = summary.counts
    emit(args, {"handover_id": uid, "from": ctx.user, "to": incoming.name, "counts": c,
                "open_alerts": len(summary.open_alerts)},
         _("handover", uid=uid, from_guard=ctx.user, to_guard=incoming.name, in_=c["in"], out=c["out"],
           flagged=c["flagged"], denied=c["denied"], fever=c["fever"], visitors=c["visitors"],
           alerts=len(summary.open_alerts)))
    return 0


def _void(ctx, args) -> int:
    from checkpoint_app.services.amendments import void_record

    uid = void_record(ctx, args.id, args.reason)
    emit(args, {"amendment_id": uid}, f"OK {uid}")
    return 0


def _amend(ctx, args) -> int:
    from checkpoint_app.services.amendments import amend_record

    changes = {}
    for item in args.set:
        if "=" not in item:
            raise InvalidInput(f"--set {item[:30]}: FIELD=VALUE", "usage")
        k, v = item.split("=", 1)
        changes[k.strip()] = v
    uid = amend_record(ctx, args.id, changes, args.reason)
    emit(args, {"amendment_id": uid}, f"OK {uid}")
    return 0


def _incident(ctx, args) -> int:
    from checkpoint_app.services import incidents

    if args.action == "list":
        rows = incidents.open_incidents(ctx)
        emit(args, {"incidents": [r.__dict__ for r in rows]},
             [f"{r.at[:16]} {r.category:<14} {r.uid} ({r.followups})" for r in rows])
        return 0
    uid = incidents.follow_up(ctx, args.id, args.note, close=args.close)
    emit(args, {"followup_id": uid}, f"OK {uid}")
    return 0


def _history(ctx, args) -> int:
    from checkpoint_app.services.history import search_history

    rows = search_history(ctx, args.text, limit=args.limit, before=args.before)
    emit(args, {"passages": [r.__dict__ for r in rows]},
         [f"{r.at[:19].replace('T', ' ')} {r.direction:<3} {r.household or '-':<10} {r.name or '-':<8} "
          f"{(r.temp_tenths or 0) / 10 or '':<5} {r.outcome} {r.reason}" for r in rows])
    return 0


def _records(ctx, args) -> int:
    from checkpoint_app.domain import record_kinds
    from checkpoint_app.services import records_browser as rb

    unknown = [k for k in args.kind if k not in record_kinds.BY_KIND]
    if unknown:
        raise InvalidInput(_("unknown_kind", kind=unknown[0], kinds=", ".join(record_kinds.BY_KIND)))
    f = rb.RecordFilter(tuple(args.kind), args.day_from, args.day_to, args.household, args.person, args.recorded_by,
                        args.outcome)
    after = tuple(args.after.split("/", 1)) if args.after and "/" in args.after else None
    rows = rb.page(ctx, f, after=after, before=("~", "") if args.last else None, limit=args.limit)
    emit(args, {"records": [{**r.__dict__, "fixes": [f.__dict__ for f in r.fixes], "key": "/".join(r.key)}
                            for r in rows]},
         [f"{r.at[:19].replace('T', ' ')} {record_kinds.label(r.kind):<6} {r.who or '-':<14} {r.detail or '-'} "
          f"[{r.by or '-'}{' ' + rb.outcome_label(r.outcome) if r.outcome else ''}] {r.origin}#{r.seq}"
          + (f"  ({r.fixes_text()})" if r.fixes else "") for r in rows]
         + ([f"--after {rows[-1].at}/{rows[-1].uid}"] if len(rows) == args.limit and not args.last else []))
    return 0


def _verify_db(ctx, args) -> int:
    from checkpoint_app.services.integrity import verify_database

    report = verify_database(ctx)
    obj = {"ok": report.ok, "records": report.records, "problems": report.problems,
           "origins": {o: {"last_seq": s, "chain_head": h} for o, (s, h) in report.origins.items()}}
    if report.ok:
        emit(args, obj, _("verify_ok", n=report.records, g=len(report.origins)))
        return 0
    emit(args, obj)
    print(_("verify_bad", problem=report.problems[0]), file=sys.stderr)
    return 1


_COMMANDS = {"settings": _settings, "residents": _residents, "passes": _passes, "scan": _scan,
             "visitor-in": _visitor_in, "visitor-out": _visitor_out, "disinfect": _disinfect,
             "disinfect-plan": _disinfect_plan,
             "handover": _handover, "void": _void, "amend": _amend, "incident": _incident, "history": _history,
             "verify-db": _verify_db, "records": _records}


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        i18n.set_language(args.lang)
    log_file = paths.log_file(args.data_dir)
    logsetup.configure(log_file.parent, file_name=log_file.name)
    try:
        return _run(args)
    except UserError as err:
        details = list(getattr(err, "details", ()))
        if args.json:
            print(json.dumps({"error": {"code": err.code, "message": str(err), **({"details": details} if details
                                                                                    else {})}}, ensure_ascii=False))
        print("\n".join([f"checkpoint: {err}", *(f"  {d}" for d in details)]), file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(_("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _reader_went_away()
    except Exception as exc:  # a bug: keep the traceback for the log, one line for the user
        log.exception("unexpected error in %s", args.command)
        if args.json:
            print(json.dumps({"error": {"code": "bug", "message": str(exc)[:200]}}, ensure_ascii=False))
        print(_("bug", log=log_file), file=sys.stderr)
        return 4


def _reader_went_away() -> int:
    """``checkpoint … | head``: the reader closed the pipe. Not an error of ours: end quietly
    (and keep Python from complaining again when it flushes stdout at exit)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (a test's capture)
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
