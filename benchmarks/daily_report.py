"""Benchmark: the signed daily logs of a 10,000-passage day; time and peak memory.

Target (DESIGN §7): the daily log of a 10,000-passage day in ≤ 2.5 s and ≤ 300 MB.

    .venv/bin/python benchmarks/daily_report.py [--passages 10000] [--dir DIR] [--out DIR]

Builds (once, in a child process; kept in /tmp) a data folder with a site of 2,500
households (about 6,000 residents) and one day holding ``--passages`` passages (a realistic
mix: late returns, observation, fevers, refused forged and revoked cards, each refusal and
fever with its incident), visitors with personal data, disinfection rounds against a plan,
three handovers and a few corrections. Records go in through ``db.records.append`` in one
transaction, so hashes and chains are real.

Then it runs ``services.daily_logs.daily_report`` (all six PDFs: read, lay out, sign) twice in
this process: the first run includes importing reportlab and pyHanko and loading the fonts
(what a fresh ``checkpoint report daily`` pays), the second is what the GUI pays at the end of
each further day; then ``compound_logs`` of the same day (issue 15: the whole compound's six logs,
with a gate column). It prints the breakdown of the second run, the peak RSS, and, for the ratio,
the time of a plain reportlab document of the same passages as one platypus ``Table``
(``repeatRows=1``, no page frame, no signature).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checkpoint_app import paths  # noqa: E402
from checkpoint_app.services.context import open_gate, system_clock  # noqa: E402

GUARDS = ("李建国", "王海波", "张伟")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(data_dir: Path, n_passages: int, day: date, households: int = 2500) -> None:
    from checkpoint_app.db import records
    from checkpoint_app.domain.identity import make_id_number
    from checkpoint_app.domain.passcode import encode_pass, generate_keypair
    from checkpoint_app.services import disinfection, passes, residents
    from checkpoint_app.services.demo import AREAS, PLACES, PURPOSES
    from checkpoint_app.services.demo import _name as demo_name
    from checkpoint_app.services.site import init_site

    t0 = time.perf_counter()
    tz = system_clock().tzinfo
    clock = {"now": datetime.combine(day - timedelta(days=1), datetime.min.time(), tz)}
    ctx = init_site(data_dir, site_code="BENCH1", site_name="基准花园小区", gate_name="南门",
                    clock=lambda: clock["now"]).acting_as("物业管理员", "operator")
    rng = random.Random(11)
    rows = ["楼栋,单元,房号,姓名"]
    specials = iter(["李𠮷祥", "陈䶮", "阿依古丽·买买提艾力", "欧阳娜娜"])
    for i in range(households):
        names = {demo_name(rng) for _ in range(2 + i % 2)}
        if i % 600 == 5:
            names.add(next(specials, "张伟"))
        rows += [f"{1 + i // 100},{1 + (i // 50) % 2},{100 + i % 50},{n}" for n in sorted(names)]
    roster = data_dir / "roster.csv"
    roster.write_text("\n".join(rows) + "\n", encoding="utf-8")
    residents.import_roster(ctx, roster)
    for area, per_day in AREAS:
        disinfection.set_plan(ctx, area, per_day)
    issued = passes.issue_passes(ctx, all_residents=True)
    people = ctx.db.conn.execute(
        "SELECT r.uid, h.label, r.name FROM residents r JOIN households h ON h.id = r.household_id "
        "ORDER BY r.id").fetchall()
    card = {p.name + p.household: p for p in issued}
    print(f"site: {len(people)} residents with passes, {time.perf_counter() - t0:.1f} s", flush=True)

    conn = ctx.db.conn
    conn.execute("PRAGMA synchronous = OFF")
    origin = ctx.gate.uid
    start = datetime.combine(day, datetime.min.time(), tz)
    state = [0] * len(people)
    out_now: list[int] = []
    forger = generate_keypair()[0]
    incidents = []
    t1 = time.perf_counter()
    conn.execute("BEGIN")

    def add(kind: str, at: datetime, fields: dict) -> str:
        return records.append(conn, kind, fields, origin=origin, at=at).uid

    # the day's events in time order: passages, visitors, rounds, handovers
    events: list[tuple[datetime, str, int]] = []
    for i in range(n_passages):
        events.append((start + timedelta(seconds=6 * 3600 + i * (16 * 3600 / n_passages)), "p", i))
    for i in range(max(8, n_passages // 200)):
        events.append((start + timedelta(hours=8, minutes=rng.randint(0, 660)), "v", i))
    for area, per_day in AREAS:
        for k in range(per_day - (1 if area == "垃圾站" else 0)):  # one round missed
            events.append((start + timedelta(hours=7 + 5 * k, minutes=rng.randint(0, 50)), "d",
                           AREAS.index((area, per_day))))
    for h in (0, 8, 16):
        events.append((start + timedelta(hours=h, seconds=30), "h", h))
    events.sort()
    visitor_uids = []
    for at, kind, i in events:
        guard = GUARDS[at.hour // 8 % 3]
        if kind == "p":
            # outings come back: the later in the day, the likelier the next passage is a return
            if out_now and (at.hour >= 20 or rng.random() < min(0.9, len(out_now) / 400)):
                k = out_now.pop(rng.randrange(len(out_now)))
            else:
                k = rng.randrange(len(people))
                while state[k]:
                    k = rng.randrange(len(people))
            uid_r, label, name = people[k]
            p = card[name + label]
            direction = "out" if state[k] == 0 else "in"
            temp = 360 + rng.randrange(10)
            outcome, reasons = "allowed", ["ok"]
            r = rng.random()
            if r < 0.004:
                temp, outcome, reasons = 378, "flagged", ["fever"]
            elif r < 0.05:
                outcome, reasons = "flagged", ["late_return" if direction == "in" else "observation"]
            elif r < 0.056:
                outcome, reasons = "denied", ["forged"]
            elif r < 0.058:
                outcome, reasons = "denied", ["revoked"]
            fields = {"direction": direction, "pass_number": p.number, "pass_version": p.version,
                      "resident_uid": uid_r, "household": label, "temp_tenths": temp,
                      "outcome": outcome, "reason": reasons[0], "reasons": ",".join(reasons),
                      "manual": 0, "guard": guard}
            if reasons == ["forged"]:
                payload = encode_pass("BENCH1", rng.randint(1, 99999), 1, 1, forger)
                fields.update(pass_number=None, pass_version=None, resident_uid=None,
                              household=None, payload_excerpt=payload[:64])
            elif outcome != "denied":
                state[k] ^= 1
                if state[k]:
                    out_now.append(k)
            elif direction == "in":
                out_now.append(k)  # refused at the door: still out, tries again later
            uid = add("passage", at, fields)
            if reasons[0] in ("fever", "forged", "revoked"):
                incidents.append(add("incident", at, {"category": reasons[0], "subject_uid": uid,
                                                      "reason": ",".join(reasons),
                                                      "recorded_by": guard}))
        elif kind == "v":
            salt = os.urandom(16)
            birth = date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
            personal = {"name": demo_name(rng), "phone": f"13{rng.randint(0, 999999999):09d}",
                        "id_number": make_id_number("110105", birth, rng.randint(1, 999))}
            uid = add("visitor_in", at, {
                "purpose": rng.choice(PURPOSES), "host_household": people[rng.randrange(len(people))][1],
                "from_place": rng.choice(PLACES), "health_code": "green", "temp_tenths": 365,
                "outcome": "allowed", "reason": "ok", "reasons": "ok", "watch_hit": 0, "guard": guard,
                "personal_hash": records.personal_hash(salt, personal)})
            conn.execute("INSERT INTO visitor_personal (uid, salt, name, phone, id_number) "
                         "VALUES (?, ?, ?, ?, ?)", (uid, salt, personal["name"], personal["phone"],
                                                    personal["id_number"]))
            visitor_uids.append((uid, at))
        elif kind == "d":
            area = AREAS[i][0]
            add("disinfection", at, {"area": area, "agent": "含氯消毒剂", "concentration": "500",
                                     "contact_minutes": 30, "method": "spray", "operator": "赵保洁",
                                     "checker": "孙主管", "recorded_by": "物业管理员"})
        else:
            add("handover", at, {"from_guard": GUARDS[(i // 8 - 1) % 3], "to_guard": GUARDS[i // 8 % 3],
                                 "shift_start": (at - timedelta(hours=8)).isoformat(timespec="milliseconds"),
                                 "shift_end": at.isoformat(timespec="milliseconds"),
                                 "counts": json.dumps({"in": 300, "out": 310, "flagged": 12, "denied": 3,
                                                       "fever": 1, "visitors": 4}),
                                 "open_alerts": "[]", "notes": "设备正常"})
    late = start + timedelta(hours=22)
    for uid, at in visitor_uids[: len(visitor_uids) - 2]:
        add("visitor_out", at + timedelta(minutes=40), {"entry_uid": uid, "guard": "张伟"})
    for n, uid in enumerate(incidents[:10]):
        add("incident_followup", late + timedelta(minutes=n), {"incident_uid": uid, "note": "已核实并登记",
                                                             "closed": 1, "recorded_by": "孙主管"})
    some = [r[0] for r in conn.execute("SELECT uid FROM passages WHERE day = ? LIMIT 3", (day.isoformat(),))]
    add("amendment", late + timedelta(minutes=30), {"target_uid": some[0], "action": "amend",
                                                    "reason": "录入错误", "changes": '{"temp_tenths":366}',
                                                    "recorded_by": "物业管理员"})
    add("amendment", late + timedelta(minutes=31), {"target_uid": some[1], "action": "void",
                                                    "reason": "重复登记", "recorded_by": "物业管理员"})
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    ctx.close()
    print(f"day {day}: {n_passages:,} passages and the rest in {time.perf_counter() - t1:.1f} s",
          flush=True)


def plain_reportlab(rows: list[list[str]], header: list[str], out: Path) -> float:
    """One platypus Table of all the rows, header repeated: the straightforward way."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from checkpoint_app.reports.fonts import MAIN_FONT, font_set

    font_set()
    t = time.perf_counter()
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm)
    table = Table([header, *rows], repeatRows=1, style=TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), MAIN_FONT), ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.25, "#B8BEC6")]))
    doc.build([table])
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passages", type=int, default=10_000)
    ap.add_argument("--dir", type=Path, default=None, help="data folder to build or reuse")
    ap.add_argument("--out", type=Path, default=None, help="keep the PDFs in this folder")
    ap.add_argument("--no-plain", action="store_true", help="skip the plain reportlab comparison")
    ap.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    day = system_clock().date() - timedelta(days=1)
    data_dir = args.dir or Path(tempfile.gettempdir()) / f"checkpoint-daily-{args.passages}"
    marker = data_dir / "bench-day.txt"
    if paths.db_path(data_dir).exists() and marker.exists():
        day = date.fromisoformat(marker.read_text().strip())
        print(f"reusing {data_dir} (day {day})")
    elif args.build_only:
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        build(data_dir, args.passages, day)
        marker.write_text(day.isoformat())
        return 0
    else:
        # built in a child process, so that the peak memory printed below is the report's
        subprocess.run([sys.executable, __file__, "--build-only", "--passages", str(args.passages),
                        "--dir", str(data_dir)], check=True)
        day = date.fromisoformat(marker.read_text().strip())
    if args.build_only:
        return 0

    from checkpoint_app import i18n
    i18n.set_language("zh_CN")
    rss0 = _rss_mb()
    ctx = open_gate(data_dir).acting_as(None, "operator")
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="daily-report-"))
    try:
        from checkpoint_app.services import daily_logs, verification

        t = time.perf_counter()
        files = daily_logs.daily_report(ctx, day, out_dir)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        files = daily_logs.daily_report(ctx, day, out_dir)
        warm = time.perf_counter() - t
        rss = _rss_mb()
        t = time.perf_counter()   # issue 15: the same day as the whole compound's logs (a gate column)
        daily_logs.compound_logs(ctx, day, out_dir / "compound")
        compound_s = time.perf_counter() - t
        breakdown = _breakdown(ctx, day, out_dir)
        check_t = time.perf_counter()
        check = verification.verify_document(ctx, files[1])
        verify_s = time.perf_counter() - check_t
        sizes = {f.name.rsplit("_", 1)[-1]: f.stat().st_size for f in files}
        passages = ctx.db.conn.execute("SELECT count(*) FROM passages WHERE day = ?",
                                       (day.isoformat(),)).fetchone()[0]
    finally:
        ctx.close()

    print(f"daily logs of {day}: {passages:,} passages, {len(files)} signed PDFs "
          f"({', '.join(f'{k[:-4]} {v / 1e3:.0f} kB' for k, v in sizes.items())})")
    print(f"daily_report, first run in this process (imports, fonts): {cold:.2f} s")
    print(f"daily_report, second run: {warm:.2f} s  (target <= 2.5 s)")
    for name, seconds in breakdown:
        print(f"  {name:<28} {seconds:.2f} s")
    print(f"peak RSS: {rss:.0f} MB (before: {rss0:.0f} MB)  (target <= 300 MB)")
    print(f"compound_logs of the same day (every gate's rows, a gate column): {compound_s:.2f} s")
    print(f"verify the passages PDF: {verify_s:.2f} s, authentic={check.ok}")
    if not args.no_plain:
        from checkpoint_app.db import report_repo
        from checkpoint_app.reports import daily_log

        ctx = open_gate(data_dir).acting_as(None, "operator")
        with ctx.db.read() as conn:
            data = report_repo.read_day(conn, site_code=ctx.site.code, site_name=ctx.site.name,
                                        gate_id=ctx.gate.uid, gate_name=ctx.gate.name, day=day,
                                        cut_off=datetime.combine(day, datetime.max.time()))
        ctx.close()
        header, rows = daily_log.passage_table_rows(data)
        seconds = plain_reportlab(rows, header, out_dir / "plain.pdf")
        ours = dict(breakdown)["render passages"]
        print(f"plain reportlab, one Table of the same {len(rows):,} rows (unsigned, no frame): "
              f"{seconds:.2f} s; our passages log renders in {ours:.2f} s "
              f"(plain / ours = {seconds / ours:.1f}x)")
    if args.out is None:
        shutil.rmtree(out_dir, ignore_errors=True)
    return 0


