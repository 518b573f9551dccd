"""The README's first command, as a newcomer runs it (the second one is this test run itself)."""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_run_app_with_demo_opens_the_gate_screen_on_demo_data(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    data = tmp_path / "data"
    r = subprocess.run([str(ROOT / "run-app.sh"), "--demo", "--data-dir", str(data), "--self-test"],
                       capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "demo compound created" in r.stdout
    report = json.loads(r.stdout.strip().splitlines()[-1])
    assert report["ok"] is True and report["site"] == "HXY01" and report["board_loaded"] is True
    assert (data / "checkpoint.sqlite3").stat().st_size > 100_000
