"""Shared fixtures for the non-UI tests: a site on a fake clock, a small roster, issued passes.

Import into a folder's conftest with ``from tests.core_fixtures import *``. An initialised
database is built once per session and copied for each test (creating certificates and keys
per test would make the suite slow without testing anything more).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from checkpoint_app import paths
from checkpoint_app.services import passes, residents
from checkpoint_app.services.context import GateContext, open_gate
from checkpoint_app.services.permissions import OPERATOR

CST = timezone(timedelta(hours=8))
START = datetime(2026, 11, 20, 9, 0, 0, tzinfo=CST)

ROSTER_CSV = """楼栋,单元,房号,姓名,电话,身份证号,类型,状态,隔离至
3,2,501,张三,13812345678,11010519491231002X,户主,正常,
3,2,501,李四,13912345678,,家属,正常,
3,2,502,王五,13712345678,,户主,居家隔离,2026-11-25
5,1,101,赵六,13612345678,,户主,健康观察,
5,1,102,李𠮷祥,13512345678,,户主,正常,
"""


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw) -> datetime:
        self.now += timedelta(**kw)
        return self.now

    def set(self, when: datetime) -> datetime:
        self.now = when
        return self.now


@dataclass
class Gate:
    ctx: GateContext
    clock: FakeClock
    cards: dict[str, str] = field(default_factory=dict)      # resident name -> payload
    ids: dict[str, int] = field(default_factory=dict)        # resident name -> resident id

    @property
    def data_dir(self) -> Path:
        return self.ctx.data_dir

    def count(self, table: str) -> int:
        return self.ctx.db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture(scope="session")
def _site_template(tmp_path_factory) -> Path:
    from checkpoint_app.services.site import init_site

    d = tmp_path_factory.mktemp("site-template")
    ctx = init_site(d, site_code="HXY01", site_name="和谐苑小区", gate_name="南门", clock=FakeClock())
    ctx.close()
    return d


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def site(tmp_path, _site_template, clock) -> Gate:
    """An initialised site (no residents) on a fake clock."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(paths.db_path(_site_template), paths.db_path(data))
    ctx = open_gate(data, clock=clock).acting_as(None, OPERATOR)   # as `checkpoint` on this PC does
    yield Gate(ctx, clock)
    ctx.close()


@pytest.fixture
def roster_file(tmp_path) -> Path:
    p = tmp_path / "roster.csv"
    p.write_text(ROSTER_CSV, encoding="utf-8")
    return p


@pytest.fixture
def gate(site, roster_file) -> Gate:
    """A site with five residents in four households, each with a pass."""
    residents.import_roster(site.ctx, roster_file)
    for p in passes.issue_passes(site.ctx, all_residents=True):
        site.cards[p.name] = p.payload
    for r in residents.list_residents(site.ctx):
        site.ids[r.name] = r.id
    return site


__all__ = ["FakeClock", "Gate", "CST", "START", "ROSTER_CSV", "_site_template", "clock", "site",
           "roster_file", "gate", "date"]
