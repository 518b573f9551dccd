"""同步 / 交换 on screen: a real export from this PC's data folder imported at another PC of the site,
that PC's file imported here, in the background, one sentence each; bad files said and nothing
written; records refused by a USB import turn the status bar amber until the office lists them."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from checkpoint_app.services import exchange_file, users
from checkpoint_app.services.gate import record_passage
from checkpoint_app.ui.office.exchange_page import ExchangePage
from tests.ui.conftest import GUARD, GUARD_PIN, sign_on_as, started_and_synced
from tests.exchange.conftest import hub_url, pg_server  # noqa: F401
from tests.ui.office.conftest import AUDITOR, AUDITOR_PW, MANAGER, MANAGER_PW


def _journal(ctx) -> set[tuple]:
    return {(o, s, bytes(h)) for o, s, h in ctx.db.conn.execute("SELECT origin, origin_seq, chain_hash FROM journal")}


@pytest.fixture
def north(office_users, tmp_path):
    """A second PC of the site: the gate 北门, joined from the office's PC."""
    from checkpoint_app.exchange.join import export_join, init_join
    from checkpoint_app.services.permissions import OPERATOR
    from tests.core_fixtures import FakeClock

    file, code = export_join(office_users.operator, "北门", tmp_path / "north.ckp")
    ctx = init_join(tmp_path / "north", file, code, clock=FakeClock()).acting_as(None, OPERATOR)
    yield ctx
    ctx.close()


def _wait(qtbot, page, act):
    with qtbot.waitSignal(page.finished, timeout=30_000) as done:
        act()
        assert not page.export_button.isEnabled() and not page.import_button.isEnabled()
    return done.args[0]


def test_a_real_export_goes_to_another_pc_and_its_file_comes_back(office, office_users, north, qtbot, watchdog,
                                                                   tmp_path, monkeypatch):
    from tests.exchange.conftest import scan

    g = office_users
    for name in sorted(g.cards)[:3]:
        g.clock.advance(minutes=5)
        record_passage(g.operator, g.cards[name], temperature="365")
    window = office()
    watchdog.start()
    page = window.office.open("exchange")
    qtbot.waitUntil(lambda: "北门" in page.ages.text(), timeout=5000)
    assert "未设置中心库" in page.hub.text() and page.sync_button.isHidden()
    # out: the dialog offers the site, the gate and the date as the file's name
    offered = []

    def save_as(_parent, _title, start, _filter):
        offered.append(start)
        return str(tmp_path / "usb" / "out.ckx"), ""
    (tmp_path / "usb").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    said = _wait(qtbot, page, page.export_button.click)
    assert offered and offered[0].endswith(exchange_file.default_name(g.ctx)) and "HXY01-南门-" in offered[0]
    with watchdog.paused():
        mine = {r for r in _journal(g.ctx) if r[0] == g.ctx.gate.uid}
        assert said.startswith(f"已导出 {len(mine)} 条新记录到") and f"南门 {len(mine)} 条" in said
        came = exchange_file.import_one(north, tmp_path / "usb" / "out.ckx")
        assert came.added == len(mine) and mine <= _journal(north)
        # in: what the gate recorded, in a file of its own (its clock past this PC's records)
        north.clock.advance(minutes=60)
        for name in sorted(g.cards)[:2]:
            scan(north, g.cards[name], "out")
        theirs = exchange_file.export_new(north, tmp_path / "usb" / "north.ckx")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(theirs.path)], ""))
    said = _wait(qtbot, page, page.import_button.click)
    n = theirs.by_gate["北门"]
    assert n >= 2 and said == f"north.ckx：收到 {n} 条新记录（北门 {n} 条），{len(mine)} 条本机已有。"
    assert page.message.text() == said and not page.problems.text() and page.check_button.isHidden()
    with watchdog.paused():
        assert {r for r in _journal(north) if r[0] == north.gate.uid} <= _journal(g.ctx)
        held = _journal(g.ctx)
    qtbot.waitUntil(lambda: "北门 " in page.ages.text() and "无记录" not in page.ages.text(), timeout=5000)
    # the same file again, and nothing new to export: said, nothing changed
    said = _wait(qtbot, page, lambda: page.import_files([str(theirs.path)]))
    assert said == f"north.ckx：这个文件的 {theirs.records} 条记录本机都已有，未作任何改动。"
    with watchdog.paused():
        assert _journal(g.ctx) == held


