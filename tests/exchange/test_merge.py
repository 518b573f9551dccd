"""exchange/merge.py: applying another origin's records: contiguous, checked, never overwriting."""

from __future__ import annotations

import dataclasses

from checkpoint_app.db.verify import verify_database
from checkpoint_app.exchange import merge
from checkpoint_app.services import passes
from tests.exchange.conftest import journal, scan


def _wires(ctx, after=0):
    return merge.read_range(ctx.db.conn, ctx.gate.uid, after)


def _apply(ctx, wires):
    with ctx.db.write() as conn:
        return merge.apply(conn, wires, source="test", at="2026-11-20T09:00:00+08:00")


def test_records_arrive_whole_and_twice_changes_nothing(compound):
    north, east = compound.gates[0], compound.gates[1]
    for name in ("张三", "李四", "赵六"):
        scan(north, compound.cards[name])
    result = _apply(east, _wires(north))
    assert (result.added, result.duplicates, result.problems) == (3, 0, [])
    assert journal(north) <= journal(east)
    before = journal(east)
    again = _apply(east, _wires(north))
    assert (again.added, again.duplicates) == (0, 3) and journal(east) == before
    assert verify_database(east.db.conn).ok
    # the passages themselves are there, with every field
    assert east.db.conn.execute("SELECT count(*) FROM passages").fetchone()[0] == 3


def test_a_gap_waits_and_fills_in_later(compound):
    north, east = compound.gates[0], compound.gates[1]
    for name in ("张三", "李四", "赵六", "张三"):
        scan(north, compound.cards[name], "out")
    wires = _wires(north)
    result = _apply(east, wires[2:])
    assert (result.added, result.waiting) == (0, len(wires) - 2)
    assert _apply(east, wires[:1]).added == 1
    assert _apply(east, wires).added == len(wires) - 1
    assert journal(north) <= journal(east) and verify_database(east.db.conn).ok


def test_a_changed_record_is_refused_reported_and_never_overwrites(compound):
    north, east = compound.gates[0], compound.gates[1]
    scan(north, compound.cards["张三"])
    scan(north, compound.cards["李四"])
    wires = _wires(north)
    _apply(east, wires[:1])
    held = journal(east)
    forged = wires[0].canonical.replace(b'"direction":"in"', b'"direction":"out"')
    assert forged != wires[0].canonical
    # the same seq and uid with another content (hashes recomputed by a forger): a conflict
    from checkpoint_app.db import records
    rh = records.row_hash(forged)
    bad = dataclasses.replace(wires[0], canonical=forged, row_hash=rh, chain_hash=records.chain_hash(records.GENESIS, rh))
    result = _apply(east, [bad])
    assert result.problems == [(north.gate.uid, 1, "conflict")] and journal(east) == held
    # and within one batch: the first of two different seq-2 records is taken, the second refused
    other_rh = records.row_hash(wires[1].canonical + b" ")
    twin = dataclasses.replace(wires[1], row_hash=other_rh)
    fresh = compound.gates[2]
    result = _apply(fresh, [wires[0], wires[1], twin])
    assert result.added == 2 and result.problems == [(north.gate.uid, 2, "conflict")]
    # content that does not match its hash, above the mark: refused, and what follows waits
    broken = dataclasses.replace(wires[1], canonical=wires[1].canonical.replace(b'"in"', b'"out"'))
    result = _apply(east, [broken])
    assert result.problems == [(north.gate.uid, 2, "row_hash")] and journal(east) == held
    rows = east.db.conn.execute("SELECT origin, origin_seq, problem FROM exchange_problems ORDER BY id").fetchall()
    assert rows == [(north.gate.uid, 1, "conflict"), (north.gate.uid, 2, "row_hash")]
    # a link that does not follow (a record of another chain) is refused too
    other = dataclasses.replace(wires[1], chain_hash=bytes(32))
    assert _apply(east, [other]).problems == [(north.gate.uid, 2, "chain")]
    assert _apply(east, wires).added == 1 and verify_database(east.db.conn).ok


def test_a_revocation_made_at_the_office_is_refused_at_the_gate(compound):
    office, north = compound.office, compound.gates[0]
    card = compound.cards["李四"]
    number = office.db.conn.execute("SELECT number FROM passes WHERE status = 'active' ORDER BY number LIMIT 1 OFFSET 1").fetchone()[0]
    revoked = passes.revoke_pass(office, str(number), "lost card")
    wires = merge.read_range(office.db.conn, office.gate.uid, 0)
    _apply(north, wires)
    status = north.db.conn.execute("SELECT status FROM passes WHERE number = ? AND version = ?",
                                   (revoked.number, revoked.version)).fetchone()[0]
    assert status == "revoked"
    holder = north.db.conn.execute("SELECT r.name FROM passes p JOIN residents r ON r.id = p.resident_id "
                                   "WHERE p.number = ?", (number,)).fetchone()[0]
    assert scan(north, compound.cards[holder]).outcome == "denied"
    assert card  # the other cards still work
    assert scan(north, compound.cards["赵六"] if holder != "赵六" else compound.cards["张三"]).outcome != "denied"


def test_bytes_that_are_not_canonical_are_refused_even_with_matching_hashes(compound):
    # The receiver keeps the fields, not the bytes, and makes the bytes again when it passes the
    # record on (and when it verifies): bytes that are JSON but not canonical would be stored
    # under a hash nobody can make again. Each variant below carries hashes recomputed for it.
    from checkpoint_app.db import records

    north, east = compound.gates[0], compound.gates[1]
    scan(north, compound.cards["张三"])
    (wire,) = _wires(north)
    text = wire.canonical.decode("utf-8")
    variants = {
        "space after": wire.canonical + b" ",
        "space before": b" " + wire.canonical,
        "newline after": wire.canonical + b"\n",
        "UTF-16": text.encode("utf-16"),
        "something after": wire.canonical + b"{}",
        "not UTF-8": wire.canonical.replace(b'"in"', b'"\xff"'),
        "a list": b"[" + wire.canonical + b"]",
        "an unknown field": wire.canonical.replace(b'"fields":{', b'"fields":{"colour":"red",'),
        "another origin": wire.canonical.replace(north.gate.uid.encode(), b"elsewhere"),
        "another seq": wire.canonical.replace(b'"seq":1', b'"seq":2'),
    }
    for name, canonical in variants.items():
        assert canonical != wire.canonical, name
        rh = records.row_hash(canonical)
        forged = dataclasses.replace(wire, canonical=canonical, row_hash=rh,
                                     chain_hash=records.chain_hash(records.GENESIS, rh))
        result = _apply(east, [forged])
        assert (result.added, result.problems) == (0, [(north.gate.uid, 1, "malformed")]), name
    assert not {j for j in journal(east) if j[0] == north.gate.uid}
    assert _apply(east, [wire]).added == 1 and verify_database(east.db.conn).ok
