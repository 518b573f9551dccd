"""cli_audit.py: the auditor's ``trust`` commands from the command line (the verify command on a
week of logs: tests/services/test_audit.py)."""

from __future__ import annotations

import json

import pytest

from checkpoint_app.cli import main
from checkpoint_app.services import trust
from tests.core_fixtures import *  # noqa: F401,F403


@pytest.fixture
def registered(site, tmp_path, monkeypatch):
    """The trust store of an auditor (its own folder) with this site's certificate in it."""
    monkeypatch.setenv("CHECKPOINT_TRUST_DIR", str(tmp_path / "trusted"))
    cert = trust.register(trust.of_site(site.ctx))
    return cert


def _cli(capsys, *args):
    code = main(["--json", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def test_trust_remove_needs_at_least_a_group_of_the_fingerprint(registered, capsys):
    """One character is not "the first groups": a slip of the finger must not unregister a site."""
    code, out, _err = _cli(capsys, "trust", "remove", registered.fingerprint[0])
    assert code != 0 and out["error"]["code"] == "fingerprint_too_short"
    assert registered.grouped[:4] in out["error"]["message"]
    assert trust.trusted() == [registered]
    code, out, _err = _cli(capsys, "trust", "remove", registered.grouped[:4])
    assert code == 0 and out["removed"]["fingerprint"] == registered.grouped
    assert trust.trusted() == []


def test_trust_add_says_when_another_certificate_of_the_same_code_is_registered(registered, tmp_path, capsys):
    """Two certificates for one site code: two compounds chose the same code, or one is forged.
    Registering the second says so and names the first by its fingerprint, to be checked."""
    from checkpoint_app.services.site import init_site
    from tests.core_fixtures import FakeClock

    twin = init_site(tmp_path / "twin", site_code=registered.site_code, site_name=registered.site_name,
                     gate_name="东门", clock=FakeClock())
    try:
        cer = trust.write_certificate(trust.of_site(twin), tmp_path / "twin.cer")
    finally:
        twin.close()
    code = main(["--lang", "zh_CN", "trust", "add", str(cer)])
    out = capsys.readouterr().out
    assert code == 0 and len(trust.trusted()) == 2
    assert "已登记另一份" in out and registered.short in out, out
    code = main(["--lang", "zh_CN", "trust", "add", str(cer)])   # again: the same two, still said
    assert "已登记另一份" in capsys.readouterr().out
