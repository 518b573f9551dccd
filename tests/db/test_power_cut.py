"""The Power-cut proof of issue #5.

"A test kills the writing process with SIGKILL at random moments at least 200 times while it
records passages; afterwards every passage the process had reported as recorded is there,
integrity_check is ok and verify-db passes."

A small writer script runs as a subprocess. To afford 200+ kills in seconds it imports the app
once and forks one writer per round (a fork starts in milliseconds, a fresh Python in 150 ms);
each writer opens the gate itself (so a kill can also land in WAL recovery of the previous
victim's file), records passages through ``services.gate.record_passage`` and prints each
passage id only after the call has returned. The test SIGKILLs the writer at a random moment
and reaps it; all rounds share one data folder.

SIGKILL loses the process, not the operating system's page cache: this proves the transaction
discipline (nothing half-written, nothing reported that is not committed). Losing the cache
too is what ``synchronous=FULL`` is for; SECURITY.md says what that covers.
"""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checkpoint_app import paths
from checkpoint_app.db import connection
from checkpoint_app.db.verify import verify_database
from checkpoint_app.services import site as site_service

ROUNDS = 220
WRITER = r'''
import os, sys, time
from datetime import datetime, timedelta

from checkpoint_app.services import gate as gate_service
from checkpoint_app.services.context import open_gate

data_dir, cards = sys.argv[1], sys.argv[2:]
out = sys.stdout.fileno()


def say(text):
    os.write(out, (text + "\n").encode())   # one write() per line: atomic on a pipe


def writer(burst):
    say(f"R {os.getpid()}")
    ctx = None
    try:
        import sqlite3
        probe = sqlite3.connect(os.path.join(data_dir, "checkpoint.sqlite3"))
        newest = probe.execute("SELECT max(at) FROM journal").fetchone()[0]
        probe.close()
        base, t0 = datetime.fromisoformat(newest) + timedelta(milliseconds=1), time.monotonic()
        ctx = open_gate(data_dir, clock=lambda: base + timedelta(seconds=time.monotonic() - t0)).acting_as(
            None, "operator")
        say(f"O {os.getpid()}")
        for i in range(burst):
            result = gate_service.record_passage(ctx, cards[i % len(cards)], temperature="365")
            if result.passage_id:
                say(f"P {result.passage_id}")
        ctx.close()
    except BaseException as exc:
        say(f"E {exc!r}".replace("\n", " "))


say("Z")
for command in sys.stdin:
    word, *arg = command.split()
    if word == "quit":
        break
    pid = os.fork()
    if pid == 0:
        try:
            writer(int(arg[0]))
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    say(f"D {pid} {status}")
'''


class Lines:
    """Line reader over a pipe with a timeout, so a hung writer fails the test instead of CI."""

    def __init__(self, stream, timeout: float = 20.0) -> None:
        self.fd = stream.fileno()
        self.buf = b""
        self.timeout = timeout

    def next(self) -> str:
        deadline = time.monotonic() + self.timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                raise TimeoutError("the writer stopped talking")
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise EOFError("the writer script ended")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode()


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")
def test_sigkill_at_random_moments_loses_nothing_reported(gate, tmp_path):
    site_service.set_setting(gate.ctx, "duplicate_window_seconds", "0")
    data_dir = gate.data_dir
    gate.ctx.close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    proc = subprocess.Popen([sys.executable, str(script), str(data_dir), *gate.cards.values()],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    lines = Lines(proc.stdout)
    reported: list[str] = []
    kills_while_writing = kills_after_a_commit = kills = 0
    try:
        assert lines.next() == "Z"
        for _ in range(ROUNDS):
            proc.stdin.write(b"go 2000\n")
            proc.stdin.flush()
            kind, pid = lines.next().split()
            assert kind == "R"
            pid = int(pid)
            wrote_before = len(reported)
            early = rng.random() < 0.2           # while opening: WAL recovery of the last victim
            if not early:
                line = lines.next()
                assert line.startswith("O "), line
                if rng.random() < 0.5:
                    # Half the kills come after at least one commit, however loaded the machine
                    # (a fixed sleep alone saw no commit at all when both cores were busy).
                    while not (line := lines.next()).startswith("P "):
                        assert not line.startswith(("E ", "D ")), line
                    reported.append(line[2:])
                time.sleep(rng.uniform(0, 0.06))
            else:
                time.sleep(rng.uniform(0, 0.01))
            os.kill(pid, signal.SIGKILL)
            kills += 1
            while True:
                line = lines.next()
                if line.startswith("P "):
                    reported.append(line[2:])
                elif line.startswith("D "):
                    assert int(line.split()[1]) == pid
                    break
                elif line.startswith("E "):
                    pytest.fail(f"the writer failed instead of being killed: {line}")
            if not early:
                kills_while_writing += 1
                kills_after_a_commit += len(reported) > wrote_before
        proc.stdin.write(b"quit\n")
        proc.stdin.flush()
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert kills >= 200
    assert kills_while_writing >= 150, kills_while_writing      # in the write loop, not in start-up
    assert kills_after_a_commit >= 50, kills_after_a_commit     # and well into it
    print(f"{kills} kills, {kills_while_writing} in the write loop, {kills_after_a_commit} after a commit, "
          f"{len(reported)} passages reported")
    assert len(set(reported)) == len(reported) > 200

    db = paths.db_path(data_dir)
    conn = connection.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {r[0] for r in conn.execute("SELECT uid FROM passages")}
        missing = [uid for uid in reported if uid not in stored]
        assert not missing, f"{len(missing)} passages reported as recorded are gone, e.g. {missing[:3]}"
        report = verify_database(conn)
        assert report.ok, report.problems
        assert report.records == conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    finally:
        conn.close()
    # At most the passage in flight at each kill was committed without being reported.
    assert len(stored) - len(reported) <= kills
