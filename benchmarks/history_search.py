"""Search the passage history by household or name on the big file (DESIGN §7: ≤ 100 ms).

    .venv/bin/python benchmarks/history_search.py [--dir /tmp/checkpoint-bench-10000000]

Uses the file benchmarks/scan_latency.py builds (10 M passages). Prints p50/p99/max over a mix
of queries: one household, a building-unit prefix, a full name, a surname, pinyin initials.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checkpoint_app.services.context import open_gate  # noqa: E402
from checkpoint_app.services.history import search_history  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", type=Path, default=Path("/tmp/checkpoint-bench-10000000"))
    ap.add_argument("--queries", type=int, default=300)
    args = ap.parse_args()
    ctx = open_gate(args.dir)
    conn = ctx.db.conn
    n = conn.execute("SELECT count(*) FROM passages").fetchone()[0]
    rng = random.Random(9)
    labels = [r[0] for r in conn.execute("SELECT label FROM households")]
    people = [(r[0], r[1]) for r in conn.execute("SELECT name, name_initials FROM residents")]
    queries = []
    for i in range(args.queries):
        kind = i % 5
        label = rng.choice(labels)
        name, initials = rng.choice(people)
        queries.append((label, label.rsplit("-", 1)[0], name, name[0], initials)[kind])
    timings = {k: [] for k in ("household", "building-unit", "name", "surname", "initials")}
    for i, q in enumerate(queries):
        t = time.perf_counter()
        search_history(ctx, q, limit=200)
        timings[list(timings)[i % 5]].append((time.perf_counter() - t) * 1000)
    ctx.close()
    print(f"{n:,} passages; {args.queries} searches, first page of 200 rows, newest first")
    for kind, ts in timings.items():
        ts.sort()
        p50, p99 = ts[len(ts) // 2], ts[min(len(ts) - 1, round(len(ts) * 0.99))]
        print(f"  {kind:<14} p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   max {ts[-1]:6.1f} ms  ({len(ts)} searches)")
    print("target: 100 ms")


if __name__ == "__main__":
    main()
