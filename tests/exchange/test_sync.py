"""Three gates, an office and a real PostgreSQL hub (or USB files and no hub at all): random
interleavings of scans, revocations, pushes, pulls and file transfers end with every PC and the
hub holding the same records per origin, no gaps, every chain valid, no uid twice. A gate killed
with SIGKILL mid-push loses and doubles nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import psycopg
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from checkpoint_app import paths
from checkpoint_app.db.verify import verify_database
from checkpoint_app.exchange import hub, merge, usb
from checkpoint_app.errors import UserError
from checkpoint_app.services import passes, residents, site, users
from checkpoint_app.services.context import open_gate
from checkpoint_app.services.permissions import OPERATOR
from tests.core_fixtures import ROSTER_CSV, FakeClock
from tests.exchange.conftest import GATES, journal, scan, state_tables

PCS = ("office", *GATES)
NAMES = ("张三", "李四", "王五", "赵六", "李𠮷祥")


def _machine(template: Path, cards: dict, work: Path, url: str | None):
    class Sync(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.dir = Path(work) / f"run{time.monotonic_ns()}"
            self.pcs = {}
            for name in PCS:
                (self.dir / name).mkdir(parents=True)
                shutil.copy(paths.db_path(template / name), paths.db_path(self.dir / name))
                self.pcs[name] = open_gate(self.dir / name, clock=FakeClock()).acting_as(None, OPERATOR)
            self.pg = hub.connect(url) if url else None
            if self.pg:
                self.pg.execute("TRUNCATE records, origins")
                self.pg.commit()
            self.files = 0
            self.newcomers: list[str] = []
            self.cards = dict(cards)

        @rule(pc=st.sampled_from(PCS), who=st.sampled_from(NAMES), direction=st.sampled_from(("in", "out")))
        def scan(self, pc, who, direction):
            scan(self.pcs[pc], self.cards[who], direction)

        @precondition(lambda self: self.newcomers)
        @rule(pc=st.sampled_from(PCS), k=st.integers(0, 3), direction=st.sampled_from(("in", "out")))
        def scan_newcomer(self, pc, k, direction):
            scan(self.pcs[pc], self.cards[self.newcomers[k % len(self.newcomers)]], direction)

        @rule(k=st.integers(0, 4))
        def revoke(self, k):
            office = self.pcs["office"]
            row = office.db.conn.execute("SELECT number FROM passes WHERE status = 'active' ORDER BY number "
                                         "LIMIT 1 OFFSET ?", (k,)).fetchone()
            if row:
                passes.revoke_pass(office, str(row[0]), "test")

        @rule(pc=st.sampled_from(PCS), who=st.sampled_from(NAMES),
              status=st.sampled_from(("quarantine", "observation", "normal")))
        def quarantine(self, pc, who, status):
            ctx = self.pcs[pc]
            ctx.clock.advance(minutes=1)
            resident = next(r for r in residents.list_residents(ctx) if r.name == who)
            residents.set_status(ctx, resident.id, status, date(2026, 12, 5))

        @rule()
        def new_resident_with_a_pass(self):
            office = self.pcs["office"]
            office.clock.advance(minutes=1)
            self.newcomers.append("新" + "甲乙丙丁戊己庚辛壬癸"[len(self.newcomers) % 10] * (1 + len(self.newcomers) // 10))
            roster = self.dir / f"roster{len(self.newcomers)}.csv"
            roster.write_text(ROSTER_CSV + "".join(f"8,1,{101 + i},{name},133{i:08d},,户主,正常,\n"
                                                   for i, name in enumerate(self.newcomers)), encoding="utf-8")
            assert not residents.import_roster(office, roster).errors
            for issued in passes.issue_passes(office, all_residents=True):
                self.cards[issued.name] = issued.payload

        @rule(pc=st.sampled_from(PCS), k=st.integers(0, 2), action=st.sampled_from(("add", "disable", "enable")))
        def user_change(self, pc, k, action):
            ctx = self.pcs[pc]
            ctx.clock.advance(minutes=1)
            try:
                if action == "add":
                    users.add_user(ctx, f"保安{k}", "guard", f"{k}{k}{k}{k}")
                else:
                    (users.disable_user if action == "disable" else users.enable_user)(ctx, f"保安{k}")
            except UserError:
                pass   # the name is taken, or not known here yet

        @rule(pc=st.sampled_from(PCS), quota=st.integers(0, 2))
        def quota(self, pc, quota):
            site.set_setting(self.pcs[pc], "quota_exits", str(quota))

        @precondition(lambda self: self.pg is not None)
        @rule(pc=st.sampled_from(PCS))
        def push(self, pc):
            hub.push(self.pcs[pc], self.pg, batch=3)

        @precondition(lambda self: self.pg is not None)
        @rule(pc=st.sampled_from(PCS))
        def pull(self, pc):
            assert not hub.pull(self.pcs[pc], self.pg, batch=3).problems

        @rule(a=st.sampled_from(PCS), b=st.sampled_from(PCS), since_last=st.booleans())
        def carry_file(self, a, b, since_last):
            self.files += 1
            done = usb.export_file(self.pcs[a], self.dir / f"f{self.files}.db", since_last=since_last)
            assert not usb.import_file(self.pcs[b], done.path).problems

        @invariant()
        def no_gaps_and_revocations_follow_their_records(self):
            for ctx in self.pcs.values():
                conn = ctx.db.conn
                for origin, n, top in conn.execute("SELECT origin, count(*), max(origin_seq) FROM journal GROUP BY origin"):
                    assert n == top, origin
                revoked = {r for r in conn.execute("SELECT pass_number, pass_version FROM pass_events_revoke")}
                status = {r[:2]: r[2] for r in conn.execute("SELECT number, version, status FROM passes")}
                assert all(status[r] == "revoked" for r in revoked)

        def teardown(self):
            try:
                # settle: everybody sends and takes everything, by the hub or by files round the ring;
                # twice over, as incidents raised on arrival are new records to carry in turn
                for _round in range(2 if self.pg else 4):
                    for i, name in enumerate(PCS):
                        if self.pg:
                            hub.push(self.pcs[name], self.pg)
                        else:
                            self.carry_file(name, PCS[(i + 1) % len(PCS)], False)
                    for name in PCS if self.pg else ():
                        hub.pull(self.pcs[name], self.pg)
                sets = {name: journal(ctx) for name, ctx in self.pcs.items()}
                first, first_pc = sets["office"], self.pcs["office"]
                assert all(s == first for s in sets.values())
                assert len({row[2] for row in first}) == len(first)   # no uid twice
                # every PC's state tables are what the records say, the same everywhere
                tables = {name: state_tables(ctx.db.conn) for name, ctx in self.pcs.items()}
                assert all(t == tables["office"] for t in tables.values())
                # a conflict found on arrival is one incident, whoever received it how often
                raised = first_pc.db.conn.execute("SELECT subject_uid, category, count(*) FROM incidents "
                                                  "WHERE category LIKE 'cross_gate_%' GROUP BY 1, 2").fetchall()
                assert all(n == 1 for _s, _c, n in raised), raised
                if self.pg:
                    held = {(o, s, u, bytes(r), bytes(c)) for o, s, u, r, c in self.pg.execute(
                        "SELECT origin, origin_seq, uid, row_hash, chain_hash FROM records")}
                    assert held == first
                    self.pg.commit()
                for ctx in self.pcs.values():
                    report = verify_database(ctx.db.conn, quick=True)
                    assert report.ok, report.problems
            finally:
                for ctx in self.pcs.values():
                    ctx.close()
                if self.pg:
                    self.pg.close()
                shutil.rmtree(self.dir, ignore_errors=True)

    return Sync


_SETTINGS = settings(max_examples=8, stateful_step_count=25, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def test_random_interleavings_with_the_hub(_compound_template, hub_url, tmp_path):
    template, cards = _compound_template
    run_state_machine_as_test(_machine(template, cards, tmp_path, hub_url), settings=_SETTINGS)


def test_random_interleavings_with_files_and_no_hub(_compound_template, tmp_path):
    template, cards = _compound_template
    run_state_machine_as_test(_machine(template, cards, tmp_path, None), settings=_SETTINGS)


_PUSHER = """
import sys
from checkpoint_app.exchange import hub
from checkpoint_app.services.context import open_gate
from checkpoint_app.services.permissions import OPERATOR
import time
ctx = open_gate(sys.argv[1])
# Stop in the middle of the fifth batch's COPY (inside its transaction) and say so: the test kills
# the process there, whatever the machine's load (a poll on the hub's count raced a fast pusher).
real_uid, rows = hub._uid, [0]
def uid_then_stall(wire):
    rows[0] += 1
    if rows[0] == 4 * int(sys.argv[3]) + int(sys.argv[3]) // 2:
        print("mid-batch", flush=True)
        time.sleep(120)
    return real_uid(wire)
