"""Two tiers of errors.

``UserError`` and its family carry a sentence fit to show the user as is (already in the
user's language). Anything else is a bug: logged with its traceback and shown as
"something went wrong, details in the log".
"""

from __future__ import annotations


class CheckpointError(Exception):
    """Base of every error this application raises on purpose."""


class UserError(CheckpointError):
    """An expected problem; ``str(err)`` is one clear sentence for the user.

    ``code`` is machine readable (used in ``--json`` output and tests).
    """

    exit_code = 1

    def __init__(self, message: str, code: str = "invalid_input") -> None:
        super().__init__(message)
        self.code = code


class InvalidInput(UserError):
    """Input that cannot be accepted (bad temperature, malformed date, unknown key...)."""


class RuleRefusal(UserError):
    """A rule of the gate refused the action."""


class NotFound(UserError):
    def __init__(self, message: str, code: str = "not_found") -> None:
        super().__init__(message, code)


class PermissionDenied(UserError):
    def __init__(self, message: str, code: str = "permission_denied") -> None:
        super().__init__(message, code)


class StorageError(UserError):
    """The database file cannot be used: disk full, locked, read-only, corrupt, too new."""

    exit_code = 3

    def __init__(self, message: str, code: str = "storage") -> None:
        super().__init__(message, code)


class DatabaseTooNew(StorageError):
    def __init__(self, message: str) -> None:
        super().__init__(message, "database_too_new")


class NotInitialised(StorageError):
    def __init__(self, message: str) -> None:
        super().__init__(message, "not_initialised")
