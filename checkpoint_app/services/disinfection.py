"""Disinfection rounds (消毒台账) and the plan: how many rounds a day each area gets.

A round names an agent of the catalogue (domain/disinfectants.py); its concentration is checked
against that agent's unit and range and recorded with the unit ("500 mg/L", "75 %"). The plan is
made of records too (``disinfection_plan``): the day's plan is the one in force that day.

Issue 14 (the ledger page): the catalogue is editable, as ``disinfectant`` records over the
defaults (``catalogue``, ``set_agent``); a concentration below the agent's range is recorded and
flagged (``under_dosed`` keeps the range it fell below), above it is refused as a typing error. A
round is stamped when it is recorded (``at``) and can never be dated back; a round entered after
it was done keeps when it was done (``done_at``, earlier the same day) and reads as entered late.
``today`` is the plan of the day per area: done, still due, or overdue (``round_state``)."""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from checkpoint_app.db import current, records, report_repo
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
    "above_range": ("{agent}的浓度 {value} {unit} 高于 {range}，请核对后重新填写。",
                    "A concentration of {value} {unit} is above {range} for {agent}: check it and enter it again."),
    "done_at": ("完成时间须写成 HH:MM，且是今天、不晚于现在（登记不能倒签到以前的日子）。",
                "The time done is written HH:MM, today and not later than now (a round cannot be dated back "
                "to an earlier day)."),
    "unit": ("单位须为 mg/L 或 %。", "The unit must be mg/L or %."),
    "range": ("浓度范围须为两个正数，下限不大于上限，如 250 和 2000。",
              "The range is two positive numbers, the lower not above the upper, e.g. 250 and 2000."),
})

METHODS = ("spray", "wipe", "fog")


def _text(value: str, field: str, max_len: int = 40) -> str:
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    if not text or len(text) > max_len or any(unicodedata.category(c)[0] == "C" for c in text):
        raise InvalidInput(_("text", field=_(field), max=max_len), "text_invalid")
    return text


def _agent(name: str, catalogue: tuple[disinfectants.Agent, ...]) -> disinfectants.Agent:
    agent = disinfectants.find(name, catalogue)
    if agent is None:
        known = "、".join(a.name for a in catalogue)
        raise InvalidInput(_("unknown_agent", agent=shown(name, 20), known=known), "agent_unknown")
    return agent


def _number(text: str) -> str:
    """Exact decimal text ("0.50" → "0.5"); one sentence if it is not a plain number."""
    if not re.fullmatch(r"\d{1,6}(\.\d{1,3})?", text):
        raise InvalidInput(_("concentration"), "concentration_invalid")
    return text.rstrip("0").rstrip(".") if "." in text else str(int(text))


def _concentration(value: str, agent: disinfectants.Agent) -> tuple[str, str | None]:
    """The concentration as exact decimal text with the agent's unit (it goes into the hash
    chain), and the range it falls below when under-dosed (else None)."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    unit = agent.unit.lower()
    if text.lower().endswith(unit):   # "500 mg/L", "75%": the unit typed along is the agent's own
        text = text[:-len(unit)].strip()
    number = _number(text)
    if Decimal(number) > agent.high:
        raise InvalidInput(_("above_range", agent=agent.name, value=number, unit=agent.unit,
                             range=agent.range_text), "concentration_out_of_range")
    if Decimal(number) <= 0:
        raise InvalidInput(_("concentration"), "concentration_invalid")
    low = agent.range_text if disinfectants.under_dosed(agent, Decimal(number)) else None
    return f"{number} {agent.unit}", low


def _done_at(value: str | datetime | None, now: datetime) -> str | None:
    """When a round entered late was done: HH:MM (or a datetime) earlier today, never later
    than now: rounds are never dated back to another day nor forward."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        when = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace("：", ":")
        if not re.fullmatch(r"\d{1,2}:\d{2}", text):
            raise InvalidInput(_("done_at"), "done_at_invalid")
        hour, minute = (int(x) for x in text.split(":"))
        if hour > 23 or minute > 59:
            raise InvalidInput(_("done_at"), "done_at_invalid")
        when = datetime.combine(now.date(), time(hour, minute), tzinfo=now.tzinfo)
    if when.date() != now.date() or when > now:
        raise InvalidInput(_("done_at"), "done_at_invalid")
    return when.isoformat(timespec="seconds")


