"""``verify`` for auditors: authentic copies pass; a flipped byte, appended bytes, an edited
or deleted database row, another site's or an unsigned PDF each fail, and say why."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from checkpoint_app import paths
from checkpoint_app.db import records
from checkpoint_app.services.checkpoints import check_checkpoint
from checkpoint_app.services.daily_logs import daily_report
from checkpoint_app.services.verification import DocumentCheck, read_embedded, verify_document
from checkpoint_app.services.gate import record_passage
from tests.core_fixtures import CST
from tests.services.printed_day import DAY, by_kind
from tests.services.printed_day import printed, chinese  # noqa: F401 (fixtures)


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
    cp_text, _kind, _as_of = read_embedded(pdf)
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


def _summary_printed_elsewhere(tmp_path, **site) -> Path:
    """The day's summary printed by a site set up in a folder of its own (another installation)."""
    from checkpoint_app.services.site import init_site
    from tests.core_fixtures import FakeClock

    clock = FakeClock(datetime(2026, 11, 20, 8, 0, tzinfo=CST))      # set up by the day it prints
    other = init_site(tmp_path / site["site_code"], **site, clock=clock).acting_as(None, "operator")
    clock.set(datetime(2026, 11, 21, 8, 0, tzinfo=CST))
    try:
        return daily_report(other, DAY, tmp_path / "out", kinds=("summary",))[0]
    finally:
        other.close()


def test_another_sites_pdf_is_an_unknown_site(printed, tmp_path):
    pdf = _summary_printed_elsewhere(tmp_path, site_code="YGHY", site_name="阳光花园", gate_name="东门")
    check = verify_document(printed[0], pdf)
    assert not check.ok and check.codes == ("unknown_site",), check.problems
    assert "YGHY" in check.message


def test_a_pdf_of_another_installation_with_the_same_site_code_fails(printed, tmp_path):
    pdf = _summary_printed_elsewhere(tmp_path, site_code="HXY01", site_name="和谐苑小区", gate_name="南门")
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


def test_an_empty_file_and_a_missing_one_are_each_said_in_the_users_words(printed, tmp_path):
    """A zero-byte file (a copy that never happened) is "empty", not "not a PDF"; a file that is
    not there is "not found" in Chinese, not the system's English words."""
    from checkpoint_app import i18n
    from checkpoint_app.services.verification import verify_offline

    ctx = printed[0]
    empty = tmp_path / "2026-11-20_HXY01_南门_passages.pdf"
    empty.write_bytes(b"")
    for check in (verify_document(ctx, empty), verify_offline(empty, [])):
        assert check.codes == ("unreadable",) and check.problems[0].detail == "empty"
        assert check.message == "文件是空的（0 字节），里面没有日志。", check.message
    missing = verify_offline(tmp_path / "missing.pdf", [])
    assert missing.codes == ("unreadable",) and missing.message == "找不到该文件。", missing.message
    before = i18n.language()
    i18n.set_language("en")
    try:
        assert verify_offline(empty, []).message == "The file is empty (0 bytes): there is no log in it."
        assert verify_offline(tmp_path / "missing.pdf", []).message == "The file was not found."
    finally:
        i18n.set_language(before)


def test_json_shape(printed, copy_of):
    check: DocumentCheck = verify_document(printed[0], copy_of())
    obj = check.as_json()
    assert obj["authentic"] is True and obj["problems"] == [] and obj["log"] == "passages"
    assert obj["checkpoint"]["rows"] == printed[2]["checkpoint"].row_count


# -- a log printed before its day ended -----------------------------------------------------------

def test_a_mid_day_log_stays_authentic_for_what_it_covers_as_the_day_goes_on(gate, tmp_path):
    """Issue 11 finding 4: printed at 09:10, verified after three more records of that day."""
    ctx, clock = gate.ctx, gate.clock
    for name in ("张三", "李四"):
        record_passage(ctx, gate.cards[name], temperature="365")
        clock.advance(minutes=5)
    files = daily_report(ctx, DAY, tmp_path / "out", kinds=("summary", "passages"))
    printed_at = clock.now
    check = verify_document(ctx, files[1])
    assert check.ok and check.later == 0 and check.as_of == printed_at.isoformat(timespec="seconds")
    assert f"截至 {printed_at:%H:%M}" in check.message
    cp = check.checkpoint
    for name in ("张三", "李四", "张三"):
        clock.advance(minutes=5)
        record_passage(ctx, gate.cards[name], temperature="365")
    for f in files:
        check = verify_document(ctx, f)
        assert check.ok, check.problems
        assert check.later == 3 and check.checkpoint == cp
        assert f"#{cp.first_seq}–#{cp.last_seq}" in check.message and "又登记了 3 条记录" in check.message
        assert check.as_json()["checkpoint"]["later_records"] == 3


def test_a_mid_day_log_with_a_covered_record_edited_is_still_not_authentic(gate, tmp_path):
    ctx, clock = gate.ctx, gate.clock
    first = record_passage(ctx, gate.cards["张三"], temperature="365").passage_id
    clock.advance(minutes=5)
    files = daily_report(ctx, DAY, tmp_path / "out", kinds=("passages",))
    record_passage(ctx, gate.cards["李四"], temperature="365")
    conn = _unguarded(ctx)
    conn.execute("UPDATE passages SET temp_tenths = 381 WHERE uid = ?", (first,))
    conn.close()
    check = verify_document(ctx, files[0])
    assert not check.ok and check.codes == ("checkpoint_mismatch",)


def test_counts_in_an_english_verdict_take_the_singular_for_one(gate, tmp_path):
    """"The day had 1 more record afterwards", not "1 more records" (i18n.counted)."""
    import re

    from checkpoint_app import i18n

    ctx, clock = gate.ctx, gate.clock
    record_passage(ctx, gate.cards["张三"], temperature="365")
    files = daily_report(ctx, DAY, tmp_path / "out", kinds=("passages",))
    clock.advance(minutes=5)
    record_passage(ctx, gate.cards["李四"], temperature="365")
    before = i18n.language()
    i18n.set_language("en")
    try:
        message = verify_document(ctx, files[0]).message
    finally:
        i18n.set_language(before)
    assert "The day had 1 more record afterwards" in message, message
    rows = re.search(r"\b(\d+) (records?) of that gate and day", message)
    assert rows and (rows[2] == "record") == (rows[1] == "1"), message
