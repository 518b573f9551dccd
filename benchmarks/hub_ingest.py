"""Benchmark: the PostgreSQL hub of the exchange (issue 15, DESIGN §8).

Targets: records pushed into the hub on loopback ≥ 20,000/s; a gate that was offline for 7 days
(140,000 records: about 20,000 a day) catches up in ≤ 10 s.

    .venv/bin/python benchmarks/hub_ingest.py [--records 140000] [--batch 20000]

Starts a private PostgreSQL server (durable defaults: fsync on) in a temporary folder, sets up
a site with this PC as its first gate and writes ``--records`` passages into it through
``db.records.append`` (real hashes and chains). A second gate joins from a join file. Then:
1. the first gate pushes everything (COPY into staging, chain checked in SQL, INSERT … ON
   CONFLICT DO NOTHING): records/s;
2. the second gate, offline all that time, pulls everything above its mark (checked again at
   the gate, written in one SQLite transaction per batch): the catch-up time;
3. a second push finds nothing to send (how long "nothing to do" costs).

Wall time on a shared machine says little, so each step also prints the CPU seconds it cost the
gate (this process, all threads) and the hub (its server process, from /proc).

    .venv/bin/python benchmarks/hub_ingest.py --scale [--days 4] [--per-day 500000] [--compounds 20]

The scaled run of "10 million records a day for 30 days in monthly partitions": ``--days``
consecutive days that cross a month end, ``--per-day`` records a day spread over ``--compounds``
compounds of 3 gates each, generated on the server (realistic canonical bytes and row hashes;
the chain hashes are random: this measures storage and queries, the chain check is measured
above). It prints the ingest rate, the bytes per record, the per-origin pull and the company
overview with their plans (EXPLAIN: which partitions are read) and the extrapolation to
10 M/day × 30 days; docs/scaling.md quotes it.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

# ``--code DIR``: measure another checkout's exchange (e.g. ``git archive main`` unpacked there)
# with these same steps, for a before/after comparison on the same machine.
_code = sys.argv[sys.argv.index("--code") + 1] if "--code" in sys.argv else str(Path(__file__).resolve().parents[1])
sys.path.insert(0, _code)

from checkpoint_app.db import records  # noqa: E402
from checkpoint_app.exchange import hub, join  # noqa: E402
from checkpoint_app.services.permissions import OPERATOR  # noqa: E402
from checkpoint_app.services.site import init_site  # noqa: E402
from tests.core_fixtures import FakeClock  # noqa: E402
from tests.pg_server import private_server  # noqa: E402


def fill(ctx, n: int) -> None:
    rng = random.Random(7)
    at = ctx.now()
    with ctx.db.write() as conn:
        for i in range(n):
            at += timedelta(seconds=4)
            records.append(conn, "passage", {
                "direction": rng.choice(("in", "out")), "pass_number": rng.randint(1, 6000), "pass_version": 1,
                "resident_uid": records.new_uid(), "household": f"{rng.randint(1, 40)}-{rng.randint(1, 4)}-"
                f"{rng.randint(1, 30)}0{rng.randint(1, 4)}", "temp_tenths": rng.randint(358, 372),
                "outcome": "allowed", "manual": 0, "guard": "李建国", "payload_excerpt": "CKP1.HXY01…"},
                origin=ctx.gate.uid, at=at)


def server_cpu(pg) -> float:
    """CPU seconds used so far by the server process serving ``pg`` (a server on this machine)."""
    pid = pg.info.backend_pid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Step:
    """Wall time, this process's CPU time and the server's CPU time of one step."""

    def __init__(self, pg) -> None:
        self.pg = pg

    def __enter__(self) -> Step:
        self.t, self.c, self.s = time.perf_counter(), time.process_time(), server_cpu(self.pg)
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.t
        self.gate = time.process_time() - self.c
        self.server = server_cpu(self.pg) - self.s

    def cpu(self) -> str:
        return f"CPU: gate {self.gate:.2f} s, hub {self.server:.2f} s"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=140_000)
    ap.add_argument("--batch", type=int, default=hub.BATCH)
    ap.add_argument("--scale", action="store_true", help="the scaled run of 10 M records a day (see above)")
    ap.add_argument("--days", type=int, default=4)
    ap.add_argument("--per-day", type=int, default=500_000)
    ap.add_argument("--compounds", type=int, default=20)
    ap.add_argument("--code", metavar="DIR", help="the checkout whose code is measured (default: this one)")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; code from {_code}")
    if args.scale:
        from hub_scale import scaled_run  # noqa: PLC0415 (beside this script)

        scaled_run(args.days, args.per_day, args.compounds, Step)
        return
    work = Path(tempfile.mkdtemp(prefix="hub-bench-"))
    clock = FakeClock()
    first = init_site(work / "south", site_code="HXY01", site_name="和谐苑小区", gate_name="南门", clock=clock).acting_as(None, OPERATOR)
    file, code = join.export_join(first, "北门", work / "join.ckp")
    second = join.init_join(work / "north", file, code, clock=clock)
    t = time.perf_counter()
    fill(first, args.records)
    print(f"wrote {args.records:,} records into the gate in {time.perf_counter() - t:.1f} s")
    with private_server(durable=True) as new_database:
        url = new_database()
        with hub.connect(url) as pg:
            with Step(pg) as push:
                sent = hub.push(first, pg, batch=args.batch)
            print(f"push: {sent:,} records in {push.wall:.2f} s = {sent / push.wall:,.0f} records/s "
                  f"(target ≥ 20,000/s); {push.cpu()}: {sent / max(push.gate, push.server):,.0f} records/s "
                  f"when gate and hub each have a core")
            with Step(pg) as pull:
                result = hub.pull(second, pg, batch=args.batch)
            print(f"catch-up of a gate 7 days offline: {result.added:,} records pulled and applied in "
                  f"{pull.wall:.2f} s (target ≤ 10 s); {pull.cpu()}")
            with Step(pg) as again:
                nothing = hub.push(first, pg, batch=args.batch)
            print(f"second push: {nothing} records, {1000 * again.wall:.0f} ms")
    first.close()
    second.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
