"""Every setting of a site, declared once: key, type, default, translatable label, check.

Values are stored in the database (table ``settings``) as text; this module parses and
validates them, so a typo in ``checkpoint settings set`` is refused with one sentence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import time
from typing import Any, Callable

from checkpoint_app.domain.text import shown
from checkpoint_app.domain.rules import GateRules
from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages

_ = Messages({
    "unknown": ("没有名为“{key}”的设置。可用：{keys}", "There is no setting called “{key}”. Known: {keys}"),
    "bad": ("设置 {key} 的值“{value}”无效：{why}", "Setting {key}: “{value}” is not valid: {why}"),
    "int_range": ("应为 {low} 到 {high} 之间的整数", "expected a whole number from {low} to {high}"),
    "choice": ("应为以下之一：{choices}", "expected one of: {choices}"),
    "choice_words": ("{words}（{value}）", "{words} ({value})"),
    "temp_range": ("应为 {low} 到 {high} 之间的体温，如 37.3", "expected a temperature from {low} to {high}, e.g. 37.3"),
    "clock": ("应为 时:分，如 04:00", "expected hours:minutes, e.g. 04:00"),
    "bool": ("应为 true 或 false", "expected true or false"),
    # labels
    "fever_threshold": ("发热阈值（°C）", "Fever threshold (°C)"),
    "antipassback": ("防回传（单向）模式", "Anti-passback mode"),
    "antipassback_reset": ("防回传每日重置时间", "Anti-passback daily reset time"),
    "quota_exits": ("每户外出限额（次，0 为不限）", "Household exit quota (0 = off)"),
    "quota_days": ("外出限额周期（天）", "Quota period (days)"),
    "quota_action": ("超出限额时", "When the quota is exceeded"),
    "outing_limit_minutes": ("外出限时（分钟，0 为不限）", "Outing time limit (minutes, 0 = off)"),
    "late_return_suspends": ("超时返回暂停本户下次外出", "A late return suspends the household's next exit"),
    "duplicate_window_seconds": ("重复扫码忽略时间（秒）", "Ignore repeated scans within (seconds)"),
    "retention_days": ("访客个人信息保留天数", "Days to keep visitors' personal data"),
    "yellow_code_action": ("访客黄码时", "Visitor with a yellow health code"),
    "pass_validity_days": ("出入证有效天数", "Pass validity (days)"),
    "language": ("界面语言", "Language"),
    "backup_dir": ("第二备份文件夹（U 盘，可留空）", "Second backup folder (USB stick; may be empty)"),
    "backup_keep": ("保留最近备份份数", "Recent backups to keep"),
    "idle_lock_minutes": ("无操作自动锁屏（分钟）", "Lock the screen after idle time (minutes)"),
    "folder": ("应为文件夹路径", "expected a folder path"),
    "windows": ("应为 时:分-时:分，多个用逗号分隔，按时间先后，如 08:00-11:00,15:00-18:00",
                "expected HH:MM-HH:MM, several separated by commas in order, e.g. 08:00-11:00,15:00-18:00"),
    "door_round_windows": ("上门测温时段（每段一次）", "Door round windows (one check each)"),
    "door_round_windows_help": ("居家隔离和健康观察人员每天按这些时段上门测温；时段结束仍未测即为漏测。",
                                "People under home quarantine or observation are checked at their door in "
                                "each window; a check not done by the window's end is missed."),
    "hub_url": ("中心库地址（可留空）", "Hub address (may be empty)"),
    "hub_sync_minutes": ("与中心库同步间隔（分钟）", "Sync with the hub every (minutes)"),
    "hub_url_bad": ("应为 postgresql://用户@主机:端口/库名，不含密码（密码另存）",
                    "expected postgresql://user@host:port/database, without the password (it is kept apart)"),
    "hub_url_help": ("填写后本机在后台与中心库同步记录；留空则不同步。",
                     "When set, this PC syncs its records with the hub in the background; empty: no sync."),
    "hub_sync_minutes_help": ("每隔多久推送本机记录并取回其他门岗的记录。",
                              "How often this PC pushes its records and fetches the other gates' records."),
    # one line of help each (the settings page)
    "fever_threshold_help": ("体温达到或超过此值即拦下并记录。", "A temperature at or above this is stopped and recorded."),
    "antipassback_help": ("off 不检查；soft 提示后可放行；hard 同向第二次刷卡被拒。",
                          "off: not checked; soft: warn and allow; hard: a second scan the same way is refused."),
    "antipassback_reset_help": ("每天此时起，进出方向重新开始计算。", "From this time each day, directions start afresh."),
    "quota_exits_help": ("周期内每户最多外出次数；0 为不限。", "Exits per household per period; 0 turns it off."),
    "quota_days_help": ("外出限额按多少天计算一次。", "How many days one quota period lasts."),
    "quota_action_help": ("deny 拒绝外出；flag 放行但标记。", "deny: refuse the exit; flag: allow and mark it."),
    "outing_limit_minutes_help": ("外出超过此时长返回记为超时；0 为不限。", "A return after this long is late; 0 turns it off."),
    "late_return_suspends_help": ("开启后，超时返回的住户下次外出被拒。", "When on, a household that came back late may not go out next time."),
    "duplicate_window_seconds_help": ("同一张证在此秒数内重复扫码只记一次。", "The same card scanned again within this time counts once."),
    "retention_days_help": ("访客姓名、电话等超过此天数后清除。", "Visitors' names and phones are erased after this many days."),
    "yellow_code_action_help": ("flag 放行但标记；deny 拒绝进入。", "flag: allow and mark; deny: refuse entry."),
    "pass_validity_days_help": ("新发出入证从发证日起的有效天数。", "Days a new pass is valid from the day it is issued."),
    "language_help": ("门岗和办公界面使用的语言，重新登录后生效。", "The language of the screens; takes effect at the next sign-on."),
    "backup_dir_help": ("每次备份另存一份到此文件夹，如 U 盘；留空不另存。",
                        "Each backup is also copied here, e.g. a USB stick; empty: no second copy."),
    "backup_keep_help": ("更早的备份自动删除。", "Older backups are deleted automatically."),
    "idle_lock_minutes_help": ("无人操作超过此时长，屏幕锁定，需重新登录。", "After this long without use the screen locks until someone signs on."),
    # units
    "u_celsius": ("°C", "°C"),
    "u_times": ("次", "times"),
    "u_days": ("天", "days"),
    "u_minutes": ("分钟", "min"),
    "u_seconds": ("秒", "s"),
    "u_copies": ("份", "copies"),
})


class _Bad(Exception):
    pass


def _int(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not re.fullmatch(r"\s*\d{1,9}\s*", text):
            raise _Bad(_("int_range", low=low, high=high))
        value = int(text)
        if not low <= value <= high:
            raise _Bad(_("int_range", low=low, high=high))
        return value
    parse.range = (low, high)          # for a screen's spin box
    return parse


#: A choice in words for a screen (the value itself is what ``checkpoint settings set`` takes and
#: ``settings list`` shows; the screen names it in brackets after the words).
_CHOICE_WORDS = Messages({
    "antipassback.off": ("不检查", "not checked"),
    "antipassback.soft": ("提示后可放行", "warn, may pass"),
    "antipassback.hard": ("拒绝", "refuse"),
    "quota_action.deny": ("拒绝外出", "refuse the exit"),
    "quota_action.flag": ("放行但标记", "allow and mark"),
    "yellow_code_action.flag": ("放行但标记", "allow and mark"),
    "yellow_code_action.deny": ("拒绝进入", "refuse entry"),
    "bool.true": ("开启", "on"),
    "bool.false": ("关闭", "off"),
})


def choice_words(key: str, value: str, lang: str | None = None) -> str:
    """"提示后可放行（soft）": a setting's choice in words, with the value the command line takes."""
    words = next((_CHOICE_WORDS(k, lang=lang) for k in (f"{key}.{value}", f"bool.{value}")
                  if k in _CHOICE_WORDS), None)
    if words is None:
        return value
    return _("choice_words", lang=lang, words=words, value=value)


