"""Scan → decision → durable commit, through the service, with millions of passages in the file.

    .venv/bin/python benchmarks/scan_latency.py                 # 10 M passages (fill ~ minutes, kept in /tmp)
    .venv/bin/python benchmarks/scan_latency.py --passages 200000 --scans 500

Prints the fill time, the file size and p50/p90/p99/max of ``record_passage`` (synchronous=FULL,
WAL, one BEGIN IMMEDIATE transaction per scan, as at the gate). Target (DESIGN §7): p99 ≤ 5 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checkpoint_app import paths  # noqa: E402
from checkpoint_app.db import records  # noqa: E402
from checkpoint_app.db.schema import RECORD_TABLES  # noqa: E402
from checkpoint_app.services import passes, residents  # noqa: E402
from checkpoint_app.services.context import open_gate, system_clock  # noqa: E402
from checkpoint_app.services.demo import _name as demo_name  # noqa: E402
from checkpoint_app.services.gate import record_passage  # noqa: E402
from checkpoint_app.services.permissions import OPERATOR  # noqa: E402
from checkpoint_app.services.site import init_site  # noqa: E402


def build(data_dir: Path, n_passages: int, n_households: int) -> None:
    t0 = time.perf_counter()
    ctx = init_site(data_dir, site_code="BENCH1", site_name="基准小区", gate_name="北门").acting_as(None, OPERATOR)
    roster = data_dir / "roster.csv"
    rows = ["楼栋,单元,房号,姓名"]
    rng = random.Random(3)
    for i in range(n_households):
        names = {demo_name(rng) for _ in range(2 + i % 2)}
        rows += [f"{1 + i // 100},{1 + (i // 50) % 2},{100 + i % 50},{name}" for name in sorted(names)]
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
    residents.import_roster(ctx, roster)
    issued = passes.issue_passes(ctx, all_residents=True)
    print(f"site, {len(issued)} residents and passes: {time.perf_counter() - t0:.1f} s", flush=True)

    conn = ctx.db.conn
    conn.execute("PRAGMA synchronous = OFF")
    # Every index on the big tables is dropped for the fill and made again after (as the schema has them).
    indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
                           "('passages', 'journal') AND sql IS NOT NULL").fetchall()
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    days = max(1, n_passages // 27_000)
    t1 = time.perf_counter()
    append_passages(conn, ctx.gate.uid, n_passages, system_clock() - timedelta(days=days + 1), days * 86400,
                    report_every=1_000_000)
    t2 = time.perf_counter()
    for _name, sql in indexes:
        conn.execute(sql)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    ctx.close()
    print(f"fill: {n_passages:,} passages in {t2 - t1:.0f} s, indexes {time.perf_counter() - t2:.0f} s, "
          f"total {time.perf_counter() - t0:.0f} s", flush=True)


def append_passages(conn, origin: str, n: int, start, seconds: float, *, seed: int = 7,
                    guards: tuple[str, ...] = ("基准",), denied_every: int = 0, report_every: int = 0) -> None:
    """``n`` passages of the site's residents spread over ``seconds`` from ``start``, appended to
    ``origin``'s chain with their hashes, in batches (no rules run: a file to measure, fast)."""
    people = conn.execute("SELECT r.uid, h.label, p.number FROM residents r JOIN households h ON h.id = r.household_id "
                          "JOIN passes p ON p.resident_id = r.id AND p.status = 'active' ORDER BY r.id").fetchall()
    seq, chain = records.head(conn, origin)
    columns = RECORD_TABLES["passage"][1]
    rng = random.Random(seed)
    step = seconds / n
    t1 = time.perf_counter()
    batch_j, batch_p = [], []
    state = [0] * len(people)
    insert_p = (f"INSERT INTO passages (uid, at, day, {', '.join(columns)}) "
                f"VALUES ({', '.join('?' * (len(columns) + 3))})")
    conn.execute("BEGIN")
    for i in range(n):
        k = rng.randrange(len(people))
        uid_r, label, number = people[k]
        direction = "out" if state[k] == 0 else "in"
        state[k] ^= 1
        at_text = (start + timedelta(seconds=i * step)).isoformat(timespec="milliseconds")
        seq += 1
        uid = records.new_uid()
        denied = denied_every and i % denied_every == 0
        values = {"direction": direction, "pass_number": number, "pass_version": 1,
                  "resident_uid": uid_r, "household": label, "temp_tenths": 373 if denied else 360 + rng.randrange(10),
                  "outcome": "denied" if denied else "allowed", "reason": "fever" if denied else "ok",
                  "reasons": "fever" if denied else "ok", "manual": 0, "guard": guards[i % len(guards)]}
        values = {c: values.get(c) for c in columns}     # the other columns NULL (omitted from the hash)
        rh = records.row_hash(records.canonical_bytes("passage", origin, seq, uid, at_text, values))
        chain = records.chain_hash(chain, rh)
        batch_j.append((origin, seq, uid, "passage", at_text, rh, chain))
        batch_p.append((uid, at_text, at_text[:10], *values.values()))
        if len(batch_j) == 100_000 or i == n - 1:
            conn.executemany("INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?)", batch_j)
            conn.executemany(insert_p, batch_p)
            batch_j.clear()
            batch_p.clear()
            conn.execute("COMMIT")
            if i < n - 1:
                conn.execute("BEGIN")
            if report_every and (i + 1) % report_every == 0:
                print(f"  {i + 1:,} passages, {time.perf_counter() - t1:.0f} s", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=10_000_000)
    ap.add_argument("--households", type=int, default=2000)
    ap.add_argument("--scans", type=int, default=2000)
    ap.add_argument("--dir", type=Path, default=None, help="data folder to build or reuse (default /tmp/...)")
    ap.add_argument("--auto-checkpoint", action="store_true",
                    help="let SQLite checkpoint inside commits (the CLI's mode) instead of the gate app's thread")
    args = ap.parse_args()
    data_dir = args.dir or Path(f"/tmp/checkpoint-bench-{args.passages}")
    if not paths.db_path(data_dir).exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        build(data_dir, args.passages, args.households)
    else:
        print(f"reusing {data_dir}")
    size = paths.db_path(data_dir).stat().st_size / 2**20
    # Recording needs someone on duty (services/permissions.py): a guard, as at the gate.
    ctx = open_gate(data_dir, background_checkpoint=not args.auto_checkpoint).acting_as("bench", "guard")
    count = ctx.db.conn.execute("SELECT max(origin_seq) FROM journal").fetchone()[0]
    payloads = [r[0] for r in ctx.db.conn.execute("SELECT payload FROM passes WHERE status = 'active'")]
    random.Random(1).shuffle(payloads)
    temps = ["365", "36.6", "36,4", "372", "380"]
    timings = []
    outcomes: dict[str, int] = {}
    for i in range(args.scans):
        payload = payloads[i % len(payloads)]
        t = time.perf_counter()
        r = record_passage(ctx, payload, temperature=temps[i % len(temps)])
        timings.append((time.perf_counter() - t) * 1000)
        outcomes[r.outcome] = outcomes.get(r.outcome, 0) + 1
    ctx.close()
    timings.sort()
    q = statistics.quantiles(timings, n=100)
    print(f"file: {size:,.0f} MB, {count:,} records; {args.scans} scans through record_passage "
          f"(outcomes {outcomes})")
    print(f"record_passage latency: p50 {q[49]:.2f} ms, p90 {q[89]:.2f} ms, p99 {q[98]:.2f} ms, "
          f"max {timings[-1]:.2f} ms  (target p99 <= 5 ms)")


if __name__ == "__main__":
    main()
