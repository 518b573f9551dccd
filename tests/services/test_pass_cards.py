"""Printable pass cards: signed, and their QR codes scan."""

from __future__ import annotations

import pytest

from checkpoint_app.errors import InvalidInput
from checkpoint_app.services import passes
from checkpoint_app.services.pass_cards import print_pass_cards
from checkpoint_app.services.verification import verify_document
from tests.reports.conftest import decode_qr, render
from tests.services.printed_day import text_of
from tests.services.printed_day import chinese  # noqa: F401 (fixtures)


# -- pass cards -----------------------------------------------------------------------------------

def test_pass_cards_are_printed_signed_and_scannable(gate, tmp_path):
    from checkpoint_app.reports.signing import verify_pdf_signature
    from checkpoint_app.db import site_repo

    issued = passes.issue_passes(gate.ctx, household="3-2-501", reissue=True)
    out = print_pass_cards(gate.ctx, issued, tmp_path / "cards.pdf")
    assert out.exists() and not list(tmp_path.glob(".*"))
    ca = site_repo.get_pki(gate.ctx.db.conn)[0]
    assert verify_pdf_signature(out, ca).valid
    assert decode_qr(render(out, tmp_path, 150)[0]) == {p.payload for p in issued}
    text = text_of(out)
    assert "张三" in text and "李四" in text
    check = verify_document(gate.ctx, out)  # signed, but no checkpoint: not a daily log
    assert not check.ok and check.problems[0].detail == "missing"
    with pytest.raises(InvalidInput):
        print_pass_cards(gate.ctx, [], tmp_path / "none.pdf")


def test_cards_are_issued_and_printed_in_a_child_process_and_its_refusals_come_back_as_they_are(gate, tmp_path):
    from checkpoint_app.errors import NotFound
    from checkpoint_app.services.pass_cards import issue_and_print_apart
    from checkpoint_app.services.progress import Progress

    steps = []
    made = issue_and_print_apart(gate.ctx, tmp_path / "cards.pdf", households=["3-2-501"], reissue=True,
                                 progress=Progress(lambda *a: steps.append(a)))
    sheet = made.path
    assert made.count == 2 and sheet == tmp_path / "cards.pdf"
    with gate.ctx.db.read() as conn:
        active = {r[0] for r in conn.execute(
            "SELECT payload FROM passes p JOIN residents r ON r.id = p.resident_id JOIN households h "
            "ON h.id = r.household_id WHERE h.label = '3-2-501' AND p.status = 'active'")}
    assert set().union(*(decode_qr(png) for png in render(sheet, tmp_path, 200))) == active
    assert gate.cards["张三"] not in active and steps[-1][:2] == (2, 2)
    with gate.ctx.db.read() as conn:          # the sheet says which cards it holds: each the valid one
        holds = {(c.number, c.version, c.household, c.name) for c in made.cards}
        assert holds == {(n, v, "3-2-501", name) for n, v, name in conn.execute(
            "SELECT p.number, p.version, r.name FROM passes p JOIN residents r ON r.id = p.resident_id "
            "WHERE p.payload IN (%s)" % ",".join("?" * len(active)), sorted(active))}
    assert gate.ctx.db.conn.execute("SELECT count(*) FROM pass_events_issue WHERE at LIKE '2026-11-20T09:00%'"
                                    ).fetchone()[0] == 7      # at this context's (fake) time, not the child's clock
    nothing = issue_and_print_apart(gate.ctx, tmp_path / "none.pdf")     # everybody holds a card
    assert (nothing.count, nothing.path, nothing.cards) == (0, None, ())
    with pytest.raises(NotFound, match="^没有户号为 9-9-999 的住户。$") as refused:
        issue_and_print_apart(gate.ctx, tmp_path / "x.pdf", households=["9-9-999"])
    assert refused.value.code == "not_found" and not (tmp_path / "x.pdf").exists()
    with pytest.raises(Exception, match="无权"):
        issue_and_print_apart(gate.ctx.acting_as("李建国", "guard"), tmp_path / "g.pdf")


def test_a_refusal_in_the_card_making_child_is_in_the_language_the_app_chose(gate, tmp_path):
    """The app switches language in its own process (the settings page), not through
    CHECKPOINT_LANG: the spawned child spoke Chinese to an English screen."""
    from checkpoint_app import i18n
    from checkpoint_app.errors import NotFound
    from checkpoint_app.services.pass_cards import issue_and_print_apart

    i18n.set_language("en")
    try:
        with pytest.raises(NotFound) as refused:
            issue_and_print_apart(gate.ctx, tmp_path / "x.pdf", households=["9-9-999"])
    finally:
        i18n.set_language("zh_CN")
    assert "9-9-999" in str(refused.value) and not any("\u4e00" <= ch <= "\u9fff" for ch in str(refused.value))


def test_a_sheet_made_again_holds_the_valid_cards_of_its_numbers_and_issues_nothing(gate, tmp_path):
    """A sheet whose card was revoked or re-issued is made again: the revoked card is left out, the
    re-issued one is in its new version, no card is issued."""
    from checkpoint_app.services import passes
    from checkpoint_app.services.pass_cards import issue_and_print_apart, reprint_apart

    made = issue_and_print_apart(gate.ctx, tmp_path / "cards.pdf", households=["3-2-501"], reissue=True)
    first, second = sorted((c.number, c.version) for c in made.cards)
    assert passes.no_longer_valid(gate.ctx, [first, second]) == []
    passes.revoke_pass(gate.ctx, str(first[0]), "卡丢失")
    again = issue_and_print_apart(gate.ctx, tmp_path / "lost.pdf", lost=str(second[0]))
    assert [(c.number, c.version) for c in again.cards] == [(second[0], second[1] + 1)]
    assert passes.no_longer_valid(gate.ctx, [first, second]) == [first, second]
    issued = gate.ctx.db.conn.execute("SELECT count(*) FROM passes").fetchone()[0]
    remade = reprint_apart(gate.ctx, tmp_path / "again.pdf", [first[0], second[0]])
    assert [(c.number, c.version) for c in remade.cards] == [(second[0], second[1] + 1)]
    assert gate.ctx.db.conn.execute("SELECT count(*) FROM passes").fetchone()[0] == issued
    with gate.ctx.db.read() as conn:
        payload = conn.execute("SELECT payload FROM passes WHERE number = ? AND version = ?",
                               (second[0], second[1] + 1)).fetchone()[0]
    assert set().union(*(decode_qr(png) for png in render(remade.path, tmp_path, 200))) == {payload}
    passes.revoke_pass(gate.ctx, str(second[0]), "搬走")
    assert reprint_apart(gate.ctx, tmp_path / "none.pdf", [first[0], second[0]]).path is None
