"""``checkpoint``: the headless command line. Same services as the GUI.

Exit codes: 0 done; 1 refused by a rule or invalid input (one line on stderr, nothing
written); 2 usage; 3 storage problem; 4 a bug (details in the log).
With ``--json`` stdout is exactly one JSON object, also on error (``{"error": {...}}``).
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import logging
import sys
from pathlib import Path
from typing import Any

from checkpoint_app import __version__, i18n, paths
from checkpoint_app import log as logsetup
from checkpoint_app.errors import InvalidInput, UserError
from checkpoint_app.i18n import Messages

log = logging.getLogger(__name__)

_ = Messages({
    "bug": ("出现意外错误，详情见日志：{log}", "Something went wrong; details are in the log: {log}"),
    "denied": ("拒绝：{message}", "Denied: {message}"),
    "verify_ok": ("数据库完整：{n} 条记录，{g} 个门岗的哈希链均有效。",
                  "Database intact: {n} records, hash chains of {g} gate(s) valid."),
    "verify_bad": ("数据库校验失败：{problem}", "Database verification failed: {problem}"),
    "interrupted": ("已中断。", "Interrupted."),
})


# Modules that add commands: each has ``add_commands(subparsers) -> {name: handler(ctx, args)}``
# and may reuse ``emit`` from here. Keeps this file about the core commands.
EXTENSIONS: list[str] = ["checkpoint_app.cli_admin", "checkpoint_app.cli_documents", "checkpoint_app.cli_exchange"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one clear line, exit 2
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="checkpoint", description="Checkpoint (门岗通) gate logger — command line")
    p.add_argument("--version", action="version", version=f"checkpoint {__version__}")
    p.add_argument("--data-dir", type=Path, help="data folder (default: user data dir, or $CHECKPOINT_DATA_DIR)")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object on stdout")
    p.add_argument("--lang", choices=i18n.LANGUAGES, help="language of messages (default zh_CN)")
    p.add_argument("--user", help="who is acting (recorded with the records)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    s = sub.add_parser("init", help="set up a new site with this PC as a gate")
    s.add_argument("--site-code", required=True)
    s.add_argument("--site-name", required=True)
    s.add_argument("--gate", required=True)

    s = sub.add_parser("settings", help="list or change settings")
    ss = s.add_subparsers(dest="action", required=True, parser_class=_Parser)
    ss.add_parser("list")
    x = ss.add_parser("set")
    x.add_argument("key")
    x.add_argument("value")

    s = sub.add_parser("residents", help="the resident roster")
    ss = s.add_subparsers(dest="action", required=True, parser_class=_Parser)
    x = ss.add_parser("import")
    x.add_argument("file", type=Path)
    x.add_argument("--dry-run", action="store_true")
    x.add_argument("--strict", action="store_true")
    ss.add_parser("list")
    x = ss.add_parser("set-status")
    x.add_argument("id", type=int)
    x.add_argument("--status", required=True, choices=("normal", "quarantine", "observation"))
    x.add_argument("--until")

    s = sub.add_parser("passes", help="issue and revoke passes")
    ss = s.add_subparsers(dest="action", required=True, parser_class=_Parser)
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
    s.add_argument("--direction", choices=("in", "out"))
    s.add_argument("--guard")

    s = sub.add_parser("visitor-in", help="register a visitor coming in")
    for name in ("name", "phone", "id-number", "purpose", "host", "from", "temp"):
        s.add_argument(f"--{name}", required=True)
    s.add_argument("--health-code", required=True, choices=("green", "yellow", "red"))
    s.add_argument("--guard")
    s = sub.add_parser("visitor-out", help="record a visitor leaving")
    s.add_argument("id")

    s = sub.add_parser("disinfect", help="record a disinfection round")
    for name in ("area", "agent", "concentration", "contact-minutes", "operator"):
        s.add_argument(f"--{name}", required=True)
    s.add_argument("--method", required=True, choices=("spray", "wipe", "fog"))
    s.add_argument("--checker")

    s = sub.add_parser("handover", help="hand the shift over")
    s.add_argument("--from", dest="from_guard", required=True)
    s.add_argument("--to", dest="to_guard", required=True)
    s.add_argument("--notes", default="")

    s = sub.add_parser("void", help="void a record (it stays, marked void)")
    s.add_argument("id")
    s.add_argument("--reason", required=True)
    s = sub.add_parser("amend", help="correct a field of a record")
    s.add_argument("id")
    s.add_argument("--set", action="append", required=True, metavar="FIELD=VALUE")
    s.add_argument("--reason", required=True)

    s = sub.add_parser("incident", help="follow up an incident")
    ss = s.add_subparsers(dest="action", required=True, parser_class=_Parser)
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
    from checkpoint_app.services.permissions import OPERATOR

    ctx = open_gate(data_dir).acting_as(args.user or _os_user(), OPERATOR)
    try:
        return _COMMANDS[cmd](ctx, args)
    finally:
        ctx.close()


def _os_user() -> str:
    """Who ran the command, when they did not say: every record names someone."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in this environment (a service, a container)
        return "cli"


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
        report = residents.import_roster(ctx, args.file, dry_run=args.dry_run, strict=args.strict)
        lines = [f"households +{report.households}, residents +{report.residents}, updated {report.updated}, "
                 f"unchanged {report.unchanged}, rejected {len(report.errors)}"]
        lines += [f"  row {e.row}: {e.message}" for e in report.errors]
        emit(args, report.as_json(), lines)
        return 0
    if args.action == "list":
        people = residents.list_residents(ctx)
        emit(args, {"residents": [{"id": r.id, "name": r.name, "building": r.household.split("-")[0],
                                    "unit": r.household.split("-")[1], "room": r.household.split("-", 2)[2],
                                    "status": r.status, "status_until": r.status_until.isoformat()
                                    if r.status_until else None, "kind": r.kind} for r in people]},
              [f"{r.id:>6} {r.household:<12} {r.name:<10} {r.status}" for r in people])
        return 0
    r = residents.set_status(ctx, args.id, args.status, residents.parse_until(args.until))
    emit(args, {"id": r.id, "name": r.name, "status": r.status,
                 "status_until": r.status_until.isoformat() if r.status_until else None},
          f"{r.id} {r.name}: {r.status} {r.status_until or ''}")
    return 0


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
        from checkpoint_app.services.documents import print_pass_cards

        out["file"] = str(print_pass_cards(ctx, issued, args.out))
    emit(args, out, [f"{p.label} {p.household} {p.name} v{p.version}" for p in issued]
          + [f"issued {len(issued)}"] + ([f"→ {out['file']}"] if args.out else []))
    return 0


