"""Checkpoints of a gate's day: made for the last page of the daily logs, checked by ``verify``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from checkpoint_app.domain.text import shown
from checkpoint_app.domain.checkpoint import Checkpoint, decode_checkpoint, encode_checkpoint, signature_valid
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext

_ = Messages({
    "no_key": ("本门岗没有签名密钥。", "This gate has no signing key."),
    "site": ("校验码属于其他小区（{site}）。", "The checkpoint belongs to another site ({site})."),
    "gate": ("校验码中的门岗不在本数据库中。", "The checkpoint's gate is not in this database."),
    "signature": ("校验码签名无效。", "The checkpoint's signature is invalid."),
    "mismatch": ("校验码与数据库不符：{field} 打印为 {printed}，数据库中为 {actual}。",
                 "The checkpoint does not match the database: {field} printed {printed}, database has {actual}."),
})


def summarise_day(conn, gate_id: str, day: date, site_code: str) -> Checkpoint:
    """What the database says about one gate's records of ``day`` (by each record's own date),
    and where the day before ended: the gate's latest record before ``day`` (an index probe on
    ``journal(origin, at)``, whose entries end with ``origin_seq``)."""
    count, first, last = conn.execute(
        "SELECT count(*), min(origin_seq), max(origin_seq) FROM journal WHERE origin = ? AND at >= ? AND at < ?",
        (gate_id, day.isoformat(), (day + timedelta(days=1)).isoformat())).fetchone()
    head = bytes(32)
    if last is not None:
        head = conn.execute("SELECT chain_hash FROM journal WHERE origin = ? AND origin_seq = ?",
                            (gate_id, last)).fetchone()[0]
    prev = conn.execute("SELECT origin_seq, chain_hash FROM journal WHERE origin = ? AND at < ? "
                        "ORDER BY at DESC, origin_seq DESC LIMIT 1", (gate_id, day.isoformat())).fetchone()
    prev_seq, prev_head = prev if prev else (0, bytes(32))
    return Checkpoint(site_code, gate_id, day, count, first or 0, last or 0, bytes(head).hex(),
                      prev_seq, bytes(prev_head).hex())


def make_checkpoint(ctx: GateContext, day: date) -> tuple[Checkpoint, str]:
    with ctx.db.read() as conn:
        cp = summarise_day(conn, ctx.gate.uid, day, ctx.site.code)
        row = conn.execute("SELECT private_key FROM gates WHERE uid = ?", (ctx.gate.uid,)).fetchone()
    if not row or row[0] is None:
        raise RuntimeError(_("no_key"))
    return cp, encode_checkpoint(cp, bytes(row[0]))


@dataclass(frozen=True)
class CheckpointCheck:
    ok: bool
    checkpoint: Checkpoint | None
    problem: str | None
    code: str | None = None


def check_checkpoint(ctx: GateContext, text: str) -> CheckpointCheck:
    """Is this printed checkpoint signed by a gate of this site and does it match the database?"""
    cp, message, signature = decode_checkpoint(text)
    if cp.site_code != ctx.site.code:
        return CheckpointCheck(False, cp, _("site", site=cp.site_code), "unknown_site")
    with ctx.db.read() as conn:
        row = conn.execute("SELECT public_key FROM gates WHERE uid = ?", (cp.gate_id,)).fetchone()
        if row is None or row[0] is None:
            return CheckpointCheck(False, cp, _("gate"), "unknown_gate")
        if not signature_valid(message, signature, bytes(row[0])):
            return CheckpointCheck(False, cp, _("signature"), "checkpoint_signature")
        actual = summarise_day(conn, cp.gate_id, cp.day, ctx.site.code)
    fields = ("row_count", "first_seq", "last_seq", "chain_head")
    if cp.version >= 2:  # a version 1 checkpoint (printed before) does not carry the day before
        fields += ("prev_seq", "prev_head")
    for field in fields:
        printed, now = getattr(cp, field), getattr(actual, field)
        if printed != now:
            return CheckpointCheck(False, cp, _("mismatch", field=field, printed=shown(printed, 16),
                                                actual=shown(now, 16)), "checkpoint_mismatch")
    return CheckpointCheck(True, cp, None)
