"""Gate screen figures (DESIGN §7), printed, not asserted:

1. Enter key → banner painted, with 10 million passages in the file: p50 / p99 over 1,000 scans
   (target p99 ≤ 20 ms);
2. cold start to ready-to-scan, next to a bare PySide6 window started the same way on the same
   machine (target ≤ 1.5 × the bare window, and ≤ 1.5 s);
3. resident memory after the 1,000 scans (target ≤ 200 MB).

    .venv/bin/python benchmarks/gate_latency.py [--passages 10000000] [--scans 1000] [--dir /tmp/checkpoint-bench]

The 10 M file is built once (and kept in ``--dir``, outside the repository): a real site, roster
and passes made through the services, then a year of passages appended in big transactions with
their real row and chain hashes (``db.records``), so ``checkpoint verify-db`` accepts the file;
the passage indexes are dropped during the fill and rebuilt after, as a bulk load should. The fill
time is printed.

The latency run drives the real window offscreen: scanner keys (6 ms apart) and Enter are posted
to the window, a temperature is typed, and the Enter key event is posted; the time runs from
posting that Enter until the banner's ``paintEvent`` has finished (``Banner.painted_at``). The
board refreshes in its thread meanwhile, as at a busy gate.

Two cold-start figures, both timed from process spawn to a word on stdout, median of 15
interleaved runs:

- **ready to scan** (``WINDOW``): the window's first paint. From then on a scan is caught: until
  that paint the main window hands its keys to the scan capture, after it the application-wide
  filter does (ui/scan_capture.py). A scan caught then is answered once the database is open and a
  guard has signed on (a gate that starts has nobody signed on yet).
- **gate screen with the database open** (``READY``): the first paint of the gate page's banner,
  the sign-on panel up and the board loading in its thread.

The bare window is a ``QWidget`` shown at 1366×768 that prints at its first paint.

``--xvfb``: both on a real X server (Xvfb, Qt's xcb plugin) instead of the offscreen platform.

``--bytecode``: both run from compiled bytecode (a cache in a temporary folder, through
``PYTHONPYCACHEPREFIX``), as a PyInstaller bundle does. Without it, a shell with
``PYTHONDONTWRITEBYTECODE=1`` and no ``__pycache__`` compiles every module of the app at each
start (~25 ms here), which the bare window, having no modules, never pays.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from checkpoint_app import paths  # noqa: E402
from checkpoint_app.db import records  # noqa: E402

GUARD, PIN = "基准值班员", "2580"

_loop = None


def _LOOP():  # noqa: N802
    """One QEventLoop to pump events with. Not QCoreApplication.processEvents(): in PySide6 6.12
    that static call (and QTest.qWait) drops a reference to None on every call, and a long loop of
    them crashes the interpreter ("none_dealloc")."""
    global _loop
    if _loop is None:
        from PySide6.QtCore import QEventLoop

        _loop = QEventLoop()
    return _loop

HOUSEHOLDS = 1200
BARE_WINDOW = r"""
import sys
from PySide6.QtWidgets import QApplication, QWidget
class W(QWidget):
    done = False
    def paintEvent(self, e):
        super().paintEvent(e)
        if not W.done:
            W.done = True
            print("READY", flush=True)
            QApplication.instance().quit()
