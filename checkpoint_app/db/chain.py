"""The one chain verifier: a range of one origin's records, recomputed (DESIGN §3).

For ``origin``'s records ``from_seq``..``to_seq`` it checks that the sequence has no gap, that
each chain link follows from the previous one (the first from the stored chain hash of the
record before the range, or from the genesis), that each record's row in its kind's table is
there, has the journal's time and the right ``day`` and hashes to the stored row hash, and
that visitors' personal fields match their salted hash.

Used by ``verify-db`` (every origin, whole), the documents' recheck (one day's range, as a
checkpoint names it) and the start-up check (the newest records of this gate); ready for
another gate's records before they are accepted.

Row hashes are checked a kind at a time: the journal's range for that kind joined with the
kind's table (one index probe a record), then the chain walked in ``origin_seq`` order.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from checkpoint_app.db import records
from checkpoint_app.db.schema import RECORD_TABLES


@dataclass(frozen=True)
class Problem:
    seq: int
    kind: str
    uid: str
    problem: str        # "gap" | "chain" | "row_hash" | "missing_row" | "day" | "personal" | "unknown_kind"
    table: str = ""
    detail: tuple = ()  # "day": (day, at); "gap": (the next seq there is, or None)


@dataclass
class RangeResult:
    origin: str
    records: int = 0
    last: tuple[int, bytes] | None = None     # (last seq, its chain hash) as read
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


_MAX_SEQ = 2 ** 62


def verify_range(conn: sqlite3.Connection, origin: str, from_seq: int = 1, to_seq: int | None = None,
                 *, limit: int = 50) -> RangeResult:
    """Check ``origin``'s records ``from_seq``..``to_seq`` (``None``: to the last one). Gaps are
    reported up to ``to_seq`` when it is given, only between records when it is not. At most
    ``limit`` problems, in sequence order."""
    result = RangeResult(origin)
    hi = _MAX_SEQ if to_seq is None else to_seq
    if from_seq < 1 or hi < from_seq:
        return result
    found: list[Problem] = []
    _row_hashes(conn, origin, from_seq, hi, found, limit)
    _personal(conn, origin, from_seq, hi, found, limit)
    _links(conn, origin, from_seq, hi, to_seq is not None, result, found, limit)
    found.sort(key=lambda p: p.seq)
    result.problems = found[:limit]
    return result


def _row_hashes(conn, origin: str, lo: int, hi: int, found: list[Problem], limit: int) -> None:
    for kind, (table, columns) in RECORD_TABLES.items():
        cols = ", ".join(f"t.{c}" for c in columns)
        for row in conn.execute(
                f"SELECT j.origin_seq, j.uid, j.at, j.row_hash, t.uid, t.at, t.day, {cols} FROM journal j "
                f"LEFT JOIN {table} t ON t.uid = j.uid "
                "WHERE j.origin = ? AND j.origin_seq BETWEEN ? AND ? AND j.kind = ?", (origin, lo, hi, kind)):
            seq, uid, at, stored, t_uid, t_at, t_day = row[:7]
            if t_uid is None:
                found.append(Problem(seq, kind, uid, "missing_row", table))
            else:
                canon = records.canonical_bytes(kind, origin, seq, uid, t_at, dict(zip(columns, row[7:])))
                if t_at != at or records.row_hash(canon) != bytes(stored):
                    found.append(Problem(seq, kind, uid, "row_hash", table))
                elif t_day != t_at[:10]:
                    found.append(Problem(seq, kind, uid, "day", table, (t_day, t_at)))
                else:
                    continue
            if len(found) >= limit:
                return
    for seq, uid, kind in conn.execute(
            "SELECT origin_seq, uid, kind FROM journal WHERE origin = ? AND origin_seq BETWEEN ? AND ? "
            f"AND kind NOT IN ({','.join('?' * len(RECORD_TABLES))})", (origin, lo, hi, *RECORD_TABLES)):
        found.append(Problem(seq, kind, uid, "unknown_kind"))
        if len(found) >= limit:
            return


def _personal(conn, origin: str, lo: int, hi: int, found: list[Problem], limit: int) -> None:
    for seq, uid, salt, name, phone, id_number, stored in conn.execute(
            "SELECT j.origin_seq, p.uid, p.salt, p.name, p.phone, p.id_number, v.personal_hash "
            "FROM journal j JOIN visitor_personal p ON p.uid = j.uid JOIN visitor_entries v ON v.uid = p.uid "
            "WHERE j.origin = ? AND j.origin_seq BETWEEN ? AND ? AND j.kind = 'visitor_in'", (origin, lo, hi)):
        if records.personal_hash(bytes(salt), {"name": name, "phone": phone, "id_number": id_number}) != stored:
            found.append(Problem(seq, "visitor_in", uid, "personal"))
            if len(found) >= limit:
                return


def _links(conn, origin: str, lo: int, hi: int, to_end: bool, result: RangeResult,
           found: list[Problem], limit: int) -> None:
    previous: bytes | None = records.GENESIS
    if lo > 1:
        row = conn.execute("SELECT chain_hash FROM journal WHERE origin = ? AND origin_seq = ?",
                           (origin, lo - 1)).fetchone()
        previous = bytes(row[0]) if row else None     # not here: the first link cannot be checked
    expected = lo
    problems = len(found)
    for seq, uid, kind, rh, ch in conn.execute(
            "SELECT origin_seq, uid, kind, row_hash, chain_hash FROM journal WHERE origin = ? "
            "AND origin_seq BETWEEN ? AND ? ORDER BY origin_seq", (origin, lo, hi)):
        result.records += 1
        if seq != expected and problems < limit:
            found.append(Problem(expected, "?", "", "gap", detail=(seq,)))
            problems += 1
        expected = seq + 1
        if previous is not None and records.chain_hash(previous, rh) != ch and problems < limit:
            found.append(Problem(seq, kind, uid, "chain"))
            problems += 1
        previous = ch
        result.last = (seq, bytes(ch))
    if to_end and expected <= hi and problems < limit:
        found.append(Problem(expected, "?", "", "gap", detail=(None,)))


# -- the incremental check: from the last verified point of each origin ------------------------------

@dataclass(frozen=True)
class Mark:
    """How far ``origin``'s chain was found whole: its record ``seq`` had chain hash ``chain_hash``."""
    origin: str
    seq: int
    chain_hash: bytes


