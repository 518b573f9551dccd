"""The disinfectants a round may name, each with the unit its concentration is given in and the
range a working solution falls in (issue 11): 99999 mg/L is a typing error, not a round.

Ranges follow the usual Chinese guidance for environmental surfaces (消毒技术规范; 新冠肺炎防控
消毒指引): chlorine-releasing agents 250–2000 mg/L available chlorine, ethanol 70–80 % by volume,
peracetic acid 0.1–0.5 %, hydrogen peroxide 3–6 %, chlorine dioxide 100–500 mg/L,
quaternary ammonium 400–2000 mg/L. A round names the agent by its name or a common alias.

The catalogue is editable (issue 14): a change is a ``disinfectant`` record, and the catalogue in
force is these defaults with each agent's latest record laid over them (``with_changes``). A
concentration below the range is an under-dosed round: recorded, and flagged on screen and on
paper; above it is taken for a typing error and refused.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal


@dataclass(frozen=True)
class Agent:
    name: str                     # as printed on the ledger
    unit: str                     # "mg/L" or "%"
    low: Decimal
    high: Decimal
    aliases: tuple[str, ...] = ()

    @property
    def range_text(self) -> str:
        return f"{self.low}–{self.high} {self.unit}"


CATALOGUE: tuple[Agent, ...] = (
    Agent("含氯消毒剂", "mg/L", Decimal(250), Decimal(2000), ("84消毒液", "含氯消毒液", "漂白粉", "漂白水", "次氯酸钠")),
    Agent("乙醇", "%", Decimal(70), Decimal(80), ("酒精", "75%酒精", "医用酒精", "75%乙醇")),
    Agent("过氧乙酸", "%", Decimal("0.1"), Decimal("0.5")),
    Agent("过氧化氢", "%", Decimal(3), Decimal(6), ("双氧水",)),
    Agent("二氧化氯", "mg/L", Decimal(100), Decimal(500)),
    Agent("季铵盐类消毒剂", "mg/L", Decimal(400), Decimal(2000), ("季铵盐",)),
)


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


_BY_NAME = {_key(n): a for a in CATALOGUE for n in (a.name, *a.aliases)}


def find(name: str, catalogue: tuple[Agent, ...] | None = None) -> Agent | None:
    """The agent a round names (by name or alias, spaces and full-width forms ignored)."""
    if catalogue is None:
        return _BY_NAME.get(_key(name))
    key = _key(name)
    return next((a for a in catalogue for n in (a.name, *a.aliases) if _key(n) == key), None)


def in_range(agent: Agent, value: Decimal) -> bool:
    return agent.low <= value <= agent.high


def under_dosed(agent: Agent, value: Decimal) -> bool:
    """Below the range the guidance asks for: the round is recorded, and flagged."""
    return value < agent.low


UNITS = ("mg/L", "%")
ALIAS_SEPARATOR = "、"


def with_changes(changes: list[tuple[str, str, str, str, str]]) -> tuple[Agent, ...]:
    """The catalogue in force: the defaults, each agent replaced by its latest change (name, unit,
    low, high, aliases joined by 、), new agents appended in the order given (oldest first)."""
    agents = {a.name: a for a in CATALOGUE}
    for name, unit, low, high, aliases in changes:
        agents[name] = Agent(name, unit, Decimal(low), Decimal(high),
                             tuple(a for a in (aliases or "").split(ALIAS_SEPARATOR) if a))
    return tuple(agents.values())


# -- the day's plan --------------------------------------------------------------------------------
# A plan of N rounds a day spreads them over the working day: the k-th round is due by
# WORK_START + k × (WORK_END − WORK_START) / N. An area is "overdue" once fewer rounds are done
# than are due by now, "due" while rounds are left that are not due yet, "done" when all are.
WORK_START = time(7, 0)
WORK_END = time(21, 0)
LATE_AFTER = timedelta(minutes=15)   # entered this long after it was done: "entered late"


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def due_by(planned: int, k: int) -> time:
    """When the k-th (1-based) of ``planned`` rounds is due."""
    start, end = _minutes(WORK_START), _minutes(WORK_END)
    m = start + (end - start) * k // planned
    return time(m // 60, m % 60)


def round_state(planned: int, done: int, now: time) -> tuple[str, str | None]:
    """(state, HH:MM the next round is due by) of an area with ``planned`` rounds, ``done`` done, at ``now``."""
    if done >= planned:
        return "done", None
    next_due = due_by(planned, done + 1)
    return ("overdue" if now >= next_due else "due"), next_due.strftime("%H:%M")


def entered_late(done_at: str, recorded_at: str) -> bool:
    """A round recorded more than LATE_AFTER after it was done (ISO texts)."""
    return datetime.fromisoformat(recorded_at) - datetime.fromisoformat(done_at) > LATE_AFTER
