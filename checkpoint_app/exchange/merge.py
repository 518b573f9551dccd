"""Records between the PCs of a site (DESIGN §8): read a range of one origin's chain, and apply
records that arrive from elsewhere.

A record travels as its canonical bytes (db/records.py) with its row hash and chain hash: the
bytes hold the kind, origin, seq, uid, time and every non-NULL field, so the receiver rebuilds
the row from them and checks both hashes before it writes anything. Visitors' personal fields
never travel (only their salted hash, which is in the record).

Applying keeps, per origin, a contiguous, link-checked prefix above the local high-water mark:
- a record at or below the mark is a duplicate when its hash matches (skipped, so importing
  twice changes nothing) and a conflict when it does not (refused, reported);
- a record above mark + 1 waits (a gap means "not received yet"); the rest of that origin waits;
- a broken hash or link, or a uid already held under another origin/seq, is refused and
  reported into ``exchange_problems``; nothing already held is ever overwritten.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from checkpoint_app.db import records, state
from checkpoint_app.db.schema import RECORD_TABLES


@dataclass(frozen=True)
class Wire:
    """One record as it travels."""
    origin: str
    seq: int
    canonical: bytes
    row_hash: bytes
    chain_hash: bytes


@dataclass
class ApplyResult:
    added: int = 0
    duplicates: int = 0
    waiting: int = 0                                   # above a gap: not received yet
    problems: list[tuple[str, int, str]] = field(default_factory=list)  # (origin, seq, problem)
    heads: dict[str, int] = field(default_factory=dict)  # origin -> local high-water mark after
    added_by: dict[str, int] = field(default_factory=dict)  # origin -> records added from it
    incidents: list[str] = field(default_factory=list)   # uids of incidents raised on arrival


def heads(conn: sqlite3.Connection) -> dict[str, tuple[int, bytes]]:
    """origin -> (highest seq held, its chain hash): the local high-water marks."""
    return {o: (s, bytes(c)) for o, s, c in conn.execute(
        "SELECT j.origin, j.origin_seq, j.chain_hash FROM journal j JOIN "
        "(SELECT origin, MAX(origin_seq) AS m FROM journal GROUP BY origin) h "
        "ON h.origin = j.origin AND h.m = j.origin_seq")}


def read_range(conn: sqlite3.Connection, origin: str, after: int, limit: int | None = None) -> list[Wire]:
    """``origin``'s records with seq > ``after`` in order (at most ``limit``), as they travel."""
    top = after + limit if limit else None
    rows: list[Wire] = []
    bounds = " AND origin_seq <= ?" if top else ""
    params = (origin, after, top) if top else (origin, after)
    # one walk over the range finds the kinds in it: a walk per kind (two dozen) cost more than
    # reading the records themselves
    present = {k for (k,) in conn.execute(
        f"SELECT DISTINCT kind FROM journal WHERE origin = ? AND origin_seq > ?{bounds}", params)}
    for kind, (table, columns) in RECORD_TABLES.items():
        if kind not in present:
            continue
        cols = ", ".join(f"t.{c}" for c in columns)
        # CROSS JOIN keeps the journal's (origin, origin_seq) key as the outer loop: a range, not
        # a scan of the whole record table per batch
        sql = (f"SELECT j.origin_seq, j.uid, j.at, j.row_hash, j.chain_hash, {cols} FROM journal j "
               f"CROSS JOIN {table} t ON t.uid = j.uid WHERE j.origin = ? AND j.kind = ? AND j.origin_seq > ?"
               + (" AND j.origin_seq <= ?" if top else ""))
        params = (origin, kind, after, top) if top else (origin, kind, after)
        for seq, uid, at, rh, ch, *values in conn.execute(sql, params):
            canon = records.canonical_bytes(kind, origin, seq, uid, at, dict(zip(columns, values)))
            rows.append(Wire(origin, seq, canon, bytes(rh), bytes(ch)))
    rows.sort(key=lambda w: w.seq)
    return rows