app = QApplication(sys.argv)
w = W(); w.resize(1366, 768); w.show()
app.exec()
"""


# -- the 10 M file --------------------------------------------------------------------------------
def _roster_csv(path: Path, rng: random.Random) -> None:
    from checkpoint_app.domain.identity import make_id_number
    from checkpoint_app.services.demo import GIVEN, SURNAMES

    lines = ["楼栋,单元,房号,姓名,电话,身份证号,类型,状态,隔离至"]
    seen = set()
    for i in range(HOUSEHOLDS):
        building, unit, floor, door = 1 + i // 48, 1 + (i // 24) % 2, 1 + (i // 2) % 12, 1 + i % 2
        names = set()
        for m in range(rng.choice((1, 2, 2, 3))):
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            if name in names:
                continue
            names.add(name)
            idn = make_id_number("110105", date(rng.randint(1950, 2010), rng.randint(1, 12), rng.randint(1, 28)),
                                 rng.randint(1, 999))
            if idn in seen:
                continue
            seen.add(idn)
            lines.append(f"{building},{unit},{floor:02d}0{door},{name},1{rng.choice('3589')}{rng.randint(0, 10**9 - 1):09d},"
                         f"{idn},{'户主' if m == 0 else '家属'},正常,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _uid(ms: int, n: int) -> str:
    """UUIDv7 layout like records.new_uid, time-ordered by the passage time (unique by ``n``)."""
    rand = int.from_bytes(hashlib.blake2b(n.to_bytes(8, "big"), digest_size=10).digest(), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | (0x7 << 76) | (rand >> 4 & ((1 << 12) - 1)) << 64 \
        | (0b10 << 62) | (rand & ((1 << 62) - 1))
    return f"{value:032x}"


def build_file(folder: Path, passages: int) -> Path:
    """A site with ~2,800 residents and ``passages`` passages over the last year."""
    from checkpoint_app.db import schema
    from checkpoint_app.services import passes, residents, users
    from checkpoint_app.services.site import init_site

    data = folder / f"gate-{passages}"
    marker = data / "filled.json"
    if marker.exists():
        info = json.loads(marker.read_text())
        print(f"file: {paths.db_path(data)} ({info['passages']:,} passages, filled in {info['fill_s']:.0f} s earlier)")
        return data
    if data.exists():
        import shutil

        shutil.rmtree(data)
    started = time.perf_counter()
    rng = random.Random(7)
    ctx = init_site(data, site_code="BENCH1", site_name="基准小区", gate_name="东门")
    ctx.user = "基准"
    roster = folder / "bench-roster.csv"
    _roster_csv(roster, rng)
    residents.import_roster(ctx, roster)
    passes.issue_passes(ctx, all_residents=True, valid_days=3000)
    users.add_user(ctx, GUARD, "guard", PIN)
    people = ctx.db.conn.execute(
        "SELECT r.uid, h.label, p.number FROM residents r JOIN households h ON h.id = r.household_id "
        "JOIN passes p ON p.resident_id = r.id AND p.status = 'active'").fetchall()
    origin = ctx.gate.uid
    conn = ctx.db.conn
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")
    passage_indexes = [sql for sql in schema._RECORD_INDEXES if " ON passages(" in sql]
    for sql in passage_indexes:
        conn.execute(f"DROP INDEX IF EXISTS {sql.split()[2]}")
    seq, chain = records.head(conn, origin)
    end = datetime.combine(date.today(), datetime.min.time()).astimezone()   # up to last midnight
    start = end - timedelta(days=365)
    span_ms = int((end - start).total_seconds() * 1000)
    step = span_ms / passages
    columns = schema.RECORD_TABLES["passage"][1]
    direction = {}
    batch_j, batch_p = [], []
    t0 = time.perf_counter()
    base_ms = int(start.timestamp() * 1000)
    tz = start.tzinfo
    for i in range(passages):
        ms = base_ms + int(i * step)
        at = datetime.fromtimestamp(ms / 1000, tz)
        at_text = at.isoformat(timespec="milliseconds")
        uid_r, household, number = people[rng.randrange(len(people))]
        d = "in" if direction.get(uid_r) == "out" else "out"
        direction[uid_r] = d
        temp = rng.choice((360, 362, 364, 365, 366, 368))
        fields = {"direction": d, "pass_number": number, "pass_version": 1, "resident_uid": uid_r,
                  "household": household, "temp_tenths": temp, "outcome": "allowed", "reason": "ok",
                  "reasons": "ok", "manual": 0, "guard": "值班员", "payload_excerpt": None}
        seq += 1
        uid = _uid(ms, i)
        rh = records.row_hash(records.canonical_bytes("passage", origin, seq, uid, at_text, fields))
        chain = records.chain_hash(chain, rh)
        batch_j.append((origin, seq, uid, "passage", at_text, rh, chain))
        batch_p.append((uid, at_text, at_text[:10], *[fields[c] for c in columns]))
        if len(batch_j) == 200_000 or i == passages - 1:
            with ctx.db.write() as w:
                w.executemany("INSERT INTO journal (origin, origin_seq, uid, kind, at, row_hash, chain_hash) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)", batch_j)
                w.executemany(f"INSERT INTO passages (uid, at, day, {', '.join(columns)}) "
                              f"VALUES ({', '.join('?' * (len(columns) + 3))})", batch_p)
            batch_j.clear()
            batch_p.clear()
            done = i + 1
            rate = done / (time.perf_counter() - t0)
            print(f"\r  {done:,} passages, {rate:,.0f}/s, ~{(passages - done) / rate:.0f} s left   ", end="", flush=True)
    print()
    t_idx = time.perf_counter()
    for sql in passage_indexes:
        conn.execute(sql)
    conn.execute("ANALYZE")
    print(f"  indexes rebuilt in {time.perf_counter() - t_idx:.0f} s")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ctx.close()
    roster.unlink()
    fill_s = time.perf_counter() - started
    size = paths.db_path(data).stat().st_size
    marker.write_text(json.dumps({"passages": passages, "fill_s": fill_s, "bytes": size}))
    print(f"file: {paths.db_path(data)} ({passages:,} passages, {size / 1e9:.1f} GB), filled in {fill_s:.0f} s")
    return data


# -- Enter → banner --------------------------------------------------------------------------------
class BenchClock:
    """Starts after the newest record (earlier runs wrote some) and moves 20 s per resident."""

    def __init__(self, newest: str | None) -> None:
        start = datetime.now().astimezone().replace(hour=6, minute=0, second=0, microsecond=0)
        if newest:
            start = max(start, datetime.fromisoformat(newest) + timedelta(minutes=1))
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def rss_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_latency(data: Path, scans: int) -> dict:
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from checkpoint_app.services.context import open_gate
    from checkpoint_app.ui import i18n
    from checkpoint_app.ui.shared import style
    from checkpoint_app.ui.main_window import MainWindow
    from checkpoint_app.ui.gate.scan_capture import ScanCapture
    from checkpoint_app.ui.gate.sound import SoundPlayer

    app = QApplication.instance() or QApplication([])
    style.apply(app)
    translators = i18n.install(app, "zh_CN")
    ctx = open_gate(data)
    newest = ctx.db.conn.execute("SELECT max(at) FROM journal").fetchone()[0]
    ctx.close()
    clock = BenchClock(newest)
    ctx = open_gate(data, clock=clock)
    cards = [r[0] for r in ctx.db.conn.execute("SELECT payload FROM passes WHERE status = 'active' ORDER BY number")]
    capture = ScanCapture(app)
    capture.install(app)
    window = MainWindow(ctx, capture, sound=SoundPlayer(enabled=False))
    window.resize(1366, 768)
    window.show()
    page = window.page

    def spin(until, timeout=30.0) -> None:
        deadline = time.perf_counter() + timeout
        while not until():
            _LOOP().processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            if time.perf_counter() > deadline:
                raise TimeoutError("the gate screen did not answer")

    spin(lambda: page.board.board is not None, timeout=120)
    page.sign_on_panel.name.setEditText(GUARD)
    page.sign_on_panel.pin.setText(PIN)
    page.sign_on_panel.submit.click()
    spin(lambda: page.signed_on)
    target = window.windowHandle()
    stamp = [1000]

    def post(key: int, text: str, gap: int) -> None:
        stamp[0] += gap
        ev = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text)
        ev.setTimestamp(stamp[0])
        QCoreApplication.postEvent(target, ev)

    rng = random.Random(3)
    latencies: list[float] = []
    answers = [0]
    page.scanAnswered.connect(lambda _kind: answers.__setitem__(0, answers[0] + 1))
    board_refreshes = [0]
    page.board.updated.connect(lambda: board_refreshes.__setitem__(0, board_refreshes[0] + 1))
    rss_start = rss_mb()
    t_run = time.perf_counter()
    for i in range(scans):
        clock.now += timedelta(seconds=20)
        card = cards[rng.randrange(len(cards))]
        for j, ch in enumerate(card):
            post(ord(ch.upper()) if ch.isalnum() else 0, ch, 800 if j == 0 else 6)
        before = answers[0]
        post(Qt.Key.Key_Return, "\r", 6)
        spin(lambda before=before: answers[0] > before)
        if page.current is None:
            if i < 3:
                print(f"  scan {i}: {page.banner.kind} {page.banner.text()}")
            continue
        for ch in rng.choice(("365", "364", "366", "36.5")):
            post(ord(ch) if ch.isdigit() else Qt.Key.Key_Period, ch, 170)
        painted = page.banner.paint_count
        t0 = time.perf_counter()
        post(Qt.Key.Key_Return, "\r", 170)
        spin(lambda painted=painted: page.banner.paint_count > painted and page.current is None)
        latencies.append((page.banner.painted_at - t0) * 1000)
        # A few milliseconds of idle loop between residents, as at a real gate.
        end = time.perf_counter() + 0.005
        while time.perf_counter() < end:
            _LOOP().processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 2)
    run_s = time.perf_counter() - t_run
    spin(lambda: True)
    rss_end = rss_mb()
    window.confirmed_close()
    capture.uninstall(app)
    i18n.uninstall(app, translators)
    ctx.close()
    latencies.sort()
    return {"n": len(latencies), "p50": statistics.median(latencies),
            "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)], "max": latencies[-1],
            "mean": statistics.fmean(latencies), "run_s": run_s, "board_refreshes": board_refreshes[0],
            "rss_start_mb": rss_start, "rss_mb": rss_end}


# -- cold start ------------------------------------------------------------------------------------
CHILD_ENV: dict[str, str] = {}     # --bytecode sets the cache folder here
PLATFORM = ["offscreen"]           # --xvfb: "xcb", on a private X server
XVFB: list[subprocess.Popen] = []


def _start_xvfb() -> None:
    """A private X server (Xvfb picks the display number); stopped when the benchmark exits."""
    read, write = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        CHILD_ENV["DISPLAY"] = ":" + f.readline().strip()
    XVFB.append(proc)
    PLATFORM[0] = "xcb"


def _words(cmd: list[str]) -> dict[str, float]:
    """Seconds from spawning ``cmd`` to each word it prints (WINDOW, READY)."""
    env = dict(os.environ, QT_QPA_PLATFORM=PLATFORM[0], **CHILD_ENV)
    if CHILD_ENV:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True, cwd=ROOT)
    seen: dict[str, float] = {}
    for line in proc.stdout:
        seen[line.strip()] = time.perf_counter() - t0
        if line.strip() == "READY":
            break
    proc.wait(timeout=60)
    if "READY" not in seen:
        raise RuntimeError(f"{cmd} failed: {proc.stderr.read()[-2000:]}")
    return seen


def time_to_ready(commands: dict[str, list[str]], runs: int = 15) -> dict[str, dict[str, list[float]]]:
    """Runs the commands in turn (interleaved, so a busy moment of the machine hits both)."""
    out: dict[str, dict[str, list[float]]] = {name: {} for name in commands}
    for cmd in commands.values():   # warm the file cache and the .pyc files first
        _words(cmd)
    for _ in range(runs):
        for name, cmd in commands.items():
            for word, t in _words(cmd).items():
                out[name].setdefault(word, []).append(t)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--passages", type=int, default=10_000_000)
    p.add_argument("--scans", type=int, default=1000)
    p.add_argument("--dir", type=Path, default=Path("/tmp/checkpoint-bench"))
    p.add_argument("--skip-latency", action="store_true")
    p.add_argument("--skip-start", action="store_true")
    p.add_argument("--bytecode", action="store_true", help="cold start from compiled bytecode (as bundled)")
    p.add_argument("--xvfb", action="store_true", help="cold start on a real X server (Xvfb, xcb), not offscreen")
    args = p.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    data = build_file(args.dir, args.passages)
    if not args.skip_start and args.bytecode:
        import tempfile

        cache = tempfile.mkdtemp(prefix="checkpoint-pycache-")
        CHILD_ENV["PYTHONPYCACHEPREFIX"] = cache
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "checkpoint_app")], check=True,
                       env={k: v for k, v in dict(os.environ, PYTHONPYCACHEPREFIX=cache).items()
                            if k != "PYTHONDONTWRITEBYTECODE"}, stdout=subprocess.DEVNULL)
        print(f"bytecode: compiled into {cache} (and the bare window's imports cached there on its first run)")
    if not args.skip_start and args.xvfb:
        _start_xvfb()
        print(f"platform: xcb on Xvfb {CHILD_ENV['DISPLAY']}")
    if not args.skip_start:
        runs = lambda ts: ", ".join(f"{t * 1000:.0f}" for t in ts)  # noqa: E731
        times = time_to_ready({
            "bare": [sys.executable, "-c", BARE_WINDOW],
            "gate": [sys.executable, "-m", "checkpoint_app", "--data-dir", str(data), "--startup-probe"]})
        bare, gate = times["bare"]["READY"], times["gate"]
        b = statistics.median(bare)
        w, g = statistics.median(gate["WINDOW"]), statistics.median(gate["READY"])
        print(f"cold start, bare PySide6 window painted      : median {b * 1000:4.0f} ms  (runs: {runs(bare)})")
        print(f"cold start, gate window painted, catching scans: median {w * 1000:4.0f} ms  "
              f"= {w / b:.2f} × bare  (runs: {runs(gate['WINDOW'])})")
        print(f"cold start, gate screen with database open     : median {g * 1000:4.0f} ms  "
              f"= {g / b:.2f} × bare  (runs: {runs(gate['READY'])})")
        print("  (targets: ≤ 1.5 × the bare window and ≤ 1,500 ms)")
    if not args.skip_latency:
        r = measure_latency(data, args.scans)
        print(f"Enter → banner painted, {r['n']} scans, {args.passages:,} passages in the file: "
              f"p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, max {r['max']:.1f} ms, mean {r['mean']:.1f} ms "
              f"(target p99 ≤ 20 ms)")
        print(f"  {r['run_s']:.0f} s for the run, {r['board_refreshes']} board refreshes meanwhile")
        print(f"resident memory: {r['rss_start_mb']:.0f} MB after start, {r['rss_mb']:.0f} MB after {r['n']} scans "
              f"(target ≤ 200 MB)")
    sys.stdout.flush()
    for proc in XVFB:
        proc.terminate()
    os._exit(0)   # skip the final GC of Qt wrappers at exit (PySide6 can crash in it)


if __name__ == "__main__":
    main()
