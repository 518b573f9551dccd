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
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=140_000)
    ap.add_argument("--batch", type=int, default=hub.BATCH)
    args = ap.parse_args()
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
            t = time.perf_counter()
            sent = hub.push(first, pg, batch=args.batch)
            push = time.perf_counter() - t
            print(f"push: {sent:,} records in {push:.2f} s = {sent / push:,.0f} records/s (target ≥ 20,000/s)")
            t = time.perf_counter()
            result = hub.pull(second, pg, batch=args.batch)
            pull = time.perf_counter() - t
            print(f"catch-up of a gate 7 days offline: {result.added:,} records pulled and applied in {pull:.2f} s "
                  f"(target ≤ 10 s)")
            t = time.perf_counter()
            again = hub.push(first, pg, batch=args.batch)
            print(f"second push: {again} records, {1000 * (time.perf_counter() - t):.0f} ms")
    first.close()
    second.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
