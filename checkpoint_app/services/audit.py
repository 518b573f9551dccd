"""The auditor's desk: a pile of PDFs (files and folders) verified, and the gaps between days.

``verify_files(paths, certificates=…, ctx=…)`` checks each PDF (services/verification.py): by the
site certificates given (``--trust``), else by the auditor's trust store (services/trust.py); a
file of the site whose database is open (``ctx``) is checked against that database instead, which
also recomputes its records. No data folder is needed for the first two.

Continuity: each day's checkpoint (version 2) carries where the gate's chain stood at the end of
the day before, so the logs of one gate prove themselves as a series. Per site and gate, between
the first and last day present, these are named (:class:`Gap`):

* ``missing_day``: no log of that day at all;
* ``missing_log``: a day lacks a kind of log (passages, visitors…) the other days have;
* ``seq_gap``: a day does not continue from the record the day before ended with (records in no
  log, or the day before's log is not the one its successor knew);
* ``chain_break``: it continues from that record, but not from its chain head (history was
  rewritten in between);
* ``conflict``: two different end-of-day checkpoints of the same day;
* ``short``: a log of the whole compound (made at the office from the gates' records it held) was
  made before a gate's records of the day had all reached it, and nothing else in the pile shows
  where that gate's day ended. A compound log counts as a log of each of its gates, so it also
  takes part in the checks above (against the gate's own logs and the days around it).

Only files whose signature holds and whose bytes are unaltered take part: a forged log proves
nothing. A log printed before its day ended (``as of``) shows the day is there but is not where
the day ended, so no link is checked against it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from checkpoint_app.domain.checkpoint import Checkpoint, GateDay
from checkpoint_app.i18n import Messages
from checkpoint_app.services import progress as progress_mod
from checkpoint_app.services import trust
from checkpoint_app.services.permissions import require
from checkpoint_app.services.verification import DocumentCheck, _info, read_embedded, verify_document, verify_offline

log = logging.getLogger(__name__)

_ = Messages({
    "renamed": ("但文件名与内容不符：这份文件是 {site} {gate} {day} 的“{log}”。",
                " But its name does not match what it holds: this file is the \"{log}\" of {site} {gate} {day}."),
    "missing_day": ("{where}：缺少 {day} 的日志。", "{where}: the log of {day} is missing."),
    "missing_days": ("{where}：缺少 {first} 至 {last} 共 {n} 天的日志。",
                     "{where}: the logs of {first} to {last} ({n:day|days}) are missing."),
    "missing_log": ("{where}：{day} 没有真实有效的“{log}”（其他日子都有）。",
                    "{where}: {day} has no authentic “{log}” (the other days have one)."),
    "seq_gap": ("{where}：{day} 的日志接续记录 #{prev}，但 {before} 的日志止于 #{end}：记录序号不连续。",
                "{where}: the log of {day} continues from record #{prev}, but the log of {before} ends "
                "at #{end}: the sequence has a gap."),
    "seq_gap_inside": ("{where}：{day} 的日志从记录 #{first} 开始，而前一日止于 #{prev}：记录序号不连续。",
                       "{where}: the log of {day} starts at record #{first}, but the day before ended at "
                       "#{prev}: the sequence has a gap."),
    "seq_gap_v1": ("{where}：{before} 的日志止于记录 #{end}，{day} 的日志从 #{first} 开始：记录序号不连续。",
                   "{where}: the log of {before} ends at record #{end}, the log of {day} starts at "
                   "#{first}: the sequence has a gap."),
    "chain_break": ("{where}：{day} 的日志与 {before} 的日志不衔接：它所记前一日的链头（{prev}…）"
                    "不是 {before} 日志的链头（{end}…）。",
                    "{where}: the log of {day} does not link to the log of {before}: the chain head it "
                    "carries for the day before ({prev}…) is not the head the log of {before} ends with "
                    "({end}…)."),
    "conflict": ("{where}：{day} 有两份内容不同的日终日志：{file_a}（{a} 条记录）与 {file_b}（{b} 条记录），同一门岗同一天只应有一种。",
                 "{where}: {day} has two different end-of-day logs, {file_a} ({a:record|records}) and {file_b} "
                 "({b:record|records}); one gate's day has only one."),
    "where": ("{site} {gate}", "{site} {gate}"),
    "short": ("{where}：全小区日志（{day}）制作时，本门岗的记录只到 {newest}（#{last}），此后的记录尚未同步到制作日志的电脑："
              "当日记录可能不全。",
              "{where}: when the compound's log of {day} was made, this gate's records there went only up to "
              "{newest} (#{last}); later ones had not reached the PC that made it (not synced): the day's records "
              "may be short."),
    "short_none": ("{where}：全小区日志（{day}）制作时，制作日志的电脑没有本门岗的任何记录（未同步）。",
                   "{where}: when the compound's log of {day} was made, the PC that made it held no record of this "
                   "gate at all (not synced)."),
})

GAP_CODES = ("missing_day", "missing_log", "seq_gap", "chain_break", "conflict", "short")


@dataclass(frozen=True)
class Gap:
    code: str                 # one of GAP_CODES
    site: str
    gate: str
    day: str                  # the day named (ISO); the first one of a run of missing days
    message: str

    def as_json(self) -> dict:
        return {"code": self.code, "site": self.site, "gate": self.gate, "day": self.day,
                "message": self.message}


@dataclass(frozen=True)
class Audit:
    files: tuple[DocumentCheck, ...]
    gaps: tuple[Gap, ...] = field(default=())
    folders: tuple[Path, ...] = field(default=())   # the folders given, to name a file found in one

    def shown(self, path: Path) -> str:
        """A file as the auditor knows it: its path inside the folder given that holds it
        (``pc1/2026-11-28_….pdf``: two PCs' files of one name told apart), else its name."""
        for folder in self.folders:
            try:
                return Path(path).relative_to(folder).as_posix()
            except ValueError:
                continue
        return Path(path).name

    @property
    def ok(self) -> bool:
        return bool(self.files) and all(f.ok for f in self.files) and not self.gaps

    def as_json(self) -> dict:
        return {"ok": self.ok, "files": [f.as_json() for f in self.files],
                "gaps": [g.as_json() for g in self.gaps]}


def collect(paths: Iterable[Path]) -> list[Path]:
    """The PDFs named: files as given (also a missing one, to be named unreadable), folders
    searched for ``*.pdf`` (also in sub-folders, not hidden or recycle ones), each file once, in a
    stable order."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(f for f in p.rglob("*") if f.suffix.lower() == ".pdf" and f.is_file()
                            and not any(_hidden(part) for part in f.relative_to(p).parts))
        else:
            found.append(p)
    return list(dict.fromkeys(found))


def _hidden(name: str) -> bool:
    """A hidden file or folder, or one where a system keeps deleted files (.Trashes, $RECYCLE.BIN):
    not part of the pile the auditor was given."""
    return name.startswith((".", "$")) or name == "System Volume Information"


def verify_files(paths: Iterable[Path], *, certificates: Sequence[trust.SiteCertificate] | None = None,
                 ctx=None, progress: progress_mod.Progress | None = None) -> Audit:
    """Verify every PDF in ``paths`` and the continuity of each gate's days. ``certificates``:
    the sites to trust for this check (else the trust store). ``ctx``: an open site database,
    against which that site's files are checked (when no certificates are given); whoever it
    acts for must be allowed to verify. Without it nobody's permission is involved: the
    certificates are public and nothing of a site is read."""
    if ctx is not None:
        require(ctx, "verify_documents")
    paths = [Path(p) for p in paths]
    files = collect(paths)
    given = certificates is not None
    roots = list(certificates) if given else trust.trusted()
    checks = []
    for i, path in enumerate(files):
        progress_mod.step(progress, i, len(files), path.name)
        if ctx is not None and not given and _site_code_in(path) == ctx.site.code:
            checks.append(verify_document(ctx, path))
        else:
            checks.append(verify_offline(path, roots, given=given))
    progress_mod.step(progress, len(files), len(files), "")
    checks = [_say_if_renamed(c) for c in checks]
    return Audit(tuple(checks), tuple(continuity(checks)), tuple(p for p in paths if p.is_dir()))


_LOG_NAME = re.compile(r"\d{4}-\d{2}-\d{2}_.+_.+_[a-z]+\.pdf")


def _say_if_renamed(c: DocumentCheck) -> DocumentCheck:
    """An authentic log whose file name, in the form the app writes (daily_logs.file_name), names
    another day, site, gate or kind: the name is not signed, so the sentence says what it holds."""
    from checkpoint_app.services.daily_logs import COMPOUND, file_name

    cp = c.checkpoint or (c.gates[0].checkpoint if c.gates else None)
    if not c.ok or cp is None or not c.log_kind or not _LOG_NAME.fullmatch(c.path.name):
        return c
    gate = COMPOUND if c.gates else c.gate
    if not gate or c.path.name == file_name(cp.day, cp.site_code, gate, c.log_kind):
        return replace(c, name_ok=True)
    return replace(c, name_ok=False, message=c.message + _("renamed", site=c.site or cp.site_code, gate=c.gate,
                                            day=cp.day.isoformat(), log=_log_title(c.log_kind)))


def _site_code_in(path: Path) -> str | None:
    from checkpoint_app.domain.checkpoint import COMPOUND_INFO_KEY, compound_from_json, decode_checkpoint

    try:
        text = read_embedded(path)[0]
        if text is None:   # a log of the whole compound: its gates' checkpoints
            gates = compound_from_json(_info(path, COMPOUND_INFO_KEY)[0] or "[]")
            return gates[0].checkpoint.site_code if gates else None
        return decode_checkpoint(text)[0].site_code
    except Exception:  # unreadable or not ours: the full check will say what
        return None


def continuity(checks: Sequence[DocumentCheck]) -> list[Gap]:
    """The gaps between the days of each gate (see the module documentation)."""
    groups: dict[tuple[str, str], list[DocumentCheck]] = {}
    short: dict[tuple[str, str, date], tuple[DocumentCheck, GateDay]] = {}
    for c in checks:
        if not (c.signature_ok and c.unaltered):
            continue
        # a log of the whole compound counts as a log of each gate in it, made where it was made
        for g in c.gates:
            if not g.complete and c.as_of is None:   # that gate's day as far as it had reached that PC
                short[(g.checkpoint.site_code, g.checkpoint.gate_id, g.checkpoint.day)] = (c, g)
            groups.setdefault((g.checkpoint.site_code, g.checkpoint.gate_id), []).append(replace(
                c, checkpoint=g.checkpoint, gate=g.name, gates=(),
                as_of=c.as_of or (None if g.complete else g.newest or g.checkpoint.day.isoformat())))
        if c.checkpoint is not None:
            groups.setdefault((c.checkpoint.site_code, c.checkpoint.gate_id), []).append(c)
    gaps: list[Gap] = []
    for (site, gate_id, day), (c, g) in sorted(short.items()):
        if any(o.checkpoint.day == day and o.as_of is None for o in groups[(site, gate_id)]):
            continue   # the pile also holds where that gate's day ended (its own log, or a later one)
        where = _("where", site=c.site or site, gate=g.name)
        gaps.append(Gap("short", site, g.name, day.isoformat(), _(
            "short" if g.newest else "short_none", where=where, day=day.isoformat(), last=g.checkpoint.last_seq,
            newest=(g.newest or "")[:16].replace("T", " "))))
    for (site, _gate_id), group in sorted(groups.items()):
        gate = next((c.gate for c in group if c.gate), _gate_id[:8])
        label = next((c.site for c in group if c.site), site)
        where = _("where", site=label, gate=gate)

        def gap(code: str, day: date, key: str | None = None, **words) -> None:
            gaps.append(Gap(code, site, gate, day.isoformat(),
                            _(key or code, where=where, day=day.isoformat(), **words)))

        days: dict[date, list[DocumentCheck]] = {}
        for c in group:
            days.setdefault(c.checkpoint.day, []).append(c)
        ends: dict[date, Checkpoint | None] = {}   # the end-of-day checkpoint of each day, if any
        for day, found in days.items():
            found_by = {c.checkpoint: c for c in found if c.as_of is None}
            full = list(found_by)
            if len(full) > 1:
                a, b = (found_by[cp] for cp in full[:2])
                gap("conflict", day, a=full[0].row_count, b=full[1].row_count,
                    file_a=f"{a.path.parent.name}/{a.path.name}", file_b=f"{b.path.parent.name}/{b.path.name}")
            ends[day] = full[0] if full else None
        kinds = {c.log_kind for c in group if c.log_kind}
        first, last = min(days), max(days)
        day = first
        while day <= last:
            if day not in days:
                run_end = day
                while run_end + timedelta(days=1) not in days:
                    run_end += timedelta(days=1)
                if run_end == day:
                    gap("missing_day", day)
                else:
                    gap("missing_day", day, "missing_days", first=day.isoformat(), last=run_end.isoformat(),
                        n=(run_end - day).days + 1)
                day = run_end + timedelta(days=1)
                continue
            if len(days) > 1:
                for kind in sorted(kinds - {c.log_kind for c in days[day]}, key=_kind_order):
                    gap("missing_log", day, log=_log_title(kind))
            _link(ends.get(day - timedelta(days=1)), ends.get(day), gap)
            day += timedelta(days=1)
    return gaps


def _link(before: Checkpoint | None, cp: Checkpoint | None, gap) -> None:
    """The gap, if any, between one day's end-of-day checkpoint and the next day's (one per
    day: a sequence that does not continue is named before a chain that does not link)."""
    if cp is None:
        return
    end = before.end if before is not None else None
    words = dict(before=before.day.isoformat()) if before is not None else {}
    if cp.prev_head is not None and end is not None:
        if cp.prev_seq != end[0]:
            return gap("seq_gap", cp.day, prev=cp.prev_seq, end=end[0], **words)
        if cp.prev_head != end[1]:
            return gap("chain_break", cp.day, prev=cp.prev_head[:16], end=end[1][:16], **words)
    elif before is not None and cp.row_count and before.row_count and cp.first_seq != before.last_seq + 1:
        return gap("seq_gap", cp.day, "seq_gap_v1", end=before.last_seq, first=cp.first_seq, **words)  # version 1
    if cp.prev_head is not None and cp.row_count and cp.first_seq != (cp.prev_seq or 0) + 1:
        gap("seq_gap", cp.day, "seq_gap_inside", first=cp.first_seq, prev=cp.prev_seq)


def _log_title(kind: str) -> str:
    from checkpoint_app.reports.daily_log import title

    return title(kind)


def _kind_order(kind: str) -> int:
    from checkpoint_app.reports.daily_log import LOG_KINDS

    return LOG_KINDS.index(kind) if kind in LOG_KINDS else len(LOG_KINDS)
