"""``checkpoint report daily``, ``checkpoint verify`` and ``passes issue --out`` as outside
tools and auditors run them: exit codes, JSON, and the words they print."""

from __future__ import annotations

import functools
import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from checkpoint_app import paths
from checkpoint_app.cli import main
from checkpoint_app.services.gate import record_passage
from tests.core_fixtures import *  # noqa: F401,F403
from tests.core_fixtures import CST, FakeClock

PRINTED_AT = datetime(2026, 11, 21, 8, 0, tzinfo=CST)
DAY = "2026-11-20"


@pytest.fixture
def cli_clock(monkeypatch):
    """The CLI opens the gate itself, on the real clock: put it the morning after the fixtures'
    day, so that the tests do not depend on the machine's date."""
    from checkpoint_app.services import context

    clock = FakeClock(PRINTED_AT)
    monkeypatch.setattr(context, "open_gate", functools.partial(context.open_gate, clock=clock))
    return clock


@pytest.fixture
def day_dir(gate, cli_clock):
    """A gate with a few passages on the fixtures' day, closed for the CLI."""
    for name in ("张三", "李四", "张三"):
        record_passage(gate.ctx, gate.cards[name], temperature="365")
        gate.clock.advance(minutes=5)
    gate.ctx.close()
    return gate.data_dir


