"""ui/shared/upkeep.py at a gate joined from the office (issue 15): after midnight the upkeep makes
yesterday's signed logs there too, signed by the gate's own certificate of the site CA."""

from __future__ import annotations

from datetime import timedelta

from checkpoint_app.reports.daily_log import LOG_KINDS
from checkpoint_app.reports.signing import verify_pdf_signature
from checkpoint_app.services import daily_logs, trust
from checkpoint_app.ui.shared.upkeep import upkeep_job
from tests.core_fixtures import FakeClock
from tests.exchange.conftest import _compound_template, compound, scan  # noqa: F401


def test_the_upkeep_at_a_joined_gate_makes_yesterdays_signed_logs(compound):  # noqa: F811
    office, north = compound.office, compound.gates[0]
    day = north.now().date()
    scan(north, compound.cards["张三"], "out")
    scan(north, compound.cards["张三"], "in")
    clock = FakeClock(north.now().replace(hour=7, minute=0) + timedelta(days=1))
    north.close()

    result = upkeep_job(north.data_dir, clock, "start", purge=False)
    assert result.daily_logs_error is None
    folder = daily_logs.day_folder(north.data_dir, day)
    assert result.daily_logs == folder
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == len(LOG_KINDS) and all("_北门_" in f.name for f in files)
    ca = trust.of_site(office).pem
    assert all((s := verify_pdf_signature(f, ca)).valid and s.signer.endswith("北门 文件签名") for f in files)
