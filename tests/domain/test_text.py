"""Quoting what a user typed back to them: ``shown``'s quick way for plain text gives what the
character-by-character way gives, for any text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkpoint_app.domain.text import shown


def _slowly(value: str, limit: int) -> str:
    """The rule, character by character: whitespace is a space, control/format/surrogate/private/
    unassigned characters go, runs of spaces fold, at most ``limit`` characters."""
    out = []
    for ch in value[: limit * 4]:
        if ch.isspace():
            out.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            out.append(ch)
    visible = " ".join("".join(out).split())
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("张三", 20, "张三"),
    ("  3-2-501   张三 ", 20, "3-2-501 张三"),
    ("a\nb\tc", 20, "a b c"),
    ("王\u3000五", 20, "王 五"),                 # an ideographic space is a space
    ("x\u200by", 20, "xy"),                      # a zero-width space (Cf) goes
    ("abcdefghij", 5, "abcd…"),
    (12, 20, "12"),
])
def test_shown_table(text, limit, expected):
    assert shown(text, limit) == expected


@given(st.text(), st.integers(min_value=1, max_value=60))
def test_the_quick_way_for_plain_text_gives_the_same(text, limit):
    assert shown(text, limit) == _slowly(text, limit)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(" \u3000\u2028\x85\x1f"),
               max_size=100), st.integers(min_value=1, max_value=60))
def test_the_quick_way_with_odd_spaces_gives_the_same(text, limit):
    assert shown(text, limit) == _slowly(text, limit)
