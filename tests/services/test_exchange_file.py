"""services/exchange_file.py: the USB file for the office page and the command line — records per
gate out and in, one sentence each, refusals of a whole file that change nothing."""

from __future__ import annotations

import pytest

from checkpoint_app.errors import PermissionDenied
from checkpoint_app.services import exchange_file
from tests.exchange.conftest import _compound_template, compound, hub_url, journal, pg_server, scan  # noqa: F401
from tests.services.test_exchange_problems import forked_file


def test_what_went_out_and_came_in_per_gate_and_a_second_import_changes_nothing(compound, tmp_path):  # noqa: F811
    north, east = compound.gates[0], compound.gates[1]
    for name in ("张三", "李四"):
        scan(north, compound.cards[name])
    done = exchange_file.export_new(north, tmp_path / exchange_file.default_name(north), lang="zh")
    assert done.path.name.startswith("HXY01-北门-") and done.path.suffix == ".ckx" and done.path.exists()
    assert done.by_gate["北门"] >= 2 and done.records == sum(done.by_gate.values())
    assert done.sentence.startswith(f"已导出 {done.records} 条新记录到") and f"北门 {done.by_gate['北门']} 条" in done.sentence
    assert not list(tmp_path.glob("*.part"))
    came = exchange_file.import_one(east, done.path, lang="en")
    assert came.ok and came.added == done.records and came.by_gate == {"北门": done.by_gate["北门"]} and not came.refused
    assert came.sentence == f"{done.path.name}: {came.added} new records came in (北门 {came.added})."
    assert journal(north) <= journal(east)
    held = journal(east)
    again = exchange_file.import_one(east, done.path, lang="zh")
    assert again.ok and again.added == 0 and journal(east) == held
    assert again.sentence == f"{done.path.name}：这个文件的 {done.records} 条记录本机都已有，未作任何改动。"
    nothing = exchange_file.export_new(north, tmp_path / "2.ckx", lang="zh")
    assert nothing.records == 0 and nothing.sentence.startswith("自上次导出以来没有新记录")


def test_a_file_of_another_site_a_truncated_and_a_junk_file_change_nothing(compound, tmp_path):  # noqa: F811
    from checkpoint_app.services.site import init_site

    north, east = compound.gates[0], compound.gates[1]
    for name in ("张三", "李四", "王五"):
        scan(north, compound.cards[name])
    other = init_site(tmp_path / "other", site_code="HXY01", site_name="别的小区", gate_name="南门")
    try:
        foreign = exchange_file.export_new(other.acting_as(None, "operator"), tmp_path / "other.ckx").path
    finally:
        other.close()
    whole = exchange_file.export_new(north, tmp_path / "n.ckx").path
    cut = tmp_path / "cut.ckx"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])        # the stick pulled while it was copied
    junk = tmp_path / "junk.ckx"
    junk.write_bytes(b"not a database at all" * 100)
    held = journal(east)
    done = exchange_file.import_files(east, [foreign, cut, junk], lang="zh")
    assert [d.ok for d in done] == [False, False, False]
    assert [d.code for d in done] == ["other_site", "exchange_file_broken", "not_exchange_file"]
    assert "属于另一个同编号（HXY01）的小区" in done[0].sentence and "未导入任何记录" in done[0].sentence
    assert "已损坏或不完整" in done[1].sentence and done[1].sentence.startswith("cut.ckx：")
    assert "不是门岗通交换文件" in done[2].sentence
    assert journal(east) == held
    assert exchange_file.import_one(east, whole).added == len(journal(north) - held)


def test_refused_records_are_counted_per_gate(compound, tmp_path):  # noqa: F811
    office, north = compound.office, compound.gates[0]
    file = forked_file(office, north, compound.cards, tmp_path)
    done = exchange_file.import_one(office, file, lang="zh")
    assert done.ok and done.refused == 1 and done.refused_gates == ("北门",)
    assert "拒收 1 条（北门），见“数据库检查”" in done.sentence


def test_the_auditor_and_a_guard_may_not_exchange(compound, tmp_path):  # noqa: F811
    north = compound.gates[0]
    for role in ("auditor", "guard"):
        with pytest.raises(PermissionDenied):
            exchange_file.export_new(north.acting_as("某人", role), tmp_path / "x.ckx")
        with pytest.raises(PermissionDenied):
            exchange_file.import_one(north.acting_as("某人", role), tmp_path / "x.ckx")
    assert not (tmp_path / "x.ckx").exists()


def test_sync_now_says_what_came_from_the_hub_per_gate(compound, hub_url):  # noqa: F811
    from checkpoint_app.services import site

    north, east = compound.gates[0], compound.gates[1]
    for ctx in (north, east):
        site.set_setting(ctx, "hub_url", hub_url)
    scan(north, compound.cards["张三"])
    _result, pushed = exchange_file.sync_now(north, lang="zh")
    mine = north.db.conn.execute("SELECT count(*) FROM journal WHERE origin = ?", (north.gate.uid,)).fetchone()[0]
    assert pushed.sentence.startswith(f"已推送 {mine} 条记录到中心库。")
    result, came = exchange_file.sync_now(east, lang="en")
    assert came.by_gate["北门"] == mine and result.pulled.added_by[north.gate.uid] == mine
    assert f"北门 {mine}" in came.sentence and came.sentence.startswith(f"{result.pushed} records pushed to the hub. ")
