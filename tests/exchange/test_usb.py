"""exchange/usb.py: the exchange as a file, with no network."""

from __future__ import annotations

import json
import sqlite3

import pytest

from checkpoint_app.cli import main
from checkpoint_app.errors import InvalidInput
from checkpoint_app.exchange import usb
from checkpoint_app.services.context import open_gate
from checkpoint_app.services.permissions import OPERATOR
from tests.exchange.conftest import journal, scan


def test_files_carry_every_origin_and_importing_twice_changes_nothing(compound, tmp_path):
    north, east, west = compound.gates
    scan(north, compound.cards["张三"], "out")
    scan(east, compound.cards["张三"], "in")
    # north → east, then east carries both to west (a relay)
    usb.import_file(east, usb.export_file(north, tmp_path / "n.db").path)
    done = usb.export_file(east, tmp_path / "e.db")
    assert set(done.ranges) == {north.gate.uid, east.gate.uid}
    first = usb.import_file(west, done.path)
    assert first.added == len(journal(east)) and not first.problems
    held = journal(west)
    again = usb.import_file(west, done.path)
    assert again.added == 0 and again.duplicates == first.added and journal(west) == held
    assert journal(east) <= journal(west)


def test_since_last_writes_only_what_is_new(compound, tmp_path):
    north = compound.gates[0]
    scan(north, compound.cards["张三"], "out")
    n = usb.export_file(north, tmp_path / "1.db", since_last=True).records
    assert n >= 1
    assert usb.export_file(north, tmp_path / "2.db", since_last=True).records == 0
    scan(north, compound.cards["李四"], "out")
    third = usb.export_file(north, tmp_path / "3.db", since_last=True)
    assert third.records >= 1 and third.ranges[north.gate.uid][0] == n + 1
    # a gate that missed file 1 keeps file 3 waiting, and takes it once file 1 arrives
    east = compound.gates[1]
    assert usb.import_file(east, third.path).added == 0
    usb.import_file(east, tmp_path / "1.db")
    assert usb.import_file(east, third.path).added == third.records
    assert journal(north) <= journal(east)


def test_another_sites_file_and_a_damaged_file_are_refused(compound, tmp_path):
    from checkpoint_app.services.site import init_site

    north = compound.gates[0]
    scan(north, compound.cards["张三"], "out")
    # another site: even with the same code, its keys are not ours
    other = init_site(tmp_path / "other", site_code="HXY01", site_name="别的小区", gate_name="南门")
    try:
        foreign = usb.export_file(other, tmp_path / "other.db").path
    finally:
        other.close()
    with pytest.raises(InvalidInput) as err:
        usb.import_file(north, foreign)
    assert err.value.code == "other_site"
    # said as it is: not "another site (HXY01); this is HXY01"
    assert "同编号" in str(err.value) and "本机是 HXY01" not in str(err.value), str(err.value)
    path = usb.export_file(north, tmp_path / "n.db").path
    with sqlite3.connect(path) as f:
        f.execute("DELETE FROM records WHERE origin_seq = (SELECT max(origin_seq) FROM records)")
    east = compound.gates[1]
    held = journal(east)
    with pytest.raises(InvalidInput) as err:
        usb.import_file(east, path)
    assert err.value.code == "exchange_file_damaged" and journal(east) == held
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    with pytest.raises(InvalidInput) as err:
        usb.import_file(east, tmp_path / "junk.db")
    assert err.value.code == "not_exchange_file"


def test_command_line(compound, tmp_path, capsys):
    north, east = compound.gates[0], compound.gates[1]
    scan(north, compound.cards["张三"], "out")
    dirs = [north.data_dir, east.data_dir]
    north.close()
    east.close()
    f = tmp_path / "x.db"
    assert main(["--json", "--data-dir", str(dirs[0]), "exchange", "export", "--since-last", "--out", str(f)]) == 0
    n = json.loads(capsys.readouterr().out)["records"]
    assert main(["--json", "--data-dir", str(dirs[1]), "exchange", "import", str(f)]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == n
    assert main(["--json", "--data-dir", str(dirs[1]), "exchange", "import", str(f)]) == 0
    assert json.loads(capsys.readouterr().out)["duplicates"] == n
    compound.gates[0], compound.gates[1] = (open_gate(d).acting_as(None, OPERATOR) for d in dirs)
