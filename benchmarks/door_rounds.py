"""Benchmark: door rounds for 500 households under quarantine.

Targets (issue 16): the round sheets of 500 households in ≤ 3 s; entering one household's round
from its QR to saved in ≤ 50 ms (p99) on the service.

    .venv/bin/python benchmarks/door_rounds.py [--households 500] [--entries 300] [--keep DIR]

Set-up (not timed): a demo compound of ``--households`` households, every one of them put under
home quarantine as returnees (whole households). Then:
- sheets: ``home_documents.round_sheets`` end to end (reading today's round from the database,
  QR encoding, layout, writing the PDF), three runs, the slowest printed too;
- entry: for ``--entries`` households, the desk's path after a scan: ``household_from_qr`` (the
  scanned text to the household), ``today_round(household_id=…)`` (its people, as the page
  opens its row) and ``record_household`` (every person's temperature saved, one transaction).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checkpoint_app.services import door_rounds, home_documents, residents, returnees  # noqa: E402
from checkpoint_app.services.context import open_gate  # noqa: E402
from checkpoint_app.services.demo import make_demo  # noqa: E402
from checkpoint_app.services.permissions import OPERATOR  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--households", type=int, default=500)
    p.add_argument("--entries", type=int, default=300)
    p.add_argument("--keep", type=Path, help="keep the data folder and the sheets here")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="checkpoint-rounds-") as tmp:
        base = args.keep or Path(tmp)
        data = base / "data"
        t0 = time.perf_counter()
        make_demo(data, households=args.households, days=1)
        ctx = open_gate(data).acting_as("周经理", OPERATOR)
        returnees.set_risk_area(ctx, "武汉", "quarantine", 14)
        today = ctx.now().date()
        first = {}
        for r in residents.list_residents(ctx):
            first.setdefault(r.household_id, r)
        for i, r in enumerate(first.values()):
            returnees.register_returnee(ctx, resident_id=r.id, from_area="武汉",
                                        arrival=today - timedelta(days=i % 14), whole_household=True)
        rnd = door_rounds.today_round(ctx)
        people = sum(len(h.people) for h in rnd.households)
        print(f"set-up: {len(rnd.households)} households, {people} people under quarantine "
              f"({time.perf_counter() - t0:.1f} s)")

        times = []
        for run in range(3):
            t = time.perf_counter()
            out = home_documents.round_sheets(ctx, base / f"sheets-{run}.pdf")
            times.append(time.perf_counter() - t)
        print(f"round sheets, {len(rnd.households)} households ({out.stat().st_size // 1024} KiB): "
              f"best {min(times):.2f} s, slowest {max(times):.2f} s (target ≤ 3 s)")

        codes = [door_rounds.qr_payload(ctx.site.code, h.household_id) for h in rnd.households]
        lat = []
        for i in range(args.entries):
            code = codes[i % len(codes)]
            t = time.perf_counter()
            hid = door_rounds.household_from_qr(ctx, code)
            (row,) = door_rounds.today_round(ctx, household_id=hid).households
            door_rounds.record_household(ctx, hid, [door_rounds.Entry(p.resident_id, "36.6") for p in row.people],
                                         slot=0, checked_by="刘志愿")
            lat.append((time.perf_counter() - t) * 1000)
        lat.sort()
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        print(f"QR → saved, {len(lat)} households: p50 {statistics.median(lat):.1f} ms, "
              f"p99 {p99:.1f} ms, max {lat[-1]:.1f} ms (target p99 ≤ 50 ms)")
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
