"""The auditor's desk on real files: a week of signed daily logs verified by the site certificate
alone, and each way the folder can fail named (services/audit.py, services/trust.py,
``checkpoint verify``)."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from checkpoint_app import i18n, paths
from checkpoint_app.domain import fingerprint_words
from checkpoint_app.services import audit, passes, residents, trust
from checkpoint_app.services.context import open_gate
from checkpoint_app.services.daily_logs import daily_report
from checkpoint_app.services.gate import record_passage
from tests.core_fixtures import CST, ROSTER_CSV, FakeClock

ROOT = Path(__file__).resolve().parents[2]
FIRST = date(2026, 11, 20)
DAYS = [FIRST + timedelta(days=i) for i in range(7)]
KINDS = ("summary", "passages")


def _copy_db(src_dir: Path, dst_dir: Path) -> Path:
    """A copy of a site's database through SQLite (never plain file I/O on a live file)."""
    dst_dir.mkdir(parents=True)
    src = sqlite3.connect(paths.db_path(src_dir))
    dst = sqlite3.connect(paths.db_path(dst_dir))
    src.backup(dst)
    src.close()
    dst.close()
    return dst_dir


@pytest.fixture(scope="module")
def week(tmp_path_factory, _site_template):
    """Seven days of passages at 和谐苑小区's 南门, the summary and passages logs of each day
    printed on the eighth morning into one folder, and the site's certificate file."""
    tmp = tmp_path_factory.mktemp("week")
    data = _copy_db(_site_template, tmp / "data")
    clock = FakeClock(datetime.combine(FIRST, datetime.min.time(), CST) + timedelta(hours=8))
    ctx = open_gate(data, clock=clock).acting_as(None, "operator")
    before = i18n.language()
    i18n.set_language("zh_CN")
    try:
        roster = tmp / "roster.csv"
        roster.write_text(ROSTER_CSV, encoding="utf-8")
        residents.import_roster(ctx, roster)
        cards = {p.name: p.payload for p in passes.issue_passes(ctx, all_residents=True)}
        for day in DAYS:
            clock.set(datetime.combine(day, datetime.min.time(), CST) + timedelta(hours=9))
            for name, direction in (("张三", "out"), ("张三", "in"), ("李四", "out")):
                record_passage(ctx, cards[name], temperature="365", direction=direction)
                clock.advance(minutes=20)
        clock.set(datetime.combine(DAYS[-1] + timedelta(days=1), datetime.min.time(), CST) + timedelta(hours=7))
        logs = tmp / "logs"
        for day in DAYS:
            daily_report(ctx, day, logs, kinds=KINDS)
        cer = trust.write_certificate(trust.of_site(ctx), tmp / "HXY01.cer")
        yield ctx, logs, cer, tmp
    finally:
        i18n.set_language(before)
        ctx.close()


@pytest.fixture(autouse=True)
def trust_dir(tmp_path, monkeypatch):
    """Each test starts with an empty trust store of its own."""
    folder = tmp_path / "trusted"
    monkeypatch.setenv("CHECKPOINT_TRUST_DIR", str(folder))
    return folder


def _folder(week, tmp_path, name="folder") -> Path:
    folder = tmp_path / name
    shutil.copytree(week[1], folder)
    return folder


def _day_files(folder: Path, day: date) -> list[Path]:
    return sorted(folder.glob(f"{day.isoformat()}_*.pdf"))