def _choice(*choices: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in choices:
            raise _Bad(_("choice", choices=" | ".join(choices)))
        return value
    parse.choices = choices            # for a screen's combo box
    return parse


def _temperature(text: str) -> int:
    m = re.fullmatch(r"\s*(\d{2})(?:[.,](\d))?\s*", text)
    value = int(m.group(1)) * 10 + int(m.group(2) or 0) if m else -1
    if not 350 <= value <= 400:
        raise _Bad(_("temp_range", low="35.0", high="40.0"))
    return value


def _hub_url(text: str) -> str:
    """A PostgreSQL URL with no password in it (settings travel and are shown; the password is
    kept in the data folder's passfile, exchange/sync.py), or "" for no hub."""
    from urllib.parse import urlsplit

    value = text.strip()
    if not value:
        return ""
    try:
        parts = urlsplit(value)
        ok = (parts.scheme in ("postgresql", "postgres") and bool(parts.hostname) and parts.password is None
              and bool(parts.path.strip("/")) and (parts.port is None or parts.port > 0))
    except ValueError:   # a port that is not a number
        ok = False
    if not ok:
        raise _Bad(_("hub_url_bad"))
    return value


def _clock(text: str) -> str:
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise _Bad(_("clock"))
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("true", "1", "yes", "on", "是"):
        return True
    if value in ("false", "0", "no", "off", "否"):
        return False
    raise _Bad(_("bool"))


_bool.choices = ("true", "false")


def _folder(text: str) -> str:
    value = text.strip()
    if len(value) > 260 or any(unicodedata.category(c)[0] == "C" for c in value):
        raise _Bad(_("folder"))
    return value


def _windows(text: str) -> str:
    """Door round windows: ``08:00-11:00,15:00-18:00`` (1 to 4, in order, not overlapping)."""
    from checkpoint_app.domain.home_quarantine import parse_windows

    try:
        return ",".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in parse_windows(text))
    except ValueError:
        raise _Bad(_("windows")) from None


