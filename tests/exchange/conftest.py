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
from checkpoint_app.services.permissions import OPERATOR
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
    office = open_gate(root / "office", clock=FakeClock()).acting_as(None, OPERATOR)
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
        opened.append(open_gate(tmp_path / name, clock=FakeClock()).acting_as(None, OPERATOR))
    c = Compound(opened[0], opened[1:], dict(cards))
    yield c
    for ctx in opened:
        ctx.close()


def journal(ctx: GateContext) -> set[tuple]:
    """Everything a PC holds, as (origin, seq, uid, row hash, chain hash)."""
    return {(o, s, u, bytes(r), bytes(c)) for o, s, u, r, c in ctx.db.conn.execute(
        "SELECT origin, origin_seq, uid, row_hash, chain_hash FROM journal")}


def state_tables(conn) -> dict[str, set]:
    """Every state table, by what identifies a row across PCs (never a local integer id). Kept out:
    a resident's ``created_at``/``updated_at`` (bookkeeping of this PC's writes), sign-on
    lockouts, and which gate is local with its private key (each PC's own)."""
    return {
        "households": set(conn.execute("SELECT label, building, unit, room, status, status_until FROM households")),
        "residents": set(conn.execute(
            "SELECT r.uid, h.label, r.name, r.name_initials, r.phone, r.id_number, r.kind, r.status, r.status_until, "
            "r.active FROM residents r JOIN households h ON h.id = r.household_id")),
        "passes": set(conn.execute(
            "SELECT p.number, p.version, r.uid, p.key_id, p.valid_from, p.valid_until, p.status, p.payload, p.issued_at "
            "FROM passes p JOIN residents r ON r.id = p.resident_id")),
        "users": set(conn.execute("SELECT name, role, disabled, secret_hash, created_at FROM users")),
        "settings": set(conn.execute("SELECT key, value FROM settings")),
        "watchlist": set(conn.execute("SELECT match_hash, note, created_at FROM watchlist")),
        "gates": set(conn.execute("SELECT uid, name, public_key FROM gates")),
    }


def scan(ctx: GateContext, card: str, direction: str = "in"):
    from checkpoint_app.services import gate

    ctx.clock.advance(minutes=5)  # not a repeat scan
    return gate.record_passage(ctx, card, temperature="36.5", direction=direction)


# --- a private PostgreSQL server for the hub tests --------------------------------------------

@pytest.fixture(scope="session")
def pg_server():
    """Yields a function giving the URL of a new, empty database on a server of our own."""
    from tests.pg_server import private_server

    with private_server() as new_database:
        yield new_database


@pytest.fixture
def hub_url(pg_server) -> str:
    return pg_server()
