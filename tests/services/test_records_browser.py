"""Every record kind in one list, paged by key (issue 14): pages join up without a gap or a
repeat in either direction, filters pick exactly what a plain query over the tables picks,
amendments and voids show who, when and why, and only manager and auditor may browse."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from checkpoint_app.domain import record_kinds
from checkpoint_app.errors import PermissionDenied
from checkpoint_app.services import amendments, disinfection, visitors
from checkpoint_app.services.gate import record_passage
from checkpoint_app.services.records_browser import RecordFilter, page


@pytest.fixture(scope="module")
def busy(tmp_path_factory):
    """A gate with passages (some refused), a visitor, a round, a void and an amendment."""
    from tests.core_fixtures import FakeClock, Gate
    from checkpoint_app.services import passes, residents
    from checkpoint_app.services.context import open_gate
    from checkpoint_app.services.permissions import OPERATOR
    from checkpoint_app.services.site import init_site
    from tests.core_fixtures import ROSTER_CSV

    data = tmp_path_factory.mktemp("browse")
    clock = FakeClock()
    init_site(data, site_code="HXY01", site_name="和谐苑小区", gate_name="南门", clock=clock).close()
    ctx = open_gate(data, clock=clock).acting_as("经理", OPERATOR)
    roster = data / "roster.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8")
    residents.import_roster(ctx, roster)
    g = Gate(ctx, clock)
    for p in passes.issue_passes(ctx, all_residents=True):
        g.cards[p.name] = p.payload
    names = sorted(g.cards)
    uids = []
    for i in range(40):
        clock.advance(minutes=37)
        record_passage(ctx, g.cards[names[i % len(names)]], temperature="380" if i % 9 == 0 else "365",
                           guard="王师傅" if i % 2 else "李师傅")
        uids.append(ctx.db.conn.execute("SELECT uid FROM passages ORDER BY at DESC LIMIT 1").fetchone()[0])
    visitors.visitor_in(ctx, name="访客甲", phone="13812345678", id_number="11010519491231002X",
                        purpose="探亲", host="3-2-501", from_place="本市", health_code="green",
                        temperature="365", guard="王师傅")
    disinfection.record_round(ctx, area="1号楼大堂", agent="含氯消毒剂", concentration="500",
                              contact_minutes=30, method="spray", operator="保洁张")
    # a household's own records that are not passages: a status change and a card revoked
    house = ctx.db.conn.execute("SELECT id FROM households WHERE label = '3-2-501'").fetchone()[0]
    residents.set_household_status(ctx, house, "observation", reason="密接")
    number = ctx.db.conn.execute(
        "SELECT p.number FROM passes p JOIN residents r ON r.id = p.resident_id JOIN households h "
        "ON h.id = r.household_id WHERE h.label = '3-2-501' LIMIT 1").fetchone()[0]
    passes.revoke_pass(ctx, str(number), "卡丢了")
    clock.advance(minutes=3)
    amendments.void_record(ctx, uids[3], "扫错了")
    amendments.amend_record(ctx, uids[5], {"direction": "in"}, "方向登记反了")
    yield g, uids
    ctx.close()


def _all(ctx, f=RecordFilter(), limit=7):
    rows, after = [], None
    while True:
        got = page(ctx, f, after=after, limit=limit)
        rows += got
        if len(got) < limit:
            return rows
        after = got[-1].key


def _all_backwards(ctx, f=RecordFilter(), limit=7):
    rows, before = [], ("~", "")
    while True:
        got = page(ctx, f, before=before, limit=limit)
        rows = got + rows
        if len(got) < limit:
            return rows
        before = got[0].key


def test_pages_by_key_cover_every_record_once_in_time_order_both_ways(busy):
    g, _uids = busy
    expected = g.ctx.db.conn.execute("SELECT at, uid, kind FROM journal ORDER BY at, uid").fetchall()
    rows = _all(g.ctx)
    assert [(r.at, r.uid, r.kind) for r in rows] == expected
    assert _all_backwards(g.ctx, limit=5) == rows
    assert {r.kind for r in rows} >= {"passage", "visitor_in", "disinfection", "amendment", "pass_issue"}
    # The place in the chain.
    first = rows[0]
    seq = g.ctx.db.conn.execute("SELECT origin_seq FROM journal WHERE uid = ?", (first.uid,)).fetchone()[0]
    assert first.origin == "南门" and first.seq == seq


def test_the_void_and_the_amendment_say_who_when_why(busy):
    g, uids = busy
    rows = {r.uid: r for r in _all(g.ctx, RecordFilter(kinds=("passage",)))}
    voided, amended = rows[uids[3]], rows[uids[5]]
    assert voided.void and [f.reason for f in voided.fixes] == ["扫错了"] and voided.fixes[0].by == "经理"
    assert not amended.void and amended.fixes[0].action == "amend"
    assert "方向登记反了" in amended.fixes_text() and "经理" in amended.fixes_text()
    assert "更正" in amended.fixes_text("zh") and "amended by 经理" in amended.fixes_text("en")


def _in_household(conn, v: dict, household: str) -> bool:
    """Plainly: the record names the household (or one of the building-unit's), or is about one of
    its residents, or revokes one of their cards."""
    def matches(label):
        return bool(label) and (label == household or label.startswith(household + "-"))

    for column in ("household", "host_household"):
        if column in v:
            return matches(v[column])
    if "resident_uid" in v:
        row = conn.execute("SELECT h.label FROM residents r JOIN households h ON h.id = r.household_id "
                           "WHERE r.uid = ?", (v["resident_uid"],)).fetchone()
        return bool(row) and matches(row[0])
    if "pass_number" in v:
        row = conn.execute("SELECT h.label FROM passes p JOIN residents r ON r.id = p.resident_id JOIN households h "
                           "ON h.id = r.household_id WHERE p.number = ?", (v["pass_number"],)).fetchone()
        return bool(row) and matches(row[0])
    return False


def test_a_household_filter_shows_its_status_changes_cards_and_roster_not_only_passages(busy):
    g, _uids = busy
    kinds = {r.kind for r in _all(g.ctx, RecordFilter(household="3-2-501"))}
    assert {"passage", "visitor_in", "resident_status", "pass_issue", "pass_revoke", "resident"} <= kinds
    assert not {"disinfection", "setting_change"} & kinds


def test_a_status_change_and_a_revoked_card_name_the_household_and_the_person(busy):
    """对象 showed "-" for a revoked card and no room for a status change: both name the household
    and the person (the card's holder), read by resident uid and by card number."""
    g, _uids = busy
    rows = _all(g.ctx, RecordFilter(kinds=("resident_status", "pass_revoke")))
    with g.ctx.db.read() as conn:
        holder = conn.execute(
            "SELECT r.name FROM pass_events_revoke e JOIN passes p ON p.number = e.pass_number "
            "JOIN residents r ON r.id = p.resident_id").fetchone()[0]
    assert {r.who for r in rows if r.kind == "resident_status"} == {
        "3-2-501 张三", "3-2-501 李四", "3-2-502 王五", "5-1-101 赵六"}       # the roster's, and 3-2-501 under watch
    assert [r.who for r in rows if r.kind == "pass_revoke"] == [f"3-2-501 {holder}"]
    issued = {r.who for r in _all(g.ctx, RecordFilter(kinds=("pass_issue",), household="3-2-501"))}
    assert issued == {"3-2-501 张三", "3-2-501 李四"}


def test_whom_a_page_is_about_is_read_in_one_batch_not_a_query_per_row(busy):
    """The names and households behind a page's rows: one query for the residents, one for the
    cards' holders, one for the visitors, however many rows and people the page holds."""
    g, _uids = busy
    conn = g.ctx.db.conn
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        got = page(g.ctx, RecordFilter(kinds=("passage", "resident_status", "pass_revoke", "pass_issue",
                                              "visitor_in")), before=("~", ""), limit=45)
    finally:
        conn.set_trace_callback(None)
    assert len(got) == 45 and {"passage", "pass_revoke", "visitor_in"} <= {r.kind for r in got}
    assert len({r.who for r in got}) >= 5
    whom = [q for q in seen if q.lstrip().upper().startswith("SELECT") and
            any(t in q for t in ("FROM residents", "FROM passes", "FROM visitor_personal"))]
    assert len(whom) == 3, whom


FILTERS = st.builds(
    RecordFilter,
    kinds=st.sampled_from([(), ("passage",), ("visitor_in", "disinfection"), ("amendment",),
                           ("resident_status", "pass_revoke", "pass_issue")]),
    household=st.sampled_from(["", "3-2-501", "3-2", "9-9-999"]),
    person=st.sampled_from(["", "张三", "zs", "李"]),
    guard=st.sampled_from(["", "王师傅", "李师傅", "经理"]),
    outcome=st.sampled_from(["", "allowed", "denied", "flagged"]),
    day_from=st.sampled_from([None, "first", "middle"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=FILTERS, limit=st.integers(1, 9))
@example(f=RecordFilter(kinds=("resident_status", "pass_revoke", "pass_issue"), household="3-2"), limit=3)
def test_a_filter_picks_exactly_what_a_plain_query_picks(busy, f, limit):
    g, _uids = busy
    conn = g.ctx.db.conn
    if f.day_from is not None:
        at = conn.execute("SELECT min(at), max(at) FROM journal").fetchone()
        start = at[0][:10] if f.day_from == "first" else at[1][:10]
        from datetime import date
        f = RecordFilter(f.kinds, date.fromisoformat(start), date.fromisoformat(start) + timedelta(days=0),
                         f.household, f.person, f.guard, f.outcome)
    expected = []
    for at, uid, kind in conn.execute("SELECT at, uid, kind FROM journal ORDER BY at, uid"):
        k = record_kinds.BY_KIND[kind]
        v = dict(zip([d[0] for d in conn.execute(f"SELECT * FROM {k.table} LIMIT 0").description],
                     conn.execute(f"SELECT * FROM {k.table} WHERE uid = ?", (uid,)).fetchone()))
        if f.kinds and kind not in f.kinds:
            continue
        if f.day_from and not (f.day_from.isoformat() <= at[:10] <= f.day_to.isoformat()):
            continue
        if f.outcome and v.get("outcome", "-") != f.outcome:
            continue
        by = {"passage": "guard", "visitor_in": "guard", "visitor_out": "guard", "handover": "from_guard"}.get(
            kind, "recorded_by")
        if f.guard and v.get(by) != f.guard:
            continue
        if f.household and not _in_household(conn, v, f.household):
            continue
        if f.person:
            if "resident_uid" not in v:
                continue
            name = conn.execute("SELECT name, name_initials FROM residents WHERE uid = ?", (v["resident_uid"],)).fetchone()
            if not name or not (f.person in name[0] or name[1].startswith(f.person)):
                continue
        expected.append(uid)
    assert [r.uid for r in _all(g.ctx, f, limit)] == expected


def test_only_manager_and_auditor_browse(busy):
    g, _uids = busy
    for role, ok in (("manager", True), ("auditor", True), ("guard", False), ("admin", False), (None, False)):
        ctx = g.ctx.acting_as("某人", role)
        if ok:
            assert page(ctx, limit=3)
        else:
            with pytest.raises(PermissionDenied):
                page(ctx, limit=3)


def test_no_row_shows_a_secret_or_a_card_that_could_be_copied(gate):
    """The records page is for reading who did what: a user record must not show the sign-on hash
    (anyone could try PINs against it offline), a pass record not the card's signed payload (a QR
    made from it opens the gate), a joining gate not its key and certificate, a baseline not the
    row it holds (a user's hash, a card's payload)."""
    from checkpoint_app.services import users

    users.add_user(gate.ctx, "门卫小王", "guard", "4711")
    secret_hash = gate.ctx.db.conn.execute("SELECT secret_hash FROM users WHERE name = '门卫小王'").fetchone()[0]
    secrets = [secret_hash[:24], *(payload[:24] for payload in gate.cards.values())]
    import json

    from checkpoint_app.db import records
    with gate.ctx.db.write() as conn:   # a site's baseline (db/baseline.py) holds the user's row as it stood
        records.append(conn, "baseline", {"entity": "user", "key": "门卫小王", "snapshot": json.dumps(
            {"role": "guard", "disabled": 0, "secret_hash": secret_hash, "created_at": "2026-11-20T08:00:00"})},
            origin=gate.ctx.gate.uid, at=gate.ctx.now())
    rows = _all(gate.ctx, limit=50)
    assert {r.kind for r in rows} >= {"user", "pass_issue", "baseline"}
    shown_text = [" ".join((r.who, r.detail, r.by)) for r in rows]
    assert not [(t, s) for t in shown_text for s in secrets if s in t]
    assert not [t for t in shown_text if "$argon2" in t]
