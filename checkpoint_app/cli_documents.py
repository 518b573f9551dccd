"""``checkpoint report daily``: the documents' command (an EXTENSIONS module of cli.py;
``verify`` is in cli_audit.py).

``report daily --date YYYY-MM-DD --out DIR`` writes the day's signed PDFs into DIR and prints
``{"files": [...]}`` (with ``--json``) or one path a line.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from checkpoint_app.cli import emit
from checkpoint_app.i18n import Messages

_ = Messages({
    "bad_date": ("日期应写成 YYYY-MM-DD，如 2026-11-28：{text}",
                 "a date is written YYYY-MM-DD, e.g. 2026-11-28: {text}"),
    "written": ("已写入 {n} 个文件：", "{n} files written:"),
})


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(_("bad_date", text=text[:20])) from None


def add_commands(sub: argparse._SubParsersAction) -> dict:
    s = sub.add_parser("report", help="print the signed daily logs")
    ss = s.add_subparsers(dest="action", required=True, parser_class=type(s))
    x = ss.add_parser("daily", help="write one day's logs (PDF, signed) into a folder")
    x.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="the day (default: today)")
    x.add_argument("--out", type=Path, required=True, metavar="DIR")
    x = ss.add_parser("stats", help="per-day figures of a date range (and an .xlsx with every record)")
    x.add_argument("--from", dest="start", type=_date, required=True, metavar="YYYY-MM-DD")
    x.add_argument("--to", dest="end", type=_date, required=True, metavar="YYYY-MM-DD")
    x.add_argument("--out", type=Path, metavar="X.xlsx", help="also write the .xlsx export here")

    return {"report": _report}


def _report(ctx, args) -> int:
    from checkpoint_app.services.daily_logs import daily_report

    if args.action == "stats":
        return _stats(ctx, args)
    day = args.date or ctx.now().date()
    files = daily_report(ctx, day, args.out)
    emit(args, {"files": [str(f) for f in files], "date": day.isoformat()},
         [_("written", n=len(files)), *(str(f) for f in files)])
    return 0


def _stats(ctx, args) -> int:
    from checkpoint_app.domain.text import pad
    from checkpoint_app.services import statistics

    if args.out is not None:
        stats = statistics.export_xlsx(ctx, args.start, args.end, args.out)
    else:
        stats = statistics.day_stats(ctx, args.start, args.end)
    keys = list(stats.figures)
    width = max(8, *(len(stats.label(k)) * 2 + 2 for k in keys))
    lines = [pad(stats.label("day"), 12) + "".join(pad(stats.label(k), width) for k in keys)]
    lines += [pad(d.isoformat(), 12) + "".join(pad(str(stats.figures[k][i]), width) for k in keys)
              for i, d in enumerate(stats.days)]
    if args.out is not None:
        lines.append(_("written", n=1) + f" {args.out}")
    emit(args, {"days": [d.isoformat() for d in stats.days], "figures": stats.figures,
                "file": str(args.out) if args.out else None}, lines)
    return 0

