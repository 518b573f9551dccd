"""Disinfection rounds (消毒台账) and the plan: how many rounds a day each area gets.

A round names an agent of the catalogue (domain/disinfectants.py); its concentration is checked
against that agent's unit and range and recorded with the unit ("500 mg/L", "75 %"). The plan is
made of records too (``disinfection_plan``): the day's plan is the one in force that day."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from checkpoint_app.db import records, report_repo
from checkpoint_app.domain import disinfectants
from checkpoint_app.domain.text import shown
from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages
from checkpoint_app.services import clock_guard
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

_ = Messages({
    "text": ("{field}不能为空，且不超过 {max} 个字。", "{field} must not be empty and at most {max} characters."),
    "area": ("消毒区域", "The area"), "agent": ("消毒剂", "The agent"), "operator": ("操作人", "The operator"),
    "checker": ("核查人", "The checker"),
    "concentration": ("浓度须为数字，如 500。", "The concentration must be a number, e.g. 500."),
    "unknown_agent": ("消毒剂“{agent}”不在目录中，可选：{known}。",
                      "The agent \"{agent}\" is not in the catalogue; known agents: {known}."),
    "out_of_range": ("{agent}的浓度 {value} {unit} 不在 {range} 之内，请核对后重新填写。",
                     "A concentration of {value} {unit} is outside {range} for {agent}: check it and enter it again."),
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


def _agent(name: str) -> disinfectants.Agent:
    agent = disinfectants.find(name)
    if agent is None:
        known = "、".join(a.name for a in disinfectants.CATALOGUE)
        raise InvalidInput(_("unknown_agent", agent=shown(name, 20), known=known), "agent_unknown")
    return agent


def _concentration(value: str, agent: disinfectants.Agent) -> str:
    """The concentration as exact decimal text with the agent's unit (it goes into the hash chain)."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    unit = agent.unit.lower()
    if text.lower().endswith(unit):   # "500 mg/L", "75%": the unit typed along is the agent's own
        text = text[:-len(unit)].strip()
    if not re.fullmatch(r"\d{1,6}(\.\d{1,3})?", text):
        raise InvalidInput(_("concentration"), "concentration_invalid")
    number = text.rstrip("0").rstrip(".") if "." in text else str(int(text))
    if not disinfectants.in_range(agent, Decimal(number)):
        raise InvalidInput(_("out_of_range", agent=agent.name, value=number, unit=agent.unit,
                             range=agent.range_text), "concentration_out_of_range")
    return f"{number} {agent.unit}"


def record_round(ctx: GateContext, *, area: str, agent: str, concentration: str, contact_minutes: str | int,
                 method: str, operator: str, checker: str | None = None) -> str:
    require(ctx, "record_disinfection")
    area = _text(area, "area")
    agent = _text(agent, "agent")
    conc = _concentration(concentration, _agent(agent))
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
        appended = records.append(conn, "disinfection", {
            "area": area, "agent": agent, "concentration": conc, "contact_minutes": int(text), "method": method,
            "operator": operator, "checker": checker, "recorded_by": ctx.user}, origin=ctx.gate.uid, at=now)
    return appended.uid


@dataclass(frozen=True)
class Area:
    name: str
    rounds_per_day: int


def set_plan(ctx: GateContext, area: str, rounds_per_day: int | str) -> Area:
    """A manager plans ``rounds_per_day`` rounds a day for ``area`` from now on: a record."""
    require(ctx, "record_disinfection")
    area = _text(area, "area")
    text = unicodedata.normalize("NFKC", str(rounds_per_day)).strip()
    if not text.isdigit() or int(text) > 48:
        raise InvalidInput(_("rounds"), "rounds_invalid")
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        records.append(conn, "disinfection_plan", {"area": area, "rounds_per_day": int(text),
                                                   "recorded_by": ctx.user}, origin=ctx.gate.uid, at=ctx.now())
    return Area(area, int(text))


def list_areas(ctx: GateContext) -> list[Area]:
    """The plan in force now."""
    with ctx.db.read() as conn:
        return [Area(a, n) for a, n in report_repo.plan_in_force(
            conn, ctx.now().isoformat(timespec="milliseconds") + "~")]
