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


def test_the_rollout_guide_starts_the_bundles_program_and_names_the_folders_the_app_really_uses(monkeypatch):
    """docs/rollout.md: its autostart entry and systemd unit start the program build.spec makes,
    and its table of folders is what paths.py and the backup service use (Linux and Windows)."""
    import configparser
    import re

    import platformdirs.windows

    from checkpoint_app import paths
    from checkpoint_app.services import backup
    from checkpoint_app.ui.office.passes_page import CARDS_SUBDIR

    guide = (ROOT / "docs" / "rollout.md").read_text(encoding="utf-8")
    assert "docs/rollout.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    desktop, unit = re.findall(r"```ini\n(.*?)```", guide, re.S)
    entries = []
    for text in (desktop, unit):
        ini = configparser.ConfigParser(interpolation=None, strict=True)
        ini.optionxform = str
        ini.read_string(text)
        entries.append(ini)
    assert entries[0]["Desktop Entry"]["Type"] == "Application"
    assert entries[0]["Desktop Entry"]["Exec"] == entries[1]["Service"]["ExecStart"] == "/opt/checkpoint/checkpoint-app"
    assert entries[1]["Install"]["WantedBy"] == "graphical-session.target"
    assert 'name="checkpoint-app"' in (ROOT / "build.spec").read_text(encoding="utf-8")
    assert r"C:\Checkpoint\checkpoint-app.exe" in guide

    for name in ("CHECKPOINT_DATA_DIR", "CHECKPOINT_LOG_DIR", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", "/home/gate")
    assert str(paths.default_data_dir()) == "/home/gate/.local/share/Checkpoint"
    assert str(paths.log_dir()) == "/home/gate/.local/state/Checkpoint/log"
    assert "`~/.local/share/Checkpoint/`" in guide and "`~/.local/state/Checkpoint/log/`" in guide
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda csidl: {"CSIDL_LOCAL_APPDATA": "%LOCALAPPDATA%"}[csidl])
    windows = platformdirs.windows.Windows(appname="Checkpoint", appauthor=False)
    assert windows.user_data_dir.replace("/", "\\") == "%LOCALAPPDATA%\\Checkpoint"
    assert windows.user_log_dir.replace("/", "\\") == "%LOCALAPPDATA%\\Checkpoint\\Logs"
    assert "`%LOCALAPPDATA%\\Checkpoint\\`" in guide and "`%LOCALAPPDATA%\\Checkpoint\\Logs\\`" in guide
    assert f"`<data folder>/{backup.BACKUP_SUBDIR}/`" in guide and f"`<that folder>/{backup.SECOND_SUBDIR}/`" in guide
    assert f"`<data folder>/{CARDS_SUBDIR}/`" in guide and paths.DB_FILENAME in guide
    assert paths.log_file(Path("/home/gate/.local/share/Checkpoint")).name.startswith("checkpoint-Checkpoint-")
