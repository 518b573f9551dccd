"""services/daily_logs.compound_logs: the daily logs of the whole compound, made at the office from
every gate's records it holds after a sync, with a gate column and each gate's checkpoint; verified
offline by the site certificate alone, with a gate whose records had not all arrived named."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from checkpoint_app import i18n
from checkpoint_app.errors import PermissionDenied
from checkpoint_app.exchange import hub
from checkpoint_app.reports.daily_log import LOG_KINDS
from checkpoint_app.services import audit, trust
from checkpoint_app.services.checkpoints import summarise_day
from checkpoint_app.services.daily_logs import compound_gates, compound_logs, daily_report
from tests.exchange.conftest import _compound_template, compound, hub_url, pg_server, scan  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def synced(compound, hub_url):  # noqa: F811
    """The day: 张三 out at the north gate and in at the east gate, 李四 out at the east gate. The
    north gate syncs the next morning after one more scan; the east gate synced at noon and made
    one more passage after that, which never reached the office; the west gate never synced."""
    office, (north, east, west) = compound.office, compound.gates
    day = north.now().date()
    scan(north, compound.cards["张三"], "out")
    scan(east, compound.cards["张三"], "in")
    scan(east, compound.cards["李四"], "out")
    with hub.connect(hub_url) as pg:
        hub.push(east, pg)
    scan(east, compound.cards["李四"], "in")          # after east's last sync
    tomorrow = north.now().replace(hour=7, minute=0) + timedelta(days=1)
    north.clock.set(tomorrow)
    scan(north, compound.cards["张三"], "out")
    with hub.connect(hub_url) as pg:
        hub.push(north, pg)
        hub.pull(office, pg)
    office.clock.set(tomorrow + timedelta(hours=1))
    return compound, day


def test_every_gates_rows_in_one_log_per_kind_with_each_gates_checkpoint(synced, tmp_path):
    compound, day = synced
    office, (north, east, west) = compound.office, compound.gates
    manager = office.acting_as("王经理", "manager")
    assert {name for _uid, name in compound_gates(manager)} >= {"北门", "东门"}
    files = compound_logs(manager, day, tmp_path / "compound")
    assert [f.name for f in files] == [f"{day.isoformat()}_{office.site.code}_全小区_{k}.pdf" for k in LOG_KINDS]

    passages = _text(files[LOG_KINDS.index("passages")])
    rows = [line.split() for line in passages.splitlines() if line.split()[:1] in (["北门"], ["东门"])]
    # a gate column: north's out at the top, east's in and out (the office holds east up to noon)
    assert sorted((r[0], r[1], r[3]) for r in rows if r[3] in ("进", "出")) == [
        ("东门", "1", "进"), ("东门", "2", "出"), ("北门", "1", "出")], passages
    # each gate's checkpoint: the values the gate's own log prints for the day
    own = summarise_day(north.db.conn, north.gate.uid, day, north.site.code)
    head = " ".join(own.chain_head[i:i + 8] for i in range(0, 32, 8))
    assert head in passages and f"{own.row_count} 条 #{own.first_seq}–#{own.last_seq}" in passages
    assert "完整" in passages and "可能不全" in passages and "西门" in passages

    summary = _text(files[0])
    note = summary.replace("\n", "").replace(" ", "")
    assert "全小区" in summary and "含本机持有的全部门岗" in note and all(g in note for g in ("北门", "东门", "西门"))

    with pytest.raises(PermissionDenied):
        compound_logs(office.acting_as("李建国", "guard"), day, tmp_path / "x")


def test_compound_logs_verify_offline_and_name_the_gate_not_synced(synced, tmp_path):
    compound, day = synced
    office, (north, east, west) = compound.office, compound.gates
    manager = office.acting_as("王经理", "manager")
    folder = tmp_path / "pile"
    compound_logs(manager, day, folder)
    daily_report(manager, day, folder)     # the office's own logs of the day (its gate 南门), in the same pile
    cer = trust.write_certificate(trust.of_site(office), tmp_path / "site.cer")

    before = i18n.language()
    i18n.set_language("zh_CN")
    try:
        result = audit.verify_files([folder], certificates=[trust.read_file(cer)])
    finally:
        i18n.set_language(before)
    assert all(f.ok for f in result.files), [f.message for f in result.files if not f.ok]
    assert len(result.files) == 12
    compound_checks = [f for f in result.files if f.gates]
    assert len(compound_checks) == 6 and all("全小区日志真实有效" in f.message for f in compound_checks)
    # the east gate's records were short; the west gate's never arrived; the office's own log carries
    # the same checkpoint for 南门 as the compound's (no conflict): only east and west are named
    assert {(g.code, g.gate) for g in result.gaps} == {("short", "东门"), ("short", "西门")}, result.gaps
    east_gap = next(g for g in result.gaps if g.gate == "东门")
    assert "尚未同步" in east_gap.message and f"#{summarise_day(office.db.conn, east.gate.uid, day, 'x').last_seq}" \
        in east_gap.message

    # the same from the command line in a process with nothing set up: only the certificate
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home"), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    run = subprocess.run([sys.executable, "-m", "checkpoint_app.cli", "verify", str(folder), "--trust", str(cer),
                          "--json"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    out = json.loads(run.stdout)
    assert run.returncode != 0 and all(f["ok"] for f in out["files"])
    assert sorted(g["gate"] for g in out["gaps"]) == ["东门", "西门"]
    compound_files = [f for f in out["files"] if f["gates"]]
    assert len(compound_files) == 6 and all(
        {g["name"] for g in f["gates"]} >= {"北门", "东门", "西门"} and f["day"] == day.isoformat()
        and f["checkpoint_ok"] and f["gate"] in ("全小区（4 个门岗）", "whole compound (4 gates)") for f in compound_files)


def test_a_later_compound_log_shows_where_the_day_ended_and_the_database_agrees(synced, hub_url, tmp_path):  # noqa: F811
    """A compound log made before the east gate's records had all arrived, then the east gate syncs:
    checked against the office's database it is authentic for what it holds (the records that came
    since are not a change), and with the log made after the sync in the pile, east is not named."""
    compound, day = synced
    office, (north, east, west) = compound.office, compound.gates
    manager = office.acting_as("王经理", "manager")
    early = compound_logs(manager, day, tmp_path / "early", kinds=("passages",))
    cer = trust.read_file(trust.write_certificate(trust.of_site(office), tmp_path / "site.cer"))
    assert {g.gate for g in audit.verify_files(early, certificates=[cer]).gaps} == {"东门", "西门"}

    east.clock.set(north.now())
    scan(east, compound.cards["李四"], "out")          # the next morning: east syncs at last
    with hub.connect(hub_url) as pg:
        hub.push(east, pg)
        hub.pull(office, pg)
    before = i18n.language()
    i18n.set_language("zh_CN")
    try:
        checks = audit.verify_files(early, ctx=manager).files
    finally:
        i18n.set_language(before)
    assert all(c.ok for c in checks) and not checks[0].offline, [c.message for c in checks]
    # said as what was done: checked against this database, not "by the site certificate"
    assert "凭小区证书" not in checks[0].message and "与本数据库一致" in checks[0].message, checks[0].message
    again = compound_logs(manager, day, tmp_path / "later", kinds=("passages",))
    result = audit.verify_files([*early, *again], certificates=[cer])
    assert all(f.ok for f in result.files) and [g.gate for g in result.gaps] == ["西门"]
    east_row = next(g for g in result.files[1].gates if g.name == "东门")
    assert east_row.complete and east_row.checkpoint.row_count == 3


def test_a_gate_that_joined_after_the_day_is_not_in_that_days_compound_log(synced, tmp_path):
    """A gate joined later (a new PC set up the next week): the office's compound log of an
    earlier day, made after the join, does not list it as a gate whose records "may be short"
    (it had no day then), so the auditor gets no false gap."""
    from checkpoint_app.exchange import join

    compound, day = synced
    office = compound.office
    office.clock.set(office.now() + timedelta(days=3))
    join.export_join(office, "新门", tmp_path / "new.ckp")
    manager = office.acting_as("王经理", "manager")
    files = compound_logs(manager, day, tmp_path / "pile", kinds=("passages",))
    cer = trust.read_file(trust.write_certificate(trust.of_site(office), tmp_path / "site.cer"))
    result = audit.verify_files(files, certificates=[cer])
    assert "新门" not in {g.name for g in result.files[0].gates}
    assert "新门" not in {g.gate for g in result.gaps}, result.gaps
    assert "新门" not in _text(files[0])
    # a day after it joined, it is listed (and named: nothing of it has reached the office)
    later = compound_logs(manager, office.now().date(), tmp_path / "later", kinds=("passages",))
    assert "新门" in {g.name for g in audit.verify_files(later, certificates=[cer]).files[0].gates}
