"""services/exchange_problems.py: a forked gate's records refused on arrival are listed, in one
sentence each and in both languages, for the roles that may read them."""

from __future__ import annotations

import sqlite3

import pytest

from checkpoint_app import paths
from checkpoint_app.errors import PermissionDenied
from checkpoint_app.exchange import usb
from checkpoint_app.services import exchange_problems
from checkpoint_app.services.context import open_gate
from checkpoint_app.services.permissions import OPERATOR
from tests.core_fixtures import FakeClock
from tests.exchange.conftest import _compound_template, compound, scan  # noqa: F401


def fork(ctx, where):
    """A second PC holding a copy of ``ctx``'s database (a cloned disk): the same gate, two chains."""
    where.mkdir()
    copy = sqlite3.connect(paths.db_path(where))
    ctx.db.conn.backup(copy)
    copy.close()
    return open_gate(where, clock=FakeClock()).acting_as(None, OPERATOR)


def forked_file(office, north, cards, tmp_path):
    """North's records reach the office; then a clone of north records something else under the
    same numbers: the clone's exchange file, which the office has yet to import (a real fork)."""
    scan(north, cards["张三"])
    clone = fork(north, tmp_path / "clone")
    try:
        scan(north, cards["李四"])
        assert usb.import_file(office, usb.export_file(north, tmp_path / "north.db").path).added
        scan(clone, cards["赵六"], "out")
        return usb.export_file(clone, tmp_path / "clone.db").path
    finally:
        clone.close()


def test_a_forked_gates_record_is_refused_and_listed_in_both_languages(compound, tmp_path):  # noqa: F811
    office, north = compound.office, compound.gates[0]
    file = forked_file(office, north, compound.cards, tmp_path)
    held = office.db.conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    result = usb.import_file(office, file)
    assert result.problems and {p[2] for p in result.problems} == {"conflict"}
    assert office.db.conn.execute("SELECT count(*) FROM journal").fetchone()[0] == held   # nothing overwritten
    (zh,) = exchange_problems.list_problems(office, lang="zh")
    (en,) = exchange_problems.list_problems(office, lang="en")
    seq = result.problems[0][1]
    assert (zh.gate, zh.seq, zh.code, zh.source) == ("北门", seq, "conflict", "文件 clone.db")
    assert "哈希不符" in zh.problem and "another hash" in en.problem and en.source == "file clone.db"
    assert zh.uid and zh.uid not in {u for (u,) in office.db.conn.execute(
        "SELECT uid FROM journal WHERE origin = ? AND origin_seq = ?", (north.gate.uid, seq))}
    unseen = exchange_problems.unseen(office, 0)
    assert (unseen.count, unseen.gates, unseen.last_id) == (1, ("北门",), zh.id)
    assert exchange_problems.unseen(office, zh.id).count == 0
    # importing the same file again reports nothing new
    usb.import_file(office, file)
    assert len(exchange_problems.list_problems(office)) == 1


@pytest.mark.parametrize("role", ["manager", "admin", "auditor", "guard"])
def test_who_may_read_them(compound, tmp_path, role):  # noqa: F811
    office = compound.office
    usb.import_file(office, forked_file(office, compound.gates[0], compound.cards, tmp_path))
    reader = office.acting_as("某人", role)
    if role == "guard":
        with pytest.raises(PermissionDenied):
            exchange_problems.list_problems(reader)
    else:
        changes = office.db.conn.total_changes
        assert [p.code for p in exchange_problems.list_problems(reader)] == ["conflict"]
        assert office.db.conn.total_changes == changes


@pytest.mark.parametrize("code", ["conflict", "uid_conflict", "row_hash", "chain", "malformed",
                                  "state: resident:r1: UNIQUE constraint failed", "something new"])
def test_every_problem_is_one_sentence_in_each_language(code):
    zh, en = exchange_problems.sentence(code, "zh"), exchange_problems.sentence(code, "en")
    assert zh != en and "{" not in zh + en and "\n" not in zh + en
    assert zh.endswith(("。", "failed", "new")) or "：" in zh


def test_a_join_file_used_on_two_pcs_is_named_as_the_likely_cause(compound, tmp_path):  # noqa: F811
    """A copy of the one-time join file set up a second PC as the same gate (the file itself is marked
    used, but nothing offline stops a copy made before, within its day): their records collide at the
    office, and the sentence says what to look for (two PCs as one gate: a join file used twice, or a
    copied data folder), not only "forked"."""
    import shutil

    from checkpoint_app.exchange import join

    office = compound.office
    file, code = join.export_join(office, "新门", tmp_path / "j.ckp")
    copy = shutil.copy(file, tmp_path / "copy-of-j.ckp")
    twins = [join.init_join(tmp_path / name, f, code, clock=FakeClock(office.now())).acting_as(None, OPERATOR)
             for name, f in (("pc1", file), ("pc2", copy))]
    try:
        assert twins[0].gate.uid == twins[1].gate.uid        # one gate, two PCs
        for twin, name in zip(twins, ("张三", "李四")):
            scan(twin, compound.cards[name], "out")
        usb.import_file(office, usb.export_file(twins[0], tmp_path / "pc1.db").path)
        usb.import_file(office, usb.export_file(twins[1], tmp_path / "pc2.db").path)
    finally:
        for twin in twins:
            twin.close()
    listed = exchange_problems.list_problems(office.acting_as("王经理", "manager"), lang="zh_CN")
    assert [p.code for p in listed] == ["conflict"] and listed[0].gate == "新门"
    assert "加入文件" in listed[0].problem and "两台电脑" in listed[0].problem, listed[0].problem
    english = exchange_problems.list_problems(office.acting_as("王经理", "manager"), lang="en")[0].problem
    assert "join file" in english and "two PCs" in english, english
