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