def _scan(ctx, args) -> int:
    from checkpoint_app.services.gate import record_passage

    result = record_passage(ctx, args.payload, temperature=args.temp, remeasure=args.remeasure,
                            direction=args.direction, guard=args.guard)
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
                   temperature=args.temp, guard=args.guard)
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
                       checker=args.checker)
    emit(args, {"round_id": uid}, f"OK {uid}")
    return 0


def _handover(ctx, args) -> int:
    from checkpoint_app.services.handover import hand_over, shift_summary

    summary = shift_summary(ctx)
    uid = hand_over(ctx, from_guard=args.from_guard, to_guard=args.to_guard, notes=args.notes, summary=summary)
    emit(args, {"handover_id": uid, "counts": summary.counts, "open_alerts": len(summary.open_alerts)},
          f"OK {uid} {summary.counts}")
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


def _verify_db(ctx, args) -> int:
    from checkpoint_app.db.verify import verify_database

    report = verify_database(ctx.db.conn)
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
             "handover": _handover, "void": _void, "amend": _amend, "incident": _incident, "history": _history,
             "verify-db": _verify_db}


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        i18n.set_language(args.lang)
    logsetup.configure(paths.log_dir())
    try:
        return _run(args)
    except UserError as err:
        if args.json:
            print(json.dumps({"error": {"code": err.code, "message": str(err)}}, ensure_ascii=False))
        print(f"checkpoint: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(_("interrupted"), file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: keep the traceback for the log, one line for the user
        log.exception("unexpected error in %s", args.command)
        if args.json:
            print(json.dumps({"error": {"code": "bug", "message": str(exc)[:200]}}, ensure_ascii=False))
        print(_("bug", log=paths.log_dir() / "checkpoint.log"), file=sys.stderr)
        return 4


if __name__ == "__main__":
    sys.exit(main())
