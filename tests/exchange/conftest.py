"""A compound: an office (the PC that issues passes) and three gates joined from it.

Built once per session (keys, certificates and scrypt per join would make every test slow) and
copied for each test. Every PC runs on its own fake clock.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from checkpoint_app import paths
from checkpoint_app.services.context import GateContext, open_gate
from tests.core_fixtures import FakeClock

GATES = ("北门", "东门", "西门")


@dataclass
class Compound:
    office: GateContext
    gates: list[GateContext]
    cards: dict[str, str]

    @property
    def pcs(self) -> list[GateContext]:
        return [self.office, *self.gates]


@pytest.fixture(scope="session")
def _compound_template(tmp_path_factory, _gate_template) -> tuple[Path, dict]:
    from checkpoint_app.exchange.join import export_join, init_join

    template, cards, _ids = _gate_template
    root = tmp_path_factory.mktemp("compound")
    (root / "office").mkdir()
    shutil.copy(paths.db_path(template), paths.db_path(root / "office"))
    office = open_gate(root / "office", clock=FakeClock())
    try:
        for name in GATES:
            file, code = export_join(office, name, root / f"{name}.ckp")
            init_join(root / name, file, code, clock=FakeClock()).close()
    finally:
        office.close()
    return root, cards


@pytest.fixture
def compound(tmp_path, _compound_template) -> Compound:
    root, cards = _compound_template
    opened = []
    for name in ("office", *GATES):
        (tmp_path / name).mkdir()
        shutil.copy(paths.db_path(root / name), paths.db_path(tmp_path / name))
        opened.append(open_gate(tmp_path / name, clock=FakeClock()))
    c = Compound(opened[0], opened[1:], dict(cards))
    yield c
    for ctx in opened:
        ctx.close()


def journal(ctx: GateContext) -> set[tuple]:
    """Everything a PC holds, as (origin, seq, uid, row hash, chain hash)."""
    return {(o, s, u, bytes(r), bytes(c)) for o, s, u, r, c in ctx.db.conn.execute(
        "SELECT origin, origin_seq, uid, row_hash, chain_hash FROM journal")}


def scan(ctx: GateContext, card: str, direction: str = "in"):
    from checkpoint_app.services import gate

    ctx.clock.advance(minutes=5)  # not a repeat scan
    return gate.record_passage(ctx, card, temperature="36.5", direction=direction)


# --- a private PostgreSQL server for the hub tests --------------------------------------------

def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb refuses to run as root: as root, run the server's programs as ``postgres``."""
    import os

    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server of our own on a free loopback port, stopped at the end of the session.
    Yields a function giving the URL of a new, empty database."""
    import itertools
    import os
    import socket
    import subprocess
    import tempfile

    import psycopg

    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    if not bins:
        pytest.fail("PostgreSQL server programs are missing: scripts/setup.sh installs Debian's postgresql")
    pg_bin = bins[-1]
    # not under pytest's temporary folder: that one is private to root, and as root the server
    # runs as ``postgres``
    root = Path(tempfile.mkdtemp(prefix="checkpoint-hub-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run(_as_postgres([str(pg_bin / "initdb"), "-D", str(data), "-U", "hub", "--auth=trust",
                                 "-E", "UTF8", "--no-sync"]), check=True, capture_output=True)
    subprocess.run(_as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-w", "-l", str(root / "log"), "-o",
                                 f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                                 "-c full_page_writes=off -c synchronous_commit=off", "start"]),
                   check=True, capture_output=True)
    counter = itertools.count()
    base = f"postgresql://hub@127.0.0.1:{port}"

    def new_database() -> str:
        name = f"hub{next(counter)}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as c:
            c.execute(f"CREATE DATABASE {name}")
        return f"{base}/{name}"

    try:
        yield new_database
    finally:
        subprocess.run(_as_postgres([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def hub_url(pg_server) -> str:
    return pg_server()
