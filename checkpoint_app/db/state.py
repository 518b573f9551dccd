"""State tables as their records say (DESIGN §8, issue 15).

Every change of state travels as a record: a resident's details (``resident``: a snapshot of the
row), quarantine (``resident_status``), a pass issued or re-issued (``pass_issue``, with its
payload and key) or revoked (``pass_revoke``), a user added, disabled, re-enabled or given a new
secret (``user``: a snapshot, the Argon2 hash included), a setting (``setting_change``) and a
watch-list entry (``watch``). The disinfection plan is read from its records directly.

Here the state is made from those records, entity by entity: what a PC holds for a resident is
what the latest record of that resident says, whatever order the records arrived in (records
from other gates come late and out of order). Used when records arrive (exchange/merge.py) and
by :func:`rebuild`, which makes a database's state tables from its records alone.

"Latest" is causal, never by clocks alone. A resident's details or status, a user or a setting
changed here carries what it supersedes (``supersedes``: the uids of the records this PC held as
current for that entity when it made the change, comma-separated; ``-`` when it held none), so
a change made on what a PC saw wins over what it saw even when that PC's clock is hours behind.
Records written before the field existed (NULL) keep the old order among themselves: each
supersedes the one before it by time, then origin, then ``origin_seq``. Only records that no
other record supersedes are candidates (heads); when more than one is left they were made
concurrently (two PCs changed the same thing without seeing each other's change): the latest of
them by time, origin, seq is taken, so every PC picks the same one, and the conflict is reported
(:func:`project`'s ``conflicts``; exchange/merge.py makes it an incident at the PC whose change
lost, so the office sees it).

Kept local, never travelling: sign-on failure counters and lockouts (per PC), the site's and
gates' keys (they come with the join file), visitors' personal fields.
"""

from __future__ import annotations

import sqlite3
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from checkpoint_app.db import baseline, passes_repo, residents_repo
from checkpoint_app.settings import SETTINGS, show_setting

STATUSES = ("normal", "quarantine", "observation")
#: the kinds of record that change state tables
STATE_KINDS = frozenset({"resident", "resident_status", "pass_issue", "pass_revoke", "user", "setting_change", "watch",
                         "gate", "baseline"})
#: the state tables rebuilt from records (children first, for clearing)
TABLES = ("passes", "residents", "households", "users", "settings", "watchlist")
_LIVE = "t.status IN ('normal', 'quarantine', 'observation')"
#: kind -> (table, the entity's column, which of its records make the state): the entities whose
#: changes carry what they supersede
STREAMS = {"resident": ("resident_changes", "resident_uid", "1"),
           "resident_status": ("resident_status_changes", "resident_uid", _LIVE),
           "user": ("user_changes", "name", "1"),
           "setting_change": ("setting_changes", "key", "1")}
NONE = "-"   # ``supersedes`` of a change made when this PC held no record of the entity


@dataclass(frozen=True)
class Conflict:
    """Concurrent changes of one entity: ``winner`` was taken, ``losers`` ((uid, origin) each)
    were not, though no change superseded them."""
    kind: str
    key: str
    winner: dict
    losers: tuple[tuple[str, str], ...]


_conflicts: ContextVar[list[Conflict] | None] = ContextVar("state_conflicts", default=None)
_baselined: ContextVar[bool] = ContextVar("state_baselined", default=True)   # any baseline records here?


def _seconds(at: str) -> str:
    """A record's time (milliseconds) as state tables write times (seconds)."""
    return datetime.fromisoformat(at).isoformat(timespec="seconds")


def _when(rec: dict) -> tuple:
    return rec["at"], rec["j_origin"], rec["j_seq"]


def _heads(conn: sqlite3.Connection, kind: str, key: str) -> list[dict]:
    """The records of one entity that no other of its records supersedes, latest first."""
    table, column, which = STREAMS[kind]
    cur = conn.execute(f"SELECT t.*, j.origin AS j_origin, j.origin_seq AS j_seq FROM {table} t "
                       f"JOIN journal j ON j.uid = t.uid WHERE t.{column} = ? AND {which}", (key,))
    names = [d[0] for d in cur.description]
    return heads_of([dict(zip(names, r)) for r in cur])


