"""Append-only records: canonical bytes, per-origin sequence and hash chain (DESIGN §3).

row_hash  = SHA-256(0x00 || canonical bytes of the row)
chain_i   = SHA-256(0x01 || chain_{i-1} || row_hash_i), chain_0 = 32 zero bytes
personal  = SHA-256(0x02 || salt || canonical bytes of the personal fields)

The canonical bytes are a JSON object with sorted keys and no whitespace, holding the kind,
origin, origin_seq, uid, time and every non-NULL field. Leaving NULLs out means a column added
by a later migration does not change the hash of older rows. Values are only text and integers
(temperatures are tenths of °C) so the encoding is exact.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime

from checkpoint_app.db import state
from checkpoint_app.db.schema import RECORD_TABLES

log = logging.getLogger(__name__)

GENESIS = bytes(32)


def new_uid() -> str:
    """A globally unique id, time-ordered (UUIDv7 layout) so that inserts stay local in the index."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")  # 80 random bits: 12 for rand_a, 62 for rand_b
    rand_a, rand_b = rand >> 68, rand & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | (0x7 << 76) | rand_a << 64 | (0b10 << 62) | rand_b
    return f"{value:032x}"


# json.dumps() with options builds a new encoder per call; the exchange encodes 100,000s of rows
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


_STR = json.encoder.encode_basestring   # the encoder's own string escaping (ensure_ascii=False)


def _canonical_slow(kind: str, origin: str, seq: int, uid: str, at: str, fields: dict) -> bytes:
    body = {k: v for k, v in fields.items() if v is not None}
    doc = {"kind": kind, "origin": origin, "seq": seq, "uid": uid, "at": at, "fields": body}
    return _CANONICAL.encode(doc).encode("utf-8")


def canonical_bytes(kind: str, origin: str, seq: int, uid: str, at: str, fields: dict) -> bytes:
    """The canonical bytes: what ``_canonical_slow`` (the JSON encoder) makes, byte for byte. Text
    and integers, the only values records hold, are written here directly with the encoder's own
    string escaping (the encoder costs ~13 µs a record in set-up alone, and a push re-makes the
    bytes of every record it sends); anything else goes through the encoder."""
    if not (type(seq) is int and type(kind) is str and type(origin) is str and type(uid) is str
            and type(at) is str):
        return _canonical_slow(kind, origin, seq, uid, at, fields)
    items = []
    for key in sorted(fields):
        value = fields[key]
        if value is None:
            continue
        kind_of = type(value)
        if kind_of is str:
            items.append(f"{_STR(key)}:{_STR(value)}")
        elif kind_of is int:
            items.append(f"{_STR(key)}:{value!r}")
        else:   # bool, float, a subclass…: the encoder decides
            return _canonical_slow(kind, origin, seq, uid, at, fields)
    return (f'{{"at":{_STR(at)},"fields":{{{",".join(items)}}},"kind":{_STR(kind)},"origin":{_STR(origin)},'
            f'"seq":{seq!r},"uid":{_STR(uid)}}}').encode("utf-8")


def row_hash(canonical: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + canonical).digest()


def chain_hash(previous: bytes, row: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + previous + row).digest()


def personal_hash(salt: bytes, fields: dict) -> str:
    data = json.dumps({k: v for k, v in fields.items() if v is not None}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(b"\x02" + salt + data).hexdigest()


@dataclass(frozen=True)
class Appended:
    uid: str
    origin: str
    seq: int
    at: str
    chain: bytes


def head(conn: sqlite3.Connection, origin: str) -> tuple[int, bytes]:
    row = conn.execute(
        "SELECT origin_seq, chain_hash FROM journal WHERE origin = ? ORDER BY origin_seq DESC LIMIT 1",
        (origin,)).fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def append(conn: sqlite3.Connection, kind: str, fields: dict, *, origin: str, at: datetime,
           uid: str | None = None) -> Appended:
    """Write one record of ``kind`` at the end of ``origin``'s chain. Call inside a write transaction."""
    table, columns = RECORD_TABLES[kind]
    unknown = set(fields) - set(columns)
    if unknown:
        raise ValueError(f"unknown fields for {kind}: {sorted(unknown)}")
    uid = uid or new_uid()
    at_text = at.isoformat(timespec="milliseconds")
    seq, previous = head(conn, origin)
    seq += 1
    values = {c: fields.get(c) for c in columns}
    if kind in state.STREAMS and values["supersedes"] is None:
        values["supersedes"] = state.supersedes(conn, kind, values)   # what this PC held as current
    rh = row_hash(canonical_bytes(kind, origin, seq, uid, at_text, values))
    ch = chain_hash(previous, rh)
    conn.execute("INSERT INTO journal (origin, origin_seq, uid, kind, at, row_hash, chain_hash) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)", (origin, seq, uid, kind, at_text, rh, ch))
    placeholders = ", ".join("?" * (len(columns) + 3))
    conn.execute(f"INSERT INTO {table} (uid, at, day, {', '.join(columns)}) VALUES ({placeholders})",
                 (uid, at_text, at.date().isoformat(), *values.values()))
    if kind in state.STATE_KINDS and kind != "baseline":   # a baseline says what the tables hold already
        # The state tables are what the records say, here too: a change made here that is older
        # than a record already come from another PC gives way to it, as it does on every PC.
        for entity, problem in state.project(conn, state.Touched.of(kind, values)):
            log.warning("state of %s does not follow its records: %s", entity, problem)
    return Appended(uid, origin, seq, at_text, ch)
