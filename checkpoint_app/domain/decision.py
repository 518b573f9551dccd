"""What the gate decided, and why: an outcome, a reason code and a sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

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

# Every reason code the gate can give, with its sentence. Fields in braces come from the
# decision's ``details``.
REASONS = Messages({
    "ok": ("通行。", "Go ahead."),
    "fever": ("体温 {temperature} °C，发热，请登记并跟进。",
              "Temperature {temperature} °C: fever. Record it and follow up."),
    "fever_remeasure": ("体温 {temperature} °C，请复测。",
                        "Temperature {temperature} °C: please measure again."),
    "temperature_implausible": ("体温 {temperature} °C 不合理，可能是误读，请重新测量。",
                                "Temperature {temperature} °C is implausible, probably a misread; measure again."),
    "antipassback": ("上次记录已是“{direction}”，不能重复{direction}。",
                     "Already recorded as {direction} last time; cannot go {direction} again."),
    "quota": ("本户 {days} 天内已外出 {count} 次，超过限额 {limit} 次。",
              "This household went out {count} times in {days} days; the limit is {limit}."),
    "quarantine": ("居家隔离至 {until}，不得外出。", "In home quarantine until {until}: may not go out."),
    "quarantine_entry": ("居家隔离人员（至 {until}）进入，请通知物业。",
                         "Resident in home quarantine (until {until}) coming in: notify the office."),
    "observation": ("健康观察人员，请留意。", "Resident under health observation: keep an eye."),
    "expired": ("出入证已过期（有效期 {valid_from} 至 {valid_until}）。",
                "Pass out of its dates ({valid_from} to {valid_until})."),
    "revoked": ("出入证已作废。", "This pass has been revoked."),
    "superseded": ("出入证已被新卡取代，请使用新卡。", "This pass was replaced by a newer card; use the new one."),
    "forged": ("出入证签名无效，疑似伪造。", "The pass signature is invalid: possibly forged."),
    "foreign_site": ("这是其他小区（{site}）的出入证。", "This pass belongs to another compound ({site})."),
    "unknown_pass": ("本门岗没有这张出入证的记录。", "This gate has no record of this pass."),
    "malformed": ("无法识别的二维码，请重新扫描。", "Unreadable code; scan again."),
    "duplicate": ("刚刚已扫描过，已忽略。", "Just scanned; ignored."),
    "late_return": ("外出 {minutes} 分钟，超过 {limit} 分钟限时。",
                    "Out for {minutes} minutes, over the {limit}-minute limit."),
    "late_return_suspended": ("本户有人超时返回，暂停外出至 {suspended_until}。",
                              "A member of this household returned late; exits suspended until {suspended_until}."),
    "resident_inactive": ("该住户已注销。", "This resident is no longer registered."),
    "health_code_red": ("健康码红码，不得进入。", "Red health code: entry refused."),
    "health_code_yellow": ("健康码黄码，请核实。", "Yellow health code: check before letting in."),
    "watchlist": ("该访客在关注名单上，请核实。", "This visitor is on the watch list: check."),
    "visitor_fever": ("访客体温 {temperature} °C，发热，不得进入。",
                      "Visitor temperature {temperature} °C: fever, entry refused."),
})

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
