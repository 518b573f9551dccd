"""Benchmark: what the cross-gate rules cost when records arrive (issue 15 item 5).

    .venv/bin/python benchmarks/arrival_rules.py [--records 20000] [--residents 6000] [--repeat 3]

A site of two gates. The south gate writes ``--records`` passages of ``--residents`` people (one
day at a busy compound: about 20,000); the north gate, joined from it, has let the same people
through that day too (its own ``--records`` passages). Then north applies south's records in one
batch, as a pull or a USB import does, with the conflict check on (anti-passback and a household
quota across gates: services/incidents.py) and off. Prints the seconds of each and the incidents
raised. Both runs start from the same copy of north.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checkpoint_app import paths  # noqa: E402
from checkpoint_app.db import records  # noqa: E402
from checkpoint_app.exchange import join, merge  # noqa: E402
from checkpoint_app.services import site  # noqa: E402
from checkpoint_app.services.context import open_gate  # noqa: E402
from checkpoint_app.services.permissions import OPERATOR  # noqa: E402
from tests.core_fixtures import FakeClock  # noqa: E402


def fill(ctx, n: int, people: list[tuple[str, str]], seed: int) -> None:
    rng = random.Random(seed)
    at = ctx.now()
    with ctx.db.write() as conn:
        for _i in range(n):
            at += timedelta(seconds=4)
            resident, household = rng.choice(people)
            records.append(conn, "passage", {
                "direction": rng.choice(("in", "out")), "pass_number": 1, "pass_version": 1, "resident_uid": resident,
                "household": household, "temp_tenths": 365, "outcome": "allowed", "reasons": "",
                "manual": 0, "guard": "李建国"}, origin=ctx.gate.uid, at=at)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=20_000)
    ap.add_argument("--residents", type=int, default=6_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="arrival-bench-"))
    try:
        rng = random.Random(1)
        people = [(records.new_uid(), f"{rng.randint(1, 40)}-{rng.randint(1, 4)}-{rng.randint(1, 30)}0{rng.randint(1, 4)}")
                  for _i in range(args.residents)]
        south = site.init_site(work / "south", site_code="HXY01", site_name="和谐苑小区", gate_name="南门",
                               clock=FakeClock()).acting_as(None, OPERATOR)
        site.set_setting(south, "quota_exits", "3")
        file, code = join.export_join(south, "北门", work / "north.ckp")
        north = join.init_join(work / "north", file, code, clock=FakeClock()).acting_as(None, OPERATOR)
        fill(south, args.records, people, seed=2)
        fill(north, args.records, people, seed=3)
        wires = merge.read_range(south.db.conn, south.gate.uid, 0)
        north.close()
        for _r in range(args.repeat):
            for check in (False, True):
                copy = work / f"copy-{check}"
                shutil.rmtree(copy, ignore_errors=True)
                copy.mkdir()
                src = sqlite3.connect(paths.db_path(work / "north"))
                dst = sqlite3.connect(paths.db_path(copy))
                src.backup(dst)
                src.close()
                dst.close()
                ctx = open_gate(copy)
                t = time.perf_counter()
                with ctx.db.write() as conn:
                    result = merge.apply(conn, wires, source="bench", at=ctx.now().isoformat(timespec="seconds"),
                                         check_rules=check)
                seconds = time.perf_counter() - t
                ctx.close()
                print(f"apply {result.added:,} records, conflict check {'on ' if check else 'off'}: "
                      f"{seconds:.2f} s, {len(result.incidents)} incidents raised")
        south.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
