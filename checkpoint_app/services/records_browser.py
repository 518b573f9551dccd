"""Every kind of record in one list, filtered, a page at a time (the office's records page, and
``checkpoint records``).

Pages go by key, never by OFFSET: a page is the ``limit`` records after (or before) a key
``(at, uid)``, in time order. Each record kind the filter allows is a stream read in key order
straight from an index of its table — ``(at, uid)`` (migration ``_browse_indexes``), or
``(household, at)``, ``(resident_uid, at)``, ``(guard, at)``, ``(outcome, at)`` on passages
when the filter names one — and the streams are merged here, so the page after any key costs
the same on the first day and on the ten-millionth passage. Only the rows that make the page
are then read whole, with their place in the chain (origin, sequence) and their amendments and
voids (who, when, why; db/current.py's index on ``amendments(target_uid)``).
"""

from __future__ import annotations

import heapq
import itertools
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from checkpoint_app.db import residents_repo
from checkpoint_app.domain import reasons, record_kinds
from checkpoint_app.domain.text import shown
from checkpoint_app.i18n import Messages
from checkpoint_app.services import privacy, record_words
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require

_ = Messages({
    "in": ("进", "in"), "out": ("出", "out"),
    "allowed": ("放行", "allowed"), "flagged": ("提示", "flagged"), "denied": ("拒绝", "denied"),
    "amend": ("更正", "amended"), "void": ("作废", "voided"),
    "purged": ("（已清除）", "(purged)"),
    "fix": ("{action}：{who} {at}，{why}", "{action} by {who} at {at}: {why}"),
})

OUTCOMES = ("allowed", "flagged", "denied")
MAX_PAGE = 1000

Key = tuple[str, str]          # (at, uid): the order of the list


@dataclass(frozen=True)
class RecordFilter:
    kinds: tuple[str, ...] = ()         # none: every kind
    day_from: date | None = None
    day_to: date | None = None          # inclusive
    household: str = ""                 # 3-2-501, or 3-2 for a building-unit
    person: str = ""                    # a resident's name, part of it, or pinyin initials
    guard: str = ""                     # who recorded it (the guard, or recorded_by)
    outcome: str = ""                   # allowed | flagged | denied


@dataclass(frozen=True)
class Fixed:
    """One amendment or void of a record."""
    action: str          # amend | void
    at: str
    by: str | None
    reason: str | None


@dataclass(frozen=True)
class RecordRow:
    at: str
    uid: str
    kind: str
    who: str             # household and person, a visitor, an area: whom the record is about
    detail: str          # the rest, in words
    by: str              # the guard or the person who recorded it
    outcome: str         # a passage's or a visitor's outcome, else ""
    origin: str          # the gate that recorded it (its name), and
    seq: int             # its place in that gate's chain
    fixes: tuple[Fixed, ...] = ()

    @property
    def key(self) -> Key:
        return (self.at, self.uid)

    @property
    def void(self) -> bool:
        return any(f.action == "void" for f in self.fixes)

    def fixes_text(self, lang: str | None = None) -> str:
        return "；".join(_("fix", lang=lang, action=_(f.action, lang=lang), who=f.by or "—", at=f.at[:16].replace("T", " "),
                           why=f.reason or "—") for f in self.fixes)


# the column of each kind that names who recorded it, and whom the record is about
_BY = {"passage": "guard", "visitor_in": "guard", "visitor_out": "guard", "handover": "from_guard"}
# the column naming the household a record is about (passages, visitors' hosts, returnees, door
# checks, survey visits, corrections: from the registry); kinds about a person with no such column
# (passes, status changes, roster snapshots, quarantine ends) match through the household's residents
_HOUSEHOLD = {k.kind: ("host_household" if "host_household" in k.fields else "household")
              for k in record_kinds.KINDS if "household" in k.fields or "host_household" in k.fields}
_HOUSEHOLD_RESIDENTS = ("SELECT r.uid FROM residents r JOIN households h ON h.id = r.household_id "
                        "WHERE h.label IN ({marks})")
_HOUSEHOLD_PASSES = ("SELECT p.number FROM passes p JOIN residents r ON r.id = p.resident_id "
                     "JOIN households h ON h.id = r.household_id WHERE h.label IN ({marks})")
# every kind about one resident (passages, passes, status, returnees, door checks, corrections, …):
# taken from the registry, so a kind added later is found by a person filter too
_RESIDENT = {k.kind: "resident_uid" for k in record_kinds.KINDS if "resident_uid" in k.fields}
_OUTCOME = {"passage": "outcome", "visitor_in": "outcome"}
_HIDDEN = record_kinds.SECRET_FIELDS | {
           "key_id", "reasons", "pass_version", "personal_hash", "payload_excerpt", "resident_uid", "outcome", "manual",
           "recorded_by", "guard", "household", "host_household", "first_temp_at", "entry_uid", "subject_uid", "incident_uid",
           "target_uid", "changes", "counts", "open_alerts", "supersedes"}


def _by_column(kind: record_kinds.RecordKind) -> str | None:
    if kind.kind in _BY:
        return _BY[kind.kind]
    return "recorded_by" if "recorded_by" in kind.fields else None