def _fresh_env(tmp_path: Path) -> dict:
    """A process with an empty home: no data folder, no trust store, nothing ever set up."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHECKPOINT_", "XDG_"))}
    env.update(HOME=str(home), PYTHONPATH=str(ROOT), LANG="C.UTF-8")
    return env


def _cli(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "checkpoint_app.cli", *map(str, args)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def test_a_week_of_logs_verifies_in_a_fresh_process_with_only_the_site_certificate(week, tmp_path):
    _ctx, logs, cer, _tmp = week
    env = _fresh_env(tmp_path)
    run = _cli(env, "verify", logs, "--trust", cer, "--json")
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(run.stdout)
    assert result["ok"] is True and result["gaps"] == []
    assert len(result["files"]) == 14
    assert {f["day"] for f in result["files"]} == {d.isoformat() for d in DAYS}
    assert all(f["ok"] and f["offline"] and f["signature"] and f["unaltered"] and f["checkpoint_ok"]
               and f["site"] == "和谐苑小区（HXY01）" and f["gate"] == "南门" for f in result["files"])
    assert all(f["checkpoint"]["version"] == 2 for f in result["files"])
    # nothing was set up on this PC: no data folder, no site database anywhere under home
    home = Path(env["HOME"])
    assert not list(home.rglob(paths.DB_FILENAME))

    # registered once (from the file), the folder verifies without --trust, in words too
    run = _cli(env, "trust", "add", cer)
    assert run.returncode == 0, run.stderr
    assert trust.read_file(cer).grouped in run.stdout  # the fingerprint, to compare with the sheet
    assert list(home.rglob("*.cer")), "the trust store lives in the auditor's home"
    run = _cli(env, "verify", logs)
    lines = run.stdout.splitlines()
    assert run.returncode == 0, run.stdout + run.stderr
    assert sum(line.startswith("authentic  ") for line in lines) == 14
    assert "缺口 0 处" in lines[-1] and not list(home.rglob(paths.DB_FILENAME))


def test_a_missing_day_and_a_missing_log_are_named(week, tmp_path):
    _ctx, _logs, cer, _tmp = week
    folder = _folder(week, tmp_path)
    for f in _day_files(folder, DAYS[3]):
        f.unlink()
    next(f for f in _day_files(folder, DAYS[5]) if "passages" in f.name).unlink()
    result = audit.verify_files([folder], certificates=[trust.read_file(cer)])
    assert all(f.ok for f in result.files) and not result.ok
    assert [(g.code, g.day) for g in result.gaps] == [("missing_day", DAYS[3].isoformat()),
                                                      ("missing_log", DAYS[5].isoformat())]
    assert "缺少 2026-11-23 的日志" in result.gaps[0].message and "南门" in result.gaps[0].message
    assert "出入登记日志" in result.gaps[1].message


def test_one_altered_byte_is_named_and_only_that_file_fails(week, tmp_path):
    _ctx, _logs, cer, _tmp = week
    folder = _folder(week, tmp_path)
    target = _day_files(folder, DAYS[2])[0]
    raw = bytearray(target.read_bytes())
    at = raw.index(b"stream", raw.index(b"/Filter")) + 60
    raw[at] ^= 0x01
    target.write_bytes(bytes(raw))
    env = _fresh_env(tmp_path)
    run = _cli(env, "verify", folder, "--trust", cer, "--json")
    assert run.returncode == 1
    result = json.loads(run.stdout)
    bad = [f for f in result["files"] if not f["ok"]]
    assert [Path(f["file"]).name for f in bad] == [target.name]
    assert bad[0]["unaltered"] is False and bad[0]["problems"][0]["code"] == "altered"
    # an altered file proves nothing: its day lacks a genuine log of that kind
    assert [(g["code"], g["day"]) for g in result["gaps"]] == [("missing_log", DAYS[2].isoformat())]
    run = _cli(env, "verify", folder, "--trust", cer)
    line = next(x for x in run.stdout.splitlines() if target.name in x)
    assert line.startswith("NOT authentic") and "未改动 ✗" in line and "签名 ✓" in line


def test_a_log_signed_by_another_site_is_named(week, tmp_path, clock):
    from checkpoint_app.services.site import init_site

    _ctx, _logs, cer, _tmp = week
    clock = FakeClock(datetime(2026, 11, 20, 8, 0, tzinfo=CST))      # set up by the day it prints
    other = init_site(tmp_path / "other", site_code="YGHY", site_name="阳光花园", gate_name="东门",
                      clock=clock).acting_as(None, "operator")
    clock.set(datetime(2026, 11, 21, 8, 0, tzinfo=CST))
    try:
        foreign = daily_report(other, date(2026, 11, 20), tmp_path / "other-logs", kinds=("summary",))[0]
    finally:
        other.close()
    folder = _folder(week, tmp_path)
    shutil.copy(foreign, folder)
    result = audit.verify_files([folder], certificates=[trust.read_file(cer)])
    bad = [f for f in result.files if not f.ok]
    assert [f.path.name for f in bad] == [foreign.name]
    assert bad[0].codes == ("unknown_site",) and bad[0].signature_ok is False
    assert "其他小区（YGHY）签名" in bad[0].message and "和谐苑小区（HXY01）" in bad[0].message
    assert result.gaps == ()  # a stranger's file is no part of this site's series


def test_a_certificate_not_registered_is_named(week, tmp_path):
    _ctx, logs, cer, _tmp = week
    result = audit.verify_files([_day_files(logs, DAYS[0])[0]])
    assert not result.ok
    problem = result.files[0].problems[0]
    assert (problem.code, problem.detail, problem.label) == ("unknown_site", "not_registered",
                                                            "certificate not registered")
    assert "尚未登记" in problem.message and "HXY01" in problem.message
    trust.register(trust.read_file(cer))
    assert audit.verify_files([_day_files(logs, DAYS[0])[0]]).ok


def _reprint(week, tmp_path, day: date, tamper: str) -> Path:
    """The logs of ``day`` printed again from a copy of the database whose history before
    ``day`` was changed with SQL (``tamper``), into a copy of the week's folder."""
    ctx, _logs, _cer, _tmp = week
    data = _copy_db(ctx.data_dir, tmp_path / "tampered")
    conn = sqlite3.connect(paths.db_path(data), isolation_level=None)
    conn.execute("DROP TRIGGER journal_no_update")
    conn.execute("DROP TRIGGER journal_no_delete")
    conn.execute("DROP TRIGGER IF EXISTS passages_no_delete")
    conn.execute(tamper)
    conn.close()
    folder = _folder(week, tmp_path)
    for f in _day_files(folder, day):
        f.unlink()
    printed_at = datetime.combine(DAYS[-1] + timedelta(days=1), datetime.min.time(), CST) + timedelta(hours=7)
    other = open_gate(data, clock=FakeClock(printed_at)).acting_as(None, "operator")
    try:
        daily_report(other, day, folder, kinds=KINDS)
    finally:
        other.close()
    return folder


