"""db/records.py and the append-only schema: triggers, sequence, chain, uids."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkpoint_app.db import records
from checkpoint_app.db.schema import RECORD_TABLES
from tests.db.populate import populate

TABLES = ["journal"] + [t for t, _ in RECORD_TABLES.values()]


@pytest.fixture
def populated(gate):
    populate(gate)
    return gate


@pytest.mark.parametrize("table", TABLES)
def test_triggers_refuse_update_and_delete(populated, table):
    conn = populated.ctx.db.conn
    (uid,) = conn.execute(f"SELECT uid FROM {table} LIMIT 1").fetchone()
    before = conn.execute(f"SELECT * FROM {table} ORDER BY uid").fetchall()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with populated.ctx.db.write() as c:
            c.execute(f"UPDATE {table} SET at = '2000-01-01T00:00:00.000' WHERE uid = ?", (uid,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with populated.ctx.db.write() as c:
            c.execute(f"DELETE FROM {table} WHERE uid = ?", (uid,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):   # not even all at once
        conn.execute(f"DELETE FROM {table}")
    assert conn.execute(f"SELECT * FROM {table} ORDER BY uid").fetchall() == before


def test_every_record_table_has_both_triggers(populated):
    names = {r[0] for r in populated.ctx.db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for table in TABLES:
        assert {f"{table}_no_update", f"{table}_no_delete"} <= names


def test_origin_seq_is_contiguous_from_one(populated):
    conn = populated.ctx.db.conn
    seqs = [r[0] for r in conn.execute("SELECT origin_seq FROM journal WHERE origin = ? ORDER BY origin_seq",
                                       (populated.ctx.gate.uid,))]
    assert len(seqs) > 20
    assert seqs == list(range(1, len(seqs) + 1))


def test_every_journal_row_has_exactly_one_record_row_of_its_kind(populated):
    conn = populated.ctx.db.conn
    for kind, (table, _cols) in RECORD_TABLES.items():
        j = {r[0] for r in conn.execute("SELECT uid FROM journal WHERE kind = ?", (kind,))}
        t = {r[0] for r in conn.execute(f"SELECT uid FROM {table}")}
        assert j == t, kind


def _canonical_by_hand(kind, origin, seq, uid, at, fields) -> bytes:
    """DESIGN §3 / records.py docstring, written again independently: sorted keys, no spaces,
    UTF-8, NULL fields left out."""
    body = {k: v for k, v in fields.items() if v is not None}
    doc = {"at": at, "fields": body, "kind": kind, "origin": origin, "seq": seq, "uid": uid}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def test_chain_recomputed_by_hand_equals_stored(populated):
    conn = populated.ctx.db.conn
    previous = bytes(32)
    rows = conn.execute("SELECT origin, origin_seq, uid, kind, at, row_hash, chain_hash FROM journal "
                        "ORDER BY origin, origin_seq").fetchall()
    for origin, seq, uid, kind, at, rh, ch in rows:
        table, columns = RECORD_TABLES[kind]
        values = conn.execute(f"SELECT at, day, {', '.join(columns)} FROM {table} WHERE uid = ?", (uid,)).fetchone()
        assert values[0] == at
        assert values[1] == at[:10]
        canon = _canonical_by_hand(kind, origin, seq, uid, at, dict(zip(columns, values[2:])))
        row = hashlib.sha256(b"\x00" + canon).digest()
        assert row == rh, (kind, seq)
        chain = hashlib.sha256(b"\x01" + previous + row).digest()
        assert chain == ch, (kind, seq)
        previous = chain
    assert previous == records.head(conn, populated.ctx.gate.uid)[1]


def test_canonical_bytes_shape():
    canon = records.canonical_bytes("passage", "o", 3, "u", "2026-11-20T09:00:00.000+08:00",
                                    {"guard": "李建国", "temp_tenths": 365, "reason": None})
    assert canon == ('{"at":"2026-11-20T09:00:00.000+08:00","fields":{"guard":"李建国","temp_tenths":365},'
                     '"kind":"passage","origin":"o","seq":3,"uid":"u"}').encode("utf-8")


_VALUES = st.one_of(st.none(), st.text(), st.integers(), st.integers(-2**70, 2**70), st.booleans(),
                   st.floats(allow_nan=False))


@settings(max_examples=400, deadline=None)
@given(kind=st.text(max_size=12), origin=st.text(max_size=12), seq=st.integers(0, 2**63), uid=st.text(max_size=34),
       at=st.text(max_size=30), fields=st.dictionaries(st.text(max_size=16), _VALUES, max_size=12))
def test_canonical_bytes_are_what_the_json_encoder_makes(kind, origin, seq, uid, at, fields):
    # the fast writer of canonical bytes must agree byte for byte with the plain encoder: quotes,
    # backslashes, control characters, non-BMP text, big and negative integers; and whatever it
    # does not write itself (bools, floats) still comes out as the encoder writes it
    doc = {"kind": kind, "origin": origin, "seq": seq, "uid": uid, "at": at,
           "fields": {k: v for k, v in fields.items() if v is not None}}
    try:
        expected = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:   # a lone surrogate: no bytes either way
        with pytest.raises(UnicodeEncodeError):
            records.canonical_bytes(kind, origin, seq, uid, at, fields)
        return
    assert records.canonical_bytes(kind, origin, seq, uid, at, fields) == expected


def test_a_null_column_added_later_does_not_change_old_hashes():
    base = {"direction": "in", "temp_tenths": 365}
    assert records.canonical_bytes("passage", "o", 1, "u", "t", base) == \
        records.canonical_bytes("passage", "o", 1, "u", "t", {**base, "new_column": None})


def test_personal_hash_is_salted():
    fields = {"name": "孙悟空", "phone": "13800138000", "id_number": None}
    a = records.personal_hash(b"\x01" * 16, fields)
    assert a == hashlib.sha256(b"\x02" + b"\x01" * 16 +
                               '{"name":"孙悟空","phone":"13800138000"}'.encode()).hexdigest()
    assert a != records.personal_hash(b"\x02" * 16, fields)


def test_uids_unique_and_time_ordered(populated):
    conn = populated.ctx.db.conn
    rows = conn.execute("SELECT uid FROM journal ORDER BY origin_seq").fetchall()
    uids = [r[0] for r in rows]
    assert len(set(uids)) == len(uids)
    for uid in uids:
        assert len(uid) == 32 and int(uid, 16) >= 0
        assert uid[12] == "7"                       # UUIDv7 layout
        assert int(uid[16], 16) >> 2 == 0b10        # RFC 4122 variant
    millis = [int(u[:12], 16) for u in uids]
    assert millis == sorted(millis)                 # written one after the other: time-ordered


def test_many_uids_are_unique_and_ordered_by_millisecond():
    uids = [records.new_uid() for _ in range(20000)]
    assert len(set(uids)) == len(uids)
    millis = [int(u[:12], 16) for u in uids]
    assert millis == sorted(millis)


def test_append_refuses_unknown_fields(gate):
    with pytest.raises(ValueError, match="unknown fields"):
        with gate.ctx.db.write() as conn:
            records.append(conn, "passage", {"direction": "in", "nonsense": 1}, origin=gate.ctx.gate.uid,
                           at=gate.clock())
    assert gate.count("passages") == 0


def test_append_in_a_failed_transaction_leaves_no_gap(gate):
    ctx = gate.ctx
    n = gate.count("journal")
    with pytest.raises(RuntimeError):
        with ctx.db.write() as conn:
            records.append(conn, "incident", {"category": "x"}, origin=ctx.gate.uid, at=gate.clock())
            raise RuntimeError
    with ctx.db.write() as conn:
        a = records.append(conn, "incident", {"category": "y"}, origin=ctx.gate.uid, at=gate.clock())
    assert a.seq == n + 1
    assert gate.count("journal") == n + 1


def test_other_origins_have_their_own_sequence(gate):
    ctx = gate.ctx
    with ctx.db.write() as conn:
        a = records.append(conn, "incident", {"category": "peer"}, origin="peer-gate", at=gate.clock())
        b = records.append(conn, "incident", {"category": "peer"}, origin="peer-gate", at=gate.clock())
        c = records.append(conn, "incident", {"category": "mine"}, origin=ctx.gate.uid, at=gate.clock())
    assert (a.seq, b.seq) == (1, 2)
    assert c.seq == gate.count("journal") - 2
    assert a.chain == records.chain_hash(records.GENESIS, conn.execute(
        "SELECT row_hash FROM journal WHERE uid = ?", (a.uid,)).fetchone()[0])
