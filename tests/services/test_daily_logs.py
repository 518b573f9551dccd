"""The signed daily logs through the service, checked with real PDF readers (pypdf,
pdffonts, qpdf, pdftoppm, zxing-cpp), on the day of :mod:`tests.services.printed_day`."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, timedelta

import pytest
from pypdf import PdfReader

from checkpoint_app import i18n
from checkpoint_app.errors import InvalidInput, PermissionDenied
from checkpoint_app.reports.daily_log import LOG_KINDS
from checkpoint_app.services.checkpoints import check_checkpoint
from checkpoint_app.services.daily_logs import daily_report, file_name
from checkpoint_app.services.verification import read_embedded, verify_document
from checkpoint_app.services.gate import record_passage
from tests.core_fixtures import CST, START
from tests.reports.conftest import (assert_fonts_embedded, decode_qr, extract_text, qpdf_check,
                                    render)
from tests.services.printed_day import DAY, LONG_PURPOSE, by_kind, text_of, rows_by_seq, flat
from tests.services.printed_day import printed, chinese  # noqa: F401 (fixtures)


# -- what is written ------------------------------------------------------------------------------

def test_one_signed_pdf_per_log_named_by_day_site_gate_and_kind(printed):
    ctx, files, _facts = printed
    assert [f.name for f in files] == [f"2026-11-20_HXY01_南门_{k}.pdf" for k in LOG_KINDS]
    assert all(f.exists() for f in files)
    assert not list(files[0].parent.glob(".*")), "temporary files left behind"
    for f in files:
        check = verify_document(ctx, f)
        assert check.ok, (f.name, check.problems)
        assert "真实有效" in check.message


def test_real_readers_accept_every_file(printed):
    _ctx, files, _facts = printed
    for f in files:
        qpdf_check(f)
        fonts = assert_fonts_embedded(f)
        assert all(x["sub"] == "yes" for x in fonts), fonts


def test_every_page_names_site_gate_day_title_page_and_who_generated(printed):
    _ctx, files, _facts = printed
    titles = {"summary": "门岗日报汇总", "passages": "出入登记日志", "visitors": "外来人员登记表",
              "disinfection": "消毒台账", "incidents": "异常事件及跟进记录", "handovers": "交接班记录"}
    for kind, f in by_kind(files).items():
        pages = extract_text(f)
        for n, page in enumerate(pages, 1):
            for needed in ("和谐苑小区", "南门", "日期 2026-11-20", titles[kind],
                           f"第 {n} / {len(pages)} 页", "生成于 2026-11-21 08:30", "生成人 李建国"):
                assert needed in page, (kind, n, needed)


def test_last_page_has_signature_lines_and_a_checkpoint_qr_that_matches(printed, tmp_path):
    ctx, files, facts = printed
    for f in files:
        text, kind, _as_of = read_embedded(f)
        assert text == facts["checkpoint_text"] and kind in LOG_KINDS
        n = len(PdfReader(str(f)).pages)
        last = extract_text(f)[-1]
        assert "值班员（签字）" in last and "负责人（签字）" in last and "核验码" in last
        assert decode_qr(render(f, tmp_path, 150, n)[0]) == {text}
    cp = facts["checkpoint"]
    assert check_checkpoint(ctx, facts["checkpoint_text"]).ok
    last = extract_text(files[0])[-1]
    assert f"本门岗当日全部记录 {cp.row_count} 条，记录号 {cp.first_seq}–{cp.last_seq}" in last
    assert cp.chain_head[:8] in last


def test_passages_log_has_every_row_with_name_temperature_and_outcome(printed):
    ctx, files, _facts = printed
    text = text_of(by_kind(files)["passages"])
    rows = ctx.db.conn.execute(
        "SELECT j.origin_seq, p.household, r.name, p.temp_tenths FROM passages p "
        "JOIN journal j ON j.uid = p.uid LEFT JOIN residents r ON r.uid = p.resident_uid "
        "WHERE p.day = ?", (DAY.isoformat(),)).fetchall()
    assert len(rows) == 11
    by_seq = rows_by_seq(text)
    for seq, household, name, _temp in rows:
        assert seq in by_seq, seq
        if name:
            assert name in flat(by_seq[seq]) and household in by_seq[seq], by_seq[seq]
    assert "李𠮷祥" in text and "陈䶮" in text and "阿依古丽·买买提艾力" in flat(text)
    assert "拒绝" in text and "居家隔离" in text and "发热" in text and "疑似伪造" in text
    assert "人工登记" in text and "健康观察" in text


def test_corrections_are_shown_void_rows_kept_and_amended_values_marked(printed):
    _ctx, files, facts = printed
    text = text_of(by_kind(files)["passages"])
    rows = rows_by_seq(text)
    seq_of = lambda uid: _ctx.db.conn.execute(  # noqa: E731
        "SELECT origin_seq FROM journal WHERE uid = ?", (uid,)).fetchone()[0]
    assert "36.7*" in rows[seq_of(facts["zhang_out"].passage_id)]  # the amended value, marked
    assert "作废" in rows[seq_of(facts["chen_in"].passage_id)]  # kept, labelled
    assert "更正与作废记录" in text and "录入错误" in text and "体温改为 36.7" in text
    assert "扫错卡，实际未进入" in text
    disinfection_text = text_of(by_kind(files)["disinfection"])
    assert "周主管*" in disinfection_text and "核查人登记错误" in disinfection_text


def test_visitors_are_masked_and_long_purposes_wrap(printed):
    _ctx, files, _facts = printed
    text = text_of(by_kind(files)["visitors"])
    for name in ("孙悟空", "猪八戒", "沙悟净"):
        assert name in text
    assert "138****8000" in text and "110***********002X" in text
    assert "13800138000" not in text and "11010519491231002X" not in text
    assert "1101" not in text.replace("110***", "")  # nothing of the middle digits
    assert flat(LONG_PURPOSE) in flat(text)  # wrapped over several lines, nothing lost
    assert "红码" in text and "未离开" in text


def test_disinfection_ledger_compares_plan_and_rounds(printed):
    _ctx, files, _facts = printed
    text = text_of(by_kind(files)["disinfection"])
    assert "计划 6 次，完成 3 次，缺 3 次" in text
    lines = text.splitlines()
    assert any(ln.startswith("电梯轿厢 3 1 2 缺 2 次") for ln in lines), text
    assert any(ln.startswith("1号楼大堂 2 2 0 已完成") for ln in lines), text
    assert "84消毒液" in text and "75%酒精" in text and "喷洒" in text and "擦拭" in text


def test_incidents_with_their_follow_up(printed):
    _ctx, files, _facts = printed
    text = text_of(by_kind(files)["incidents"])
    for needed in ("发热", "隔离人员欲外出", "疑似伪造", "访客红码", "已闭环", "待跟进", "3-2-501 李四",
                   "访客 猪八戒"):
        assert needed in text, needed
    assert "已通知社区医生上门复测" in flat(text)


def test_handovers_log(printed):
    _ctx, files, _facts = printed
    text = text_of(by_kind(files)["handovers"])
    assert "李建国 → 王海波" in text and "测温枪电量低" in flat(text)
    assert "发热 1" in text


def test_summary_counts_and_end_of_day_lists(printed):
    _ctx, files, facts = printed
    text = text_of(by_kind(files)["summary"])
    lines = text.splitlines()
    assert "出入人次（出 / 进）\n6 / 2" in text, text  # 陈䶮's "in" is void
    assert "涉及住户（通行 / 仅被拒）\n4 / 1 户" in text  # 王五 (quarantine) only refused
    assert "拒绝通行\n2" in text
    # still out at the end of the day: 李𠮷祥, 赵六, 李四 (went out with a fever), and 陈䶮
    # whose coming back in was voided
    out_section = text.split("二、日终仍在外的住户")[1].split("三、")[0]
    for name in ("李𠮷祥", "赵六", "陈䶮"):
        assert name in out_section, name
    assert "张三" not in out_section and "阿依古丽" not in out_section
    assert "沙悟净" in text.split("五、尚未离开的访客")[1].split("六、")[0]
    assert "电梯轿厢" in text.split("四、消毒计划未完成的区域")[1].split("五、")[0]
    total = next(ln for ln in lines if ln.startswith("合计 "))
    assert total == f"合计 {facts['checkpoint'].row_count}"


def test_empty_day_says_so_and_is_still_verifiable(site, tmp_path):
    site.clock.set(datetime(2026, 11, 22, 9, 0, tzinfo=CST))
    files = daily_report(site.ctx, date(2026, 11, 21), tmp_path)
    texts = {k: text_of(f) for k, f in by_kind(files).items()}
    assert "本日没有出入记录。" in texts["passages"]
    assert "本日没有外来人员登记。" in texts["visitors"]
    assert "本日没有消毒记录。" in texts["disinfection"]
    assert "本日没有异常事件。" in texts["incidents"]
    assert "本日没有交接班记录。" in texts["handovers"]
    assert "本门岗当日没有记录" in texts["summary"]
    assert "记录号" not in texts["passages"]  # no empty table
    for f in files:
        assert verify_document(site.ctx, f).ok


def test_today_is_cut_at_the_time_of_printing_and_future_days_refused(gate, tmp_path):
    record_passage(gate.ctx, gate.cards["张三"], temperature="365", direction="out")
    gate.clock.advance(minutes=30)
    files = daily_report(gate.ctx, START.date(), tmp_path, kinds=("summary",))
    text = text_of(files[0])
    assert "截至 2026-11-20 09:30" in text and "张三" in text
    with pytest.raises(InvalidInput):
        daily_report(gate.ctx, START.date() + timedelta(days=1), tmp_path)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_day_before_the_gate_or_the_site_existed_is_refused_in_one_sentence(site, tmp_path, lang):
    """The site (and its gate) was set up on 2026-11-20 at 09:00: the logs of the 19th would be empty
    and yet verify as authentic. Refused by the service (the CLI, the logs page and the upkeep call
    it), in the user's language; the day it was set up is printed."""
    from checkpoint_app.services.daily_logs import compound_logs, file_day_apart, first_day

    site.clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=CST))
    before = i18n.language()
    i18n.set_language(lang)
    try:
        for make, code in ((daily_report, "before_gate"), (compound_logs, "before_site")):
            with pytest.raises(InvalidInput) as refused:
                make(site.ctx, date(2026, 11, 19), tmp_path / code)
            assert refused.value.code == code
            said = str(refused.value)
            assert "2026-11-19" in said and "2026-11-20" in said and said.count("\n") == 0
            assert ("还没有" in said) == (lang == "zh_CN") and ("did not exist" in said or "not set up" in said) == (
                lang == "en"), said
            assert not (tmp_path / code).exists()
        with pytest.raises(InvalidInput) as refused:      # the logs page's way: no child process for it
            file_day_apart(site.ctx, date(2026, 11, 19))
        assert refused.value.code == "before_gate"
    finally:
        i18n.set_language(before)
    assert first_day(site.ctx) == first_day(site.ctx, compound=True) == date(2026, 11, 20)
    assert daily_report(site.ctx, date(2026, 11, 20), tmp_path / "first", kinds=("summary",))


