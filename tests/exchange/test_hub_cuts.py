"""exchange/hub.py over a bad network: a TCP proxy on loopback cuts and stalls the connection in the
middle of a push's or a pull's batches. The hub holds whole batches only, nobody sees half a
batch, and the next sync sends exactly the rest: nothing lost, nothing doubled."""

from __future__ import annotations

import threading

import psycopg
import pytest

from checkpoint_app.db.verify import verify_database
from checkpoint_app.errors import StorageError
from checkpoint_app.exchange import hub, merge
from checkpoint_app.services.context import open_gate
from checkpoint_app.services.permissions import OPERATOR
from tests.exchange.conftest import journal, scan
from tests.exchange.tcp_proxy import Proxy

BATCH = 40
N = 200
CUT = (psycopg.Error, StorageError, OSError)


@pytest.fixture
def busy_north(compound):
    north = compound.gates[0]
    names = list(compound.cards)
    for i in range(N):
        scan(north, compound.cards[names[i % len(names)]], ("in", "out")[i // len(names) % 2])
    return north


def _hub_rows(url, origin) -> tuple[int, int, int]:
    with psycopg.connect(url) as pg:
        return pg.execute("SELECT count(*), count(DISTINCT uid), coalesce(max(origin_seq), 0) FROM records "
                          "WHERE origin = %s", (origin,)).fetchone()


def _held(ctx) -> int:
    return ctx.db.conn.execute("SELECT count(*) FROM journal WHERE origin = ?", (ctx.gate.uid,)).fetchone()[0]


def _bytes_of_a_whole_push(ctx, pg_server) -> int:
    """What one push of everything sends towards the server (measured on a hub of its own)."""
    proxy = Proxy(pg_server())
    try:
        with hub.connect(proxy.url) as pg:
            before = proxy.sent
            hub.push(ctx, pg, batch=BATCH)
        return proxy.sent - before
    finally:
        proxy.close()


def _settled(url, north, other):
    """The rest goes through a sound connection: exactly what was missing, then nothing."""
    origin = north.gate.uid
    n = _held(north)
    with hub.connect(url) as pg:
        hub.push(north, pg, batch=BATCH)
        assert hub.push(north, pg, batch=BATCH) == 0
        assert not hub.pull(other, pg, batch=BATCH).problems
    assert _hub_rows(url, origin) == (n, n, n)
    assert {r for r in journal(other) if r[0] == origin} == {r for r in journal(north) if r[0] == origin}
    assert verify_database(other.db.conn, quick=True).ok


def test_a_push_cut_mid_batch_leaves_whole_batches_and_resumes(compound, busy_north, hub_url, pg_server):
    whole = _bytes_of_a_whole_push(busy_north, pg_server)
    proxy = Proxy(hub_url)
    try:
        with hub.connect(proxy.url) as pg:
            proxy.cut_after(whole // 2)
            with pytest.raises(CUT):
                hub.push(busy_north, pg, batch=BATCH)
    finally:
        proxy.close()
    held, distinct, top = _hub_rows(hub_url, busy_north.gate.uid)
    assert 0 < held < _held(busy_north) and held % BATCH == 0 and held == distinct == top      # whole batches, no gap
    _settled(hub_url, busy_north, compound.gates[1])


def test_a_stalled_push_shows_nobody_half_a_batch(compound, busy_north, hub_url, pg_server):
    whole = _bytes_of_a_whole_push(busy_north, pg_server)
    east, west = compound.gates[1], compound.gates[2]
    proxy = Proxy(hub_url)
    outcome: list = []
    try:
        pg = hub.connect(proxy.url)
        proxy.stall_after(whole // 2)

        def push():
            try:
                outcome.append(hub.push(busy_north, pg, batch=BATCH))
            except CUT as exc:
                outcome.append(exc)

        pusher = threading.Thread(target=push)
        pusher.start()
        assert proxy.stalled.wait(60)
        # while the push hangs in the middle of a batch, another gate pulls: whole batches only
        with hub.connect(hub_url) as direct:
            assert not hub.pull(east, direct, batch=BATCH).problems
        mid = {r for r in journal(east) if r[0] == busy_north.gate.uid}
        assert 0 < len(mid) < _held(busy_north) and len(mid) % BATCH == 0
        proxy.resume()                      # the network comes back: the push goes on
        pusher.join(60)
        assert isinstance(outcome[0], int)
        pg.close()
        # a second stall, and this time the cable is pulled while stalled
        for _i in range(5):
            scan(busy_north, compound.cards["张三"])
        pg = hub.connect(proxy.url)
        proxy.stall_after(200)
        outcome.clear()
        pusher = threading.Thread(target=push)
        pusher.start()
        assert proxy.stalled.wait(60)
        proxy.cut()
        pusher.join(60)
        assert isinstance(outcome[0], CUT)
        pg.close()
    finally:
        proxy.close()
    _settled(hub_url, busy_north, west)


def test_a_pull_cut_mid_batch_applies_whole_batches_only(compound, busy_north, hub_url):
    east, west = compound.gates[1], compound.gates[2]
    with hub.connect(hub_url) as pg:
        hub.push(busy_north, pg, batch=BATCH)
    proxy = Proxy(hub_url)
    try:
        with hub.connect(proxy.url) as pg:          # a whole pull's queries, measured at west
            before = proxy.sent
            hub.pull(west, pg, batch=BATCH)
            whole = proxy.sent - before
        with hub.connect(proxy.url) as pg:
            proxy.cut_after(whole // 2)
            with pytest.raises(CUT):
                hub.pull(east, pg, batch=BATCH)
    finally:
        proxy.close()
    origin = busy_north.gate.uid
    seqs = sorted(s for o, s, *_r in journal(east) if o == origin)
    assert 0 < len(seqs) < _held(busy_north) and seqs == list(range(1, len(seqs) + 1))   # whole batches, no gap
    assert verify_database(east.db.conn, quick=True).ok
    _settled(hub_url, busy_north, east)


def test_the_command_line_push_killed_mid_batch_loses_and_doubles_nothing(compound, hub_url, pg_server, capsys):
    """``checkpoint exchange push`` in its own process, stalled by the network in the middle of a
    batch and killed there with SIGKILL: the hub holds whole batches; the next push sends exactly
    the rest, the one after that nothing."""
    import json
    import os
    import signal
    import subprocess
    import sys

    from checkpoint_app.cli import main

    north = compound.gates[0]
    with north.db.write() as conn:  # a shift of records, written directly
        for i in range(600):
            merge.records.append(conn, "handover", {"from_guard": "a", "to_guard": "b", "notes": str(i)},
                                 origin=north.gate.uid, at=north.clock.advance(seconds=1))
    total = _held(north)
    whole = _bytes_of_a_whole_push(north, pg_server)
    folder = north.data_dir
    north.close()
    proxy = Proxy(hub_url)
    try:
        with hub.connect(proxy.url):
            pass                                   # the hub's schema is there before the stall is armed
        proxy.stall_after(whole * 6 // 10)
        gate = subprocess.Popen([sys.executable, "-m", "checkpoint_app.cli", "--data-dir", str(folder), "exchange",
                                 "push", "--hub", proxy.url, "--batch", "100"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            assert proxy.stalled.wait(120), gate.poll() is not None and gate.stderr.read()
        finally:
            os.kill(gate.pid, signal.SIGKILL)
            gate.wait(30)
        assert gate.returncode == -signal.SIGKILL
        proxy.cut()                                # the dead gate's connection goes; its batch rolls back
    finally:
        proxy.close()
    origin = north.gate.uid
    compound.gates[0] = open_gate(folder).acting_as(None, OPERATOR)
    held, distinct, top = _hub_rows(hub_url, origin)
    assert 0 < held < total and held % 100 == 0 and held == distinct == top
    out = []
    for _i in range(2):
        assert main(["--json", "--data-dir", str(folder), "exchange", "push", "--hub", hub_url, "--batch", "100"]) == 0
        out.append(json.loads(capsys.readouterr().out))
    assert [o["pushed"] for o in out] == [total - held, 0]
    assert _hub_rows(hub_url, origin) == (total, total, total)
