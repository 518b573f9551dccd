"""The hub: a PostgreSQL server at the compound or company office (DESIGN §8), via psycopg 3.

The gate pushes what the hub lacks, per origin, in batches: COPY (binary) into a temporary
staging table, a check in SQL of every row hash and chain link against the hub's own head for
that origin (sha256() on the server: the chain is checked at the hub's end, not trusted from the
gate), then the insert. One transaction per batch, holding the origin's row in ``origins`` (its
head: seq and chain hash) FOR UPDATE: every batch must start at head + 1, so two pushers of one
origin (a gate and a relay) serialise there and nothing is ever doubled; a cut connection or a
killed gate leaves whole batches or nothing, and the next push starts from the hub's head again.
While the hub checks and stores one batch, the gate already reads the next (a thread of its own
with its own SQLite connection).

The gate pulls other origins' records above its own per-origin high-water mark, ordered by
``origin_seq`` — never by a server-side sequence, which commits out of order — and applies them
through merge.apply (checked again at the gate's end), one local transaction per batch.

The hub's schema has migrations of its own (``hub_version``). Since version 2 the records table
is partitioned by month of the record's day (declarative range partitioning): ``maintain()``
creates the partitions ahead (at every connect, and for any older month a batch brings).
``origin_months`` says which months hold which seqs of an origin, so a pull names the months
it needs and PostgreSQL prunes the rest. ``day_totals``, ``hub_incidents`` and ``hub_plans`` are
filled in the same transaction as the records and feed the company overview
(services/company.py) without reading the records again. docs/scaling.md has the figures.
"""

from __future__ import annotations

import queue
import struct
import threading
from collections.abc import Callable, Iterator
from datetime import date

import psycopg

from checkpoint_app.db.connection import connect as sqlite_connect
from checkpoint_app.errors import StorageError
from checkpoint_app.exchange import merge
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext

_ = Messages({
    "refused": ("中心库拒收门岗 {origin} 从序号 {seq} 起的记录：哈希或序号不连续。",
                "The hub refused gate {origin}'s records from seq {seq}: a hash or the sequence does not follow."),
    "other_site": ("中心库里门岗 {origin} 属于另一个小区，拒收。",
                   "On the hub, gate {origin} belongs to another site: refused."),
    "unreachable": ("连不上中心库：{detail}", "Cannot reach the hub: {detail}"),
})

BATCH = 20_000
MONTHS_AHEAD = 2     # maintain(): partitions ready for this month and the next two
_LOCK = 0x63_6B_70  # advisory lock key of the hub's migrations and partition upkeep

# the record's day: the canonical bytes start with {"at":"YYYY-MM-DD (keys are sorted)
_DAY_SQL = "convert_from(substring(canonical from 8 for 10), 'UTF8')::date"


