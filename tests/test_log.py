"""The log set-up: records held in memory at the gate app's start reach the file, in order."""

from __future__ import annotations

import logging

import pytest

from checkpoint_app import log as logsetup


@pytest.fixture
def fresh_logging(monkeypatch):
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    monkeypatch.setattr(logsetup, "_configured", False)
    monkeypatch.setattr(logsetup, "_held", None)
    monkeypatch.setattr(logsetup, "_file", None)
    yield root
    for h in list(root.handlers):
        if h not in before[0]:
            root.removeHandler(h)
            h.close()
    root.setLevel(before[1])


def _lines(folder):
    return (folder / "checkpoint.log").read_text(encoding="utf-8").splitlines()


def test_held_records_are_written_when_the_file_is_made(fresh_logging, tmp_path):
    asked = []
    logsetup.hold(lambda: asked.append(1) or tmp_path)
    log = logging.getLogger("checkpoint_app.test")
    log.info("first")
    log.warning("second")
    log.debug("below the level")
    assert not (tmp_path / "checkpoint.log").exists()
    logsetup.configure(tmp_path)
    log.info("third")
    lines = _lines(tmp_path)
    assert [line.split(": ", 1)[1] for line in lines] == ["first", "second", "third"]
    assert not asked                       # the folder was asked by configure's caller, not the error path


def test_an_error_does_not_wait_for_the_file(fresh_logging, tmp_path):
    logsetup.hold(lambda: tmp_path)
    log = logging.getLogger("checkpoint_app.test")
    log.info("before")
    log.error("broken")
    log.info("after")
    assert [line.split(": ", 1)[1] for line in _lines(tmp_path)] == ["before", "broken", "after"]
    logsetup.configure(tmp_path)           # the later call finds it done
    assert len(_lines(tmp_path)) == 3


def test_a_flood_before_the_file_is_counted_not_kept(fresh_logging, tmp_path, monkeypatch):
    monkeypatch.setattr(logsetup, "HELD_MAX", 5)
    logsetup.hold(lambda: tmp_path)
    log = logging.getLogger("checkpoint_app.test")
    for i in range(8):
        log.info("line %d", i)
    logsetup.configure(tmp_path)
    lines = _lines(tmp_path)
    assert len(lines) == 6 and "3 log records of the start were dropped" in lines[-1]


def test_held_records_go_to_the_new_file_only_and_a_failing_error_path_does_not_raise(fresh_logging, tmp_path):
    """A handler that was there before (a test's caplog, a console) had the records live: they
    are written to the new file only. An error whose log folder cannot be made still logs."""
    seen: list[str] = []

    class Spy(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())

    fresh_logging.addHandler(spy := Spy())
    try:
        def broken_dir():
            raise RuntimeError("no folder")

        logsetup.hold(broken_dir)
        log = logging.getLogger("checkpoint_app.test")
        log.info("one")
        log.error("two")                   # the error path fails: handled, not raised
        logsetup.configure(tmp_path)
        assert seen == ["one", "two"]
        assert [line.split(": ", 1)[1] for line in _lines(tmp_path)] == ["one", "two"]
    finally:
        fresh_logging.removeHandler(spy)


def test_records_logged_by_threads_while_the_file_is_made_are_all_written_once(fresh_logging, tmp_path):
    """Four threads log while configure swaps the held handler for the file handler: every record
    is in the file exactly once."""
    import threading

    logsetup.hold(lambda: tmp_path)
    log = logging.getLogger("checkpoint_app.test")
    start = threading.Barrier(5)

    def worker(n: int) -> None:
        start.wait()
        for i in range(300):
            log.info("t%d-%d", n, i)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    start.wait()
    logsetup.configure(tmp_path)
    for t in threads:
        t.join()
    messages = [line.split(": ", 1)[1] for line in _lines(tmp_path)]
    assert sorted(messages) == sorted(f"t{n}-{i}" for n in range(4) for i in range(300))


def test_each_data_folder_logs_into_its_own_file(fresh_logging, tmp_path, monkeypatch):
    """Issue 11: every data folder shared one checkpoint.log (the GUI's path: hold, then configure)."""
    from checkpoint_app import paths

    monkeypatch.setenv("CHECKPOINT_LOG_DIR", str(tmp_path / "logs"))
    a, b = paths.log_file(tmp_path / "gate-a"), paths.log_file(tmp_path / "gate-b")
    assert a.parent == b.parent == tmp_path / "logs" and a != b
    assert paths.log_file(tmp_path / "gate-a") == a                  # stable for a folder
    logsetup.hold(lambda: a.parent, file_name=a.name)
    logging.getLogger("checkpoint_app.test").error("an error configures at once")
    assert logsetup.log_file() == a and "an error configures at once" in a.read_text(encoding="utf-8")
