"""Quoting what a user typed or scanned back to them, safely."""

from __future__ import annotations

import re
import unicodedata

_UID = re.compile(r"[0-9a-f]{32}")


def shown(text: object, limit: int = 20) -> str:
    """Printable, single-line and short: line breaks become spaces; control characters and lone
    surrogates (which could not even be written to the log) are dropped."""
    value = (text if isinstance(text, str) else repr(text))[: limit * 4]
    if value.isprintable():         # no control, format, unassigned or separator but " ": the quick way
        visible = " ".join(value.split())
        return visible if len(visible) <= limit else visible[: limit - 1] + "…"
    out = []
    for ch in value:
        if ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            out.append(ch)
    visible = " ".join("".join(out).split())
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"


def record_id(text: object) -> str | None:
    """A record id (32 lowercase hex digits) as typed, or None when it cannot be one."""
    value = text.strip().lower() if isinstance(text, str) else ""
    return value if _UID.fullmatch(value) else None


def free_text(value: object, max_len: int) -> str:
    """Free text a person typed (a reason, a note): whitespace folded, at most ``max_len``
    characters. Control characters and lone surrogates are refused, not stored."""
    from checkpoint_app.errors import InvalidInput
    from checkpoint_app.i18n import Messages

    text = " ".join(unicodedata.normalize("NFC", str(value)).split()) if isinstance(value, str) else ""
    if len(text) > max_len or any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in text):
        raise InvalidInput(Messages({"t": ("文字中含有无法保存的字符，或超过 {n} 个字。",
                                           "The text holds characters that cannot be stored, or is over {n} characters.")})
                           ("t", n=max_len), "text_invalid")
    return text


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK (East Asian wide/fullwidth) characters take two."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def pad(text: str, width: int) -> str:
    """``text`` left-aligned in ``width`` terminal columns (str.ljust counts CJK as one)."""
    return text + " " * max(0, width - display_width(text))


def natural_key(text: str) -> tuple:
    """Sort key that orders the numbers inside ``text`` by value: 1-1-102 < 2-1-201 < 12-1-123."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", text) if part)
