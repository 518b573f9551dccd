"""Disinfection rounds (消毒台账) and the areas that are planned to get them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from checkpoint_app.db import records
from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages
from checkpoint_app.services import clock_guard
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

_ = Messages({
    "text": ("{field}不能为空，且不超过 {max} 个字。", "{field} must not be empty and at most {max} characters."),
    "area": ("消毒区域", "The area"), "agent": ("消毒剂", "The agent"), "operator": ("操作人", "The operator"),
    "checker": ("核查人", "The checker"),
    "concentration": ("浓度须为 0 到 100000 之间的数字（mg/L），如 500。",
                      "The concentration must be a number from 0 to 100000 (mg/L), e.g. 500."),
    "minutes": ("作用时间须为 1 到 1440 之间的整数（分钟）。", "The contact time must be 1 to 1440 minutes."),
    "method": ("方式须为 spray（喷洒）、wipe（擦拭）或 fog（喷雾）。", "The method must be spray, wipe or fog."),
    "rounds": ("每日计划次数须为 0 到 48 之间的整数。", "Planned rounds per day must be 0 to 48."),
})

METHODS = ("spray", "wipe", "fog")


def _text(value: str, field: str, max_len: int = 40) -> str:
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    if not text or len(text) > max_len or any(unicodedata.category(c)[0] == "C" for c in text):
        raise InvalidInput(_("text", field=_(field), max=max_len), "text_invalid")
    return text


def _concentration(value: str) -> str:
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not re.fullmatch(r"\d{1,6}(\.\d{1,3})?", text) or float(text) > 100000:
        raise InvalidInput(_("concentration"), "concentration_invalid")
    # Kept as exact decimal text: it goes into the hash chain.
    return text.rstrip("0").rstrip(".") if "." in text else str(int(text))


def record_round(ctx: GateContext, *, area: str, agent: str, concentration: str, contact_minutes: str | int,
                 method: str, operator: str, checker: str | None = None) -> str:
    require(ctx, "record_disinfection")
    area = _text(area, "area")
    agent = _text(agent, "agent")
    conc = _concentration(concentration)
    text = str(contact_minutes).strip()
    if not text.isdigit() or not 1 <= int(text) <= 1440:
        raise InvalidInput(_("minutes"), "minutes_invalid")
    method = str(method).strip().lower()
    if method not in METHODS:
        raise InvalidInput(_("method"), "method_invalid")
    operator = _text(operator, "operator")
    checker = _text(checker, "checker") if checker not in (None, "") else None
    now = ctx.now()
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        conn.execute("INSERT OR IGNORE INTO disinfection_areas (name) VALUES (?)", (area,))
        appended = records.append(conn, "disinfection", {
            "area": area, "agent": agent, "concentration": conc, "contact_minutes": int(text), "method": method,
            "operator": operator, "checker": checker, "recorded_by": ctx.user}, origin=ctx.gate.uid, at=now)
    return appended.uid


@dataclass(frozen=True)
class Area:
    name: str
    rounds_per_day: int
    active: bool


def set_area(ctx: GateContext, name: str, rounds_per_day: int | str) -> Area:
    require(ctx, "record_disinfection")
    name = _text(name, "area")
    text = str(rounds_per_day).strip()
    if not text.isdigit() or int(text) > 48:
        raise InvalidInput(_("rounds"), "rounds_invalid")
    with ctx.db.write() as conn:
        conn.execute("INSERT INTO disinfection_areas (name, rounds_per_day) VALUES (?, ?) "
                     "ON CONFLICT(name) DO UPDATE SET rounds_per_day = excluded.rounds_per_day, active = 1",
                     (name, int(text)))
    return Area(name, int(text), True)


def list_areas(ctx: GateContext) -> list[Area]:
    with ctx.db.read() as conn:
        return [Area(n, r, bool(a)) for n, r, a in
                conn.execute("SELECT name, rounds_per_day, active FROM disinfection_areas ORDER BY name")]
