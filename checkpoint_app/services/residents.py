"""The resident roster: import from Excel/CSV, list, change a resident's status."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from checkpoint_app.domain.text import free_text, natural_key, shown
from checkpoint_app.db import records, residents_repo, state
from checkpoint_app.errors import InvalidInput, NotFound, RuleRefusal
from checkpoint_app.i18n import Messages, language
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require
from checkpoint_app.services import roster_values
from checkpoint_app.services.progress import Progress, step
from checkpoint_app.services.roster_file import RosterChoice, RosterLayout, RosterRow, RowError, read_roster

log = logging.getLogger(__name__)

_ = Messages({
    "nothing": ("没有可导入的行：{n} 行有错误。", "Nothing could be imported: {n} rows have errors."),
    "strict": ("严格模式：{n} 行有错误，未导入任何行。", "Strict mode: {n} rows have errors, nothing was imported."),
    "empty": ("文件中没有住户数据。", "The file holds no residents."),
    "no_resident": ("没有编号为 {id} 的住户。", "There is no resident with id {id}."),
    "no_household": ("编号为 {id} 的房屋没有在住的住户。", "The household with id {id} has nobody living there."),
    "status": ("状态须为 normal、quarantine 或 observation。", "Status must be normal, quarantine or observation."),
    "until_needed": ("居家隔离需要截止日期（--until YYYY-MM-DD）。", "Home quarantine needs an end date (--until YYYY-MM-DD)."),
    "until_bad": ("日期“{text}”无效，请写成 YYYY-MM-DD。", "The date “{text}” is not valid; write it as YYYY-MM-DD."),
    "row": ("第 {row} 行：{message}", "row {row}: {message}"),
    "move_out_errors": ("文件有 {n} 行错误，未将任何住户标记为迁出（被拒的行里可能就有他们）；请先改正这些行。",
                        "The file has {n} rows with errors, so nobody was marked moved out (they may be "
                        "on a rejected row); correct those rows first."),
    "moved_out_reason": ("迁出（名单中已无此人）", "moved out (no longer on the roster)"),
    "conflict": ("身份证号已属于 {household} 的 {name}。", "This ID number already belongs to {name} of {household}."),
    "reason": ("请填写原因。", "Give a reason."),
    "lift_reason": ("提前解除隔离或观察须填写原因。", "Lifting a quarantine or observation early needs a reason."),
    "no_change": ("没有改动：各项与登记的相同。", "Nothing changed: every field is as registered."),
    "moved_out": ("{name} 已迁出。", "{name} has already moved out."),
    "already_here": ("{household} 已有一位 {name}。", "{household} already has a resident named {name}."),
    "field": ("“{field}”不能更正。", "“{field}” cannot be corrected."),
    "no_households": ("请先选择房屋。", "Select the households first."),
    "progress": ("正在导入第 {n} 行，共 {total} 行", "Importing row {n} of {total}"),
    "list_sep": ("、", ", "),
})
NEW, CHANGED, UNCHANGED, REJECTED = "new", "changed", "unchanged", "rejected"


@dataclass(frozen=True)
class RowOutcome:
    """What the import does (or would do) with one row of the file."""
    row: int
    status: str          # new | changed | unchanged | rejected
    household: str       # 3-2-501 (as written, for a rejected row)
    name: str
    detail: str = ""     # changed: the fields that change; rejected: why

STATUSES = ("normal", "quarantine", "observation")


@dataclass
class ImportReport:
    households: int = 0          # households created
    residents: int = 0           # residents created
    updated: int = 0             # residents whose details changed
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    missing: list[tuple[str, str]] = field(default_factory=list)   # (household, name) not in the file
    moved_out: int = 0           # of those, marked moved out (their passes revoked)
    outcomes: list[RowOutcome] = field(default_factory=list)      # every row of the file, in order
    layout: RosterLayout | None = None                            # sheet, encoding, header row read

    @property
    def accepted(self) -> int:
        return self.residents + self.updated + self.unchanged

    def as_json(self) -> dict:
        return {"households": self.households, "residents": self.residents, "updated": self.updated,
                "unchanged": self.unchanged, "dry_run": self.dry_run, "moved_out": self.moved_out,
                "missing": [{"household": h, "name": n} for h, n in self.missing],
                "sheet": self.layout.sheet if self.layout else None,
                "encoding": self.layout.encoding if self.layout else None,
                "header_row": self.layout.header_row if self.layout else None,
                "errors": [{"row": e.row, "message": e.message} for e in self.errors]}


def name_initials(name: str) -> str:
    """Pinyin initials for the gate's search box: 张三丰 → zsf."""
    from pypinyin import Style, lazy_pinyin

    return "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore") if p).lower()


