"""The disinfectants a round may name, each with the unit its concentration is given in and the
range a working solution falls in (issue 11): 99999 mg/L is a typing error, not a round.

Ranges follow the usual Chinese guidance for environmental surfaces (消毒技术规范; 新冠肺炎防控
消毒指引): chlorine-releasing agents 250–2000 mg/L available chlorine, ethanol 70–80 % by volume,
peracetic acid 0.1–0.5 %, hydrogen peroxide 3–6 %, chlorine dioxide 100–500 mg/L,
quaternary ammonium 400–2000 mg/L. A round names the agent by its name or a common alias.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
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


def find(name: str) -> Agent | None:
    """The agent a round names (by name or alias, spaces and full-width forms ignored)."""
    return _BY_NAME.get(_key(name))


def in_range(agent: Agent, value: Decimal) -> bool:
    return agent.low <= value <= agent.high
