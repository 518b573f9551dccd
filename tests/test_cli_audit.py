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
