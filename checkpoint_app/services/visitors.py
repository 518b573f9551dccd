"""Visitors (外来人员登记): in with their details and a decision, out again later."""

from __future__ import annotations

import hashlib
import logging
import os
import unicodedata
from dataclasses import dataclass

from checkpoint_app.db import current, records, residents_repo
from checkpoint_app.domain.identity import normalize_name, validate_id_number, validate_mobile
from checkpoint_app.domain.text import free_text, record_id, shown
from checkpoint_app.domain.rules import VisitorFacts, decide_visitor
from checkpoint_app.domain.temperature import parse_temperature
from checkpoint_app.errors import InvalidInput, NotFound, RuleRefusal
from checkpoint_app.i18n import Messages
from checkpoint_app.services import clock_guard
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require
from checkpoint_app.services.passes import parse_household

log = logging.getLogger(__name__)

_ = Messages({
    "health_code": ("健康码颜色须为 green、yellow 或 red。", "The health code must be green, yellow or red."),
    "host": ("被访住户 {label} 不存在。", "The host household {label} does not exist."),
    "text": ("{field}不能为空，且不超过 {max} 个字。", "{field} must not be empty and at most {max} characters."),
    "purpose": ("来访事由", "The purpose"),
    "from": ("来自何处", "Where the visitor comes from"),
    "no_visit": ("没有编号为 {id} 的访客登记。", "There is no visitor entry {id}."),
    "not_inside": ("该访客未获准进入，无需登记离开。", "This visitor was not let in; there is no exit to record."),
    "already_out": ("该访客已于 {at} 离开。", "This visitor already left at {at}."),
    "temp_needed": ("访客必须测量体温。", "A visitor's temperature must be taken."),
})

HEALTH_CODES = ("green", "yellow", "red")


@dataclass(frozen=True)
class VisitorResult:
    visitor_id: str | None
    outcome: str
    reason: str
    message: str

    def as_json(self) -> dict:
        return {"visitor_id": self.visitor_id, "outcome": self.outcome, "reason": self.reason,
                "message": self.message}


def _text(value: str, field: str, max_len: int) -> str:
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    if not text or len(text) > max_len or any(unicodedata.category(c)[0] == "C" for c in text):
        # The code names the field, so a form can put the message next to the right box.
        raise InvalidInput(_("text", field=_(field), max=max_len), f"{field}_invalid")
    return text


def watch_key(site_code: str, *, id_number: str | None = None, name: str | None = None,
              phone: str | None = None) -> str:
    """What the watch list stores: a hash, never the ID number or the name and phone themselves."""
    material = f"id:{id_number}" if id_number else f"np:{name}|{phone}"
    return hashlib.sha256(f"checkpoint-watch\x00{site_code}\x00{material}".encode()).hexdigest()


def add_to_watchlist(ctx: GateContext, *, id_number: str | None = None, name: str | None = None,
                     phone: str | None = None, note: str | None = None) -> None:
    require(ctx, "manage_residents")
    if id_number:
        key = watch_key(ctx.site.code, id_number=validate_id_number(id_number))
    else:
        key = watch_key(ctx.site.code, name=normalize_name(name or ""), phone=validate_mobile(phone or ""))
    with ctx.db.write() as conn:
        now, note = ctx.now(), free_text(note, 200) if note else None
        added = conn.execute("INSERT OR IGNORE INTO watchlist (match_hash, note, created_at) VALUES (?, ?, ?)",
                             (key, note, now.isoformat(timespec="seconds"))).rowcount
        if added:  # travels to the other gates (issue 15)
            records.append(conn, "watch", {"match_hash": key, "note": note, "recorded_by": ctx.user},
                           origin=ctx.gate.uid, at=now)