hub._uid = uid_then_stall
with hub.connect(sys.argv[2]) as pg:
    print("connected", flush=True)
    hub.push(ctx, pg, batch=int(sys.argv[3]))
"""


def test_a_gate_killed_mid_push_loses_and_doubles_nothing(compound, hub_url):
    north = compound.gates[0]
    with north.db.write() as conn:  # a day of records, written directly
        for i in range(3000):
            merge.records.append(conn, "handover", {"from_guard": "a", "to_guard": "b", "notes": str(i)},
                                 origin=north.gate.uid, at=north.now())
    proc = subprocess.Popen([sys.executable, "-c", _PUSHER, str(north.data_dir), hub_url, "50"],
                            stdout=subprocess.PIPE, cwd=Path(__file__).parents[2])
    with psycopg.connect(hub_url, autocommit=True) as pg:
        assert proc.stdout.readline().strip() == b"connected"
        assert proc.stdout.readline().strip() == b"mid-batch"   # the fifth batch half copied
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        landed = pg.execute("SELECT count(*) FROM records").fetchone()[0]
        assert landed == 200, landed       # the four whole batches, nothing of the fifth
        with hub.connect(hub_url) as conn:
            assert hub.push(north, conn) == 3000 - landed
            assert hub.push(north, conn) == 0
        n, distinct, top = pg.execute("SELECT count(*), count(DISTINCT uid), max(origin_seq) FROM records").fetchone()
    assert n == distinct == top == 3000
    # and another gate pulls all of it, checked
    east = compound.gates[1]
    with hub.connect(hub_url) as conn:
        assert hub.pull(east, conn).added == 3000
    assert verify_database(east.db.conn).ok
