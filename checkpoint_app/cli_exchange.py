"""``checkpoint site export-join``, ``checkpoint init --join`` and ``checkpoint exchange``: the
exchange's commands (an EXTENSIONS module of cli.py).

``site export-join --gate NAME --out JOIN.ckp`` prints the one-time code the new PC needs;
``init --join JOIN.ckp --code CODE`` sets up this data folder as that gate.
``exchange export [--since-last] --out F`` / ``exchange import F``: the USB file.
``exchange problems``: the records refused on arrival (as the database check page lists them).
``exchange push --hub URL [--batch N]`` / ``exchange pull --hub URL``: the PostgreSQL hub.
``exchange rebuild --out DIR``: a new data folder made from this PC's records alone.
``site baseline``: once, on the office PC of a site made before state records, its state as records.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from checkpoint_app.cli import emit
from checkpoint_app.i18n import Messages

_ = Messages({
    "join_written": ("加入文件已写入 {file}，有效至 {hours} 小时后。加入码（只显示这一次）：{code}",
                     "Join file written to {file}, valid for {hours} hours. Join code (shown only this once): {code}"),
    "joined": ("本机已加入小区 {site}，作为门岗 {gate}。", "This PC joined site {site} as gate {gate}."),
    "join_used": ("加入文件已用过，改名为 {file}。", "The join file is used now, renamed {file}."),
    "applied": ("新增 {added} 条，重复 {dup} 条，待补 {waiting} 条，拒收 {problems} 条。",
                "{added} added, {dup} already held, {waiting} waiting for earlier ones, {problems} refused."),
    "problem_line": ("{at}  {source}  {gate}{seq}{uid}：{problem}", "{at}  {source}  {gate}{seq}{uid}: {problem}"),
    "no_problems": ("没有被拒收的记录。", "No records were refused."),
    "pushed": ("已推送 {n} 条记录到中心库。", "{n} records pushed to the hub."),
    "baseline": ("已为原有状态写入 {n} 条记录（{kinds}）；再次运行不会重复写入。",
                 "{n} baseline records written ({kinds}); running it again writes nothing more."),
    "rebuilt": ("已从记录重建数据文件夹 {dir}（{problems} 处与记录不符）。",
                "Rebuilt the data folder {dir} from the records ({problems} problems)."),
})


def add_commands(sub: argparse._SubParsersAction) -> dict:
    init = sub.choices["init"]  # ``init --join``: the site comes from the file instead
    init.add_argument("--join", type=Path, metavar="JOIN.ckp", help="join the site in this file as its gate")
    init.add_argument("--code", help="the one-time code printed with the join file")
    for action in init._actions:
        if action.dest in ("site_code", "site_name", "gate"):
            action.required = False

    s = sub.add_parser("site", help="the site across PCs")
    ss = s.add_subparsers(dest="action", required=True, parser_class=type(s))
    x = ss.add_parser("export-join", help="write the file a new gate PC joins from")
    x.add_argument("--gate", required=True)
    x.add_argument("--out", type=Path, required=True)
    x.add_argument("--hours", type=int, default=24)
    ss.add_parser("baseline", help="once, on the PC that issues passes of a site made before state records: "
                  "write its state as records so that it travels")

    s = sub.add_parser("exchange", help="records between the PCs of the site: file or hub")
    ss = s.add_subparsers(dest="action", required=True, parser_class=type(s))
    x = ss.add_parser("export")
    x.add_argument("--out", type=Path, required=True)
    x.add_argument("--since-last", action="store_true")
    x = ss.add_parser("import")
    x.add_argument("file", type=Path)
    x = ss.add_parser("problems", help="the records other PCs sent that were refused here (a forked or altered gate)")
    x.add_argument("--limit", type=int, default=1000)
    for name in ("push", "pull", "sync"):
        x = ss.add_parser(name)
        x.add_argument("--hub", required=True, metavar="postgresql://…")
        x.add_argument("--batch", type=int, default=None, help="records per batch (a slow link: fewer)")
    x = ss.add_parser("rebuild", help="a new data folder rebuilt from this PC's records alone")
    x.add_argument("--out", type=Path, required=True)
    return {"site": _site, "exchange": _exchange, "init-join": _init_join}


def init_join(args, data_dir: Path) -> int:
    from checkpoint_app.exchange.join import init_join as join

    from checkpoint_app.exchange.join import used_path

    ctx = join(data_dir, args.join, args.code or "")
    used = used_path(args.join) if not args.join.exists() else None     # marked used (join.mark_used)
    emit(args, {"site": ctx.site.code, "gate": ctx.gate.name, "gate_id": ctx.gate.uid, "data_dir": str(data_dir),
                "join_file_used": str(used) if used else None},
         _("joined", site=ctx.site.code, gate=ctx.gate.name) + (_("join_used", file=used.name) if used else ""))
    ctx.close()
    return 0


def _init_join(_ctx, args) -> int:
    from checkpoint_app import paths

    return init_join(args, args.data_dir or paths.default_data_dir())


_init_join.without_gate = True


def _site(ctx, args) -> int:
    from checkpoint_app.exchange.join import export_join, no_document_ca

    if args.action == "baseline":
        from checkpoint_app.exchange.rebuild import write_baseline

        written = write_baseline(ctx)
        emit(args, {"written": written}, _("baseline", n=sum(written.values()),
                                           kinds=", ".join(f"{k} {n}" for k, n in written.items()) or "—"))
        return 0
    path, code = export_join(ctx, args.gate, args.out, hours=args.hours)
    unsigned = no_document_ca(ctx, args.gate)
    emit(args, {"file": str(path), "code": code, "hours": args.hours, "documents_signed": unsigned is None,
                "note": unsigned},
         [_("join_written", file=path, hours=args.hours, code=code), *([unsigned] if unsigned else [])])
    return 0


def _applied(args, result, extra: dict | None = None) -> None:
    emit(args, {"added": result.added, "duplicates": result.duplicates, "waiting": result.waiting,
                "problems": [list(p) for p in result.problems],
                "incidents": result.incidents, **(extra or {})},
         _("applied", added=result.added, dup=result.duplicates, waiting=result.waiting, problems=len(result.problems)))


def _exchange(ctx, args) -> int:
    if args.action in ("export", "import", "problems"):
        return _file(ctx, args)
    if args.action == "rebuild":
        from checkpoint_app.exchange.rebuild import rebuild_into

        problems = rebuild_into(ctx, args.out)
        emit(args, {"data_dir": str(args.out), "problems": [list(p) for p in problems]},
             _("rebuilt", dir=args.out, problems=len(problems)))
        return 1 if problems else 0
    from checkpoint_app.exchange import hub

    size = {"batch": max(1, args.batch)} if args.batch else {}
    with hub.connect(args.hub) as pg:
        pushed = hub.push(ctx, pg, **size) if args.action in ("push", "sync") else 0
        if args.action == "push":
            emit(args, {"pushed": pushed}, _("pushed", n=pushed))
            return 0
        result = hub.pull(ctx, pg, **size)
    _applied(args, result, {"pushed": pushed})
    return 1 if result.problems else 0


def _file(ctx, args) -> int:
    """The USB file and the refused records: the services the office's 同步 / 交换 page calls."""
    from checkpoint_app.errors import InvalidInput
    from checkpoint_app.services import exchange_file, exchange_problems

    if args.action == "export":
        done = exchange_file.export_new(ctx, args.out, since_last=args.since_last)
        emit(args, {"file": str(done.path), "records": done.records, "by_gate": done.by_gate}, done.sentence)
        return 0
    if args.action == "import":
        done = exchange_file.import_one(ctx, args.file)
        if not done.ok:
            raise InvalidInput(done.sentence, done.code)
        emit(args, {"added": done.added, "by_gate": done.by_gate, "duplicates": done.duplicates,
                    "waiting": done.waiting, "problems": [list(p) for p in done.problems],
                    "incidents": done.incidents}, done.sentence)
        return 1 if done.problems else 0
    problems = exchange_problems.list_problems(ctx, limit=max(1, args.limit))
    emit(args, {"problems": [{"id": p.id, "found_at": p.found_at, "source": p.source, "gate": p.gate,
                              "seq": p.seq, "uid": p.uid, "code": p.code, "problem": p.problem}
                             for p in problems]},
         [_("problem_line", at=p.found_at[:16].replace("T", " "), source=p.source, gate=p.gate,
            seq="" if p.seq is None else f" #{p.seq}", uid=f" {p.uid}" if p.uid else "", problem=p.problem)
          for p in problems] or [_("no_problems")])
    return 0
