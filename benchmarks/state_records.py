"""State records (issue 15): what a roster's changes cost as records, on the PC that makes them
and on a PC that applies them, and what the one-time baseline costs an office with many rows.

    .venv/bin/python benchmarks/state_records.py [--residents 10000] [--code DIR]

A site gets ``--residents`` residents from a roster file (each a ``resident`` record and a
status), a pass each, and then every tenth of them put under quarantine and every twentieth
freed again (records that supersede the ones before). Prints:
1. the import, the passes and the status changes on the PC that makes them (each change also
   looks up what it supersedes);
2. a PC rebuilt from those records alone (every record applied through the exchange, the state
   projected entity by entity, then made again from the records);
3. ``checkpoint site baseline`` on that site: the state rebuilt inside a savepoint and compared
   with the tables (it finds nothing to write here: the time is what an office with this many
   rows waits, once).
``--code DIR`` measures another checkout (one from before a change), where it has the step.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--residents", type=int, default=10_000)
    ap.add_argument("--code", metavar="DIR", help="the checkout whose code is measured (default: this one)")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(args.code or Path(__file__).resolve().parent.parent).resolve()))
    import checkpoint_app
    from checkpoint_app.domain.identity import make_id_number
    from checkpoint_app.exchange import rebuild
    from checkpoint_app.services import passes, residents
    from checkpoint_app.services.demo import _name
    from checkpoint_app.services.site import init_site

    print(f"code from {Path(checkpoint_app.__file__).parent.parent}")
    with tempfile.TemporaryDirectory() as tmp:
        rng = random.Random(5)
        roster = Path(tmp) / "roster.csv"
        lines = ["楼栋,单元,房号,姓名,电话,身份证号,类型,状态,隔离至"]
        for i in range(args.residents):
            hh = i // 3
            idn = make_id_number("110105", date(1950 + i % 60, 1 + i % 12, 1 + i % 28), i % 1000)
            lines.append(f"{1 + hh // 100},{1 + (hh // 50) % 2},{100 + hh % 50},{_name(rng)},138{i:08d},{idn},"
                         f"{'户主' if i % 3 == 0 else '家属'},正常,")
        roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
        ctx = init_site(Path(tmp) / "data", site_code="BENCH3", site_name="基准", gate_name="门")
        ctx = ctx.acting_as("benchmark", "manager")
        t = time.perf_counter()
        residents.import_roster(ctx, roster)
        import_s = time.perf_counter() - t
        t = time.perf_counter()
        passes.issue_passes(ctx, all_residents=True)
        passes_s = time.perf_counter() - t
        people = residents.list_residents(ctx)
        until = ctx.now().date() + timedelta(days=14)
        t = time.perf_counter()
        for r in people[::10]:
            residents.set_status(ctx, r.id, "quarantine", until)
        for r in people[::20]:
            residents.set_status(ctx, r.id, "normal", reason="解除")
        status_s = time.perf_counter() - t
        n = ctx.db.conn.execute("SELECT count(*) FROM journal").fetchone()[0]
        print(f"import {args.residents} residents {import_s:.2f} s, passes {passes_s:.2f} s, "
              f"{len(people[::10]) + len(people[::20])} status changes {status_s:.2f} s ({n} records)")
        t, cpu = time.perf_counter(), time.process_time()
        rebuild.rebuild_into(ctx, Path(tmp) / "rebuilt")
        rebuilt_s, rebuilt_cpu = time.perf_counter() - t, time.process_time() - cpu
        print(f"a PC rebuilt from the {n} records: {rebuilt_s:.2f} s, CPU {rebuilt_cpu:.2f} s "
              f"({n / rebuilt_cpu:,.0f} records per CPU second)")
        if hasattr(rebuild, "write_baseline"):
            t, cpu = time.perf_counter(), time.process_time()
            written = rebuild.write_baseline(ctx.acting_as("benchmark", "admin"))
            print(f"site baseline on {args.residents} residents and their passes: {time.perf_counter() - t:.2f} s, "
                  f"CPU {time.process_time() - cpu:.2f} s (written: {written or 'nothing'})")
        ctx.close()


if __name__ == "__main__":
    main()
