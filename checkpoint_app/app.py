"""``checkpoint-app``: the gate screen.

Start-up order matters at the gate. The ``QApplication`` and the scan capture come first, before
the database: a pass scanned while the window is still appearing is caught (by the main window
until its first paint, by the application-wide filter after) and served once the guard has signed
on. Then the window, one-app-per-folder, the database, fonts and language.

    checkpoint-app [--data-dir DIR] [--lang zh_CN|en] [--self-test]

``--self-test`` starts, opens the database (a throw-away site when the folder is not set up),
shows the gate screen, runs the start-up check, checks fonts, translations and sounds, prints one
JSON line and exits 0 (1 on failure). Exit codes otherwise: 0 closed normally; 1 already running.

A folder that is not set up shows the set-up pages; a damaged one the health page with the
restore (ui/start_flow.py). Neither is an exit: the guard is told on the screen.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from checkpoint_app import __version__, paths
from checkpoint_app import i18n as service_i18n

log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="checkpoint-app", description="Checkpoint (门岗通) gate screen")
    p.add_argument("--version", action="version", version=f"checkpoint-app {__version__}")
    p.add_argument("--data-dir", type=Path, help="data folder (default: user data dir, or $CHECKPOINT_DATA_DIR)")
    p.add_argument("--lang", choices=service_i18n.LANGUAGES, help="language of the screen (default: the site's setting)")
    p.add_argument("--self-test", action="store_true", help="start, open the database, show the gate screen, exit 0")
    p.add_argument("--no-sound", action="store_true", help="silence (for a demonstration)")
    p.add_argument("--audit", action="store_true",
                   help="the auditor's desk only: verify signed logs by registered site certificates, no site needed")
    p.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)  # benchmarks: print READY, quit
    p.add_argument("--report-scans", action="store_true", help=argparse.SUPPRESS)   # tests: scans, gate ready, guard, answers, records, health
    return p


def main(argv: list[str] | None = None) -> int:
    args, qt_args = _parser().parse_known_args(argv)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    if args.audit:  # no gate, no database: nothing to scan into
        from checkpoint_app import log as logsetup
        from checkpoint_app.ui.office import audit_desk
        from checkpoint_app.ui.shared import errors

        errors.install_excepthook()
        logsetup.configure(paths.log_dir(), file_name="checkpoint-audit.log")  # no data folder to name it after
        return audit_desk.run(app, args.lang)
    # First thing: catch scans, even before the database is open. Until the window's first paint
    # the main window hands its keys to the capture; then the application-wide filter takes over
    # (ui/gate/scan_capture.py says why not before).
    from checkpoint_app.ui.gate.scan_capture import ScanCapture

    early: list[str] = []
    capture = ScanCapture(app)
    capture.scanned.connect(early.append)
    if args.report_scans:
        capture.scanned.connect(lambda text: print(f"SCANNED {text}", flush=True))
    app.setApplicationName("Checkpoint")
    app.setApplicationVersion(__version__)
    from checkpoint_app.ui.shared import errors

    errors.install_excepthook()
    try:
        return _run(app, args, capture, early)
    finally:
        capture.uninstall(app)


def _run(app, args: argparse.Namespace, capture, early: list[str]) -> int:
    data_dir = args.data_dir or paths.default_data_dir()
    _log_data_dir[:] = [data_dir]      # each data folder has its own log file
    scratch = None
    if args.self_test and not paths.db_path(data_dir).exists():
        import tempfile

        scratch = tempfile.TemporaryDirectory(prefix="checkpoint-selftest-")
        data_dir = Path(scratch.name)
        _init_scratch_site(data_dir)
    from checkpoint_app.ui.shared.single_instance import SingleInstance

    single = SingleInstance(data_dir)
    if not single.acquire():
        shown = single.ask_first_to_show()
        message = _already_running_sentence(data_dir)
        _configure_logging()
        log.warning("second start refused for %s (first asked to show: %s)", data_dir, shown)
        print(message, file=sys.stderr)
        return 1
    try:
        return _gate(app, args, data_dir, capture, early, single)
    finally:
        single.release()
        if scratch is not None:
            scratch.cleanup()


def _gate(app, args, data_dir: Path, capture, early: list[str], single) -> int:
    """Show the window first (it catches scans already), then open the database and build the
    gate page behind it: the guard sees the app within a frame of a bare window."""
    from PySide6.QtCore import QTimer

    from checkpoint_app.ui import i18n
    from checkpoint_app.ui.shared import style
    from checkpoint_app.ui.main_window import MainWindow
    from checkpoint_app.ui.gate.sound import SoundPlayer

    lang = args.lang or _env_lang() or "zh_CN"
    style.apply(app, fallback_later=True)
    translators = i18n.install(app, lang)
    sound = SoundPlayer(enabled=not (args.no_sound or args.self_test or args.startup_probe))
    window = MainWindow(None, capture, sound=sound)
    if args.report_scans:
        window.pageShown.connect(lambda name: print(f"PAGE {name}", flush=True))
    state: dict = {"started": False, "lang": lang, "flow": None}

    def site_language(ctx) -> None:
        site_lang = args.lang or _env_lang() or ctx.settings.get("language") or "zh_CN"
        if site_lang != state["lang"]:
            i18n.uninstall(app, translators)
            translators[:] = i18n.install(app, site_lang)
            state["lang"] = site_lang

    def gate_ready(_ctx) -> None:
        if args.report_scans:
            print("GATE READY", flush=True)
            window.page.guardChanged.connect(lambda name: print(f"GUARD {name}", flush=True))
            window.page.scanAnswered.connect(lambda kind: print(f"ANSWER {kind}", flush=True))
            # after the commit: what the guard was told is recorded (tests/ui/test_app_with_cli.py)
            window.page.passageRecorded.connect(lambda r: print(f"RECORDED {r.passage_id}", flush=True))
        if args.startup_probe:
            window.page.banner.painted.connect(_once(_probe("READY", window)))
        if args.self_test:
            QTimer.singleShot(0, lambda: _self_test(app, window, state, capture, translators))

    def start() -> None:
        """After the first paint: what the window did not need to appear."""
        if state["started"]:
            return
        state["started"] = True
        capture.install(app)
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(paths.asset("icons", "checkpoint.png"))))
        _hold_logging()
        QTimer.singleShot(AFTER_START_MS, _configure_logging)
        style.add_fallback_fonts(app)
        from checkpoint_app.ui.start_flow import StartFlow

        # From here on the flow routes scans: kept for the gate page until it exists.
        capture.scanned.disconnect(early.append)
        probing = args.self_test or args.startup_probe
        flow = state["flow"] = StartFlow(window, data_dir, early_scans=early, checks=not args.startup_probe,
                                         upkeep=not probing, first_run_pages=not probing)
        flow.before_attach = site_language
        flow.gateReady.connect(gate_ready)
        if args.report_scans:
            flow.healthChecked.connect(lambda report: print(f"HEALTH {report.state}", flush=True))
        single.activated.connect(window.bring_to_front)
        QTimer.singleShot(AFTER_START_MS, single.listen)   # after the gate screen: a second start
        # meanwhile is refused all the same (the lock file), it only cannot bring this one forward
        flow.start()

    # The database is opened once the window has been painted (or after 200 ms if it never is,
    # e.g. started minimised).
    window.boot_banner.painted.connect(_once(lambda: QTimer.singleShot(0, start)))
    QTimer.singleShot(200, start)
    if args.startup_probe:
        window.boot_banner.painted.connect(_once(_probe("WINDOW")))
    if args.self_test:   # never wait for ever (a set-up page, a damaged file): say so and fail
        QTimer.singleShot(SELF_TEST_DEADLINE_MS, lambda: _self_test_stuck(app, window, state))
        # A scanner typing while the window appears: caught before its first paint.
        _post_scan(window, "CP1SELFTESTBEFOREPAINT0000000")
        window.boot_banner.painted.connect(_once(lambda: state.__setitem__("scans_at_paint", capture.scans_seen)))
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        window.resize(1366, 768)
        window.show()
    else:
        window.showMaximized()
    window.activateWindow()   # the keyboard (the scanner) goes to the gate window from the start
    code = app.exec()
    if state["started"]:
        _configure_logging()    # what was held, if the app closed within the first second
    i18n.uninstall(app, translators)
    if state["flow"] is not None:
        state["flow"].close()
    return code


SELF_TEST_DEADLINE_MS = 60_000


def _self_test_stuck(app, window, state) -> None:
    if window.page is not None:
        return                      # the self-test proper is running (it has its own deadline)
    import json

    flow = state["flow"]
    page = type(flow.page).__name__ if flow is not None and flow.page is not None else None
    print(json.dumps({"ok": False, "problems": [f"the gate screen did not open (showing {page})"],
                      "health": flow.report.state if flow is not None and flow.report else None}), flush=True)
    window.confirmed_close()
    app.exit(1)


def _probe(word: str, window=None):
    """Benchmarks: print a word at a paint; after READY, quit."""
    def probe() -> None:
        print(word, flush=True)
        if window is not None:
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, window.confirmed_close)
    return probe


def _once(fn):
    """A slot that acts on its first call only (``Qt.ConnectionType.SingleShotConnection`` would
    import PySide6's ``Qt`` namespace, ~25 ms, before the first paint)."""
    done = []

    def slot(*_args) -> None:
        if not done:
            done.append(True)
            fn()
    return slot


_logging_configured: list[bool] = []
_log_data_dir: list[Path] = []


def _log_file() -> Path:
    """Asked after the first paint: it may import platformdirs."""
    return paths.log_file(_log_data_dir[0] if _log_data_dir else None)
AFTER_START_MS = 1000   # the log file and the single-instance listener wait this long after the paint


def _hold_logging() -> None:
    """Records kept in memory until the log file is made (checkpoint_app/log.py)."""
    from checkpoint_app import log as logsetup

    logsetup.hold(lambda: _log_file().parent, file_name=lambda: _log_file().name)


def _configure_logging() -> None:
    """The rotating log file; a second after the first paint (``logging.handlers`` is slow to
    import, and the gate screen comes first)."""
    if not _logging_configured:
        _logging_configured.append(True)
        from checkpoint_app import log as logsetup

        log_file = _log_file()
        logsetup.configure(log_file.parent, file_name=log_file.name)


def _env_lang() -> str | None:
    env = os.environ.get("CHECKPOINT_LANG", "")
    return "en" if env.lower().startswith("en") else ("zh_CN" if env else None)


def _already_running_sentence(data_dir: Path) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("app", "门岗通已在运行（数据目录 {dir}），已切换到已打开的窗口。").format(dir=data_dir)


def _init_scratch_site(data_dir: Path) -> None:
    from checkpoint_app.services.site import init_site

    import secrets

    from checkpoint_app.services import users

    ctx = init_site(data_dir, site_code="SELFTEST", site_name="自检小区", gate_name="自检门岗")
    try:   # a set-up gate (else the first-run pages would wait for an admin)
        users.add_first_user(ctx, "自检管理员", "admin", secrets.token_urlsafe(12))
    finally:
        ctx.close()


def _self_test(app, window, state, capture, translators) -> None:
    """Check what a bundle can get wrong: fonts, translations, sounds, the database, the scan path."""
    from PySide6.QtCore import QTimer

    from checkpoint_app.paths import asset, asset_dir
    from checkpoint_app.ui.shared import style
    from checkpoint_app.ui.i18n import qm_path

    import json

    flow, lang = state["flow"], state["lang"]
    started = time.perf_counter()
    report: dict = {"version": __version__, "frozen": bool(getattr(sys, "frozen", False)),
                    "assets": str(asset_dir()), "language": lang}
    problems: list[str] = []
    families = style.register_fonts()
    report["fonts"] = families
    if style.MAIN_FAMILY not in families:
        problems.append("bundled CJK font not registered")
    report["translations"] = [p.name for p in sorted((asset_dir() / "i18n").glob("*.qm"))]
    if not qm_path("en").exists():
        problems.append(f"{qm_path('en')} missing")
    report["qt_translators"] = len(translators)
    sounds = [n for n in ("allowed", "flagged", "denied", "fever", "scan_again") if asset("sounds", f"{n}.wav").exists()]
    if len(sounds) != 5:
        problems.append("sounds missing")
    report["sound_backend"] = window.page.sound.backend
    from checkpoint_app.ui.gate.camera_panel import camera_support, video_inputs

    why_not = camera_support()
    report["camera_scanning"] = "ok" if why_not is None else why_not
    report["cameras"] = len(video_inputs())
    if why_not is not None and report["frozen"]:
        problems.append(f"webcam scanning cannot load: {why_not}")   # a bundle missing QtMultimedia
    # The office's pages load when a manager first opens them: a bundle without QtPdf or
    # QtPrintSupport would fail only then, at the office, so they are loaded here.
    import importlib

    office = []
    for module in ("checkpoint_app.ui.office.shell", "checkpoint_app.ui.office.passes_page", "PySide6.QtPrintSupport"):
        try:
            importlib.import_module(module)
        except ImportError as err:
            office.append(str(err))
    report["office_pages"] = "ok" if not office else office
    problems += [f"an office page cannot load: {why}" for why in office]
    report["site"] = window.ctx.site.code
    report["scan_before_paint"] = state.get("scans_at_paint", 0) >= 1
    if not report["scan_before_paint"]:
        problems.append("a scan typed while the window appeared was not caught")
    # A scan "typed" by a scanner (fast keys + Enter) must be caught by the application filter.
    before = capture.scans_seen
    _post_scan(window, "CP1SELFTESTNOTAPASS0000000000")
    report["window"] = [window.width(), window.height(), window.isVisible()]
    if not window.isVisible():
        problems.append("window not visible")
    if window.grab().isNull():
        problems.append("window cannot be drawn")

    def finish() -> None:
        board = window.page.board.board if window.page is not None else None
        report["scan_capture"] = capture.scans_seen > before
        if capture.scans_seen <= before:
            problems.append("a simulated scan was not caught")
        report["board_loaded"] = board is not None
        if board is None:
            problems.append("board did not load")
        report["health"] = flow.report.state if flow.report is not None else None
        if flow.report is None or not flow.report.ok:
            problems.append(f"start-up check: {flow.report.message if flow.report else 'did not finish'}")
        report["problems"] = problems
        report["ok"] = not problems
        report["self_test_ms"] = round((time.perf_counter() - started) * 1000)
        print(json.dumps(report, ensure_ascii=False), flush=True)
        window.confirmed_close()
        app.exit(0 if not problems else 1)

    deadline = time.perf_counter() + 10

    def wait_board() -> None:
        loaded = window.page is None or window.page.board.board is not None
        if (loaded and flow.report is not None) or time.perf_counter() > deadline:
            finish()
        else:
            QTimer.singleShot(50, wait_board)

    wait_board()


def _post_scan(window, text: str) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    target = window.windowHandle() or window
    stamp = 1_000
    for ch in text + "\r":
        key = Qt.Key.Key_Return if ch == "\r" else (ord(ch.upper()) if ch.isalnum() else 0)
        ev = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, ch if ch != "\r" else "\r")
        ev.setTimestamp(stamp)
        stamp += 6
        QCoreApplication.postEvent(target, ev)


if __name__ == "__main__":
    sys.exit(main())
