"""What happens between the window appearing and the guard scanning, and when the file is bad.

1. No database in the data folder: the set-up page (site, gate), then the admin, then guards
   (ui/shared/setup_pages.py). A folder with backups but no database offers the restore first.
2. A database: opened at once (the gate page is up and catching scans within a frame), and the
   start-up check (services/health.py) runs off the GUI thread right after the first paint.
   Why not wait for it: ``quick_check`` reads the whole file, about two minutes for 10 M
   passages on a cheap disk, and the gate cannot stop that long at every start (DESIGN §7:
   ready to scan in 1.5 s). What is recorded meanwhile goes into the file as usual; should the
   check find damage, the restore keeps that file aside and says how many records it held that
   the backup lacks.
3. Check ok: the purge and the start backup run (ui/shared/upkeep.py), then hourly the daily ones, and
   one after each handover. Check not ok: the gate page is taken down and the health page shows
   the check's sentence, the records read-only where possible, and the one-click restore.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from checkpoint_app import paths
from checkpoint_app.errors import NotInitialised, UserError
from checkpoint_app.services.context import GateContext, open_gate, system_clock
from checkpoint_app.ui.shared.jobs import UPKEEP, Jobs
from checkpoint_app.ui.shared.upkeep import Upkeep

log = logging.getLogger(__name__)

CHECK_FALLBACK_MS = 500      # start the check even if the gate page is never painted (minimised)


class StartFlow(QObject):
    gateReady = Signal(object)         # GateContext: the gate page is attached
    healthChecked = Signal(object)     # services.health.HealthReport
    restored = Signal(object)          # services.backup.RestoreResult

    def __init__(self, window, data_dir: Path, *, clock: Callable[[], datetime] = system_clock,
                 early_scans: list[str] | None = None, board_threaded: bool = True, checks: bool = True,
                 upkeep: bool = True, first_run_pages: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent or window)
        self.window = window
        self.data_dir = Path(data_dir)
        self.clock = clock
        self.early: list[str] = early_scans if early_scans is not None else []
        self._board_threaded = board_threaded
        self._checks = checks            # the benchmark's start-up probe measures the opening only
        self._upkeep = upkeep            # the self-test writes nothing (no purge, no backup)
        self._first_run_pages = first_run_pages   # the self-test goes straight to the gate page
        self.before_attach: Callable[[GateContext], None] | None = None   # app.py: the site's language
        self.ctx: GateContext | None = None
        self.report = None
        self.page: QWidget | None = None          # the full-window page shown, if any
        # While the gate app runs, no restore by another process may swap the file under it
        # (db/folder_lock.py); its own restore lets go of this first.
        self._presence = None
        self._check_due = False
        self.jobs = Jobs("checkpoint", self)
        self.upkeep = Upkeep(self.data_dir, clock, self.jobs, self)
        self.upkeep.status.connect(window.show_upkeep)
        from checkpoint_app.ui.shared.hub_sync import HubSync

        self.hub_sync = HubSync(self.data_dir, clock, self.jobs, parent=self,
                                minutes=lambda: self.ctx.settings["hub_sync_minutes"] if self.ctx else 5)
        self.hub_sync.status.connect(window.show_hub)
        window.refusedSeen.connect(self.hub_sync.mark_seen)
        window.exchanged.connect(self.hub_sync.exchanged)
        window.closing.connect(self.shutdown)
        window.capture.scanned.connect(self._on_scan)

    # -- opening ------------------------------------------------------------------------------------
    def start(self) -> None:
        path = paths.db_path(self.data_dir)
        self._hold_folder()
        if not _has_database(path):
            from checkpoint_app.services import backup

            if backup.list_backups([self.data_dir / backup.BACKUP_SUBDIR]):
                self._check()        # the health page offers the restore (or a new site)
            else:
                self.show_setup()
            return
        try:
            ctx = open_gate(self.data_dir, clock=self.clock, background_checkpoint=True)
        except NotInitialised:
            self.show_setup()        # a database with no site in it: init_site completes it
            return
        except UserError as err:
            log.warning("cannot open the gate: %s", err)
            if self.report is not None and self.report.ok:
                self.window.fail(str(err))   # the check saw nothing wrong, yet it cannot open: say why
                return
            self._check()
            return
        self._opened(ctx)

    def _opened(self, ctx: GateContext) -> None:
        from checkpoint_app.services import gate_screen

        self.ctx = ctx
        if self._first_run_pages and not gate_screen.has_users(ctx):
            self._show_admin()
        else:
            self._attach()

    def _attach(self) -> None:
        self._drop_page()
        if self.before_attach is not None:
            self.before_attach(self.ctx)
        self.window.attach(self.ctx, early_scans=list(self.early))
        self.early.clear()
        page = self.window.page
        page.handedOver.connect(self.upkeep.after_handover)
        self._check_due = self._checks
        page.banner.painted.connect(lambda: QTimer.singleShot(0, self._check_after_paint),
                                    type=Qt.ConnectionType.SingleShotConnection)
        QTimer.singleShot(CHECK_FALLBACK_MS, self._check_after_paint)
        self.gateReady.emit(self.ctx)

    # -- the start-up check ---------------------------------------------------------------------------
    def _check_after_paint(self) -> None:
        if self._check_due:
            self._check_due = False
            self._check()

    def _check(self) -> None:
        from checkpoint_app.services import backup, health

        path = paths.db_path(self.data_dir)
        folders = backup.backup_folders(self.ctx) if self.ctx else [self.data_dir / backup.BACKUP_SUBDIR]
        site = self.ctx.site.code if self.ctx else None
        self.jobs.start("start-up check", lambda progress: health.check_database(
            path, backup_folders=folders, site=site, progress=progress), owner=self, lane=UPKEEP,
            on_done=self._checked)

    def _checked(self, report) -> None:
        self.report = report
        self.healthChecked.emit(report)
        if report.ok:
            if self.ctx is None:     # it could not open a moment ago (e.g. locked): try again
                self.start()
                return
            for warning in report.warnings:   # e.g. records its newest backup holds are missing
                self.window.show_upkeep("bad", warning)
                self.window.show_notice("warning", warning)
            if self._upkeep:
                self.upkeep.start()
                self.hub_sync.start()
            return
        if report.state == "missing" and not report.can_restore:
            self.show_setup()
            return
        self._show_health(report)

    def _show_health(self, report) -> None:
        from checkpoint_app.ui.health_page import HealthPage

        self.upkeep.stop()
        self.hub_sync.stop()
        waiting = 0
        if self.window.page is not None:   # scans caught before sign-on cannot be recorded now
            waiting = len(self.window.page.queue) + (self.window.page.current is not None)
        if self.ctx is not None:
            self.window.detach()
            self.ctx.close()
            self.ctx = None
        page = HealthPage(self.data_dir, report, self.clock, board_threaded=self._board_threaded)
        page.restoreRequested.connect(self._restore)
        page.retryRequested.connect(self._retry)
        page.setupRequested.connect(self.show_setup)
        self._set_page(page)
        if waiting:
            page.refuse_scans(waiting)
        log.error("database unusable (%s): %s", report.state, report.message)

    # -- the one-click restore --------------------------------------------------------------------
    def _restore(self, name: str, secret: str) -> None:
        from checkpoint_app.services import backup

        page, best = self.page, self.report.newest_backup

        def authorised(_role: str) -> None:
            page.close_board()          # no connection may stay on the file that moves aside
            self._let_go_of_folder()    # nor this app's own hold on the folder lock
            when = self.clock().replace(tzinfo=None)
            self.jobs.start("restore", lambda _progress: backup.restore(self.data_dir, best.path, now=when),
                            owner=self, on_done=self._restored, on_failed=lambda err: self._restore_failed(page, err))

        # Owned by the flow, not the page: once the file has moved, what follows must happen.
        self.jobs.start("authorise restore", lambda _progress: backup.authorise_with_backup(best.path, name, secret),
                        owner=self, on_done=authorised, on_failed=lambda err: self._restore_failed(page, err))

    def _restore_failed(self, page, err: BaseException) -> None:
        self._hold_folder()
        if page is not self.page:
            return
        page.restore_failed(str(err) if isinstance(err, UserError) else _bug_sentence())
        if self.report is not None and self.report.readable:
            page.open_board()

    def _restored(self, result) -> None:
        aside = result.kept_aside[0].name if result.kept_aside else "—"
        text = self.tr("已从备份 {file} 恢复；原数据库已保留为 {aside}。").format(
            file=result.restored_from.name, aside=aside)
        if result.records_behind:
            text += self.tr("备份之后本门岗的 {n} 条记录不在恢复的数据库中，仍保存在原文件里，请告知管理员。").format(
                n=result.records_behind)
        self.window.show_notice("warning", text)
        self.restored.emit(result)
        self._drop_page()
        self.start()

    def _retry(self) -> None:
        self._drop_page()
        self.start()

    # -- first start ------------------------------------------------------------------------------
    def show_setup(self) -> None:
        from checkpoint_app.ui.shared.setup_pages import SetupPage

        page = SetupPage(str(self.data_dir))
        page.submitted.connect(self._create_site)
        page.joinRequested.connect(self.show_join)
        self._set_page(page)

    def show_join(self) -> None:
        from checkpoint_app.ui.shared.setup_pages import JoinPage

        page = JoinPage(str(self.data_dir))
        page.submitted.connect(self._join_site)
        page.back.connect(self.show_setup)
        self._set_page(page)

    def _join_site(self, file: str, code: str) -> None:
        page, data_dir, clock = self.page, self.data_dir, self.clock

        def join() -> None:
            from checkpoint_app.exchange.join import init_join

            init_join(data_dir, Path(file), code, clock=clock).close()

        self.jobs.start("join site", lambda _progress: join(), owner=page, on_done=lambda _none: self._opened(
            open_gate(self.data_dir, clock=self.clock, background_checkpoint=True)),
            on_failed=lambda err: self._setup_failed(page, err))

    def _create_site(self, code: str, name: str, gate: str) -> None:
        page, data_dir, clock = self.page, self.data_dir, self.clock

        def create() -> None:
            from checkpoint_app.services.site import init_site

            init_site(data_dir, site_code=code, site_name=name, gate_name=gate, clock=clock).close()

        self.jobs.start("create site", lambda _progress: create(), owner=page, on_done=lambda _none: self._opened(
            open_gate(self.data_dir, clock=self.clock, background_checkpoint=True)),
            on_failed=lambda err: self._setup_failed(page, err))

    @staticmethod
    def _setup_failed(page, err: BaseException) -> None:
        page.failed(err if isinstance(err, UserError) else UserError(_bug_sentence(), "bug"))

    def _show_admin(self) -> None:
        from checkpoint_app.ui.shared.setup_pages import AdminPage

        page = AdminPage(self.ctx)
        page.created.connect(self._show_add_guards)
        self._set_page(page)

    def _show_add_guards(self, admin) -> None:
        from checkpoint_app.ui.shared.setup_pages import AddGuardPanel

        page = AddGuardPanel(admin.acting, ask_admin=False)   # the admin just signed on (AdminPage)
        page.cancelled.connect(self._wizard_done)
        self._set_page(page)

    def _wizard_done(self) -> None:
        self._attach()   # the admin acted on the wizard's pages only: the guard signs on next

    # -- pages and scans -----------------------------------------------------------------------------
    def _set_page(self, page: QWidget) -> None:
        self._drop_page()
        self.page = page
        self.window.show_page(page)
        if hasattr(page, "prepare"):
            page.prepare()      # after: the focus it gives needs the page in the window

    def _drop_page(self) -> None:
        if self.page is not None:
            if hasattr(self.page, "shutdown"):
                self.page.shutdown()
            self.window.remove_page(self.page)
            self.page = None

    def _on_scan(self, text: str) -> None:
        """Scans while there is no gate page: kept for it (set-up), or refused aloud (health page)."""
        if self.window.page is not None:
            return                   # the gate page has its own connection
        if self.page is not None and hasattr(self.page, "on_scan"):
            self.page.on_scan(text)
        else:
            self.early.append(text)

    def _hold_folder(self) -> None:
        from checkpoint_app.db import folder_lock

        if self._presence is None or not self._presence.held:
            try:
                self._presence = folder_lock.use(paths.db_path(self.data_dir), timeout=0)
            except UserError as err:   # a restore elsewhere right now: opening waits for it, or says so
                log.warning("folder lock not held: %s", err)

    def _let_go_of_folder(self) -> None:
        if self._presence is not None:
            self._presence.release()
            self._presence = None

    def shutdown(self) -> None:
        self.upkeep.stop()
        self.hub_sync.stop()
        self.jobs.shutdown()
        if self.page is not None and hasattr(self.page, "shutdown"):
            self.page.shutdown()

    def close(self) -> None:
        """After the window closed: the GUI's own connection, and the folder lock."""
        if self.ctx is not None:
            self.ctx.close()
            self.ctx = None
        self._let_go_of_folder()


def _has_database(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size > 0
    except OSError:
        return False


def _bug_sentence() -> str:
    from checkpoint_app.ui.shared.errors import bug_sentence

    return bug_sentence()
