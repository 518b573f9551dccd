"""exchange/rebuild.py and db/state.py: a PC rebuilt from its records alone holds the same state
tables as the PC itself, after the demo's week and a realistic office day of changes: every
change of state travels as a record."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from checkpoint_app.db import state
from checkpoint_app.db.verify import verify_database
from checkpoint_app.exchange.rebuild import rebuild_into
from checkpoint_app.services import passes, residents, returnees, site, users, visitors
from checkpoint_app.services.context import open_gate, system_clock
from checkpoint_app.services.demo import make_demo
from checkpoint_app.services.permissions import OPERATOR
from tests.core_fixtures import FakeClock
from tests.exchange.conftest import scan, state_tables

DAY = date(2026, 11, 20)


def office_day(ctx, clock: FakeClock) -> None:
    """What an office changes in a day: a new roster (a phone changed, a family moved out, one new
    resident), quarantine set and lifted, passes re-issued and revoked, users added, disabled,
    re-enabled and given a new PIN, a setting, a watch-list entry, a returnee new to the roster."""
    roster = ctx.data_dir / "demo-roster.csv"
    lines = roster.read_text(encoding="utf-8-sig").splitlines()
    head, rows = lines[0], lines[1:]
    fields = rows[0].split(",")
    fields[4] = "13900000000"
    rows[0] = ",".join(fields)
    del rows[5]
    rows.append("9,1,101,新住户,13800000001,,户主,正常,")
    changed = ctx.data_dir / "roster-2.csv"
    changed.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8-sig")
    clock.advance(minutes=10)
    report = residents.import_roster(ctx, changed, mark_missing_moved_out=True)
    assert report.moved_out >= 1 and report.residents == 1 and report.updated >= 1
    people = residents.list_residents(ctx)
    clock.advance(minutes=10)
    residents.set_status(ctx, people[1].id, "quarantine", DAY + timedelta(days=14))
    residents.set_household_status(ctx, people[2].household_id, "observation")
    clock.advance(minutes=10)
    residents.set_status(ctx, people[1].id, "normal")
    clock.advance(minutes=10)
    passes.issue_passes(ctx, household="9-1-101")
    passes.issue_passes(ctx, household=people[3].household, reissue=True)
    card = passes.pass_for_card(ctx, 2)
    passes.revoke_pass(ctx, str(card.number), "遗失")
    clock.advance(minutes=10)
    users.add_user(ctx, "新保安", "guard", "5555")
    users.disable_user(ctx, "张伟")
    users.reset_secret(ctx, "王海波", "4444")
    users.disable_user(ctx, "新保安")
    users.enable_user(ctx, "新保安")
    with pytest.raises(Exception):
        users.sign_on(ctx, "李建国", "0000")   # a failed sign-on: this PC's lockout counter only
    site.set_setting(ctx, "quota_exits", "3")
    visitors.add_to_watchlist(ctx, id_number="11010519491231002X", note="test")
    clock.advance(minutes=10)
    returnees.set_risk_area(ctx, "武汉", "quarantine", 14)     # a returnee not on the roster yet: a new member
    returnees.register_returnee(ctx, from_area="武汉", arrival=clock.now.date(), name="回乡人", household="9-1-101",
                                phone="13800000002")


def test_a_pc_rebuilt_from_records_alone_has_the_same_state(tmp_path):
    make_demo(tmp_path / "demo", households=30, days=2, today=DAY)
    clock = FakeClock(datetime.combine(DAY + timedelta(days=1), time(9, 0), tzinfo=system_clock().tzinfo))
    ctx = open_gate(tmp_path / "demo", clock=clock).acting_as(None, OPERATOR)
    try:
        office_day(ctx, clock)
        assert rebuild_into(ctx, tmp_path / "rebuilt") == []
        rebuilt = open_gate(tmp_path / "rebuilt")
        try:
            want, got = state_tables(ctx.db.conn), state_tables(rebuilt.db.conn)
            assert set(want) == {*state.TABLES, "gates"}
            for table in want:
                assert got[table] == want[table], table
            assert all(want.values())        # every table holds something: nothing compared empty
            assert verify_database(rebuilt.db.conn).ok
            # the rebuilt PC is the same gate: same records, and it decides the same way
            journal = "SELECT origin, origin_seq, uid, row_hash FROM journal"
            assert set(rebuilt.db.conn.execute(journal)) == set(ctx.db.conn.execute(journal))
            assert rebuilt.gate.uid == ctx.gate.uid
        finally:
            rebuilt.close()
    finally:
        ctx.close()


def test_command_line_rebuild(compound, tmp_path, capsys):
    import json

    from checkpoint_app.cli import main

    office = compound.office
    scan(office, compound.cards["张三"])
    folder = office.data_dir
    want = state_tables(office.db.conn)
    office.close()
    assert main(["--json", "--data-dir", str(folder), "exchange", "rebuild", "--out", str(tmp_path / "new")]) == 0
    assert json.loads(capsys.readouterr().out)["problems"] == []
    rebuilt = open_gate(tmp_path / "new")
    try:
        # the template's state came with the first version of each record: rebuilt, it is the same
        assert state_tables(rebuilt.db.conn) == want
    finally:
        rebuilt.close()
    assert main(["--data-dir", str(folder), "exchange", "rebuild", "--out", str(tmp_path / "new")]) != 0
    compound.office = open_gate(folder).acting_as(None, OPERATOR)
