"""ui/gate/board.py: the live board beside the scan panel."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from PySide6.QtGui import QTextDocument

from checkpoint_app.services.board import Board, OutNow


def _out(gate_ctx, n: int, overdue: int = 0) -> Board:
    now = gate_ctx.clock()
    out = [OutNow(f"uid{i}", f"住户{i:02d}号", f"{1 + i % 3}-{1 + i % 2}-{101 + i}", now - timedelta(minutes=5 + i),
                  i < overdue) for i in range(n)]
    return Board(now.date(), 0, n, 0, 0, 0, 0, out, [])


def _drawn(label) -> str:
    """The text of the list as the guard sees it (tags and spaces out)."""
    return re.sub(r"<[^>]+>", " ", label.text()).replace("&nbsp;", " ")


@pytest.mark.parametrize("size", [(1024, 640), (1366, 768)])
def test_who_is_out_is_never_cut_off_below_the_list(window, gate_ctx, qtbot, size):
    """An evening with a dozen people out: each name is whole in the list or counted in
    "…另 n 人"; nothing runs past the list's bottom edge (at 1024 px the last names and the
    count were clipped, and the guard saw "外出未归 12 人" over eight names)."""
    window.resize(*size)
    board = window.page.board
    board._show(_out(gate_ctx, 12, overdue=2))
    qtbot.wait(50)
    label = board.out_list
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    doc.setHtml(label.text())
    doc.setTextWidth(label.contentsRect().width())
    assert doc.size().height() <= label.contentsRect().height()
    assert doc.idealWidth() <= label.contentsRect().width()
    drawn = _drawn(label)
    shown = sum(1 for i in range(12) if f"住户{i:02d}号" in drawn)
    more = re.search(r"另 (\d+) 人", drawn)
    assert shown + (int(more.group(1)) if more else 0) == 12
    assert shown >= 4, drawn
    assert "住户00号" in drawn and "住户01号" in drawn, "the overdue come first"


def test_the_out_list_is_laid_out_again_for_a_narrower_window_and_never_widens_the_board(window, gate_ctx, qtbot):
    """Its lines are made for its width: they must not become the board's minimum width (the
    board then stayed 553 px wide at 1024 px and was laid over the panel column)."""
    board = window.page.board
    board._show(_out(gate_ctx, 12))
    qtbot.wait(50)
    wide_lines = board.out_list.text().count("<br>")
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: window.width() == 1024)
    qtbot.wait(50)
    label = board.out_list
    assert board.geometry().right() < window.centralWidget().width()
    assert window.page.stack_area.geometry().right() < board.geometry().left()
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    doc.setHtml(label.text())
    assert doc.idealWidth() <= label.contentsRect().width()
    assert label.text().count("<br>") >= wide_lines
