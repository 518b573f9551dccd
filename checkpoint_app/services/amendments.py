"""Correct a record without changing it: an amendment or a void that names the original."""

from __future__ import annotations

import json

from checkpoint_app.db import current, records
from checkpoint_app.db.schema import RECORD_TABLES
from checkpoint_app.domain.temperature import parse_temperature
from checkpoint_app.domain.text import free_text, record_id, shown
from checkpoint_app.errors import InvalidInput, NotFound, RuleRefusal
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

_ = Messages({
    "no_record": ("没有编号为 {id} 的记录。", "There is no record {id}."),
    "reason": ("请填写更正原因。", "Give a reason for the correction."),
    "voided": ("该记录已作废，不能再更正。", "This record is already void and cannot be corrected."),
    "field": ("“{field}”不能更正（可更正：{allowed}）。", "“{field}” cannot be amended (allowed: {allowed})."),
    "kind": ("此类记录不能更正。", "Records of this kind cannot be corrected."),
})

# What may be amended, per kind of record, and how the new value is checked.
AMENDABLE = {
    "passage": {"temp_tenths": lambda v: parse_temperature(str(v)), "direction": lambda v: _choice(v, ("in", "out"))},
    "visitor_in": {"temp_tenths": lambda v: parse_temperature(str(v)), "purpose": lambda v: _short(v)},
    "disinfection": {"checker": lambda v: _short(v), "agent": lambda v: _short(v)},
}


def _choice(v: str, options: tuple[str, ...]) -> str:
    if str(v) not in options:
        raise InvalidInput(" | ".join(options), "value_invalid")
    return str(v)


def _short(v: str) -> str:
    text = free_text(v, 100)
    if not text:
        raise InvalidInput(_("reason"), "value_invalid")
    return text


def _target(conn, uid: str) -> str:
    if record_id(uid) != uid:
        raise NotFound(_("no_record", id=shown(uid, 40)))
    row = conn.execute("SELECT kind FROM journal WHERE uid = ?", (uid,)).fetchone()
    if row is None:
        raise NotFound(_("no_record", id=uid))
    if current.is_void(conn, uid):
        raise RuleRefusal(_("voided"), "already_void")
    return row[0]


def _check_input(ctx: GateContext, uid: str, reason: str) -> tuple[str, str]:
    require(ctx, "amend_records")
    reason = free_text(reason, 200)
    if not reason:
        raise InvalidInput(_("reason"), "reason_required")
    return record_id(uid) or uid, reason


def void_record(ctx: GateContext, uid: str, reason: str) -> str:
    uid, reason = _check_input(ctx, uid, reason)
    with ctx.db.write() as conn:
        kind = _target(conn, uid)
        if kind in ("amendment", "purge"):
            raise RuleRefusal(_("kind"), "not_amendable")
        return records.append(conn, "amendment", {"target_uid": uid, "action": "void", "reason": reason[:200],
                                                  "recorded_by": ctx.user}, origin=ctx.gate.uid, at=ctx.now()).uid


def amend_record(ctx: GateContext, uid: str, changes: dict[str, str], reason: str) -> str:
    uid, reason = _check_input(ctx, uid, reason)
    with ctx.db.write() as conn:
        kind = _target(conn, uid)
        allowed = AMENDABLE.get(kind)
        if not allowed:
            raise RuleRefusal(_("kind"), "not_amendable")
        checked = {}
        for field, value in changes.items():
            if field not in allowed:
                raise InvalidInput(_("field", field=shown(field, 30), allowed=", ".join(allowed)), "field_invalid")
            checked[field] = allowed[field](value)
        return records.append(conn, "amendment", {
            "target_uid": uid, "action": "amend", "reason": reason[:200],
            "changes": json.dumps(checked, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
            "recorded_by": ctx.user}, origin=ctx.gate.uid, at=ctx.now()).uid


assert set(AMENDABLE) <= set(RECORD_TABLES)
