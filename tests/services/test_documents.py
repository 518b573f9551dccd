"""The signed daily logs and ``verify`` through the service, checked with real PDF readers.

One day at a gate with every kind of record (refusals, a fever, a forged card, visitors,
disinfection against a plan, a follow-up, a handover, a correction and a void, rare names)
is printed once per module; the tests read the PDFs with pypdf, pdffonts, qpdf, pdftoppm and
zxing-cpp, then attack them (a flipped byte, appended bytes, an edited database row...).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from checkpoint_app import i18n, paths
from checkpoint_app.db import records
from checkpoint_app.errors import InvalidInput, PermissionDenied
from checkpoint_app.reports.daily_log import LOG_KINDS
from checkpoint_app.services import (amendments, disinfection, handover, passes, residents,
                                     visitors)
from checkpoint_app.services.checkpoints import check_checkpoint, make_checkpoint
from checkpoint_app.services.documents import (DocumentCheck, daily_report, file_name,
                                               print_pass_cards, read_embedded, verify_document)
from checkpoint_app.services.gate import record_manual_passage, record_passage
from tests.core_fixtures import CST, START
from tests.reports.conftest import (assert_fonts_embedded, decode_qr, extract_text, qpdf_check,
                                    render)

DAY = START.date()  # 2026-11-20
EXTRA_ROSTER = """楼栋,单元,房号,姓名,电话,身份证号,类型,状态,隔离至
6,1,201,陈䶮,13312345678,,户主,正常,
6,1,201,阿依古丽·买买提艾力,13412345678,,家属,正常,
"""
LONG_PURPOSE = "为 3-2-501 住户上门更换厨房燃气管道并检查热水器排烟管，预计两小时"
VISITOR = dict(name="孙悟空", phone="13800138000", id_number="11010519491231002X",
               purpose=LONG_PURPOSE, host="3-2-501", from_place="本市朝阳区", health_code="green")


def build_day(g, tmp_path: Path) -> dict:
    """Fill the ``gate`` fixture with one day (START's) of every kind of record; return what
    the tests look for."""
    ctx, clock = g.ctx, g.clock
    roster = tmp_path / "extra.csv"
    roster.write_text(EXTRA_ROSTER, encoding="utf-8")
    residents.import_roster(ctx, roster)
    for p in passes.issue_passes(ctx, household="6-1-201"):
        g.cards[p.name] = p.payload
    for area, per_day in (("1号楼大堂", 2), ("电梯轿厢", 3), ("垃圾站", 1)):
        disinfection.set_area(ctx, area, per_day)
    ctx.user = "李建国"
    step = lambda minutes=7: clock.advance(minutes=minutes)  # noqa: E731
    out = {}
    out["zhang_out"] = record_passage(ctx, g.cards["张三"], temperature="365", direction="out")
    step()
    record_passage(ctx, g.cards["张三"], temperature="366", direction="in")
    step()
    record_passage(ctx, g.cards["王五"], temperature="364", direction="out")        # quarantine
    step()
    out["fever"] = record_passage(ctx, g.cards["李四"], temperature="380")          # fever
    step()
    record_manual_passage(ctx, g.ids["赵六"], temperature="36.8", direction="out")  # observation
    step()
    v = visitors.visitor_in(ctx, temperature="36.6", **VISITOR)
    step()
    visitors.visitor_in(ctx, temperature="36.4", **{**VISITOR, "name": "猪八戒", "phone": "13900139000",
                                                   "id_number": "110105198005060125",
                                                   "health_code": "red", "purpose": "送快递"})
    step()
    visitors.visitor_in(ctx, temperature="36.5", **{**VISITOR, "name": "沙悟净", "phone": "13700137000",
                                                   "id_number": "110105198005060133",
                                                   "purpose": "探望父母"})  # stays inside
    step()
    visitors.visitor_out(ctx, v.visitor_id)
    step()
    ctx.user = "物业管理员"
    r1 = disinfection.record_round(ctx, area="1号楼大堂", agent="84消毒液", concentration="500",
                                   contact_minutes="30", method="spray", operator="赵保洁",
                                   checker="孙主管")
    step()
    disinfection.record_round(ctx, area="1号楼大堂", agent="含氯消毒剂", concentration="1000",
                              contact_minutes="30", method="wipe", operator="钱保洁")
    step()
    disinfection.record_round(ctx, area="电梯轿厢", agent="75%酒精", concentration="750",
                              contact_minutes="10", method="wipe", operator="赵保洁")
    step()
    ctx.user = "李建国"
    forged = passes.passcode.encode_pass(ctx.site.code, 4242, 1, 1, passes.passcode.generate_keypair()[0])
    record_passage(ctx, forged, temperature="365")                                 # forged
    step()
    out["rare_out"] = record_passage(ctx, g.cards["李𠮷祥"], temperature="364", direction="out")
    step()
    record_passage(ctx, g.cards["陈䶮"], temperature="365", direction="out")
    step(30)
    out["chen_in"] = record_passage(ctx, g.cards["陈䶮"], temperature="365", direction="in")
    step()
    record_passage(ctx, g.cards["阿依古丽·买买提艾力"], temperature="363", direction="out")
    step()
    record_passage(ctx, g.cards["阿依古丽·买买提艾力"], temperature="363", direction="in")
    step()
    ctx.user = "物业管理员"
    amendments.amend_record(ctx, out["zhang_out"].passage_id, {"temp_tenths": "36.7"}, "录入错误")
    step()
    amendments.void_record(ctx, out["chen_in"].passage_id, "扫错卡，实际未进入")
    step()
    amendments.amend_record(ctx, r1, {"checker": "周主管"}, "核查人登记错误")
    step()
    fever_incident = ctx.db.conn.execute(
        "SELECT uid FROM incidents WHERE subject_uid = ?", (out["fever"].passage_id,)).fetchone()[0]
    with ctx.db.write() as conn:  # no service writes follow-ups yet: the record kind exists
        records.append(conn, "incident_followup", {"incident_uid": fever_incident,
                                                   "note": "已通知社区医生上门复测，体温正常",
                                                   "closed": 1, "recorded_by": "孙主管"},
                       origin=ctx.gate.uid, at=clock())
    step()
    ctx.user = "李建国"
    handover.hand_over(ctx, from_guard="李建国", to_guard="王海波", notes="测温枪电量低，已更换电池")
    ctx.user = "李建国"
    clock.set(datetime(2026, 11, 21, 8, 30, tzinfo=CST))  # printed the next morning
    out["visitor"] = v
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory, _site_template):
    """The day built once and printed once for the module: (data dir, files, facts)."""
    from tests.core_fixtures import FakeClock, ROSTER_CSV
    from checkpoint_app.services.context import open_gate

    tmp = tmp_path_factory.mktemp("documents")
    data = tmp / "data"
    data.mkdir()
    shutil.copy(paths.db_path(_site_template), paths.db_path(data))
    clock = FakeClock()
    ctx = open_gate(data, clock=clock).acting_as(None, "operator")
    before = i18n.language()
    i18n.set_language("zh_CN")
    try:
        roster = tmp / "roster.csv"
        roster.write_text(ROSTER_CSV, encoding="utf-8")
        residents.import_roster(ctx, roster)

        class G:
            pass
        g = G()
        g.ctx, g.clock = ctx, clock
        g.cards = {p.name: p.payload for p in passes.issue_passes(ctx, all_residents=True)}
        g.ids = {r.name: r.id for r in residents.list_residents(ctx)}
        facts = build_day(g, tmp)
        files = daily_report(ctx, DAY, tmp / "out")
        cp, cp_text = make_checkpoint(ctx, DAY)
        facts.update(checkpoint=cp, checkpoint_text=cp_text, clock=clock)
        yield ctx, files, facts
    finally:
        i18n.set_language(before)
        ctx.close()


@pytest.fixture(autouse=True)
def chinese():
    before = i18n.language()
    i18n.set_language("zh_CN")
    yield
    i18n.set_language(before)


def by_kind(files: list[Path]) -> dict[str, Path]:
    return {f.stem.rsplit("_", 1)[1]: f for f in files}


def text_of(pdf: Path) -> str:
    return "\n".join(extract_text(pdf))


def rows_by_seq(text: str) -> dict[int, str]:
    """Extracted table text cut into rows: record number -> the row's text (a wrapped cell
    spills onto the next lines)."""
    out = {}
    for block in re.split(r"\n(?=\d+ (?:\d\d:\d\d|[^\n]{0,8}\d\d:\d\d))", "\n" + text):
        m = re.match(r"(\d+) ", block)
        if m:
            out[int(m.group(1))] = block
    return out


def flat(text: str) -> str:
    """Extracted text without line breaks and spaces (wrapped cells come back in pieces)."""
    return "".join(text.split())


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
        text, kind = read_embedded(f)
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
    for needed in ("发热", "居家隔离", "疑似伪造", "访客红码", "已闭环", "待跟进", "3-2-501 李四",
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
    assert "涉及住户\n4 户" in text
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


# -- verify: what fails, and why ------------------------------------------------------------------

@pytest.fixture
def copy_of(printed, tmp_path):
    def make(kind: str = "passages") -> Path:
        src = by_kind(printed[1])[kind]
        dst = tmp_path / "elsewhere" / src.name
        dst.parent.mkdir(exist_ok=True)
        shutil.copy(src, dst)
        return dst
    return make


def test_a_copy_elsewhere_is_authentic(printed, copy_of):
    check = verify_document(printed[0], copy_of())
    assert check.ok and check.codes == () and check.log_kind == "passages"
    assert check.checkpoint == printed[2]["checkpoint"]


def _content_offset(data: bytes) -> int:
    """An offset inside the first page's compressed content stream (covered by the signature)."""
    start = data.index(b"stream", data.index(b"/Filter")) + len(b"stream\n")
    return start + 40


