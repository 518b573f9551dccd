"""services/daily_logs.compound_summary: the whole compound's day at the office, from every gate's
records it holds after one sync, each gate with the check values its own log prints."""

from __future__ import annotations

import subprocess

import pytest

from checkpoint_app.errors import PermissionDenied
from checkpoint_app.exchange import hub
from checkpoint_app.reports.signing import verify_pdf_signature
from checkpoint_app.services import signed_pdf
from checkpoint_app.services.checkpoints import summarise_day
from checkpoint_app.services.daily_logs import compound_summary
from tests.exchange.conftest import _compound_template, compound, hub_url, pg_server, scan  # noqa: F401


def test_the_office_prints_every_gates_day_with_the_chain_head_each_gate_prints(compound, hub_url, tmp_path):  # noqa: F811
    office, (north, east, west) = compound.office, compound.gates
    scan(north, compound.cards["张三"], "out")
    scan(east, compound.cards["张三"], "in")
    scan(east, compound.cards["李四"], "out")
    with hub.connect(hub_url) as pg:
        for ctx in (north, east):
            hub.push(ctx, pg)
        hub.pull(office, pg)
    day = north.now().date()
    office.clock.set(north.now())
    pdf = compound_summary(office.acting_as("王经理", "manager"), day, tmp_path / "compound.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for gate in (north, east):   # the gate's own view of its day, as its own log's checkpoint says
        own = summarise_day(gate.db.conn, gate.gate.uid, day, gate.site.code)
        assert own.chain_head[:16] in text and f"{own.row_count} / {own.first_seq}–{own.last_seq}" in text
    assert "西门" in text and "小区日报汇总" in text
    lines = [line.split() for line in text.splitlines()]
    total = next(parts for parts in lines if parts and parts[0] == "合计")
    assert total[1:3] == ["2", "1"]        # out: north 1 + east 1; in: east 1
    assert verify_pdf_signature(pdf, signed_pdf.pki(office, need_key=False).ca_cert).valid
    with pytest.raises(PermissionDenied):
        compound_summary(office.acting_as("李建国", "guard"), day, tmp_path / "x.pdf")