@dataclass
class SinceResult:
    checked: int = 0                       # records recomputed
    marks: list[Mark] = field(default_factory=list)     # the new verified points, if all is well
    problems: list[tuple[str, Problem]] = field(default_factory=list)   # (origin, problem)
    moved: list[tuple[str, int]] = field(default_factory=list)   # (origin, seq): the link at the mark changed
    cut: list[tuple[str, int, int]] = field(default_factory=list)   # (origin, mark seq, last seq now)

    @property
    def ok(self) -> bool:
        return not (self.problems or self.moved or self.cut)


def origins(conn: sqlite3.Connection) -> list[str]:
    """Every origin in the journal, one index probe each (no scan of the journal)."""
    found: list[str] = []
    row = conn.execute("SELECT min(origin) FROM journal").fetchone()
    while row and row[0] is not None:
        found.append(row[0])
        row = conn.execute("SELECT min(origin) FROM journal WHERE origin > ?", (row[0],)).fetchone()
    return found


def read_marks(conn: sqlite3.Connection) -> dict[str, Mark]:
    """The verified points; none in a file from before they existed (checked from the start)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'verified_marks'").fetchone() is None:
        return {}
    return {o: Mark(o, s, bytes(h)) for o, s, h in conn.execute("SELECT origin, seq, chain_hash FROM verified_marks")}


def write_marks(conn: sqlite3.Connection, marks: list[Mark], at: str, *, full: bool = False) -> None:
    """Record the new verified points (in the caller's transaction). A mark never moves back."""
    for m in marks:
        conn.execute(
            "INSERT INTO verified_marks (origin, seq, chain_hash, checked_at, full_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq, chain_hash = excluded.chain_hash, "
            "checked_at = excluded.checked_at, full_at = coalesce(excluded.full_at, full_at) "
            "WHERE excluded.seq >= verified_marks.seq",
            (m.origin, m.seq, m.chain_hash, at, at if full else None))


def verify_since_marks(conn: sqlite3.Connection, *, chunk: int = 100_000, on_chunk=None,
                       limit: int = 20, whole: bool = False) -> SinceResult:
    """The records added since each origin's verified mark, recomputed: what the start-up check
    can afford at every start on a file of millions of records.

    It proves, for every origin: (1) the record at the mark still has the chain hash it had when
    it was verified, (2) every record after it hashes to its stored row hash, follows the one
    before without a gap, and links to it by the chain hash, back to (1); (3) no records were cut
    off below the mark. An origin with no mark yet is checked from its first record.

    It does not prove that records *before* the mark are unchanged: an altered old row whose
    journal entry was left alone, or an old record deleted from its kind's table, is found only
    by the full check (db/verify.py). A change that rewrote the chain hashes up to and past the
    mark breaks (1) and is named here. Whoever can write the file can also move the marks:
    against that only anchors kept apart help (backups' anchors, printed signed checkpoints).

    ``whole``: every origin from its first record (the full check's chains).
    ``on_chunk(done, total)`` is called between chunks of ``chunk`` records (progress, cancel)."""
    result = SinceResult()
    marks = {} if whole else read_marks(conn)
    todo = []
    for origin in origins(conn):
        last = conn.execute("SELECT max(origin_seq) FROM journal WHERE origin = ?", (origin,)).fetchone()[0]
        mark = marks.get(origin)
        start = 1
        if mark is not None:
            if mark.seq > last:
                result.cut.append((origin, mark.seq, last))
                continue
            row = conn.execute("SELECT chain_hash FROM journal WHERE origin = ? AND origin_seq = ?",
                               (origin, mark.seq)).fetchone()
            if row is None or bytes(row[0]) != mark.chain_hash:
                result.moved.append((origin, mark.seq))
                continue
            start = mark.seq + 1
        todo.append((origin, start, last, mark))
    total = sum(last - start + 1 for _o, start, last, _m in todo)
    done = 0
    for origin, start, last, mark in todo:
        head = mark
        for lo in range(start, last + 1, chunk):
            hi = min(last, lo + chunk - 1)
            checked = verify_range(conn, origin, lo, hi, limit=limit)
            result.checked += checked.records
            done += hi - lo + 1
            if checked.problems:
                result.problems += [(origin, p) for p in checked.problems]
                head = None
                break
            if checked.last is not None:
                head = Mark(origin, *checked.last)
            if on_chunk is not None:
                on_chunk(done, total)
        if head is not None:
            result.marks.append(head)
        if len(result.problems) >= limit:
            break
    return result