def _v2_partitioned(pg: psycopg.Connection) -> None:
    """Records partitioned by month; heads kept in ``origins``; the tables of the overview."""
    for sql in (
        "ALTER TABLE records RENAME TO records_v1",
        f"""CREATE TABLE records (
  site TEXT NOT NULL,
  origin TEXT NOT NULL,
  origin_seq BIGINT NOT NULL CHECK (origin_seq >= 1),
  day DATE NOT NULL,
  uid TEXT NOT NULL,
  canonical BYTEA NOT NULL,
  row_hash BYTEA NOT NULL,
  chain_hash BYTEA NOT NULL,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (origin, origin_seq, day),
  UNIQUE (uid, day)
) PARTITION BY RANGE (day)""",
        "ALTER TABLE origins ADD COLUMN name TEXT, ADD COLUMN head_seq BIGINT NOT NULL DEFAULT 0, "
        "ADD COLUMN head_chain BYTEA NOT NULL DEFAULT decode(repeat('00', 32), 'hex'), "
        "ADD COLUMN newest_at TEXT, ADD COLUMN last_push TIMESTAMPTZ",
        "CREATE TABLE sites (site TEXT PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL)",
        """CREATE TABLE origin_months (origin TEXT NOT NULL, month DATE NOT NULL,
  first_seq BIGINT NOT NULL, last_seq BIGINT NOT NULL, PRIMARY KEY (origin, month))""",
        """CREATE TABLE day_totals (site TEXT NOT NULL, origin TEXT NOT NULL, day DATE NOT NULL,
  records INTEGER NOT NULL, passages INTEGER NOT NULL, fevers INTEGER NOT NULL, refusals INTEGER NOT NULL,
  visitors INTEGER NOT NULL, rounds INTEGER NOT NULL, PRIMARY KEY (site, day, origin))""",
        """CREATE TABLE hub_incidents (uid TEXT PRIMARY KEY, site TEXT NOT NULL, opened DATE, closed DATE)""",
        """CREATE TABLE hub_plans (site TEXT NOT NULL, area TEXT NOT NULL, at TEXT NOT NULL,
  rounds_per_day INTEGER NOT NULL, PRIMARY KEY (site, area, at))""",
    ):
        pg.execute(sql)
    months = [m for (m,) in pg.execute(f"SELECT DISTINCT date_trunc('month', {_DAY_SQL})::date FROM records_v1")]
    _create_partitions(pg, months)
    pg.execute(_ABSORB.format(src=f"(SELECT site, origin, origin_seq, uid, canonical, row_hash, chain_hash, "
                                  f"{_DAY_SQL} AS day FROM records_v1)"))
    pg.execute("UPDATE origins o SET head_seq = r.origin_seq, head_chain = r.chain_hash FROM "
               "(SELECT DISTINCT ON (origin) origin, origin_seq, chain_hash FROM records "
               "ORDER BY origin, origin_seq DESC) r WHERE r.origin = o.origin")
    pg.execute("DROP TABLE records_v1")


MIGRATIONS: list[tuple[int, list[str] | Callable[[psycopg.Connection], None]]] = [
    (1, [
        """CREATE TABLE records (
  site TEXT NOT NULL,
  origin TEXT NOT NULL,
  origin_seq BIGINT NOT NULL CHECK (origin_seq >= 1),
  uid TEXT NOT NULL UNIQUE,
  canonical BYTEA NOT NULL,
  row_hash BYTEA NOT NULL,
  chain_hash BYTEA NOT NULL,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (origin, origin_seq)
)""",
        """CREATE TABLE origins (
  site TEXT NOT NULL,
  origin TEXT NOT NULL PRIMARY KEY
)""",
        "CREATE INDEX origins_site ON origins(site)",
    ]),
    (2, _v2_partitioned),
]
LATEST = MIGRATIONS[-1][0]