@functools.cache
def load_first_imports() -> None:
    """Load, once per process, what the first name initials and the first roster file need.

    pypinyin reads its tables with one ``json.loads`` of 2.5 MB (120-400 ms in one C call) and
    openpyxl pulls in lxml and PIL: done the first time in a worker (a roster preview, an added
    resident or returnee), that C call holds the GIL and the GUI thread waits with it, in the middle
    of the user's work. The office calls this in a thread of its own once it is on screen after a
    manager signed on (ui/office/shell.py)."""
    import openpyxl  # noqa: F401

    name_initials("张")


class _DryRun(Exception):
    pass


def import_roster(ctx: GateContext, path: str | Path, *, dry_run: bool = False, strict: bool = False,
                  mark_missing_moved_out: bool = False, choice: RosterChoice | None = None,
                  progress: Progress | None = None, _preview: bool = False) -> ImportReport:
    """Valid rows go in together, in one transaction; rejected rows are reported with their row.
    ``outcomes`` says for every row whether it is new, changed, unchanged or rejected (and why):
    with ``dry_run`` that is the preview, and nothing is written. ``choice``: the sheet, header
    row and columns the user chose (roster_file.RosterChoice). A cancel (``progress``) rolls the
    whole import back.

    Active residents the file does not list are reported in ``missing``; with
    ``mark_missing_moved_out`` they are marked moved out (a ``resident_status`` record
    "moved_out") and their valid passes revoked (a ``pass_revoke`` record each). A file with
    rejected rows never moves anybody out: the person may be on a row that was rejected."""
    require(ctx, "import_roster")
    result = read_roster(path, today=ctx.now().date(), choice=choice,
                         check=progress.check if progress is not None else None)
    report = ImportReport(errors=list(result.errors), dry_run=dry_run, layout=result.layout)
    if not result.rows and not _preview:
        raise (_refusal("nothing", "nothing_imported", result.errors) if result.errors
               else InvalidInput(_("empty"), "nothing_imported"))
    if strict and result.errors:
        raise _refusal("strict", "strict_rejected", result.errors)
    try:
        with ctx.db.write() as conn:
            before = {r.id: r for r in residents_repo.list_residents(conn)}
            seen: set[int] = set()
            absent = set(roster_values.FIELDS) - set(result.layout.mapping if result.layout else roster_values.FIELDS)
            total = len(result.rows)
            for done, row in enumerate(result.rows):
                step(progress, done, total, _("progress", n=done + 1, total=total))
                _import_row(ctx, conn, row, report, seen, absent)
            step(progress, total, total)
            if strict and report.errors:
                raise _refusal("strict", "strict_rejected", report.errors)
            gone = sorted((r for i, r in before.items() if i not in seen),
                          key=lambda r: (natural_key(r.household), r.id))
            report.missing = [(r.household, r.name) for r in gone]
            if mark_missing_moved_out and gone:
                if report.errors:
                    raise InvalidInput(_("move_out_errors", n=len(report.errors)), "move_out_with_errors")
                for r in gone:
                    _move_out(ctx, conn, r)
                report.moved_out = len(gone)
            if report.accepted == 0 and not _preview:
                raise _refusal("nothing", "nothing_imported", report.errors)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    _outcomes(report, result)
    log.info("roster import %s: %s", Path(path).name, report.as_json() | {"errors": len(report.errors)})
    return report


def preview_roster(ctx: GateContext, path: str | Path, *, mark_missing_moved_out: bool = False,
                   choice: RosterChoice | None = None, progress: Progress | None = None) -> ImportReport:
    """What ``import_roster`` would do with every row, written nowhere; unlike its dry run, a file
    of which no row can be imported is a preview too (every row rejected, with why)."""
    return import_roster(ctx, path, dry_run=True, mark_missing_moved_out=mark_missing_moved_out, choice=choice,
                         progress=progress, _preview=True)


