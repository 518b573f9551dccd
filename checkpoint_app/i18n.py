"""Translated sentences for the non-Qt layers (domain, services, CLI, reports).

The screens use Qt Linguist (``self.tr``); the rules and services must speak to the CLI and to
PDFs too, where Qt is not loaded, so each module declares its sentences next to the code::

    _ = Messages({"temp.empty": ("请输入体温。", "Please enter the temperature.")})
    raise InvalidInput(_("temp.empty"))

Simplified Chinese is the default; English on request (``set_language("en")`` or
``CHECKPOINT_LANG=en``).
"""

from __future__ import annotations

import os

LANGUAGES = ("zh_CN", "en")
_current = "en" if os.environ.get("CHECKPOINT_LANG", "").lower().startswith("en") else "zh_CN"


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current = lang


def language() -> str:
    return _current


class Messages:
    """A table of sentences: key -> (Chinese, English), formatted with ``str.format``."""

    def __init__(self, table: dict[str, tuple[str, str]]) -> None:
        self._table = table

    def __call__(self, key: str, /, lang: str | None = None, **fields: object) -> str:
        zh, en = self._table[key]
        text = en if (lang or _current) == "en" else zh
        return text.format(**fields) if fields else text

    def template(self, key: str, lang: str | None = None) -> str:
        zh, en = self._table[key]
        return en if (lang or _current) == "en" else zh

    def __contains__(self, key: str) -> bool:
        return key in self._table

    def keys(self):
        return self._table.keys()
