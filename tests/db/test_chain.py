"""The one chain verifier over a range of one origin's records (issue 12)."""

import sqlite3

import pytest

from checkpoint_app.db import chain
from checkpoint_app.services import health, integrity
from checkpoint_app.services.gate import record_passage


@pytest.fixture
def five(gate):
    """Five passages of this gate: (gate fixture, origin, its records' seqs and uids)."""
    for name in ("张三", "李四", "张三", "李四", "赵六"):
        record_passage(gate.ctx, gate.cards[name], temperature="365")
        gate.clock.advance(minutes=1)
    origin = gate.ctx.gate.uid
    rows = gate.ctx.db.conn.execute("SELECT origin_seq, uid FROM journal WHERE origin = ? ORDER BY origin_seq",
                                    (origin,)).fetchall()
    return gate, origin, rows


def _tamper(gate, sql: str, *args) -> None:
    conn = sqlite3.connect(gate.ctx.db.path, isolation_level=None)
    try:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute(sql, args)
    finally:
        conn.close()


def test_a_good_range_and_the_whole_chain_verify(five):
    gate, origin, rows = five
    last = rows[-1][0]
    whole = chain.verify_range(gate.ctx.db.conn, origin)
    assert whole.ok and whole.records == last and whole.last[0] == last
    part = integrity.verify_records(gate.ctx, origin, last - 2, last)
    assert part.ok and part.records == 3
    assert chain.verify_range(gate.ctx.db.conn, origin, 3, 2).records == 0


def test_an_altered_row_is_found_only_in_a_range_that_holds_it(five):
    gate, origin, rows = five
    seq, uid = rows[-2]
    _tamper(gate, "UPDATE passages SET temp_tenths = 360 WHERE uid = ?", uid)
    [p] = chain.verify_range(gate.ctx.db.conn, origin, seq, seq).problems
    assert (p.seq, p.uid, p.problem, p.table) == (seq, uid, "row_hash", "passages")
    assert chain.verify_range(gate.ctx.db.conn, origin, 1, seq - 1).ok
    assert chain.verify_range(gate.ctx.db.conn, origin, seq + 1).ok
    assert health.tail_problem(gate.ctx.db.conn) == f"{uid} seq {seq}"
    assert not integrity.verify_database(gate.ctx).ok


def test_a_missing_record_is_a_gap_inside_and_at_the_end_of_a_named_range(five):
    gate, origin, rows = five
    seq, uid = rows[-3]
    _tamper(gate, "DELETE FROM journal WHERE uid = ?", uid)
    problems = chain.verify_range(gate.ctx.db.conn, origin).problems
    assert [(p.seq, p.problem) for p in problems][:2] == [(seq, "gap"), (seq + 1, "chain")]
    last = rows[-1][0]
    _tamper(gate, "DELETE FROM journal WHERE origin = ? AND origin_seq = ?", origin, last)
    # a range named by a checkpoint must hold its last record; an open range ends where the records do
    assert (last, "gap") in [(p.seq, p.problem) for p in chain.verify_range(gate.ctx.db.conn, origin, 1, last).problems]
    assert (last, "gap") not in [(p.seq, p.problem) for p in chain.verify_range(gate.ctx.db.conn, origin).problems]
