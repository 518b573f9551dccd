"""i18n.py: sentences in two languages, and counts said with their noun in English."""

from __future__ import annotations

from checkpoint_app.i18n import Messages, counted, fill


def test_a_count_takes_the_singular_only_for_one():
    assert [counted(n, "record") for n in (0, 1, 2)] == ["0 records", "1 record", "2 records"]
    assert counted(1, "day", "days") == "1 day" and counted(3, "more record", "more records") == "3 more records"


def test_a_sentence_says_its_counts_with_their_noun_and_the_chinese_keeps_its_measure_word():
    _ = Messages({"k": ("{n} 条记录，缺口 {gaps} 处（{pct:.1f}%）", "{n:record|records}, {gaps:gap|gaps} ({pct:.1f}%)")})
    assert _("k", lang="en", n=1, gaps=2, pct=12.34) == "1 record, 2 gaps (12.3%)"
    assert _("k", lang="en", n=2, gaps=1, pct=0) == "2 records, 1 gap (0.0%)"
    assert _("k", lang="zh_CN", n=1, gaps=2, pct=1) == "1 条记录，缺口 2 处（1.0%）"
    assert fill("{n:file is|files are} authentic", n=1) == "1 file is authentic"
