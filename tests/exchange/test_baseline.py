"""db/baseline.py and ``checkpoint site baseline`` on a real site made by the code from before
state records (schema step 8, commit 24df473): filled through that code's command line (roster
import, quarantine, passes issued and revoked, users added and disabled, a setting) and its
watch list; opened with this code, baselined once; then a PC rebuilt from records alone holds
the same state tables, a gate joined afterwards gets the same state through an exchange file,
and a second baseline writes nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checkpoint_app.db import records
from checkpoint_app.db.site_repo import load_settings
from checkpoint_app.db.verify import verify_database
from checkpoint_app.exchange.join import export_join, init_join
from checkpoint_app.exchange.rebuild import rebuild_into, write_baseline
from checkpoint_app.exchange.usb import export_file, import_file
from checkpoint_app.services import residents
from checkpoint_app.services.context import open_gate
from checkpoint_app.services.permissions import OPERATOR
from tests.core_fixtures import ROSTER_CSV
from tests.exchange.conftest import state_tables

BEFORE_STATE_RECORDS = "24df4731573b676ed038b61349667fd9ca03e61f"   # schema step 8: no state records
ROOT = Path(__file__).resolve().parents[2]
ADMIN = ("老王", "admin-pass-2026")
MANAGER = ("物业经理", "manager-pass-2026")


@pytest.fixture(scope="session")
def old_site(tmp_path_factory) -> Path:
    """A data folder made and filled by the old code, run as its own command line, and beside it
    (``../north``) a gate that joined it half-way."""
    tmp = tmp_path_factory.mktemp("old-site")
    code = tmp / "code"
    code.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", BEFORE_STATE_RECORDS], capture_output=True)
    if archive.returncode != 0:
        pytest.skip(f"the old code is not in this checkout's history: {archive.stderr.decode()[:200]}")
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive.stdout, check=True)
    data = tmp / "data"
    roster = tmp / "roster.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(code)}

    def old(*args: str, user: tuple[str, str] | None = ADMIN, stdin: str | None = None) -> dict:
        run_env = {**env, "CHECKPOINT_SECRET": user[1]} if user else env
        who = ["--user", user[0]] if user else []
        done = subprocess.run([sys.executable, "-m", "checkpoint_app.cli", "--data-dir", str(data), "--json", *who,
                               *args], env=run_env, input=stdin, capture_output=True, text=True, cwd=code)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return json.loads(done.stdout)

    old("init", "--site-code", "OLD01", "--site-name", "老小区", "--gate", "南门", user=None)
    old("users", "add", ADMIN[0], "--role", "admin", user=None, stdin=ADMIN[1] + "\n")
    old("users", "add", MANAGER[0], "--role", "manager", stdin=MANAGER[1] + "\n")
    old("residents", "import", str(roster), user=MANAGER)
    old("passes", "issue", "--all", user=MANAGER)
    # a gate joined in the old days: what changes at the office from now on never reaches it
    join = old("site", "export-join", "--gate", "北门", "--out", str(tmp / "join.ckp"))
    done = subprocess.run([sys.executable, "-m", "checkpoint_app.cli", "--data-dir", str(tmp / "north"), "--json",
                           "init", "--join", join["file"], "--code", join["code"]], env=env, cwd=code,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    people = {r["name"]: r["id"] for r in old("residents", "list", user=MANAGER)["residents"]}
    old("residents", "set-status", str(people["张三"]), "--status", "quarantine", "--until", "2026-12-31",
        user=MANAGER)
    old("passes", "revoke", "2", "--reason", "遗失", user=MANAGER)
    old("users", "add", "保安甲", "--role", "guard", stdin="1234\n")
    old("users", "add", "保安乙", "--role", "guard", stdin="5678\n")
    old("users", "disable", "保安乙")
    old("settings", "set", "quota_exits", "3")
    watch = ("from pathlib import Path; from checkpoint_app.services.context import open_gate; "
             "from checkpoint_app.services import visitors; from checkpoint_app.services.permissions import OPERATOR; "
             f"ctx = open_gate(Path({str(data)!r})).acting_as(None, OPERATOR); "
             "visitors.add_to_watchlist(ctx, id_number='11010519491231002X', note='old'); ctx.close()")
    subprocess.run([sys.executable, "-c", watch], env=env, cwd=code, check=True, capture_output=True)
    return data


def _state(conn) -> dict[str, set]:
    """Every state table; settings as in force (a site made before a setting existed has no row for
    it and uses its default, as a rebuilt one does with a row)."""
    return {**state_tables(conn), "settings": set(load_settings(conn).items())}


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def test_an_old_site_baselined_once_is_rebuilt_from_records_alone(old_site, tmp_path):
    office_dir = _copy(old_site, tmp_path / "office")
    office = open_gate(office_dir).acting_as(None, OPERATOR)     # migrated by this code on opening
    try:
        assert office.db.conn.execute("SELECT count(*) FROM baselines").fetchone()[0] == 0
        # without the baseline the rebuilt PC lacks the roster, the passes, the users (the gap)
        rebuild_into(office, tmp_path / "before")
        before = open_gate(tmp_path / "before")
        try:
            assert _state(before.db.conn)["residents"] != _state(office.db.conn)["residents"]
        finally:
            before.close()
        count = {t: office.db.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                 for t in ("residents", "passes", "users")}
        assert count["residents"] >= 4 and count["passes"] >= 4 and count["users"] == 4
        written = write_baseline(office)
        assert (written["resident"], written["pass"], written["user"]) == (count["residents"], count["passes"], 4)
        assert written.get("watch") == 1 and "setting" not in written    # the setting travelled already
        journal = office.db.conn.execute("SELECT count(*) FROM journal").fetchone()[0]
        assert write_baseline(office) == {}                                # a second run writes nothing
        assert office.db.conn.execute("SELECT count(*) FROM journal").fetchone()[0] == journal
        assert verify_database(office.db.conn).ok

        assert rebuild_into(office, tmp_path / "rebuilt") == []
        rebuilt = open_gate(tmp_path / "rebuilt")
        try:
            want, got = _state(office.db.conn), _state(rebuilt.db.conn)
            for table in want:
                assert got[table] == want[table], table
        finally:
            rebuilt.close()

        # a gate joined afterwards: the join file's copy, then an exchange file of every record
        file, code = export_join(office, "东门", tmp_path / "join.ckp")
        gate = init_join(tmp_path / "east", file, code)
        try:
            export_file(office, tmp_path / "all.ckx")
            result = import_file(gate, tmp_path / "all.ckx")
            assert not result.problems
            want, got = _state(office.db.conn), _state(gate.db.conn)
            for table in want:
                assert got[table] == want[table], table
            assert rebuild_into(gate, tmp_path / "east-rebuilt") == []    # and from its records alone
            again = open_gate(tmp_path / "east-rebuilt")
            try:
                got = _state(again.db.conn)
                for table in want:
                    assert got[table] == want[table], table
            finally:
                again.close()
        finally:
            gate.close()

        # a change made after the baseline wins over it everywhere
        zhang = next(r for r in residents.list_residents(office) if r.name == "张三")
        residents.set_status(office, zhang.id, "normal", reason="隔离期满前解除")
        assert rebuild_into(office, tmp_path / "after") == []
        after = open_gate(tmp_path / "after")
        try:
            assert _state(after.db.conn) == _state(office.db.conn)
        finally:
            after.close()
    finally:
        office.close()


def test_a_gate_joined_in_the_old_days_gets_the_state_through_an_exchange_file(old_site, tmp_path):
    """The old gate missed what the office changed after it joined (a guard added, another
    disabled, the watch list). After the office's baseline one exchange file brings it all."""
    office = open_gate(_copy(old_site, tmp_path / "office")).acting_as(None, OPERATOR)
    gate = open_gate(_copy(old_site.parent / "north", tmp_path / "north")).acting_as(None, OPERATOR)
    try:
        export_file(office, tmp_path / "1.ckx")
        assert not import_file(gate, tmp_path / "1.ckx").problems
        assert _state(gate.db.conn)["users"] != _state(office.db.conn)["users"]     # the gap
        write_baseline(office)
        export_file(office, tmp_path / "2.ckx")
        assert not import_file(gate, tmp_path / "2.ckx").problems
        want, got = _state(office.db.conn), _state(gate.db.conn)
        for table in want:
            if table != "gates":     # the office's records never said which gates joined in the old days
                assert got[table] == want[table], table
        assert gate.db.conn.execute("SELECT disabled FROM users WHERE name = '保安乙'").fetchone()[0] == 1
    finally:
        gate.close()
        office.close()