def _outcomes(report: ImportReport, result) -> None:
    """Every row by its number: those the import took (``_import_row``) and the rejected ones."""
    reasons: dict[int, list[str]] = {}
    for error in report.errors:
        reasons.setdefault(error.row, []).append(error.message)
    read = {r.row: (r.household, r.name) for r in result.rows}
    rejected = [RowOutcome(row, REJECTED, *(result.rejected.get(row) or read.get(row, ("", ""))),
                           _("list_sep").join(why)) for row, why in reasons.items()]
    report.outcomes = sorted(report.outcomes + rejected, key=lambda o: o.row)


def _refusal(key: str, code: str, errors: list[RowError]) -> InvalidInput:
    """The refusal, with the rejected rows for the user to correct (``details``)."""
    err = InvalidInput(_(key, n=len(errors)), code)
    err.details = [_("row", row=e.row, message=e.message) for e in errors[:200]]
    return err


def _move_out(ctx: GateContext, conn, resident: residents_repo.Resident, reason: str | None = None) -> None:
    """A resident who left (the roster no longer lists them, or the office says so with a
    reason): inactive, with a record, and no valid pass."""
    from checkpoint_app.db import passes_repo

    now = ctx.now()
    conn.execute("UPDATE residents SET active = 0, updated_at = ? WHERE id = ?",
                 (now.isoformat(timespec="seconds"), resident.id))
    state.record_resident(conn, resident.uid, by=ctx.user, origin=ctx.gate.uid, at=now)
    records.append(conn, "resident_status", {"resident_uid": resident.uid, "status": "moved_out",
                                             "until": None, "recorded_by": ctx.user, "reason": reason},
                   origin=ctx.gate.uid, at=now)
    card = passes_repo.active_for_resident(conn, resident.id)
    if card is not None:
        passes_repo.set_status(conn, card.number, card.version, "revoked")
        records.append(conn, "pass_revoke", {"pass_number": card.number, "pass_version": card.version,
                                             "reason": reason or _("moved_out_reason", lang="zh_CN"),
                                             "recorded_by": ctx.user},
                       origin=ctx.gate.uid, at=now)


def _import_row(ctx: GateContext, conn, row: RosterRow, report: ImportReport, seen: set[int],
                absent: set[str] = frozenset()) -> None:
    """One row; a field the file has no column for keeps what an existing resident has (a roster
    without phones does not erase the phones)."""
    now = ctx.now()
    at = now.isoformat(timespec="seconds")
    household, created = residents_repo.get_or_create_household(conn, row.building, row.unit, row.room, at)
    report.households += created
    existing = residents_repo.find_resident(conn, household_id=household.id, name=row.name, id_number=row.id_number)
    if existing and row.id_number and existing.id_number and existing.id_number != row.id_number:
        existing = None  # same name in the same room but a different person: a new resident
    if existing and row.id_number and existing.id_number == row.id_number and existing.name != row.name:
        # The ID number says it is the same person, the name says it is not: a typo somewhere,
        # which a person must settle rather than the import guessing.
        report.errors.append(RowError(row.row, _("conflict", name=existing.name, household=existing.household)))
        seen.add(existing.id)  # listed, with a typo: not missing
        return
    if existing is None and row.id_number:
        clash = conn.execute("SELECT r.name, h.label FROM residents r JOIN households h ON h.id = r.household_id "
                             "WHERE r.id_number = ?", (row.id_number,)).fetchone()
        if clash:
            report.errors.append(RowError(row.row, _("conflict", name=clash[0], household=clash[1])))
            return
    if existing is not None and absent:
        row = replace(row, phone=existing.phone if "phone" in absent else row.phone,
                      id_number=existing.id_number if "id_number" in absent else row.id_number,
                      kind=existing.kind if "kind" in absent else row.kind)
        if {"status", "quarantine_until"} <= absent:
            row = replace(row, status=existing.status, quarantine_until=existing.status_until)
    initials = name_initials(row.name)
    if existing is not None:
        seen.add(existing.id)
    if existing is None:
        uid = records.new_uid()
        residents_repo.insert_resident(
            conn, uid=uid, household_id=household.id, name=row.name, initials=initials, phone=row.phone,
            id_number=row.id_number, kind=row.kind, status=row.status, status_until=row.quarantine_until, at=at)
        state.record_resident(conn, uid, by=ctx.user, origin=ctx.gate.uid, at=now)
        report.residents += 1
        report.outcomes.append(RowOutcome(row.row, NEW, row.household, row.name))
        if row.status != "normal":
            records.append(conn, "resident_status", {"resident_uid": uid, "status": row.status,
                                                     "until": _iso(row.quarantine_until), "recorded_by": ctx.user},
                           origin=ctx.gate.uid, at=now)
        return
    same = (existing.household_id == household.id and existing.name == row.name and existing.phone == row.phone
            and existing.id_number == row.id_number and existing.kind == row.kind and existing.active)
    if not same:
        residents_repo.update_resident(conn, existing.id, household_id=household.id, name=row.name,
                                       initials=initials, phone=row.phone, id_number=row.id_number,
                                       kind=row.kind, at=at)
        state.record_resident(conn, existing.uid, by=ctx.user, origin=ctx.gate.uid, at=now)
    status_same = existing.status == row.status and existing.status_until == row.quarantine_until
    if not status_same:
        residents_repo.set_status(conn, existing.id, row.status, row.quarantine_until, at)
        records.append(conn, "resident_status", {"resident_uid": existing.uid, "status": row.status,
                                                 "until": _iso(row.quarantine_until), "recorded_by": ctx.user},
                       origin=ctx.gate.uid, at=now)
    if same and status_same:
        report.unchanged += 1
        report.outcomes.append(RowOutcome(row.row, UNCHANGED, row.household, row.name))
    else:
        report.updated += 1
        report.outcomes.append(RowOutcome(row.row, CHANGED, row.household, row.name,
                                          _changes(existing, household.id, row, status_same)))


