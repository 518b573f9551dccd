"""The records page on a big file: first rows, a filtered query, the jump to the end.

    .venv/bin/python benchmarks/records_browser.py                    # 10 M passages, /tmp/i14c-10m
    .venv/bin/python benchmarks/records_browser.py --passages 200000  # quicker to build
    .venv/bin/python benchmarks/records_browser.py --dir /tmp/bench10m --readonly   # someone else's file

Builds (once, kept in ``--dir``) a gate with ``--passages`` passages (benchmarks/scan_latency.py's
builder). Offscreen, a manager's office: "first rows" is from showing the office (whose first
page, the residents, starts reading the roster) and opening the records page to its first page
(records_model.FIRST_PAGE rows, a screenful and more) in the table (read in the background, handed to the lazy model), over ``--opens``
runs; "jump to the end" is from the button to the last page in the table; "filtered query" is
one page (200 rows) of services/records_browser.py for a mix of filters — a household, a
building-unit, a person, a guard, refusals, a kind, a date range, and the page after a key deep
in the list — timed over ``--queries`` queries (the service, as the page's background job runs it).
Targets (issue 14): first rows ≤ 300 ms, filtered p99 ≤ 100 ms, jump to the end ≤ 300 ms.
Printed, not asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from checkpoint_app import paths  # noqa: E402
from checkpoint_app.services import users  # noqa: E402
from checkpoint_app.services.context import open_gate  # noqa: E402
from checkpoint_app.services.records_browser import RecordFilter, page  # noqa: E402
from checkpoint_app.ui.shared import style  # noqa: E402
from checkpoint_app.ui.office.shell import OfficeShell  # noqa: E402
from office_pages import pct, wait  # noqa: E402
from scan_latency import build  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--passages", type=int, default=10_000_000)
    ap.add_argument("--households", type=int, default=2000)
    ap.add_argument("--opens", type=int, default=10)
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/i14c-10m"))
    ap.add_argument("--readonly", action="store_true",
                    help="open an existing file read-only (someone else's: no benchmark user is added)")
    args = ap.parse_args()
    if not paths.db_path(args.dir).exists():
        args.dir.mkdir(parents=True, exist_ok=True)
        build(args.dir, args.passages, args.households)
    app = QApplication.instance() or QApplication([])
    style.apply(app)
    ctx = open_gate(args.dir, readonly=args.readonly)
    if not args.readonly and not any(u.name == "基准经理" for u in users.list_users(ctx)):
        users.add_user(ctx.acting_as(None, "operator"), "基准经理", "manager", "bench-manager-1")
    manager = ctx.acting_as("基准经理", "manager")
    conn = ctx.db.conn
    n = conn.execute("SELECT max(rowid) FROM passages").fetchone()[0]

    opens, ends = [], []
    for i in range(args.opens):
        shell = OfficeShell(manager)
        shell.resize(1366, 700)
        t = time.perf_counter()
        shell.show()
        records = shell.open("records")
        wait(records.model.pageLoaded)
        opens.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        records.last_button.click()
        wait(records.model.pageLoaded)
        ends.append((time.perf_counter() - t) * 1000)
        assert records.model.rows and not records.model.more_after
        shell.shutdown()
        shell.deleteLater()
        app.processEvents()

    rng = random.Random(11)
    labels = [r[0] for r in conn.execute("SELECT label FROM households")]
    people = [r[0] for r in conn.execute("SELECT name FROM residents")]
    guards = [r[0] for r in conn.execute("SELECT DISTINCT guard FROM passages WHERE rowid > ?", (n - 50_000,))]
    first, last = (date.fromisoformat(d[:10]) for d in conn.execute("SELECT min(at), max(at) FROM journal").fetchone())
    span = (last - first).days
    deep = conn.execute("SELECT at, uid FROM passages WHERE rowid = ?", (n // 2,)).fetchone()
    kinds = {"household": lambda: (RecordFilter(household=rng.choice(labels)), None),
             "building-unit": lambda: (RecordFilter(household=rng.choice(labels).rsplit("-", 1)[0]), None),
             "person": lambda: (RecordFilter(person=rng.choice(people)), None),
             "guard": lambda: (RecordFilter(guard=rng.choice(guards)), None),
             "refused": lambda: (RecordFilter(outcome="denied"), None),
             "kind": lambda: (RecordFilter(kinds=(rng.choice(["pass_issue", "disinfection", "amendment"]),)), None),
             "date range": lambda: (RecordFilter(day_from=first + timedelta(days=rng.randrange(span + 1)),
                                                 day_to=first + timedelta(days=rng.randrange(span + 1)) + timedelta(days=3)),
                                    None),
             "after a key": lambda: (RecordFilter(), tuple(deep))}
    timings: dict[str, list[float]] = {k: [] for k in kinds}
    for i in range(args.queries):
        name = list(kinds)[i % len(kinds)]
        f, after = kinds[name]()
        t = time.perf_counter()
        page(manager, f, after=after, limit=200)
        timings[name].append((time.perf_counter() - t) * 1000)
    ctx.close()
    every = sorted(x for ts in timings.values() for x in ts)
    print(f"{n:,} passages ({args.dir}); load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"  first rows (page opened)  p50 {pct(opens, .5):6.1f} ms   max {max(opens):6.1f} ms   ({len(opens)} opens)"
          "   target 300 ms")
    print(f"  jump to the end           p50 {pct(ends, .5):6.1f} ms   max {max(ends):6.1f} ms   ({len(ends)} jumps)"
          "   target 300 ms")
    print(f"  filtered query (200 rows) p50 {pct(every, .5):6.1f} ms   p99 {pct(every, .99):6.1f} ms   "
          f"max {every[-1]:6.1f} ms   ({len(every)} queries)   target p99 100 ms")
    for name, ts in timings.items():
        print(f"    {name:<14} p50 {pct(ts, .5):6.1f} ms   p99 {pct(ts, .99):6.1f} ms   max {max(ts):6.1f} ms")


if __name__ == "__main__":
    main()
