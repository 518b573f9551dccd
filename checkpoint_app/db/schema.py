"""The gate database's record tables as today's code declares them (DESIGN §3).

Version 1 as it shipped is frozen in :mod:`checkpoint_app.db.schema_v1`; later steps are in
:mod:`checkpoint_app.db.migrations`. What is here builds the record tables of new kinds from
:mod:`checkpoint_app.domain.record_kinds`.

Two kinds of tables:
- state that people manage (site, gates, keys, settings, users, households, residents, passes,
  disinfection areas, visitors' personal fields): ordinary tables;
- records of what happened: the ``journal`` (one row per record: origin gate, ``origin_seq``,
  globally unique ``uid``, row hash and chain hash) plus one table per kind of record holding
  its fields. Both are append-only: triggers refuse UPDATE and DELETE.
"""

from __future__ import annotations

from checkpoint_app.domain import record_kinds

# kind -> (table, fields), from the one declaration of the kinds of record
RECORD_TABLES = record_kinds.RECORD_TABLES

_RECORD_COLUMN_TYPES = {
    "pass_number": "INTEGER", "pass_version": "INTEGER", "temp_tenths": "INTEGER", "first_temp_tenths": "INTEGER",
    "manual": "INTEGER NOT NULL DEFAULT 0", "watch_hit": "INTEGER NOT NULL DEFAULT 0",
    "contact_minutes": "INTEGER", "rounds_per_day": "INTEGER", "closed": "INTEGER NOT NULL DEFAULT 0", "purged": "INTEGER",
    "days": "INTEGER", "slot": "INTEGER", "reached": "INTEGER",
    "key_id": "INTEGER", "active": "INTEGER", "disabled": "INTEGER",
}

_RECORD_CHECKS = {
    "passages": "CHECK (direction IN ('in','out')), "
                "CHECK (outcome IN ('allowed','flagged','denied'))",
    "visitor_entries": "CHECK (health_code IN ('green','yellow','red')), "
                       "CHECK (outcome IN ('allowed','flagged','denied'))",
    "disinfection_rounds": "CHECK (method IN ('spray','wipe','fog'))",
    "amendments": "CHECK (action IN ('amend','void'))",
}

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


def record_kind_statements(kind: str) -> list[str]:
    """The table, its append-only triggers and its ``day`` index for a kind of record, as a
    migration step that adds a new kind creates them."""
    table, columns = RECORD_TABLES[kind]
    return [_record_table_sql(table, columns), *_append_only_sql(table),
            f"CREATE INDEX {table}_day ON {table}(day)"]
