"""A record's fields and values in words, for the people who read them: the records page (services/
records_browser.py) and the statistics workbook (services/statistics.py) never show a code such
as ``correct``, ``quarantine`` or ``temp_tenths``.

Every field of every kind in the registry (domain/record_kinds.py) has a name here (a column
header), and its values are one of: codes with words (``CODES``), a yes/no (``FLAGS``), or shown
as they are (free text, names, numbers, dates, times). tests/services/test_record_words.py walks
the registry: a kind added with a field or a code that has no words here fails it.
"""

from __future__ import annotations

from collections.abc import Callable

from checkpoint_app.domain import reasons
from checkpoint_app.i18n import Messages

_ = Messages({
    # the fields, as column headers
    "f.action": ("操作", "action"), "f.active": ("在住", "living here"), "f.agent": ("消毒剂", "agent"),
    "f.aliases": ("别名", "other names"), "f.area": ("区域 / 地区", "area"), "f.arrival": ("到达日期", "arrival"),
    "f.before_day": ("清除此日之前", "purged before"), "f.building": ("楼栋", "building"),
    "f.campaign": ("排查活动", "campaign"), "f.category": ("类别", "category"),
    "f.certificate": ("证书", "certificate"), "f.changes": ("变更内容", "changes"),
    "f.checked_by": ("测温人", "checked by"), "f.checker": ("检查人", "checker"), "f.closed": ("已结案", "closed"),
    "f.concentration": ("浓度", "concentration"), "f.contact": ("接触情况 / 联系方式", "contact"),
    "f.contact_minutes": ("作用时间（分钟）", "contact time (min)"), "f.counts": ("班次计数", "shift counts"),
    "f.days": ("天数", "days"), "f.direction": ("方向", "direction"), "f.disabled": ("已停用", "disabled"),
    "f.done_at": ("完成时间", "done at"), "f.entry_uid": ("进入记录", "entry record"),
    "f.first_temp_at": ("首次测温时间", "first reading at"), "f.first_temp_tenths": ("首次体温", "first reading"),
    "f.from_area": ("来自地区", "from"), "f.from_guard": ("交班人", "handed over by"),
    "f.from_place": ("来自", "from"), "f.gate_uid": ("门岗编号", "gate id"), "f.guard": ("值班员", "guard"),
    "f.health_code": ("健康码", "health code"), "f.high": ("上限", "highest"),
    "f.host_household": ("拜访住户", "visiting"), "f.household": ("房号", "household"),
    "f.id_number": ("身份证号", "ID number"), "f.incident_uid": ("事件", "incident"), "f.key": ("设置项", "setting"),
    "f.key_id": ("签名密钥", "signing key"), "f.kind": ("身份", "kind"), "f.low": ("下限", "lowest"),
    "f.manual": ("手工登记", "entered by hand"), "f.match_hash": ("比对摘要", "match hash"),
    "f.measure": ("措施", "measure"), "f.method": ("方式", "method"), "f.name": ("名称 / 姓名", "name"),
    "f.needs_help": ("需要帮助", "needs help"), "f.new_value": ("新值", "new value"), "f.note": ("备注", "note"),
    "f.notes": ("备注", "notes"), "f.old_value": ("原值", "old value"), "f.open_alerts": ("未结提醒", "open alerts"),
    "f.operator": ("操作人", "operator"), "f.outcome": ("结果", "outcome"), "f.pass_number": ("证号", "pass no."),
    "f.pass_version": ("证版本", "pass version"), "f.payload": ("证内容", "card payload"),
    "f.payload_excerpt": ("扫码内容", "scanned text"), "f.personal_hash": ("个人信息摘要", "personal data hash"),
    "f.phone": ("电话", "phone"), "f.present": ("在家人员", "present"), "f.public_key": ("公钥", "public key"),
    "f.purged": ("清除条数", "purged"), "f.purpose": ("来访事由", "purpose"), "f.reached": ("已联系上", "reached"),
    "f.entity": ("状态类别", "state of"), "f.snapshot": ("原有状态", "row as it stood"),
    "f.supersedes": ("取代的记录", "supersedes"),
    "entity.household": ("户室", "household"), "entity.resident": ("住户", "resident"),
    "entity.pass": ("出入证", "pass"), "entity.user": ("用户", "user"), "entity.setting": ("设置", "setting"),
    "entity.watch": ("关注名单", "watch list"),
    "f.reason": ("原因", "reason"), "f.reasons": ("全部原因", "all reasons"), "f.recorded_by": ("记录人", "recorded by"),
    "f.resident_uid": ("住户编号", "resident id"), "f.role": ("角色", "role"), "f.room": ("房号", "room"),
    "f.rounds_per_day": ("每日次数", "rounds a day"), "f.secret_hash": ("密码摘要", "secret hash"),
    "f.shift_end": ("班次结束", "shift end"), "f.shift_start": ("班次开始", "shift start"), "f.slot": ("时段", "round"),
    "f.status": ("状态", "status"), "f.subject_uid": ("涉及记录", "about record"), "f.symptoms": ("症状", "symptoms"),
    "f.target_uid": ("被更正的记录", "record fixed"), "f.temp_tenths": ("体温", "temperature"),
    "f.to_guard": ("接班人", "taken over by"), "f.travel": ("交通方式", "travel"), "f.under_dosed": ("剂量不足", "under-dosed"),
    "f.unit": ("单元 / 单位", "unit"), "f.until": ("截至", "until"), "f.valid_from": ("有效期自", "valid from"),
    "f.valid_until": ("有效期至", "valid until"), "f.watch_hit": ("关注名单", "on the watch list"),
    "f.uid": ("记录编号", "record id"),
    # codes
    "status.normal": ("恢复正常", "back to normal"), "status.quarantine": ("居家隔离", "home quarantine"),
    "status.observation": ("健康观察", "health observation"), "status.moved_out": ("迁出", "moved out"),
    "kind.owner": ("户主", "owner"), "kind.family": ("家属", "family"), "kind.tenant": ("租户", "tenant"),
    "action.add": ("登记", "added"), "action.correct": ("更正", "corrected"),
    "action.amend": ("更正", "amended"), "action.void": ("作废", "voided"),
    "health_code.green": ("绿码", "green"), "health_code.yellow": ("黄码", "yellow"), "health_code.red": ("红码", "red"),
    "method.spray": ("喷洒", "spray"), "method.wipe": ("擦拭", "wipe"), "method.fog": ("喷雾", "fog"),
    "direction.in": ("进", "in"), "direction.out": ("出", "out"),
    "outcome.allowed": ("放行", "allowed"), "outcome.flagged": ("提示", "flagged"), "outcome.denied": ("拒绝", "denied"),
    "yes": ("是", "yes"), "no": ("否", "no"), "by.auto": ("自动", "automatic"),
})