def _streams(conn: sqlite3.Connection, f: RecordFilter) -> list[tuple[str, str, str, tuple]]:
    """(kind, table, WHERE, args) of each stream the filter asks for; one stream per resident
    when a person is named (each goes through the ``(resident_uid, at)`` index)."""
    kinds = [k for k in record_kinds.KINDS if not f.kinds or k.kind in f.kinds]
    residents: list[str] | None = None
    if f.person.strip():
        residents = [r.uid for r in residents_repo.search_residents(conn, f.person, limit=50)]
    households: list[str] | None = None
    if f.household.strip():
        text = f.household.strip()
        like = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"
        households = [h[0] for h in conn.execute(
            "SELECT label FROM households WHERE label = ? OR label LIKE ? ESCAPE '\\' LIMIT 50", (text, like))] or [text]
    streams = []
    for k in kinds:
        conds, args = [], []
        if f.day_from:
            conds.append("t.at >= ?")
            args.append(f.day_from.isoformat())
        if f.day_to:
            conds.append("t.at < ?")
            args.append((f.day_to + timedelta(days=1)).isoformat())
        if f.outcome:
            if k.kind not in _OUTCOME:
                continue
            conds.append(f"t.{_OUTCOME[k.kind]} = ?")
            args.append(f.outcome)
        if f.guard.strip():
            by = _by_column(k)
            if by is None:
                continue
            conds.append(f"t.{by} = ?")
            args.append(f.guard.strip())
        per: list[tuple[str, tuple]] = [("", ())]
        if households is not None:
            marks = ",".join("?" * len(households))
            if k.kind in _HOUSEHOLD:       # one stream per household (passages: the (household, at) index)
                per = [(f"t.{_HOUSEHOLD[k.kind]} = ?", (h,)) for h in households]
            elif k.kind in _RESIDENT:
                per = [(f"t.{_RESIDENT[k.kind]} IN ({_HOUSEHOLD_RESIDENTS.format(marks=marks)})", tuple(households))]
            elif k.kind == "pass_revoke":
                per = [(f"t.pass_number IN ({_HOUSEHOLD_PASSES.format(marks=marks)})", tuple(households))]
            else:
                continue
        if residents is not None:
            if k.kind not in _RESIDENT:
                continue
            per = [((f"{c} AND " if c else "") + f"t.{_RESIDENT[k.kind]} = ?", (*a, r))
                   for c, a in per for r in residents]
        for cond, extra in per:
            where = " AND ".join([c for c in (cond, *conds) if c]) or "1"
            streams.append((k.kind, k.table, where, (*extra, *args)))
    return streams


def page(ctx: GateContext, f: RecordFilter = RecordFilter(), *, after: Key | None = None,
         before: Key | None = None, limit: int = 200) -> list[RecordRow]:
    """The ``limit`` records after ``after`` (from the first with neither), or, with ``before``,
    the ``limit`` records before it (``before=("~", "")``: the last page); in time order."""
    require(ctx, "browse_records")
    limit = max(1, min(limit, MAX_PAGE))
    backwards = before is not None
    key = before if backwards else after
    with ctx.db.read() as conn:
        keys = list(itertools.islice(heapq.merge(
            *(_stream(conn, kind, table, where, args, key, backwards, limit)
              for kind, table, where, args in _streams(conn, f)), reverse=backwards), limit))
        rows = _rows(ctx, conn, keys)
    return rows[::-1] if backwards else rows


def _stream(conn, kind: str, table: str, where: str, args: tuple, key: Key | None, backwards: bool,
            limit: int) -> Iterator[tuple[str, str, str]]:
    """One stream in key order, stepped only as far as the merge takes it (a cursor each)."""
    order = "DESC" if backwards else ""
    if key is None:
        keyset, kargs = "", ()
    elif backwards:
        keyset, kargs = " AND t.at <= ? AND (t.at < ? OR t.uid < ?)", (key[0], key[0], key[1])
    else:
        keyset, kargs = " AND t.at >= ? AND (t.at > ? OR t.uid > ?)", (key[0], key[0], key[1])
    return ((at, uid, kind) for at, uid in conn.execute(
        f"SELECT t.at, t.uid FROM {table} t WHERE {where}{keyset} ORDER BY t.at {order}, t.uid {order} LIMIT ?",
        (*args, *kargs, limit)))


