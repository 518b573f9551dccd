"""services/privacy.py: masks by role, and the retention purge that keeps the chain verifiable."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from checkpoint_app import paths
from checkpoint_app.db import records
from checkpoint_app.db.verify import verify_database
from checkpoint_app.errors import PermissionDenied
from checkpoint_app.services import privacy, site as site_service, visitors

VISITOR = dict(phone="13800138000", id_number="11010519491231002X", purpose="送快递", host="3-2-501",
               from_place="本市朝阳区", health_code="green", temperature="36.6")


@pytest.mark.parametrize("value, masked", [
    ("11010519491231002X", "110***********002X"),
    ("110105194912310021", "110***********0021"),
    ("", ""), (None, ""),
    ("12345", "1***5"),                      # too short for 3+4: at most a quarter shown at each end
])
def test_mask_id_number(value, masked):
    assert privacy.mask_id_number(value) == masked
    if value:
        assert len(privacy.mask_id_number(value)) == len(value)


@pytest.mark.parametrize("value, masked", [
    ("13812345678", "138****5678"),
    ("", ""), (None, ""),
    ("1234567", "1*****7"),
])
def test_mask_phone(value, masked):
    assert privacy.mask_phone(value) == masked


@pytest.mark.parametrize("role, sees", [("guard", False), ("admin", False), ("manager", True),
                                        ("auditor", True), ("operator", True), ("system", False),
                                        (None, False)])
def test_who_sees_full_numbers(site, role, sees):
    site.ctx.role = role
    idn, phone = "11010519491231002X", "13812345678"
    assert privacy.may_see_personal_data(site.ctx) is sees
    assert (privacy.show_id_number(site.ctx, idn) == idn) is sees
    assert (privacy.show_phone(site.ctx, phone) == phone) is sees
    if not sees:
        assert privacy.show_id_number(site.ctx, idn) == "110***********002X"
        assert privacy.show_phone(site.ctx, phone) == "138****5678"


# --- the purge -----------------------------------------------------------------------------------

@pytest.fixture
def visited(gate):
    """Two visitors 40 and 10 days ago, one today."""
    ctx = gate.ctx
    ctx.user = "李建国"
    start = gate.clock.now
    uids = {}
    for name, days_ago in (("孙悟空", 40), ("猪八戒", 10), ("沙悟净", 0)):
        gate.clock.set(start + timedelta(days=40 - days_ago))
        uids[name] = visitors.visitor_in(ctx, name=name, **VISITOR).visitor_id
    gate.uids = uids
    return gate


def _personal(g) -> set[str]:
    return {r[0] for r in g.ctx.db.conn.execute("SELECT name FROM visitor_personal")}


def test_purge_deletes_old_personal_fields_and_records_itself(visited):
    ctx = visited.ctx
    ctx.user = "物业管理员"
    n = visited.count("journal")
    result = privacy.purge(ctx)
    assert result.purged == 1
    assert result.before_day == (visited.clock.now.date() - timedelta(days=28)).isoformat()
    assert _personal(visited) == {"猪八戒", "沙悟净"}
    assert visited.count("journal") == n + 1
    row = ctx.db.conn.execute("SELECT before_day, purged, recorded_by FROM purges WHERE uid = ?",
                              (result.record_uid,)).fetchone()
    assert row == (result.before_day, 1, "物业管理员")
    # The visitor's record stays, with its hash only: the chain still verifies.
    assert ctx.db.conn.execute("SELECT personal_hash FROM visitor_entries WHERE uid = ?",
                               (visited.uids["孙悟空"],)).fetchone()[0]
    assert verify_database(ctx.db.conn).ok


def test_retention_days_setting_is_used(visited):
    site_service.set_setting(visited.ctx, "retention_days", "7")
    assert privacy.purge(visited.ctx).purged == 2
    assert _personal(visited) == {"沙悟净"}
    assert verify_database(visited.ctx.db.conn).ok


def test_a_purged_name_is_gone_from_the_file(visited):
    """Not only unreachable: not left in free pages or the WAL for a disk editor to find."""
    privacy.purge(visited.ctx)
    db = paths.db_path(visited.data_dir)
    blobs = [Path(f"{db}{s}").read_bytes() for s in ("", "-wal") if Path(f"{db}{s}").exists()]
    assert not any("孙悟空".encode() in b for b in blobs)
    assert any("沙悟净".encode() in b for b in blobs)    # the kept one is still there (sanity)


def test_purge_and_its_record_are_one_transaction(visited, monkeypatch):
    real = records.append

    def failing(conn, kind, *a, **kw):
        if kind == "purge":
            raise RuntimeError("power cut")
        return real(conn, kind, *a, **kw)

    monkeypatch.setattr(records, "append", failing)
    n = visited.count("journal")
    with pytest.raises(RuntimeError):
        privacy.purge(visited.ctx)
    assert _personal(visited) == {"孙悟空", "猪八戒", "沙悟净"}
    assert visited.count("journal") == n


@pytest.mark.parametrize("role", ["guard", "auditor"])
def test_purging_by_hand_needs_the_permission(visited, role):
    visited.ctx.role = role
    n = visited.count("journal")
    with pytest.raises(PermissionDenied):
        privacy.purge(visited.ctx)
    assert _personal(visited) == {"孙悟空", "猪八戒", "沙悟净"} and visited.count("journal") == n


def test_the_daily_purge_runs_once_a_day_whoever_is_signed_on(visited):
    visited.ctx.role, visited.ctx.user = "guard", "李建国"
    first = privacy.purge_if_due(visited.ctx)
    assert first is not None and first.purged == 1
    assert visited.ctx.db.conn.execute("SELECT recorded_by FROM purges").fetchall() == [(privacy.AUTO,)]
    assert privacy.purge_if_due(visited.ctx) is None
    visited.clock.advance(days=1)
    assert privacy.purge_if_due(visited.ctx).purged == 0
    assert visited.count("purges") == 2
    assert verify_database(visited.ctx.db.conn).ok


def test_visitors_inside_still_lists_a_purged_visitor(visited):
    """A visitor still inside after the retention keeps their record; the name is gone."""
    privacy.purge(visited.ctx)
    inside = {v.visitor_id: v.name for v in visitors.visitors_inside(visited.ctx)}
    assert inside[visited.uids["孙悟空"]] is None
    assert inside[visited.uids["沙悟净"]] == "沙悟净"
