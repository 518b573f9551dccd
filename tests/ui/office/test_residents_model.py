"""The residents table's search rule (a table and hypothesis) and its models under Qt's tester."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtTest import QAbstractItemModelTester

from checkpoint_app.db.residents_repo import Resident
from checkpoint_app.services.residents import OfficeRoster
from checkpoint_app.ui.office.residents_model import FILTERS, ResidentsFilter, ResidentsModel, matches, normalise


def _resident(i: int, household: str = "3-2-501", name: str = "张三", initials: str = "zs",
              phone: str | None = "13812345678", status: str = "normal", active: bool = True) -> Resident:
    return Resident(i, f"uid{i}", 1, household, name, initials, phone, None, "owner", status,
                    date(2026, 12, 1) if status != "normal" else None, active)


ZHANG = _resident(1)
TWENTY = _resident(2, household="3-20-101", name="李四", initials="ls", phone="138****9012")


@pytest.mark.parametrize(("text", "zhang", "twenty"), [
    ("", True, True),
    ("3-2-501", True, False),
    ("3-2-5", True, False),          # the room as typed so far
    ("3-2", True, False),            # building 3 unit 2 — not unit 20
    ("3-2-", True, False),
    ("3-20", False, True),
    ("3", True, True),               # a building
    ("3-2-501-1", False, False),
    ("张", True, False),
    ("张三", True, False),
    ("zs", True, False),
    ("ZS", True, False),
    ("z", True, False),
    ("5678", True, False),           # a phone's tail
    ("9012", False, True),           # a masked phone keeps its tail
    ("56", False, False),            # two digits are no phone tail
    ("ｚｓ", True, False),            # full-width letters
    ("３-２-５０１", True, False),     # full-width digits
    ("王", False, False),
])
def test_search_by_room_name_initials_or_phone_tail(text, zhang, twenty):
    assert matches(normalise(text), ZHANG) is zhang
    assert matches(normalise(text), TWENTY) is twenty


@given(st.sampled_from("123456789"), st.sampled_from("12"), st.integers(101, 2999))
def test_a_household_label_finds_itself_and_every_prefix_of_its_room(building, unit, room):
    key = _resident(1, household=f"{building}-{unit}-{room}")
    label = f"{building}-{unit}-{room}"
    assert matches(label, key)
    for cut in range(len(f"{building}-{unit}-"), len(label) + 1):
        assert matches(label[:cut], key)
    assert not matches(f"{building}-{unit}9", key)      # another unit (12, 29…), not this one


def _roster() -> OfficeRoster:
    people = [_resident(1), _resident(2, "3-2-502", "王五", "ww", status="quarantine"),
              _resident(3, "5-1-101", "赵六", "zl", status="observation"),
              _resident(4, "5-1-102", "钱七", "qq", active=False)]
    return OfficeRoster(people, frozenset({1, 3}))


@pytest.mark.parametrize(("ticked", "names"), [
    (set(), ["张三", "王五", "赵六"]),
    ({"quarantine"}, ["王五"]),
    ({"observation"}, ["赵六"]),
    ({"no_pass"}, ["王五"]),
    ({"moved_out"}, ["钱七"]),
    ({"quarantine", "moved_out"}, ["王五", "钱七"]),
])
def test_the_filters(qapp, ticked, names):
    model = ResidentsModel()
    proxy = ResidentsFilter()
    proxy.setSourceModel(model)
    model.set_roster(_roster())
    for name in ticked:
        proxy.set_filter(name, True)
    assert [proxy.index(r, 1).data() for r in range(proxy.rowCount())] == names
    assert set(ticked) <= set(FILTERS)


def test_the_models_pass_qts_model_tester_through_loads_searches_and_filters(qapp):
    model = ResidentsModel()
    proxy = ResidentsFilter()
    proxy.setSourceModel(model)
    testers = [QAbstractItemModelTester(m, QAbstractItemModelTester.FailureReportingMode.Fatal)
               for m in (model, proxy)]
    model.set_roster(_roster())
    for text in ("3-2", "张", "", "zz"):
        proxy.set_text(text)
    proxy.set_filter("moved_out", True)
    model.set_roster(OfficeRoster([], frozenset()))
    model.set_roster(_roster())
    proxy.set_filter("moved_out", False)
    proxy.set_text("")
    assert proxy.rowCount() == 3 and len(testers) == 2
    assert model.index(1, 5).data() == "居家隔离 至 2026-12-01"
    assert model.index(3, 5).data() == "已迁出"
    assert model.index(1, 6).data() == "无"
