"""Records refused on arrival (exchange/merge.py keeps them in ``exchange_problems``): merging never
rewrites a record, so a record of another gate that arrives with another hash for a uid or a seq
already held, or whose hash or link is broken, is refused and listed here — for the office's
database check page and the status bar after a background sync (a tampered or forked gate).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

_ = Messages({
    "conflict": ("此前已收到该门岗同一序号的记录，这次收到的内容不同（哈希不符），未采用；该门岗的记录可能被改动或分叉"
                 "（常见原因：两台电脑在用同一个门岗，即同一个加入文件用了两次，或复制了数据目录）。",
                 "A record with this gate's number was received before with other contents (another hash); "
                 "this one was refused: the gate's records may have been altered or forked (often two PCs "
                 "acting as one gate: a join file used twice, or a copied data folder)."),
    "uid_conflict": ("本机已有同一编号（uid）的另一条记录，这次收到的内容不同，未采用，原记录未被覆盖。",
                     "Another record with the same uid is held here; this one, with other contents, was "
                     "refused and the one held was not overwritten."),
    "row_hash": ("记录内容与其哈希不符（可能被改动），未采用；该门岗之后的记录暂不接收。",
                 "The record's contents do not match its hash (it may have been altered); refused, and "
                 "this gate's later records wait."),
    "chain": ("记录接不上该门岗的上一条记录（链被改动或分叉），未采用；该门岗之后的记录暂不接收。",
              "The record does not link to this gate's previous record (the chain was altered or forked); "
              "refused, and this gate's later records wait."),
    "malformed": ("记录无法读取（格式不对，或本机程序版本较旧），未采用；该门岗之后的记录暂不接收。",
                  "The record cannot be read (malformed, or this PC's program is older); refused, and "
                  "this gate's later records wait."),
    "state": ("收到的记录与本机的名单或设置不符，该项保持原样：{detail}",
              "The records received do not fit this PC's roster or settings; that entry was left as it "
              "was: {detail}"),
    "other": ("记录未采用：{detail}", "Record refused: {detail}"),
    "hub": ("中心库", "hub"),
    "file": ("文件 {name}", "file {name}"),
    "rebuild": ("重建", "rebuild"),
    "unknown_gate": ("未知门岗 {origin}", "unknown gate {origin}"),
    "no_gate": ("（多个门岗）", "(several gates)"),
})


@dataclass(frozen=True)
class ExchangeProblem:
    id: int
    found_at: str        # ISO time the record arrived
    source: str          # 中心库 / 文件 NAME (translated)
    gate: str            # the origin gate's name
    seq: int | None      # its number in that gate's chain (None: a problem of the state, not one record)
    uid: str | None
    problem: str         # one translated sentence
    code: str            # conflict | uid_conflict | row_hash | chain | malformed | state | …


@dataclass(frozen=True)
class Unseen:
    """For the status bar: problems above a mark (no record's contents, only gates and counts)."""
    count: int
    gates: tuple[str, ...]
    last_id: int


def gate_names(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT uid, name FROM gates"))


def gate_word(names: dict[str, str], origin: str, lang: str | None) -> str:
    """A gate by its name (an origin this PC knows no gate of: 未知门岗 and its first characters)."""
    if not origin:
        return _("no_gate", lang)
    return names.get(origin) or _("unknown_gate", lang, origin=origin[:8])


def _source(source: str, lang: str | None) -> str:
    if source.startswith("file:"):
        return _("file", lang, name=source[5:])
    return _(source, lang) if source in ("hub", "rebuild") else source


def sentence(code: str, lang: str | None = None) -> str:
    """The problem ``exchange_problems.problem`` holds, in one sentence."""
    if code.startswith("state: "):
        return _("state", lang, detail=code[7:])
    if code in ("conflict", "uid_conflict", "row_hash", "chain", "malformed"):
        return _(code, lang)
    return _("other", lang, detail=code)


def list_problems(ctx: GateContext, *, lang: str | None = None, limit: int = 1000) -> list[ExchangeProblem]:
    """The refused records, newest first (at most ``limit``). Managers, admins and auditors."""
    require(ctx, "view_exchange_problems")
    with ctx.db.read() as conn:
        names = gate_names(conn)
        rows = conn.execute("SELECT id, found_at, source, origin, origin_seq, uid, problem FROM exchange_problems "
                            "ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
    return [ExchangeProblem(id=i, found_at=at, source=_source(src, lang), gate=gate_word(names, origin, lang),
                            seq=seq if origin else None, uid=uid, problem=sentence(code, lang),
                            code=code.split(":")[0])
            for i, at, src, origin, seq, uid, code in rows]


def unseen(ctx: GateContext, after_id: int, *, lang: str | None = None) -> Unseen:
    """How many records were refused since problem ``after_id`` and from which gates — what the
    status bar says after a sync (run by the sync as the system: no record's contents)."""
    with ctx.db.read() as conn:
        rows = conn.execute("SELECT origin, count(*), max(id) FROM exchange_problems WHERE id > ? "
                            "AND source != 'rebuild' GROUP BY origin ORDER BY min(id)", (after_id,)).fetchall()
        names = gate_names(conn)
    return Unseen(count=sum(n for _o, n, _m in rows),
                  gates=tuple(gate_word(names, o, lang) for o, _n, _m in rows),
                  last_id=max((m for _o, _n, m in rows), default=after_id))
