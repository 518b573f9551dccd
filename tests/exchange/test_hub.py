"""exchange/hub.py: push to and pull from a real PostgreSQL hub."""

from __future__ import annotations

import dataclasses

import psycopg
import pytest

from checkpoint_app.db.verify import verify_database
from checkpoint_app.errors import StorageError
from checkpoint_app.exchange import hub, merge
from tests.exchange.conftest import journal, scan


def _hub_set(url) -> set[tuple]:
    with psycopg.connect(url) as pg:
        return {(o, s, u, bytes(r), bytes(c)) for o, s, u, r, c in pg.execute(
            "SELECT origin, origin_seq, uid, row_hash, chain_hash FROM records")}


def test_push_and_pull_give_every_pc_the_same_records(compound, hub_url):
    north, east, west = compound.gates
    scan(north, compound.cards["张三"], "out")
    scan(east, compound.cards["张三"], "in")
    scan(west, compound.cards["李四"], "out")
    with hub.connect(hub_url) as pg:
        for ctx in compound.pcs:
            hub.push(ctx, pg)
        assert hub.push(north, pg) == 0  # nothing the hub lacks
        for ctx in compound.pcs:
            result = hub.pull(ctx, pg)
            assert not result.problems
    everything = _hub_set(hub_url)
    for ctx in compound.pcs:
        assert journal(ctx) == everything
        assert verify_database(ctx.db.conn).ok


def test_migrations_run_once_and_the_version_is_kept(hub_url):
    with hub.connect(hub_url) as pg:
        assert hub.migrate(pg) == hub.LATEST
        assert pg.execute("SELECT count(*) FROM hub_version").fetchone()[0] == hub.LATEST


def test_a_batch_replayed_twice_doubles_nothing(compound, hub_url):
    north = compound.gates[0]
    for name in ("张三", "李四", "赵六", "王五", "张三", "李四"):
        scan(north, compound.cards[name], "out")
    with hub.connect(hub_url) as pg:
        wires = merge.read_range(north.db.conn, north.gate.uid, 0)
        site = merge.site_identity(north.db.conn)
        assert hub._push_batch(pg, site, north.gate.uid, wires[:3]) == 3
        assert hub._push_batch(pg, site, north.gate.uid, wires[:3]) == 0   # replayed
        assert hub.push(north, pg) == len(wires) - 3
    assert _hub_set(hub_url) == journal(north)


def test_the_hub_checks_the_chain_itself(compound, hub_url):
    north = compound.gates[0]
    scan(north, compound.cards["张三"], "out")
    scan(north, compound.cards["李四"], "out")
    wires = merge.read_range(north.db.conn, north.gate.uid, 0)
    site = merge.site_identity(north.db.conn)
    with hub.connect(hub_url) as pg:
        # a gap: seq 2 without seq 1
        with pytest.raises(StorageError) as err:
            hub._push_batch(pg, site, north.gate.uid, wires[1:])
        assert err.value.code == "hub_refused"
        forged = dataclasses.replace(wires[0], canonical=wires[0].canonical.replace(b'"out"', b'"in"'))
        with pytest.raises(StorageError):
            hub._push_batch(pg, site, north.gate.uid, [forged])
        relinked = dataclasses.replace(wires[1], chain_hash=bytes(32))
        with pytest.raises(StorageError):
            hub._push_batch(pg, site, north.gate.uid, [wires[0], relinked])
        assert pg.execute("SELECT count(*) FROM records").fetchone()[0] == 0
        assert hub.push(north, pg) == len(wires)


def test_an_unreachable_hub_is_one_sentence(compound):
    with pytest.raises(StorageError) as err:
        hub.connect("postgresql://hub@127.0.0.1:1/none")
    assert err.value.code == "hub_unreachable"


def test_command_line_sync(compound, hub_url, capsys):
    import json

    from checkpoint_app.cli import main

    north, east = compound.gates[0], compound.gates[1]
    scan(north, compound.cards["张三"], "out")
    n = len(journal(north))
    dirs = [north.data_dir, east.data_dir]
    north.close()
    east.close()
    assert main(["--json", "--data-dir", str(dirs[0]), "exchange", "push", "--hub", hub_url]) == 0
    assert json.loads(capsys.readouterr().out)["pushed"] == n
    assert main(["--json", "--data-dir", str(dirs[1]), "exchange", "sync", "--hub", hub_url]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == n
    assert main(["--data-dir", str(dirs[1]), "exchange", "pull", "--hub", "postgresql://hub@127.0.0.1:1/x"]) == 3
    from checkpoint_app.services.context import open_gate
    from checkpoint_app.services.permissions import OPERATOR

    compound.gates[0], compound.gates[1] = (open_gate(d).acting_as(None, OPERATOR) for d in dirs)
