"""The start-up check on a big file: incremental (from the verified marks) against the whole check.

    .venv/bin/python benchmarks/startup_check.py                    # 10 M passages, /tmp/i14c-10m
    .venv/bin/python benchmarks/startup_check.py --passages 200000  # quicker to build

Builds (once, kept in ``--dir``) a gate with ``--passages`` passages (benchmarks/scan_latency.py's
builder). The first run has no verified marks: it runs the whole check once (services/health.py
``full=True``: ``quick_check`` of the whole file and every chain from its first record), which
records them, and prints how long that took (``--mark-heads``: the built file's heads are taken
as verified instead, to measure the incremental check without waiting for the whole one). Then "one day": ``--day`` new passages appended to
the chain, and the start-up check as the gate runs it (health.check_database, incremental on a
file above 256 MB), timed over ``--runs`` runs — the first right after the day's records, the
others with nothing new. Target (issue 14): ≤ 2 s after a day of 20,000 records. Printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkpoint_app import paths  # noqa: E402
from checkpoint_app.db import chain  # noqa: E402
from checkpoint_app.services import health  # noqa: E402
from checkpoint_app.services.context import open_gate, system_clock  # noqa: E402
from scan_latency import append_passages, build  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=10_000_000)
    ap.add_argument("--households", type=int, default=2000)
    ap.add_argument("--day", type=int, default=20_000, help="records added since the last check")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/i14c-10m"))
    ap.add_argument("--mark-heads", action="store_true",
                    help="no marks yet: take the built file's heads as verified instead of the whole check first")
    args = ap.parse_args()
    db = paths.db_path(args.dir)
    if not db.exists():
        args.dir.mkdir(parents=True, exist_ok=True)
        build(args.dir, args.passages, args.households)
    ctx = open_gate(args.dir)
    conn = ctx.db.conn
    records = conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    size = db.stat().st_size / 2**20
    print(f"{records:,} records, {size:,.0f} MB ({args.dir}); load {os.getloadavg()[0]:.1f}")
    if not chain.read_marks(conn):
        if args.mark_heads:     # the builder's own file: its heads as verified (no minutes-long first check)
            heads = [chain.Mark(o, *conn.execute("SELECT origin_seq, chain_hash FROM journal WHERE origin = ? "
                                                 "ORDER BY origin_seq DESC LIMIT 1", (o,)).fetchone())
                     for o in chain.origins(conn)]
            conn.execute("BEGIN IMMEDIATE")
            chain.write_marks(conn, heads, datetime.now().isoformat(timespec="seconds"))
            conn.execute("COMMIT")
            print("  marks set at the built file's heads (--mark-heads), not checked")
        else:
            t = time.perf_counter()
            report = health.check_database(db, full=True)
            print(f"  whole check (no marks yet): {time.perf_counter() - t:7.1f} s   {report.state}")
    conn.execute("PRAGMA synchronous = OFF")
    last = conn.execute("SELECT max(at) FROM journal").fetchone()[0]
    start = max(system_clock() - timedelta(days=1), datetime.fromisoformat(last) + timedelta(seconds=1))
    t = time.perf_counter()
    append_passages(conn, ctx.gate.uid, args.day, start, 86400 * 0.9, seed=int(time.time()),
                    guards=("王师傅", "李师傅", "赵师傅"), denied_every=97)
    print(f"  one day: {args.day:,} passages appended in {time.perf_counter() - t:.1f} s")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ctx.close()
    for run in range(args.runs):
        t = time.perf_counter()
        report = health.check_database(db)
        took = time.perf_counter() - t
        what = f"after {args.day:,} new records" if run == 0 else "nothing new"
        print(f"  start-up check, incremental ({what}): {took:6.2f} s   {report.state}   target 2 s")


if __name__ == "__main__":
    main()