def _changes(existing: residents_repo.Resident, household_id: int, row: RosterRow, status_same: bool) -> str:
    """What a row changes of a resident: "电话、状态"."""
    english = language() == "en"
    differs = {"room": existing.household_id != household_id, "name": existing.name != row.name,
               "phone": existing.phone != row.phone, "id_number": existing.id_number != row.id_number,
               "kind": existing.kind != row.kind, "status": not status_same or not existing.active}
    return _("list_sep").join(roster_values.FIELD_LABELS[f][english] for f, changed in differs.items() if changed)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _for_role(ctx: GateContext, people: list[residents_repo.Resident]) -> list[residents_repo.Resident]:
    """Phones and ID numbers masked unless the role may see them (DESIGN §3)."""
    from checkpoint_app.services import privacy

    if privacy.may_see_personal_data(ctx):
        return people
    return [replace(r, phone=privacy.mask_phone(r.phone) or None, id_number=privacy.mask_id_number(r.id_number) or None)
            for r in people]


def list_residents(ctx: GateContext) -> list[residents_repo.Resident]:
    """Active residents by household in natural order (1-1-102, 2-1-201, 12-1-123), masked per role."""
    with ctx.db.read() as conn:
        people = residents_repo.list_residents(conn)
    return _for_role(ctx, sorted(people, key=lambda r: (natural_key(r.household), r.id)))


def search_residents(ctx: GateContext, text: str, limit: int = 20) -> list[residents_repo.Resident]:
    with ctx.db.read() as conn:
        return _for_role(ctx, residents_repo.search_residents(conn, text, limit))


def parse_until(text: str | None) -> date | None:
    if text in (None, ""):
        return None
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise InvalidInput(_("until_bad", text=shown(text, 20)), "date_invalid") from None


def set_status(ctx: GateContext, resident_id: int, status: str, until: date | None = None,
               reason: str | None = None) -> residents_repo.Resident:
    """One person's status. Lifting a quarantine or observation before its end needs a reason."""
    until, reason = _check_status(ctx, status, until, reason)
    now = ctx.now()
    with ctx.db.write() as conn:
        resident = residents_repo.get_resident(conn, resident_id)
        if resident is None or not resident.active:
            raise NotFound(_("no_resident", id=resident_id))
        _record_statuses(ctx, conn, [resident], status, until, reason, now)
        return residents_repo.get_resident(conn, resident.id)


def set_household_status(ctx: GateContext, household_id: int, status: str,
                         until: date | None = None, reason: str | None = None) -> list[residents_repo.Resident]:
    """Every present member of a household at once, in one transaction: all or none."""
    return set_households_status(ctx, [household_id], status, until, reason)


