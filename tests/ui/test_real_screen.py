"""The gate app on a real X server (Xvfb), typed at by a real (XTEST) keyboard at scanner speed.

The other screen tests post Qt events to an offscreen window. Here the keys go through the X
server, Qt's xcb plugin and its key mapping, as a USB scanner's do on a Linux gate PC — the way a
bug hid that the posted events could not show: a scanner presses Shift before every capital
letter, and those Shift presses used to break every scan. The scans are typed from the moment the
window is mapped, while the app is still opening its database, half of them with Caps Lock on:
none may be lost.
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdotool")),
                                reason="Xvfb and xdotool are not installed (scripts/debian-packages.txt)")


@pytest.fixture
def xserver():
    """A private X server; its display number is chosen by Xvfb (-displayfd)."""
    read, write = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    assert number, "Xvfb did not start"
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(10)


def _xdotool(display: str, *args: str, timeout: float = 30) -> str:
    out = subprocess.run(["xdotool", *args], env=dict(os.environ, DISPLAY=display), capture_output=True,
                         text=True, timeout=timeout)
    return out.stdout


def test_scans_typed_while_the_app_starts_are_all_caught(xserver, gate_ctx):
    payloads = list(gate_ctx.cards.values())[:4] * 3       # twelve scans, some of the same pass
    env = dict(os.environ, DISPLAY=xserver, QT_QPA_PLATFORM="xcb", PYTHONDONTWRITEBYTECODE="1")
    app = subprocess.Popen([sys.executable, "-m", "checkpoint_app", "--data-dir", str(gate_ctx.data_dir),
                            "--no-sound", "--report-scans"], cwd=ROOT, env=env, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # Without a window manager nobody gives the new window the keyboard: app.py asks for it
        # (activateWindow), as it must on a gate PC where the app starts by itself.
        window = _xdotool(xserver, "search", "--sync", "--onlyvisible", "--pid", str(app.pid)).split()
        assert window, "the gate window did not appear"
        _xdotool(xserver, "mousemove", "5", "5")             # the pointer must not decide the focus
        half = len(payloads) // 2
        _xdotool(xserver, "type", "--delay", "6", "".join(p + "\n" for p in payloads[:half]), timeout=60)
        _xdotool(xserver, "key", "Caps_Lock")                  # the second half with Caps Lock on
        _xdotool(xserver, "type", "--delay", "6", "".join(p + "\n" for p in payloads[half:]), timeout=60)
        _xdotool(xserver, "key", "Caps_Lock")
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line.rstrip("\n")) for line in app.stdout], daemon=True).start()
        seen: list[str] = []
        deadline = time.monotonic() + 20
        while sum(line.startswith("SCANNED ") for line in seen) < len(payloads) and time.monotonic() < deadline:
            try:
                seen.append(lines.get(timeout=0.5))
            except queue.Empty:
                pass
        lines = seen
        scans = [line.removeprefix("SCANNED ") for line in lines if line.startswith("SCANNED ")]
        assert [s.upper() for s in scans] == payloads, \
            f"caught {len(scans)} of {len(payloads)} scans typed from the window's appearance"
        assert scans[half:] != payloads[half:]        # Caps Lock really flipped the letters (the pass
        # decoder ignores case: tests/domain and tests/ui/test_scan_capture.py)
        assert "GATE READY" in lines
    finally:
        app.terminate()
        try:
            app.wait(10)
        except subprocess.TimeoutExpired:
            app.kill()
