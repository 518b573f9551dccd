"""ui/shared/hub_sync.py and exchange/sync.py: the background sync with a real PostgreSQL hub, the
status bar's ages of the other gates, and a pass revoked at the office refused at a gate after
one sync."""

from __future__ import annotations

import os
import stat
import time

import pytest

from PySide6.QtWidgets import QLabel

from checkpoint_app.errors import InvalidInput
from checkpoint_app.exchange import hub, sync
from checkpoint_app.services import passes, site
from checkpoint_app.ui.shared.hub_sync import HubSync
from checkpoint_app.ui.shared.jobs import Jobs
from tests.exchange.conftest import _compound_template, compound, hub_url, pg_server, scan  # noqa: F401


def _hub_sync(qtbot, ctx, jobs):
    syncer = HubSync(ctx.data_dir, ctx.clock, jobs, minutes=lambda: 5)
    lines = []
    syncer.status.connect(lambda level, text: lines.append((level, text)))
    return syncer, lines


def test_a_pass_revoked_at_the_office_is_refused_at_the_gate_after_one_background_sync(
        qtbot, compound, hub_url):  # noqa: F811
    office, north = compound.office, compound.gates[0]
    number, holder = office.db.conn.execute(
        "SELECT p.number, r.name FROM passes p JOIN residents r ON r.id = p.resident_id "
        "WHERE p.status = 'active' ORDER BY p.number LIMIT 1").fetchone()
    assert scan(north, compound.cards[holder]).outcome != "denied"
    site.set_setting(north, "hub_url", hub_url)
    passes.revoke_pass(office, str(number), "lost card")
    with hub.connect(hub_url) as pg:
        hub.push(office, pg)
    jobs = Jobs("test")
    syncer, lines = _hub_sync(qtbot, north, jobs)
    started = time.perf_counter()
    with qtbot.waitSignal(syncer.synced, timeout=60_000) as got:
        syncer.start()
        assert time.perf_counter() - started < 0.1      # the GUI thread only queued it
    syncer.stop()
    jobs.shutdown()
    assert got.args[0].pulled.added >= 1 and not got.args[0].pulled.problems
    assert scan(north, compound.cards[holder]).outcome == "denied"
    level, text = lines[-1]
    office_name = office.gate.name
    assert level == "ok" and f"{office_name} " in text and "东门 无记录" in text


def test_no_hub_set_says_what_usb_files_brought_and_an_unreachable_hub_is_a_warning(
        qtbot, compound, tmp_path):  # noqa: F811
    """A gate of several with no hub: the line says how old the newest record of each other gate is
    here (nothing at first; the office's after its USB file), so the guard knows whether the
    office's last revocations can have arrived (it said nothing at all before)."""
    from checkpoint_app.exchange import usb

    office, north = compound.office, compound.gates[0]
    jobs = Jobs("test")
    syncer, lines = _hub_sync(qtbot, north, jobs)
    with qtbot.waitSignal(syncer.synced, timeout=30_000) as got:
        syncer.sync_now()
    assert got.args[0] is None
    level, text = lines[-1]
    assert level == "ok" and text.endswith("（U 盘交换）") and f"{office.gate.name} 无记录" in text
    scan(office, sorted(compound.cards.values())[0], "out")
    usb.import_file(north, usb.export_file(office, tmp_path / "office.ckx").path)
    with qtbot.waitSignal(syncer.synced, timeout=30_000):
        syncer.sync_now()
    level, text = lines[-1]
    assert level == "ok" and f"{office.gate.name} 无记录" not in text and f"{office.gate.name} " in text
    site.set_setting(north, "hub_url", "postgresql://hub@127.0.0.1:1/none")
    with qtbot.waitSignal(syncer.synced, timeout=30_000):
        syncer.sync_now()
    jobs.shutdown()
    assert lines[-1][0] == "warning" and "连不上中心库" in lines[-1][1]


def test_the_password_is_kept_apart_from_the_settings(compound):  # noqa: F811
    north = compound.gates[0]
    with pytest.raises(InvalidInput):
        site.set_setting(north, "hub_url", "postgresql://hub:Zq7hubpw@10.0.0.5/hub")
    with pytest.raises(InvalidInput):     # no hub yet
        sync.save_password(north, "Zq7hubpw")
    site.set_setting(north, "hub_url", "postgresql://hub@10.0.0.5:6543/company")
    path = sync.save_password(north, "Zq7:hub\\pw")
    assert path.read_text() == "10.0.0.5:6543:company:hub:Zq7\\:hub\\\\pw\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    dump = "\n".join(north.db.conn.iterdump())
    assert "Zq7" not in dump
    with pytest.raises(Exception):
        sync.save_password(north.acting_as("李建国", "guard"), "x")


