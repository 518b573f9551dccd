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
