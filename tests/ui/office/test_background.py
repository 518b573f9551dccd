"""The office's door to background work: one job of a name at a time, its own context, errors tiered."""

from __future__ import annotations

import threading

from checkpoint_app.errors import NotFound
from checkpoint_app.ui.office.background import Background


def test_a_job_runs_on_its_own_context_acting_for_the_same_person_and_cannot_start_twice(qtbot, gate_ctx):
    bg = Background(gate_ctx.ctx.acting_as("物业刘", "manager"))
    release = threading.Event()
    seen = {}

    def job(ctx):
        release.wait(5)
        seen.update(thread=threading.current_thread().name.startswith("checkpoint-office"), user=ctx.user, role=ctx.role,
                    same=ctx.db is gate_ctx.ctx.db)
        return 42

    results = []
    assert bg.run("cards", job, results.append)
    assert bg.busy("cards") and not bg.run("cards", job, results.append)   # not twice
    assert bg.run("other", lambda ctx: "x", results.append)                # another name may
    release.set()
    qtbot.waitUntil(lambda: len(results) == 2, timeout=5000)
    assert sorted(results, key=str) == [42, "x"] and not bg.busy("cards")
    assert seen == {"thread": True, "user": "物业刘", "role": "manager", "same": False}
    bg.shutdown()


def test_the_callback_may_start_the_next_job_of_the_same_name(qtbot, gate_ctx):
    bg = Background(gate_ctx.ctx.acting_as("物业刘", "manager"))
    started = []

    def done(value):
        started.append(bg.run("again", lambda ctx: value + 1, done) if value < 3 else None)

    bg.run("again", lambda ctx: 1, done)
    qtbot.waitUntil(lambda: len(started) == 3, timeout=5000)
    assert started == [True, True, None]
    bg.shutdown()


def test_a_failure_without_a_handler_goes_the_two_tiers_way(qtbot, gate_ctx):
    from checkpoint_app.ui.shared import errors as ui_errors

    bg = Background(gate_ctx.ctx.acting_as("物业刘", "manager"))
    shown = []
    ui_errors.notifier().message.connect(lambda level, text: shown.append((level, text)))

    def fails(ctx):
        raise NotFound("没有这户。")

    bg.run("x", fails)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown == [("warning", "没有这户。")] and not bg.busy("x")
    bg.shutdown()
