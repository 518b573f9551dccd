"""Numbered schema migrations on ``PRAGMA user_version``.

A ladder of steps, each run in its own ``BEGIN EXCLUSIVE`` transaction together with the
``user_version`` bump, rolled back whole on any error. Before the first step touches an
existing file it is copied aside with SQLite's backup API. A file written by a newer version
of the app is refused and left untouched.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from checkpoint_app.db import schema, schema_v1
from checkpoint_app.errors import DatabaseTooNew
from checkpoint_app.i18n import Messages

log = logging.getLogger(__name__)

_ = Messages({
    "too_new": ("此数据库由更新版本的门岗通（结构版本 {found}）创建，本程序只支持到版本 {known}。文件未改动，请升级程序。",
                "This database was written by a newer Checkpoint (schema {found}); this app knows up to {known}. "
                "The file was not touched: update the app."),
})


def _v1(conn: sqlite3.Connection) -> None:
    for sql in schema_v1.STATEMENTS:
        conn.execute(sql)


def _v2(conn: sqlite3.Connection) -> None:
    # Sign-on secrets (Argon2id hashes of passwords and PINs) and the lockout counters.
    conn.execute("ALTER TABLE users ADD COLUMN secret_hash TEXT")
    conn.execute("ALTER TABLE users ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE users ADD COLUMN locked_until TEXT")


def _v3(conn: sqlite3.Connection) -> None:
    # Each gate signs the checkpoints of its own daily logs with a key of its own: a gate PC
    # never holds the site's pass-issuing key (DESIGN §4), yet its logs must be signed.
    conn.execute("ALTER TABLE gates ADD COLUMN public_key BLOB")
    conn.execute("ALTER TABLE gates ADD COLUMN private_key BLOB")
    # A gate's records of one day, for the checkpoint, without reading the whole journal.
    conn.execute("CREATE INDEX journal_origin_at ON journal(origin, at)")


def _exchange(conn: sqlite3.Connection) -> None:
    # The exchange between the PCs of a site (DESIGN §8, issue 15). Self-contained: renumber freely.
    # Records from other origins that were refused (same uid or seq, another hash; a broken link).
    conn.execute("""CREATE TABLE exchange_problems (
  id INTEGER PRIMARY KEY,
  found_at TEXT NOT NULL,
  source TEXT NOT NULL,
  origin TEXT NOT NULL,
  origin_seq INTEGER NOT NULL,
  uid TEXT,
  problem TEXT NOT NULL,
  UNIQUE (source, origin, origin_seq, uid, problem)
)""")
    # How far each origin has been written out to a peer (a USB file: ``--since-last``).
    conn.execute("""CREATE TABLE exchange_sent (
  peer TEXT NOT NULL,
  origin TEXT NOT NULL,
  last_seq INTEGER NOT NULL,
  PRIMARY KEY (peer, origin)
)""")


def _readings(conn: sqlite3.Connection) -> None:
    # A passage keeps every reading (issue 11): ``temp_tenths`` is the one the rules decided on,
    # the re-measure when there was one; the first (fever) reading and when it was taken go
    # here. NULL on older rows and on single readings: canonical bytes omit NULLs, old hashes hold.
    conn.execute("ALTER TABLE passages ADD COLUMN first_temp_tenths INTEGER")
    conn.execute("ALTER TABLE passages ADD COLUMN first_temp_at TEXT")


def _plans(conn: sqlite3.Connection) -> None:
    # The disinfection plan as records (issue 11): who set how many rounds a day for an area,
    # when. The day's plan is the one in force that day; an area without one plans nothing
    # (``disinfection_areas.rounds_per_day`` is no longer read).
    for sql in schema.record_kind_statements("disinfection_plan"):
        conn.execute(sql)


def _setting_changes(conn: sqlite3.Connection) -> None:
    # Who changed which setting from what to what, when (issue 13): a record kind of its own.
    for sql in schema.record_kind_statements("setting_change"):
        conn.execute(sql)


def _home_quarantine(conn: sqlite3.Connection) -> None:
    # Home quarantine (issue 16): risk areas, returnees, early ends, door checks, survey visits,
    # each a record kind of its own. Self-contained: renumber freely.
    for kind in ("risk_area", "returnee", "quarantine_end", "door_check", "survey_visit"):
        for sql in schema.record_kind_statements(kind):
            conn.execute(sql)
    conn.execute("CREATE INDEX door_checks_resident ON door_checks(resident_uid, day)")
    conn.execute("CREATE INDEX returnees_resident ON returnees(resident_uid)")
    # When a person's measure began (door_rounds.watched): their status records, newest first.
    conn.execute("CREATE INDEX resident_status_resident ON resident_status_changes(resident_uid, at)")
def _state_records(conn: sqlite3.Connection) -> None:
    # Everything that changes travels as a record (issue 15): a pass issue carries its payload and
    # key so another PC can rebuild the pass (NULL on older rows: canonical bytes omit NULLs, old
    # hashes hold); snapshots of a resident's details, of a user, watch-list entries and gates
    # joining are kinds of their own. The indexes serve "the latest record of this resident, user,
    # pass or setting" (a resident's status records: resident_status_resident, issue 16).
    conn.execute("ALTER TABLE pass_events_issue ADD COLUMN key_id INTEGER")
    conn.execute("ALTER TABLE pass_events_issue ADD COLUMN payload TEXT")
    for kind in ("resident", "user", "watch", "gate"):
        for sql in schema.record_kind_statements(kind):
            conn.execute(sql)
    for index, table, column in (("resident_changes_resident", "resident_changes", "resident_uid"),
                                 ("user_changes_name", "user_changes", "name"),
                                 ("pass_events_issue_number", "pass_events_issue", "pass_number"),
                                 ("pass_events_revoke_number", "pass_events_revoke", "pass_number"),
                                 ("setting_changes_key", "setting_changes", "key")):
        conn.execute(f"CREATE INDEX {index} ON {table}({column})")


def _verified_marks(conn: sqlite3.Connection) -> None:
    # How far each origin's chain was last found whole (issue 14): the start-up check goes on
    # from there (db/chain.py verify_since_marks). Self-contained: renumber freely.
    conn.execute("""CREATE TABLE verified_marks (
  origin TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  chain_hash BLOB NOT NULL,
  checked_at TEXT NOT NULL,
  full_at TEXT
)""")


def _browse_indexes(conn: sqlite3.Connection) -> None:
    # The records page pages by key (services/records_browser.py, issue 14): each kind's records
    # in time order straight from an index, and on passages the filters that pick few of many.
    for table in ("passages", "visitor_entries", "visitor_exits", "disinfection_rounds", "handovers",
                  "incidents", "amendments"):
        conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_at ON {table}(at)")
    conn.execute("CREATE INDEX IF NOT EXISTS passages_guard_at ON passages(guard, at)")
    conn.execute("CREATE INDEX IF NOT EXISTS passages_outcome_at ON passages(outcome, at)")


def _resident_reasons(conn: sqlite3.Connection) -> None:
    # Why a resident was added or corrected, and why a status changed (issue 13: lifting a
    # quarantine early, moving out): a reason on the status records, and a record kind of its own
    # for the office's additions and corrections (who, when, what from what to what, why; the
    # ``resident`` snapshots of issue 15 carry the new details). NULL on older rows: canonical
    # bytes omit NULLs, old hashes hold. Self-contained: renumber freely.
    conn.execute("ALTER TABLE resident_status_changes ADD COLUMN reason TEXT")
    for sql in schema.record_kind_statements("resident_correction"):
        conn.execute(sql)


def _ledger(conn: sqlite3.Connection) -> None:
    # The disinfection ledger (issue 14): a round entered late keeps when it was done
    # (``done_at``; ``at`` stays the moment it was recorded), an under-dosed one the range it fell
    # below (``under_dosed``); NULL on older rows, so their hashes hold. Catalogue changes are
    # records of their own kind.
    conn.execute("ALTER TABLE disinfection_rounds ADD COLUMN done_at TEXT")
    conn.execute("ALTER TABLE disinfection_rounds ADD COLUMN under_dosed TEXT")
    for sql in schema.record_kind_statements("disinfectant"):
        conn.execute(sql)


def _causal_state(conn: sqlite3.Connection) -> None:
    # State changes carry what they supersede (issue 15: a change made on what a PC saw wins over
    # what it saw, whatever the clocks say): an optional column, NULL on older rows (their hashes
    # hold). Tables made by a step that builds them from the registry already have it. And the
    # one-time baseline of a site's state from before state records (db/baseline.py).
    for table in ("resident_changes", "resident_status_changes", "user_changes", "setting_changes"):
        if "supersedes" not in {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN supersedes TEXT")
    for sql in schema.record_kind_statements("baseline"):
        conn.execute(sql)
    conn.execute("CREATE INDEX baselines_entity ON baselines(entity, key)")


def _gate_signers(conn: sqlite3.Connection) -> None:
    # The site CA's private key (issue 15), kept on the PC that made the site so that it can issue
    # each gate joined from it a document-signing certificate of its own (exchange/join.py). Sites
    # made before this never kept it: NULL, and their joined gates cannot sign.
    conn.execute("ALTER TABLE site_pki ADD COLUMN ca_key BLOB")


# Append new steps at the end; never edit a step that has shipped.
MIGRATIONS: list[tuple[int, Callable[[sqlite3.Connection], None]]] = [
    (1, _v1),
    (2, _v2),
    (3, _v3),
    (4, _exchange),
    (5, _readings),
    (6, _plans),
    (7, _setting_changes),
    (8, _home_quarantine),
    (9, _state_records),
    (10, _verified_marks),
    (11, _browse_indexes),
    (12, _resident_reasons),
    (13, _ledger),
    (14, _gate_signers),
    (15, _causal_state),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def check_not_too_new(conn: sqlite3.Connection) -> int:
    version = current_version(conn)
    if version > LATEST:
        raise DatabaseTooNew(_("too_new", found=version, known=LATEST))
    return version


def check_header_not_too_new(path: Path) -> None:
    """Refuse a file from a newer app before anything touches it, not even by creating -wal/-shm
    files beside it: ``user_version`` is read through an ``immutable`` connection (no locks, no
    files made).

    Never with ``open()``: another connection of this process may be open on the file, and
    closing any descriptor of it drops all of this process's POSIX locks on it, SQLite's too
    (sqlite.org/howtocorrupt.html §2.2); SQLite's own descriptors are closed only once its
    locks are gone. A file that is not a database is left to the real connection to name."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                               isolation_level=None)
    except sqlite3.Error:
        return
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error:
        return
    finally:
        conn.close()
    if version > LATEST:
        raise DatabaseTooNew(_("too_new", found=version, known=LATEST))


def copy_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    target = path.with_name(f"{path.name}.v{version}.before-migration")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.v{version}.before-migration.{n}")
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    log.info("copied %s to %s before migrating from version %d", path, target, version)
    return target


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the file up to ``LATEST``; return the version it had before."""
    start = check_not_too_new(conn)
    if start == LATEST:
        return start
    if start > 0:
        copy_before_migration(conn, path, start)
    for version, step in MIGRATIONS:
        if version <= current_version(conn):
            continue
        conn.execute("BEGIN EXCLUSIVE")
        try:
            step(conn)
            conn.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            conn.execute("ROLLBACK")
            log.exception("migration to version %d failed; rolled back", version)
            raise
        conn.execute("COMMIT")
        log.info("migrated %s to schema version %d", path, version)
    return start