def _last_of(day: date) -> str:
    return (f"(SELECT max(origin_seq) FROM journal WHERE at >= '{day.isoformat()}' "
            f"AND at < '{(day + timedelta(days=1)).isoformat()}')")


def test_a_checkpoint_whose_previous_day_head_does_not_link_is_named(week, tmp_path):
    """Day 3's last record rehashed after day 3's logs were printed: day 4's logs, printed
    from that database, carry a head for the day before that day 3's logs do not end with."""
    _ctx, _logs, cer, _tmp = week
    folder = _reprint(week, tmp_path, DAYS[3], "UPDATE journal SET chain_hash = randomblob(32) "
                                               f"WHERE origin_seq = {_last_of(DAYS[2])}")
    result = audit.verify_files([folder], certificates=[trust.read_file(cer)])
    assert all(f.ok for f in result.files)  # each file alone is genuine
    assert [(g.code, g.day) for g in result.gaps] == [("chain_break", DAYS[3].isoformat())]
    assert "不衔接" in result.gaps[0].message and DAYS[2].isoformat() in result.gaps[0].message


def test_a_gap_in_the_sequence_is_named(week, tmp_path):
    """Day 3's last record deleted after day 3's logs were printed: day 4 continues from
    the record before it."""
    _ctx, _logs, cer, _tmp = week
    last = _last_of(DAYS[2])
    folder = _reprint(week, tmp_path, DAYS[3], f"DELETE FROM journal WHERE origin_seq = {last}")
    result = audit.verify_files([folder], certificates=[trust.read_file(cer)])
    assert [(g.code, g.day) for g in result.gaps] == [("seq_gap", DAYS[3].isoformat())]
    assert "序号不连续" in result.gaps[0].message


def test_logs_with_a_version_1_checkpoint_still_verify(week, tmp_path, monkeypatch):
    """Logs printed before the checkpoint carried the day before (CPK1) verify, by the
    certificate and against the database, and their sequence still links."""
    import dataclasses

    from checkpoint_app.services import daily_logs
    from checkpoint_app.services.verification import verify_document

    ctx, logs, cer, _tmp = week
    summarise = daily_logs.summarise_day
    monkeypatch.setattr(daily_logs, "summarise_day", lambda *a: dataclasses.replace(
        summarise(*a), prev_seq=None, prev_head=None))
    old = tmp_path / "old"
    for day in DAYS[:3]:
        daily_report(ctx, day, old, kinds=("summary",))
    monkeypatch.undo()
    result = audit.verify_files([old], certificates=[trust.read_file(cer)])
    assert result.ok, [f.message for f in result.files] + [g.message for g in result.gaps]
    assert {f.checkpoint.version for f in result.files} == {1}
    assert all(verify_document(ctx, f.path).ok for f in result.files)
    (old / _day_files(old, DAYS[1])[0].name).unlink()
    assert [g.code for g in audit.verify_files([old], certificates=[trust.read_file(cer)]).gaps] == ["missing_day"]


