"""The documents of home quarantine: signed, checkpointed (``verify`` accepts them), their words
on the page, and the same rows in the .xlsx."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from checkpoint_app import i18n
from checkpoint_app.services import door_rounds, home_documents, returnees, survey
from checkpoint_app.services.verification import verify_document
from tests.core_fixtures import CST
from tests.reports.conftest import extract_text, qpdf_check


@pytest.fixture
def watched(gate_ctx):
    ctx = gate_ctx.operator.acting_as("周经理", "operator")
    returnees.set_risk_area(ctx, "武汉", "quarantine", 14)
    returnees.register_returnee(ctx, resident_id=gate_ctx.ids["张三"], from_area="武汉", arrival=date(2026, 11, 19),
                                travel="G1234", contact="无")
    hid = next(h.household_id for h in door_rounds.today_round(ctx).households if h.household == "3-2-501")
    door_rounds.record_household(ctx, hid, [door_rounds.Entry(gate_ctx.ids["张三"], "36.6")], slot=0,
                                 checked_by="刘志愿")
    gate_ctx.clock.set(datetime(2026, 11, 20, 16, 0, tzinfo=CST))
    door_rounds.record_household(ctx, hid, [door_rounds.Entry(gate_ctx.ids["张三"], "37.8", ("cough",))],
                                 checked_by="王医生")
    survey.record_visit(ctx, "第一轮", "5-1-101", "visited", present="赵六", needs=("elderly_alone",), note="独居")
    return ctx


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_four_documents_are_signed_checkpointed_and_say_what_happened(watched, gate_ctx, tmp_path, lang):
    i18n.set_language(lang)
    try:
        ctx = watched
        docs = {
            "form": home_documents.monitoring_form_data(ctx, gate_ctx.ids["张三"]),
            "summary": home_documents.monitoring_summary_data(ctx),
            "ledger": home_documents.returnee_ledger_data(ctx),
            "survey": home_documents.survey_progress_data(ctx, "第一轮"),
        }
        texts = {}
        for key, data in docs.items():
            pdf = home_documents.write_document(ctx, data, tmp_path / lang, suffix=key)
            qpdf_check(pdf)
            check = verify_document(ctx, pdf)
            assert check.ok, check.problems
            texts[key] = "\n".join(extract_text(pdf))
            book = load_workbook(home_documents.write_xlsx(ctx, data, tmp_path / lang / f"{key}.xlsx"))
            sheet = [[c for c in row if c not in (None, "")] for row in book.active.iter_rows(values_only=True)]
            for table in data.tables:
                for row in table[2]:
                    assert [v for v in row if v not in (None, "")] in sheet
    finally:
        i18n.set_language("zh_CN")
    form = texts["form"]
    assert "张三" in form and "2026-11-19" in form and "2026-12-02" in form and "36.6" in form and "37.8" in form
    assert "刘志愿" in form and "王医生" in form
    assert ("咳嗽" if lang == "zh_CN" else "cough") in form
    assert "G1234" in texts["ledger"] and "武汉" in texts["ledger"]
    assert "5-1-101" in texts["survey"]
    summary = texts["summary"]
    assert "3-2-502" in summary and ("漏测" if lang == "zh_CN" else "missed") in summary


def test_the_form_has_a_row_per_day_and_a_temperature_per_window(watched, gate_ctx):
    data = home_documents.monitoring_form_data(watched, gate_ctx.ids["张三"])
    (_heading, cols, rows, widths), = data.tables
    assert len(rows) == 14 and rows[0][:2] == ["1", "2026-11-19"] and rows[1][:4] == ["2", "2026-11-20", "36.6", "37.8"]
    assert abs(sum(widths) - 1) < 1e-9 and len(cols) == len(rows[0])


def test_the_summary_counts_add_up(watched):
    data = home_documents.monitoring_summary_data(watched)
    rows = data.tables[0][2]
    assert len(rows) == 3                   # 张三, 王五, 赵六
    assert data.header[0].startswith("08:00-11:00：已测 1 · 未见到 0 · 漏测 2")
    assert data.header[1].startswith("15:00-18:00：已测 1 · 未见到 0 · 漏测 0 · 待测 2")
    assert data.header[2].endswith("1 件")