def visitor_in(ctx: GateContext, *, name: str, phone: str, id_number: str, purpose: str, host: str,
               from_place: str, health_code: str, temperature: str, guard: str | None = None) -> VisitorResult:
    """Validate everything first (nothing is written on bad input), then decide and record."""
    require(ctx, "register_visitor")
    name = normalize_name(name)
    phone = validate_mobile(phone)
    id_number = validate_id_number(id_number, today=ctx.now().date())
    purpose = _text(purpose, "purpose", 100)
    from_place = _text(from_place, "from", 60)
    code = str(health_code).strip().lower()
    if code not in HEALTH_CODES:
        raise InvalidInput(_("health_code"), "health_code_invalid")
    if temperature is None or str(temperature).strip() == "":
        raise InvalidInput(_("temp_needed"), "temperature_malformed")
    temp = parse_temperature(str(temperature))
    host_label = "-".join(parse_household(host))
    now = ctx.now()
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        if residents_repo.household_by_label(conn, host_label) is None:
            raise NotFound(_("host", label=host_label))
        keys = (watch_key(ctx.site.code, id_number=id_number), watch_key(ctx.site.code, name=name, phone=phone))
        hit = conn.execute("SELECT 1 FROM watchlist WHERE match_hash IN (?, ?)", keys).fetchone() is not None
        decision = decide_visitor(VisitorFacts(temp, code, hit), ctx.rules)
        salt = os.urandom(16)
        personal = {"name": name, "phone": phone, "id_number": id_number}
        guard = guard or ctx.user
        appended = records.append(conn, "visitor_in", {
            "purpose": purpose, "host_household": host_label, "from_place": from_place, "health_code": code,
            "temp_tenths": temp, "outcome": decision.outcome.value, "reason": decision.reason,
            "reasons": ",".join(decision.reasons), "watch_hit": 1 if hit else 0, "guard": guard,
            "personal_hash": records.personal_hash(salt, personal)}, origin=ctx.gate.uid, at=now)
        conn.execute("INSERT INTO visitor_personal (uid, salt, name, phone, id_number, watch_key) "
                     "VALUES (?, ?, ?, ?, ?, ?)", (appended.uid, salt, name, phone, id_number, keys[0]))
        if decision.outcome.value != "allowed":
            records.append(conn, "incident", {"category": "visitor_" + decision.reason, "subject_uid": appended.uid,
                                              "reason": ",".join(decision.reasons), "recorded_by": guard},
                           origin=ctx.gate.uid, at=now)
    return VisitorResult(appended.uid, decision.outcome.value, decision.reason, decision.message())


def visitor_out(ctx: GateContext, visitor_id: str, guard: str | None = None) -> str:
    require(ctx, "register_visitor")
    now = ctx.now()
    uid = record_id(visitor_id)
    if uid is None:
        raise NotFound(_("no_visit", id=shown(visitor_id, 40)))
    visitor_id = uid
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        row = conn.execute("SELECT outcome FROM visitor_entries WHERE uid = ?", (visitor_id,)).fetchone()
        if row is None:
            raise NotFound(_("no_visit", id=visitor_id))
        if row[0] == "denied":
            raise RuleRefusal(_("not_inside"), "not_inside")
        if current.is_void(conn, visitor_id):
            raise NotFound(_("no_visit", id=visitor_id))
        left = current.exit_of(conn, visitor_id)
        if left:
            raise RuleRefusal(_("already_out", at=left[:16].replace("T", " ")), "already_out")
        appended = records.append(conn, "visitor_out", {"entry_uid": visitor_id, "guard": guard or ctx.user},
                                  origin=ctx.gate.uid, at=now)
    return appended.uid


@dataclass(frozen=True)
class VisitorInside:
    visitor_id: str
    at: str
    name: str | None
    host_household: str
    purpose: str


def visitors_inside(ctx: GateContext) -> list[VisitorInside]:
    """The visitors let in and not gone out, as the records stand (voids and amendments applied)."""
    with ctx.db.read() as conn:
        return [VisitorInside(*r) for r in current.visitors_inside(conn)]