# Stores the records of {src} (site, origin, origin_seq, uid, canonical, row_hash, chain_hash, day)
# and what the company overview needs from them, in one statement (one snapshot). The kind and the
# outcome are found in the canonical bytes without parsing them: a field's text value cannot hold
# an unescaped quote, so '"kind":"passage"' occurs there only as the record's kind. The few rows
# that need a field's value (a fever candidate, incidents, plans) are parsed as JSON.
_ABSORB = """WITH src AS MATERIALIZED (SELECT *, CASE WHEN position('"kind":"passage"'::bytea IN canonical) > 0 THEN 'p'
          WHEN position('"kind":"visitor_in"'::bytea IN canonical) > 0 THEN 'v'
          WHEN position('"kind":"disinfection"'::bytea IN canonical) > 0 THEN 'd'
          WHEN position('"kind":"incident'::bytea IN canonical) > 0
            OR position('"kind":"disinfection_plan"'::bytea IN canonical) > 0 THEN 'j' END AS k FROM {src} s),
parsed AS MATERIALIZED (SELECT site, origin, day, uid, convert_from(canonical, 'UTF8')::jsonb AS j FROM src
          WHERE k = 'j' OR (k IN ('p', 'v') AND position('fever'::bytea IN canonical) > 0)),
ins AS (INSERT INTO records (site, origin, origin_seq, day, uid, canonical, row_hash, chain_hash)
        SELECT site, origin, origin_seq, day, uid, canonical, row_hash, chain_hash FROM src
        ON CONFLICT DO NOTHING RETURNING 1),
months AS (INSERT INTO origin_months AS m (origin, month, first_seq, last_seq)
        SELECT origin, date_trunc('month', day)::date, min(origin_seq), max(origin_seq) FROM src GROUP BY 1, 2
        ON CONFLICT (origin, month) DO UPDATE SET first_seq = least(m.first_seq, excluded.first_seq),
        last_seq = greatest(m.last_seq, excluded.last_seq) RETURNING 1),
fevers AS (SELECT site, origin, day, count(*) AS n FROM parsed WHERE j->>'kind' IN ('passage', 'visitor_in')
        AND string_to_array(j->'fields'->>'reasons', ',') && ARRAY['fever', 'visitor_fever'] GROUP BY 1, 2, 3),
counts AS (SELECT site, origin, day, count(*) AS records, count(*) FILTER (WHERE k = 'p') AS passages,
          count(*) FILTER (WHERE k IN ('p', 'v') AND position('"outcome":"denied"'::bytea IN canonical) > 0) AS refusals,
          count(*) FILTER (WHERE k = 'v') AS visitors, count(*) FILTER (WHERE k = 'd') AS rounds
        FROM src GROUP BY 1, 2, 3),
totals AS (INSERT INTO day_totals AS t (site, origin, day, records, passages, fevers, refusals, visitors, rounds)
        SELECT c.site, c.origin, c.day, c.records, c.passages, coalesce(f.n, 0), c.refusals, c.visitors, c.rounds
        FROM counts c LEFT JOIN fevers f USING (site, origin, day)
        ON CONFLICT (site, day, origin) DO UPDATE SET records = t.records + excluded.records,
          passages = t.passages + excluded.passages, fevers = t.fevers + excluded.fevers,
          refusals = t.refusals + excluded.refusals, visitors = t.visitors + excluded.visitors,
          rounds = t.rounds + excluded.rounds RETURNING 1),
opened AS (INSERT INTO hub_incidents AS i (uid, site, opened)
        SELECT uid, site, day FROM parsed WHERE j->>'kind' = 'incident'
        ON CONFLICT (uid) DO UPDATE SET opened = excluded.opened RETURNING 1),
closed AS (INSERT INTO hub_incidents AS i (uid, site, closed)
        SELECT DISTINCT ON (j->'fields'->>'incident_uid') j->'fields'->>'incident_uid', site, day FROM parsed
        WHERE j->>'kind' = 'incident_followup' AND (j->'fields'->>'closed')::int = 1
        ORDER BY j->'fields'->>'incident_uid', day
        ON CONFLICT (uid) DO UPDATE SET closed = least(i.closed, excluded.closed) RETURNING 1),
plans AS (INSERT INTO hub_plans (site, area, at, rounds_per_day)
        SELECT site, j->'fields'->>'area', j->>'at', (j->'fields'->>'rounds_per_day')::int FROM parsed
        WHERE j->>'kind' = 'disinfection_plan' ON CONFLICT DO NOTHING RETURNING 1)
SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM months), (SELECT count(*) FROM totals),
       (SELECT count(*) FROM opened), (SELECT count(*) FROM closed), (SELECT count(*) FROM plans)"""


def migrate(pg: psycopg.Connection) -> int:
    """Bring the hub's schema up to LATEST (one transaction per step); returns the version it had."""
    with pg.transaction():
        pg.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        pg.execute("CREATE TABLE IF NOT EXISTS hub_version (version INTEGER NOT NULL)")
        row = pg.execute("SELECT max(version) FROM hub_version").fetchone()
        start = row[0] or 0
        for version, steps in MIGRATIONS:
            if version > start:
                if callable(steps):
                    steps(pg)
                else:
                    for sql in steps:
                        pg.execute(sql)
                pg.execute("INSERT INTO hub_version VALUES (%s)", (version,))
    return start


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"records_{month.year:04d}_{month.month:02d}"


def _create_partitions(pg: psycopg.Connection, months) -> None:
    for month in sorted(set(months)):
        pg.execute(f"CREATE TABLE IF NOT EXISTS {partition_name(month)} PARTITION OF records "
                   f"FOR VALUES FROM ('{month.isoformat()}') TO ('{_next_month(month).isoformat()}')")