def test_the_baseline_is_written_on_the_pc_that_issues_passes_only(old_site, tmp_path):
    from checkpoint_app.errors import PermissionDenied

    office = open_gate(_copy(old_site, tmp_path / "office")).acting_as(None, OPERATOR)
    try:
        file, code = export_join(office, "东门", tmp_path / "join.ckp")
    finally:
        office.close()
    gate = init_join(tmp_path / "east", file, code).acting_as(None, OPERATOR)
    try:
        with pytest.raises(PermissionDenied):
            write_baseline(gate)
        assert gate.db.conn.execute("SELECT count(*) FROM baselines").fetchone()[0] == 0
        assert records.head(gate.db.conn, gate.gate.uid)[0] == 0
    finally:
        gate.close()


def test_the_command_line_writes_the_baseline_once(old_site, tmp_path, capsys, monkeypatch):
    from checkpoint_app.cli import main

    office = _copy(old_site, tmp_path / "office")
    monkeypatch.setenv("CHECKPOINT_SECRET", ADMIN[1])
    argv = ["--json", "--data-dir", str(office), "--user", ADMIN[0], "site", "baseline"]
    assert main(argv) == 0
    first = json.loads(capsys.readouterr().out)["written"]
    assert first["resident"] >= 4 and first["user"] == 4
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["written"] == {}
    assert main(["--data-dir", str(office), "site", "baseline"]) != 0      # the PC's operator may not
    assert capsys.readouterr().err.strip()


def test_an_old_site_says_its_baseline_is_due_until_it_is_written(old_site, tmp_path):
    """The office's database check page asks this (exchange/rebuild.baseline_due): due on the
    old office and the old gate, where it is to run; no longer once written; never on a new site."""
    from checkpoint_app.exchange.rebuild import baseline_due

    office = open_gate(_copy(old_site, tmp_path / "office")).acting_as(None, OPERATOR)
    gate = open_gate(_copy(old_site.parent / "north", tmp_path / "north")).acting_as(None, OPERATOR)
    try:
        assert baseline_due(office.acting_as("审计", "auditor")) == "here"
        assert baseline_due(gate) == "office"
        write_baseline(office)
        assert baseline_due(office) is None
        export_file(office, tmp_path / "1.ckx")
        assert not import_file(gate, tmp_path / "1.ckx").problems
        assert baseline_due(gate) is None          # the office's baselines name its rows too
    finally:
        office.close()
        gate.close()


def test_a_new_site_has_no_baseline_due(gate_ctx):
    from checkpoint_app.exchange.rebuild import baseline_due

    assert baseline_due(gate_ctx.operator) is None
