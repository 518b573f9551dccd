from datetime import date

from checkpoint_app.db.verify import verify_database
from checkpoint_app.services.context import open_gate
from checkpoint_app.services.demo import make_demo


def test_demo_is_a_realistic_verifiable_compound(tmp_path):
    summary = make_demo(tmp_path / "d", households=40, days=3, today=date(2026, 11, 20))
    assert summary["residents"] >= 40 and summary["passes"] == summary["residents"]
    ctx = open_gate(tmp_path / "d")
    try:
        conn = ctx.db.conn
        reasons = {r for (r,) in conn.execute("SELECT DISTINCT reason FROM passages")}
        assert {"ok", "forged", "revoked"} <= reasons
        assert conn.execute("SELECT count(*) FROM visitor_entries").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM disinfection_rounds").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM handovers").fetchone()[0] > 0
        days = {d for (d,) in conn.execute("SELECT DISTINCT day FROM passages")}
        assert days == {"2026-11-18", "2026-11-19", "2026-11-20"}
        assert verify_database(conn).ok
    finally:
        ctx.close()


def test_demo_refuses_a_folder_that_is_set_up(tmp_path):
    import pytest
    from checkpoint_app.errors import UserError
    make_demo(tmp_path / "d", households=3, days=1, today=date(2026, 11, 20))
    with pytest.raises(UserError):
        make_demo(tmp_path / "d", households=3, days=1, today=date(2026, 11, 20))
