"""Roster import of 5,000 residents from .xlsx, through the service (DESIGN §7: ≤ 5 s).

    .venv/bin/python benchmarks/roster_import.py [--residents 5000]

Prints the time to read and validate the file, what the import wizard does before it (read the
layout, preview every row), to import it into a fresh site, and to import the same file again
(which must change nothing).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl  # noqa: E402

from checkpoint_app.domain.identity import make_id_number  # noqa: E402
from checkpoint_app.services import residents  # noqa: E402
from checkpoint_app.services.demo import _name  # noqa: E402
from checkpoint_app.services.roster_file import inspect_roster, read_roster  # noqa: E402
from checkpoint_app.services.site import init_site  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--residents", type=int, default=5000)
    args = ap.parse_args()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["住户花名册"])
        ws.merge_cells("A1:I1")
        ws.append(["楼栋", "单元", "房号", "姓名", "电话", "身份证号", "类型", "状态", "隔离至"])
        for i in range(args.residents):
            hh = i // 3
            idn = make_id_number("110105", date(1950 + i % 60, 1 + i % 12, 1 + i % 28), i % 1000)
            ws.append([1 + hh // 100, 1 + (hh // 50) % 2, 100 + hh % 50, _name(rng),
                       f"138{i:08d}", idn, "户主" if i % 3 == 0 else "家属", "正常", None])
        wb.save(path)
        t = time.perf_counter()
        result = read_roster(path)
        read_s = time.perf_counter() - t
        ctx = init_site(Path(tmp) / "data", site_code="BENCH2", site_name="基准", gate_name="门")
        ctx = ctx.acting_as("benchmark", "manager")
        t = time.perf_counter()
        layout = inspect_roster(path)
        inspect_s = time.perf_counter() - t
        t = time.perf_counter()
        preview = residents.preview_roster(ctx, path)
        preview_s = time.perf_counter() - t
        t = time.perf_counter()
        first = residents.import_roster(ctx, path)
        first_s = time.perf_counter() - t
        t = time.perf_counter()
        again = residents.import_roster(ctx, path)
        again_s = time.perf_counter() - t
        ctx.close()
    print(f"read + validate {args.residents} rows: {read_s:.2f} s ({len(result.rows)} valid, {len(result.errors)} rejected)")
    print(f"wizard: sheet layout (header row {layout.header_row}) {inspect_s:.2f} s, preview of every row "
          f"{preview_s:.2f} s ({len(preview.outcomes)} rows)")
    print(f"import into a fresh site: {first_s:.2f} s  (households +{first.households}, residents +{first.residents}, "
          f"rejected {len(first.errors)})  target <= 5 s")
    print(f"import the same file again: {again_s:.2f} s  (unchanged {again.unchanged}, updated {again.updated})")


if __name__ == "__main__":
    main()