def test_bad_files_are_one_sentence_each_and_nothing_is_written(office, office_users, north, qtbot, watchdog,
                                                                tmp_path):
    from checkpoint_app.services.site import init_site
    from tests.exchange.conftest import scan

    g = office_users
    for name in sorted(g.cards)[:3]:
        scan(north, g.cards[name])
    whole = exchange_file.export_new(north, tmp_path / "north.ckx").path
    cut = tmp_path / "cut.ckx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 2 // 3])
    junk = tmp_path / "notes.ckx"
    junk.write_text("购物清单", encoding="utf-8")
    other = init_site(tmp_path / "other", site_code="HXY01", site_name="别的小区", gate_name="南门")
    try:
        foreign = exchange_file.export_new(other.acting_as(None, "operator"), tmp_path / "other.ckx").path
    finally:
        other.close()
    held = _journal(g.ctx)
    window = office()
    watchdog.start()
    page = window.office.open("exchange")
    said = _wait(qtbot, page, lambda: page.import_files([str(foreign), str(cut), str(junk)]))
    lines = said.split("\n")
    assert len(lines) == 3 and page.problems.text() == said and not page.message.text()
    assert lines[0].startswith("other.ckx：") and "属于另一个同编号（HXY01）的小区" in lines[0]
    assert lines[1].startswith("cut.ckx：") and "已损坏或不完整" in lines[1]
    assert lines[2].startswith("notes.ckx：") and "不是门岗通交换文件" in lines[2]
    with watchdog.paused():
        assert _journal(g.ctx) == held
    # a folder that cannot be written (the stick pulled): a sentence, no half file
    said = _wait(qtbot, page, lambda: page.export(str(tmp_path / "gone" / "x.ckx")))
    assert "无法写入交换文件" in said and page.problems.text() == said and not page.message.text()
    assert not list(tmp_path.rglob("x.ckx*"))


def test_it_runs_once_at_a_time_and_the_auditor_has_no_exchange(office, office_users, qtbot, tmp_path):
    window = office()
    page = window.office.open("exchange")
    page.export(str(tmp_path / "a.ckx"))
    page.export(str(tmp_path / "b.ckx"))               # while the first runs: nothing more
    page.import_files([str(tmp_path / "a.ckx")])
    qtbot.waitUntil(lambda: not page.bg.busy("usb export"), timeout=30_000)
    assert (tmp_path / "a.ckx").exists() and not (tmp_path / "b.ckx").exists()
    assert page.export_button.isEnabled() and page.message.text().startswith("已导出")
    window.close_office()
    sign_on_as(qtbot, window, AUDITOR, AUDITOR_PW)
    assert "exchange" not in [s.key for s in window.office.specs]      # the auditor reads refused records on 数据库检查
    # the page itself, were it ever built for an auditor, exchanges nothing
    page = ExchangePage(window.office.ctx, window.office.background)
    assert page.export_button.isHidden() and page.import_button.isHidden() and page.sync_button.isHidden()
    page.export(str(tmp_path / "c.ckx"))
    assert not page.bg.busy("usb export") and not (tmp_path / "c.ckx").exists()


def test_records_a_usb_file_refused_turn_the_status_bar_amber_until_the_check_page_lists_them(
        make_flow, gate_ctx, qtbot, tmp_path):
    """The app as started, with no hub: a forked gate's file imported on the page; the status bar
    warns as after a hub sync that refused records; opening the check page clears it."""
    from checkpoint_app.exchange.join import export_join, init_join
    from checkpoint_app.services.permissions import OPERATOR
    from tests.core_fixtures import FakeClock
    from tests.exchange.conftest import scan
    from tests.services.test_exchange_problems import forked_file

    g = gate_ctx
    users.add_user(g.operator, MANAGER, "manager", MANAGER_PW)
    file, code = export_join(g.operator, "北门", tmp_path / "north.ckp")
    north = init_join(tmp_path / "north", file, code, clock=FakeClock()).acting_as(None, OPERATOR)
    try:
        forked = forked_file(g.operator, north, g.cards, tmp_path)
        north.clock.advance(minutes=5)
        scan(north, g.cards["王五"], "out")                     # the real north goes on: a good file
        good = exchange_file.export_new(north, tmp_path / "good.ckx").path
    finally:
        north.close()
    window, flow, results = started_and_synced(make_flow, g, qtbot, timeout=30_000)
    # no hub, nothing refused yet: the line says how old north's newest record here is (its first file)
    qtbot.waitUntil(lambda: not window.hub_label.isHidden(), timeout=5000)
    assert results == [None] and window.hub_label.objectName() != "statusWarnBar"
    assert window.hub_label.toolTip() == "北门 刚刚（U 盘交换）"
    window.open_office(users.sign_on(g.ctx, MANAGER, MANAGER_PW))
    page = window.office.open("exchange")
    with qtbot.waitSignal(flow.hub_sync.checked, timeout=30_000):
        said = _wait(qtbot, page, lambda: page.import_files([str(good), str(forked)]))
    assert "拒收 1 条（北门），见“数据库检查”" in said and not page.check_button.isHidden()
    ok, refused = said.split("\n")     # the good file green, the forked one red, each on its own line
    assert ok.startswith("good.ckx：收到 ") and "拒收" not in ok and page.message.text() == ok
    assert refused.startswith("clone.db：") and page.problems.text() == refused
    assert not window.hub_label.isHidden() and window.hub_label.objectName() == "statusWarnBar"
    assert window.hub_label.toolTip().startswith("1 条记录被拒收（北门），见“数据库检查” · 北门 ")
    assert window.hub_label.toolTip().endswith("（U 盘交换）")
    page.check_button.click()
    check = window.office.pages["check"]
    assert window.office.current_key == "check"
    qtbot.waitUntil(lambda: check.problems_model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: window.hub_label.objectName() != "statusWarnBar", timeout=5000)
    assert window.hub_label.toolTip().startswith("北门 ") and "拒收" not in window.hub_label.toolTip()


