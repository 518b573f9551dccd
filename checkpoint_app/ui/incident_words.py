"""Incident categories in words, shared by the handover page and the incidents panel."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("incident_words", text)


def category_text(code: str) -> str:
    """The category of an incident (``fever``, ``visitor_health_code_red``…) as the guard says it."""
    labels = {
        "fever": _t("住户发热"), "forged": _t("疑似伪造出入证"), "foreign_site": _t("外小区出入证"),
        "revoked": _t("已作废的出入证"), "superseded": _t("旧版出入证"), "expired": _t("过期出入证"),
        "unknown_pass": _t("未知出入证"), "quarantine": _t("隔离人员欲外出"),
        "quarantine_entry": _t("隔离人员进入"), "antipassback": _t("重复进出（防回传）"),
        "quota": _t("超出外出限额"), "late_return_suspended": _t("超时返回后暂停外出"),
        "resident_inactive": _t("已注销住户"),
        "health_code_red": _t("访客红码"), "health_code_yellow": _t("访客黄码"),
        "visitor_fever": _t("访客发热"), "watchlist": _t("访客在关注名单上"),
        "clock_behind": _t("时钟早于最新记录（已确认）"), "clock_far_ahead": _t("时钟远晚于最新记录（已确认）"),
    }
    base = code.removeprefix("visitor_")
    return labels.get(code, labels.get(base, code))
