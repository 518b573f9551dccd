"""Work in a child process (services/apart.py): what the child sends, its steps, its answer, its
refusals as the same kind of error in the app's language, a crash, and a cancel that stops it at
its next step."""

from __future__ import annotations

import time

import pytest

from checkpoint_app import i18n
from checkpoint_app.errors import DatabaseTooNew, NotFound, UserError
from checkpoint_app.services import apart
from checkpoint_app.services.progress import Cancelled, Progress

_ = i18n.Messages({"gone": ("没有这个人。", "No such person.")})


def _counting(out, n: int, pause: float, marker: str | None = None):
    for i in range(n):
        out.step(i, n, f"item {i}")
        out.send(("item", i))
        time.sleep(pause)
        if marker:
            with open(marker, "a", encoding="utf-8") as f:
                f.write(f"{i}\n")
    out.step(n, n)
    return {"made": n}


def _refusing(out, kind: str):
    if kind == "not_found":
        raise NotFound(_("gone"))
    if kind == "too_new":
        raise DatabaseTooNew("too new")
    raise UserError(_("gone"), "odd_code")


def _crashing(out):
    return 1 / 0


def test_what_the_child_sends_is_yielded_its_steps_reported_and_its_answer_returned():
    steps = []
    gen = apart.stream(_counting, 3, 0.0, progress=Progress(lambda *a: steps.append(a)))
    items = []
    while True:
        try:
            items.append(next(gen))
        except StopIteration as end:
            answer = end.value
            break
    assert items == [("item", 0), ("item", 1), ("item", 2)] and answer == {"made": 3}
    assert steps[0] == (0, 3, "item 0") and steps[-1] == (3, 3, "")


@pytest.mark.parametrize(("kind", "cls", "code"), [
    ("not_found", NotFound, "not_found"),
    ("too_new", DatabaseTooNew, "database_too_new"),
    ("other", UserError, "odd_code"),
])
def test_a_refusal_in_the_child_is_the_same_kind_with_the_same_sentence_in_the_apps_language(kind, cls, code):
    i18n.set_language("en")         # chosen in the app, not by CHECKPOINT_LANG: the child speaks it too
    try:
        with pytest.raises(cls) as refused:
            apart.call(_refusing, kind)
    finally:
        i18n.set_language("zh_CN")
    assert type(refused.value) is cls and refused.value.code == code
    if kind != "too_new":
        assert str(refused.value) == "No such person."


def test_a_crash_in_the_child_is_a_bug_with_its_traceback():
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        apart.call(_crashing)


def test_a_cancel_stops_the_child_at_its_next_step_and_waits_for_it(tmp_path):
    import threading

    marker = tmp_path / "done.txt"
    progress = Progress(lambda done, total, text: done >= 2 and threading.Thread(target=progress.cancel).start())
    started = time.perf_counter()
    with pytest.raises(Cancelled):
        for _item in apart.stream(_counting, 50, 0.1, str(marker), progress=progress):
            pass
    made = marker.read_text().split()
    assert 2 <= len(made) <= 5 and time.perf_counter() - started < 20      # stopped, not run to the end
    time.sleep(0.3)
    assert marker.read_text().split() == made                              # and nothing after the answer
