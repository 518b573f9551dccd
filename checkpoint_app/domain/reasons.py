"""Every reason code the gate gives, and its words, in one table (DESIGN §2).

A code has a short label (a column of a log, a list on screen), optionally a longer one for
an incident of that category (``None``: the short label), and, when the gate says it at a
scan, the full sentence (fields in braces come from the decision's ``details``). An
incident's category is a reason code, ``visitor_`` + a code for visitors, or a clock
warning (``clock_behind``, ``clock_far_ahead``). Read by domain/decision.py (sentences),
the daily logs (labels) and the screens (incident categories).
"""

from __future__ import annotations

from checkpoint_app.i18n import Messages

# code: ((label zh, label en), (incident zh, en) or None, (sentence zh, en) or None)
TABLE: dict[str, tuple[tuple[str, str], tuple[str, str] | None, tuple[str, str] | None]] = {
    "ok": (("", ""), None, ("通行。", "Go ahead.")),
    "fever": (("发热", "fever"), ("住户发热", "resident with fever"),
              ("体温 {temperature} °C，发热，请登记并跟进。",
               "Temperature {temperature} °C: fever. Record it and follow up.")),
    "fever_remeasure": (("发热待复测", "fever, re-measure"), None,
                        ("体温 {temperature} °C，请复测。", "Temperature {temperature} °C: please measure again.")),
    "temperature_implausible": (("体温读数异常", "implausible reading"), None,
                                ("体温 {temperature} °C 不合理，可能是误读，请重新测量。",
                                 "Temperature {temperature} °C is implausible, probably a misread; measure again.")),
    "antipassback": (("重复出入", "anti-passback"), ("重复进出（防回传）", "in or out twice (anti-passback)"),
                     ("上次记录已是“{direction}”，这次又是“{direction}”，请核实（每日 {reset} 重置）。",
                      "Already recorded as {direction} last time, {direction} again now: please check "
                      "(this resets daily at {reset}).")),
    "quota": (("超出外出限额", "over exit quota"), None,
              ("本户 {days} 天内已外出 {count} 次，超过限额 {limit} 次。",
               "This household went out {count} times in {days} days; the limit is {limit}.")),
    "quarantine": (("居家隔离", "home quarantine"), ("隔离人员欲外出", "quarantined resident going out"),
                   ("居家隔离至 {until}，不得外出。", "In home quarantine until {until}: may not go out.")),
    "quarantine_entry": (("隔离人员进入", "quarantined, coming in"), None,
                         ("居家隔离人员（至 {until}）进入，请通知物业。",
                          "Resident in home quarantine (until {until}) coming in: notify the office.")),
    "observation": (("健康观察", "under observation"), None,
                    ("健康观察人员，请留意。", "Resident under health observation: keep an eye.")),
    "expired": (("出入证过期", "pass expired"), None,
                ("出入证已过期（有效期 {valid_from} 至 {valid_until}）。",
                 "Pass out of its dates ({valid_from} to {valid_until}).")),
    "revoked": (("出入证已注销", "pass revoked"), None, ("出入证已作废。", "This pass has been revoked.")),
    "superseded": (("旧版出入证", "superseded pass"), None,
                   ("出入证已被新卡取代，请使用新卡。", "This pass was replaced by a newer card; use the new one.")),
    "forged": (("疑似伪造", "forged?"), ("疑似伪造出入证", "possibly forged pass"),
               ("出入证签名无效，疑似伪造。", "The pass signature is invalid: possibly forged.")),
    "foreign_site": (("外小区出入证", "other site's pass"), None,
                     ("这是其他小区（{site}）的出入证。", "This pass belongs to another compound ({site}).")),
    "unknown_pass": (("未登记的出入证", "unknown pass"), None,
                     ("本门岗没有这张出入证的记录。", "This gate has no record of this pass.")),
    "malformed": (("无法识别", "unreadable"), None, ("无法识别的二维码，请重新扫描。", "Unreadable code; scan again.")),
    "duplicate": (("重复扫描", "scanned twice"), None, ("刚刚已扫描过，已忽略。", "Just scanned; ignored.")),
    "late_return": (("超时返回", "late return"), None,
                    ("外出 {minutes} 分钟，超过 {limit} 分钟限时。",
                     "Out for {minutes} minutes, over the {limit}-minute limit.")),
    "late_return_suspended": (("超时暂停外出", "exits suspended"), ("超时返回后暂停外出", "exits suspended after a late return"),
                              ("本户有人超时返回，暂停外出至 {suspended_until}。",
                               "A member of this household returned late; exits suspended until {suspended_until}.")),
    "resident_inactive": (("住户已注销", "resident removed"), None,
                          ("该住户已注销。", "This resident is no longer registered.")),
    "health_code_red": (("红码", "red code"), ("访客红码", "visitor with a red code"),
                        ("健康码红码，不得进入。", "Red health code: entry refused.")),
    "health_code_yellow": (("黄码", "yellow code"), ("访客黄码", "visitor with a yellow code"),
                           ("健康码黄码，请核实。", "Yellow health code: check before letting in.")),
    "watchlist": (("关注名单", "watch list"), ("访客在关注名单上", "visitor on the watch list"),
                  ("该访客在关注名单上，请核实。", "This visitor is on the watch list: check.")),
    "visitor_fever": (("发热", "fever"), ("访客发热", "visitor with fever"),
                      ("访客体温 {temperature} °C，发热，不得进入。",
                       "Visitor temperature {temperature} °C: fever, entry refused.")),
    "clock_behind": (("时钟早于最新记录", "clock behind the records"),
                     ("时钟早于最新记录（已确认）", "clock behind the newest record (confirmed)"), None),
    "clock_far_ahead": (("时钟远晚于最新记录", "clock far ahead of the records"),
                        ("时钟远晚于最新记录（已确认）", "clock far ahead of the newest record (confirmed)"), None),
    # home quarantine (issue 16): found at a door check or by the survey; follow-up asked for
    "door_fever": (("上门测温发热", "fever at the door"),
                   ("上门测温发热：请联系社区卫生服务中心或送发热门诊", "fever at a door check: call the community "
                    "health centre or take them to the fever clinic"), None),
    "door_symptom": (("上门测温有症状", "symptoms at the door"),
                     ("上门测温有症状：请联系社区卫生服务中心", "symptoms at a door check: call the community "
                      "health centre"), None),
    "needs_help": (("需要帮助", "needs help"), ("入户排查发现需要帮助的住户", "household found needing help"), None),
    # found when other gates' records arrive (issue 15): the gate's decision stands, this is raised
    "cross_gate_antipassback": (("跨门岗重复出入", "in or out twice across gates"),
                                ("跨门岗重复进出（记录到达后发现）", "in or out twice across gates (found on arrival)"),
                                None),
    "cross_gate_quota": (("跨门岗超出外出限额", "over exit quota across gates"),
                         ("跨门岗超出外出限额（记录到达后发现）", "over the exit quota across gates (found on arrival)"),
                         None),
    # two PCs changed the same resident, user or setting without seeing each other's change (issue 15)
    "state_conflict": (("同时修改冲突", "changed in two places"),
                       ("两台电脑同时修改了同一住户、用户或设置，只采用了其中一处（记录到达后发现）",
                        "changed on two PCs at once: only one change was kept (found on arrival)"), None),
}

SENTENCES = Messages({code: sentence for code, (_l, _i, sentence) in TABLE.items() if sentence})
_LABELS = Messages({code: label for code, (label, _i, _s) in TABLE.items()})
_INCIDENTS = Messages({code: incident or label for code, (label, incident, _s) in TABLE.items()})


def label(code: str, lang: str | None = None) -> str:
    """The short label of a reason code; an unknown code as it is."""
    return _LABELS(code, lang=lang) if code in _LABELS else code


def category(code: str, lang: str | None = None) -> str:
    """An incident's category (``fever``, ``visitor_health_code_red``, ``clock_behind``…) in
    words, the same on paper and on screen; an unknown one as it is."""
    for key in (code, code.removeprefix("visitor_")):
        if key in _INCIDENTS:
            return _INCIDENTS(key, lang=lang)
    return code