def _rows(ctx: GateContext, conn, keys: list[tuple[str, str, str]]) -> list[RecordRow]:
    if not keys:
        return []
    uids = [uid for _at, uid, _kind in keys]
    marks = ",".join("?" * len(uids))
    gates = dict(conn.execute("SELECT uid, name FROM gates"))
    places = {uid: (o, s) for uid, o, s in conn.execute(
        f"SELECT uid, origin, origin_seq FROM journal WHERE uid IN ({marks})", uids)}
    fixes: dict[str, list[Fixed]] = {}
    for target, action, at, by, reason in conn.execute(
            f"SELECT target_uid, action, at, recorded_by, reason FROM amendments WHERE target_uid IN ({marks}) "
            "ORDER BY at, rowid", uids):
        fixes.setdefault(target, []).append(Fixed(action, at, by, reason))
    by_kind: dict[str, list[str]] = {}
    for _at, uid, kind in keys:
        by_kind.setdefault(kind, []).append(uid)
    fields: dict[str, dict] = {}
    for kind, some in by_kind.items():
        k = record_kinds.BY_KIND[kind]
        cur = conn.execute(f"SELECT * FROM {k.table} WHERE uid IN ({','.join('?' * len(some))})", some)
        names = [d[0] for d in cur.description]
        for r in cur:
            fields[r[0]] = dict(zip(names, r))
    extra = _people(conn, {v["resident_uid"] for v in fields.values() if v.get("resident_uid")},
                    {v["pass_number"] for v in fields.values() if v.get("pass_number") is not None
                     and not v.get("resident_uid")},
                    [uid for _a, uid, kind in keys if kind == "visitor_in"])
    out = []
    for at, uid, kind in keys:
        v = fields.get(uid, {})
        origin, seq = places.get(uid, ("", 0))
        out.append(RecordRow(at, uid, kind, _who(ctx, kind, v, extra), _detail(kind, v), _by(kind, v),
                             v.get("outcome") or "" if kind in _OUTCOME else "", gates.get(origin, origin[:8]), seq,
                             tuple(fixes.get(uid, ()))))
    return out


def _people(conn, residents: set[str], numbers: set[int], visitors: list[str]) -> dict:
    """Whom the page's records are about, read in one batch (a query per kind of thing, never one
    per row): each resident's (name, household), by uid; each card's holder (name, household), by
    ``("pass", number)`` (a pass_revoke names only the card); each visitor's (name, phone, ID)."""
    found: dict = {}
    if residents:
        marks = ",".join("?" * len(residents))
        for uid, name, label in conn.execute(
                "SELECT r.uid, r.name, h.label FROM residents r LEFT JOIN households h ON h.id = r.household_id "
                f"WHERE r.uid IN ({marks})", sorted(residents)):
            found[uid] = (name, label or "")
    if numbers:
        marks = ",".join("?" * len(numbers))
        for number, name, label in conn.execute(
                "SELECT DISTINCT p.number, r.name, h.label FROM passes p JOIN residents r ON r.id = p.resident_id "
                f"LEFT JOIN households h ON h.id = r.household_id WHERE p.number IN ({marks})", sorted(numbers)):
            found[("pass", number)] = (name, label or "")
    if visitors:
        marks = ",".join("?" * len(visitors))
        for uid, name, phone, id_number in conn.execute(
                f"SELECT uid, name, phone, id_number FROM visitor_personal WHERE uid IN ({marks})", visitors):
            found[uid] = (name, phone, id_number)
    return found


def _who(ctx: GateContext, kind: str, v: dict, extra: dict) -> str:
    if kind == "visitor_in":
        name, phone, id_number = extra.get(v.get("uid"), (None, None, None))
        if name is None:
            return _("purged")
        parts = [shown(name), privacy.show_phone(ctx, phone) if phone else "", privacy.show_id_number(ctx, id_number) if id_number else ""]
        return " ".join(p for p in parts if p)
    # the household the record names (as it was then); else the one of the resident or card holder
    household = v.get(_HOUSEHOLD.get(kind, "")) or ""
    person = ("", "")
    if v.get("resident_uid"):
        person = extra.get(v["resident_uid"], ("", ""))
    elif v.get("pass_number") is not None:
        person = extra.get(("pass", v["pass_number"]), ("", ""))
    if not household and all(v.get(part) for part in ("building", "unit", "room")):
        household = f"{v['building']}-{v['unit']}-{v['room']}"        # a roster snapshot's own address
    parts = [household or person[1], person[0]]
    for name in ("area", "from_guard", "to_guard"):
        if v.get(name):
            parts.append(str(v[name]))
    if v.get("category"):
        parts.append(reasons.category(v["category"]))
    return shown(" ".join(p for p in parts if p), limit=40)


def _detail(kind: str, v: dict) -> str:
    parts = []
    for name, value in v.items():
        if name in ("uid", "at", "day", "area", "from_guard", "to_guard", "category") or name in _HIDDEN:
            continue
        if value is None or value == "" or (name == "reason" and value == "ok"):
            continue
        if name in ("temp_tenths", "first_temp_tenths") and isinstance(value, int):
            value = f"{value / 10:.1f} °C"
        elif name == "direction":
            value = _(value) if value in ("in", "out") else value
        elif name == "pass_number":
            value = f"#{value}"
        elif name == "reason" and isinstance(value, str):
            value = reasons.label(value)
        else:
            value = record_words.detail(kind, name, value)   # codes in words (services/record_words.py)
            if value is None:
                continue
        parts.append(str(value))
    return shown(" · ".join(parts), limit=80)


def _by(kind: str, v: dict) -> str:
    column = _BY.get(kind) or "recorded_by"
    return shown(str(record_words.value(kind, column, v.get(column) or "")))


def outcome_label(outcome: str, lang: str | None = None) -> str:
    return _(outcome, lang=lang) if outcome in OUTCOMES else outcome
