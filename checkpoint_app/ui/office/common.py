"""Small helpers the office pages share."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from checkpoint_app.errors import UserError


def say(label: QLabel, kind: str, text: str) -> None:
    """The line under a form: ``fieldOk`` (green) or ``fieldError`` (red) from the style sheet."""
    if label.objectName() != kind:
        label.setObjectName(kind)
        label.style().unpolish(label)
        label.style().polish(label)
    label.setText(text)


def say_refusal(label: QLabel, err: BaseException) -> None:
    """A background job's failure: a UserError is said under the form; a bug goes on up (the
    error tiers log and announce it)."""
    if not isinstance(err, UserError):
        raise err
    say(label, "fieldError", str(err))