def test_a_mid_day_summary_claims_no_end_of_day_facts_and_counts_say_what_they_count(gate, tmp_path):
    """Issue 11 finding 8: printed at 09:10 the summary speaks of who is out *at 09:10*, not
    of "日终"; three households came to the gate, one of them only refused."""
    for name in ("张三", "赵六", "王五"):  # 王五 is in home quarantine: refused going out
        record_passage(gate.ctx, gate.cards[name], temperature="365", direction="out")
    gate.clock.advance(minutes=10)
    files = by_kind(daily_report(gate.ctx, START.date(), tmp_path, kinds=("summary", "passages")))
    text = text_of(files["summary"])
    assert "日终" not in text, text
    assert "截至 09:10 仍在外\n2 人" in text and "截至 09:10 未离开访客" in text
    assert "二、仍在外的住户（截至 2026-11-20 09:10，当日未结束）" in text
    assert "涉及住户（通行 / 仅被拒）\n2 / 1 户" in text
    assert "通行涉及2户，另有1户仅被拒" in flat(text_of(files["passages"]))
    # the end-of-day log of the same day still says "日终"
    gate.clock.set(datetime(2026, 11, 21, 8, 0, tzinfo=CST))
    text = text_of(daily_report(gate.ctx, START.date(), tmp_path / "eod", kinds=("summary",))[0])
    assert "日终仍在外\n2 人" in text and "截至 09:10" not in text