def heads_of(rows: list[dict]) -> list[dict]:
    """Of one entity's records (``uid``, ``at``, ``j_origin``, ``j_seq``, ``supersedes``), those no
    other supersedes, latest (by time, origin, seq) first: the first is the state."""
    if len(rows) < 2:
        return rows
    older = sorted((r for r in rows if r["supersedes"] is None), key=_when)
    gone = {r["uid"] for r in older[:-1]}      # records without the field: the old order
    for r in rows:
        if r["supersedes"] not in (None, NONE):
            gone.update(r["supersedes"].split(","))
    heads = [r for r in rows if r["uid"] not in gone] or rows
    return sorted(heads, key=_when, reverse=True)


def _latest(conn: sqlite3.Connection, kind: str, key: str) -> dict | None:
    heads = _heads(conn, kind, key)
    found = _conflicts.get()
    if len(heads) > 1 and found is not None:
        found.append(Conflict(kind, key, heads[0], tuple((r["uid"], r["j_origin"]) for r in heads[1:])))
    return heads[0] if heads else None


def supersedes(conn: sqlite3.Connection, kind: str, fields: dict) -> str | None:
    """What a change of ``kind`` made here now supersedes: the uids of the entity's current
    records (``-``: none); None for a kind that does not carry it."""
    if kind not in STREAMS:
        return None
    key = fields.get(STREAMS[kind][1])
    heads = _heads(conn, kind, key) if key is not None else []
    return ",".join(sorted(r["uid"] for r in heads)) or NONE


@dataclass
class Touched:
    """The entities a set of records changes."""
    residents: set[str] = field(default_factory=set)
    passes: set[int] = field(default_factory=set)
    users: set[str] = field(default_factory=set)
    settings: set[str] = field(default_factory=set)
    watch: set[str] = field(default_factory=set)
    gates: set[str] = field(default_factory=set)
    households: set[str] = field(default_factory=set)

    def add(self, kind: str, f: dict) -> None:
        if kind == "baseline":
            entity, key = f.get("entity"), f.get("key")
            if entity == "pass" and str(key).isdigit():
                self.passes.add(int(key))
            elif entity in ("household", "resident", "user", "setting", "watch") and key:
                self.add({"household": "household", "resident": "resident", "user": "user",
                          "setting": "setting_change", "watch": "watch"}[entity],
                         {"household": key, "resident_uid": key, "name": key, "key": key, "match_hash": key})
        elif kind == "household":
            self.households.add(f["household"])
        elif kind in ("resident", "resident_status") and f.get("resident_uid"):
            self.residents.add(f["resident_uid"])
        elif kind in ("pass_issue", "pass_revoke") and isinstance(f.get("pass_number"), int):
            self.passes.add(f["pass_number"])
        elif kind == "user" and f.get("name"):
            self.users.add(f["name"])
        elif kind == "setting_change" and f.get("key") in SETTINGS:
            self.settings.add(f["key"])
        elif kind == "watch" and f.get("match_hash"):
            self.watch.add(f["match_hash"])
        elif kind == "gate" and f.get("gate_uid"):
            self.gates.add(f["gate_uid"])

    @classmethod
    def of(cls, kind: str, f: dict) -> Touched:
        touched = cls()
        touched.add(kind, f)
        return touched

    def __bool__(self) -> bool:
        return bool(self.residents or self.passes or self.users or self.settings or self.watch or self.gates
                    or self.households)


