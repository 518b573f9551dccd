"""Home quarantine on the command line: a returnee is refused at the gate the same minute, a
fever at the door becomes an incident, ending early needs a reason, the survey adds up."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.core_fixtures import *  # noqa: F401,F403
from tests.test_cli import GUARD, add_users, fingerprint, run


def test_returnee_refused_at_the_gate_then_door_round_fever_and_early_end(gate, capsys, tmp_path):
    cards = dict(gate.cards)
    add_users(gate.ctx)
    data = gate.data_dir
    gate.ctx.close()
    today = date.today()
    code, out, _ = run(capsys, data, "risk-area", "set", "武汉", "--measure", "quarantine", "--days", "14")
    assert code == 0 and out["risk_areas"] == [{"area": "武汉", "measure": "quarantine", "days": 14}]
    code, out, _ = run(capsys, data, "residents", "list")
    ids = {r["name"]: r["id"] for r in out["residents"]}
    code, out, _ = run(capsys, data, "returnee", "register", "--resident-id", str(ids["张三"]), "--from", "武汉",
                       "--arrival", (today - timedelta(days=1)).isoformat(), "--travel", "G1234")
    assert code == 0 and out["until"] == (today + timedelta(days=12)).isoformat()
    code, out, _ = run(capsys, data, "scan", cards["张三"], "--direction", "out", user=GUARD)
    assert (code, out["outcome"], out["reason"]) == (1, "denied", "quarantine")

    code, out, _ = run(capsys, data, "rounds", "today")
    assert code == 0 and [h["household"] for h in out["households"]][0] == "3-2-501"
    code, out, _ = run(capsys, data, "rounds", "record", "--household", "3-2-501", "--check", "张三=38.4/cough",
                       "--checked-by", "刘志愿", user=GUARD)
    assert code == 0 and len(out["incidents"]) == 1
    code, out, _ = run(capsys, data, "incident", "list", user=GUARD)
    assert any(i["category"] == "door_fever" for i in out["incidents"])
    before = fingerprint(data)
    code, out, err = run(capsys, data, "rounds", "record", "--household", "3-2-501", "--check", "李四=36.5",
                         user=GUARD)
    assert code == 1 and out["error"]["code"] == "not_watched" and fingerprint(data) == before

    code, out, err = run(capsys, data, "returnee", "end-early", str(ids["张三"]))
    assert (code, out["error"]["code"]) == (1, "reason_required") and fingerprint(data) == before
    code, out, _ = run(capsys, data, "returnee", "end-early", str(ids["张三"]), "--reason", "核酸阴性")
    assert code == 0 and out["status"] == "normal"
    code, out, _ = run(capsys, data, "returnee", "list")
    assert out["returnees"][0]["ended_early"] == "核酸阴性"

    pdf = tmp_path / "sheets.pdf"
    code, out, _ = run(capsys, data, "rounds", "sheets", "--out", str(pdf), user=GUARD)
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF")


def test_survey_counts_add_up(gate, capsys):
    add_users(gate.ctx)
    data = gate.data_dir
    gate.ctx.close()
    run(capsys, data, "survey", "visit", "第一轮", "3-2-501", "visited", "--present", "张三", user=GUARD)
    run(capsys, data, "survey", "visit", "第一轮", "5-1-101", "phoned", "--need", "elderly_alone", user=GUARD)
    run(capsys, data, "survey", "visit", "第一轮", "5-1-102", "not_reached", user=GUARD)
    code, out, _ = run(capsys, data, "survey", "progress", "第一轮")
    est = out["estate"]
    assert (est["households"], est["visited"], est["phoned"], est["not_reached"], est["untouched"],
            est["needs_help"], est["percent"]) == (4, 1, 1, 1, 1, 1, 50)
    for key in ("households", "visited", "phoned", "not_reached", "untouched"):
        assert sum(b[key] for b in out["buildings"]) == est[key]


def test_home_reports_are_written_signed_and_verified(gate, capsys, tmp_path):
    add_users(gate.ctx)
    data = gate.data_dir
    ids = dict(gate.ids)
    gate.ctx.close()
    run(capsys, data, "returnee", "register", "--resident-id", str(ids["张三"]), "--from", "武汉", "--arrival",
        date.today().isoformat(), "--measure", "quarantine", "--days", "14")
    run(capsys, data, "survey", "visit", "一", "3-2-501", "visited", user=GUARD)
    files = []
    for kind, extra in (("monitoring-form", ["--resident-id", str(ids["张三"])]), ("monitoring-summary", []),
                        ("returnee-ledger", []), ("survey-progress", ["--campaign", "一"])):
        code, out, _ = run(capsys, data, "home-report", kind, "--out", str(tmp_path), "--xlsx", *extra)
        assert code == 0 and [Path(f).suffix for f in out["files"]] == [".pdf", ".xlsx"]
        files.append(out["files"][0])
    for f in files:
        code, out, _ = run(capsys, data, "verify", f, user=None)
        assert code == 0 and out["ok"] is True
    code, out, _ = run(capsys, data, "home-report", "survey-progress", "--out", str(tmp_path))
    assert (code, out["error"]["code"]) == (1, "option_required")


def test_an_unknown_household_is_named(gate, capsys):
    add_users(gate.ctx)
    data = gate.data_dir
    gate.ctx.close()
    code, out, err = run(capsys, data, "rounds", "record", "--household", "9-9-999", "--check", "某=36.5", user=GUARD)
    assert (code, out["error"]["code"]) == (1, "no_household") and "9-9-999" in err
