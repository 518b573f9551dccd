"""ui/shared/upkeep.py at a gate joined from the office (issue 15): after midnight the upkeep makes
yesterday's signed logs there too, signed by the gate's own certificate of the site CA."""

from __future__ import annotations

from datetime import timedelta

from checkpoint_app.reports.daily_log import LOG_KINDS
from checkpoint_app.reports.signing import verify_pdf_signature
from checkpoint_app.services import daily_logs, trust
from checkpoint_app.ui.shared.upkeep import upkeep_job
from tests.core_fixtures import FakeClock
from tests.exchange.conftest import _compound_template, compound, scan  # noqa: F401


def test_the_upkeep_at_a_joined_gate_makes_yesterdays_signed_logs(compound):  # noqa: F811
    office, north = compound.office, compound.gates[0]
    day = north.now().date()
    scan(north, compound.cards["张三"], "out")
    scan(north, compound.cards["张三"], "in")
    clock = FakeClock(north.now().replace(hour=7, minute=0) + timedelta(days=1))
    north.close()

    result = upkeep_job(north.data_dir, clock, "start", purge=False)
    assert result.daily_logs_error is None
    folder = daily_logs.day_folder(north.data_dir, day)
    assert result.daily_logs == folder
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == len(LOG_KINDS) and all("_北门_" in f.name for f in files)
    ca = trust.of_site(office).pem
    assert all((s := verify_pdf_signature(f, ca)).valid and s.signer.endswith("北门 文件签名") for f in files)


def test_the_upkeep_at_the_office_makes_the_compounds_logs_once_every_gate_is_past_midnight(compound, qtbot,  # noqa: F811
                                                                                              tmp_path):
    """Start and hourly: the whole compound's logs of yesterday wait for the gates still missing
    (the status bar names them), then are made once their records arrive (by USB file here)."""
    from checkpoint_app.exchange import usb
    from checkpoint_app.services.context import open_gate
    from checkpoint_app.ui.shared.upkeep import Upkeep

    office, gates = compound.office, compound.gates
    day = office.now().date()
    for ctx in gates:
        scan(ctx, compound.cards["张三"], "out")
        usb.import_file(office, usb.export_file(ctx, tmp_path / f"{ctx.gate.name}-1.db").path)
    data_dir = office.data_dir
    office.close()
    clock = FakeClock(office.now().replace(hour=7, minute=0) + timedelta(days=1))
    upkeep = Upkeep(data_dir, clock, jobs=None)

    result = upkeep_job(data_dir, clock, "start", purge=False)
    assert [(d.day, sorted(d.missing), d.made) for d in result.compound] == [(day, ["东门", "北门", "西门"], None)]
    with qtbot.waitSignal(upkeep.status) as said:
        upkeep._finished(result)
    level, text = said.args
    assert level == "ok" and f"全小区 {day} 的日志等待" in text and "东门、北门、西门" in text, text

    office = open_gate(data_dir, clock=clock)
    try:
        for ctx in gates:                             # the next morning every gate's file arrives
            ctx.clock.set(clock.now)
            scan(ctx, compound.cards["张三"], "in")
            usb.import_file(office, usb.export_file(ctx, tmp_path / f"{ctx.gate.name}-2.db").path)
    finally:
        office.close()
    clock.advance(hours=1)
    result = upkeep_job(data_dir, clock, "daily", purge=False)
    folder = daily_logs.day_folder(data_dir, day, compound=True)
    assert [(d.day, d.missing, d.made) for d in result.compound] == [(day, (), folder)]
    assert len(list(folder.glob("*.pdf"))) == len(LOG_KINDS) and result.compound_error is None
    with qtbot.waitSignal(upkeep.status) as said:
        upkeep._finished(result)
    assert said.args[0] == "ok" and f"已自动生成全小区 {day} 的日志：{folder}" in said.args[1]
    clock.advance(hours=1)
    assert upkeep_job(data_dir, clock, "daily", purge=False).compound == []


def test_logs_made_unasked_say_so_where_they_name_who_made_them(compound, tmp_path):  # noqa: F811
    """Not "生成人 system": the upkeep is nobody the auditor knows."""
    import subprocess

    north = compound.gates[0]
    day = north.now().date()
    scan(north, compound.cards["张三"], "out")
    clock = FakeClock(north.now().replace(hour=7, minute=0) + timedelta(days=1))
    north.close()
    folder = upkeep_job(north.data_dir, clock, "start", purge=False).daily_logs
    summary = next(folder.glob("*_summary.pdf"))
    text = subprocess.run(["pdftotext", str(summary), "-"], capture_output=True, text=True, check=True).stdout
    assert "生成人 门岗通自动生成" in text and "system" not in text, text
    assert daily_logs.day_folder(north.data_dir, day) == folder


def test_the_status_line_says_a_failed_backup_and_the_backup_before_the_logs_folder(qtbot, tmp_path):
    """The status bar elides the end of the line (a logs folder path is long at 1024 px): a
    failed backup came after "已自动生成昨日日志：/…/daily-logs/…" and was cut off, the bar red
    over a folder name; an ordinary backup line lost its "已备份 HH:MM"."""
    from pathlib import Path

    from checkpoint_app.ui.shared.upkeep import Upkeep, UpkeepResult

    clock = FakeClock()
    upkeep = Upkeep(tmp_path, clock, jobs=None)
    folder = Path("/home/gate/.local/share/checkpoint/daily-logs/2026-12-02")
    failed = UpkeepResult("start", clock(), copies=0, warnings=["U 盘已满"], daily_logs=folder)
    with qtbot.waitSignal(upkeep.status) as said:
        upkeep._finished(failed)
    assert said.args[0] == "bad" and said.args[1].startswith("备份失败：U 盘已满"), said.args[1]
    assert str(folder) in said.args[1]
    done = UpkeepResult("start", clock(), copies=2, daily_logs=folder)
    with qtbot.waitSignal(upkeep.status) as said:
        upkeep._finished(done)
    assert said.args[0] == "ok" and said.args[1].startswith(f"已备份 {clock():%H:%M}（2 份）"), said.args[1]