def project(conn: sqlite3.Connection, touched: Touched,
            conflicts: list[Conflict] | None = None) -> list[tuple[str, str]]:
    """Make the touched entities what their latest records say. An entity whose records do not
    fit the table (a unique ID number held by another resident…) is left as it was and returned
    as (entity, problem); nothing else is held back by it. Concurrent changes met on the way are
    added to ``conflicts`` when it is given."""
    token = _conflicts.set(conflicts)
    # a site made after state records has no baseline: no look for one per entity
    based = _baselined.set(conn.execute("SELECT EXISTS (SELECT 1 FROM baselines)").fetchone()[0] == 1)
    try:
        return _project(conn, touched)
    finally:
        _baselined.reset(based)
        _conflicts.reset(token)


def _project(conn: sqlite3.Connection, touched: Touched) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    steps = [*((f"household:{h}", household, h) for h in sorted(touched.households)),
             *((f"resident:{u}", resident, u) for u in sorted(touched.residents)),  # residents before passes
             *((f"pass:{n}", pass_number, n) for n in sorted(touched.passes)),
             *((f"user:{n}", user, n) for n in sorted(touched.users)),
             *((f"setting:{k}", setting, k) for k in sorted(touched.settings)),
             *((f"watch:{h}", watch, h) for h in sorted(touched.watch)),
             *((f"gate:{g}", gate, g) for g in sorted(touched.gates))]
    for name, step, key in steps:
        conn.execute("SAVEPOINT project_state")
        try:
            step(conn, key)
        except sqlite3.IntegrityError as exc:
            conn.execute("ROLLBACK TO project_state")
            problems.append((name, str(exc)))
        conn.execute("RELEASE project_state")
    return problems


def _base(conn: sqlite3.Connection, entity: str, key: object, rec: dict | None) -> dict | None:
    """The entity's baseline (db/baseline.py), where no change made since supersedes it: every
    record from before the ``supersedes`` field is already in the baseline."""
    if not _baselined.get() or (rec is not None and rec["supersedes"] is not None):
        return None
    return baseline.latest(conn, entity, key)


def household(conn: sqlite3.Connection, label: str) -> None:
    """A household only its baseline knows (no resident, or a status of its own)."""
    base = _base(conn, "household", label, None)
    if base is not None:
        home, _new = residents_repo.get_or_create_household(conn, base["building"], base["unit"], base["room"],
                                                            base["created_at"])
        conn.execute("UPDATE households SET status = ?, status_until = ? WHERE id = ?",
                     (base["status"], base["status_until"], home.id))