def test_the_registration_sheet_registers_the_site_from_a_picture(week, tmp_path):
    from tests.reports.conftest import qpdf_check, render

    ctx, logs, cer, _tmp = week
    cert = trust.read_file(cer)
    sheet = trust.print_sheet(ctx, cert, tmp_path / "sheet.pdf")
    qpdf_check(sheet)
    text = subprocess.run(["pdftotext", str(sheet), "-"], capture_output=True, text=True).stdout
    assert cert.grouped[:19] in text and cert.grouped[-19:] in text and "小区证书登记单" in text and "HXY01" in text
    # the fingerprint in words, all 32 of them, in the order of the bytes, on the one page
    from checkpoint_app.domain import fingerprint_words
    said = [w for line in text.splitlines() for w in line.split() if w in fingerprint_words.ZH]
    assert fingerprint_words.from_words(said) == bytes.fromhex(cert.fingerprint)
    assert "\f" not in text.rstrip("\f")
    assert "PRIVATE" not in sheet.read_bytes().decode("latin-1")
    picture = render(sheet, tmp_path, 110)[0]
    assert trust.read_file(picture) == cert
    trust.register(trust.read_file(picture))
    assert trust.trusted() == [cert]
    assert audit.verify_files([logs]).ok


def test_bad_certificate_files_get_one_sentence(week, tmp_path):
    from checkpoint_app.errors import InvalidInput
    from checkpoint_app.reports.signing import SitePKI

    ctx, _logs, _cer, _tmp = week
    junk = tmp_path / "junk.cer"
    junk.write_text("hello")
    with pytest.raises(InvalidInput, match="不是门岗通小区证书"):
        trust.read_file(junk)
    with ctx.db.read() as conn:
        from checkpoint_app.db import site_repo
        pki = SitePKI(*site_repo.get_pki(conn))
    signer = tmp_path / "signer.cer"
    signer.write_bytes(pki.signer_cert)  # the document-signing certificate is not the site's root
    with pytest.raises(InvalidInput, match="不是门岗通小区根证书"):
        trust.read_file(signer)
    blank = tmp_path / "blank.png"
    from PIL import Image
    Image.new("L", (200, 200), 255).save(blank)
    with pytest.raises(InvalidInput, match="找不到"):
        trust.read_file(blank)
    assert trust.trusted() == []


def test_site_certificate_command_writes_the_public_certificate_and_the_sheet(week, tmp_path):
    ctx, _logs, cer, _tmp = week
    data = _copy_db(ctx.data_dir, tmp_path / "data")
    env = {**_fresh_env(tmp_path), "CHECKPOINT_DATA_DIR": str(data)}
    run = _cli(env, "--json", "site", "certificate", "--out", tmp_path / "SITE.cer", "--sheet", tmp_path / "sheet.pdf")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert (tmp_path / "SITE.cer").read_bytes() == cer.read_bytes()
    assert b"PRIVATE" not in cer.read_bytes() and out["fingerprint"] == trust.read_file(cer).grouped
    assert (tmp_path / "sheet.pdf").stat().st_size > 5000
    assert out["words"] == fingerprint_words.both(trust.read_file(cer).fingerprint)
    assert [len(out["words"][lang]) for lang in ("zh_CN", "en")] == [4, 4]


