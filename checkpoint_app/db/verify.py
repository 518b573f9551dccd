"""Recompute everything: SQLite's own checks, rows that are in no chain, and every origin's
whole chain through the one chain verifier (:func:`checkpoint_app.db.chain.verify_range`):
row hashes, sequence, links, visitors' personal hashes.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from checkpoint_app.db import chain
from checkpoint_app.db.schema import RECORD_TABLES
from checkpoint_app.i18n import Messages

_ = Messages({
    "integrity": ("SQLite 完整性检查失败：{detail}", "SQLite integrity check failed: {detail}"),
    "fk": ("外键检查失败：表 {table} 中的 {rowid} 引用的记录不存在", "Foreign key check failed: {rowid} in table {table} refers to a missing record"),
    "row_hash": ("记录被改动：{kind} {uid}（门岗 {origin} 序号 {seq}）的内容与其哈希不符",
                 "Record altered: {kind} {uid} (gate {origin} seq {seq}) does not match its hash"),
    "missing_row": ("记录被删除：{kind} {uid}（门岗 {origin} 序号 {seq}）在 {table} 中不存在",
                    "Record deleted: {kind} {uid} (gate {origin} seq {seq}) is missing from {table}"),
    "orphan_row": ("记录被插入：{table} 中的 {uid} 不在日志链中",
                   "Record inserted: {uid} in {table} is not in the journal"),
    "wrong_kind": ("记录类型不符：{uid} 在日志中为 {kind}，却出现在 {table}",
                   "Record kind mismatch: {uid} is {kind} in the journal but sits in {table}"),
    "day": ("记录日期被改动：{kind} {uid} 的日期 {day} 与时间 {at} 不符",
            "Record day altered: {kind} {uid} has day {day} but time {at}"),
    "gap": ("序号不连续：门岗 {origin} 在序号 {expected} 处缺失（下一条为序号 {seq}）",
            "Sequence gap: gate {origin} is missing seq {expected} (next is seq {seq})"),
    "chain": ("哈希链断裂：门岗 {origin} 序号 {seq}（{kind} {uid}）",
              "Hash chain broken: gate {origin} seq {seq} ({kind} {uid})"),
    "personal": ("访客个人信息被改动：{uid}", "Visitor personal data altered: {uid}"),
    "unknown_kind": ("未知记录类型 {kind}：{uid}", "Unknown record kind {kind}: {uid}"),
})


@dataclass
class VerifyReport:
    records: int = 0
    origins: dict[str, tuple[int, str]] = field(default_factory=dict)  # origin -> (last seq, chain hex)
    problems: list[str] = field(default_factory=list)
    marks: list[chain.Mark] = field(default_factory=list)   # the chains' heads, found whole

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_database(conn: sqlite3.Connection, *, quick: bool = False, limit: int = 20,
                    on_chunk=None) -> VerifyReport:
    """``on_chunk(done, total)``: between chunks of the chains (progress; raising stops it)."""
    report = VerifyReport()
    pragma = "quick_check" if quick else "integrity_check"
    rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]
    if rows != ["ok"]:
        report.problems.append(_("integrity", detail="; ".join(rows[:3])))
        return report
    record_tables = {table for table, _cols in RECORD_TABLES.values()}
    for table, rowid, _parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall():
        # Name a record by its uid, as every other problem does; rowids mean nothing to people.
        uid = None
        if table in record_tables or table == "visitor_personal":
            found = conn.execute(f"SELECT uid FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
            uid = found[0] if found else None
        report.problems.append(_("fk", table=table, rowid=uid or rowid))
        if len(report.problems) >= limit:
            return report

    def problem(text: str) -> bool:
        report.problems.append(text)
        return len(report.problems) >= limit

    for kind, (table, _columns) in RECORD_TABLES.items():
        for (uid,) in conn.execute(
                f"SELECT t.uid FROM {table} t LEFT JOIN journal j ON j.uid = t.uid "
                f"WHERE j.uid IS NULL OR j.kind != ?", (kind,)):
            jk = conn.execute("SELECT kind FROM journal WHERE uid = ?", (uid,)).fetchone()
            text = _("wrong_kind", uid=uid, kind=jk[0], table=table) if jk else _("orphan_row", uid=uid, table=table)
            if problem(text):
                return report

    since = chain.verify_since_marks(conn, whole=True, limit=limit - len(report.problems), on_chunk=on_chunk)
    report.records = since.checked
    report.marks = since.marks
    report.origins = {m.origin: (m.seq, m.chain_hash.hex()) for m in since.marks}
    for origin, p in since.problems:
        if problem(_message(origin, p)):
            return report
    return report


def _message(origin: str, p: chain.Problem) -> str:
    where = dict(kind=p.kind, uid=p.uid, origin=origin[:8], seq=p.seq, table=p.table)
    if p.problem == "gap":
        return _("gap", origin=origin[:8], expected=p.seq, seq=p.detail[0] if p.detail else "?")
    if p.problem == "day":
        return _("day", day=p.detail[0], at=p.detail[1], **where)
    if p.problem == "personal":
        return _("personal", uid=p.uid)
    if p.problem == "unknown_kind":
        return _("unknown_kind", uid=p.uid, kind=p.kind)
    return _(p.problem, **where)