def _coded(prefix: str) -> Callable[[str], str]:
    return lambda code: _(f"{prefix}.{code}") if f"{prefix}.{code}" in _ else code


def _each(label: Callable[[str], str]) -> Callable[[str], str]:
    """A comma-joined list of codes (a door check's symptoms, a visit's needs) in words."""
    return lambda codes: "、".join(label(c) for c in codes.split(",") if c)


def _role(code: str) -> str:
    from checkpoint_app.services import permissions

    return permissions._(code) if code in permissions.PERMISSIONS else code


def _setting(key: str) -> str:
    from checkpoint_app.settings import SETTINGS

    return SETTINGS[key].label if key in SETTINGS else key


def _measure(code: str) -> str:
    from checkpoint_app.services.returnees import measure_label

    return measure_label(code)


def _symptom(code: str) -> str:
    from checkpoint_app.services.door_rounds import symptom_label

    return symptom_label(code)


def _survey(label: str) -> Callable[[str], str]:
    def words(code: str) -> str:
        from checkpoint_app.services import survey

        return getattr(survey, label)(code)
    return words


#: (kind or "", field) -> the words of its codes; "" is any kind with that field
CODES: dict[tuple[str, str], Callable[[str], str]] = {
    ("", "status"): _coded("status"), ("resident", "kind"): _coded("kind"), ("", "action"): _coded("action"),
    ("", "health_code"): _coded("health_code"), ("", "method"): _coded("method"), ("", "role"): _role,
    ("", "key"): _setting, ("", "measure"): _measure, ("", "symptoms"): _each(_symptom),
    ("survey_visit", "contact"): _survey("contact_label"), ("survey_visit", "needs_help"): _each(_survey("need_label")),
    ("", "direction"): _coded("direction"), ("", "outcome"): _coded("outcome"), ("", "category"): reasons.category,
    ("passage", "reason"): reasons.label, ("visitor_in", "reason"): reasons.label, ("incident", "reason"): reasons.label,
    ("", "reasons"): _each(reasons.label), ("", "recorded_by"): _coded("by"),   # the daily purge's "auto"
    ("baseline", "entity"): _coded("entity"),
}
#: the yes/no fields (stored 0/1)
FLAGS = frozenset({"active", "closed", "disabled", "manual", "reached", "under_dosed", "watch_hit"})
#: moments (ISO, to the millisecond and with the offset) shown to the minute
TIMES = frozenset({"done_at", "first_temp_at", "shift_end", "shift_start"})
#: shown as they are: free text, names, rooms, numbers, dates, ids, hashes (the screens keep the
#: secret ones and the ids out: record_kinds.SECRET_FIELDS, records_browser._HIDDEN)
AS_IS = frozenset({
    "agent", "aliases", "area", "arrival", "before_day", "building", "campaign", "certificate",
    "changes", "checked_by", "checker", "concentration", "contact", "contact_minutes", "counts", "days",
    "entry_uid", "first_temp_tenths", "from_area", "from_guard", "from_place", "gate_uid", "guard",
    "high", "host_household", "household", "id_number", "incident_uid", "key_id", "low", "match_hash", "name",
    "new_value", "note", "notes", "old_value", "open_alerts", "operator", "pass_number",
    "pass_version", "payload", "payload_excerpt", "personal_hash", "phone", "present", "public_key", "purged",
    "purpose", "reason", "recorded_by", "resident_uid", "room", "rounds_per_day", "secret_hash",
    "slot", "snapshot", "subject_uid", "supersedes", "target_uid", "temp_tenths", "to_guard", "travel", "unit", "until", "valid_from",
    "valid_until"})


def field_label(field: str) -> str:
    """A field's name in words (a column header); an unknown field as it is."""
    return _(f"f.{field}") if f"f.{field}" in _ else field


def words_for(kind: str, field: str) -> Callable[[str], str] | None:
    return CODES.get((kind, field)) or CODES.get(("", field))


def value(kind: str, field: str, v: object) -> object:
    """A stored value as a person reads it: a code in words, a flag as yes/no; anything else as it is."""
    if v is None:
        return v
    if field in FLAGS and v in (0, 1):
        return _("yes") if v else _("no")
    words = words_for(kind, field)
    return words(v) if words is not None and isinstance(v, str) else v


def detail(kind: str, field: str, v: object) -> str | None:
    """One field in a record's line of details: a code in words; a yes/no by the field's name when
    yes (a resident's ``active`` and a user's ``disabled`` both ways); None: nothing to show."""
    if field in FLAGS:
        if field in ("active", "disabled"):
            return f"{field_label(field)}：{value(kind, field, v)}"
        return field_label(field) if v else None
    if field in TIMES and isinstance(v, str):
        return v[:16].replace("T", " ")
    return str(value(kind, field, v))
