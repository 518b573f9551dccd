"""Issue, re-issue and revoke passes (出入证). Only the PC holding the site's private key issues."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from checkpoint_app.domain.text import free_text, shown
from checkpoint_app.db import passes_repo, records, residents_repo, site_repo
from checkpoint_app.domain import passcode
from checkpoint_app.errors import InvalidInput, NotFound, PermissionDenied, RuleRefusal
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

log = logging.getLogger(__name__)

_ = Messages({
    "no_key": ("此电脑没有小区签名私钥，不能发放出入证（只有物业办公室的电脑可以）。",
               "This PC holds no site signing key and cannot issue passes (only the office PC can)."),
    "household": ("户号“{text}”应写成 楼栋-单元-房号，如 3-2-501。", "Household “{text}” should be building-unit-room, e.g. 3-2-501."),
    "no_household": ("没有户号为 {label} 的住户。", "There is no household {label}."),
    "no_pass": ("没有号码为 {number} 的出入证。", "There is no pass number {number}."),
    "already_revoked": ("出入证 {number} 已作废。", "Pass {number} is already revoked."),
    "reason": ("请填写作废原因。", "Give a reason for revoking."),
    "no_holder": ("出入证 {number} 的持有人已迁出，不能补办。", "The holder of pass {number} has moved out: no new card."),
})


@dataclass(frozen=True)
class IssuedPass:
    number: int
    version: int
    household: str
    name: str
    valid_from: date
    valid_until: date
    payload: str

    @property
    def label(self) -> str:
        return passcode.format_pass_number(self.number)

    def as_json(self) -> dict:
        return {"number": self.label, "version": self.version, "household": self.household, "name": self.name,
                "valid_from": self.valid_from.isoformat(), "valid_until": self.valid_until.isoformat(),
                "payload": self.payload}


def parse_household(text: str) -> tuple[str, str, str]:
    parts = [p.strip() for p in str(text).strip().split("-")]
    if len(parts) != 3 or not all(parts) or any(len(p) > 10 for p in parts):
        raise InvalidInput(_("household", text=shown(text, 30)), "household_invalid")
    return parts[0], parts[1], parts[2]


def issue_passes(ctx: GateContext, *, household: str | None = None, households: list[str] | None = None,
                 all_residents: bool = False, reissue: bool = False, lost: str | None = None,
                 valid_days: int | None = None) -> list[IssuedPass]:
    """Give a card to every resident (of a household, of several, or of the site) who has no
    valid one, in one transaction. ``reissue``: also replace existing cards (same number, next
    version; the old card is superseded at once). ``lost``: the number of one lost card, re-issued
    to its holder (who must still live here)."""
    require(ctx, "issue_passes")
    now = ctx.now()
    today = now.date()
    days = valid_days or ctx.settings["pass_validity_days"]
    issued: list[IssuedPass] = []
    labels = [household] if household is not None else list(households or [])
    with ctx.db.write() as conn:
        key = site_repo.signing_key(conn)
        if key is None:
            raise PermissionDenied(_("no_key"), "no_signing_key")
        if lost is not None:
            number = passcode.parse_pass_number(lost)
            card = passes_repo.newest(conn, number)
            holder = residents_repo.get_resident(conn, card.resident_id) if card else None
            if holder is None or not holder.active:
                raise NotFound(_("no_holder" if card else "no_pass", number=passcode.format_pass_number(number)))
            people, reissue = [holder], True
        elif labels:
            people = []
            for text in dict.fromkeys(labels):
                label = "-".join(parse_household(text))
                hh = residents_repo.household_by_label(conn, label)
                if hh is None:
                    raise NotFound(_("no_household", label=label))
                people += residents_repo.list_residents(conn, household_id=hh.id)
        else:
            people = residents_repo.list_residents(conn)
        next_number = passes_repo.next_number(conn)
        for person in people:
            current = passes_repo.active_for_resident(conn, person.id)
            if current and current.valid_until >= today and not reissue:
                continue
            history = passes_repo.for_resident(conn, person.id)
            if history:
                number = history[-1].number
                version = passes_repo.newest(conn, number).version + 1
            else:
                number, next_number = next_number, next_number + 1
                version = 1
            payload = passcode.encode_pass(ctx.site.code, number, version, key.key_id, key.private_key)
            p = passes_repo.PassRecord(number, version, person.id, key.key_id, today, today + timedelta(days=days),
                                       "active", payload, now.isoformat(timespec="seconds"))
            passes_repo.insert(conn, p)
            passes_repo.supersede_older(conn, number, version)
            records.append(conn, "pass_issue", {
                "pass_number": number, "pass_version": version, "resident_uid": person.uid,
                "valid_from": p.valid_from.isoformat(), "valid_until": p.valid_until.isoformat(),
                "recorded_by": ctx.user, "key_id": key.key_id, "payload": payload}, origin=ctx.gate.uid, at=now)
            issued.append(IssuedPass(number, version, person.household, person.name, p.valid_from,
                                     p.valid_until, payload))
    log.info("issued %d passes", len(issued))
    return issued


def revoke_pass(ctx: GateContext, number_text: str, reason: str) -> passes_repo.PassRecord:
    require(ctx, "revoke_passes")
    number = passcode.parse_pass_number(number_text)
    reason = free_text(reason, 200)
    if not reason:
        raise InvalidInput(_("reason"), "reason_required")
    now = ctx.now()
    with ctx.db.write() as conn:
        current = passes_repo.newest(conn, number)
        if current is None:
            raise NotFound(_("no_pass", number=passcode.format_pass_number(number)))
        if current.status == "revoked":
            raise RuleRefusal(_("already_revoked", number=passcode.format_pass_number(number)), "already_revoked")
        passes_repo.set_status(conn, number, current.version, "revoked")
        records.append(conn, "pass_revoke", {"pass_number": number, "pass_version": current.version,
                                             "reason": reason[:200], "recorded_by": ctx.user},
                       origin=ctx.gate.uid, at=now)
        return passes_repo.get(conn, number, current.version)


def pass_for_card(ctx: GateContext, number: int) -> IssuedPass | None:
    with ctx.db.read() as conn:
        p = passes_repo.newest(conn, number)
        if p is None:
            return None
        r = residents_repo.get_resident(conn, p.resident_id)
        return IssuedPass(p.number, p.version, r.household, r.name, p.valid_from, p.valid_until, p.payload)


def no_longer_valid(ctx: GateContext, cards: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Of these cards (number, version), the ones that are no longer the valid card of their
    number (revoked, or replaced by a newer version); one read."""
    with ctx.db.read() as conn:
        active = set(conn.execute("SELECT number, version FROM passes WHERE status = 'active'").fetchall())
    return [(n, v) for n, v in cards if (n, v) not in active]


def valid_cards(ctx: GateContext, numbers: list[int]) -> list[IssuedPass]:
    """The valid (active) card of each of these numbers whose holder still lives here, in the
    order given; a number with no valid card is left out."""
    out = []
    with ctx.db.read() as conn:
        for number in dict.fromkeys(numbers):
            row = conn.execute(
                "SELECT p.number, p.version, p.resident_id, p.valid_from, p.valid_until, p.payload FROM passes p "
                "WHERE p.number = ? AND p.status = 'active' ORDER BY p.version DESC LIMIT 1", (number,)).fetchone()
            holder = residents_repo.get_resident(conn, row[2]) if row else None
            if holder is None or not holder.active:
                continue
            out.append(IssuedPass(row[0], row[1], holder.household, holder.name, date.fromisoformat(row[3]),
                                  date.fromisoformat(row[4]), row[5]))
    return out