def check_link(previous: bytes, wire: Wire) -> str | None:
    """The one place a travelling record's hashes are checked (same formulas as db/verify.py;
    re-point here when db/chain.py offers ``verify_range``). None when sound, else the problem."""
    if records.row_hash(wire.canonical) != wire.row_hash:
        return "row_hash"
    if records.chain_hash(previous, wire.row_hash) != wire.chain_hash:
        return "chain"
    return None


_JSON = json.JSONDecoder()
_COLUMNS = {kind: frozenset(columns) for kind, (_table, columns) in RECORD_TABLES.items()}


def _decode(wire: Wire) -> dict | None:
    # canonical bytes are UTF-8 JSON with nothing around the object: json.loads' detection of
    # other encodings and whitespace would only accept what is not canonical (and cost a third)
    try:
        text = wire.canonical.decode("utf-8")
        doc, end = _JSON.raw_decode(text)
    except ValueError:   # UnicodeDecodeError, JSONDecodeError
        return None
    if end != len(text) or not isinstance(doc, dict):
        return None
    columns = _COLUMNS.get(doc.get("kind"))
    fields = doc.get("fields")
    if (columns is None or not isinstance(fields, dict) or doc.get("origin") != wire.origin
            or doc.get("seq") != wire.seq or not columns.issuperset(fields)):
        return None
    return doc