def _breakdown(ctx, day: date, out_dir: Path) -> list[tuple[str, float]]:
    """The steps of daily_report timed one by one (same functions, same order)."""
    from checkpoint_app.db import report_repo
    from checkpoint_app.db.connection import connect
    from checkpoint_app.reports.daily_log import LOG_KINDS, render_log
    from checkpoint_app.services import daily_logs, signed_pdf

    steps = []
    t = time.perf_counter()
    conn = connect(ctx.db.path)
    conn.execute("BEGIN")
    pki = signed_pdf.pki_from(conn, need_key=True)
    cp, text = daily_logs.make_checkpoint(conn, ctx, day)
    end = datetime.combine(day, datetime.max.time(), tzinfo=ctx.now().tzinfo)
    data = report_repo.read_day(conn, site_code=ctx.site.code, site_name=ctx.site.name,
                                gate_id=ctx.gate.uid, gate_name=ctx.gate.name, day=day,
                                cut_off=end, outing_limit_minutes=ctx.rules.outing_limit_minutes)
    conn.execute("COMMIT")
    conn.close()
    steps.append(("read (SQL, one snapshot)", time.perf_counter() - t))
    for kind in LOG_KINDS:
        out = out_dir / f"bd-{kind}.pdf"
        t = time.perf_counter()
        render_log(kind, data, cp, text, out, generated_by="bench", generated_at=ctx.now())
        steps.append((f"render {kind}", time.perf_counter() - t))
        t = time.perf_counter()
        signed_pdf.sign(out, out, pki, reason=kind, location="bench")
        steps.append((f"sign {kind}", time.perf_counter() - t))
    return steps


if __name__ == "__main__":
    raise SystemExit(main())
