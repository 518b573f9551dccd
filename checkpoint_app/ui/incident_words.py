"""Incident categories in words, shared by the handover page and the incidents panel."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_LABELS = {
    "fever": QT_TRANSLATE_NOOP("incident_words", "住户发热"),
    "forged": QT_TRANSLATE_NOOP("incident_words", "疑似伪造出入证"),
    "foreign_site": QT_TRANSLATE_NOOP("incident_words", "外小区出入证"),
    "revoked": QT_TRANSLATE_NOOP("incident_words", "已作废的出入证"),
    "superseded": QT_TRANSLATE_NOOP("incident_words", "旧版出入证"),
    "expired": QT_TRANSLATE_NOOP("incident_words", "过期出入证"),
    "unknown_pass": QT_TRANSLATE_NOOP("incident_words", "未知出入证"),
    "quarantine": QT_TRANSLATE_NOOP("incident_words", "隔离人员欲外出"),
    "quarantine_entry": QT_TRANSLATE_NOOP("incident_words", "隔离人员进入"),
    "antipassback": QT_TRANSLATE_NOOP("incident_words", "重复进出（防回传）"),
    "quota": QT_TRANSLATE_NOOP("incident_words", "超出外出限额"),
    "late_return_suspended": QT_TRANSLATE_NOOP("incident_words", "超时返回后暂停外出"),
    "resident_inactive": QT_TRANSLATE_NOOP("incident_words", "已注销住户"),
    "health_code_red": QT_TRANSLATE_NOOP("incident_words", "访客红码"),
    "health_code_yellow": QT_TRANSLATE_NOOP("incident_words", "访客黄码"),
    "visitor_fever": QT_TRANSLATE_NOOP("incident_words", "访客发热"),
    "watchlist": QT_TRANSLATE_NOOP("incident_words", "访客在关注名单上"),
    "clock_behind": QT_TRANSLATE_NOOP("incident_words", "时钟早于最新记录（已确认）"),
    "clock_far_ahead": QT_TRANSLATE_NOOP("incident_words", "时钟远晚于最新记录（已确认）"),
}


def category_text(code: str) -> str:
    """The category of an incident (``fever``, ``visitor_health_code_red``…) as the guard says it."""
    label = _LABELS.get(code) or _LABELS.get(code.removeprefix("visitor_"))
    return QCoreApplication.translate("incident_words", label) if label else code