def cli(capsys, data_dir, *args, json_out=True):
    code = main(["--data-dir", str(data_dir), *(["--json"] if json_out else []), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def printed(day_dir, capsys, tmp_path):
    code, out, err = cli(capsys, day_dir, "report", "daily", "--date", DAY, "--out",
                         str(tmp_path / "logs"))
    assert code == 0, err
    obj = json.loads(out)
    return day_dir, [Path(f) for f in obj["files"]]


def test_report_daily_writes_the_days_pdfs(printed, tmp_path):
    _data, files = printed
    assert [f.name for f in files] == [
        f"{DAY}_HXY01_南门_{k}.pdf"
        for k in ("summary", "passages", "visitors", "disinfection", "incidents", "handovers")]
    assert all(f.parent == tmp_path / "logs" and f.stat().st_size > 10_000 for f in files)


def test_verify_says_authentic(printed, capsys):
    data, files = printed
    for f in files:
        code, out, err = cli(capsys, data, "verify", str(f), json_out=False)
        assert code == 0 and "authentic" in out and err == "", (out, err)
    code, out, _ = cli(capsys, data, "verify", str(files[1]))
    obj = json.loads(out)["files"][0]
    assert code == 0 and obj["authentic"] is True and obj["checkpoint"]["day"] == DAY
    assert obj["offline"] is False  # this site's own file: checked against its records


def test_a_log_printed_during_the_day_says_so_and_stays_authentic(gate, cli_clock, capsys, tmp_path):
    """Issue 11 finding 4: today's log printed at 09:10 says "截至 09:10" on every page; after
    another record that day ``verify`` still calls it authentic and says what came after."""
    import subprocess

    for name in ("张三", "李四"):
        record_passage(gate.ctx, gate.cards[name], temperature="365")
        gate.clock.advance(minutes=5)
    cli_clock.now = gate.clock.now  # 09:10 on the day itself
    code, out, err = cli(capsys, gate.data_dir, "report", "daily", "--out", str(tmp_path / "logs"))
    assert code == 0, err
    files = [Path(f) for f in json.loads(out)["files"]]
    for f in files:
        pages = subprocess.run(["pdftotext", str(f), "-"], capture_output=True, text=True).stdout
        pages = [p for p in pages.split("\f") if p.strip()]
        assert pages and all("截至 09:10" in p for p in pages), f.name
    record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    gate.ctx.close()
    cli_clock.now = PRINTED_AT
    for f in files:
        code, out, err = cli(capsys, gate.data_dir, "verify", str(f), json_out=False)
        assert code == 0 and out.startswith("authentic") and err == "", (out, err)
        assert "截至 09:10" in out and "又登记了 1 条记录" in out
    code, out, _ = cli(capsys, gate.data_dir, "verify", str(files[1]))
    assert code == 0 and json.loads(out)["files"][0]["checkpoint"]["later_records"] == 1


def test_verify_names_altered_bytes(printed, capsys, tmp_path):
    data, files = printed
    f = tmp_path / "copy.pdf"
    raw = bytearray(files[1].read_bytes())
    at = raw.index(b"stream", raw.index(b"/Filter")) + 60
    raw[at] ^= 0x20
    f.write_bytes(bytes(raw))
    code, out, err = cli(capsys, data, "verify", str(f), json_out=False)
    assert code == 1 and out.startswith("NOT authentic") and "NOT authentic" in err
    assert "altered bytes" in err


def test_verify_names_a_revision_added_after_signing(printed, capsys, tmp_path):
    """Issue 11: a temperature changed in an added revision was "签名本身无效" (the signature is fine)."""
    from tests.reports.conftest import add_revision

    data, files = printed
    f = tmp_path / "changed.pdf"
    add_revision(files[1], f, b"36.5", b"36.1")
    code, out, err = cli(capsys, data, "verify", str(f), json_out=False)
    assert code == 1 and "NOT authentic" in err
    assert "changed after signing（签名后被修改）" in err and "签名本身无效" not in err
    code, out, _ = cli(capsys, data, "verify", str(f))
    problem = json.loads(out)["files"][0]["problems"][0]
    assert (problem["what"], problem["detail"]) == ("changed after signing", "appended")


def test_verify_names_a_checkpoint_mismatch_after_a_row_is_edited(printed, capsys):
    data, files = printed
    conn = sqlite3.connect(paths.db_path(data), isolation_level=None)
    conn.execute("DROP TRIGGER passages_no_update")
    conn.execute("UPDATE passages SET temp_tenths = 391 WHERE rowid = (SELECT min(rowid) FROM passages)")
    conn.close()
    code, out, err = cli(capsys, data, "verify", str(files[1]), json_out=False)
    assert code == 1 and "checkpoint mismatch" in err and "改动" in err
    code, out, _ = cli(capsys, data, "verify", str(files[1]))
    problems = json.loads(out)["files"][0]["problems"]
    assert problems[0]["code"] == "checkpoint_mismatch" and problems[0]["what"] == "checkpoint mismatch"


def test_verify_names_an_unknown_site(printed, capsys, tmp_path, cli_clock):
    data, _files = printed
    from checkpoint_app.services.site import init_site

    other = tmp_path / "other"
    init_site(other, site_code="YGHY", site_name="阳光花园", gate_name="东门",     # set up by the day it prints
              clock=FakeClock(datetime(2026, 11, 20, 8, 0, tzinfo=CST))).close()
    code, out, err = cli(capsys, other, "report", "daily", "--date", DAY, "--out",
                         str(tmp_path / "other-logs"))
    assert code == 0, err
    foreign = Path(json.loads(out)["files"][0])
    code, out, err = cli(capsys, data, "verify", str(foreign), json_out=False)
    # this PC's auditor never registered YGHY's certificate (services/trust.py)
    assert code == 1 and "certificate not registered" in err and "YGHY" in err


def test_verify_names_a_missing_signature(printed, capsys, tmp_path):
    data, files = printed
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    reader = PdfReader(str(files[0]))
    for page in reader.pages:
        writer.add_page(page)
    writer.add_metadata({k: v for k, v in reader.metadata.items()})
    stripped = tmp_path / "resaved.pdf"
    with open(stripped, "wb") as f:
        writer.write(f)
    code, out, err = cli(capsys, data, "verify", str(stripped), json_out=False)
    assert code == 1 and "signature" in err


def test_verify_a_file_that_is_not_a_pdf(day_dir, capsys, tmp_path):
    junk = tmp_path / "x.pdf"
    junk.write_bytes(b"not a pdf")
    code, out, err = cli(capsys, day_dir, "verify", str(junk), json_out=False)
    assert code == 1 and "unreadable" in err


def test_report_daily_bad_and_future_dates(day_dir, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_:
        cli(capsys, day_dir, "report", "daily", "--date", "2026-13-01", "--out", str(tmp_path))
    assert exit_.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err
    code, out, err = cli(capsys, day_dir, "report", "daily", "--date", "2026-11-22", "--out",
                         str(tmp_path))
    assert code == 1 and json.loads(out)["error"]["code"] == "date_in_future"
    assert not list(tmp_path.glob("*.pdf"))


def test_passes_issue_out_prints_signed_cards(site, cli_clock, capsys, tmp_path, roster_file, monkeypatch):
    from checkpoint_app.reports.signing import verify_pdf_signature
    from checkpoint_app.db import site_repo
    from checkpoint_app.services import users
    from tests.reports.conftest import decode_qr, render

    ca = site_repo.get_pki(site.ctx.db.conn)[0]
    users.add_user(site.ctx, "物业管理员", "manager", "manager-pass-2026")
    site.ctx.close()
    monkeypatch.setenv("CHECKPOINT_SECRET", "manager-pass-2026")

    def as_manager(capsys, data_dir, *args):
        return cli(capsys, data_dir, *args, "--user", "物业管理员")

    roster = tmp_path / "roster.csv"
    roster.write_text(roster_file.read_text(encoding="utf-8").replace("2026-11-25", "2026-12-25"),
                      encoding="utf-8")
    assert as_manager(capsys, site.data_dir, "residents", "import", str(roster))[0] == 0
    cards = tmp_path / "cards.pdf"
    code, out, err = as_manager(capsys, site.data_dir, "passes", "issue", "--all", "--out", str(cards))
    assert code == 0, err
    obj = json.loads(out)
    assert obj["file"] == str(cards) and obj["issued"] == 5
    assert verify_pdf_signature(cards, ca).valid
    assert decode_qr(render(cards, tmp_path, 150)[0]) == {p["payload"] for p in obj["passes"]}
    # nothing new to issue: a clear refusal, no empty PDF
    code, out, err = as_manager(capsys, site.data_dir, "passes", "issue", "--all", "--out",
                         str(tmp_path / "none.pdf"))
    assert code == 1 and json.loads(out)["error"]["code"] == "no_cards"
    assert not (tmp_path / "none.pdf").exists()
    # who made them is the manager who signed on, not "cli:<os user>" (issue 11)
    import subprocess
    text = subprocess.run(["pdftotext", str(cards), "-"], capture_output=True, text=True).stdout
    assert "生成人 物业管理员" in text and "cli:" not in text


def test_report_daily_refuses_a_day_before_the_gate_existed(day_dir, capsys, tmp_path):
    """The site was set up on the 20th: the 19th has no records, and an empty signed log of it
    would verify as authentic. One sentence, the same the logs page says (services/daily_logs)."""
    code, out, err = cli(capsys, day_dir, "report", "daily", "--date", "2026-11-19", "--out", str(tmp_path))
    error = json.loads(out)["error"]
    assert code == 1 and error["code"] == "before_gate" and "2026-11-20" in error["message"]
    code, out, err = cli(capsys, day_dir, "--lang", "en", "report", "daily", "--date", "2026-11-19", "--out",
                         str(tmp_path), json_out=False)
    from checkpoint_app import i18n
    i18n.set_language("zh_CN")
    said = (out + err).strip()
    assert code == 1 and "did not exist yet" in said and "2026-11-20" in said and len(said.splitlines()) == 1, said
    assert not list(tmp_path.glob("*.pdf"))
