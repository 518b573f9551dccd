"""The documents of home quarantine (issue 16 item 4), on the shared A4 page of the daily logs:
the 14-day monitoring form of a person (居家隔离医学观察登记表), the day's monitoring summary, the
returnee ledger and the survey's progress. Each ends like a daily log: signature lines and the
checkpoint of the gate's day as a QR, the same checkpoint in the document information, so
``checkpoint verify`` checks them as it checks the logs. Unsigned here; the service signs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from checkpoint_app.i18n import Messages
from checkpoint_app.reports.daily_log import AS_OF_INFO_KEY, CHECKPOINT_INFO_KEY, LOG_INFO_KEY
from checkpoint_app.reports.fonts import font_set
from checkpoint_app.reports.page import FRAME_WIDTH, ReportMeta, build_report, closing_block, data_table, para, styles

_ = Messages({
    "title.monitoring_form": ("居家隔离医学观察登记表", "Home quarantine medical observation form"),
    "title.monitoring_summary": ("居家隔离上门测温日汇总", "Door rounds: the day's summary"),
    "title.returnee_ledger": ("返回人员台账", "Returnee ledger"),
    "title.survey_progress": ("入户排查进度", "Door-to-door survey progress"),
    "f.who": ("姓名：{name}　房号：{household}　电话：{phone}", "Name: {name}   Household: {household}   Phone: {phone}"),
    "f.from": ("来自：{area}　到达：{arrival}　交通：{travel}　接触史：{contact}",
               "From: {area}   Arrived: {arrival}   Travel: {travel}   Contact: {contact}"),
    "f.period": ("措施：{measure}　自 {start} 至 {end}（共 {days} 天）", "Measure: {measure} from {start} to {end} ({days} days)"),
    "f.day": ("第几天", "Day"), "f.date": ("日期", "Date"),
    "f.temp": ("{window}\n体温", "{window}\ntemperature"), "f.symptoms": ("症状", "Symptoms"),
    "f.monitor": ("监测人", "Monitor"),
    "f.not_reached": ("未见到", "not reached"), "f.none": ("无", "none"),
    "s.counts": ("{window}：已测 {done} · 未见到 {nr} · 漏测 {missed} · 待测 {due}",
                 "{window}: done {done} · not reached {nr} · missed {missed} · due {due}"),
    "s.household": ("房号", "Household"), "s.name": ("姓名", "Name"), "s.day": ("第几天", "Day"),
    "s.incidents": ("当日开出的随访事件：{n} 件", "Follow-up incidents opened that day: {n}"),
    "l.household": ("房号", "Household"), "l.name": ("姓名", "Name"), "l.from": ("来自", "From"),
    "l.arrival": ("到达", "Arrived"), "l.travel": ("交通", "Travel"), "l.contact": ("接触史", "Contact"),
    "l.measure": ("措施", "Measure"), "l.until": ("截止", "Until"), "l.ended": ("提前解除原因", "Ended early"),
    "v.building": ("楼栋", "Building"), "v.households": ("户数", "Households"), "v.visited": ("入户", "Visited"),
    "v.phoned": ("电话", "Phoned"), "v.not_reached": ("未联系上", "Not reached"), "v.untouched": ("未排查", "Not yet"),
    "v.help": ("需帮助", "Need help"), "v.percent": ("完成 %", "Done %"), "v.estate": ("全小区", "Estate"),
    "v.campaign": ("排查：{name}", "Survey: {name}"),
    "v.needs": ("需要帮助的住户", "Households needing help"),
    "v.need_cols": ("房号|结果|在家人员|需要|备注", "Household|Result|Present|Needs|Note"),
    "empty": ("（无）", "(none)"),
    "sig.monitor": ("监测人", "Monitor"), "sig.manager": ("负责人", "Person in charge"),
})

KINDS = ("monitoring_form", "monitoring_summary", "returnee_ledger", "survey_progress")


def title(kind: str) -> str:
    return _(f"title.{kind}")


@dataclass(frozen=True)
class Closing:
    """The checkpoint of the gate's day the document ends with."""
    text: str
    caption: list[str]
    as_of: datetime | None


@dataclass(frozen=True)
class DocumentData:
    kind: str
    site_name: str
    site_code: str
    gate_name: str
    day: date
    header: list[str] = field(default_factory=list)          # lines under the title
    tables: list[tuple[str, list[str], list[list], list[float]]] = field(default_factory=list)
    # (heading, column names, rows, widths as fractions of the frame)


def render_document(data: DocumentData, closing: Closing, out: Path, *, generated_by: str,
                    generated_at: datetime) -> Path:
    font_set()
    st = styles()
    doc_title = title(data.kind)
    meta = ReportMeta(
        site_name=data.site_name, gate_name=data.gate_name, day=data.day, title=doc_title,
        generated_by=generated_by, generated_at=generated_at,
        subject=f"{data.site_name} {data.day.isoformat()} {doc_title}",
        keywords=("Checkpoint", data.site_code, data.day.isoformat(), data.kind),
        custom_info={CHECKPOINT_INFO_KEY: closing.text, LOG_INFO_KEY: data.kind,
                     **({} if closing.as_of is None else {AS_OF_INFO_KEY: closing.as_of.isoformat(timespec="seconds")})},
        as_of=closing.as_of)
    story: list[Flowable] = [para(line, st.body) for line in data.header]
    for heading, cols, rows, widths in data.tables:
        story.append(Spacer(1, 4 * mm))
        if heading:
            story.append(para(heading, st.heading))
        if rows:
            story.append(data_table(cols, rows, [w * FRAME_WIDTH for w in widths],
                                    wrap=range(len(cols))))
        else:
            story.append(para(_("empty"), st.body))
    story.append(closing_block(closing.text, closing.caption, roles=(_("sig.monitor"), _("sig.manager"))))
    return build_report(Path(out), meta, story)


def words(key: str, **kw) -> str:
    return _(key, **kw)


def split_cols(key: str) -> list[str]:
    return _(key).split("|")

