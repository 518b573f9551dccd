"""services/daily_logs.make_compound_when_complete: the whole compound's logs of a past day made
unasked at the office once every gate's records of it have arrived (by USB file here), never
while a gate has not reached past midnight, never twice, and as they are (marked short) after
COMPOUND_WAIT_DAYS; the folder verifies as a by-hand one does."""

from __future__ import annotations

import functools
import json
import subprocess
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from checkpoint_app import i18n
from checkpoint_app.cli import main
from checkpoint_app.exchange import usb
from checkpoint_app.reports.daily_log import LOG_KINDS
from checkpoint_app.services import audit, daily_logs, trust
from checkpoint_app.services.daily_logs import (COMPOUND_WAIT_DAYS, CompoundDay, compound_days_due, day_folder,
                                                make_compound_when_complete)
from tests.core_fixtures import CST, FakeClock
from tests.exchange.conftest import _compound_template, compound, scan  # noqa: F401


def _carry(gate, office, folder: Path) -> None:
    """The gate's exchange file on a USB stick, imported at the office."""
    folder.mkdir(exist_ok=True)
    usb.import_file(office, usb.export_file(gate, folder / f"{gate.gate.name}-{gate.now():%d%H%M%S}.db").path)


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def day_synced(compound, tmp_path):  # noqa: F811
    """Each gate records a passage on the day and its file reaches the office the same day."""
    office, gates = compound.office, compound.gates
    day = office.now().date()
    for ctx, who in zip(gates, ("张三", "李四", "赵六")):
        scan(ctx, compound.cards[who], "out")
        _carry(ctx, office, tmp_path / "usb")
    return compound, day


def _after_midnight(day, minutes: int) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=CST) + timedelta(minutes=minutes)


def test_nothing_to_make_on_a_pc_that_holds_no_other_gates_records(compound):  # noqa: F811
    office = compound.office
    office.clock.set(_after_midnight(office.now().date(), 30))
    assert compound_days_due(office) == [] and make_compound_when_complete(office.as_system()) == []
    assert not (office.data_dir / daily_logs.DAILY_LOGS_SUBDIR).exists()


def test_made_once_every_gate_has_reached_past_midnight_and_never_twice(day_synced, tmp_path):
    compound, day = day_synced
    office, (north, east, west) = compound.office, compound.gates
    upkeep = office.as_system()
    folder = day_folder(office.data_dir, day, compound=True)

    office.clock.set(_after_midnight(day, 30))     # the first start after midnight: nobody is past it yet
    waiting = make_compound_when_complete(upkeep)
    assert [(d.day, sorted(d.missing), d.made) for d in waiting] == [(day, ["东门", "北门", "西门"], None)]
    assert not folder.exists()

    for ctx in (north, east):                       # two gates scan after midnight; their files arrive
        ctx.clock.set(_after_midnight(day, 40))
        scan(ctx, compound.cards["张三"], "in")
        _carry(ctx, office, tmp_path / "usb")
    office.clock.advance(hours=1)                   # the hourly check
    waiting = make_compound_when_complete(upkeep)
    assert waiting == [CompoundDay(day, ("西门",))] and not folder.exists()
    last = (day + timedelta(days=1 + COMPOUND_WAIT_DAYS)).isoformat()
    assert waiting[0].sentence() == f"全小区 {day} 的日志等待西门的记录同步到本机后自动生成，最迟 {last} 生成（注明可能不全）。"
    i18n.set_language("en")
    try:
        assert waiting[0].sentence() == (f"The whole compound's logs of {day} are made once the records of 西门 reach "
                                         f"this PC; on {last} at the latest (then marked as possibly short).")
    finally:
        i18n.set_language("zh_CN")

    west.clock.set(_after_midnight(day, 50))        # the last gate's records reach the office
    scan(west, compound.cards["赵六"], "in")
    _carry(west, office, tmp_path / "usb")
    office.clock.advance(hours=1)
    made = make_compound_when_complete(upkeep)
    assert made == [CompoundDay(day, (), folder)]
    assert made[0].sentence() == f"已自动生成全小区 {day} 的日志：{folder}"
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == len(LOG_KINDS) and all("_全小区_" in f.name for f in files)
    passages = _text(folder / daily_logs.file_name(day, office.site.code, daily_logs.COMPOUND, "passages"))
    assert "可能不全：" not in passages and all(g in passages for g in ("北门", "东门", "西门"))

    stamps = {f: f.stat().st_mtime_ns for f in files}
    office.clock.advance(hours=1)
    assert make_compound_when_complete(upkeep) == []          # never twice
    office.clock.set(_after_midnight(day, 60 * 24 * 2))       # days later, more records arrived
    scan(north, compound.cards["张三"], "out")
    _carry(north, office, tmp_path / "usb")
    assert all(d.day != day for d in make_compound_when_complete(upkeep))
    assert {f: f.stat().st_mtime_ns for f in folder.glob("*.pdf")} == stamps

    # the folder verifies as before, with the site certificate alone, and no gate is short
    cer = trust.write_certificate(trust.of_site(office), tmp_path / "site.cer")
    result = audit.verify_files([folder], certificates=[trust.read_file(cer)])
    assert all(f.ok for f in result.files) and len(result.files) == len(LOG_KINDS) and not result.gaps


