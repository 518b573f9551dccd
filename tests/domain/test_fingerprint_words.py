"""The fingerprint word lists: fixed, 256 words each, no two alike, and a lossless round trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checkpoint_app.domain import fingerprint_words as fw


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


@pytest.mark.parametrize("words", [fw.ZH, fw.EN], ids=["zh", "en"])
def test_each_list_has_256_distinct_words(words):
    assert len(words) == 256 == len(set(words))


def test_the_chinese_words_are_two_chinese_characters():
    assert all(len(w) == 2 and all("\u4e00" <= c <= "\u9fff" for c in w) for w in fw.ZH)


def test_no_two_english_words_are_alike():
    """At least two letters apart, no word the start of another, none rhyming by the first letter only."""
    assert all(w.isascii() and w.isalpha() and w.islower() and 3 <= len(w) <= 9 for w in fw.EN)
    alike = [(a, b) for i, a in enumerate(fw.EN) for b in fw.EN[i + 1:]
             if _distance(a, b) < 2 or a.startswith(b) or b.startswith(a) or a[1:] == b[1:]]
    assert alike == []


@pytest.mark.parametrize("lang, data, expected", [
    ("zh_CN", b"\x00\x01\xff", ["苹果", "香蕉", "珊瑚"]),
    ("en", b"\x00\x01\xff", ["apple", "anchor", "raisin"]),
    ("en", b"\x10\x80", ["bridge", "apricot"]),
    ("zh_CN", b"\x10\x80", ["花生", "桌子"]),
])
def test_bytes_become_these_words(lang, data, expected):
    """The lists never change: a sheet printed once must read the same on every later version."""
    assert fw.to_words(data, lang) == expected
    assert fw.from_words(expected, lang) == data


def test_a_fingerprint_is_four_lines_of_eight_words():
    lines = fw.lines("00" * 31 + "ff", "en")
    assert len(lines) == 4 and all(len(line.split()) == 8 for line in lines)
    assert lines[-1].split()[-1] == "raisin"


def test_a_word_not_in_the_list_is_named():
    with pytest.raises(ValueError, match="peach"):
        fw.from_words(["apple", "peach"], "en")
    assert fw.from_words([" Apple "], "en") == b"\x00"


@given(st.binary(max_size=64), st.sampled_from(["zh_CN", "en"]))
def test_bytes_to_words_and_back(data, lang):
    assert fw.from_words(fw.to_words(data, lang), lang) == data


@given(st.lists(st.integers(0, 255), max_size=40), st.sampled_from(["zh_CN", "en"]))
def test_words_to_bytes_and_back(indices, lang):
    words = [(fw.EN if lang == "en" else fw.ZH)[i] for i in indices]
    assert fw.to_words(fw.from_words(words, lang), lang) == words