def test_sync_now_with_a_hub_pushes_this_pcs_records_and_the_status_bar_says_so(
        make_flow, gate_ctx, qtbot, hub_url):  # noqa: F811
    import psycopg

    from checkpoint_app.services import site

    g = gate_ctx
    users.add_user(g.operator, MANAGER, "manager", MANAGER_PW)
    site.set_setting(g.operator, "hub_url", hub_url)
    window, flow = make_flow(g.data_dir, g.clock)
    results = []
    flow.hub_sync.synced.connect(results.append)
    qtbot.waitUntil(lambda: window.page is not None, timeout=5000)
    sign_on_as(qtbot, window, GUARD, GUARD_PIN)
    qtbot.waitUntil(lambda: bool(results), timeout=60_000)          # the start's own sync
    g.clock.advance(minutes=5)
    record_passage(g.operator, g.cards["张三"], temperature="365", direction="out", guard=GUARD)
    window.open_office(users.sign_on(g.ctx, MANAGER, MANAGER_PW))
    page = window.office.open("exchange")
    qtbot.waitUntil(lambda: page.sync_button.isVisible(), timeout=5000)
    host = hub_url.split("@")[-1].split("/")[0]
    assert host.split(":")[0] in page.hub.text() and "自动同步" in page.hub.text()
    with qtbot.waitSignal(flow.hub_sync.checked, timeout=60_000):
        said = _wait(qtbot, page, page.sync_button.click)
    assert said.startswith("已推送 1 条记录到中心库。中心库：没有新记录。"), said
    with psycopg.connect(hub_url) as pg:
        held = pg.execute("SELECT count(*) FROM records").fetchone()[0]
    mine = g.ctx.db.conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    assert held == mine
    assert window.hub_label.objectName() == "statusOk" and "已同步" in window.hub_label.text()


def test_a_lost_stick_everything_exported_again_and_the_other_pc_gets_what_it_lacked(
        office, office_users, north, qtbot, watchdog, tmp_path):
    """The new records went on a stick that was lost: "export new" has nothing more to write,
    "export everything" writes every record again; the other PC takes what it lacked, nothing twice."""
    from tests.exchange.conftest import scan

    g = office_users
    for name in sorted(g.cards)[:3]:
        scan(g.operator, g.cards[name])
    window = office()
    watchdog.start()
    page = window.office.open("exchange")
    said = _wait(qtbot, page, lambda: page.export(str(tmp_path / "lost.ckx")))
    assert said.startswith("已导出")
    with watchdog.paused():
        (tmp_path / "lost.ckx").unlink()                          # the stick is gone
    said = _wait(qtbot, page, lambda: page.export(str(tmp_path / "again.ckx")))
    assert said.startswith("自上次导出以来没有新记录")
    with watchdog.paused():
        assert not exchange_file.import_one(north, tmp_path / "again.ckx").added
    said = _wait(qtbot, page, lambda: page.export(str(tmp_path / "all.ckx"), everything=True))
    assert said.startswith("已导出") and page.export_all_button.isEnabled()
    with watchdog.paused():
        came = exchange_file.import_one(north, tmp_path / "all.ckx")
        mine = {r for r in _journal(g.ctx) if r[0] == g.ctx.gate.uid}
        assert came.added and mine <= _journal(north)
        assert not exchange_file.import_one(north, tmp_path / "all.ckx").added   # twice: nothing twice
