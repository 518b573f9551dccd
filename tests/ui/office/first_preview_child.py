"""Run in a fresh interpreter by test_import_page.py: the app's window on a data folder, the
manager signs on, opens 导入名单, and the watchdog watches from the click on the file to the
preview shown. Nothing is imported beforehand but what the app itself imports, so the first
imports of what reading a roster needs (pypinyin's tables, openpyxl) happen as in the real app.
Prints one JSON line: the GUI thread's gaps and which of those modules were loaded when."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from tests.ui.office.conftest import Watchdog

SLOW_FIRST_IMPORTS = ("pypinyin", "openpyxl")


def _loaded() -> list[str]:
    return [m for m in SLOW_FIRST_IMPORTS if m in sys.modules]


def _wait(app, done, timeout_s: float) -> None:
    end = time.monotonic() + timeout_s
    while not done() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.002)
    if not done():
        raise TimeoutError("timed out")


class _Worst(Watchdog):
    """The watchdog, also keeping the longest time between two beats (for the report)."""
    worst = 0.0

    def _beat(self) -> None:
        if self._last is not None:
            self.worst = max(self.worst, time.perf_counter() - self._last)
        super()._beat()


def main(data_dir: str, roster: str, manager: str, password: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QFileDialog

    from checkpoint_app.services.context import open_gate
    from checkpoint_app.ui.gate.scan_capture import ScanCapture
    from checkpoint_app.ui.gate.sound import SoundPlayer
    from checkpoint_app.ui.main_window import MainWindow
    from checkpoint_app.ui.shared import style

    app = QApplication([sys.argv[0]])
    style.apply(app)
    capture = ScanCapture(app)
    ctx = open_gate(Path(data_dir))
    window = MainWindow(ctx, capture, sound=SoundPlayer(enabled=False))
    window.resize(1366, 768)
    window.show()
    _wait(app, lambda: window.page.camera_watch is not None, 20)
    at_start = _loaded()
    panel = window.page.sign_on_panel
    panel.name.setEditText(manager)
    panel.pin.setText(password)
    started = time.perf_counter()
    panel.submit.click()
    _wait(app, lambda: window.office is not None, 20)
    sign_on_ms = round((time.perf_counter() - started) * 1000)
    # The office loads them in a thread once on screen, while its user looks at the first page;
    # how long the GUI thread waited meanwhile is reported, the click comes after (as a person's).
    settling = _Worst()
    settling.start()
    _wait(app, lambda: not getattr(window.office, "warming_up", bool)(), 60)   # (the old code had none)
    settling.stop()
    page = window.office.open("import")
    shown = []
    page.previewed.connect(shown.append)
    QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (roster, ""))
    at_click = _loaded()
    dog = _Worst()
    dog.start()
    page.pick_button.click()
    _wait(app, lambda: bool(shown), 60)
    gaps = dog.stop()
    rows = len(page.model.outcomes)
    window.confirmed_close()
    ctx.close()
    print(json.dumps({"gaps_ms": [round(g * 1000) for g in gaps], "worst_ms": round(dog.worst * 1000),
                      "sign_on_ms": sign_on_ms,
                      "worst_warming_up_ms": round(settling.worst * 1000), "loaded_at_start": at_start,
                      "loaded_at_click": at_click, "loaded_after": _loaded(), "rows": rows}))


if __name__ == "__main__":
    main(*sys.argv[1:5])