def record_round(ctx: GateContext, *, area: str, agent: str, concentration: str, contact_minutes: str | int,
                 method: str, operator: str, checker: str | None = None,
                 done_at: str | datetime | None = None) -> str:
    """Record a round now; ``done_at`` (HH:MM earlier today) when it is entered after it was done."""
    require(ctx, "record_disinfection")
    area = _text(area, "area")
    agent = _text(agent, "agent")
    with ctx.db.read() as conn:
        known = read_catalogue(conn)
    conc, under = _concentration(concentration, _agent(agent, known))
    text = str(contact_minutes).strip()
    if not text.isdigit() or not 1 <= int(text) <= 1440:
        raise InvalidInput(_("minutes"), "minutes_invalid")
    method = str(method).strip().lower()
    if method not in METHODS:
        raise InvalidInput(_("method"), "method_invalid")
    operator = _text(operator, "operator")
    checker = _text(checker, "checker") if checker not in (None, "") else None
    now = ctx.now()
    done = _done_at(done_at, now)
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        appended = records.append(conn, "disinfection", {
            "area": area, "agent": agent, "concentration": conc, "contact_minutes": int(text), "method": method,
            "operator": operator, "checker": checker, "recorded_by": ctx.user, "done_at": done,
            "under_dosed": under}, origin=ctx.gate.uid, at=now)
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


# -- the catalogue ------------------------------------------------------------------------------

def read_catalogue(conn: sqlite3.Connection) -> tuple[disinfectants.Agent, ...]:
    """The catalogue in force: the defaults with every (not voided) change laid over them."""
    return disinfectants.with_changes(conn.execute(
        f"""SELECT d.name, d.unit, d.low, d.high, d.aliases FROM disinfectants d
            WHERE {current.not_void('d')} ORDER BY d.at, d.rowid""").fetchall())


def catalogue(ctx: GateContext) -> tuple[disinfectants.Agent, ...]:
    with ctx.db.read() as conn:
        return read_catalogue(conn)


def set_agent(ctx: GateContext, name: str, unit: str, low: str, high: str,
              aliases: str = "") -> disinfectants.Agent:
    """Add an agent to the catalogue or change one (unit, range, aliases): a record."""
    require(ctx, "record_disinfection")
    name = _text(name, "agent")
    unit = next((u for u in disinfectants.UNITS if u.lower() == str(unit).strip().lower()), None)
    if unit is None:
        raise InvalidInput(_("unit"), "unit_invalid")
    try:
        low_n, high_n = (_number(unicodedata.normalize("NFKC", str(v)).strip()) for v in (low, high))
        if not 0 < Decimal(low_n) <= Decimal(high_n):
            raise InvalidOperation
    except (InvalidInput, InvalidOperation):
        raise InvalidInput(_("range"), "range_invalid") from None
    names = [_text(a, "agent") for a in re.split(r"[、,，;；]", str(aliases)) if a.strip()]
    joined = disinfectants.ALIAS_SEPARATOR.join(dict.fromkeys(names))
    with ctx.db.write() as conn:
        clock_guard.require_sane(ctx, conn)
        records.append(conn, "disinfectant", {"name": name, "unit": unit, "low": low_n, "high": high_n,
                                              "aliases": joined or None, "recorded_by": ctx.user},
                       origin=ctx.gate.uid, at=ctx.now())
    return disinfectants.Agent(name, unit, Decimal(low_n), Decimal(high_n), tuple(names))


# -- today's plan -------------------------------------------------------------------------------

@dataclass(frozen=True)
class AreaToday:
    area: str
    planned: int
    done: int
    state: str              # "done" | "due" | "overdue" | "unplanned"
    next_due: str | None    # HH:MM the next round is due by (None: none left)


@dataclass(frozen=True)
class RoundToday:
    uid: str
    at: str                 # HH:MM recorded
    area: str
    agent: str
    concentration: str
    contact_minutes: int
    method: str
    operator: str
    checker: str | None
    under_dosed: str | None  # the range it fell below
    done_at: str | None      # HH:MM done, when entered late
    origin: str


def today(ctx: GateContext) -> tuple[list[AreaToday], list[RoundToday]]:
    """Today's plan per area and today's rounds from every PC of the site (voided ones left out)."""
    now = ctx.now()
    day = now.date()
    with ctx.db.read() as conn:
        plan = report_repo.plan_in_force(conn, (day + timedelta(days=1)).isoformat())
        rows = conn.execute(
            f"""SELECT d.uid, d.at, d.area, d.agent, d.concentration, d.contact_minutes, d.method, d.operator,
                       d.checker, d.under_dosed, d.done_at, j.origin
                FROM disinfection_rounds d JOIN journal j ON j.uid = d.uid
                WHERE d.day = ? AND {current.not_void('d')} ORDER BY d.at""", (day.isoformat(),)).fetchall()
    rounds = [RoundToday(uid, at[11:16], area, agent, conc or "", minutes, method, operator, checker, under,
                         done[11:16] if done and disinfectants.entered_late(done, at) else None, origin)
              for uid, at, area, agent, conc, minutes, method, operator, checker, under, done, origin in rows]
    done: dict[str, int] = {}
    for r in rounds:
        done[r.area] = done.get(r.area, 0) + 1
    areas = [AreaToday(a, n, done.get(a, 0), *disinfectants.round_state(n, done.get(a, 0), now.time()))
             for a, n in plan]
    planned = {a for a, _n in plan}
    areas += [AreaToday(a, 0, n, "unplanned", None) for a, n in done.items() if a not in planned]
    return areas, rounds