def test_a_gate_that_never_catches_up_is_waited_for_then_made_short(day_synced, tmp_path, capsys, monkeypatch):
    compound, day = day_synced
    office, (north, east, west) = compound.office, compound.gates
    upkeep = office.as_system()
    folder = day_folder(office.data_dir, day, compound=True)
    for ctx in (north, east):
        ctx.clock.set(_after_midnight(day, 40))
        scan(ctx, compound.cards["张三"], "in")
        _carry(ctx, office, tmp_path / "usb")

    for hours in range(1, 24 * COMPOUND_WAIT_DAYS, 7):   # days go by: west is waited for
        office.clock.set(_after_midnight(day, 60 * hours))
        due = [d for d in make_compound_when_complete(upkeep) if d.day == day]
        assert due == [CompoundDay(day, ("西门",))] and not folder.exists(), hours

    office.clock.set(_after_midnight(day, 60 * 24 * COMPOUND_WAIT_DAYS + 5))   # the limit: made as it is
    made = [d for d in make_compound_when_complete(upkeep) if d.made is not None]
    assert made == [CompoundDay(day, ("西门",), folder)]
    assert made[0].sentence() == (f"已生成全小区 {day} 的日志，西门的记录 {COMPOUND_WAIT_DAYS} 天内未同步到本机，"
                                  f"日志注明可能不全：{folder}")
    passages = _text(folder / daily_logs.file_name(day, office.site.code, daily_logs.COMPOUND, "passages"))
    assert "可能不全：" in passages and "西门" in passages
    office.clock.advance(hours=1)
    assert all(d.day != day for d in make_compound_when_complete(upkeep))    # not again

    cer = trust.write_certificate(trust.of_site(office), tmp_path / "site.cer")
    result = audit.verify_files([folder], certificates=[trust.read_file(cer)])
    assert all(f.ok for f in result.files)
    assert [(g.code, g.gate) for g in result.gaps] == [("short", "西门")]

    # ``checkpoint verify`` and ``checkpoint compound daily`` (a by-hand make) as before, the latter
    # telling which gates are missing
    data_dir, now = office.data_dir, office.now()
    office.close()
    from checkpoint_app.services import context
    monkeypatch.setattr(context, "open_gate", functools.partial(context.open_gate, clock=FakeClock(now)))
    assert main(["--json", "verify", str(folder), "--trust", str(cer)]) != 0
    out = json.loads(capsys.readouterr().out)
    assert all(f["ok"] for f in out["files"]) and [g["gate"] for g in out["gaps"]] == ["西门"]
    assert main(["--data-dir", str(data_dir), "--json", "compound", "daily", "--day", day.isoformat(),
                 "--out", str(tmp_path / "by-hand")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["missing"] == ["西门"] and len(out["files"]) == len(LOG_KINDS)
    assert main(["--data-dir", str(data_dir), "compound", "daily", "--day", day.isoformat(),
                 "--out", str(tmp_path / "by-hand")]) == 0
    assert f"西门在 {day} 的记录尚未全部同步到本机：现在生成的全小区日志注明可能不全。" in capsys.readouterr().out


def test_a_log_made_by_hand_after_the_day_is_never_made_again_one_made_during_the_day_is(day_synced, tmp_path):
    compound, day = day_synced
    office, gates = compound.office, compound.gates
    manager = office.acting_as("王经理", "manager")
    folder = day_folder(office.data_dir, day, compound=True)
    daily_logs.file_day(manager, day, ("passages",), compound=True)       # at noon: cut at that moment
    assert not daily_logs.compound_made(office.data_dir, day)
    for ctx in gates:
        ctx.clock.set(_after_midnight(day, 40))
        scan(ctx, compound.cards["张三"], "in")
        _carry(ctx, office, tmp_path / "usb")
    office.clock.set(_after_midnight(day, 30))
    daily_logs.file_day(manager, day, ("passages",), compound=True)       # by hand, after the day
    assert daily_logs.compound_made(office.data_dir, day)
    office.clock.advance(hours=1)
    assert make_compound_when_complete(office.as_system()) == []
    assert [f.name.rsplit("_", 1)[-1] for f in folder.glob("*.pdf")] == ["passages.pdf"]


def test_only_the_pc_that_issues_passes_makes_the_compounds_logs_unasked(day_synced, tmp_path):
    """A joined gate that pulls the other gates' records (a hub pulls everything) and signs its own
    logs with its own certificate still leaves the compound's logs to the office: one compound log
    a day from one PC, no waiting sentence on a guard's status bar; without a document key either."""
    compound, day = day_synced
    office, (north, east, west) = compound.office, compound.gates
    _carry(office, north, tmp_path / "usb")                       # north now holds every gate's records
    north.clock.set(_after_midnight(day, 60 * 24 * (1 + COMPOUND_WAIT_DAYS)))
    assert daily_logs.compound_gates(north)
    with north.db.read() as conn:
        assert conn.execute("SELECT signer_key FROM site_pki").fetchone()[0]   # it can sign its own logs
    assert compound_days_due(north) == [] and make_compound_when_complete(north.as_system()) == []
    with north.db.write() as conn:
        conn.execute("UPDATE site_pki SET signer_key = NULL")
    assert compound_days_due(north) == [] and make_compound_when_complete(north.as_system()) == []
    assert not day_folder(north.data_dir, day, compound=True).exists()


def test_a_log_made_during_the_day_does_not_count_one_filed_before_the_mark_existed_does(day_synced, tmp_path):
    compound, day = day_synced
    office, gates = compound.office, compound.gates
    folder = day_folder(office.data_dir, day, compound=True)
    daily_logs.file_day(office.acting_as("王经理", "manager"), day, ("passages",), compound=True)   # cut at noon
    for ctx in gates:
        ctx.clock.set(_after_midnight(day, 40))
        scan(ctx, compound.cards["张三"], "in")
        _carry(ctx, office, tmp_path / "usb")
    office.clock.set(_after_midnight(day, 60))
    assert make_compound_when_complete(office.as_system()) == [CompoundDay(day, (), folder)]
    assert len(list(folder.glob("*.pdf"))) == len(LOG_KINDS)

    # the same folder as the version before the mark left it: its logs say they were made after the day
    (folder / daily_logs.COMPOUND_MADE_MARK).unlink()
    stamps = {f: f.stat().st_mtime_ns for f in folder.glob("*.pdf")}
    office.clock.advance(hours=1)
    assert make_compound_when_complete(office.as_system()) == []
    assert daily_logs.compound_made(office.data_dir, day)
    assert {f: f.stat().st_mtime_ns for f in folder.glob("*.pdf")} == stamps


def test_a_gate_that_joined_after_the_day_is_not_waited_for_nor_listed(day_synced, tmp_path):
    from checkpoint_app.exchange.join import export_join

    compound, day = day_synced
    office, gates = compound.office, compound.gates
    for ctx in gates:
        ctx.clock.set(_after_midnight(day, 40))
        scan(ctx, compound.cards["张三"], "in")
        _carry(ctx, office, tmp_path / "usb")
    office.clock.set(_after_midnight(day, 50))
    export_join(office, "新门", tmp_path / "new.ckp")          # a fourth gate joins the next morning
    assert "新门" in dict(office.db.conn.execute("SELECT name, uid FROM gates").fetchall())
    office.clock.advance(minutes=10)
    folder = day_folder(office.data_dir, day, compound=True)
    assert make_compound_when_complete(office.as_system()) == [CompoundDay(day, (), folder)]
    passages = _text(folder / daily_logs.file_name(day, office.site.code, daily_logs.COMPOUND, "passages"))
    assert "新门" not in passages and "可能不全：" not in passages
    # its own first day is one of the compound's: waited for until its records arrive
    office.clock.set(_after_midnight(day, 60 * 24 + 30))
    assert [d.missing for d in compound_days_due(office) if d.day == day + timedelta(days=1)] == [
        ("东门", "北门", "西门", "新门")]
