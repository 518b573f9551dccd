import pytest

from tests.ui.office.conftest import AUDITOR, AUDITOR_PW
from tests.ui.office.test_check_page import _joined_gate_forked


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_render(office, office_users, qtbot, qapp, tmp_path, lang):
    from checkpoint_app import i18n as service_i18n
    from checkpoint_app.ui import i18n
    _joined_gate_forked(office_users, tmp_path)
    tr = i18n.install(qapp, lang)
    try:
        window = office(AUDITOR, AUDITOR_PW)
        window.show_hub("warning", window.tr("x") and "1 条记录被拒收（北门），见“数据库检查” · 已同步 09:00：北门 刚刚 · 东门 无记录"
                        if lang == "zh_CN" else "1 record(s) refused (北门), see Database check · Synced 09:00: 北门 just now · 东门 no records")
        page = window.office.open("check")
        qtbot.waitUntil(lambda: page.problems_model.rowCount() == 1, timeout=10_000)
        for w, h in ((1366, 768), (1024, 640)):
            window.resize(w, h)
            qtbot.wait(200)
            window.grab().save(f"/tmp/m15/check-{lang}-{w}.png")
    finally:
        i18n.uninstall(qapp, tr)
        service_i18n.set_language("zh_CN")