def _insert(conn: sqlite3.Connection, accepted: list[tuple[Wire, dict]]) -> None:
    conn.executemany("INSERT INTO journal (origin, origin_seq, uid, kind, at, row_hash, chain_hash) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [(w.origin, w.seq, d["uid"], d["kind"], d["at"], w.row_hash, w.chain_hash) for w, d in accepted])
    by_kind: dict[str, list[dict]] = {}
    for _w, d in accepted:
        by_kind.setdefault(d["kind"], []).append(d)
    for kind, (table, columns) in RECORD_TABLES.items():   # in the declared order, as before
        rows = [(d["uid"], d["at"], d["at"][:10], *map(d["fields"].get, columns)) for d in by_kind.get(kind, ())]
        if rows:
            conn.executemany(f"INSERT INTO {table} (uid, at, day, {', '.join(columns)}) "
                             f"VALUES ({', '.join('?' * (len(columns) + 3))})", rows)


def _held_uids(conn: sqlite3.Connection, uids: list[str]) -> set[str]:
    held: set[str] = set()
    for i in range(0, len(uids), 500):
        chunk = uids[i:i + 500]
        held.update(u for (u,) in conn.execute(
            f"SELECT uid FROM journal WHERE uid IN ({', '.join('?' * len(chunk))})", chunk))
    return held


def _problem(conn: sqlite3.Connection, result: ApplyResult, source: str, at: str, wire: Wire,
             uid: str | None, problem: str) -> None:
    result.problems.append((wire.origin, wire.seq, problem))
    conn.execute("INSERT OR IGNORE INTO exchange_problems (found_at, source, origin, origin_seq, uid, problem) "
                 "VALUES (?, ?, ?, ?, ?, ?)", (at, source, wire.origin, wire.seq, uid, problem))


def apply(conn: sqlite3.Connection, wires: Iterable[Wire], *, source: str, at: str,
          check_rules: bool = True) -> ApplyResult:
    """Apply arriving records. Call inside one write transaction (all or nothing).

    The state the records change (roster, passes, users, settings…) is made what its records say
    (db/state.py): a revocation made elsewhere is refused here from now on. With ``check_rules``,
    conflicts with this gate's own decisions that the arrivals reveal (anti-passback, quotas
    across gates) and this PC's changes of state not taken because another PC changed the same
    thing concurrently become incidents (services/incidents.py); a rebuild leaves it off."""
    with _roomy_cache(conn):
        return _apply(conn, wires, source=source, at=at, check_rules=check_rules)


#: the page cache while records are applied (KiB): a batch touches a dozen B-trees (the journal,
#: the record table and its indexes); with SQLite's default 2 MB their pages are written out to the
#: WAL and read back again within the one transaction (~12 % of the inserts' time)
CACHE_KIB = 65536


@contextlib.contextmanager
def _roomy_cache(conn: sqlite3.Connection) -> Iterator[None]:
    (before,) = conn.execute("PRAGMA cache_size").fetchone()
    if before < 0 and -before >= CACHE_KIB:
        yield
        return
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {before}")


def _apply(conn: sqlite3.Connection, wires: Iterable[Wire], *, source: str, at: str, check_rules: bool) -> ApplyResult:
    result = ApplyResult()
    touched = state.Touched()
    arrived: list[dict] = []
    by_origin: dict[str, list[Wire]] = {}
    for w in wires:
        by_origin.setdefault(w.origin, []).append(w)
    for origin, batch in by_origin.items():
        batch.sort(key=lambda w: w.seq)
        seq, previous = records.head(conn, origin)
        fresh = [w for w in batch if w.seq > seq]
        docs = {id(w): _decode(w) for w in fresh}
        held = _held_uids(conn, [d["uid"] for d in docs.values() if d is not None])
        accepted: list[tuple[Wire, dict]] = []
        pending: dict[int, bytes] = {}  # seq -> row hash of the accepted, not yet written
        stopped = False
        for wire in batch:
            if stopped:
                result.waiting += 1
                continue
            if wire.seq <= seq:
                known = pending.get(wire.seq)
                if known is None:
                    row = conn.execute("SELECT row_hash FROM journal WHERE origin = ? AND origin_seq = ?",
                                       (origin, wire.seq)).fetchone()
                    known = bytes(row[0]) if row else None
                if known == wire.row_hash:
                    result.duplicates += 1
                else:
                    doc = _decode(wire)
                    _problem(conn, result, source, at, wire, doc and doc.get("uid"), "conflict")
                continue
            if wire.seq > seq + 1:
                result.waiting += 1
                stopped = True
                continue
            doc = docs[id(wire)]
            problem = "malformed" if doc is None else check_link(previous, wire)
            if problem is None and doc["uid"] in held:
                problem = "uid_conflict"
            if problem:
                _problem(conn, result, source, at, wire, doc and doc.get("uid"), problem)
                stopped = True
                continue
            held.add(doc["uid"])
            accepted.append((wire, doc))
            pending[wire.seq] = wire.row_hash
            seq, previous = wire.seq, wire.chain_hash
            result.added += 1
        _insert(conn, accepted)
        if accepted:
            result.added_by[origin] = result.added_by.get(origin, 0) + len(accepted)
        for _w, d in accepted:
            touched.add(d["kind"], d["fields"])
            if d["kind"] == "passage":
                arrived.append(d)
        result.heads[origin] = seq
    conflicts: list[state.Conflict] = []
    if touched:
        for entity, problem in state.project(conn, touched, conflicts):
            conn.execute("INSERT OR IGNORE INTO exchange_problems (found_at, source, origin, origin_seq, uid, problem) "
                         "VALUES (?, ?, '', 0, ?, ?)", (at, source, entity, f"state: {problem}"[:300]))
    if check_rules and (arrived or conflicts):
        from checkpoint_app.services import incidents

        result.incidents = incidents.conflicts_on_arrival(conn, arrived, at=at)
        result.incidents += incidents.state_conflicts(conn, conflicts, at=at)
    return result


def iter_all_above(conn: sqlite3.Connection, marks: dict[str, int], *, batch: int = 5000) -> Iterator[list[Wire]]:
    """Every record this PC holds above ``marks`` (origin -> seq; missing: 0), in batches per origin."""
    for origin, (top, _chain) in sorted(heads(conn).items()):
        after = marks.get(origin, 0)
        while after < top:
            rows = read_range(conn, origin, after, batch)
            if not rows:
                break
            yield rows
            after = rows[-1].seq


def site_identity(conn: sqlite3.Connection) -> str:
    """What makes two PCs one site: the site code and the fingerprint of its first pass key."""
    code = conn.execute("SELECT code FROM site WHERE id = 1").fetchone()
    key = conn.execute("SELECT public_key FROM site_keys ORDER BY key_id LIMIT 1").fetchone()
    if not code or not key:
        return ""
    import hashlib

    return f"{code[0]}:{hashlib.sha256(bytes(key[0])).hexdigest()[:32]}"