def test_a_chinese_sheet_and_an_english_screen_show_the_same_words(week, tmp_path):
    """The words do not follow the language: a sheet printed in Chinese and ``trust add`` /
    ``trust list`` on an English PC (and an English sheet) all give the same Chinese and English
    words, so the auditor compares word by word whichever language either side uses."""
    ctx, _logs, cer, _tmp = week
    cert = trust.read_file(cer)
    sheets = {"zh_CN": trust.print_sheet(ctx, cert, tmp_path / "sheet-zh.pdf")}
    i18n.set_language("en")
    try:
        sheets["en"] = trust.print_sheet(ctx, cert, tmp_path / "sheet-en.pdf")
    finally:
        i18n.set_language("zh_CN")
    fingerprint = bytes.fromhex(cert.fingerprint)
    for lang, sheet in sheets.items():
        text = subprocess.run(["pdftotext", str(sheet), "-"], capture_output=True, text=True).stdout
        assert "\f" not in text.rstrip("\f"), lang                        # still one page
        for words, list_lang in ((fingerprint_words.ZH, "zh_CN"), (fingerprint_words.EN, "en")):
            said = [w for line in text.splitlines() for w in line.split() if w in words]
            assert fingerprint_words.from_words(said, list_lang) == fingerprint, (lang, list_lang)
    assert "Fingerprint in words" in subprocess.run(["pdftotext", str(sheets["en"]), "-"], capture_output=True,
                                                    text=True).stdout
    zh_sheet = subprocess.run(["pdftotext", "-raw", str(sheets["zh_CN"]), "-"], capture_output=True, text=True).stdout
    env = {**_fresh_env(tmp_path), "CHECKPOINT_LANG": "en"}
    added = _cli(env, "trust", "add", cer)
    listed = _cli(env, "trust", "list")
    for run in (added, listed):
        assert run.returncode == 0, run.stderr
        screen = [line.strip() for line in run.stdout.splitlines()]
        shown = [line for line in screen if line in cert.words()]
        assert shown == cert.words() and len(shown) == 8, run.stdout          # 4 Chinese + 4 English lines
        assert all(" ".join(line.split()) in " ".join(zh_sheet.split()) for line in shown[4:])  # as on the zh sheet


# -- continuity as a rule, on made-up checkpoints ------------------------------------------------

def _series(rows: list[int]):
    """DocumentChecks of consecutive days with ``rows`` records each, chained as a gate makes them."""
    import dataclasses
    import hashlib

    from checkpoint_app.domain.checkpoint import Checkpoint
    from checkpoint_app.services.verification import DocumentCheck

    def head(seq: int) -> str:
        return hashlib.sha256(str(seq).encode()).hexdigest() if seq else "00" * 32

    checks, seq = [], 0
    for i, n in enumerate(rows):
        cp = Checkpoint("HXY01", "ab" * 16, FIRST + timedelta(days=i), n, seq + 1 if n else 0,
                        seq + n if n else 0, head(seq + n) if n else "00" * 32, seq, head(seq))
        seq += n
        checks.append(DocumentCheck(ok=True, path=Path(f"{cp.day}.pdf"), checkpoint=cp, log_kind="summary",
                                    site="和谐苑小区（HXY01）", gate="南门"))
    return checks, dataclasses.replace


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.integers(0, 5), min_size=3, max_size=10), data=st.data())
def test_continuity_names_exactly_what_was_done_to_a_series(rows, data):
    checks, replace = _series(rows)
    assert audit.continuity(checks) == []
    k = data.draw(st.integers(1, len(rows) - 2), label="day")
    day = checks[k].checkpoint.day.isoformat()
    gaps = audit.continuity(checks[:k] + checks[k + 1:])
    assert [(g.code, g.day) for g in gaps] == [("missing_day", day)]
    cp = checks[k].checkpoint
    what = data.draw(st.sampled_from(["head", "seq"]), label="change")
    changed = (replace(cp, prev_head="ee" * 32) if what == "head"
               else replace(cp, prev_seq=cp.prev_seq + 1, first_seq=cp.first_seq + 1 if cp.row_count else 0))
    series = checks[:k] + [replace(checks[k], checkpoint=changed)] + checks[k + 1:]
    expected = [("chain_break" if what == "head" else "seq_gap", day)]
    if not cp.row_count:  # an empty day ends where it says the day before ended: its successor breaks too
        expected.append((expected[0][0], checks[k + 1].checkpoint.day.isoformat()))
    assert [(g.code, g.day) for g in audit.continuity(series)] == expected
    # the same file twice (two copies in the pile) is not a conflict; two different end-of-day ones are
    assert audit.continuity(checks + [checks[k]]) == []
    other = replace(checks[k], checkpoint=replace(cp, row_count=cp.row_count + 1, last_seq=cp.last_seq + 1))
    assert "conflict" in [g.code for g in audit.continuity(checks + [other])]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.integers(0, 5), min_size=3, max_size=8), data=st.data())
