"""Translated sentences for the non-Qt layers (domain, services, CLI, reports).

The screens use Qt Linguist (``self.tr``); the rules and services must speak to the CLI and to
PDFs too, where Qt is not loaded, so each module declares its sentences next to the code::

    _ = Messages({"temp.empty": ("请输入体温。", "Please enter the temperature.")})
    raise InvalidInput(_("temp.empty"))

Simplified Chinese is the default; English on request (``set_language("en")`` or
``CHECKPOINT_LANG=en``).

Counts in English take their noun through :func:`counted`; in a sentence, the field says both
forms after a colon: ``"{rows:record|records}"`` gives "1 record", "5 records" (Chinese needs
none: "{rows} 条").
"""

from __future__ import annotations

import os
import string

LANGUAGES = ("zh_CN", "en")
_current = "en" if os.environ.get("CHECKPOINT_LANG", "").lower().startswith("en") else "zh_CN"


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current = lang


def language() -> str:
    return _current


def counted(n: int, one: str, many: str | None = None) -> str:
    """"1 record", "2 records": a count with its noun in English (``many``: when not ``one`` + "s")."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


class _Formatter(string.Formatter):
    """``str.format``, and ``{n:one|many}`` for a count with its noun (:func:`counted`)."""

    def format_field(self, value, format_spec: str):
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return counted(int(value), one, many)
        return super().format_field(value, format_spec)


_formatter = _Formatter()


def fill(text: str, /, **fields: object) -> str:
    """``text.format(**fields)``, counts said with their noun where the text asks (``{n:gap|gaps}``)."""
    return _formatter.format(text, **fields)


class Messages:
    """A table of sentences: key -> (Chinese, English), formatted with ``str.format``."""

    def __init__(self, table: dict[str, tuple[str, str]]) -> None:
        self._table = table

    def __call__(self, key: str, /, lang: str | None = None, **fields: object) -> str:
        zh, en = self._table[key]
        text = en if (lang or _current) == "en" else zh
        return fill(text, **fields) if fields else text

    def template(self, key: str, lang: str | None = None) -> str:
        zh, en = self._table[key]
        return en if (lang or _current) == "en" else zh

    def __contains__(self, key: str) -> bool:
        return key in self._table

    def keys(self):
        return self._table.keys()
