"""Opening a gate's data folder again for work on another thread."""

from __future__ import annotations

import pytest

from checkpoint_app.errors import StorageError
from checkpoint_app.services import users
from checkpoint_app.services.context import open_gate, reopen


def test_a_context_opened_again_acts_for_the_same_person_and_stays_read_only(gate_ctx):
    """A read-only context (an auditor's look at a file, a benchmark on someone else's file) gave
    its background jobs a writable one: reopen kept the person but not the read-only mode."""
    readonly = open_gate(gate_ctx.data_dir, clock=gate_ctx.clock, readonly=True).acting_as("审计吴", "auditor")
    again = reopen(readonly)
    try:
        assert (again.user, again.role, again.db.readonly) == ("审计吴", "auditor", True)
        assert again.now() == gate_ctx.clock()
        with pytest.raises(StorageError):
            users.add_user(again.acting_as(None, "operator"), "新用户", "guard", "482913")
    finally:
        again.close()
        readonly.close()
    writable = reopen(gate_ctx.operator)
    try:
        assert not writable.db.readonly and writable.role == gate_ctx.operator.role
    finally:
        writable.close()
