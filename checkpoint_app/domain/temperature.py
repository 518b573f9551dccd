"""Body temperatures, always integer tenths of a degree Celsius (365 == 36.5 °C).

Integers, because readings go into hashes, the database and reports: a float such as 36.6 has
no exact binary form and would hash or compare differently from one machine or path to another.

Guards type fast on a numeric keypad, so "365" (no separator) is the common form; "36.5" and the
European "36,5" are accepted too, as is whatever a Chinese IME produces (full-width digits,
"。" for the full stop key, "℃" or "度").
"""

from __future__ import annotations

import re
import unicodedata

from checkpoint_app.domain.text import shown
from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages

DEFAULT_LOW_TENTHS = 340
DEFAULT_HIGH_TENTHS = 425
_ECHO_LIMIT = 20

# [0-9] and not \d: \d also matches Arabic-Indic and other digits, which int() would accept.
_TEMPERATURE = re.compile(
    r"(?:(?P<whole>[0-9]{2})[.,。](?P<fraction>[0-9]{1,2})|(?P<bare>[0-9]{2,3}))"
    r"\s*(?:°\s*C|°|C|度)?",
    re.IGNORECASE,
)

_ = Messages(
    {
        "temp.empty": ("请输入体温，如 365 或 36.5。", "Please enter the temperature, like 365 or 36.5."),
        "temp.malformed": (
            "体温“{text}”无法识别，请输入如 365 或 36.5。",
            'The temperature "{text}" is not understood; type it like 365 or 36.5.',
        ),
        "temp.implausible": (
            "体温 {t} °C 不合理，可能是误读，请重新测量。",
            "A temperature of {t} °C is not plausible and may be a misreading; please measure again.",
        ),
    }
)


def parse_temperature(
    text: str, *, low_tenths: int = DEFAULT_LOW_TENTHS, high_tenths: int = DEFAULT_HIGH_TENTHS
) -> int:
    """Parse a typed reading into tenths of °C, refusing the malformed and the implausible."""
    if low_tenths > high_tenths:
        raise ValueError(f"low_tenths {low_tenths} is above high_tenths {high_tenths}")
    if not isinstance(text, str):
        raise InvalidInput(_("temp.malformed", text=shown(repr(text), _ECHO_LIMIT)), "temperature_malformed")
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        raise InvalidInput(_("temp.empty"), "temperature_malformed")
    match = _TEMPERATURE.fullmatch(cleaned)
    if match is None:
        raise InvalidInput(_("temp.malformed", text=shown(text, _ECHO_LIMIT)), "temperature_malformed")
    if match["bare"] is not None:
        digits = match["bare"]
        # Two digits are whole degrees ("37"); three are degrees and tenths with the separator
        # left out ("365"), the way guards type on a numeric keypad.
        tenths = int(digits) * 10 if len(digits) == 2 else int(digits)
    else:
        hundredths = int(match["whole"]) * 100 + int(match["fraction"].ljust(2, "0"))
        tenths = (hundredths + 5) // 10  # half-up: 36.55 -> 36.6, as a thermometer shows it
    if not low_tenths <= tenths <= high_tenths:
        raise InvalidInput(
            _("temp.implausible", t=format_temperature(tenths)), "temperature_implausible"
        )
    return tenths


def format_temperature(tenths: int) -> str:
    """365 -> "36.5", with integer arithmetic so no float rounding can creep in."""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    return f"{sign}{whole}.{tenth}"


def is_fever(tenths: int, threshold_tenths: int) -> bool:
    """At or above the threshold counts: the rule says "37.3 °C or more"."""
    return tenths >= threshold_tenths
