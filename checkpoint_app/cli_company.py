"""``checkpoint company overview --hub URL``: the company overview from the hub (an EXTENSIONS
module of cli.py): per compound and day, printed, or written as a signed PDF and/or an .xlsx.
``checkpoint compound daily --day D --out DIR``: the daily logs of the whole compound from the
records this PC holds, every gate's rows and each gate's checkpoint (services/daily_logs.compound_logs).
``checkpoint hub-password --user NAME``: the hub password for the background sync, kept in the
data folder's passfile, never in the settings (exchange/sync.py)."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from pathlib import Path

from checkpoint_app.cli import emit
from checkpoint_app.i18n import Messages

_ = Messages({
    "written": ("已写入 {file}", "Written: {file}"),
    "hub_password": ("中心库密码：", "Hub password: "),
})


def add_commands(sub: argparse._SubParsersAction) -> dict:
    s = sub.add_parser("company", help="the company overview from the hub")
    ss = s.add_subparsers(dest="action", required=True, parser_class=type(s))
    x = ss.add_parser("overview", help="per compound and day: passages, fevers, refusals, visitors, rounds, incidents")
    x.add_argument("--hub", required=True, metavar="postgresql://…")
    x.add_argument("--from", dest="first", type=date.fromisoformat, metavar="YYYY-MM-DD", help="default: 6 days ago")
    x.add_argument("--to", dest="last", type=date.fromisoformat, metavar="YYYY-MM-DD", help="default: today")
    x.add_argument("--stale-hours", type=float, default=2, help="a gate that pushed nothing for longer is 'not synced'")
    x.add_argument("--pdf", type=Path, help="write a signed PDF")
    x.add_argument("--xlsx", type=Path, help="write an .xlsx")
    s = sub.add_parser("compound", help="the whole compound (every gate's records this PC holds)")
    ss = s.add_subparsers(dest="action", required=True, parser_class=type(s))
    x = ss.add_parser("daily", help="the signed daily logs with every gate's rows and each gate's checkpoint")
    x.add_argument("--day", type=date.fromisoformat, metavar="YYYY-MM-DD", help="default: yesterday")
    x.add_argument("--out", type=Path, required=True, metavar="FOLDER")
    s = sub.add_parser("hub-password", help="keep the hub password for the background sync (from standard input)")
    return {"company": _company, "compound": _compound, "hub-password": _hub_password}


def _hub_password(ctx, args) -> int:
    from checkpoint_app.cli_identity import read_secret
    from checkpoint_app.exchange import sync

    path = sync.save_password(ctx, read_secret(_("hub_password")))
    emit(args, {"file": str(path)}, _("written", file=path))
    return 0


def _compound(ctx, args) -> int:
    from checkpoint_app.services.daily_logs import compound_logs, gates_missing, short_now

    day = args.day or ctx.now().date() - timedelta(days=1)
    files = compound_logs(ctx, day, args.out)
    # today's logs are cut at this moment anyway; a past day's may lack a gate that has not synced
    missing = gates_missing(ctx, day) if day < ctx.now().date() else []
    emit(args, {"files": [str(f) for f in files], "day": day.isoformat(), "missing": missing},
         "\n".join([*(_("written", file=f) for f in files), *([short_now(day, missing)] if missing else [])]))
    return 0


def _company(ctx, args) -> int:
    from checkpoint_app.services import company

    last = args.last or ctx.now().date()
    first = args.first or last - timedelta(days=6)
    view = company.overview(ctx, args.hub, first, last, stale_after=timedelta(hours=args.stale_hours))
    written = []
    if args.xlsx:
        written.append(company.write_xlsx(view, args.xlsx))
    if args.pdf:
        written.append(company.write_pdf(ctx, view, args.pdf))
    rows = company.table_rows(view)
    text = ["\t".join(company.headers()), *("\t".join(r) for r in rows)]
    text += [_("written", file=p) for p in written]
    emit(args, {"from": first.isoformat(), "to": last.isoformat(), "as_of": view.as_of.isoformat(timespec="seconds"),
                "rows": [{"site": r.site, "code": r.code, "name": r.name, "day": r.day.isoformat(),
                          "passages": r.passages, "fevers": r.fevers, "refusals": r.refusals, "visitors": r.visitors,
                          "rounds_done": r.rounds_done, "rounds_planned": r.rounds_planned,
                          "open_incidents": r.open_incidents} for r in view.rows],
                "not_synced": [{"site": u.site, "gate": u.gate,
                                "last_push": u.last_push and u.last_push.isoformat(timespec="seconds")}
                               for u in view.unsynced],
                "files": [str(p) for p in written]}, text)
    return 0
