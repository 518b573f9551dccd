"""No screen or export shows a code: every field of every record kind has a name in both
languages and a way to be shown, every code a word (a walk over domain/record_kinds.py, so a kind
added without them fails), and the records page and the statistics workbook show words, not the
codes the old code showed (`correct`, `family`, `quarantine`, `spray`, `temp_tenths`…)."""

from __future__ import annotations

import re
from datetime import timedelta

import openpyxl
import pytest

from checkpoint_app import i18n, settings
from checkpoint_app.domain import home_quarantine, record_kinds
from checkpoint_app.services import (disinfection, record_words, records_browser, residents, roster_values,
                                     statistics, users, visitors)
from tests.db.populate import populate

ASCII_WORD = re.compile(r"(?<![\w/])[a-z]+(?:_[a-z]+)*(?![\w/])")   # a code as stored: `correct`, `elderly_alone`
CODE_VALUES = {   # every code a coded field may hold, from where each is defined
    "status": (*residents.STATUSES, "moved_out"), "kind": roster_values.KINDS, "action": ("add", "correct", "amend", "void"),
    "health_code": visitors.HEALTH_CODES, "method": disinfection.METHODS, "role": users.ROLES,
    "key": tuple(settings.SETTINGS), "measure": home_quarantine.MEASURES, "symptoms": home_quarantine.SYMPTOMS,
    "contact": home_quarantine.CONTACTS, "needs_help": home_quarantine.NEEDS, "direction": ("in", "out"),
    "outcome": records_browser.OUTCOMES, "recorded_by": ("auto",),
}


@pytest.fixture
def lang():
    before = i18n.language()
    yield i18n.set_language
    i18n.set_language(before)


def _fields():
    return sorted({f for k in record_kinds.KINDS for f in k.fields} | {"uid"})


def test_every_field_of_every_kind_is_named_in_both_languages_and_has_one_way_to_be_shown(lang):
    coded = {field for _kind, field in record_words.CODES}
    for field in _fields():
        lang("zh_CN")
        zh = record_words.field_label(field)
        lang("en")
        en = record_words.field_label(field)
        assert zh != field and not re.search("[A-Za-z]", zh) and en and en != zh, field
        if field != "uid":
            # a code of some kind (a field may be a code for one kind and free text for another: a
            # survey visit's contact, a passage's reason), a yes/no, a moment, or shown as it is
            assert field in coded | record_words.FLAGS | record_words.TIMES | record_words.AS_IS, field


@pytest.mark.parametrize("field", sorted(CODE_VALUES))
def test_every_code_is_a_word_in_both_languages(lang, field):
    kind = next(k.kind for k in record_kinds.KINDS if field in k.fields and record_words.words_for(k.kind, field))
    for code in CODE_VALUES[field]:
        lang("zh_CN")
        zh = str(record_words.value(kind, field, code))
        lang("en")
        en = str(record_words.value(kind, field, code))
        assert zh and not ASCII_WORD.search(zh), (field, code, zh)
        assert en and "_" not in en and en != zh, (field, code, en)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_records_page_shows_every_kind_in_words(gate, lang, language):
    populate(gate)
    lang(language)
    manager = gate.ctx.acting_as("物业管理员", "manager")
    rows = records_browser.page(manager, limit=1000)
    assert {r.kind for r in rows} == set(record_kinds.BY_KIND)   # populate() makes every kind
    codes = {c for values in CODE_VALUES.values() for c in values} | {"0", "1"}
    for row in rows:
        parts = row.detail.split(" · ")
        if language == "zh_CN":
            assert not [w for w in ASCII_WORD.findall(row.detail + " " + row.by) if w != "mg"], (row, row.detail)
        else:
            assert not [p for p in parts if "_" in p or (p in codes and p != record_words.value(row.kind, "", p))], \
                (row.kind, row.detail)
        assert not re.search(r"\dT\d", row.detail), (row.kind, row.detail)       # a moment, not ISO


def test_the_statistics_workbook_names_its_columns_and_codes_in_words(gate, lang, tmp_path):
    populate(gate)
    lang("zh_CN")
    day = gate.clock().date()
    out = tmp_path / "stats.xlsx"
    statistics.export_xlsx(gate.ctx.acting_as("物业管理员", "manager"), day - timedelta(days=45), day, out)
    book = openpyxl.load_workbook(out, read_only=True)
    for ws in book.worksheets:
        assert not re.search("[a-z]{3,}", ws.title), ws.title
        rows = list(ws.values)
        assert not [h for h in rows[0] if h and re.search("[A-Za-z]", str(h))], (ws.title, rows[0])
    people = list(book[record_kinds.label("resident")].values)
    kind_column = people[0].index(record_words.field_label("kind"))
    assert {r[kind_column] for r in people[1:]} <= {"户主", "家属", "租户"}
    passages = list(book[record_kinds.label("passage")].values)
    assert {r[passages[0].index("方向")] for r in passages[1:]} == {"进", "出"}
    assert {r[passages[0].index("结果")] for r in passages[1:]} == {"放行", "提示", "拒绝"}
    statuses = list(book[record_kinds.label("resident_status")].values)
    status_column = statuses[0].index(record_words.field_label("status"))
    assert {r[status_column] for r in statuses[1:]} <= {"居家隔离", "健康观察", "恢复正常", "迁出"}
