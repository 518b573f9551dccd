"""What the gate decided, and why: an outcome, a reason code and a sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from checkpoint_app.domain import reasons
from checkpoint_app.i18n import Messages


class Outcome(str, Enum):
    ALLOWED = "allowed"
    FLAGGED = "flagged"
    DENIED = "denied"
    IGNORED = "ignored"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Outcome.IGNORED: -1, Outcome.ALLOWED: 0, Outcome.FLAGGED: 1, Outcome.DENIED: 2}

# Every reason code the gate can give, with its sentence: the one table in domain/reasons.py.
REASONS = reasons.SENTENCES

DIRECTIONS = Messages({"in": ("进", "in"), "out": ("出", "out")})


@dataclass(frozen=True)
class Finding:
    outcome: Outcome
    reason: str


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reason: str
    reasons: tuple[str, ...]
    details: dict = field(default_factory=dict, compare=False)

    def message(self, lang: str | None = None) -> str:
        """The sentence for the main reason plus the other reasons' sentences."""
        parts = [sentence(code, self.details, lang) for code in self.reasons] or [sentence(self.reason, self.details, lang)]
        return " ".join(parts)

    @classmethod
    def combine(cls, findings: list[Finding], details: dict) -> Decision:
        """The worst outcome wins; its first finding is the main reason."""
        if not findings:
            return cls(Outcome.ALLOWED, "ok", ("ok",), details)
        worst = max(f.outcome.severity for f in findings)
        ordered = [f for f in findings if f.outcome.severity == worst] + [
            f for f in findings if f.outcome.severity != worst]
        return cls(ordered[0].outcome, ordered[0].reason, tuple(f.reason for f in ordered), details)


def sentence(code: str, details: dict, lang: str | None = None) -> str:
    fields = dict(details)
    if "direction" in fields:
        fields["direction"] = DIRECTIONS(fields["direction"], lang=lang)
    text = REASONS.template(code, lang)
    try:
        return text.format(**fields)
    except (KeyError, IndexError):
        # A sentence whose fields are missing still says the main thing.
        return text.split("{")[0].rstrip("（(：: ") or code
