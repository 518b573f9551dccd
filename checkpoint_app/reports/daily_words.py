"""The words of the daily logs: headings, column names, legends, sentences (zh/en).

Kinds of record and reason codes are not here: they have their own tables
(:mod:`checkpoint_app.domain.record_kinds`, :mod:`checkpoint_app.domain.reasons`).
"""

from __future__ import annotations

from checkpoint_app.i18n import Messages

WORDS = Messages({
    # titles
    "title.summary": ("门岗日报汇总", "Daily summary"),
    "title.passages": ("出入登记日志", "Passage log"),
    "title.visitors": ("外来人员登记表", "Visitor register"),
    "title.disinfection": ("消毒台账", "Disinfection ledger"),
    "title.incidents": ("异常事件及跟进记录", "Incidents and follow-up"),
    "title.handovers": ("交接班记录", "Shift handovers"),
    # shared
    "seq": ("记录号", "Rec."),
    "time": ("时间", "Time"),
    "by": ("登记人", "Recorded by"),
    "guard": ("值班员", "Guard"),
    "gate": ("门岗", "Gate"),
    "void": ("作废", "VOID"),
    "none": ("—", "—"),
    "purged": ("已清除", "purged"),
    "legend.amended": (
        "带“*”的数值已更正，原值与更正原因见“更正与作废记录”。",
        "Values marked “*” were corrected; the original value and the reason are listed "
        "under “Corrections and voids”.",
    ),
    "legend.void": (
        "划线并标“作废”的记录已作废，保留备查，不计入统计。",
        "Struck-through rows marked VOID were voided; they stay on file and are not counted.",
    ),
    "corrections": ("更正与作废记录", "Corrections and voids"),
    "corr.target": ("对象", "Record"),
    "corr.action": ("更正内容", "Change"),
    "corr.reason": ("原因", "Reason"),
    "corr.void": ("作废", "voided"),
    "corr.set": ("{field}改为 {value}", "{field} set to {value}"),
    "corr.target_ref": ("{kind} #{seq}", "{kind} #{seq}"),
    "corr.target_day": ("{kind} #{seq}（{day}）", "{kind} #{seq} ({day})"),
    "cp.line_site": ("{site}（{code}）· {gate} · {day}", "{site} ({code}) · {gate} · {day}"),
    "cp.line_rows": (
        "本门岗当日全部记录 {rows} 条，记录号 {first}–{last}",
        "All {rows} records of this gate that day, numbers {first}–{last}",
    ),
    "cp.line_rows_partial": (
        "截至 {time} 本门岗当日记录 {rows} 条，记录号 {first}–{last}",
        "The {rows} records of this gate that day up to {time}, numbers {first}–{last}",
    ),
    "cp.line_empty": ("本门岗当日没有记录", "This gate recorded nothing that day"),
    "cp.line_empty_partial": ("截至 {time} 本门岗当日没有记录", "This gate recorded nothing that day up to {time}"),
    "cp.line_head": ("链头 {head}", "Chain head {head}"),
    "cp.line_prev": ("接续上一日：至 #{seq}，链头 {head}…", "Continues the day before: up to #{seq}, chain head {head}…"),
    "cp.line_log": ("本文件：{title}", "This document: {title}"),
    # passages
    "p.direction": ("方向", "Dir."),
    "p.household": ("户号", "Household"),
    "p.name": ("姓名", "Name"),
    "p.pass": ("出入证", "Pass"),
    "p.temp": ("体温", "Temp."),
    "p.remeasured": ("首测 {first}，{gap}后复测", "first reading {first}, re-measured {gap} later"),
    "p.gap_s": ("{n}秒", "{n} s"),
    "p.gap_min": ("{n}分", "{n} min"),
    "p.outcome": ("结果", "Outcome"),
    "p.reason": ("原因", "Reason"),
    "p.manual": ("人工登记", "manual"),
    "p.unknown_card": ("不明卡", "unknown card"),
    "p.empty": ("本日没有出入记录。", "No passages were recorded on this day."),
    "p.intro": (
        "共 {n} 条出入记录：出 {out} 人次，进 {inn} 人次，拒绝 {denied} 次，提示 {flagged} 次；"
        "通行涉及 {households} 户，另有 {refused} 户仅被拒。体温单位 °C。",
        "Passages: {n} — out {out}, in {inn}, refused {denied}, flagged {flagged}; "
        "households let through {households}, only refused {refused}. Temperatures in °C.",
    ),
    "in": ("进", "in"), "out": ("出", "out"),
    "allowed": ("通行", "allowed"), "flagged": ("提示", "flagged"), "denied": ("拒绝", "refused"),
    # visitors
    "v.times": ("进 / 出", "In / out"),
    "v.name": ("姓名", "Name"),
    "v.contact": ("电话 / 身份证号", "Phone / ID no."),
    "v.purpose": ("事由", "Purpose"),
    "v.from": ("来自", "From"),
    "v.host": ("被访户", "Visiting"),
    "v.code": ("健康码", "Health code"),
    "v.in": ("进 {t}", "in {t}"),
    "v.out": ("出 {t}", "out {t}"),
    "v.still_in": ("未离开", "still in"),
    "green": ("绿码", "green"), "yellow": ("黄码", "yellow"), "red": ("红码", "red"),
    "v.empty": ("本日没有外来人员登记。", "No visitors were registered on this day."),
    "v.empty_carried": ("本日没有新的外来人员登记；前日进入、截至 {cut_off} 仍未离开的访客 {n} 人，见下表。",
                        "No visitors were registered on this day; {n} who came in on an earlier day "
                        "were still inside at {cut_off} (below)."),
    "v.carried": ("前日进入、尚未离开的访客（截至 {cut_off}）",
                  "Visitors who came in on an earlier day, still inside at {cut_off}"),
    "v.intro": (
        "共登记外来人员 {n} 人次：准入 {allowed} 人次，拒绝 {denied} 人次；截至 {cut_off} 仍有 "
        "{inside} 人未离开。电话和身份证号按规定部分隐藏。",
        "Visitors: {n} — let in {allowed}, refused {denied}; still inside at {cut_off}: "
        "{inside}. Phones and ID numbers are partly hidden.",
    ),
    # disinfection
    "d.plan": ("计划与完成情况", "Planned and done"),
    "d.rounds": ("消毒记录", "Rounds"),
    "d.area": ("区域", "Area"),
    "d.planned": ("计划次数", "Planned"),
    "d.done": ("完成次数", "Done"),
    "d.missing": ("未完成", "Missed"),
    "d.status": ("情况", "Status"),
    "d.ok": ("已完成", "done"),
    "d.short": ("缺 {n} 次", "{n} missed"),
    "d.due": ("尚余 {n} 次", "{n} still due"),
    "d.still_due": ("尚余", "Still due"),
    "d.extra": ("计划外 {n} 次", "{n} unplanned"),
    "d.agent": ("消毒剂", "Agent"),
    "d.conc": ("浓度", "Conc."),
    "d.minutes": ("作用 分钟", "Contact min"),
    "d.method": ("方式", "Method"),
    "d.operator": ("操作人", "Operator"),
    "d.checker": ("核查人", "Checker"),
    "spray": ("喷洒", "spray"), "wipe": ("擦拭", "wipe"), "fog": ("喷雾", "fog"),
    "d.under_mark": ("剂量不足", "LOW"),
    "d.late_mark": ("补录", "late"),
    "d.under_note": ("序号 {seq}：浓度 {conc} 低于{agent}要求的 {range}，剂量不足（已如实登记）。",
                     "No. {seq}: {conc} is below the {range} {agent} needs: under-dosed (recorded as entered)."),
    "d.late_note": ("序号 {seq}：{done} 完成，{at} 才登记（补录，登记时间由系统自动记录，不能倒签）。",
                    "No. {seq}: done at {done}, entered at {at} (entered late; the time entered is stamped by "
                    "the system and cannot be dated back)."),
    "d.no_plan": ("没有设置消毒计划。", "No disinfection plan is set."),
    "d.empty": ("本日没有消毒记录。", "No disinfection rounds were recorded on this day."),
    "d.intro_partial": (
        "截至 {time}：计划 {planned} 次，已完成 {done} 次，尚余 {missed} 次（当日未结束，尚余的不计为缺）。"
        "计划为当日有效的消毒计划（每区域每日次数，由管理员设定）。",
        "As of {time}: rounds planned {planned}, done {done}, {missed} still due (the day is not over: "
        "rounds still due are not missed). The plan is the one in force that day (rounds per day per area, "
        "set by a manager).",
    ),
    "d.intro": (
        "计划 {planned} 次，完成 {done} 次，缺 {missed} 次。计划为当日有效的消毒计划（每区域每日次数，由管理员设定）。",
        "Rounds planned {planned}, done {done}, missed {missed}. The plan is the one in force that day "
        "(rounds per day per area, set by a manager).",
    ),
    # incidents
    "i.category": ("类别", "Category"),
    "i.subject": ("对象", "Subject"),
    "i.followup": ("跟进情况", "Follow-up"),
    "i.status": ("状态", "Status"),
    "i.closed": ("已闭环", "closed"),
    "i.open": ("待跟进", "open"),
    "i.no_followup": ("尚无跟进", "none yet"),
    "i.visitor": ("访客 {name}", "visitor {name}"),
    "i.visitor_purged": ("访客（个人信息已清除）", "visitor (personal data purged)"),
    "i.pass": ("出入证 {number}", "pass {number}"),
    "i.card": ("不明卡 {excerpt}", "unknown card {excerpt}"),
    "i.empty": ("本日没有异常事件。", "No incidents on this day."),
    "i.intro": (
        "共 {n} 起异常事件：已闭环 {closed} 起，待跟进 {open} 起。跟进情况截至打印时。",
        "Incidents: {n} — closed {closed}, open {open}. Follow-up as of printing.",
    ),
    # handovers
    "h.who": ("交班 → 接班", "From → to"),
    "h.shift": ("班次", "Shift"),
    "h.counts": ("本班统计", "Shift counts"),
    "h.alerts": ("未结警报", "Open alerts"),
    "h.notes": ("备注", "Notes"),
    "h.count_line": (
        "进 {in} · 出 {out} · 访客 {visitors}\n提示 {flagged} · 拒绝 {denied} · 发热 {fever}",
        "in {in} · out {out} · visitors {visitors}\nflagged {flagged} · refused {denied} · "
        "fever {fever}",
    ),
    "h.no_alerts": ("无", "none"),
    "h.empty": ("本日没有交接班记录。", "No handovers were recorded on this day."),
    "h.intro": ("共 {n} 次交接班。", "Handovers: {n}."),
    # summary
    "s.overview": ("一、当日概况", "1. Overview"),
    "s.out_now": ("二、日终仍在外的住户（截至 {cut_off}）", "2. Residents still out at {cut_off}"),
    "s.out_now_partial": ("二、仍在外的住户（截至 {cut_off}，当日未结束）",
                          "2. Residents out at {cut_off} (the day is not over)"),
    "s.fevers": ("三、发热记录", "3. Fevers"),
    "s.rounds": ("四、消毒计划未完成的区域", "4. Disinfection rounds missed"),
    "s.rounds_partial": ("四、消毒计划尚未完成的区域（截至 {time}）", "4. Disinfection rounds still due (as of {time})"),
    "s.inside": ("五、尚未离开的访客（截至 {cut_off}）", "5. Visitors still inside at {cut_off}"),
    "s.corrections": ("六、更正与作废", "6. Corrections and voids"),
    "s.kinds": ("七、当日记录构成（合计即核验码中的记录条数）",
                "7. The day's records by kind (the total is the checkpoint's row count)"),
    "s.passages": ("出入人次（出 / 进）", "Passages (out / in)"),
    "s.households": ("涉及住户（通行 / 仅被拒）", "Households (let through / only refused)"),
    "s.refused": ("拒绝通行", "Refused"),
    "s.flagged": ("提示（需留意）", "Flagged"),
    "s.fever": ("发热（住户 / 访客）", "Fevers (residents / visitors)"),
    "s.out_end": ("日终仍在外", "Still out at day end"),
    "s.out_partial": ("截至 {time} 仍在外", "Out at {time}"),
    "s.visitors": ("访客（准入 / 拒绝）", "Visitors (in / refused)"),
    "s.visitors_inside": ("日终未离开访客", "Visitors still inside at day end"),
    "s.visitors_inside_partial": ("截至 {time} 未离开访客", "Visitors inside at {time}"),
    "s.rounds_kv": ("消毒（计划 / 完成）", "Rounds (planned / done)"),
    "s.incidents": ("异常事件（待跟进）", "Incidents (open)"),
    "s.handovers": ("交接班", "Handovers"),
    "s.corr_kv": ("更正 / 作废", "Corrections / voids"),
    "s.n_households": ("{n} / {refused} 户", "{n} / {refused}"),
    "s.n_out": ("{n} 人（超时 {overdue}）", "{n} ({overdue} overdue)"),
    "s.n_rounds": ("{planned} / {done}（缺 {missed}）", "{planned} / {done} ({missed} missed)"),
    "s.n_rounds_partial": ("{planned} / {done}（尚余 {missed}）", "{planned} / {done} ({missed} still due)"),
    "s.n_incidents": ("{n}（{open}）", "{n} ({open})"),
    "s.since": ("外出时间", "Out since"),
    "s.away": ("已外出", "Away"),
    "s.overdue": ("超时", "overdue"),
    "s.minutes": ("{h} 小时 {m} 分", "{h} h {m} min"),
    "s.who": ("人员", "Person"),
    "s.resident": ("住户", "resident"),
    "s.visitor": ("访客", "visitor"),
    "s.no_out": ("无。", "None."),
    "s.no_fever": ("当日没有发热记录。", "No fevers on this day."),
    "s.no_missed": ("各区域均按计划完成。", "Every area got its planned rounds."),
    "s.no_inside": ("无。", "None."),
    "s.no_corr": ("当日记录没有更正或作废。", "No record of this day was corrected or voided."),
    "s.kind": ("记录类型", "Kind of record"),
    "s.count": ("条数", "Records"),
    "s.total": ("合计", "Total"),
    "s.note_scope_compound": (
        "本汇总及各日志含本机持有的全部门岗（{gates}）当日登记的记录，每行注明门岗；记录号是各门岗自己的序号。",
        "This summary and the logs hold the records made that day at every gate whose records this PC "
        "holds ({gates}), each row naming its gate; record numbers are each gate's own.",
    ),
    "g.title": ("各门岗当日核验值", "Each gate's checkpoint of the day"),
    "g.intro": ("与各门岗自己打印的当日日志末页核验码对照：条数、序号与链头相同即记录相同。"
                "“可能不全”：本机没有该门岗此后的记录，当日之后登记的记录可能尚未同步到本机。",
                "Compare with the checkpoint on the last page of each gate's own log of the day: the same "
                "count, numbers and chain head mean the same records. “May be short”: this PC holds no "
                "later record of that gate, so records it made later may not have reached this PC."),
    "g.rows": ("当日记录", "Records of the day"),
    "g.range": ("{n} 条 #{first}–#{last}", "{n}, #{first}–#{last}"),
    "g.empty": ("无", "none"),
    "g.head": ("链头", "Chain head"),
    "g.prev": ("前一日止于", "Day before ended at"),
    "g.held": ("本机所持", "Held here"),
    "g.complete": ("完整（本机有此后的记录）", "complete (later records held)"),
    "g.short": ("可能不全：本机最新记录 {newest}", "may be short: newest held {newest}"),
    "g.none_held": ("可能不全：本机没有该门岗的记录", "may be short: no record of this gate held"),
    "s.note_scope": (
        "本汇总及各日志只含本门岗（{gate}）当日登记的记录；“仍在外”按本库已知的全部出入记录计算。",
        "This summary and the logs hold only the records made at this gate ({gate}) that day; "
        "“still out” uses every passage this database knows.",
    ),
    # amendable fields
    "field.temp_tenths": ("体温", "temperature"),
    "field.direction": ("方向", "direction"),
    "field.purpose": ("事由", "purpose"),
    "field.checker": ("核查人", "checker"),
    "field.agent": ("消毒剂", "agent"),
})