def resident(conn: sqlite3.Connection, uid: str) -> None:
    rec = _latest(conn, "resident", uid)
    base = _base(conn, "resident", uid, rec)
    existing = residents_repo.resident_by_uid(conn, uid)
    if base is not None or rec is not None:
        from checkpoint_app.services.residents import name_initials

        first = base["created_at"] if base is not None else conn.execute(
            "SELECT min(at) FROM resident_changes WHERE resident_uid = ?", (uid,)).fetchone()[0]
        rec = base or rec
        household, _new = residents_repo.get_or_create_household(conn, rec["building"], rec["unit"], rec["room"],
                                                                 _seconds(first))
        values = (household.id, rec["name"], name_initials(rec["name"]), rec["phone"], rec["id_number"],
                  rec["kind"], 1 if rec["active"] else 0, _seconds(rec.get("at") or first))
        if existing is None:
            conn.execute("INSERT INTO residents (household_id, name, name_initials, phone, id_number, kind, active, "
                         "updated_at, uid, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (*values, uid, _seconds(first)))
        else:
            conn.execute("UPDATE residents SET household_id = ?, name = ?, name_initials = ?, phone = ?, "
                         "id_number = ?, kind = ?, active = ?, updated_at = ? WHERE uid = ?", (*values, uid))
        existing = residents_repo.resident_by_uid(conn, uid)
    status = _latest(conn, "resident_status", uid)
    base = _base(conn, "resident", uid, status)
    if base is not None:
        status = {"status": base["status"], "until": base["status_until"]}
    if existing is not None and status is not None:
        until = status["until"] if status["status"] != "normal" else None
        conn.execute("UPDATE residents SET status = ?, status_until = ? WHERE uid = ?", (status["status"], until, uid))


def pass_number(conn: sqlite3.Connection, number: int) -> None:
    """The cards of one pass number. A status only moves forward (active → superseded or
    revoked): a card revoked before this PC held the revocation's record stays revoked."""
    bases = baseline.every(conn, "pass", number) if _baselined.get() else []
    for base in bases:
        holder = residents_repo.resident_by_uid(conn, base["resident_uid"])
        if holder is not None and passes_repo.get(conn, number, base["version"]) is None:
            conn.execute("INSERT INTO passes (number, version, resident_id, key_id, valid_from, valid_until, status, "
                         "payload, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (number, base["version"], holder.id, base["key_id"], base["valid_from"], base["valid_until"],
                          base["status"], base["payload"], base["issued_at"]))
    for rec in conn.execute("SELECT t.pass_version, t.resident_uid, t.key_id, t.valid_from, t.valid_until, "
                            "t.payload, t.at FROM pass_events_issue t WHERE t.pass_number = ? "
                            "AND t.payload IS NOT NULL ORDER BY t.pass_version", (number,)).fetchall():
        version, holder_uid, key_id, valid_from, valid_until, payload, at = rec
        holder = residents_repo.resident_by_uid(conn, holder_uid)
        if holder is None or passes_repo.get(conn, number, version) is not None:
            continue
        conn.execute("INSERT INTO passes (number, version, resident_id, key_id, valid_from, valid_until, status, "
                     "payload, issued_at) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)",
                     (number, version, holder.id, key_id, valid_from, valid_until, payload, _seconds(at)))
    revoked = {v for (v,) in conn.execute("SELECT pass_version FROM pass_events_revoke WHERE pass_number = ?",
                                          (number,))}
    revoked.update(b["version"] for b in bases if b["status"] == "revoked")
    top = conn.execute("SELECT max(version) FROM passes WHERE number = ?", (number,)).fetchone()[0]
    for version in revoked:
        passes_repo.set_status(conn, number, version, "revoked")
    if top is not None:
        passes_repo.supersede_older(conn, number, top)


def user(conn: sqlite3.Connection, name: str) -> None:
    rec = _latest(conn, "user", name)
    base = _base(conn, "user", name, rec)
    if base is not None:
        rec, first = base, base["created_at"]
    elif rec is None:
        return
    else:
        first = conn.execute("SELECT min(at) FROM user_changes WHERE name = ?", (name,)).fetchone()[0]
    conn.execute("INSERT INTO users (name, role, disabled, secret_hash, created_at) VALUES (?, ?, ?, ?, ?) "
                 "ON CONFLICT (name) DO UPDATE SET role = excluded.role, disabled = excluded.disabled, "
                 "secret_hash = excluded.secret_hash, created_at = excluded.created_at",
                 (name, rec["role"], 1 if rec["disabled"] else 0, rec["secret_hash"], _seconds(first)))


def setting(conn: sqlite3.Connection, key: str) -> None:
    rec = _latest(conn, "setting_change", key)
    base = _base(conn, "setting", key, rec)
    if base is not None:
        rec = {"new_value": base["value"], "at": base["updated_at"], "recorded_by": base["updated_by"]}
    elif rec is None:
        return
    conn.execute("INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, "
                 "updated_by = excluded.updated_by", (key, rec["new_value"], _seconds(rec["at"]), rec["recorded_by"]))


def watch(conn: sqlite3.Connection, match_hash: str) -> None:
    base = _base(conn, "watch", match_hash, None)
    if base is not None:
        conn.execute("INSERT OR IGNORE INTO watchlist (match_hash, note, created_at) VALUES (?, ?, ?)",
                     (match_hash, base["note"], base["created_at"]))
    rec = conn.execute("SELECT note, at FROM watchlist_changes WHERE match_hash = ? ORDER BY at LIMIT 1",
                       (match_hash,)).fetchone()
    if rec is not None:
        conn.execute("INSERT OR IGNORE INTO watchlist (match_hash, note, created_at) VALUES (?, ?, ?)",
                     (match_hash, rec[0], _seconds(rec[1])))


