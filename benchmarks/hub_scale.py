"""The scaled run of benchmarks/hub_ingest.py --scale: the hub holding 10 M records a day.

300 M rows do not fit this machine's time or disk, so ``days`` consecutive days that cross a
month end (two monthly partitions, and the next ones made ahead, empty) are filled with
``per_day`` records a day through the hub's own insert statement (``hub._ABSORB``: records,
month index, day totals, incidents), generated on the server as ``compounds`` × 3 gates'
passages with canonical bytes shaped like the real ones (~330 bytes) and their row hashes.
Then: bytes per record, the per-origin pull and the company overview (EXPLAIN: which partitions
each reads, and its time), and the extrapolation to 10 M/day × 30 days.
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta

from checkpoint_app.exchange import hub
from checkpoint_app.services import company
from tests.pg_server import private_server

FIRST_DAY = date(2026, 11, 29)   # the days cross into December: two partitions hold them

# One day of ``n`` passages of ``gates`` gates (of ``gates // 3`` compounds), seq from ``base``.
_DAY = """(SELECT 'S' || (g / 3) AS site, 'gate' || lpad(g::text, 28, '0') AS origin, {base} + i AS origin_seq,
  md5(g || ':' || {base} + i) AS uid, c AS canonical, sha256('\\x00'::bytea || c) AS row_hash,
  sha256(c) AS chain_hash, %(day)s::date AS day
FROM generate_series(0, {gates} - 1) g, generate_series(1, {n}) i,
LATERAL (SELECT convert_to(format(
  '{{"at":"%%sT%%s.000+08:00","fields":{{"direction":"%%s","guard":"李建国","household":"%%s-%%s-%%s",'
  '"manual":0,"outcome":"%%s","pass_number":%%s,"pass_version":1,"payload_excerpt":"CKP1.HXY01…",'
  '"resident_uid":"%%s","temp_tenths":%%s}},"kind":"passage","origin":"gate%%s","seq":%%s,"uid":"%%s"}}',
  %(day)s::text, to_char(time '06:00' + i * interval '1 second' * (57600 / {n}), 'HH24:MI:SS'),
  CASE WHEN i %% 2 = 0 THEN 'in' ELSE 'out' END, i %% 40, i %% 4, i %% 300,
  CASE WHEN i %% 97 = 0 THEN 'denied' ELSE 'allowed' END, i %% 6000, md5(i::text),
  360 + i %% 12, lpad(g::text, 28, '0'), {base} + i, md5(g || ':' || {base} + i)), 'UTF8') AS c) x)"""


def _explain(pg, sql: str, params) -> tuple[list[str], float]:
    plan = [line for (line,) in pg.execute("EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) " + sql, params)]
    pg.rollback()
    ms = float(next(p for p in plan if p.startswith("Execution Time")).split()[2])
    return plan, ms


def _scanned(plan: list[str]) -> list[str]:
    return sorted({w for line in plan for w in line.split() if re.fullmatch(r"records_\d{4}_\d{2}", w)})


def scaled_run(days: int, per_day: int, compounds: int, step) -> None:
    gates = compounds * 3
    n = per_day // gates
    with private_server(durable=True) as new_database:
        url = new_database()
        with hub.connect(url) as pg:
            hub.maintain(pg, FIRST_DAY, months=(FIRST_DAY,))
            print(f"partitions: {', '.join(hub.partitions(pg))}")
            rows = 0
            total = step(pg)
            with total:
                for d in range(days):
                    day = (FIRST_DAY + timedelta(days=d)).isoformat()
                    with step(pg) as one:
                        with pg.transaction():
                            pg.execute("INSERT INTO sites (site, code, name) SELECT 'S' || c, 'C' || c, "
                                       "'小区' || c FROM generate_series(0, %s - 1) c ON CONFLICT DO NOTHING", (compounds,))
                            pg.execute("INSERT INTO origins (site, origin, name) SELECT 'S' || (g / 3), "
                                       "'gate' || lpad(g::text, 28, '0'), 'G' || g FROM generate_series(0, %s - 1) g "
                                       "ON CONFLICT DO NOTHING", (gates,))
                            pg.execute(hub._ABSORB.format(src=_DAY.format(base=d * n, gates=gates, n=n)), {"day": day})
                            pg.execute("UPDATE origins SET head_seq = %s, last_push = now()", ((d + 1) * n,))
                    rows += n * gates
                    print(f"  day {day}: {n * gates:,} records in {one.wall:.1f} s "
                          f"({n * gates / one.wall:,.0f}/s; hub CPU {one.server:.1f} s)")
            size = pg.execute("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_inherits i "
                              "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'records'::regclass").fetchone()[0]
            pg.commit()
            per_record = float(size) / rows
            print(f"{rows:,} records in {total.wall:.0f} s: {rows / total.wall:,.0f} records/s, hub CPU "
                  f"{1e6 * total.server / rows:.1f} µs a record; {per_record:.0f} bytes a record with its indexes")
            origin = "gate" + "0" * 28
            after = (days - 1) * n   # a gate that has everything up to yesterday
            first, end = hub.months_above(pg, origin, after)
            plan, ms = _explain(pg, hub.FETCH_SQL, (origin, after, first, end, 20_000))
            print(f"per-origin pull of today's 20,000 (EXPLAIN ANALYZE {ms:.0f} ms) reads {_scanned(plan)} "
                  f"of {len(hub.partitions(pg))} partitions")
            last = FIRST_DAY + timedelta(days=days - 1)
            _plan, ms = _explain(pg, company._ROWS, {"first": FIRST_DAY, "last": FIRST_DAY + timedelta(days=days - 1)})
            print(f"company overview query: EXPLAIN ANALYZE {ms:.0f} ms")
            t = time.perf_counter()
            view = company.read_overview(pg, FIRST_DAY, last, now=datetime.now().astimezone())
            print(f"company overview of {len(view.rows)} compound-days: {1000 * (time.perf_counter() - t):.0f} ms "
                  f"(reads day_totals, not the records)")
            plan, ms = _explain(pg, "SELECT count(*) FILTER (WHERE position('\"outcome\":\"denied\"'::bytea IN canonical) > 0) "
                                "FROM records WHERE day = %s AND origin IN (SELECT origin FROM origins WHERE site = 'S0')",
                                (last,))
            print(f"drill-down: one compound's refusals of one day from the records ({ms:.0f} ms) reads "
                  f"{_scanned(plan)}")
            day_gb = per_record * 10_000_000 / 1e9
            print(f"extrapolated to 10 M records a day: {day_gb:.1f} GB a day, {30 * day_gb:.0f} GB for 30 days; "
                  f"ingest needs {10_000_000 * total.server / rows / 3600:.2f} h of one hub core a day "
                  f"({10_000_000 / 86400:.0f} records/s on average)")
