"""The two error tiers on screen, without a single modal box.

- ``UserError``: its sentence is shown as is (already in the user's language);
- anything else is a bug: logged with its traceback, and the screen says "something went wrong,
  details in the log" in the notice strip — the gate keeps working.

Slots that call services are wrapped with ``@guarded``. ``sys.excepthook`` covers whatever
escapes anyway (PySide6 hands exceptions raised in slots to it).
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal

from checkpoint_app import log as logsetup
from checkpoint_app import paths
from checkpoint_app.errors import UserError

log = logging.getLogger(__name__)

# Tests set this so that a bug in a slot fails the test instead of becoming a notice.
reraise_bugs = False


class Notifier(QObject):
    """Where non-Qt-aware code sends messages for the notice strip: (level, text)."""

    message = Signal(str, str)


_notifier: Notifier | None = None


def notifier() -> Notifier:
    global _notifier
    if _notifier is None:
        _notifier = Notifier()
    return _notifier


def bug_sentence() -> str:
    return QCoreApplication.translate("errors", "出错了，详情见日志：{path}").format(
        path=logsetup.log_file() or paths.log_file())


def show_user_error(err: UserError) -> None:
    notifier().message.emit("warning", str(err))


def report_bug(exc: BaseException) -> None:
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    notifier().message.emit("bug", bug_sentence())


def guarded(fn: Callable) -> Callable:
    """Run a slot; a UserError becomes its sentence on screen, a bug is logged and announced."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except UserError as err:
            show_user_error(err)
        except Exception as exc:  # noqa: BLE001 — the gate must keep running
            if reraise_bugs:
                raise
            report_bug(exc)
        return None
    return wrapper


def install_excepthook() -> None:
    previous = sys.excepthook

    def hook(kind, value, tb):
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, value, tb)
            return
        if isinstance(value, UserError):
            show_user_error(value)
            return
        log.error("uncaught exception", exc_info=(kind, value, tb))
        try:
            notifier().message.emit("bug", bug_sentence())
        except Exception:  # noqa: BLE001
            pass

    sys.excepthook = hook
