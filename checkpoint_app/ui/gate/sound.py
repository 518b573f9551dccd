"""Sounds at the gate: a distinct one for refusals and for fevers, never a dialog.

Why not QtMultimedia: PySide6-Essentials has no QtMultimedia; PySide6-Addons would bring it
(``QSoundEffect``) at the cost of roughly 200 MB more in the bundle (FFmpeg and the other Add-on
modules) for playing four short WAV files. The well-known small Python players are unmaintained
(simpleaudio) or pull native builds. So the platform plays them:

- Windows (the gate PCs): ``winsound.PlaySound`` from the standard library, asynchronous; a new
  sound cuts the previous one;
- Linux: ``paplay`` / ``pw-play`` / ``aplay`` as a child process, if one is installed; macOS:
  ``afplay``;
- otherwise ``QApplication.beep()``.

The WAV files are tones made with the standard library's ``wave`` (``python -m
checkpoint_app.ui.gate.sound --build`` writes them into ``assets/sounds``; they are committed, 100 KB
in all). Playing never blocks the GUI thread and never raises: a missing sound card must not stop
the gate.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import shutil
import struct
import sys
from pathlib import Path

from checkpoint_app.paths import asset

log = logging.getLogger(__name__)

RATE = 22050
# name: list of (frequency Hz or 0 for silence, milliseconds); volumes kept below clipping.
TONES: dict[str, tuple[float, list[tuple[float, int]]]] = {
    "allowed": (0.35, [(1047, 90)]),
    "flagged": (0.5, [(784, 120), (0, 70), (784, 120)]),
    "denied": (0.6, [(330, 180), (0, 60), (330, 180), (0, 60), (330, 260)]),
    "fever": (0.6, [(1200, 140), (800, 140), (1200, 140), (800, 140), (1200, 140), (800, 200)]),
    "scan_again": (0.35, [(523, 60), (0, 40), (523, 60)]),
}


def _samples(volume: float, parts: list[tuple[float, int]], *, harsh: bool) -> bytes:
    out = bytearray()
    for freq, ms in parts:
        n = RATE * ms // 1000
        fade = min(n // 4, RATE // 200)  # 5 ms ramps: no clicks
        for i in range(n):
            if freq == 0:
                value = 0.0
            else:
                phase = 2 * math.pi * freq * i / RATE
                value = math.sin(phase)
                if harsh:  # odd harmonics: a buzzer, unmistakable for a refusal
                    value = 0.7 * value + 0.2 * math.sin(3 * phase) + 0.1 * math.sin(5 * phase)
            ramp = min(1.0, i / fade if fade else 1.0, (n - i) / fade if fade else 1.0)
            out += struct.pack("<h", int(32767 * volume * ramp * value))
    return bytes(out)


def make_sounds(folder: Path | None = None) -> list[Path]:
    folder = folder or asset("sounds")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (volume, parts) in TONES.items():
        path = folder / f"{name}.wav"
        import wave

        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(_samples(volume, parts, harsh=name == "denied"))
        written.append(path)
    return written


class SoundPlayer:
    """Plays the gate's sounds without waiting; ``played`` keeps what was asked (tests read it)."""

    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.played: list[str] = []
        self._child = None       # the player process of the sound playing now
        self._command = self._find_player() if enabled else None

    @staticmethod
    def _find_player() -> list[str] | None:
        if sys.platform == "win32":
            return ["winsound"]
        if sys.platform == "darwin":
            return ["afplay"] if shutil.which("afplay") else None
        for cmd in (["paplay"], ["pw-play"], ["aplay", "-q"]):
            if shutil.which(cmd[0]):
                return cmd
        return None

    @property
    def backend(self) -> str:
        return self._command[0] if self._command else ("beep" if self.enabled else "off")

    def play(self, name: str) -> None:
        self.played.append(name)
        if not self.enabled:
            return
        path = asset("sounds", f"{name}.wav")
        try:
            if self._command == ["winsound"]:
                import winsound

                winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT)
            elif self._command and path.exists():
                self._stop_child()
                import subprocess

                self._child = subprocess.Popen(self._command + [str(path)], stdin=subprocess.DEVNULL,
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                               close_fds=True)
            else:
                from PySide6.QtWidgets import QApplication

                QApplication.beep()
        except Exception:  # noqa: BLE001 — no sound is better than no gate
            log.warning("could not play %s", name, exc_info=True)

    def _stop_child(self) -> None:
        child, self._child = self._child, None
        if child is not None and child.poll() is None:
            child.kill()
        if child is not None:
            import subprocess

            try:
                child.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass

    def close(self) -> None:
        self._stop_child()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m checkpoint_app.ui.gate.sound")
    p.add_argument("--build", action="store_true", help="write the WAV tones into assets/sounds")
    p.add_argument("--play", metavar="NAME", help="play one sound (allowed, flagged, denied, fever, scan_again)")
    args = p.parse_args(argv)
    if args.build:
        for path in make_sounds():
            print(f"wrote {path} ({os.path.getsize(path)} bytes)")
    if args.play:
        player = SoundPlayer()
        player.play(args.play)
        if player._child:
            player._child.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