def test_visitors_and_residents_still_inside_or_out_carry_over_past_midnight(gate, tmp_path):
    """Issue 11 finding 8: a visitor who came in at 23:53 and a resident who went out at 23:50
    are in the next day's logs, dated; a log made at 00:01 claims nothing of the day's end."""
    from checkpoint_app.services.visitors import visitor_in

    gate.clock.set(datetime(2026, 11, 20, 23, 50, tzinfo=CST))
    record_passage(gate.ctx, gate.cards["张三"], temperature="365", direction="out")
    gate.clock.advance(minutes=3)
    visitor_in(gate.ctx, name="孙七", phone="13800138000", id_number="11010519491231002X",
               purpose="探望父母", host="3-2-502", from_place="本市朝阳区", health_code="green",
               temperature="365")
    gate.clock.set(datetime(2026, 11, 21, 0, 1, tzinfo=CST))
    files = by_kind(daily_report(gate.ctx, date(2026, 11, 21), tmp_path))
    visitors = text_of(files["visitors"])
    assert flat("前日进入、截至 2026-11-21 00:01 仍未离开的访客 1 人") in flat(visitors)
    assert "孙七" in visitors and "11-20 23:53" in visitors
    summary = text_of(files["summary"])
    assert "日终" not in summary and "截至 00:01 仍在外\n1 人" in summary
    assert "11-20 23:50" in summary.split("二、")[1] and "11-20 23:53" in summary.split("五、")[1]


