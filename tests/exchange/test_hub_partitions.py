"""exchange/hub.py, schema version 2: monthly partitions, heads kept in ``origins``, the pull
that names its months, the day totals of the company overview, and the migration from v1."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import psycopg

from checkpoint_app.exchange import hub, merge
from tests.core_fixtures import CST as TZ
from tests.exchange.conftest import journal


def _write(ctx, kind: str, fields: dict, at: datetime) -> None:
    with ctx.db.write() as conn:
        merge.records.append(conn, kind, fields, origin=ctx.gate.uid, at=at)


def _passage(ctx, at: datetime, *, outcome="allowed", reasons=None) -> None:
    _write(ctx, "passage", {"direction": "in", "pass_number": 1, "pass_version": 1, "household": "1-1-101",
                            "temp_tenths": 365, "outcome": outcome, "reasons": reasons, "manual": 0,
                            "guard": "李建国"}, at)


def test_records_land_in_their_month_and_partitions_are_made_ahead(compound, hub_url):
    north = compound.gates[0]
    _passage(north, datetime(2026, 10, 31, 23, 59, tzinfo=TZ))
    _passage(north, datetime(2026, 11, 1, 0, 1, tzinfo=TZ))
    with hub.connect(hub_url) as pg:
        hub.maintain(pg, date(2026, 11, 15))
        assert {"records_2026_11", "records_2026_12", "records_2027_01"} <= set(hub.partitions(pg))
        assert hub.push(north, pg) == len(journal(north))
        where = dict(pg.execute("SELECT tableoid::regclass::text, count(*) FROM records GROUP BY 1").fetchall())
        assert where["records_2026_10"] == 1  # an older month is made when a batch brings it
        assert where["records_2026_11"] >= 1
        # the head travels with the batch: the hub's row for the origin says where it stands
        head = pg.execute("SELECT head_seq, head_chain FROM origins WHERE origin = %s", (north.gate.uid,)).fetchone()
        assert (head[0], bytes(head[1])) == merge.heads(north.db.conn)[north.gate.uid]


def test_a_pull_reads_only_the_months_that_hold_what_it_lacks(compound, hub_url):
    north, east = compound.gates[:2]
    for month in (9, 10, 11):
        _passage(north, datetime(2026, month, 10, 8, tzinfo=TZ))
    with hub.connect(hub_url) as pg:
        hub.push(north, pg)
        top = merge.heads(north.db.conn)[north.gate.uid][0]
        first, end = hub.months_above(pg, north.gate.uid, top - 1)
        assert (first, end) == (date(2026, 11, 1), date(2026, 12, 1))
        plan = "\n".join(r[0] for r in pg.execute("EXPLAIN " + hub.FETCH_SQL, (north.gate.uid, top - 1, first, end, 10)))
        pg.rollback()
        assert "records_2026_11" in plan
        assert "records_2026_10" not in plan and "records_2026_09" not in plan
        assert hub.months_above(pg, north.gate.uid, top) == (None, None)
        pg.commit()
        assert not hub.pull(east, pg).problems
    assert {r for r in journal(east) if r[0] == north.gate.uid} == {r for r in journal(north) if r[0] == north.gate.uid}


def test_day_totals_count_what_arrived(compound, hub_url):
    north, east = compound.gates[:2]
    day = datetime(2026, 11, 20, 9, tzinfo=TZ)
    _passage(north, day)
    _passage(north, day + timedelta(minutes=1), outcome="denied", reasons="revoked")
    _passage(east, day, outcome="flagged", reasons="fever")
    _passage(east, day + timedelta(minutes=2), outcome="flagged", reasons="fever_remeasure")   # not a fever
    _write(east, "visitor_in", {"purpose": "送货", "host_household": "1-1-101", "temp_tenths": 380,
                                "outcome": "denied", "reasons": "visitor_fever", "watch_hit": 0, "guard": "李建国"}, day)
    _write(north, "disinfection", {"area": "大门", "agent": "84", "operator": "王"}, day)
    _write(north, "incident", {"category": "fever", "reason": "x", "recorded_by": "李"}, day)
    with hub.connect(hub_url) as pg:
        for ctx in (north, east):
            hub.push(ctx, pg)
        got = pg.execute("SELECT sum(passages), sum(fevers), sum(refusals), sum(visitors), sum(rounds) "
                         "FROM day_totals WHERE day = %s", (day.date(),)).fetchone()
        assert got == (4, 2, 2, 1, 1)
        assert pg.execute("SELECT count(*) FROM hub_incidents WHERE opened = %s AND closed IS NULL",
                          (day.date(),)).fetchone()[0] == 1


def test_a_v1_hub_is_migrated_to_partitions_keeping_every_record(compound, hub_url, monkeypatch):
    north, east = compound.gates[:2]
    for month in (10, 11):
        _passage(north, datetime(2026, month, 5, 8, tzinfo=TZ))
    wires = merge.read_range(north.db.conn, north.gate.uid, 0)
    site = merge.site_identity(north.db.conn)
    with psycopg.connect(hub_url) as pg:   # a hub as version 1 left it
        monkeypatch.setattr(hub, "MIGRATIONS", hub.MIGRATIONS[:1])
        hub.migrate(pg)
        monkeypatch.undo()
        for w in wires:
            pg.execute("INSERT INTO records (site, origin, origin_seq, uid, canonical, row_hash, chain_hash) "
                       "VALUES (%s, %s, %s, %s, %s, %s, %s)", (site, w.origin, w.seq, hub._uid(w), w.canonical,
                                                               w.row_hash, w.chain_hash))
        pg.execute("INSERT INTO origins (site, origin) VALUES (%s, %s)", (site, north.gate.uid))
        pg.commit()
        assert hub.migrate(pg) == 1
        assert pg.execute("SELECT max(version) FROM hub_version").fetchone()[0] == hub.LATEST
        assert {"records_2026_10", "records_2026_11"} <= set(hub.partitions(pg))
        assert pg.execute("SELECT head_seq FROM origins WHERE origin = %s", (north.gate.uid,)).fetchone()[0] == len(wires)
        assert pg.execute("SELECT sum(passages) FROM day_totals").fetchone()[0] == 2
        pg.commit()
    with hub.connect(hub_url) as pg:
        assert hub.push(north, pg) == 0       # the hub already holds them all
        assert not hub.pull(east, pg).problems
    assert {r for r in journal(east) if r[0] == north.gate.uid} == {r for r in journal(north) if r[0] == north.gate.uid}
