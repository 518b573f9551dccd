import pytest

from checkpoint_app.db import records
from checkpoint_app.errors import InvalidInput, NotFound, RuleRefusal
from checkpoint_app.services import visitors

VISITOR = dict(name="孙七", phone="138 0013 8000", id_number="11010519491231002x", purpose="探望父母，顺便送一些生活物资",
               host="3-2-501", from_place="本市朝阳区", health_code="green", temperature="365")


def test_visitor_in_stores_personal_fields_apart_with_a_salted_hash(gate):
    r = visitors.visitor_in(gate.ctx, **VISITOR)
    assert r.outcome == "allowed"
    conn = gate.ctx.db.conn
    salt, name, phone, idn = conn.execute("SELECT salt, name, phone, id_number FROM visitor_personal WHERE uid = ?",
                                          (r.visitor_id,)).fetchone()
    assert (name, phone, idn) == ("孙七", "13800138000", "11010519491231002X")
    stored = conn.execute("SELECT personal_hash FROM visitor_entries WHERE uid = ?", (r.visitor_id,)).fetchone()[0]
    assert stored == records.personal_hash(salt, {"name": name, "phone": phone, "id_number": idn})
    # nothing personal in the chained record itself
    row = " ".join(str(v) for v in conn.execute("SELECT * FROM visitor_entries").fetchone())
    assert "13800138000" not in row and "孙七" not in row
    assert [v.name for v in visitors.visitors_inside(gate.ctx)] == ["孙七"]
    visitors.visitor_out(gate.ctx, r.visitor_id)
    assert visitors.visitors_inside(gate.ctx) == []


@pytest.mark.parametrize("change, outcome, reason", [
    ({"health_code": "red"}, "denied", "health_code_red"),
    ({"health_code": "yellow"}, "flagged", "health_code_yellow"),
    ({"temperature": "38.0"}, "denied", "visitor_fever"),
])
def test_visitor_decisions_and_incidents(gate, change, outcome, reason):
    r = visitors.visitor_in(gate.ctx, **(VISITOR | change))
    assert (r.outcome, r.reason) == (outcome, reason)
    assert gate.count("incidents") == 1
    if outcome == "denied":
        with pytest.raises(RuleRefusal):
            visitors.visitor_out(gate.ctx, r.visitor_id)


def test_watch_list_by_id_number_flags(gate):
    visitors.add_to_watchlist(gate.ctx, id_number="11010519491231002X", note="曾冒用他人身份")
    assert gate.ctx.db.conn.execute("SELECT match_hash FROM watchlist").fetchone()[0] != "11010519491231002X"
    r = visitors.visitor_in(gate.ctx, **VISITOR)
    assert (r.outcome, r.reason) == ("flagged", "watchlist")


@pytest.mark.parametrize("field, value, exc", [
    ("phone", "12345", InvalidInput), ("id_number", "110105194912310021", InvalidInput), ("name", "", InvalidInput),
    ("purpose", "", InvalidInput), ("health_code", "blue", InvalidInput), ("temperature", "", InvalidInput),
    ("temperature", "50", InvalidInput), ("host", "3-2", InvalidInput), ("host", "9-9-9", NotFound),
    ("from_place", "x" * 61, InvalidInput),
])
def test_bad_visitor_input_writes_nothing(gate, field, value, exc):
    before = gate.count("journal")
    with pytest.raises(exc):
        visitors.visitor_in(gate.ctx, **(VISITOR | {field: value}))
    assert gate.count("journal") == before and gate.count("visitor_personal") == 0


def test_visitor_out_errors(gate):
    with pytest.raises(NotFound):
        visitors.visitor_out(gate.ctx, "nope")
    r = visitors.visitor_in(gate.ctx, **VISITOR)
    visitors.visitor_out(gate.ctx, r.visitor_id)
    with pytest.raises(RuleRefusal):
        visitors.visitor_out(gate.ctx, r.visitor_id)