def set_households_status(ctx: GateContext, household_ids: list[int], status: str, until: date | None = None,
                          reason: str | None = None) -> list[residents_repo.Resident]:
    """Every present member of several households (a building's staircase, the households the
    office selected) in one step and one transaction: all or none."""
    until, reason = _check_status(ctx, status, until, reason)
    if not household_ids:
        raise InvalidInput(_("no_households"), "no_households")
    now = ctx.now()
    with ctx.db.write() as conn:
        members = []
        for household_id in dict.fromkeys(household_ids):
            present = residents_repo.list_residents(conn, household_id=household_id)
            if not present:
                raise NotFound(_("no_household", id=household_id))
            members += present
        _record_statuses(ctx, conn, members, status, until, reason, now)
        return [residents_repo.get_resident(conn, r.id) for r in members]


def _check_status(ctx: GateContext, status: str, until: date | None,
                  reason: str | None) -> tuple[date | None, str | None]:
    require(ctx, "manage_residents")
    if status not in STATUSES:
        raise InvalidInput(_("status"), "status_invalid")
    if status == "quarantine" and until is None:
        raise RuleRefusal(_("until_needed"), "until_required")
    return (None if status == "normal" else until), (free_text(reason, 200) or None if reason else None)


def _record_statuses(ctx: GateContext, conn, people: list[residents_repo.Resident], status: str,
                     until: date | None, reason: str | None, now) -> None:
    """Several people's status at once; lifting a measure still in force needs a reason."""
    today = now.date()
    if status == "normal" and not reason and any(
            r.status != "normal" and (r.status_until is None or r.status_until >= today) for r in people):
        raise RuleRefusal(_("lift_reason"), "reason_required")
    for resident in people:
        _record_status(ctx, conn, resident, status, until, now, reason)


def _record_status(ctx: GateContext, conn, resident: residents_repo.Resident, status: str,
                   until: date | None, now, reason: str | None = None) -> None:
    residents_repo.set_status(conn, resident.id, status, until, now.isoformat(timespec="seconds"))
    records.append(conn, "resident_status", {"resident_uid": resident.uid, "status": status,
                                             "until": _iso(until), "recorded_by": ctx.user, "reason": reason},
                   origin=ctx.gate.uid, at=now)


# -- adding, correcting, moving out (the office's residents page; who/when/why as records) ----------

CORRECTABLE = ("household", "name", "phone", "id_number", "kind")
_PERSONAL = ("phone", "id_number")


def _checked_details(ctx: GateContext, details: dict[str, str]) -> dict[str, object]:
    """The fields a person typed, checked as a roster row's cells are; empty phone/ID is None."""
    from checkpoint_app.domain.identity import normalize_name, validate_id_number, validate_mobile
    from checkpoint_app.services import roster_values as values
    from checkpoint_app.services.passes import parse_household

    checked: dict[str, object] = {}
    for key, value in details.items():
        if key not in CORRECTABLE:
            raise InvalidInput(_("field", field=shown(key, 20)), "field_invalid")
        text = value.strip() if isinstance(value, str) else ""
        label = values.FIELD_LABELS[key if key != "household" else "room"][0]
        if key == "household":
            parts = parse_household(values.nfkc(text))
            checked[key] = tuple(values.parse_location(p, f, values.FIELD_LABELS[f][0])
                                 for p, f in zip(parts, ("building", "unit", "room")))
        elif key == "name":
            if not text:
                raise InvalidInput(values.empty_message(label), "name_invalid")
            checked[key] = normalize_name(text)
        elif key == "phone":
            checked[key] = validate_mobile(text) if text else None
        elif key == "id_number":
            checked[key] = validate_id_number(text, today=ctx.now().date()) if text else None
        else:
            checked[key] = values.parse_kind(text, label)
    return checked


def _id_clash(conn, id_number: str | None, resident_id: int | None) -> None:
    if not id_number:
        return
    clash = conn.execute("SELECT r.name, h.label FROM residents r JOIN households h ON h.id = r.household_id "
                         "WHERE r.id_number = ? AND r.id IS NOT ?", (id_number, resident_id)).fetchone()
    if clash:
        raise RuleRefusal(_("conflict", name=clash[0], household=clash[1]), "id_number_taken")


