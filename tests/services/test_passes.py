import pytest

from checkpoint_app.domain import passcode
from checkpoint_app.errors import InvalidInput, NotFound, PermissionDenied, RuleRefusal
from checkpoint_app.services import passes


def test_issue_once_per_resident_then_nothing_more(gate):
    assert len(gate.cards) == 5
    assert passes.issue_passes(gate.ctx, all_residents=True) == []
    numbers = {passcode.decode_pass(p).number for p in gate.cards.values()}
    assert numbers == {1, 2, 3, 4, 5}
    assert gate.count("pass_events_issue") == 5


def test_every_card_verifies_with_the_site_key(gate):
    key = gate.ctx.keys[1].public_key
    for payload in gate.cards.values():
        decoded = passcode.decode_pass(payload)
        assert decoded.site_code == "HXY01" and passcode.verify_signature(decoded, key)


def test_reissue_keeps_the_number_and_supersedes(gate):
    new = passes.issue_passes(gate.ctx, household="3-2-502", reissue=True)
    assert [(p.name, p.version) for p in new] == [("王五", 2)]
    statuses = gate.ctx.db.conn.execute("SELECT version, status FROM passes WHERE number = ? ORDER BY version",
                                        (new[0].number,)).fetchall()
    assert statuses == [(1, "superseded"), (2, "active")]


def test_revoke(gate):
    p = passes.revoke_pass(gate.ctx, "000002", "遗失")
    assert p.status == "revoked"
    with pytest.raises(RuleRefusal):
        passes.revoke_pass(gate.ctx, "2", "again")
    with pytest.raises(NotFound):
        passes.revoke_pass(gate.ctx, "777", "x")
    with pytest.raises(InvalidInput):
        passes.revoke_pass(gate.ctx, "2", "  ")
    assert gate.count("pass_events_revoke") == 1


@pytest.mark.parametrize("text", ["3-2", "3-2-501-1", "", "a--b", "1-2-" + "9" * 11])
def test_bad_household_labels(gate, text):
    with pytest.raises(InvalidInput):
        passes.issue_passes(gate.ctx, household=text)


def test_a_gate_without_the_private_key_cannot_issue(gate):
    conn = gate.ctx.db.conn
    conn.execute("UPDATE site_keys SET private_key = NULL")
    with pytest.raises(PermissionDenied):
        passes.issue_passes(gate.ctx, all_residents=True, reissue=True)


def _payloads(gate, *names):
    return {gate.ctx.db.conn.execute(
        "SELECT p.payload FROM passes p JOIN residents r ON r.id = p.resident_id WHERE r.name = ? "
        "AND p.status = 'active'", (n,)).fetchone()[0] for n in names}


def test_cards_for_several_households_in_one_step_and_a_typo_issues_none(gate):
    from checkpoint_app.errors import NotFound

    with pytest.raises(NotFound, match="9-9-999"):
        passes.issue_passes(gate.ctx, households=["3-2-501", "9-9-999"], reissue=True)
    assert gate.count("pass_events_issue") == 5                      # all or none
    issued = passes.issue_passes(gate.ctx, households=["3-2-501", "5-1-101", "3-2-501"], reissue=True)
    assert sorted(p.name for p in issued) == ["张三", "李四", "赵六"]
    assert _payloads(gate, "张三", "李四", "赵六") == {p.payload for p in issued}


def test_a_lost_card_is_reissued_to_its_holder_alone_and_the_old_one_is_refused_at_once(gate):
    from checkpoint_app.errors import NotFound
    from checkpoint_app.services import gate as gate_service, residents

    number = gate.ctx.db.conn.execute("SELECT number FROM passes p JOIN residents r ON r.id = p.resident_id "
                                      "WHERE r.name = '李四'").fetchone()[0]
    (new,) = passes.issue_passes(gate.ctx, lost=str(number))
    assert (new.name, new.number, new.version) == ("李四", number, 2)
    assert _payloads(gate, "张三") == {gate.cards["张三"]}                 # the household's other card stays
    assert gate_service.record_passage(gate.ctx, gate.cards["李四"], temperature="36.5").outcome == "denied"
    gate.clock.advance(minutes=5)                     # (not a duplicate of the scan above)
    assert gate_service.record_passage(gate.ctx, new.payload, temperature="36.5").outcome == "allowed"
    with pytest.raises(NotFound):
        passes.issue_passes(gate.ctx, lost="999999")
    residents.move_out(gate.ctx, gate.ids["李四"], "出售")
    with pytest.raises(NotFound, match="已迁出"):
        passes.issue_passes(gate.ctx, lost=str(number))