def test_a_compound_log_stands_for_each_of_its_gates_days(rows, data):
    """Issue 15: a log of the whole compound counts as a log of each gate in it. In place of a gate's
    own log of a day it keeps the series whole when it held all of that gate's day; when it did not
    (not synced), that gate's day is named "short", unless the pile shows where the day ended."""
    from checkpoint_app.domain.checkpoint import GateDay

    checks, replace = _series(rows)
    k = data.draw(st.integers(0, len(rows) - 1), label="day")
    complete = data.draw(st.booleans(), label="complete")
    own = checks[k]
    other_gate = GateDay("北门", replace(own.checkpoint, gate_id="cd" * 16), True)
    compound = replace(own, checkpoint=None, gate="全小区（2 个门岗）",
                       gates=(GateDay("南门", own.checkpoint, complete, "2026-11-20T09:10:00"), other_gate))
    gaps = audit.continuity(checks[:k] + [compound] + checks[k + 1:])
    day = own.checkpoint.day.isoformat()
    assert [(g.code, g.gate, g.day) for g in gaps] == ([] if complete else [("short", "南门", day)])
    assert audit.continuity(checks + [compound]) == []          # the gate's own log shows where it ended
    if complete:   # held all of the day, yet other values than the gate's own log: a conflict
        wrong = replace(compound, gates=(GateDay("南门", replace(own.checkpoint, row_count=own.checkpoint.row_count + 1),
                                                 True), other_gate))
        assert [g.code for g in audit.continuity(checks + [wrong])] == ["conflict"]


def test_a_cut_short_log_does_not_call_its_signature_good_and_says_why_once(week, tmp_path):
    """A log cut short (a copy that stopped half-way): its signature cannot even be read, so the
    signature column says nothing either way (not ✓), and the verdict is one sentence that does
    not say "cannot read the signature" twice."""
    _ctx, _logs, cer, _tmp = week
    folder = _folder(week, tmp_path)
    target = _day_files(folder, DAYS[2])[0]
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    result = audit.verify_files([folder], certificates=[trust.read_file(cer)])
    bad = [f for f in result.files if not f.ok]
    assert [f.path.name for f in bad] == [target.name]
    assert bad[0].signature_ok is None and bad[0].unaltered is False
    assert bad[0].as_json()["signature"] is None
    message = bad[0].message
    assert "已损坏" in message and message.count("签名") == 1 and message.endswith("。"), message
    before = i18n.language()
    i18n.set_language("en")
    try:
        en = audit.verify_files([target], certificates=[trust.read_file(cer)]).files[0].message
    finally:
        i18n.set_language(before)
    assert "damaged" in en and en.lower().count("signature") == 1, en


def test_two_registered_sites_with_the_same_code_and_name_are_told_apart(week, tmp_path):
    """Two compounds that chose the same code, name and gate name, both registered: each file and
    each gap names which of the two by its certificate's fingerprint, so a day present at one is
    not read as present at the other."""
    from checkpoint_app.services.site import init_site

    _ctx, _logs, cer, _tmp = week
    clock = FakeClock(datetime(2026, 11, 19, 8, 0, tzinfo=CST))
    twin = init_site(tmp_path / "twin", site_code="HXY01", site_name="和谐苑小区", gate_name="南门",
                     clock=clock).acting_as(None, "operator")
    clock.set(datetime(2026, 11, 28, 7, 0, tzinfo=CST))
    try:
        for day in (DAYS[0], DAYS[3]):
            daily_report(twin, day, tmp_path / "twin-logs", kinds=("summary",))
        twin_cer = trust.of_site(twin)
    finally:
        twin.close()
    ours = trust.read_file(cer)
    folder = _folder(week, tmp_path)
    for f in _day_files(folder, DAYS[3]):
        f.unlink()
    result = audit.verify_files([folder, tmp_path / "twin-logs"], certificates=[ours, twin_cer])
    assert all(f.ok for f in result.files)
    labels = {f.site for f in result.files}
    assert labels == {f"{ours.label} {ours.short}…", f"{twin_cer.label} {twin_cer.short}…"}, labels
    assert sorted((g.code, g.day, g.message.split("：")[0]) for g in result.gaps) == [
        ("missing_day", DAYS[1].isoformat(), f"{twin_cer.label} {twin_cer.short}… 南门"),
        ("missing_day", DAYS[3].isoformat(), f"{ours.label} {ours.short}… 南门")]
    # one site alone: its label as always
    assert {f.site for f in audit.verify_files([folder], certificates=[ours]).files} == {ours.label}


