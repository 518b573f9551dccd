"""Schema version 1: the gate database (DESIGN §3).

Two kinds of tables:
- state that people manage (site, gates, keys, settings, users, households, residents, passes,
  disinfection areas, visitors' personal fields): ordinary tables;
- records of what happened: the ``journal`` (one row per record: origin gate, ``origin_seq``,
  globally unique ``uid``, row hash and chain hash) plus one table per kind of record holding
  its fields. Both are append-only: triggers refuse UPDATE and DELETE.
"""

from __future__ import annotations

# The kinds of record and their tables. The order of columns matters to nobody: the canonical
# bytes are a sorted JSON object (see db/records.py).
RECORD_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "passage": ("passages", (
        "direction", "pass_number", "pass_version", "resident_uid", "household",
        "temp_tenths", "outcome", "reason", "reasons", "manual", "guard", "payload_excerpt")),
    "visitor_in": ("visitor_entries", (
        "purpose", "host_household", "from_place", "health_code", "temp_tenths", "outcome",
        "reason", "reasons", "watch_hit", "guard", "personal_hash")),
    "visitor_out": ("visitor_exits", ("entry_uid", "guard")),
    "disinfection": ("disinfection_rounds", (
        "area", "agent", "concentration", "contact_minutes", "method", "operator", "checker",
        "recorded_by")),
    "handover": ("handovers", (
        "from_guard", "to_guard", "shift_start", "shift_end", "counts", "open_alerts", "notes")),
    "incident": ("incidents", ("category", "subject_uid", "reason", "note", "recorded_by")),
    "incident_followup": ("incident_followups", ("incident_uid", "note", "closed", "recorded_by")),
    "pass_issue": ("pass_events_issue", (
        "pass_number", "pass_version", "resident_uid", "valid_from", "valid_until", "recorded_by")),
    "pass_revoke": ("pass_events_revoke", ("pass_number", "pass_version", "reason", "recorded_by")),
    "resident_status": ("resident_status_changes", ("resident_uid", "status", "until", "recorded_by")),
    "amendment": ("amendments", ("target_uid", "action", "reason", "changes", "recorded_by")),
    "purge": ("purges", ("before_day", "purged", "recorded_by")),
}

_RECORD_COLUMN_TYPES = {
    "pass_number": "INTEGER", "pass_version": "INTEGER", "temp_tenths": "INTEGER",
    "manual": "INTEGER NOT NULL DEFAULT 0", "watch_hit": "INTEGER NOT NULL DEFAULT 0",
    "contact_minutes": "INTEGER", "closed": "INTEGER NOT NULL DEFAULT 0", "purged": "INTEGER",
}

_RECORD_CHECKS = {
    "passages": "CHECK (direction IN ('in','out')), "
                "CHECK (outcome IN ('allowed','flagged','denied'))",
    "visitor_entries": "CHECK (health_code IN ('green','yellow','red')), "
                       "CHECK (outcome IN ('allowed','flagged','denied'))",
    "disinfection_rounds": "CHECK (method IN ('spray','wipe','fog'))",
    "amendments": "CHECK (action IN ('amend','void'))",
}

# Extra indexes on record tables: the scan path's lookups and the daily reports.
_RECORD_INDEXES = [
    "CREATE INDEX passages_resident_at ON passages(resident_uid, at)",
    "CREATE INDEX passages_household_at ON passages(household, at)",
    "CREATE INDEX passages_pass_at ON passages(pass_number, at)",
    "CREATE INDEX passages_day ON passages(day)",
    "CREATE INDEX visitor_entries_day ON visitor_entries(day)",
    "CREATE INDEX visitor_exits_entry ON visitor_exits(entry_uid)",
    "CREATE INDEX disinfection_rounds_day ON disinfection_rounds(day)",
    "CREATE INDEX handovers_day ON handovers(day)",
    "CREATE INDEX incidents_day ON incidents(day)",
    "CREATE INDEX incident_followups_incident ON incident_followups(incident_uid)",
    "CREATE INDEX amendments_target ON amendments(target_uid)",
]


def _record_table_sql(table: str, columns: tuple[str, ...]) -> str:
    cols = ",\n  ".join(f"{c} {_RECORD_COLUMN_TYPES.get(c, 'TEXT')}" for c in columns)
    checks = _RECORD_CHECKS.get(table)
    return (f"CREATE TABLE {table} (\n  uid TEXT PRIMARY KEY REFERENCES journal(uid),\n"
            f"  at TEXT NOT NULL,\n  day TEXT NOT NULL,\n  {cols}"
            + (f",\n  {checks}" if checks else "") + "\n)")


