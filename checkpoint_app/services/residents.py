"""The resident roster: import from Excel/CSV, list, change a resident's status."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from checkpoint_app.domain.text import natural_key, shown
from checkpoint_app.db import records, residents_repo, state
from checkpoint_app.errors import InvalidInput, NotFound, RuleRefusal
from checkpoint_app.i18n import Messages
from checkpoint_app.services.context import GateContext
from checkpoint_app.services.permissions import require
from checkpoint_app.services.roster_file import RosterRow, RowError, read_roster

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
})

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

    @property
    def accepted(self) -> int:
        return self.residents + self.updated + self.unchanged

    def as_json(self) -> dict:
        return {"households": self.households, "residents": self.residents, "updated": self.updated,
                "unchanged": self.unchanged, "dry_run": self.dry_run, "moved_out": self.moved_out,
                "missing": [{"household": h, "name": n} for h, n in self.missing],
                "errors": [{"row": e.row, "message": e.message} for e in self.errors]}


def name_initials(name: str) -> str:
    """Pinyin initials for the gate's search box: 张三丰 → zsf."""
    from pypinyin import Style, lazy_pinyin

    return "".join(p[0] for p in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore") if p).lower()


class _DryRun(Exception):
    pass


def import_roster(ctx: GateContext, path: str | Path, *, dry_run: bool = False, strict: bool = False,
                  mark_missing_moved_out: bool = False) -> ImportReport:
    """Valid rows go in together, in one transaction; rejected rows are reported with their row.

    Active residents the file does not list are reported in ``missing``; with
    ``mark_missing_moved_out`` they are marked moved out (a ``resident_status`` record
    "moved_out") and their valid passes revoked (a ``pass_revoke`` record each). A file with
    rejected rows never moves anybody out: the person may be on a row that was rejected."""
    require(ctx, "import_roster")
    result = read_roster(path, today=ctx.now().date())
    report = ImportReport(errors=list(result.errors), dry_run=dry_run)
    if not result.rows:
        raise (_refusal("nothing", "nothing_imported", result.errors) if result.errors
               else InvalidInput(_("empty"), "nothing_imported"))
    if strict and result.errors:
        raise _refusal("strict", "strict_rejected", result.errors)
    try:
        with ctx.db.write() as conn:
            before = {r.id: r for r in residents_repo.list_residents(conn)}
            seen: set[int] = set()
            for row in result.rows:
                _import_row(ctx, conn, row, report, seen)
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
            if report.accepted == 0:
                raise _refusal("nothing", "nothing_imported", report.errors)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    log.info("roster import %s: %s", Path(path).name, report.as_json() | {"errors": len(report.errors)})
    return report


def _refusal(key: str, code: str, errors: list[RowError]) -> InvalidInput:
    """The refusal, with the rejected rows for the user to correct (``details``)."""
    err = InvalidInput(_(key, n=len(errors)), code)
    err.details = [_("row", row=e.row, message=e.message) for e in errors[:200]]
    return err


def _move_out(ctx: GateContext, conn, resident: residents_repo.Resident) -> None:
    """A resident the roster no longer lists: inactive, with a record, and no valid pass."""
    from checkpoint_app.db import passes_repo

    now = ctx.now()
    conn.execute("UPDATE residents SET active = 0, updated_at = ? WHERE id = ?",
                 (now.isoformat(timespec="seconds"), resident.id))
    state.record_resident(conn, resident.uid, by=ctx.user, origin=ctx.gate.uid, at=now)
    records.append(conn, "resident_status", {"resident_uid": resident.uid, "status": "moved_out",
                                             "until": None, "recorded_by": ctx.user}, origin=ctx.gate.uid, at=now)
    card = passes_repo.active_for_resident(conn, resident.id)
    if card is not None:
        passes_repo.set_status(conn, card.number, card.version, "revoked")
        records.append(conn, "pass_revoke", {"pass_number": card.number, "pass_version": card.version,
                                             "reason": _("moved_out_reason", lang="zh_CN"), "recorded_by": ctx.user},
                       origin=ctx.gate.uid, at=now)


def _import_row(ctx: GateContext, conn, row: RosterRow, report: ImportReport, seen: set[int]) -> None:
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
    else:
        report.updated += 1


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


def set_status(ctx: GateContext, resident_id: int, status: str, until: date | None = None) -> residents_repo.Resident:
    until = _check_status(ctx, status, until)
    now = ctx.now()
    with ctx.db.write() as conn:
        resident = residents_repo.get_resident(conn, resident_id)
        if resident is None:
            raise NotFound(_("no_resident", id=resident_id))
        _record_status(ctx, conn, resident, status, until, now)
        return residents_repo.get_resident(conn, resident.id)


def set_household_status(ctx: GateContext, household_id: int, status: str,
                         until: date | None = None) -> list[residents_repo.Resident]:
    """Every present member of a household at once, in one transaction: all or none."""
    until = _check_status(ctx, status, until)
    now = ctx.now()
    with ctx.db.write() as conn:
        members = residents_repo.list_residents(conn, household_id=household_id)
        if not members:
            raise NotFound(_("no_household", id=household_id))
        for resident in members:
            _record_status(ctx, conn, resident, status, until, now)
        return residents_repo.list_residents(conn, household_id=household_id)


def _check_status(ctx: GateContext, status: str, until: date | None) -> date | None:
    require(ctx, "manage_residents")
    if status not in STATUSES:
        raise InvalidInput(_("status"), "status_invalid")
    if status == "quarantine" and until is None:
        raise RuleRefusal(_("until_needed"), "until_required")
    return None if status == "normal" else until


def _record_status(ctx: GateContext, conn, resident: residents_repo.Resident, status: str,
                   until: date | None, now) -> None:
    residents_repo.set_status(conn, resident.id, status, until, now.isoformat(timespec="seconds"))
    records.append(conn, "resident_status", {"resident_uid": resident.uid, "status": status,
                                             "until": _iso(until), "recorded_by": ctx.user},
                   origin=ctx.gate.uid, at=now)


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
class HouseholdView:
    household_id: int
    label: str
    members: list[residents_repo.Resident]           # moved-out members too, masked for the role
    passes: dict[int, list]                          # resident id -> passes_repo.PassRecord, newest last
    passages: list                                   # services.history.HistoryRow, newest first


def household_view(ctx: GateContext, household_id: int, *, passages: int = 8) -> HouseholdView:
    """A household for the office: its members, their passes, its last passages (when the role
    may search the history)."""
    from checkpoint_app.db import passes_repo
    from checkpoint_app.services import history, permissions

    with ctx.db.read() as conn:
        household = residents_repo.household_by_id(conn, household_id)
        if household is None:
            raise NotFound(_("no_household", id=household_id))
        members = residents_repo.list_residents(conn, household_id=household_id, active_only=False)
        cards = {r.id: passes_repo.for_resident(conn, r.id) for r in members}
    recent = history.search_history(ctx, household.label, limit=passages) \
        if permissions.allowed(ctx.role, "search_history") else []
    return HouseholdView(household_id, household.label, _for_role(ctx, members), cards, recent)
