"""The folder lock: many users at once, a restore alone (db/folder_lock.py)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from checkpoint_app.db import folder_lock
from checkpoint_app.errors import StorageError

ROOT = Path(__file__).resolve().parents[2]

HOLD = """
import sys, time
from checkpoint_app.db import folder_lock
kind, db = sys.argv[1], sys.argv[2]
if kind == "shared":
    folder_lock.use(db)
    print("held", flush=True)
    time.sleep(60)
else:
    with folder_lock.exclusive(db):
        print("held", flush=True)
        time.sleep(60)
"""


def _holder(kind: str, db: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, kind, str(db)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().strip() == "held", proc.stderr.read()
    return proc


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "checkpoint.sqlite3"


def test_many_users_share_it_and_a_restore_needs_it_alone(db):
    other = _holder("shared", db)
    try:
        with folder_lock.use(db), folder_lock.use(db):          # this process, twice: counted
            assert folder_lock.users_here(db) == 2
        assert folder_lock.users_here(db) == 0
        with pytest.raises(StorageError) as err, folder_lock.exclusive(db):
            pass
        assert err.value.code == "in_use"
    finally:
        other.send_signal(signal.SIGKILL)   # killed: the system drops its lock, nothing stale
        other.wait()
    with folder_lock.exclusive(db):
        pass


def test_this_processs_own_use_refuses_its_restore(db):
    use = folder_lock.use(db)
    with pytest.raises(StorageError), folder_lock.exclusive(db):
        pass
    use.release()
    use.release()                       # a second release does nothing
    with folder_lock.exclusive(db):
        pass


def test_a_user_waits_for_a_restore_then_says_so(db):
    restoring = _holder("exclusive", db)
    try:
        with pytest.raises(StorageError) as err:
            folder_lock.use(db, timeout=0.2)
        assert err.value.code == "locked"
        assert folder_lock.users_here(db) == 0
    finally:
        restoring.kill()
        restoring.wait()
    folder_lock.use(db, timeout=0.2).release()


def test_where_no_lock_file_can_be_made_it_goes_on_without_one(tmp_path):
    """Read-only media (here: a folder that is not there): nothing can be restored there either."""
    db = tmp_path / "not-there" / "checkpoint.sqlite3"
    with folder_lock.use(db):
        with folder_lock.exclusive(db.with_name("other.sqlite3")):
            pass
    assert not db.parent.exists()