def _name_clash(conn, household_id: int, name: str, resident_id: int | None, label: str) -> None:
    if conn.execute("SELECT 1 FROM residents WHERE household_id = ? AND name = ? AND active AND id IS NOT ?",
                    (household_id, name, resident_id)).fetchone():
        raise RuleRefusal(_("already_here", household=label, name=name), "resident_exists")


def _shown_change(key: str, old, new) -> list:
    """Old and new value for the record; phone and ID number masked (records are kept for years
    and are not purged: the personal values stay in the residents table only)."""
    from checkpoint_app.services import privacy

    if key == "phone":
        return [privacy.mask_phone(old) or None, privacy.mask_phone(new) or None]
    if key == "id_number":
        return [privacy.mask_id_number(old) or None, privacy.mask_id_number(new) or None]
    return [old, new]


def _changes_json(changes: dict[str, list]) -> str:
    import json

    return json.dumps(changes, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def add_resident(ctx: GateContext, household: str, name: str, *, phone: str = "", id_number: str = "",
                 kind: str = "家属", reason: str = "") -> residents_repo.Resident:
    """A new resident of a household (the household is made when it is new), with a record."""
    require(ctx, "manage_residents")
    d = _checked_details(ctx, {"household": household, "name": name, "phone": phone, "id_number": id_number,
                               "kind": kind})
    reason = free_text(reason, 200) or None
    now = ctx.now()
    at = now.isoformat(timespec="seconds")
    with ctx.db.write() as conn:
        hh, _created = residents_repo.get_or_create_household(conn, *d["household"], at)
        _name_clash(conn, hh.id, d["name"], None, hh.label)
        _id_clash(conn, d["id_number"], None)
        uid = records.new_uid()
        resident_id = residents_repo.insert_resident(
            conn, uid=uid, household_id=hh.id, name=d["name"], initials=name_initials(d["name"]), phone=d["phone"],
            id_number=d["id_number"], kind=d["kind"], status="normal", status_until=None, at=at)
        state.record_resident(conn, uid, by=ctx.user, origin=ctx.gate.uid, at=now)     # travels (issue 15)
        changes = {k: _shown_change(k, None, d[k]) for k in ("name", "phone", "id_number", "kind") if d[k]}
        records.append(conn, "resident_correction", {
            "resident_uid": uid, "action": "add", "household": hh.label, "changes": _changes_json(changes),
            "reason": reason, "recorded_by": ctx.user}, origin=ctx.gate.uid, at=now)
        return residents_repo.get_resident(conn, resident_id)


def correct_resident(ctx: GateContext, resident_id: int, details: dict[str, str],
                     reason: str) -> residents_repo.Resident:
    """Correct what was registered (a typo in the name, a new phone, the right room): the
    residents table changes, and a record keeps who corrected what from what to what, and why."""
    require(ctx, "manage_residents")
    reason = free_text(reason, 200)
    if not reason:
        raise InvalidInput(_("reason"), "reason_required")
    d = _checked_details(ctx, details)
    now = ctx.now()
    at = now.isoformat(timespec="seconds")
    with ctx.db.write() as conn:
        r = residents_repo.get_resident(conn, resident_id)
        if r is None:
            raise NotFound(_("no_resident", id=resident_id))
        if not r.active:
            raise RuleRefusal(_("moved_out", name=r.name), "moved_out")
        household_id, label = r.household_id, r.household
        if "household" in d:
            hh, _created = residents_repo.get_or_create_household(conn, *d["household"], at)
            household_id, label = hh.id, hh.label
        new = {"household": label, "name": r.name, "phone": r.phone, "id_number": r.id_number, "kind": r.kind}
        new.update({k: v for k, v in d.items() if k != "household"})
        old = {"household": r.household, "name": r.name, "phone": r.phone, "id_number": r.id_number, "kind": r.kind}
        changes = {k: _shown_change(k, old[k], new[k]) for k in CORRECTABLE if old[k] != new[k]}
        if not changes:
            raise RuleRefusal(_("no_change"), "no_change")
        _name_clash(conn, household_id, new["name"], r.id, label)
        _id_clash(conn, new["id_number"], r.id)
        residents_repo.update_resident(conn, r.id, household_id=household_id, name=new["name"],
                                       initials=name_initials(new["name"]), phone=new["phone"],
                                       id_number=new["id_number"], kind=new["kind"], at=at)
        state.record_resident(conn, r.uid, by=ctx.user, origin=ctx.gate.uid, at=now)   # travels (issue 15)
        records.append(conn, "resident_correction", {
            "resident_uid": r.uid, "action": "correct", "household": label, "changes": _changes_json(changes),
            "reason": reason, "recorded_by": ctx.user}, origin=ctx.gate.uid, at=now)
        return residents_repo.get_resident(conn, r.id)


def move_out(ctx: GateContext, resident_id: int, reason: str) -> residents_repo.Resident:
    """The resident left: inactive from now, their valid pass revoked (refused at the gate at
    once), the reason kept on both records."""
    require(ctx, "manage_residents")
    reason = free_text(reason, 200)
    if not reason:
        raise InvalidInput(_("reason"), "reason_required")
    with ctx.db.write() as conn:
        r = residents_repo.get_resident(conn, resident_id)
        if r is None:
            raise NotFound(_("no_resident", id=resident_id))
        if not r.active:
            raise RuleRefusal(_("moved_out", name=r.name), "moved_out")
        _move_out(ctx, conn, r, reason)
        return residents_repo.get_resident(conn, r.id)


@dataclass(frozen=True)
class OfficeRoster:
    """Everyone on the roster, moved-out people too, masked for the role; who holds a valid pass."""
    residents: list[residents_repo.Resident]
    with_valid_pass: frozenset[int]


def office_roster(ctx: GateContext) -> OfficeRoster:
    today = ctx.now().date().isoformat()
    with ctx.db.read() as conn:
        people = residents_repo.list_residents(conn, active_only=False)
        valid = frozenset(r[0] for r in conn.execute(
            "SELECT DISTINCT resident_id FROM passes WHERE status = 'active' AND valid_from <= ? "
            "AND valid_until >= ?", (today, today)))
    return OfficeRoster(_for_role(ctx, people), valid)


@dataclass(frozen=True)
class MemberChange:
    """One record about a member: added, corrected (what from what to what) or a status change."""
    at: str
    name: str                    # the member's name now
    action: str                  # add | correct | normal | quarantine | observation | moved_out
    changes: dict                # field -> [old, new] (phone and ID number masked), for add/correct
    until: str | None
    reason: str | None
    recorded_by: str | None


@dataclass(frozen=True)
class HouseholdView:
    household_id: int
    label: str
    members: list[residents_repo.Resident]           # moved-out members too, masked for the role
    passes: dict[int, list]                          # resident id -> passes_repo.PassRecord, newest last
    passages: list                                   # services.history.HistoryRow, newest first
    changes: list[MemberChange] = field(default_factory=list)    # newest first


def household_view(ctx: GateContext, household_id: int, *, passages: int = 8, changes: int = 20) -> HouseholdView:
    """A household for the office: its members, their passes, who changed what about them and
    why, its last passages (when the role may search the history)."""
    import json

    from checkpoint_app.db import passes_repo
    from checkpoint_app.services import history, permissions

    with ctx.db.read() as conn:
        household = residents_repo.household_by_id(conn, household_id)
        if household is None:
            raise NotFound(_("no_household", id=household_id))
        members = residents_repo.list_residents(conn, household_id=household_id, active_only=False)
        cards = {r.id: passes_repo.for_resident(conn, r.id) for r in members}
        names = {r.uid: r.name for r in members}
        marks = ",".join("?" * len(names))
        rows = conn.execute(
            f"SELECT at, resident_uid, action, changes, NULL, reason, recorded_by FROM resident_corrections "
            f"WHERE resident_uid IN ({marks}) UNION ALL "
            f"SELECT at, resident_uid, status, NULL, until, reason, recorded_by FROM resident_status_changes "
            f"WHERE resident_uid IN ({marks}) ORDER BY at DESC LIMIT ?", (*names, *names, changes)).fetchall()
    history_rows = [MemberChange(at, names[uid], action, json.loads(diff) if diff else {}, until, reason, who)
                    for at, uid, action, diff, until, reason, who in rows]
    recent = history.search_history(ctx, household.label, limit=passages) \
        if permissions.allowed(ctx.role, "search_history") else []
    return HouseholdView(household_id, household.label, _for_role(ctx, members), cards, recent, history_rows)
