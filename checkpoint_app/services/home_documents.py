"""Papers of home quarantine (issue 16): the door round sheets to carry up the stairs, and the
signed documents (the 14-day monitoring form per person, the day's monitoring summary, the
returnee ledger, the survey's progress) with their .xlsx exports.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from checkpoint_app.db import residents_repo
from checkpoint_app.domain.home_quarantine import SYMPTOMS
from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages
from checkpoint_app.services import door_rounds, signed_pdf
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

log = logging.getLogger(__name__)

_ = Messages({
    "nobody": ("今天没有居家隔离或健康观察人员，没有测温单可打印。",
               "Nobody is under quarantine or observation today: there is no round sheet to print."),
    "no_building": ("{building} 号楼今天没有居家隔离或健康观察人员。",
                    "Nobody in building {building} is under quarantine or observation today."),
    "short": ("嗅味觉", "smell/taste"),
})


def round_sheets(ctx: GateContext, out: Path, *, building: str | None = None) -> Path:
    """Today's door round sheets (every building, or one) into ``out`` (a PDF)."""
    from checkpoint_app.reports.round_sheet import SheetHousehold, SheetPerson, render_round_sheets

    require(ctx, "record_door_rounds")
    today = ctx.now().date()
    rnd = door_rounds.today_round(ctx)
    with ctx.db.read() as conn:
        buildings = {h.id: h.building for h in residents_repo.list_households(conn)}
    households = [
        SheetHousehold(buildings[h.household_id], h.household, door_rounds.qr_payload(ctx.site.code, h.household_id),
                       tuple(SheetPerson(p.name, p.measure, p.day, p.length) for p in h.people))
        for h in rnd.households if building is None or buildings[h.household_id] == building]
    if not households:
        raise InvalidInput(_("no_building", building=building) if building else _("nobody"), "nobody_watched")
    labels = [f"{a:%H:%M}-{b:%H:%M}" for a, b in rnd.windows]
    symptoms = [_("short") if s == "smell_taste" else door_rounds.symptom_label(s) for s in SYMPTOMS]
    fever = f"{ctx.rules.fever_threshold // 10}.{ctx.rules.fever_threshold % 10}"
    out = Path(out)
    with signed_pdf.writing(out.parent):
        render_round_sheets(households, out, site_name=ctx.site.name, day=today, windows=labels,
                            symptom_labels=symptoms, fever=fever, generated_by=signed_pdf.author(ctx),
                            generated_at=ctx.now())
    return out
