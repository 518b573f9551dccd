"""Printable pass cards, signed with the site's certificate when this PC holds its key."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages
from checkpoint_app.services import signed_pdf
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.passes import IssuedPass
from checkpoint_app.services.permissions import require

log = logging.getLogger(__name__)

_ = Messages({
    "no_cards": ("没有要打印的出入证（已有有效出入证的住户请加 --reissue 重新发放）。",
                 "No passes to print (add --reissue to replace cards that are still valid)."),
})


def print_pass_cards(ctx: GateContext, issued: list[IssuedPass], out: Path) -> Path:
    """Print ``issued`` passes as cards (ten to an A4 sheet) into ``out``, signed with the
    site's certificate when this PC holds the signing key. Returns ``out``."""
    from checkpoint_app.reports.pass_cards import PassCard, render_pass_cards

    require(ctx, "issue_passes")
    if not issued:
        raise InvalidInput(_("no_cards"), "no_cards")
    cards = [PassCard(p.household, p.name, p.label, p.version, p.valid_from, p.valid_until,
                      p.payload) for p in issued]
    out = Path(out)
    pki = signed_pdf.pki(ctx, need_key=False)
    who = signed_pdf.author(ctx)
    with signed_pdf.writing(out.parent), signed_pdf.unsigned_beside(out) as tmp:
        render_pass_cards(cards, tmp, site_name=ctx.site.name, generated_by=who,
                          generated_at=ctx.now())
        if pki is not None and pki.signer_key:
            signed_pdf.sign(tmp, out, pki, reason=f"{ctx.site.name} 出入证", location=ctx.site.name)
        else:
            log.warning("no document-signing key on this PC: pass cards %s not signed", out)
            os.replace(tmp, out)
    return out
