"""The hub: a PostgreSQL server at the compound or company office (DESIGN §8), via psycopg 3.

The gate pushes what the hub lacks, per origin, in batches: COPY into a temporary staging
table, a check in SQL of every row hash and chain link against the hub's own head for that
origin (sha256() on the server: the chain is checked at the hub's end, not trusted from the
gate), then ``INSERT … ON CONFLICT DO NOTHING`` under ``UNIQUE (origin, origin_seq)``. One
transaction per batch, under an advisory lock per origin: a cut connection or a killed gate
leaves whole batches or nothing, and the next push starts from the hub's head again.

The gate pulls other origins' records above its own per-origin high-water mark, ordered by
``origin_seq`` — never by a server-side sequence, which commits out of order — and applies them
through merge.apply (checked again at the gate's end), one local transaction per batch.

The hub's schema has migrations of its own (``hub_version``).
"""

from __future__ import annotations

import psycopg

from checkpoint_app.errors import StorageError
from checkpoint_app.exchange import merge
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext

_ = Messages({
    "refused": ("中心库拒收门岗 {origin} 从序号 {seq} 起的记录：哈希或序号不连续。",
                "The hub refused gate {origin}'s records from seq {seq}: a hash or the sequence does not follow."),
    "unreachable": ("连不上中心库：{detail}", "Cannot reach the hub: {detail}"),
})

BATCH = 20_000
_LOCK = 0x63_6B_70  # advisory lock key of the hub's migrations

MIGRATIONS: list[tuple[int, list[str]]] = [
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
]
LATEST = MIGRATIONS[-1][0]


def migrate(pg: psycopg.Connection) -> int:
    """Bring the hub's schema up to LATEST (one transaction per step); returns the version it had."""
    with pg.transaction():
        pg.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
        pg.execute("CREATE TABLE IF NOT EXISTS hub_version (version INTEGER NOT NULL)")
        row = pg.execute("SELECT max(version) FROM hub_version").fetchone()
        start = row[0] or 0
        for version, steps in MIGRATIONS:
            if version > start:
                for sql in steps:
                    pg.execute(sql)
                pg.execute("INSERT INTO hub_version VALUES (%s)", (version,))
    return start


def connect(url: str) -> psycopg.Connection:
    try:
        pg = psycopg.connect(url, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise StorageError(_("unreachable", detail=str(exc).strip().splitlines()[0][:200]), "hub_unreachable") from exc
    migrate(pg)
    return pg


def _hub_head(pg: psycopg.Connection, origin: str) -> tuple[int, bytes]:
    row = pg.execute("SELECT origin_seq, chain_hash FROM records WHERE origin = %s "
                     "ORDER BY origin_seq DESC LIMIT 1", (origin,)).fetchone()
    return (row[0], bytes(row[1])) if row else (0, merge.records.GENESIS)


def push(ctx: GateContext, pg: psycopg.Connection, *, batch: int = BATCH) -> int:
    """Send every record the hub lacks (any origin this PC holds); returns how many it took."""
    with ctx.db.read() as conn:
        site = merge.site_identity(conn)
        local = merge.heads(conn)
    sent = 0
    for origin, (top, _chain) in sorted(local.items()):
        after = _hub_head(pg, origin)[0]
        pg.commit()
        while after < top:
            with ctx.db.read() as conn:
                wires = merge.read_range(conn, origin, after, batch)
            if not wires:
                break
            sent += _push_batch(pg, site, origin, wires)
            after = wires[-1].seq
    return sent


def _push_batch(pg: psycopg.Connection, site: str, origin: str, wires: list[merge.Wire]) -> int:
    with pg.transaction():
        pg.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (origin,))
        head, previous = _hub_head(pg, origin)
        wires = [w for w in wires if w.seq > head]  # another pusher (a relay) got there first
        if not wires:
            return 0
        pg.execute("CREATE TEMP TABLE IF NOT EXISTS staging (origin_seq BIGINT, uid TEXT, canonical BYTEA, "
                   "row_hash BYTEA, chain_hash BYTEA) ON COMMIT DELETE ROWS")
        with pg.cursor() as cur:
            with cur.copy("COPY staging (origin_seq, uid, canonical, row_hash, chain_hash) FROM STDIN") as copy:
                for w in wires:
                    copy.write_row((w.seq, _uid(w), w.canonical, w.row_hash, w.chain_hash))
            bad = cur.execute(
                "SELECT min(origin_seq) FROM (SELECT origin_seq, canonical, row_hash, chain_hash, "
                "coalesce(lag(chain_hash) OVER w, %s) AS prev, origin_seq - row_number() OVER w AS off "
                "FROM staging WINDOW w AS (ORDER BY origin_seq)) s "
                "WHERE sha256('\\x00'::bytea || canonical) <> row_hash "
                "OR sha256('\\x01'::bytea || prev || row_hash) <> chain_hash OR off <> %s",
                (previous, head)).fetchone()[0]
            if bad is not None:
                raise StorageError(_("refused", origin=origin[:8], seq=bad), "hub_refused")
            cur.execute("INSERT INTO origins (site, origin) VALUES (%s, %s) ON CONFLICT DO NOTHING", (site, origin))
            cur.execute("INSERT INTO records (site, origin, origin_seq, uid, canonical, row_hash, chain_hash) "
                        "SELECT %s, %s, origin_seq, uid, canonical, row_hash, chain_hash FROM staging "
                        "ORDER BY origin_seq ON CONFLICT DO NOTHING", (site, origin))
            return cur.rowcount


def _uid(wire: merge.Wire) -> str:
    # the uid is a fixed-form field of the canonical JSON ({"at":…,"fields":…,"kind":…,"origin":…,"seq":…,"uid":"…"})
    tail = wire.canonical.rsplit(b'"uid":"', 1)[1]
    return tail[:tail.index(b'"')].decode("ascii")


def pull(ctx: GateContext, pg: psycopg.Connection, *, batch: int = BATCH) -> merge.ApplyResult:
    """Fetch the site's records above this PC's high-water mark per origin and apply them."""
    total = merge.ApplyResult()
    with ctx.db.read() as conn:
        site = merge.site_identity(conn)
    origins = [o for (o,) in pg.execute("SELECT origin FROM origins WHERE site = %s ORDER BY origin", (site,))]
    pg.commit()
    for origin in origins:
        while True:
            with ctx.db.read() as conn:
                after = merge.records.head(conn, origin)[0]
            rows = pg.execute("SELECT origin_seq, canonical, row_hash, chain_hash FROM records "
                              "WHERE origin = %s AND origin_seq > %s ORDER BY origin_seq LIMIT %s",
                              (origin, after, batch)).fetchall()
            pg.commit()
            if not rows:
                break
            with ctx.db.write() as conn:
                result = merge.apply(conn, (merge.Wire(origin, s, bytes(c), bytes(r), bytes(h)) for s, c, r, h in rows),
                                     source="hub", at=ctx.now().isoformat(timespec="seconds"))
            total.added += result.added
            total.duplicates += result.duplicates
            total.waiting += result.waiting
            total.problems += result.problems
            total.incidents += result.incidents
            if result.added == 0:
                break
    ctx.reload()
    return total