def test_one_flipped_byte_fails_as_altered(printed, copy_of):
    f = copy_of()
    data = bytearray(f.read_bytes())
    data[_content_offset(bytes(data))] ^= 0x01
    f.write_bytes(bytes(data))
    check = verify_document(printed[0], f)
    assert not check.ok and check.codes[0] == "altered", check.problems
    assert check.problems[0].label == "altered bytes"


def test_a_flipped_byte_in_the_checkpoint_fails(printed, copy_of):
    f = copy_of()
    data = f.read_bytes()
    text = printed[2]["checkpoint_text"].encode()
    at = data.index(text) + 30
    flipped = data[:at] + (b"B" if data[at:at + 1] != b"B" else b"C") + data[at + 1:]
    f.write_bytes(flipped)
    check = verify_document(printed[0], f)
    assert not check.ok and check.codes[0] == "altered", check.problems


def test_appended_bytes_fail_as_altered(printed, copy_of):
    f = copy_of()
    with open(f, "ab") as out:
        out.write(b"\n% appended after signing\n")
    check = verify_document(printed[0], f)
    assert not check.ok and "altered" in check.codes, check.problems


def _unguarded(ctx) -> sqlite3.Connection:
    """What an attacker does first: a plain connection and no append-only triggers."""
    conn = sqlite3.connect(paths.db_path(ctx.data_dir), isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    return conn


@pytest.fixture
def own_day(gate, tmp_path):
    """A small printed day of its own (these tests edit the database)."""
    ctx, clock = gate.ctx, gate.clock
    ids = []
    for name in ("张三", "李四", "张三", "李四"):
        ids.append(record_passage(ctx, gate.cards[name], temperature="365").passage_id)
        clock.advance(minutes=5)
    clock.set(datetime(2026, 11, 21, 8, 0, tzinfo=CST))
    files = daily_report(ctx, DAY, tmp_path / "out", kinds=("passages",))
    assert verify_document(ctx, files[0]).ok
    return ctx, files[0], ids


def test_an_edited_row_fails_even_with_its_stored_hashes_left_alone(own_day):
    ctx, pdf, ids = own_day
    conn = _unguarded(ctx)
    conn.execute("UPDATE passages SET temp_tenths = 372 WHERE uid = ?", (ids[1],))
    conn.close()
    cp_text, _kind = read_embedded(pdf)
    # the stored chain is untouched, so the checkpoint alone still matches...
    assert check_checkpoint(ctx, cp_text).ok
    # ...but the row no longer matches its hash
    check = verify_document(ctx, pdf)
    assert not check.ok and check.codes == ("checkpoint_mismatch",)
    assert check.problems[0].detail == "records_row_hash"
    seq = ctx.db.conn.execute("SELECT origin_seq FROM journal WHERE uid = ?", (ids[1],)).fetchone()[0]
    assert f"#{seq}" in check.problems[0].message


def test_an_edited_row_with_rehashed_chain_fails_on_the_chain_head(own_day):
    ctx, pdf, ids = own_day
    conn = _unguarded(ctx)
    conn.execute("UPDATE passages SET temp_tenths = 372 WHERE uid = ?", (ids[1],))
    # a careful attacker recomputes the row hash and every chain link after it
    from checkpoint_app.db.schema import RECORD_TABLES
    origin = ctx.gate.uid
    rows = conn.execute("SELECT origin_seq, uid, kind, at, row_hash, chain_hash FROM journal "
                        "WHERE origin = ? ORDER BY origin_seq", (origin,)).fetchall()
    previous = records.GENESIS
    for seq, uid, kind, at, rh, ch in rows:
        table, columns = RECORD_TABLES[kind]
        fields = dict(zip(columns, conn.execute(f"SELECT {', '.join(columns)} FROM {table} "
                                                f"WHERE uid = ?", (uid,)).fetchone(), strict=True))
        rh = records.row_hash(records.canonical_bytes(kind, origin, seq, uid, at, fields))
        ch = records.chain_hash(previous, rh)
        conn.execute("UPDATE journal SET row_hash = ?, chain_hash = ? WHERE origin = ? AND "
                     "origin_seq = ?", (rh, ch, origin, seq))
        previous = ch
    conn.close()
    check = verify_document(ctx, pdf)
    assert not check.ok and check.codes == ("checkpoint_mismatch",)
    assert check.problems[0].detail == "checkpoint_mismatch" and "chain_head" in check.problems[0].message


def test_a_deleted_row_fails(own_day):
    ctx, pdf, ids = own_day
    conn = _unguarded(ctx)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM passages WHERE uid = ?", (ids[2],))
    conn.close()
    check = verify_document(ctx, pdf)
    assert not check.ok and check.codes == ("checkpoint_mismatch",)
    assert check.problems[0].detail == "records_missing_row"


def test_another_sites_pdf_is_an_unknown_site(printed, tmp_path):
    from checkpoint_app.services.site import init_site
    from tests.core_fixtures import FakeClock

    other = init_site(tmp_path / "other", site_code="YGHY", site_name="阳光花园", gate_name="东门",
                      clock=FakeClock(datetime(2026, 11, 21, 8, 0, tzinfo=CST))).acting_as(
                          None, "operator")
    try:
        pdf = daily_report(other, DAY, tmp_path / "out", kinds=("summary",))[0]
    finally:
        other.close()
    check = verify_document(printed[0], pdf)
    assert not check.ok and check.codes == ("unknown_site",), check.problems
    assert "YGHY" in check.message


def test_a_pdf_of_another_installation_with_the_same_site_code_fails(printed, tmp_path):
    from checkpoint_app.services.site import init_site
    from tests.core_fixtures import FakeClock

    twin = init_site(tmp_path / "twin", site_code="HXY01", site_name="和谐苑小区", gate_name="南门",
                     clock=FakeClock(datetime(2026, 11, 21, 8, 0, tzinfo=CST))).acting_as(
                          None, "operator")
    try:
        pdf = daily_report(twin, DAY, tmp_path / "out", kinds=("summary",))[0]
    finally:
        twin.close()
    check = verify_document(printed[0], pdf)
    assert not check.ok and check.codes[0] == "signature", check.problems
    assert check.problems[0].detail == "untrusted"


def test_an_unsigned_pdf_fails_on_its_signature(printed, tmp_path):
    from checkpoint_app.reports.daily_log import render_log
    from checkpoint_app.db import report_repo

    ctx, _files, facts = printed
    with ctx.db.read() as conn:
        data = report_repo.read_day(conn, site_code=ctx.site.code, site_name=ctx.site.name,
                                    gate_id=ctx.gate.uid, gate_name=ctx.gate.name, day=DAY,
                                    cut_off=datetime(2026, 11, 20, 23, 59, tzinfo=CST))
    pdf = render_log("handovers", data, facts["checkpoint"], facts["checkpoint_text"],
                     tmp_path / "unsigned.pdf", generated_by="x", generated_at=datetime.now())
    check = verify_document(ctx, pdf)
    assert not check.ok and check.codes == ("signature",)
    assert check.problems[0].detail == "none"


def test_not_a_pdf_and_missing_files(printed, tmp_path):
    ctx = printed[0]
    junk = tmp_path / "junk.pdf"
    junk.write_text("hello")
    assert verify_document(ctx, junk).codes == ("unreadable",)
    assert verify_document(ctx, tmp_path / "missing.pdf").codes == ("unreadable",)


def test_json_shape(printed, copy_of):
    check: DocumentCheck = verify_document(printed[0], copy_of())
    obj = check.as_json()
    assert obj["authentic"] is True and obj["problems"] == [] and obj["log"] == "passages"
    assert obj["checkpoint"]["rows"] == printed[2]["checkpoint"].row_count


# -- pass cards -----------------------------------------------------------------------------------

def test_pass_cards_are_printed_signed_and_scannable(gate, tmp_path):
    from checkpoint_app.reports.signing import verify_pdf_signature
    from checkpoint_app.db import site_repo

    issued = passes.issue_passes(gate.ctx, household="3-2-501", reissue=True)
    out = print_pass_cards(gate.ctx, issued, tmp_path / "cards.pdf")
    assert out.exists() and not list(tmp_path.glob(".*"))
    ca = site_repo.get_pki(gate.ctx.db.conn)[0]
    assert verify_pdf_signature(out, ca).valid
    assert decode_qr(render(out, tmp_path, 150)[0]) == {p.payload for p in issued}
    text = text_of(out)
    assert "张三" in text and "李四" in text
    check = verify_document(gate.ctx, out)  # signed, but no checkpoint: not a daily log
    assert not check.ok and check.problems[0].detail == "missing"
    with pytest.raises(InvalidInput):
        print_pass_cards(gate.ctx, [], tmp_path / "none.pdf")
