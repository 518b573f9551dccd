"""The records page: the lazy window pages by key in the background (never blocking the GUI
thread), passes QAbstractItemModelTester while it grows, lets go of rows and fetches them again
in both directions, jumps to the end, filters, and shows voids with who, when and why."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QAbstractItemModelTester

from checkpoint_app.services import amendments
from checkpoint_app.services.gate import record_passage
from checkpoint_app.ui.office.records_model import FIRST_PAGE, RecordsModel
from tests.ui.office.conftest import AUDITOR, AUDITOR_PW

N = 60


@pytest.fixture
def walked(office_users):
    """N passages of the five residents, one voided."""
    g = office_users
    ctx = g.operator
    names = sorted(g.cards)
    for i in range(N):
        g.clock.advance(minutes=7)
        record_passage(ctx, g.cards[names[i % len(names)]], temperature="365", guard="王师傅" if i % 2 else "李师傅")
    uid = ctx.db.conn.execute("SELECT uid FROM passages ORDER BY at LIMIT 1 OFFSET 10").fetchone()[0]
    g.clock.advance(minutes=1)      # the void is the newest record (at the same minute as the last
    amendments.void_record(ctx, uid, "重复扫码")     # passage, the uids' random bits could order them)
    journal = [r[0] for r in ctx.db.conn.execute("SELECT uid FROM journal ORDER BY at, uid")]
    return g, uid, journal


def _loaded(qtbot, model, where=None):
    qtbot.waitUntil(lambda: not model.fetching, timeout=10_000)


def test_the_window_pages_by_key_both_ways_and_passes_the_model_tester(office, walked, qtbot, watchdog):
    g, voided, journal = walked
    window = office()
    watchdog.start()
    model = RecordsModel(window.office.background, page=8, window=20)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.set_filter(model.filter)
    _loaded(qtbot, model)
    assert [r.uid for r in model.rows] == journal[:8] and model.more_after and not model.more_before
    while model.canFetchMore():
        model.fetchMore()
        _loaded(qtbot, model)
    assert len(model.rows) == 20, "the window lets go of the top"
    assert [r.uid for r in model.rows] == journal[-20:] and model.more_before and not model.more_after
    for _ in range(3):
        model.fetch_before()
        _loaded(qtbot, model)
    assert [r.uid for r in model.rows] == journal[-20 - 24:-24] and model.more_after
    model.jump_to_end()
    _loaded(qtbot, model)
    assert [r.uid for r in model.rows] == journal[-8:] and model.more_before and not model.more_after
    model.jump_to_start()
    _loaded(qtbot, model)
    assert [r.uid for r in model.rows] == journal[:8]


def test_the_page_opens_at_once_filters_and_shows_a_void(office, walked, qtbot, watchdog):
    g, voided, journal = walked
    window = office()
    watchdog.start()
    page = window.office.open("records")
    _loaded(qtbot, page.model)
    assert page.model.rowCount() > 0 and "已显示" in page.status.text()
    page.kind.setCurrentIndex(page.kind.findData("passage"))
    page.guard.setText("王师傅")
    page.search.click()
    _loaded(qtbot, page.model)
    while page.model.canFetchMore():
        page.table.scrollToBottom()
        page.model.fetchMore()
        _loaded(qtbot, page.model)
    assert len(page.model.rows) == N // 2 and {r.by for r in page.model.rows} == {"王师傅"}
    page.guard.clear()
    page.household.setText("3-2-501")
    page.search.click()
    _loaded(qtbot, page.model)
    assert page.model.rows and {r.who.split()[0] for r in page.model.rows} == {"3-2-501"}
    page.household.clear()
    page.search.click()
    _loaded(qtbot, page.model)
    while voided not in [r.uid for r in page.model.rows]:
        page.model.fetchMore()
        _loaded(qtbot, page.model)
    row = [r.uid for r in page.model.rows].index(voided)
    text = page.model.index(row, 6).data()
    assert text.startswith("作废：") and "重复扫码" in text and page.model.rows[row].void
    assert page.model.index(row, 7).data().startswith("南门 · ")
    page.kind.setCurrentIndex(0)         # every kind: the newest record is the void
    page.search.click()
    page.jump_to_end()
    _loaded(qtbot, page.model)
    assert page.model.rows[-1].uid == journal[-1] and page.model.rows[-1].kind == "amendment"


def test_an_auditor_browses_the_records(office, walked, qtbot):
    window = office(AUDITOR, AUDITOR_PW)
    page = window.office.open("records")
    _loaded(qtbot, page.model)
    assert page.model.rows and page.message.text() == ""


def test_the_first_rows_do_not_wait_behind_another_pages_work(office, walked, qtbot, watchdog):
    """The office opens on the residents page, whose roster read was still running when the
    records page asked for its first rows: they queued behind it on one worker (the benchmark's
    first rows 243-381 ms on 10 M passages). The records page reads on a worker of its own, and
    its first page is a screenful, not 200 rows."""
    import threading

    g, _voided, journal = walked
    window = office()
    background = window.office.background
    release = threading.Event()
    assert background.run("another page's slow read", lambda _ctx: release.wait(30))
    watchdog.start()
    try:
        model = RecordsModel(background)
        model.set_filter(model.filter)
        _loaded(qtbot, model)
        assert background.busy("another page's slow read")
    finally:
        release.set()
    # the first page is a screenful and more (FIRST_PAGE), the next ones full pages
    assert [r.uid for r in model.rows] == journal[:FIRST_PAGE] and model.more_after
    model.fetchMore()
    _loaded(qtbot, model)
    assert [r.uid for r in model.rows] == journal and not model.more_after
    qtbot.waitUntil(lambda: not background.busy("another page's slow read"), timeout=5000)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_at_1024x640_the_filter_hints_show_whole(office, qapp, qtbot, lang):
    from checkpoint_app import i18n as service_i18n
    from checkpoint_app.ui import i18n

    translators = i18n.install(qapp, lang)
    try:
        window = office()
        page = window.office.open("records")
        window.resize(1024, 640)
        qtbot.waitUntil(lambda: window.width() == 1024)
        qapp.processEvents()
        for field in (page.household, page.person, page.guard):
            room = field.contentsRect().width() - 2 * 10       # the padding and the text margins
            assert field.fontMetrics().horizontalAdvance(field.placeholderText()) <= room, field.placeholderText()
    finally:
        i18n.uninstall(qapp, translators)
        service_i18n.set_language("zh_CN")
