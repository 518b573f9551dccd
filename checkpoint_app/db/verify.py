"""Recompute everything: SQLite's own checks, every row hash, every chain, every sequence.

Two passes keep it fast on a big file: first each record table is joined with the journal
and every row hash recomputed (finding changed, inserted and deleted rows); then the journal
is walked per origin in ``origin_seq`` order checking the sequence has no gap and each chain
link follows from the previous one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from checkpoint_app.db import records
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
    "gap": ("序号不连续：门岗 {origin} 在序号 {expected} 处缺失（下一条为 {seq}）",
            "Sequence gap: gate {origin} is missing seq {expected} (next is {seq})"),
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

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_database(conn: sqlite3.Connection, *, quick: bool = False, limit: int = 20) -> VerifyReport:
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

    for kind, (table, columns) in RECORD_TABLES.items():
        cols = ", ".join(f"t.{c}" for c in columns)
        sql = (f"SELECT j.uid, j.origin, j.origin_seq, j.kind, j.at, j.row_hash, t.uid, t.at, t.day, {cols} "
               f"FROM journal j LEFT JOIN {table} t ON t.uid = j.uid WHERE j.kind = ?")
        for row in conn.execute(sql, (kind,)):
            uid, origin, seq, jkind, at, stored, t_uid, t_at, t_day = row[:9]
            where = dict(kind=kind, uid=uid, origin=origin[:8], seq=seq, table=table)
            if t_uid is None:
                if problem(_("missing_row", **where)):
                    return report
                continue
            fields = dict(zip(columns, row[9:]))
            canon = records.canonical_bytes(jkind, origin, seq, uid, t_at, fields)
            if t_at != at or records.row_hash(canon) != stored:
                if problem(_("row_hash", **where)):
                    return report
            elif t_day != t_at[:10]:
                if problem(_("day", day=t_day, at=t_at, **where)):
                    return report
        for (uid,) in conn.execute(
                f"SELECT t.uid FROM {table} t LEFT JOIN journal j ON j.uid = t.uid "
                f"WHERE j.uid IS NULL OR j.kind != ?", (kind,)):
            jk = conn.execute("SELECT kind FROM journal WHERE uid = ?", (uid,)).fetchone()
            text = _("wrong_kind", uid=uid, kind=jk[0], table=table) if jk else _("orphan_row", uid=uid, table=table)
            if problem(text):
                return report

    for uid, kind in conn.execute("SELECT uid, kind FROM journal WHERE kind NOT IN (%s)"
                                  % ",".join("?" * len(RECORD_TABLES)), tuple(RECORD_TABLES)):
        if problem(_("unknown_kind", uid=uid, kind=kind)):
            return report

    for uid, salt, name, phone, id_number, stored in conn.execute(
            "SELECT p.uid, p.salt, p.name, p.phone, p.id_number, v.personal_hash "
            "FROM visitor_personal p JOIN visitor_entries v ON v.uid = p.uid"):
        if records.personal_hash(salt, {"name": name, "phone": phone, "id_number": id_number}) != stored:
            if problem(_("personal", uid=uid)):
                return report

    origin = None
    previous = records.GENESIS
    expected = 1
    for jorigin, seq, uid, kind, rh, ch in conn.execute(
            "SELECT origin, origin_seq, uid, kind, row_hash, chain_hash FROM journal ORDER BY origin, origin_seq"):
        if jorigin != origin:
            origin, previous, expected = jorigin, records.GENESIS, 1
        report.records += 1
        where = dict(origin=origin[:8], seq=seq, kind=kind, uid=uid)
        if seq != expected:
            if problem(_("gap", origin=origin[:8], expected=expected, seq=seq)):
                return report
            expected = seq
        if records.chain_hash(previous, rh) != ch:
            if problem(_("chain", **where)):
                return report
        previous = ch
        expected += 1
        report.origins[origin] = (seq, ch.hex())
    return report
