"""services/company.py: the company overview from a real PostgreSQL hub, on screen (rows), as
a signed PDF and as an .xlsx, and from the command line."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timedelta

import pytest

from checkpoint_app.errors import InvalidInput, PermissionDenied
from checkpoint_app.exchange import hub
from checkpoint_app.services import company
from tests.core_fixtures import CST
from tests.exchange.conftest import _compound_template, compound, hub_url, pg_server, scan  # noqa: F401
from tests.exchange.test_hub_partitions import _passage, _write

DAY = datetime(2026, 11, 20, 9, tzinfo=CST)


@pytest.fixture
def filled(compound, hub_url):  # noqa: F811
    """Two gates' records of one day on the hub; the west gate never pushed."""
    north, east, _west = compound.gates
    _passage(north, DAY)
    _passage(north, DAY + timedelta(minutes=1), outcome="denied", reasons="revoked")
    _passage(east, DAY, outcome="flagged", reasons="fever")
    _write(east, "visitor_in", {"purpose": "送货", "host_household": "1-1-101", "temp_tenths": 365,
                                "outcome": "allowed", "watch_hit": 0, "guard": "李建国"}, DAY)
    _write(compound.office, "disinfection_plan", {"area": "大门", "rounds_per_day": 3, "recorded_by": "王"},
           DAY - timedelta(days=1))
    _write(north, "disinfection", {"area": "大门", "agent": "84", "operator": "王"}, DAY)
    _write(north, "incident", {"category": "fever", "reason": "x", "recorded_by": "李"}, DAY)
    with hub.connect(hub_url) as pg:
        for ctx in (compound.office, north, east):
            hub.push(ctx, pg)
    return compound


def test_the_overview_counts_each_compound_day_and_names_the_gates_not_synced(filled, hub_url):
    office = filled.office
    with hub.connect(hub_url) as pg:
        view = company.read_overview(pg, DAY.date() - timedelta(days=1), DAY.date(), now=datetime.now(CST))
    before, day = view.rows
    assert (before.day, before.passages, before.rounds_planned, before.open_incidents) == (
        DAY.date() - timedelta(days=1), 0, 3, 0)
    assert (day.code, day.passages, day.fevers, day.refusals, day.visitors, day.rounds_done, day.rounds_planned,
            day.open_incidents) == (office.site.code, 3, 1, 1, 1, 1, 3, 1)
    assert [u.gate for u in view.unsynced] == ["西门"] and view.unsynced[0].last_push is None
    assert company.table_rows(view)[1][8] == "西门（从未同步）"
    # an hour later with a 30-minute threshold, every gate is late
    with hub.connect(hub_url) as pg:
        later = company.read_overview(pg, DAY.date(), DAY.date(), now=datetime.now(CST) + timedelta(hours=1),
                                      stale_after=timedelta(minutes=30))
    assert {u.gate for u in later.unsynced} == {"北门", "东门", "西门", office.gate.name}


def test_only_who_may_see_the_company_and_sensible_dates(filled, hub_url):
    guard = filled.office.acting_as("李建国", "guard")
    with pytest.raises(PermissionDenied):
        company.overview(guard, hub_url, DAY.date(), DAY.date())
    manager = filled.office.acting_as("王经理", "manager")
    with pytest.raises(InvalidInput):
        company.overview(manager, hub_url, DAY.date(), DAY.date() - timedelta(days=1))
    with pytest.raises(InvalidInput):
        company.overview(manager, hub_url, DAY.date() - timedelta(days=100), DAY.date())
    assert len(company.overview(manager, hub_url, DAY.date(), DAY.date()).rows) == 1


def test_signed_pdf_and_xlsx(filled, hub_url, tmp_path):
    from openpyxl import load_workbook

    from checkpoint_app.reports.signing import verify_pdf_signature
    from checkpoint_app.services import signed_pdf

    manager = filled.office.acting_as("王经理", "manager")
    view = company.overview(manager, hub_url, DAY.date(), DAY.date())
    pdf = company.write_pdf(manager, view, tmp_path / "company.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "公司总览" in text and "西门（从未同步）" in text and "1/3" in text
    ca = signed_pdf.pki(manager, need_key=False).ca_cert
    assert verify_pdf_signature(pdf, ca).valid
    subprocess.run(["qpdf", "--check", str(pdf)], check=True, capture_output=True)
    xlsx = company.write_xlsx(view, tmp_path / "company.xlsx")
    ws = load_workbook(xlsx).active
    rows = list(ws.values)
    assert rows[0][:3] == ("小区", "日期", "出入")
    assert rows[1][2:9] == (3, 1, 1, 1, 1, 3, 1)      # numbers stay numbers
    # a joined gate signs with its own certificate of the site CA (issue 15)
    gate = filled.gates[0].acting_as("王经理", "manager")
    check = verify_pdf_signature(company.write_pdf(gate, view, tmp_path / "gate.pdf"), ca)
    assert check.valid and check.signer == f"和谐苑小区 {filled.gates[0].gate.name} 文件签名"
    # one without a document key (joined from a site that could not issue it) cannot sign
    with gate.db.write() as conn:
        conn.execute("UPDATE site_pki SET signer_key = NULL")
    with pytest.raises(PermissionDenied):
        company.write_pdf(gate, view, tmp_path / "unsigned.pdf")
    assert not (tmp_path / "unsigned.pdf").exists()


def test_command_line(filled, hub_url, capsys, tmp_path):
    from checkpoint_app.cli import main

    data_dir = filled.office.data_dir
    filled.office.close()
    assert main(["--json", "--data-dir", str(data_dir), "company", "overview", "--hub", hub_url,
                 "--from", DAY.date().isoformat(), "--to", DAY.date().isoformat(),
                 "--xlsx", str(tmp_path / "c.xlsx")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows"][0]["passages"] == 3 and out["rows"][0]["rounds_planned"] == 3
    assert [g["gate"] for g in out["not_synced"] if g["last_push"] is None] == ["西门"]
    assert (tmp_path / "c.xlsx").exists()
    assert main(["--data-dir", str(data_dir), "company", "overview", "--hub", "postgresql://hub@127.0.0.1:1/x"]) == 3
