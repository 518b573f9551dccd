"""Printable pass cards, signed with the site's certificate when this PC holds its key.

``issue_and_print_apart`` issues and prints in a child process: rendering a thousand QR codes and
signing the sheet keep the interpreter busy in C for long stretches (imports, reportlab, pyHanko),
and in a thread of the GUI's process that holds the GIL — the window would freeze for 0.3–0.4 s at
a time (measured with the office tests' watchdog). A child has its own interpreter.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from checkpoint_app.domain.passcode import format_pass_number
from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages
from checkpoint_app.services import signed_pdf
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.passes import IssuedPass
from checkpoint_app.services.permissions import require
from checkpoint_app.services.progress import step

log = logging.getLogger(__name__)

_ = Messages({
    "no_cards": ("没有要打印的出入证（已有有效出入证的住户请加 --reissue 重新发放）。",
                 "No passes to print (add --reissue to replace cards that are still valid)."),
})


@dataclass(frozen=True)
class SheetCard:
    """One card on a sheet: which card (number and version) and whose."""
    number: int
    version: int
    household: str
    name: str

    @property
    def label(self) -> str:
        return format_pass_number(self.number)


@dataclass(frozen=True)
class CardSheet:
    """A sheet of cards just made: the file (None when nobody needed a card) and the cards on it,
    so that a screen can tell when one of them is no longer the valid one."""
    path: Path | None
    cards: tuple[SheetCard, ...] = ()

    @property
    def count(self) -> int:
        return len(self.cards)


def _sheet(issued: list[IssuedPass], out: Path) -> CardSheet:
    return CardSheet(Path(out), tuple(SheetCard(p.number, p.version, p.household, p.name) for p in issued))


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


def issue_and_print_apart(ctx: GateContext, out: Path, *, households: list[str] | None = None,
                          reissue: bool = False, lost: str | None = None, progress=None) -> CardSheet:
    """``passes.issue_passes`` (to ``households``, to the holder of the ``lost`` card, or to
    everyone without a valid card) and
    ``print_pass_cards`` into ``out``, run in a child process acting for the same person at this
    moment (services/apart.py): the sheet and its cards (no path when nobody needed one). A
    refusal in the child (a ``UserError``) is raised here as the same kind with the same sentence."""
    from checkpoint_app.services import apart

    require(ctx, "issue_passes")
    what = {"households": list(households or []) or None, "reissue": reissue, "lost": lost}
    return apart.call_as(ctx, _issue_and_print, what, str(out), name="checkpoint-cards", progress=progress)


def reprint_apart(ctx: GateContext, out: Path, numbers: list[int], progress=None) -> CardSheet:
    """A sheet of the cards valid now for these pass numbers (a revoked one left out, a re-issued
    one in its new version), nothing issued, in a child process as ``issue_and_print_apart``: the
    sheet and its cards (no path when none of them is valid any more)."""
    from checkpoint_app.services import apart

    require(ctx, "issue_passes")
    return apart.call_as(ctx, _reprint, list(numbers), str(out), name="checkpoint-cards", progress=progress)


def _issue_and_print(ctx: GateContext, what: dict, out: str, progress=None) -> CardSheet:
    """In the child process: issue, print."""
    from checkpoint_app.services import passes

    step(progress, 0, 2, "issue")
    issued = passes.issue_passes(ctx, **what)
    if not issued:
        return CardSheet(None)
    step(progress, 1, 2, "print")
    print_pass_cards(ctx, issued, Path(out))
    step(progress, 2, 2, "print")
    return _sheet(issued, out)


def _reprint(ctx: GateContext, numbers: list[int], out: str, progress=None) -> CardSheet:
    """In the child process: the valid cards of ``numbers``, printed."""
    from checkpoint_app.services import passes

    step(progress, 0, 2, "issue")
    valid = passes.valid_cards(ctx, numbers)
    if not valid:
        return CardSheet(None)
    step(progress, 1, 2, "print")
    print_pass_cards(ctx, valid, Path(out))
    step(progress, 2, 2, "print")
    return _sheet(valid, out)
