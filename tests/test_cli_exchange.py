"""cli_exchange.py: ``checkpoint exchange export|import`` through the services the office page
calls, and ``checkpoint exchange problems``: the refused records, in both languages."""

from __future__ import annotations

import json

import pytest

from checkpoint_app import i18n
from checkpoint_app.cli import main
from checkpoint_app.services.context import open_gate
from checkpoint_app.services.permissions import OPERATOR
from tests.exchange.conftest import _compound_template, compound, scan  # noqa: F401
from tests.services.test_exchange_problems import forked_file


@pytest.fixture(autouse=True)
def _language_put_back(monkeypatch):
    monkeypatch.setattr(i18n, "_current", i18n.language())   # --lang en sets it for the process


def _reopen(compound, i, data_dir):
    compound.gates[i] = open_gate(data_dir).acting_as(None, OPERATOR)


def test_export_and_import_say_the_records_per_gate(compound, tmp_path, capsys):  # noqa: F811
    north, east = compound.gates[0], compound.gates[1]
    scan(north, compound.cards["张三"], "out")
    dirs = [north.data_dir, east.data_dir]
    north.close()
    east.close()
    f = tmp_path / "x.ckx"
    assert main(["--lang", "zh_CN", "--data-dir", str(dirs[0]), "exchange", "export", "--since-last", "--out", str(f)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("已导出 ") and "北门 " in out
    assert main(["--json", "--data-dir", str(dirs[1]), "exchange", "import", str(f)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["added"] >= 1 and got["by_gate"] == {"北门": got["added"]}
    assert main(["--lang", "en", "--data-dir", str(dirs[1]), "exchange", "import", str(f)]) == 0
    assert "are already held here; nothing changed" in capsys.readouterr().out
    for i, d in enumerate(dirs):
        _reopen(compound, i, d)


def test_problems_are_listed_in_both_languages(compound, tmp_path, capsys):  # noqa: F811
    office, north = compound.office, compound.gates[0]
    data = office.data_dir
    assert main(["--lang", "zh_CN", "--data-dir", str(data), "exchange", "problems"]) == 0
    assert capsys.readouterr().out.strip() == "没有被拒收的记录。"
    file = forked_file(office, north, compound.cards, tmp_path)
    assert main(["--lang", "zh_CN", "--data-dir", str(data), "exchange", "import", str(file)]) == 1   # a record refused
    assert "拒收 1 条（北门）" in capsys.readouterr().out
    assert main(["--lang", "zh_CN", "--data-dir", str(data), "exchange", "problems"]) == 0
    zh = capsys.readouterr().out
    assert "文件 clone.db  北门 #" in zh and "哈希不符" in zh
    assert main(["--lang", "en", "--data-dir", str(data), "exchange", "problems"]) == 0
    en = capsys.readouterr().out
    assert "file clone.db  北门 #" in en and "another hash" in en
    assert main(["--lang", "zh_CN", "--json", "--data-dir", str(data), "exchange", "problems"]) == 0
    (p,) = json.loads(capsys.readouterr().out)["problems"]
    assert p["gate"] == "北门" and p["code"] == "conflict" and p["source"] == "文件 clone.db"


def test_a_guard_may_not_list_them(compound, capsys):  # noqa: F811
    from checkpoint_app.services import users

    office = compound.office
    users.add_user(office, "小王", "guard", "2468")
    code = main(["--data-dir", str(office.data_dir), "--user", "小王", "exchange", "problems"])
    assert code != 0
