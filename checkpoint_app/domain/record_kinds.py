"""The kinds of record, declared once (DESIGN §3): every list of kinds is derived from here.

A kind has its table and fields (what is hashed: see db/records.py), its name in words and
the daily log that shows it (``None``: on the summary's count only). The order is the order
records are counted on paper. Adding a kind here is not enough: the table comes with a new
migration step (db/migrations.py); ``tests/db/test_migrations.py`` fails until it does.
"""

from __future__ import annotations

from dataclasses import dataclass

from checkpoint_app.i18n import Messages


@dataclass(frozen=True)
class RecordKind:
    kind: str
    table: str
    fields: tuple[str, ...]
    zh: str
    en: str
    log: str | None = None       # the daily log that lists records of this kind


KINDS: tuple[RecordKind, ...] = (
    RecordKind("passage", "passages", (
        "direction", "pass_number", "pass_version", "resident_uid", "household", "temp_tenths", "outcome",
        "reason", "reasons", "manual", "guard", "payload_excerpt", "first_temp_tenths", "first_temp_at"),
        "出入", "passage", "passages"),
    RecordKind("visitor_in", "visitor_entries", (
        "purpose", "host_household", "from_place", "health_code", "temp_tenths", "outcome", "reason", "reasons",
        "watch_hit", "guard", "personal_hash"), "访客进入", "visitor in", "visitors"),
    RecordKind("visitor_out", "visitor_exits", ("entry_uid", "guard"), "访客离开", "visitor out", "visitors"),
    RecordKind("disinfection", "disinfection_rounds", (
        "area", "agent", "concentration", "contact_minutes", "method", "operator", "checker", "recorded_by",
        "done_at", "under_dosed"),
        "消毒", "disinfection", "disinfection"),
    RecordKind("disinfection_plan", "disinfection_plans", ("area", "rounds_per_day", "recorded_by"),
               "消毒计划", "disinfection plan"),
    RecordKind("incident", "incidents", ("category", "subject_uid", "reason", "note", "recorded_by"),
               "异常事件", "incident", "incidents"),
    RecordKind("incident_followup", "incident_followups", ("incident_uid", "note", "closed", "recorded_by"),
               "事件跟进", "follow-up", "incidents"),
    RecordKind("handover", "handovers", (
        "from_guard", "to_guard", "shift_start", "shift_end", "counts", "open_alerts", "notes"),
        "交接班", "handover", "handovers"),
    RecordKind("pass_issue", "pass_events_issue", (
        "pass_number", "pass_version", "resident_uid", "valid_from", "valid_until", "recorded_by", "key_id",
        "payload"),
        "发放出入证", "pass issued"),
    RecordKind("pass_revoke", "pass_events_revoke", ("pass_number", "pass_version", "reason", "recorded_by"),
               "注销出入证", "pass revoked"),
    RecordKind("resident_status", "resident_status_changes",
               ("resident_uid", "status", "until", "recorded_by", "reason", "supersedes"), "住户状态变更",
               "resident status"),
    RecordKind("amendment", "amendments", ("target_uid", "action", "reason", "changes", "recorded_by"),
               "更正 / 作废", "correction / void"),
    RecordKind("purge", "purges", ("before_day", "purged", "recorded_by"), "个人信息清除", "personal data purge"),
    RecordKind("setting_change", "setting_changes", ("key", "old_value", "new_value", "recorded_by", "supersedes"),
               "设置变更", "setting changed"),
    # Home quarantine (issue 16): the risk areas, returnees, door rounds and the survey.
    RecordKind("risk_area", "risk_areas", ("area", "measure", "days", "recorded_by"), "风险地区", "risk area"),
    RecordKind("returnee", "returnees", (
        "resident_uid", "household", "from_area", "arrival", "travel", "contact", "measure", "until",
        "recorded_by"), "返回人员登记", "returnee"),
    RecordKind("quarantine_end", "quarantine_ends", ("resident_uid", "reason", "recorded_by"),
               "提前解除隔离", "quarantine ended early"),
    RecordKind("door_check", "door_checks", (
        "resident_uid", "household", "slot", "temp_tenths", "symptoms", "reached", "checked_by", "recorded_by"),
        "上门测温", "door check"),
    RecordKind("survey_visit", "survey_visits", (
        "campaign", "household", "contact", "present", "needs_help", "note", "recorded_by"),
        "入户排查", "survey visit"),
    # State that travels (issue 15): a snapshot of a resident's details, of a user, a watch-list entry
    RecordKind("resident", "resident_changes", (
        "resident_uid", "building", "unit", "room", "name", "phone", "id_number", "kind", "active", "recorded_by",
        "supersedes"),
        "住户资料", "resident details"),
    RecordKind("user", "user_changes", ("name", "role", "disabled", "secret_hash", "recorded_by", "supersedes"),
               "用户变更", "user changed"),
    RecordKind("watch", "watchlist_changes", ("match_hash", "note", "recorded_by"), "关注名单", "watch list entry"),
    # a gate joined the site: its public key and the site key's certificate for it (exchange/join.py)
    RecordKind("gate", "gate_changes", ("gate_uid", "name", "public_key", "certificate", "recorded_by"),
               "门岗加入", "gate joined"),
    # The office's additions and corrections of a resident (issue 13): what from what to what, why.
    RecordKind("resident_correction", "resident_corrections",
               ("resident_uid", "action", "household", "changes", "reason", "recorded_by"),
               "住户登记变更", "resident added / corrected"),
    RecordKind("disinfectant", "disinfectants", ("name", "unit", "low", "high", "aliases", "recorded_by"),
               "消毒剂目录", "disinfectant catalogue"),
    # The state a site held before its state travelled as records (sites made before issue 15's
    # state records): one row of a state table as it stood, written once (db/baseline.py).
    RecordKind("baseline", "baselines", ("entity", "key", "snapshot", "recorded_by"), "原有状态", "state baseline"),
)

BY_KIND: dict[str, RecordKind] = {k.kind: k for k in KINDS}

#: Fields no screen, export or print may show: a user's sign-on hash (PINs could be tried against it
#: offline), a card's signed payload (a QR made from it opens the gate), a gate's key and
#: certificate, the watch list's hash of personal data, a baseline's row (it may hold any of these).
#: They travel and are verified, never shown.
SECRET_FIELDS = frozenset({"secret_hash", "payload", "public_key", "certificate", "match_hash", "snapshot"})
#: kind -> (table, fields): what the journal's rows are checked and hashed against
RECORD_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {k.kind: (k.table, k.fields) for k in KINDS}
#: the kinds a daily log shows, with the log that shows each
LOG_OF_KIND: dict[str, str] = {k.kind: k.log for k in KINDS if k.log}

_LABELS = Messages({k.kind: (k.zh, k.en) for k in KINDS})


def label(kind: str, lang: str | None = None) -> str:
    """A kind of record in words ("出入", "访客进入"…); an unknown kind as it is."""
    return _LABELS(kind, lang=lang) if kind in _LABELS else kind


def order(kind: str) -> tuple[int, str]:
    """Sort key: the declared order, unknown kinds last."""
    return (list(BY_KIND).index(kind) if kind in BY_KIND else len(KINDS), kind)