def test_a_log_made_early_in_the_day_counts_rounds_still_due_not_missed(gate, tmp_path):
    """Issue 11 finding 8: a log made at 00:01 spoke of "缺 12" rounds for a day one minute old."""
    from checkpoint_app.services.disinfection import record_round, set_plan

    set_plan(gate.ctx, "1号楼大堂", 3)
    set_plan(gate.ctx, "电梯轿厢", 2)
    gate.clock.set(datetime(2026, 11, 21, 0, 1, tzinfo=CST))
    record_round(gate.ctx, area="电梯轿厢", agent="84消毒液", concentration="500", contact_minutes=30,
                 method="spray", operator="赵保洁")
    files = by_kind(daily_report(gate.ctx, date(2026, 11, 21), tmp_path, kinds=("summary", "disinfection")))
    ledger, summary = text_of(files["disinfection"]), text_of(files["summary"])
    for text in (ledger, summary):
        assert not re.search(r"缺 ?\d", text), text
    assert flat("截至 00:01：计划 5 次，已完成 1 次，尚余 4 次") in flat(ledger)
    assert any(ln.startswith("1号楼大堂 3 0 3 尚余 3 次") for ln in ledger.splitlines()), ledger
    assert "四、消毒计划尚未完成的区域（截至 00:01）" in summary
    assert "全部记录" not in ledger and flat("截至 00:01 本门岗当日记录 1 条") in flat(ledger)
    # the end-of-day log of that day counts the misses
    gate.clock.set(datetime(2026, 11, 22, 8, 0, tzinfo=CST))
    text = text_of(daily_report(gate.ctx, date(2026, 11, 21), tmp_path / "eod", kinds=("disinfection",))[0])
    assert flat("计划 5 次，完成 1 次，缺 4 次") in flat(text) and "1号楼大堂 3 0 3 缺 3 次" in text


def test_roles(gate, tmp_path):
    gate.ctx.role = "guard"
    with pytest.raises(PermissionDenied):
        daily_report(gate.ctx, START.date(), tmp_path)
    gate.ctx.role = "auditor"
    assert len(daily_report(gate.ctx, START.date(), tmp_path)) == 6


def test_english(gate, tmp_path):
    i18n.set_language("en")
    record_passage(gate.ctx, gate.cards["张三"], temperature="365", direction="out")
    files = daily_report(gate.ctx, START.date(), tmp_path, kinds=("passages",))
    text = text_of(files[0])
    assert "Passage log" in text and "Page 1 / 1" in text and "张三" in text
    assert "allowed" in text and "Outcome" in text
    assert verify_document(gate.ctx, files[0]).ok


def test_runs_off_the_calling_thread_while_the_gate_records(gate, tmp_path):
    """The GUI prints from a worker thread; the gate keeps recording on its own connection."""
    for _ in range(20):
        record_passage(gate.ctx, gate.cards["张三"], temperature="365")
        gate.clock.advance(minutes=1)
    result = {}

    def work():
        try:
            result["files"] = daily_report(gate.ctx, START.date(), tmp_path)
        except BaseException as exc:  # pragma: no cover - reported below
            result["error"] = exc

    worker = threading.Thread(target=work)
    worker.start()
    for _ in range(10):
        record_passage(gate.ctx, gate.cards["李四"], temperature="365")
        gate.clock.advance(minutes=1)
    worker.join(60)
    assert "error" not in result, result.get("error")
    assert len(result["files"]) == 6
    # printed from one snapshot: its checkpoint was right when printed; the day went on since
    check = verify_document(gate.ctx, result["files"][1])
    # How many of the ten came after the snapshot depends on the threads' timing (none if the
    # worker started late); whatever it is, the only difference may be records added later.
    if not check.ok:
        assert check.codes == ("checkpoint_mismatch",)
        assert check.problems[0].detail == "later_records" and re.search(r"(10|[1-9]) 条", check.message)


def test_a_folder_that_cannot_be_written_is_a_storage_problem(gate, tmp_path):
    from checkpoint_app.errors import StorageError

    blocker = tmp_path / "usb"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(StorageError) as err:
        daily_report(gate.ctx, DAY, blocker / "logs")
    assert err.value.code == "cannot_write"


def test_file_names_are_safe_on_windows():
    assert file_name(DAY, "HXY01", "南门", "passages") == "2026-11-20_HXY01_南门_passages.pdf"
    assert file_name(DAY, "HXY01", '东门/2号岗 "新"', "summary") == \
        "2026-11-20_HXY01_东门_2号岗__新_summary.pdf"
    assert file_name(DAY, "HXY01", "...", "summary") == "2026-11-20_HXY01_gate_summary.pdf"
