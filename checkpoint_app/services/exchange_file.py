"""The exchange file on a USB stick, for the office page (ui/office/exchange_page.py) and the
command line (``checkpoint exchange export|import``, cli_exchange.py) alike: who may, the file's
default name, and what happened in one sentence — how many records per gate went out or came in,
and how many were refused (listed on the database check page, services/exchange_problems.py).

The file itself is exchange/usb.py: written beside the target and renamed into place, imported in
one transaction (a file of another site, a damaged or truncated file changes nothing; importing a
file twice changes nothing).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from checkpoint_app.errors import UserError
from checkpoint_app.exchange import merge, usb
from checkpoint_app.i18n import Messages
from checkpoint_app.services import exchange_problems
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

_ = Messages({
    "exported": ("已导出 {n} 条新记录到 {file}（{per_gate}）。", "{n} new records written to {file} ({per_gate})."),
    "exported_none": ("自上次导出以来没有新记录；已写入 {file}，其中没有记录。",
                      "Nothing new since the last export; {file} was written with no records in it."),
    "imported": ("{file}：收到 {n} 条新记录（{per_gate}）", "{file}: {n} new records came in ({per_gate})"),
    "imported_none": ("{file}：没有新记录", "{file}: no new records"),
    "held": ("，{n} 条本机已有", ", {n} already held"),
    "waiting": ("，{n} 条待补（缺少更早的记录，导入更早的文件后即可接收）",
                ", {n} waiting for earlier ones (import the earlier file and they come in)"),
    "refused": ("，拒收 {n} 条（{gates}），见“数据库检查”", ", {n} refused ({gates}): see Database check"),
    "end": ("。", "."),
    "already": ("{file}：这个文件的 {n} 条记录本机都已有，未作任何改动。",
                "{file}: all {n} records of this file are already held here; nothing changed."),
    "empty": ("{file}：文件中没有记录，未作任何改动。", "{file}: the file holds no records; nothing changed."),
    "hub": ("中心库", "The hub"),
    "pushed": ("已推送 {n} 条记录到中心库。", "{n} records pushed to the hub. "),
    "failed": ("{file}：{why}", "{file}: {why}"),
    "per_gate": ("{name} {n} 条", "{name} {n}"),
    "sep": ("，", ", "),
})

SUFFIX = ".ckx"          # 门岗通交换文件 (an SQLite file, exchange/usb.py)


@dataclass(frozen=True)
class ExportDone:
    path: Path
    records: int
    by_gate: dict[str, int]            # gate name -> records written
    sentence: str


@dataclass(frozen=True)
class ImportDone:
    path: Path | None                  # None: from the hub
    ok: bool                           # False: refused whole (another site, damaged, not a file): nothing changed
    added: int = 0
    by_gate: dict[str, int] = field(default_factory=dict)   # gate name -> records added
    duplicates: int = 0
    waiting: int = 0
    refused: int = 0
    refused_gates: tuple[str, ...] = ()
    problems: list[tuple[str, int, str]] = field(default_factory=list)   # (origin, seq, problem)
    incidents: list[str] = field(default_factory=list)
    code: str = ""                     # the refusal's code when not ok
    sentence: str = ""


def _gate_word(ctx: GateContext, lang: str | None) -> Callable[[str], str]:
    """Origin -> the gate's name, as the refused records' list says it (services/exchange_problems.py)."""
    with ctx.db.read() as conn:
        names = exchange_problems.gate_names(conn)
    return lambda origin: exchange_problems.gate_word(names, origin, lang)


def _per_gate(by_gate: dict[str, int], lang: str | None) -> str:
    return _("sep", lang).join(_("per_gate", lang, name=n, n=c) for n, c in by_gate.items())


def default_name(ctx: GateContext) -> str:
    """``<site>-<gate>-<yyyymmdd-hhmm>.ckx``: whose records, and when (characters a USB stick's
    file system refuses replaced)."""
    stem = f"{ctx.site.code}-{ctx.gate.name}-{ctx.now():%Y%m%d-%H%M}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", stem) + SUFFIX


def export_new(ctx: GateContext, out: Path, *, since_last: bool = True, lang: str | None = None) -> ExportDone:
    """Write what is new since the last export (``since_last``; else everything) to ``out``."""
    require(ctx, "exchange_records")
    done = usb.export_file(ctx, Path(out), since_last=since_last)
    gate = _gate_word(ctx, lang)
    by_gate = {gate(o): last - first + 1 for o, (first, last) in sorted(done.ranges.items(),
                                                                       key=lambda item: gate(item[0]))}
    sentence = (_("exported", lang, n=done.records, file=done.path, per_gate=_per_gate(by_gate, lang))
                if done.records else _("exported_none", lang, file=done.path))
    return ExportDone(done.path, done.records, by_gate, sentence)


def import_one(ctx: GateContext, path: Path, *, lang: str | None = None) -> ImportDone:
    """Import one file; a refusal of the whole file (another site, damaged, not an exchange file)
    is an ImportDone with ``ok`` False and its sentence — nothing was written."""
    require(ctx, "exchange_records")
    path = Path(path)
    try:
        result = usb.import_file(ctx, path)
    except UserError as err:
        return ImportDone(path, False, code=err.code, sentence=_("failed", lang, file=path.name, why=err))
    return summarise(ctx, path.name, result, lang=lang, path=path)


def import_files(ctx: GateContext, paths: list[Path], *, lang: str | None = None, progress=None) -> list[ImportDone]:
    """Several files, one after the other, each in its own transaction (all or nothing per file)."""
    from checkpoint_app.services.progress import step

    done = []
    for i, path in enumerate(paths):
        step(progress, i, len(paths), Path(path).name)
        done.append(import_one(ctx, path, lang=lang))
    step(progress, len(paths), len(paths))
    return done


def sync_now(ctx: GateContext, *, lang: str | None = None):
    """Push to the hub and pull from it now (exchange/sync.py); (the SyncResult, its ImportDone)."""
    from checkpoint_app.exchange import sync

    require(ctx, "exchange_records")
    result = sync.sync(ctx)
    summary = summarise(ctx, _("hub", lang), result.pulled, lang=lang)
    sentence = _("pushed", lang, n=result.pushed) + summary.sentence
    return result, ImportDone(**{**summary.__dict__, "sentence": sentence})


def summarise(ctx: GateContext, label: str, result: merge.ApplyResult, *, lang: str | None = None,
              path: Path | None = None) -> ImportDone:
    """What arrived (a file's or the hub's ``label``), in one sentence."""
    gate = _gate_word(ctx, lang)
    by_gate = {gate(o): n for o, n in sorted(result.added_by.items(), key=lambda item: gate(item[0]))}
    refused_gates = tuple(dict.fromkeys(gate(o) for o, _s, _p in result.problems))
    refused = len(result.problems)
    file = label
    if not result.added and not result.waiting and not refused and path is None:
        sentence = _("imported_none", lang, file=file) + _("end", lang)
    elif not result.added and not result.waiting and not refused:
        sentence = (_("already", lang, file=file, n=result.duplicates) if result.duplicates
                    else _("empty", lang, file=file))
    else:
        sentence = (_("imported", lang, file=file, n=result.added, per_gate=_per_gate(by_gate, lang))
                    if result.added else _("imported_none", lang, file=file))
        if result.duplicates:
            sentence += _("held", lang, n=result.duplicates)
        if result.waiting:
            sentence += _("waiting", lang, n=result.waiting)
        if refused:
            sentence += _("refused", lang, n=refused, gates=_("sep", lang).join(refused_gates))
        sentence += _("end", lang)
    return ImportDone(path, True, added=result.added, by_gate=by_gate, duplicates=result.duplicates,
                      waiting=result.waiting, refused=refused, refused_gates=refused_gates,
                      problems=list(result.problems), incidents=list(result.incidents), sentence=sentence)