def gate(conn: sqlite3.Connection, uid: str) -> None:
    """A gate that joined the site: known here by its name and public key (never its private key)."""
    rec = conn.execute("SELECT name, public_key, at FROM gate_changes WHERE gate_uid = ? ORDER BY at LIMIT 1",
                       (uid,)).fetchone()
    if rec is not None and conn.execute("SELECT 1 FROM gates WHERE uid = ?", (uid,)).fetchone() is None:
        conn.execute("INSERT INTO gates (uid, name, is_local, created_at, public_key) VALUES (?, ?, 0, ?, ?)",
                     (uid, rec[0], _seconds(rec[2]), bytes.fromhex(rec[1]) if rec[1] else None))


def rebuild(conn: sqlite3.Connection, *, at: str) -> list[tuple[str, str]]:
    """Empty the state tables and make them again from the records alone (call inside a write
    transaction). Settings start from their defaults, as on a new site."""
    for table in TABLES:
        conn.execute(f"DELETE FROM {table}")
    for key, s in SETTINGS.items():
        conn.execute("INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, NULL)",
                     (key, show_setting(key, s.default), at))
    touched = Touched()
    touched.residents.update(u for (u,) in conn.execute(
        "SELECT resident_uid FROM resident_changes UNION SELECT resident_uid FROM resident_status_changes"))
    touched.passes.update(n for (n,) in conn.execute("SELECT DISTINCT pass_number FROM pass_events_issue "
                                                     "WHERE pass_number IS NOT NULL"))
    touched.users.update(n for (n,) in conn.execute("SELECT DISTINCT name FROM user_changes"))
    touched.settings.update(k for (k,) in conn.execute("SELECT DISTINCT key FROM setting_changes") if k in SETTINGS)
    touched.watch.update(h for (h,) in conn.execute("SELECT DISTINCT match_hash FROM watchlist_changes"))
    touched.gates.update(g for (g,) in conn.execute("SELECT DISTINCT gate_uid FROM gate_changes"))
    for entity in ("household", "resident", "pass", "user", "setting", "watch"):
        for key in baseline.keys(conn, entity):
            touched.add("baseline", {"entity": entity, "key": key})
    return project(conn, touched)


# -- the records a PC writes when it changes state itself ------------------------------------------

def record_resident(conn: sqlite3.Connection, uid: str, *, by: str | None, origin: str, at: datetime) -> None:
    """A ``resident`` record: the resident's row as it now is (after any change of details,
    a move-out or a move back in). Quarantine travels as ``resident_status`` records."""
    from checkpoint_app.db import records

    row = conn.execute("SELECT h.building, h.unit, h.room, r.name, r.phone, r.id_number, r.kind, r.active "
                       "FROM residents r JOIN households h ON h.id = r.household_id WHERE r.uid = ?",
                       (uid,)).fetchone()
    building, unit, room, name, phone, id_number, kind, active = row
    records.append(conn, "resident", {"resident_uid": uid, "building": building, "unit": unit, "room": room,
                                      "name": name, "phone": phone, "id_number": id_number, "kind": kind,
                                      "active": active, "recorded_by": by}, origin=origin, at=at)


def record_user(conn: sqlite3.Connection, name: str, *, by: str | None, origin: str, at: datetime) -> None:
    """A ``user`` record: the user as they now are, the Argon2 hash of their secret included so
    that a guard can sign on at any gate of the site (SECURITY.md)."""
    from checkpoint_app.db import records

    role, disabled, secret_hash = conn.execute("SELECT role, disabled, secret_hash FROM users WHERE name = ?",
                                               (name,)).fetchone()
    records.append(conn, "user", {"name": name, "role": role, "disabled": disabled, "secret_hash": secret_hash,
                                  "recorded_by": by}, origin=origin, at=at)