def _fmt_temperature(value: int) -> str:
    return f"{value // 10}.{value % 10}"


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    parse: Callable[[str], Any]
    show: Callable[[Any], str] = str
    unit: str = ""                   # a key of a unit message ("u_days"), or none

    @property
    def label(self) -> str:
        return _(self.key)

    @property
    def help(self) -> str:
        return _(f"{self.key}_help")

    @property
    def unit_text(self) -> str:
        return _(self.unit) if self.unit else ""

    @property
    def range(self) -> tuple[int, int] | None:
        """The lowest and highest whole number (temperatures in tenths), or None."""
        return (350, 400) if self.parse is _temperature else getattr(self.parse, "range", None)

    @property
    def choices(self) -> tuple[str, ...] | None:
        return getattr(self.parse, "choices", None)


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("fever_threshold", 373, _temperature, _fmt_temperature, "u_celsius"),
    Setting("antipassback", "soft", _choice("off", "soft", "hard")),
    Setting("antipassback_reset", "04:00", _clock),
    Setting("quota_exits", 0, _int(0, 100), unit="u_times"),
    Setting("quota_days", 1, _int(1, 30), unit="u_days"),
    Setting("quota_action", "deny", _choice("deny", "flag")),
    Setting("outing_limit_minutes", 0, _int(0, 7 * 24 * 60), unit="u_minutes"),
    Setting("late_return_suspends", False, _bool, lambda v: "true" if v else "false"),
    Setting("duplicate_window_seconds", 10, _int(0, 3600), unit="u_seconds"),
    Setting("retention_days", 28, _int(1, 3650), unit="u_days"),
    Setting("yellow_code_action", "flag", _choice("flag", "deny")),
    Setting("pass_validity_days", 180, _int(1, 3660), unit="u_days"),
    Setting("language", "zh_CN", _choice("zh_cn", "en")),
    Setting("backup_dir", "", _folder),          # "" = no second folder (a USB stick)
    Setting("backup_keep", 10, _int(1, 100), unit="u_copies"),
    Setting("idle_lock_minutes", 10, _int(1, 120), unit="u_minutes"),
    Setting("door_round_windows", "08:00-11:00,15:00-18:00", _windows),
    Setting("hub_url", "", _hub_url),            # "" = no hub (exchange/sync.py)
    Setting("hub_sync_minutes", 5, _int(1, 1440), unit="u_minutes"),
)}


def parse_setting(key: str, text: str) -> Any:
    """The typed value of ``text`` for ``key``, or InvalidInput naming the problem."""
    setting = SETTINGS.get(key)
    if setting is None:
        raise InvalidInput(_("unknown", key=shown(key, 40), keys=", ".join(SETTINGS)), "unknown_setting")
    try:
        value = setting.parse(str(text))
    except _Bad as why:
        raise InvalidInput(_("bad", key=key, value=shown(text, 40), why=str(why)), "invalid_setting") from None
    if key == "language":
        value = "zh_CN" if value == "zh_cn" else value
    return value


def show_setting(key: str, value: Any) -> str:
    return SETTINGS[key].show(value)


def gate_rules(values: dict[str, Any]) -> GateRules:
    """The rules of the gate from a dict of typed setting values (missing ones default)."""
    v = {k: values.get(k, s.default) for k, s in SETTINGS.items()}
    hh, mm = (int(x) for x in str(v["antipassback_reset"]).split(":"))
    return GateRules(
        fever_threshold=v["fever_threshold"], antipassback=v["antipassback"],
        antipassback_reset=time(hh, mm), quota_exits=v["quota_exits"], quota_days=v["quota_days"],
        quota_action=v["quota_action"], outing_limit_minutes=v["outing_limit_minutes"],
        late_return_suspends=v["late_return_suspends"],
        duplicate_window_seconds=v["duplicate_window_seconds"],
        yellow_code_action=v["yellow_code_action"],
    )