def partitions(pg: psycopg.Connection) -> list[str]:
    """The records table's partitions, oldest first."""
    return sorted(n for (n,) in pg.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = 'records'::regclass"))


def maintain(pg: psycopg.Connection, today: date | None = None, *, ahead: int = MONTHS_AHEAD,
             months: tuple[date, ...] = ()) -> None:
    """Create the partitions of this month and ``ahead`` months after it (and of ``months``)
    before any record needs them: creating one locks the parent table, so it is done here, in a
    short transaction of its own, not in the middle of a push."""
    month = _month_start(today or date.today())
    wanted = {month, *(_month_start(m) for m in months)}
    for _i in range(ahead):
        month = _next_month(month)
        wanted.add(month)
    have = set(partitions(pg))
    pg.commit()
    missing = [m for m in wanted if partition_name(m) not in have]
    if missing:
        with pg.transaction():
            pg.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            _create_partitions(pg, missing)


def connect(url: str, **options) -> psycopg.Connection:
    try:
        pg = psycopg.connect(url, connect_timeout=10, **options)
    except psycopg.OperationalError as exc:
        raise StorageError(_("unreachable", detail=str(exc).strip().splitlines()[0][:200]), "hub_unreachable") from exc
    # The hub's statements are short; JIT compiling them (the planner guesses big costs for
    # generate_series and the staging table) took up to a second each.
    pg.execute("SET jit = off")
    # A batch (20,000 records, ~10 MB) is held in the temporary staging table and, while it is
    # stored, in a materialised CTE and a sort: with the defaults (8 MB, 4 MB) both went to
    # temporary files on disk (EXPLAIN ANALYZE: temp written 1,454 blocks a batch).
    pg.execute("SET temp_buffers = '64MB'")
    pg.execute("SET work_mem = '64MB'")
    pg.commit()
    migrate(pg)
    maintain(pg)
    return pg


def _day(wire: merge.Wire) -> date:
    return date.fromisoformat(wire.canonical[7:17].decode("ascii"))


def _reader(path, origin: str, after: int, top: int, batch: int, out: queue.Queue, stop: threading.Event) -> None:
    """Reads ``origin``'s records after ``after`` in batches into ``out`` (None at the end, an
    exception if reading failed), on a SQLite connection of its own."""
    try:
        conn = sqlite_connect(path, readonly=True)
        try:
            while after < top and not stop.is_set():
                conn.execute("BEGIN")
                try:
                    wires = merge.read_range(conn, origin, after, batch)
                finally:
                    conn.execute("COMMIT")
                if not wires:
                    break
                out.put(wires)
                after = wires[-1].seq
        finally:
            conn.close()
        out.put(None)
    except BaseException as exc:  # handed to the pushing thread, which raises it
        out.put(exc)


def _batches(ctx: GateContext, origin: str, after: int, top: int, batch: int) -> Iterator[list[merge.Wire]]:
    """``origin``'s records after ``after``, read one batch ahead while the caller pushes."""
    out: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    thread = threading.Thread(target=_reader, args=(ctx.db.path, origin, after, top, batch, out, stop),
                              name="hub-push-reader", daemon=True)
    thread.start()
    try:
        while True:
            item = out.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():   # let it see the stop (it may wait on a full queue)
            try:
                out.get(timeout=0.05)
            except queue.Empty:
                pass
        thread.join()


def push(ctx: GateContext, pg: psycopg.Connection, *, batch: int = BATCH) -> int:
    """Send every record the hub lacks (any origin this PC holds); returns how many it took.
    The hub also learns the site's name and its gates' names (a gate that never pushed is
    listed as not synced), and that this PC has just synced."""
    with ctx.db.read() as conn:
        site = merge.site_identity(conn)
        local = merge.heads(conn)
        names = dict(conn.execute("SELECT uid, name FROM gates"))
        code_name = conn.execute("SELECT code, name FROM site WHERE id = 1").fetchone()
    with pg.transaction():
        if code_name:
            pg.execute("INSERT INTO sites (site, code, name) VALUES (%s, %s, %s) "
                       "ON CONFLICT (site) DO UPDATE SET name = excluded.name", (site, *code_name))
        with pg.cursor() as cur:
            cur.executemany("INSERT INTO origins (site, origin, name) VALUES (%s, %s, %s) "
                            "ON CONFLICT (origin) DO UPDATE SET name = excluded.name WHERE origins.site = excluded.site",
                            [(site, uid, name) for uid, name in names.items()])
        held = dict(pg.execute("SELECT origin, head_seq FROM origins WHERE origin = ANY(%s)", (list(local),)).fetchall())
    sent = 0
    for origin, (top, _chain) in sorted(local.items()):
        after = held.get(origin, 0)
        if after >= top:
            continue
        for wires in _batches(ctx, origin, after, top, batch):
            sent += _push_batch(pg, site, origin, wires, name=names.get(origin))
    with pg.transaction():
        pg.execute("UPDATE origins SET last_push = now() WHERE origin = %s AND site = %s", (ctx.gate.uid, site))
    return sent


def _push_batch(pg: psycopg.Connection, site: str, origin: str, wires: list[merge.Wire], *,
                name: str | None = None) -> int:
    months = {_month_start(_day(w)) for w in {w.canonical[7:14]: w for w in wires}.values()}   # one per YYYY-MM
    if not all(partition_name(m) in _known_partitions(pg) for m in months):
        maintain(pg, months=tuple(months))
        _known_partitions(pg, refresh=True)
    with pg.transaction():
        pg.execute("INSERT INTO origins (site, origin, name) VALUES (%s, %s, %s) ON CONFLICT (origin) DO NOTHING",
                   (site, origin, name))
        held_site, head, previous = pg.execute(
            "SELECT site, head_seq, head_chain FROM origins WHERE origin = %s FOR UPDATE", (origin,)).fetchone()
        if held_site != site:
            raise StorageError(_("other_site", origin=origin[:8]), "hub_refused")
        wires = [w for w in wires if w.seq > head]  # another pusher (a relay) got there first
        if not wires:
            return 0
        pg.execute("CREATE TEMP TABLE IF NOT EXISTS staging (origin_seq BIGINT, uid TEXT, canonical BYTEA, "
                   "row_hash BYTEA, chain_hash BYTEA) ON COMMIT DELETE ROWS")
        with pg.cursor() as cur:
            with cur.copy("COPY staging (origin_seq, uid, canonical, row_hash, chain_hash) FROM STDIN "
                          "(FORMAT BINARY)") as copy:
                for chunk in _copy_data(wires):
                    copy.write(chunk)
            bad = cur.execute(
                "SELECT min(origin_seq) FROM (SELECT origin_seq, canonical, row_hash, chain_hash, "
                "coalesce(lag(chain_hash) OVER w, %s) AS prev, origin_seq - row_number() OVER w AS off "
                "FROM staging WINDOW w AS (ORDER BY origin_seq)) s "
                "WHERE sha256('\\x00'::bytea || canonical) <> row_hash "
                "OR sha256('\\x01'::bytea || prev || row_hash) <> chain_hash OR off <> %s "
                "OR substring(canonical from 1 for 7) <> '\\x7b226174223a22'::bytea",   # {"at":"
                (previous, head)).fetchone()[0]
            if bad is not None:
                raise StorageError(_("refused", origin=origin[:8], seq=bad), "hub_refused")
            inserted = cur.execute(_ABSORB.format(
                src=f"(SELECT %(site)s::text AS site, %(origin)s::text AS origin, origin_seq, uid, canonical, "
                    f"row_hash, chain_hash, {_DAY_SQL} AS day FROM staging)"),
                {"site": site, "origin": origin}).fetchone()[0]
            last = wires[-1]
            cur.execute("UPDATE origins SET head_seq = %s, head_chain = %s, last_push = now(), "
                        "newest_at = %s, name = coalesce(%s, name) WHERE origin = %s",
                        (last.seq, last.chain_hash, _at(last), name, origin))
            return inserted


_COPY_HEAD = b"PGCOPY\n\xff\r\n\x00" + bytes(8)   # signature, flags, no header extension
_ROW_START = struct.Struct("!hiqi").pack             # 5 fields; 8, seq; length of the uid
_LENGTH = struct.Struct("!i").pack


def _copy_data(wires: list[merge.Wire], rows: int = 2000) -> Iterator[bytes]:
    """The staging rows (origin_seq, uid, canonical, row_hash, chain_hash) in PostgreSQL's binary
    COPY format, in chunks: made here in a few joins (psycopg's ``write_row`` dumps each value of
    each row through its adapters, most of the gate's CPU in a push)."""
    for i in range(0, len(wires), rows):
        parts = [_COPY_HEAD] if i == 0 else []
        for w in wires[i:i + rows]:
            uid = _uid(w).encode("ascii")
            parts += (_ROW_START(5, 8, w.seq, len(uid)), uid, _LENGTH(len(w.canonical)), w.canonical,
                      _LENGTH(len(w.row_hash)), w.row_hash, _LENGTH(len(w.chain_hash)), w.chain_hash)
        if i + rows >= len(wires):
            parts.append(b"\xff\xff")   # the trailer
        yield b"".join(parts)


def _known_partitions(pg: psycopg.Connection, *, refresh: bool = False) -> set[str]:
    cached = getattr(pg, "_checkpoint_partitions", None)
    if cached is None or refresh:
        cached = set(partitions(pg))
        pg.commit()
        pg._checkpoint_partitions = cached
    return cached


def _uid(wire: merge.Wire) -> str:
    # the uid is a fixed-form field of the canonical JSON ({"at":…,"fields":…,"kind":…,"origin":…,"seq":…,"uid":"…"})
    tail = wire.canonical.rsplit(b'"uid":"', 1)[1]
    return tail[:tail.index(b'"')].decode("ascii")


def _at(wire: merge.Wire) -> str:
    tail = wire.canonical[7:]
    return tail[:tail.index(b'"')].decode("ascii")


FETCH_SQL = ("SELECT origin_seq, canonical, row_hash, chain_hash FROM records WHERE origin = %s AND origin_seq > %s "
             "AND day >= %s AND day < %s ORDER BY origin_seq LIMIT %s")


def months_above(pg: psycopg.Connection, origin: str, after: int) -> tuple[date | None, date | None]:
    """The days (from, before) of the months holding ``origin``'s records above ``after``."""
    first, last = pg.execute("SELECT min(month), max(month) FROM origin_months WHERE origin = %s AND last_seq > %s",
                             (origin, after)).fetchone()
    return first, last and _next_month(last)


def _fetch(pg: psycopg.Connection, origin: str, after: int, batch: int) -> list[merge.Wire]:
    """``origin``'s records above ``after``, naming only the months that hold them (pruning)."""
    first, end = months_above(pg, origin, after)
    if first is None:
        pg.commit()
        return []
    with pg.cursor(binary=True) as cur:   # bytea as it is stored, not as hex text to decode
        rows = cur.execute(FETCH_SQL, (origin, after, first, end, batch)).fetchall()
    pg.commit()
    return [merge.Wire(origin, s, c, r, h) for s, c, r, h in rows]


def pull(ctx: GateContext, pg: psycopg.Connection, *, batch: int = BATCH) -> merge.ApplyResult:
    """Fetch the site's records above this PC's high-water mark per origin and apply them. The
    next batch is fetched from the hub while this one is applied."""
    from concurrent.futures import ThreadPoolExecutor

    total = merge.ApplyResult()
    with ctx.db.read() as conn:
        site = merge.site_identity(conn)
        local = {o: s for o, (s, _c) in merge.heads(conn).items()}
    behind = [o for o, top in pg.execute("SELECT origin, head_seq FROM origins WHERE site = %s ORDER BY origin",
                                         (site,)) if top > local.get(o, 0)]
    pg.commit()
    with ThreadPoolExecutor(1, thread_name_prefix="hub-pull") as fetcher:
        for origin in behind:
            after = local.get(origin, 0)
            ahead = fetcher.submit(_fetch, pg, origin, after, batch)
            while True:
                wires = ahead.result()
                if not wires:
                    break
                ahead = fetcher.submit(_fetch, pg, origin, wires[-1].seq, batch)
                with ctx.db.write() as conn:
                    result = merge.apply(conn, wires, source="hub", at=ctx.now().isoformat(timespec="seconds"))
                total.added += result.added
                total.duplicates += result.duplicates
                total.waiting += result.waiting
                total.problems += result.problems
                total.incidents += result.incidents
                total.heads.update(result.heads)
                for o, n in result.added_by.items():
                    total.added_by[o] = total.added_by.get(o, 0) + n
                if result.added + result.duplicates < len(wires):
                    ahead.result()   # a problem or a gap stops this origin here
                    break
    ctx.reload()
    return total
