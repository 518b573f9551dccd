"""db/verify.py — the Tampering proof of issue #5.

"Changing, deleting, inserting or reordering any record with the sqlite3 shell makes verify-db
fail and name it." The attacker here has the file and Python's sqlite3 (what the shell does):
drops the append-only triggers, then edits. Every record kind is in the pool (made through the
services), and hypothesis picks the record, the attack and the new value.

What a hash chain cannot see on its own, and is tested as such at the end: the newest records
cut off, or records appended/rewritten with every hash recomputed. Those need an anchor kept
elsewhere (a backup, the signed daily PDF's checkpoint QR, the hub): ``backup.anchor_problem``.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from checkpoint_app import i18n, paths
from checkpoint_app.db import connection, records
from checkpoint_app.db.schema import RECORD_TABLES
from checkpoint_app.db.verify import verify_database
from checkpoint_app.services import backup, passes, residents
from checkpoint_app.services.context import open_gate
from tests.core_fixtures import ROSTER_CSV, FakeClock, Gate
from tests.db.populate import populate

# Column -> the values an SQLite CHECK allows, so an "attacker" edit is not refused by SQLite.
CHOICES = {"direction": ("in", "out"), "outcome": ("allowed", "flagged", "denied"),
           "health_code": ("green", "yellow", "red"), "method": ("spray", "wipe", "fog"),
           "action": ("amend", "void")}
# a column whose allowed values depend on its table (the schema's CHECK refuses any other)
TABLE_CHOICES = {("resident_corrections", "action"): ("add", "correct")}


@pytest.fixture(scope="module")
def template(tmp_path_factory, _site_template) -> Path:
    """A populated gate database, built once for the module (hypothesis runs many examples)."""
    data = tmp_path_factory.mktemp("verify-template")
    shutil.copy(paths.db_path(_site_template), paths.db_path(data))
    clock = FakeClock()
    ctx = open_gate(data, clock=clock).acting_as(None, "operator")
    g = Gate(ctx, clock)
    roster = data / "roster.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8")
    residents.import_roster(ctx, roster)
    for p in passes.issue_passes(ctx, all_residents=True):
        g.cards[p.name] = p.payload
    for r in residents.list_residents(ctx):
        g.ids[r.name] = r.id
    populate(g)
    ctx.close()
    path = paths.db_path(data)
    assert not Path(f"{path}-wal").exists()
    return path


@pytest.fixture(scope="module")
def journal(template) -> list[tuple]:
    conn = sqlite3.connect(template)
    try:
        return conn.execute("SELECT origin, origin_seq, uid, kind, at FROM journal ORDER BY origin_seq").fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("verify-cases")


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("zh_CN")


def fresh_copy(template: Path, workdir: Path, name: str = "case.sqlite3") -> Path:
    target = workdir / name
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, target)
    return target


def attacker(path: Path) -> sqlite3.Connection:
    """What someone with the sqlite3 shell does first: no foreign keys, triggers gone."""
    conn = sqlite3.connect(path, isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    return conn


def verify(path: Path):
    conn = connection.connect(path)
    try:
        return verify_database(conn)
    finally:
        conn.close()


def names(problem: str, uids: list[str], seqs: list[int]) -> bool:
    return any(u in problem for u in uids) or any(re.search(rf"\bseq {s}\b", problem) for s in seqs)


def _other_value(draw, table: str, column: str, old):
    if column in CHOICES:
        choices = TABLE_CHOICES.get((table, column), CHOICES[column])
        return draw(st.sampled_from([c for c in choices if c != old] + ([None] if column == "action" else [])))
    if column in ("at",):
        return draw(st.sampled_from(["2026-11-20T08:59:59.999+08:00", "2000-01-01T00:00:00.000+08:00"]))
    if column == "day":
        return draw(st.sampled_from(["2026-11-19", "2000-01-01", "2026-11-21"]))
    if column in NOT_NULL:
        return draw(st.integers(-10**6, 10**6).filter(lambda v: v != old))
    if isinstance(old, int):
        return draw(st.one_of(st.none(), st.integers(-10**6, 10**6).filter(lambda v: v != old)))
    return draw(st.one_of(st.none(), st.text(min_size=1, max_size=8).filter(lambda v: v != old),
                          st.integers(0, 999)))


NOT_NULL = {"manual", "watch_hit", "closed"}

ATTACKS = ["update_record", "update_journal", "delete_record", "delete_journal", "delete_both",
           "insert_orphan", "insert_journal", "insert_middle", "swap_seq", "change_day"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
@given(data=st.data())
def test_any_tampering_is_found_and_named(template, journal, workdir, data):
    origin, seq, uid, kind, at = data.draw(st.sampled_from(journal), label="record")
    attack = data.draw(st.sampled_from(ATTACKS), label="attack")
    table, columns = RECORD_TABLES[kind]
    last = journal[-1][1]
    path = fresh_copy(template, workdir)
    conn = attacker(path)
    named_uids, named_seqs = [uid], [seq]
    try:
        if attack == "update_record":
            column = data.draw(st.sampled_from(("uid", "at", "day") + columns), label="column")
            old = conn.execute(f"SELECT {column} FROM {table} WHERE uid = ?", (uid,)).fetchone()[0]
            new = (records.new_uid() if column == "uid" else _other_value(data.draw, table, column, old))
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE uid = ?", (new, uid))
            stored = conn.execute(f"SELECT {column} FROM {table} WHERE uid = ?",
                                  (new if column == "uid" else uid,)).fetchone()[0]
            assume(stored != old and not (column == "day" and stored == at[:10]))  # type affinity may undo it
            named_uids.append(new if column == "uid" else uid)
        elif attack == "update_journal":
            column = data.draw(st.sampled_from(("at", "kind", "row_hash", "chain_hash", "origin", "origin_seq")),
                               label="column")
            new = {"at": "2000-01-01T00:00:00.000+08:00",
                   "kind": data.draw(st.sampled_from([k for k in RECORD_TABLES if k != kind] + ["nonsense"])),
                   "row_hash": hashlib.sha256(b"forged").digest(),
                   "chain_hash": hashlib.sha256(b"forged").digest(),
                   "origin": "f" * 32,
                   "origin_seq": last + 1000}[column]
            conn.execute(f"UPDATE journal SET {column} = ? WHERE uid = ?", (new, uid))
            if column == "origin_seq":
                named_seqs.append(seq)
        elif attack == "delete_record":
            conn.execute(f"DELETE FROM {table} WHERE uid = ?", (uid,))
            conn.execute("DELETE FROM visitor_personal WHERE uid = ?", (uid,))
        elif attack == "delete_journal":
            conn.execute("DELETE FROM journal WHERE uid = ?", (uid,))
        elif attack == "delete_both":
            assume(seq != last)   # cutting off the newest record needs an anchor: see below
            conn.execute("DELETE FROM visitor_personal WHERE uid = ?", (uid,))
            conn.execute(f"DELETE FROM {table} WHERE uid = ?", (uid,))
            conn.execute("DELETE FROM journal WHERE uid = ?", (uid,))
        elif attack == "insert_orphan":
            forged = records.new_uid()
            conn.execute(f"INSERT INTO {table} SELECT ?, at, day, {', '.join(columns)} FROM {table} WHERE uid = ?",
                         (forged, uid))
            named_uids = [forged]
        elif attack == "insert_journal":
            # A forged record at the end with a copied row and a plausible but wrong chain.
            forged = records.new_uid()
            conn.execute("INSERT INTO journal SELECT origin, ?, ?, kind, at, row_hash, chain_hash FROM journal "
                         "WHERE uid = ?", (last + 1, forged, uid))
            conn.execute(f"INSERT INTO {table} SELECT ?, at, day, {', '.join(columns)} FROM {table} WHERE uid = ?",
                         (forged, uid))
            named_uids, named_seqs = [forged], [last + 1]
        elif attack == "insert_middle":
            # Make room at ``seq`` (renumber what follows) and put a forged record there.
            forged = records.new_uid()
            conn.execute("UPDATE journal SET origin_seq = origin_seq + 100001 WHERE origin = ? AND origin_seq >= ?",
                         (origin, seq))
            conn.execute("UPDATE journal SET origin_seq = origin_seq - 100000 WHERE origin = ? AND origin_seq > 100000",
                         (origin,))
            conn.execute("INSERT INTO journal SELECT origin, ?, ?, kind, at, row_hash, chain_hash FROM journal "
                         "WHERE uid = ?", (seq, forged, uid))
            conn.execute(f"INSERT INTO {table} SELECT ?, at, day, {', '.join(columns)} FROM {table} WHERE uid = ?",
                         (forged, uid))
            # Every record from ``seq`` on now has another seq than it was written with: each is altered.
            named_uids = [forged] + [j[2] for j in journal if j[1] >= seq]
            named_seqs = list(range(seq, last + 2))
        elif attack == "swap_seq":
            other = data.draw(st.sampled_from([j for j in journal if j[2] != uid]), label="other")
            conn.execute("UPDATE journal SET origin_seq = 999999 WHERE uid = ?", (uid,))
            conn.execute("UPDATE journal SET origin_seq = ? WHERE uid = ?", (seq, other[2]))
            conn.execute("UPDATE journal SET origin_seq = ? WHERE uid = ?", (other[1], uid))
            named_uids, named_seqs = [uid, other[2]], [seq, other[1]]
        elif attack == "change_day":
            day = data.draw(st.sampled_from(["2026-11-19", "2026-11-21", "1999-12-31"]))
            assume(day != at[:10])
            conn.execute(f"UPDATE {table} SET day = ? WHERE uid = ?", (day, uid))
    finally:
        conn.close()
    report = verify(path)
    assert not report.ok, (attack, kind, seq)
    assert names(report.problems[0], named_uids, named_seqs), (attack, kind, seq, report.problems)


def test_the_untouched_template_verifies(template, workdir):
    report = verify(fresh_copy(template, workdir))
    assert report.ok, report.problems
    assert report.records > 20


def test_purging_personal_fields_keeps_the_chain_valid(template, workdir):
    path = fresh_copy(template, workdir)
    conn = sqlite3.connect(path)
    n = conn.execute("SELECT count(*) FROM visitor_personal").fetchone()[0]
    assert n >= 1
    conn.execute("DELETE FROM visitor_personal")   # no trigger protects it: the purge is legal
    conn.commit()
    conn.close()
    assert verify(path).ok


@pytest.mark.parametrize("column, value", [("name", "孙悟饭"), ("phone", "13800138001"),
                                           ("id_number", "110105198005060125"), ("salt", b"\x00" * 16)])
def test_altering_personal_fields_is_found_and_named(template, workdir, column, value):
    path = fresh_copy(template, workdir)
    conn = sqlite3.connect(path)
    (uid,) = conn.execute("SELECT uid FROM visitor_personal LIMIT 1").fetchone()
    conn.execute(f"UPDATE visitor_personal SET {column} = ? WHERE uid = ?", (value, uid))
    conn.commit()
    conn.close()
    report = verify(path)
    assert not report.ok
    assert uid in report.problems[0]


def _cut_newest(path: Path, n: int) -> None:
    conn = attacker(path)
    for uid, kind in conn.execute("SELECT uid, kind FROM journal ORDER BY origin_seq DESC LIMIT ?", (n,)).fetchall():
        conn.execute(f"DELETE FROM {RECORD_TABLES[kind][0]} WHERE uid = ?", (uid,))
        conn.execute("DELETE FROM visitor_personal WHERE uid = ?", (uid,))
        conn.execute("DELETE FROM journal WHERE uid = ?", (uid,))
    conn.close()


def test_cutting_off_the_newest_records_needs_an_anchor(template, workdir, journal):
    """The chain alone cannot tell "cut off" from "not written yet"; a backup taken before can."""
    anchor = fresh_copy(template, workdir, "anchor.sqlite3")
    path = fresh_copy(template, workdir)
    _cut_newest(path, 3)
    assert verify(path).ok           # the limit of any hash chain without a secret or an anchor
    conn = connection.connect(path)
    try:
        problem = backup.anchor_problem(conn, anchor)
    finally:
        conn.close()
    assert problem is not None and f"seq {journal[-1][1]}" in problem


def test_a_recomputed_chain_needs_an_anchor(template, workdir):
    """An attacker who knows DESIGN §3 edits a record and recomputes every hash after it."""
    anchor = fresh_copy(template, workdir, "anchor.sqlite3")
    path = fresh_copy(template, workdir)
    conn = attacker(path)
    (uid,) = conn.execute("SELECT uid FROM passages ORDER BY at LIMIT 1").fetchone()
    conn.execute("UPDATE passages SET temp_tenths = 372 WHERE uid = ?", (uid,))
    previous = records.GENESIS
    for origin, seq, juid, kind, at in conn.execute(
            "SELECT origin, origin_seq, uid, kind, at FROM journal ORDER BY origin_seq").fetchall():
        table, columns = RECORD_TABLES[kind]
        row = conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE uid = ?", (juid,)).fetchone()
        rh = records.row_hash(records.canonical_bytes(kind, origin, seq, juid, at, dict(zip(columns, row))))
        previous = records.chain_hash(previous, rh)
        conn.execute("UPDATE journal SET row_hash = ?, chain_hash = ? WHERE uid = ?", (rh, previous, juid))
    conn.close()
    assert verify(path).ok
    conn = connection.connect(path)
    try:
        assert "rewritten" in backup.anchor_problem(conn, anchor)
    finally:
        conn.close()


def test_an_anchor_agrees_with_an_untouched_database(template, workdir):
    anchor = fresh_copy(template, workdir, "anchor.sqlite3")
    conn = connection.connect(fresh_copy(template, workdir))
    try:
        assert backup.anchor_problem(conn, anchor) is None
    finally:
        conn.close()


# --- the same through the command line -----------------------------------------------------

@pytest.fixture
def cli(monkeypatch, tmp_path):
    from checkpoint_app import cli as cli_module

    monkeypatch.setattr(paths, "log_dir", lambda: tmp_path / "log")
    return cli_module


def test_verify_db_command_exit_codes(cli, template, tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(template, paths.db_path(data))
    assert cli.main(["--data-dir", str(data), "--lang", "en", "verify-db"]) == 0
    out = capsys.readouterr()
    assert "intact" in out.out
    db = paths.db_path(data)
    conn = attacker(db)
    uid = conn.execute("SELECT uid FROM passages ORDER BY at LIMIT 1 OFFSET 2").fetchone()[0]
    conn.execute("UPDATE passages SET outcome = 'allowed', reason = 'ok' WHERE uid = ?", (uid,))
    conn.close()
    assert cli.main(["--data-dir", str(data), "--lang", "en", "verify-db"]) == 1
    err = capsys.readouterr().err
    assert uid in err
    assert cli.main(["--data-dir", str(data), "--json", "verify-db"]) == 1
    out = capsys.readouterr()
    import json

    obj = json.loads(out.out)
    assert obj["ok"] is False and uid in obj["problems"][0]


def test_foreign_key_problems_name_the_record(template, workdir):
    """SQLite's foreign_key_check comes first and speaks of rowids: verify turns them into uids."""
    path = fresh_copy(template, workdir)
    conn = attacker(path)
    (uid,) = conn.execute("SELECT uid FROM passages LIMIT 1").fetchone()
    conn.execute("DELETE FROM journal WHERE uid = ?", (uid,))
    conn.close()
    report = verify(path)
    assert uid in report.problems[0]
