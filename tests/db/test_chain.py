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


# -- the incremental check from the verified marks (issue 14) ------------------------------------------

def _first_passage(conn) -> tuple[int, str]:
    return conn.execute("SELECT j.origin_seq, j.uid FROM journal j JOIN passages p ON p.uid = j.uid "
                        "ORDER BY j.origin_seq LIMIT 1").fetchone()


def _verify_and_mark(conn) -> chain.SinceResult:
    since = chain.verify_since_marks(conn)
    assert since.ok, since
    conn.execute("BEGIN IMMEDIATE")
    chain.write_marks(conn, since.marks, "2026-12-02T23:00:00")
    conn.execute("COMMIT")
    return since


def test_the_incremental_check_recomputes_only_what_came_after_the_marks(five):
    gate, origin, rows = five
    conn = gate.ctx.db.conn
    first = _verify_and_mark(conn)
    assert first.checked == len(rows), "no mark yet: from the first record"
    assert chain.read_marks(conn)[origin] == chain.Mark(origin, rows[-1][0], first.marks[0].chain_hash)
    again = chain.verify_since_marks(conn)
    assert again.ok and again.checked == 0
    for name in ("张三", "李四"):
        record_passage(gate.ctx, gate.cards[name], temperature="365")
    later = _verify_and_mark(conn)
    assert later.checked == 2 and chain.read_marks(conn)[origin].seq == rows[-1][0] + 2
    # In chunks, with the progress called between them; whole=True goes back to the first record.
    seen = []
    whole = chain.verify_since_marks(conn, whole=True, chunk=3, on_chunk=lambda d, t: seen.append((d, t)))
    n = len(rows) + 2
    assert whole.ok and whole.checked == n and seen[-1] == (n, n) and len(seen) == -(-n // 3)


def test_an_old_record_altered_after_its_check_is_found_by_the_full_check_not_the_incremental(five):
    """What the incremental check does not prove: an old row changed behind an unchanged journal."""
    gate, origin, rows = five
    _verify_and_mark(gate.ctx.db.conn)
    seq, uid = _first_passage(gate.ctx.db.conn)
    _tamper(gate, "UPDATE passages SET temp_tenths = 399 WHERE uid = ?", uid)
    assert chain.verify_since_marks(gate.ctx.db.conn).ok
    full = chain.verify_since_marks(gate.ctx.db.conn, whole=True)
    assert [(o, p.seq, p.problem) for o, p in full.problems] == [(origin, seq, "row_hash")]
    assert not integrity.verify_database(gate.ctx).ok


def test_an_old_record_rehashed_through_the_verified_point_is_found_by_the_incremental_check(five):
    """An old row changed and the journal's hashes recomputed from it to the head (so every link
    holds again): the chain hash at the verified point is no longer the one verified."""
    from checkpoint_app.db import records

    gate, origin, rows = five
    conn = gate.ctx.db.conn
    mark_seq = _verify_and_mark(conn).marks[0].seq
    record_passage(gate.ctx, gate.cards["张三"], temperature="365")     # a record after the mark
    seq, uid = _first_passage(conn)
    _tamper(gate, "UPDATE passages SET temp_tenths = 399 WHERE uid = ?", uid)
    tamper = sqlite3.connect(gate.ctx.db.path, isolation_level=None)
    previous = bytes(tamper.execute("SELECT chain_hash FROM journal WHERE origin = ? AND origin_seq = ?",
                                    (origin, seq - 1)).fetchone()[0])
    for s, u, kind in tamper.execute("SELECT origin_seq, uid, kind FROM journal WHERE origin = ? AND origin_seq >= ? "
                                     "ORDER BY origin_seq", (origin, seq)).fetchall():
        table, columns = chain.RECORD_TABLES[kind]
        row = tamper.execute(f"SELECT at, {', '.join(columns)} FROM {table} WHERE uid = ?", (u,)).fetchone()
        rh = records.row_hash(records.canonical_bytes(kind, origin, s, u, row[0], dict(zip(columns, row[1:]))))
        previous = records.chain_hash(previous, rh)
        tamper.execute("UPDATE journal SET row_hash = ?, chain_hash = ? WHERE uid = ?", (rh, previous, u))
    tamper.close()
    assert chain.verify_range(conn, origin).ok, "the rewritten chain holds in itself"
    since = chain.verify_since_marks(conn)
    assert since.moved == [(origin, mark_seq)] and not since.ok and not since.marks
    report = health.check_database(gate.ctx.db.path, whole_file_bytes=0)
    assert report.state == "tampered" and f"{mark_seq}" in report.message


def test_records_cut_off_below_the_mark_are_named(five):
    gate, origin, rows = five
    _verify_and_mark(gate.ctx.db.conn)
    for seq, uid in rows[-2:]:
        _tamper(gate, "DELETE FROM passages WHERE uid = ?", uid)
        _tamper(gate, "DELETE FROM journal WHERE uid = ?", uid)
    since = chain.verify_since_marks(gate.ctx.db.conn)
    assert since.cut == [(origin, rows[-1][0], rows[-3][0])] and not since.ok