def test_a_log_renamed_as_another_day_says_what_it_really_is(week, tmp_path):
    """A genuine log under another day's name (renamed, or swapped for the one asked for): still
    authentic, but its sentence says the name is not what the file holds, so the name in the
    list is not taken for the truth; a file named freely ("copy.pdf") is left alone."""
    _ctx, _logs, cer, _tmp = week
    folder = _folder(week, tmp_path)
    real = next(f for f in _day_files(folder, DAYS[2]) if "passages" in f.name)
    renamed = folder / real.name.replace(DAYS[2].isoformat(), DAYS[3].isoformat())
    renamed.unlink()
    real.rename(renamed)
    summary = next(f for f in _day_files(folder, DAYS[4]) if "summary" in f.name)
    summary.rename(folder / "copy.pdf")
    result = audit.verify_files([folder], certificates=[trust.read_file(cer)])
    by_name = {f.path.name: f for f in result.files}
    check = by_name[renamed.name]
    assert check.ok and check.day == DAYS[2].isoformat()
    assert "文件名与内容不符" in check.message and DAYS[2].isoformat() in check.message.split("文件名与内容不符")[1], \
        check.message
    assert "出入登记日志" in check.message.split("文件名与内容不符")[1]
    assert "文件名" not in by_name["copy.pdf"].message
    assert all("文件名" not in f.message for n, f in by_name.items() if n != renamed.name)


def test_the_registration_sheet_as_a_pdf_is_refused_with_what_to_give_instead(week, tmp_path):
    """The sheet sent as the PDF it was printed from: not a certificate, and the sentence says
    what is (the .cer file, or a photo or scan of the printed sheet), not only "not a certificate"."""
    from checkpoint_app.errors import InvalidInput

    ctx, _logs, cer, _tmp = week
    sheet = trust.print_sheet(ctx, trust.read_file(cer), tmp_path / "sheet.pdf")
    with pytest.raises(InvalidInput) as err:
        trust.read_file(sheet)
    assert err.value.code == "sheet_pdf" and ".cer" in str(err.value) and "照片" in str(err.value), str(err.value)
    assert trust.trusted() == []


def test_two_different_end_of_day_logs_of_one_gate_and_day_are_named_by_file(week, tmp_path):
    """Two end-of-day logs of the same gate and day that disagree, with the same number of records
    (a copied database went on on two PCs): the gap names both files, so the auditor knows which
    two to set side by side, and does not read as "1 and 1 records" alone."""
    import dataclasses

    _ctx, _logs, cer, _tmp = week
    folder = _folder(week, tmp_path)
    checks = list(audit.verify_files([folder], certificates=[trust.read_file(cer)]).files)
    one = next(c for c in checks if c.checkpoint.day == DAYS[2] and c.log_kind == "summary")
    twin = dataclasses.replace(one, path=tmp_path / "elsewhere" / one.path.name,
                               checkpoint=dataclasses.replace(one.checkpoint, chain_head="ab" * 16))
    gaps = [g for g in audit.continuity(checks + [twin]) if g.code == "conflict"]
    assert len(gaps) == 1
    assert f"folder/{one.path.name}" in gaps[0].message and f"elsewhere/{one.path.name}" in gaps[0].message, \
        gaps[0].message


def test_a_folder_is_searched_without_its_hidden_and_recycle_folders(week, tmp_path):
    """A USB stick keeps deleted files in .Trashes (macOS) or $RECYCLE.BIN (Windows): a log the
    office threw away is not part of the pile the auditor was given."""
    folder = _folder(week, tmp_path)
    given = audit.collect([folder])
    for bin_dir in (".Trashes/501", "$RECYCLE.BIN/S-1-5-21", "System Volume Information"):
        (folder / bin_dir).mkdir(parents=True)
        shutil.copy(given[0], folder / bin_dir / "2026-11-20_HXY01_南门_summary.pdf")
    (folder / "sub").mkdir()
    shutil.copy(given[0], folder / "sub" / "kept.pdf")
    assert audit.collect([folder]) == sorted(given + [folder / "sub" / "kept.pdf"])
    # named on purpose, a file in such a folder is still checked
    inside = folder / ".Trashes" / "501" / "2026-11-20_HXY01_南门_summary.pdf"
    assert audit.collect([inside]) == [inside]