def _append_only_sql(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'append-only: {table} rows cannot be changed'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'append-only: {table} rows cannot be deleted'); END",
    ]


STATE_TABLES_V1 = [
    """CREATE TABLE site (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
)""",
    """CREATE TABLE gates (
  uid TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  is_local INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
)""",
    "CREATE UNIQUE INDEX gates_one_local ON gates(is_local) WHERE is_local = 1",
    """CREATE TABLE site_keys (
  key_id INTEGER PRIMARY KEY CHECK (key_id BETWEEN 0 AND 255),
  public_key BLOB NOT NULL,
  private_key BLOB,
  created_at TEXT NOT NULL,
  retired_at TEXT
)""",
    """CREATE TABLE site_pki (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  ca_cert BLOB NOT NULL,
  signer_cert BLOB NOT NULL,
  signer_key BLOB
)""",
    """CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT
)""",
    """CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('guard','manager','auditor','admin')),
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
)""",
    """CREATE TABLE households (
  id INTEGER PRIMARY KEY,
  building TEXT NOT NULL,
  unit TEXT NOT NULL,
  room TEXT NOT NULL,
  label TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL DEFAULT 'normal' CHECK (status IN ('normal','quarantine','observation')),
  status_until TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (building, unit, room)
)""",
    """CREATE TABLE residents (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  household_id INTEGER NOT NULL REFERENCES households(id),
  name TEXT NOT NULL,
  name_initials TEXT NOT NULL DEFAULT '',
  phone TEXT,
  id_number TEXT,
  kind TEXT NOT NULL DEFAULT 'family' CHECK (kind IN ('owner','family','tenant')),
  status TEXT NOT NULL DEFAULT 'normal' CHECK (status IN ('normal','quarantine','observation')),
  status_until TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
)""",
    "CREATE UNIQUE INDEX residents_id_number ON residents(id_number) WHERE id_number IS NOT NULL",
    "CREATE UNIQUE INDEX residents_household_name ON residents(household_id, name)",
    "CREATE INDEX residents_name ON residents(name)",
    "CREATE INDEX residents_initials ON residents(name_initials)",
    """CREATE TABLE passes (
  number INTEGER NOT NULL CHECK (number > 0),
  version INTEGER NOT NULL CHECK (version > 0),
  resident_id INTEGER NOT NULL REFERENCES residents(id),
  key_id INTEGER NOT NULL,
  valid_from TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active','revoked','superseded')),
  payload TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  PRIMARY KEY (number, version)
)""",
    "CREATE INDEX passes_resident ON passes(resident_id)",
    """CREATE TABLE disinfection_areas (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  rounds_per_day INTEGER NOT NULL DEFAULT 2 CHECK (rounds_per_day >= 0),
  active INTEGER NOT NULL DEFAULT 1
)""",
    """CREATE TABLE watchlist (
  id INTEGER PRIMARY KEY,
  match_hash TEXT NOT NULL UNIQUE,
  note TEXT,
  created_at TEXT NOT NULL
)""",
    # The journal: one row per record, in per-origin sequence; the hash chain lives here.
    """CREATE TABLE journal (
  origin TEXT NOT NULL,
  origin_seq INTEGER NOT NULL CHECK (origin_seq >= 1),
  uid TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  at TEXT NOT NULL,
  row_hash BLOB NOT NULL,
  chain_hash BLOB NOT NULL,
  PRIMARY KEY (origin, origin_seq)
) WITHOUT ROWID""",
    # Visitors' personal fields live apart so that the retention purge can delete them while
    # the record (which keeps only their salted hash) stays in the chain.
    """CREATE TABLE visitor_personal (
  uid TEXT PRIMARY KEY REFERENCES visitor_entries(uid),
  salt BLOB NOT NULL,
  name TEXT NOT NULL,
  phone TEXT,
  id_number TEXT,
  watch_key TEXT
)""",
]


def statements_v1() -> list[str]:
    stmts: list[str] = []
    for sql in STATE_TABLES_V1:
        # visitor_personal references visitor_entries: create it after the record tables.
        if "visitor_personal" not in sql:
            stmts.append(sql)
    for _kind, (table, columns) in RECORD_TABLES.items():
        stmts.append(_record_table_sql(table, columns))
        stmts.extend(_append_only_sql(table))
    stmts.extend(_append_only_sql("journal"))
    stmts.extend(_RECORD_INDEXES)
    stmts.extend(sql for sql in STATE_TABLES_V1 if "visitor_personal" in sql)
    return stmts
