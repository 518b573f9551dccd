"""The auditor's desk without a site: ``checkpoint-app --audit`` on a PC where no site was ever set
up. One window with the verify page (verify_page.py); the files are checked by the site
certificates registered in the auditor's user folder (services/trust.py), no database is opened
or made, and nobody signs on: there is nothing of a site here to protect or to change.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from checkpoint_app.ui.office.shell import OFFICE_STYLE
from checkpoint_app.ui.office.verify_page import VerifyPage
from checkpoint_app.ui.shared.jobs import Jobs


class NoSiteBackground(QObject):
    """office/background.py's interface for work that needs no site: the job is given ``None``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs = Jobs("checkpoint-audit", self)

    def busy(self, name: str) -> bool:
        return self._jobs.running(name) is not None

    def run(self, name: str, job, done=None, failed=None, progress=None) -> bool:
        if self.busy(name):
            return False
        work = (lambda p: job(None, p)) if progress is not None else (lambda _progress: job(None))
        self._jobs.start(name, work, owner=self, on_done=done, on_failed=failed, on_progress=progress)
        return True

    def shutdown(self) -> None:
        self._jobs.shutdown()


class AuditDesk(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("officeShell")
        self.setStyleSheet(OFFICE_STYLE)
        self.setWindowTitle(self.tr("门岗通 · 核验"))
        head = QFrame()
        head.setObjectName("officeHead")
        head_lay = QHBoxLayout(head)
        head_lay.setContentsMargins(16, 8, 12, 8)
        title = QLabel(self.tr("日志核验（审计）"))
        title.setObjectName("officeTitle")
        head_lay.addWidget(title)
        head_lay.addStretch(1)
        self.background = NoSiteBackground(self)
        self.page = VerifyPage(None, self.background)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(head)
        lay.addWidget(self.page, 1)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.background.shutdown()
        super().closeEvent(event)


def run(app, lang: str | None) -> int:
    """The desk as the whole application (app.py ``--audit``)."""
    from checkpoint_app.ui import i18n
    from checkpoint_app.ui.shared import style

    style.apply(app)
    i18n.install(app, lang or "zh_CN")
    desk = AuditDesk()
    desk.resize(1366, 768)
    desk.show()
    return app.exec()