def test_counts_are_said_in_english_with_the_right_noun_everywhere(week, tmp_path, capsys):
    """"1 gap", not "1 gaps": the CLI's lines and the services' sentences (i18n.counted)."""
    from checkpoint_app.cli import main

    _ctx, _logs, cer, _tmp = week
    folder = _folder(week, tmp_path)
    for f in _day_files(folder, DAYS[3]):
        f.unlink()
    before = i18n.language()
    try:
        code = main(["--lang", "en", "verify", str(folder), "--trust", str(cer)])
        out = capsys.readouterr().out
        one = main(["--lang", "en", "verify", str(_day_files(folder, DAYS[0])[0]), "--trust", str(cer)])
        single = capsys.readouterr().out
    finally:
        i18n.set_language(before)
    assert code == 1 and one == 0
    lines = out.splitlines()
    assert "1 gap between the logs:" in lines, out
    assert lines[-1] == "12 files: 12 authentic, 0 not; 1 gap.", lines[-1]
    assert single.splitlines()[-1] == "1 file: 1 authentic, 0 not; 0 gaps.", single
    said = re.search(r"\b(\d+) (records?) of that gate and day", single)
    assert said and (said[2] == "record") == (said[1] == "1"), single


def test_pyhankos_own_words_stay_in_the_log_not_in_the_sentence(week, tmp_path, caplog):
    """A damaged file: the verdict is our sentence in the user's language; what pyHanko said
    ("byte 0x…", in English whatever the language) is only in the log."""
    import logging

    _ctx, _logs, cer, _tmp = week
    target = _day_files(_folder(week, tmp_path), DAYS[2])[0]
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    before = i18n.language()
    try:
        with caplog.at_level(logging.WARNING):
            zh = audit.verify_files([target], certificates=[trust.read_file(cer)]).files[0].message
            i18n.set_language("en")
            en = audit.verify_files([target], certificates=[trust.read_file(cer)]).files[0].message
    finally:
        i18n.set_language(before)
    said = [str(r.args[-1]) for r in caplog.records if "cannot validate the signature" in r.getMessage()]
    assert said and all(s for s in said), caplog.text              # pyHanko's detail, kept in the log
    assert not any(s in zh or s in en for s in said), (zh, en, said)
    assert zh == "文件已损坏或被改动，无法读取其签名。", zh
    assert en == "The file is damaged or altered; its signature cannot be read.", en


def test_a_file_is_named_by_its_path_inside_the_folder_given(week, tmp_path, capsys):
    """Two PCs' folders hold files of one name: each is named with its sub-folder (the desk and the
    CLI), and a misnamed one says so in ``name_ok`` (the desk's "文件名" column)."""
    from checkpoint_app.cli import main

    _ctx, logs, cer, _tmp = week
    pile = tmp_path / "pile"
    shutil.copytree(logs, pile / "pc1")
    (pile / "pc2").mkdir()
    first, second = _day_files(logs, DAYS[0])[0], _day_files(logs, DAYS[1])[0]
    shutil.copy(first, pile / "pc2" / first.name)
    shutil.copy(first, pile / "pc2" / second.name)          # day 1's log under day 2's name
    result = audit.verify_files([pile], certificates=[trust.read_file(cer)])
    shown = {result.shown(f.path): f.name_ok for f in result.files}
    assert shown[f"pc1/{first.name}"] is True and shown[f"pc2/{first.name}"] is True
    assert shown[f"pc2/{second.name}"] is False and sum(v is False for v in shown.values()) == 1
    assert audit.verify_files([pile / "pc2" / first.name], certificates=[trust.read_file(cer)]).shown(
        pile / "pc2" / first.name) == first.name
    before = i18n.language()
    try:
        main(["--lang", "zh_CN", "verify", str(pile), "--trust", str(cer)])
    finally:
        i18n.set_language(before)
    out = capsys.readouterr().out
    assert f"  pc1/{first.name}  " in out and f"  pc2/{first.name}  " in out, out
