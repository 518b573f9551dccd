"""Fixtures for the whole suite.

Qt must never open a real window in tests: the offscreen platform is chosen here, before any
test module can import Qt. ``gate_ctx`` is a ready gate: a site on a fake clock, a few residents
imported from a CSV roster, passes issued and a guard account (李建国, PIN 1234). The set-up is
done once per session and the database file copied for each test (certificates, keys and Argon2
hashes per test would only make the suite slow).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QUICK_BACKEND", "software")
# Never let a developer's language setting leak into assertions about sentences.
os.environ.pop("CHECKPOINT_LANG", None)
# The apps the tests start write their logs here, not into the user's log folder.
if "CHECKPOINT_LOG_DIR" not in os.environ:
    import tempfile

    os.environ["CHECKPOINT_LOG_DIR"] = tempfile.mkdtemp(prefix="checkpoint-test-logs-")
# … and trust site certificates from an empty folder of their own, not the user's (services/trust.py).
if "CHECKPOINT_TRUST_DIR" not in os.environ:
    import tempfile

    os.environ["CHECKPOINT_TRUST_DIR"] = tempfile.mkdtemp(prefix="checkpoint-test-trust-")

import pytest  # noqa: E402

from checkpoint_app.services.permissions import OPERATOR  # noqa: E402
from tests.core_fixtures import ROSTER_CSV, FakeClock  # noqa: E402

GUARD = "李建国"
GUARD_PIN = "1234"
NEXT_GUARD = "王海波"
NEXT_GUARD_PIN = "5678"


@dataclass
class GateFixture:
    ctx: object                     # services.context.GateContext
    clock: FakeClock
    cards: dict[str, str] = field(default_factory=dict)      # resident name -> pass payload
    ids: dict[str, int] = field(default_factory=dict)        # resident name -> resident id

    @property
    def data_dir(self) -> Path:
        return self.ctx.data_dir

    @property
    def operator(self):
        """The gate as the command line on this PC acts (``ctx`` acts for nobody, as the app's
        does before sign-on): for a test's own preparations."""
        return self.ctx.acting_as(None, OPERATOR)

    def count(self, table: str, where: str = "", *args) -> int:
        sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
        return self.ctx.db.conn.execute(sql, args).fetchone()[0]

    def passages(self) -> list[tuple]:
        return self.ctx.db.conn.execute(
            "SELECT household, direction, temp_tenths, outcome, reason, manual, guard FROM passages "
            "ORDER BY at").fetchall()


@pytest.fixture(scope="session")
def _gate_template(tmp_path_factory) -> tuple[Path, dict, dict]:
    from checkpoint_app.services import passes, residents, users
    from checkpoint_app.services.site import init_site

    d = tmp_path_factory.mktemp("gate-template")
    clock = FakeClock()
    ctx = init_site(d, site_code="HXY01", site_name="和谐苑小区", gate_name="南门", clock=clock).acting_as(
        None, OPERATOR)
    try:
        roster = d / "roster.csv"
        roster.write_text(ROSTER_CSV, encoding="utf-8")
        residents.import_roster(ctx, roster)
        cards = {p.name: p.payload for p in passes.issue_passes(ctx, all_residents=True)}
        ids = {r.name: r.id for r in residents.list_residents(ctx)}
        users.add_user(ctx, GUARD, "guard", GUARD_PIN)
        users.add_user(ctx, NEXT_GUARD, "guard", NEXT_GUARD_PIN)
    finally:
        ctx.close()
    roster.unlink()
    return d, cards, ids


@pytest.fixture
def gate_ctx(tmp_path, _gate_template) -> GateFixture:
    """A gate ready to scan: residents, passes, two guard accounts; a fake clock at 09:00."""
    from checkpoint_app import paths
    from checkpoint_app.services.context import open_gate

    template, cards, ids = _gate_template
    data = tmp_path / "gate"
    data.mkdir()
    shutil.copy(paths.db_path(template), paths.db_path(data))
    clock = FakeClock()
    ctx = open_gate(data, clock=clock)
    yield GateFixture(ctx, clock, dict(cards), dict(ids))
    ctx.close()