def test_the_hub_password_from_the_command_line(compound, monkeypatch, capsys):  # noqa: F811
    import io

    from checkpoint_app.cli import main
    from checkpoint_app.services import users

    office = compound.office
    users.add_user(office, "物业刘", "manager", "manager-pw-1")
    site.set_setting(office, "hub_url", "postgresql://hub@10.0.0.5/company")
    data_dir = office.data_dir
    office.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("manager-pw-1\nZq7-hub\n"))
    assert main(["--data-dir", str(data_dir), "hub-password", "--user", "物业刘"]) == 0
    assert sync.passfile(data_dir).read_text() == "10.0.0.5:5432:company:hub:Zq7-hub\n"
    monkeypatch.setattr("sys.stdin", io.StringIO("x\n"))
    assert main(["--data-dir", str(data_dir), "hub-password"]) != 0     # the PC's operator may not
    assert sync.passfile(data_dir).read_text().endswith("Zq7-hub\n")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_forked_gates_record_from_the_hub_is_a_warning_until_the_office_lists_it(
        qtbot, qapp, compound, hub_url, tmp_path, lang):  # noqa: F811
    """North's records reached the office on a USB file; a clone of north's PC pushed its own
    records under the same numbers and beyond to the hub: the office's background sync refuses them and the
    status bar says so, naming the gate, until the office's page has listed them."""
    from checkpoint_app import i18n as service_i18n
    from checkpoint_app.exchange import usb
    from checkpoint_app.ui import i18n
    from tests.services.test_exchange_problems import fork

    office, north = compound.office, compound.gates[0]
    scan(north, compound.cards["张三"])
    clone = fork(north, tmp_path / "clone")
    scan(north, compound.cards["李四"])
    scan(clone, compound.cards["赵六"], "out")
    scan(clone, compound.cards["张三"], "out")     # above the office's mark for north: pulled
    with hub.connect(hub_url) as pg:
        hub.push(clone, pg)
    clone.close()
    usb.import_file(office, usb.export_file(north, tmp_path / "north.db").path)
    site.set_setting(office, "hub_url", hub_url)
    translators = i18n.install(qapp, lang)
    jobs = Jobs("test")
    try:
        syncer, lines = _hub_sync(qtbot, office, jobs)
        with qtbot.waitSignal(syncer.synced, timeout=60_000) as got:
            syncer.sync_now()
        assert [p[2] for p in got.args[0].pulled.problems] == ["chain"]    # it does not follow north's
        level, text = lines[-1]
        assert level == "warning"
        assert text.startswith("1 record(s) refused (北门), see Database check · "
                               if lang == "en" else "1 条记录被拒收（北门），见“数据库检查” · ")
        assert ("(synced " if lang == "en" else "（已同步 ") in text
        syncer.mark_seen(syncer.refused.last_id)          # what the check page's listing does
        assert lines[-1][0] == "ok" and "refused" not in lines[-1][1] and "拒收" not in lines[-1][1]
        with qtbot.waitSignal(syncer.synced, timeout=60_000):
            syncer.sync_now()                              # nothing new refused: no warning again
        assert lines[-1][0] == "ok"
    finally:
        jobs.shutdown()
        i18n.uninstall(qapp, translators)
        service_i18n.set_language("zh_CN")


def test_the_other_gates_ages_come_first_on_the_status_bar_so_1024_px_shows_them(window, gate_ctx, qtbot):
    """The line is elided at its end on a 1024 px window: it read "已同步 16:20：…" and no gate's
    age at all; now the ages come first and the sync time last."""
    from datetime import timedelta

    now = gate_ctx.clock()
    syncer = HubSync(gate_ctx.ctx.data_dir, gate_ctx.clock, Jobs("test"), minutes=lambda: 5)
    syncer.status.connect(window.show_hub)
    syncer.last = sync.SyncResult(ages=[sync.GateAge("n", "北门", now - timedelta(minutes=3)),
                                        sync.GateAge("e", "东门", now - timedelta(hours=2)),
                                        sync.GateAge("w", "西门", None)], at=now)
    window.resize(1024, 640)
    window.show_upkeep("ok", "已备份 21:30（2 份）")
    with qtbot.waitSignal(syncer.status):
        syncer._show()
    qtbot.waitUntil(lambda: window.width() == 1024)
    qtbot.wait(50)
    painted = QLabel.text(window.hub_label)
    assert painted.startswith("北门 3 分钟前"), painted
    assert window.hub_label.text().endswith(f"（已同步 {now:%H:%M}）")


def test_a_single_pc_site_with_no_hub_shows_nothing(qtbot, gate_ctx):
    jobs = Jobs("test")
    syncer, lines = _hub_sync(qtbot, gate_ctx.ctx, jobs)
    with qtbot.waitSignal(syncer.synced, timeout=30_000) as got:
        syncer.sync_now()
    jobs.shutdown()
    assert got.args[0] is None and lines == [("off", "")]
