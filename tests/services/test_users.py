"""Users: an admin cannot lock the site out of its own users page."""

from __future__ import annotations

import pytest

from checkpoint_app.errors import RuleRefusal
from checkpoint_app.services import users


def _disabled(gate, name):
    return gate.ctx.db.conn.execute("SELECT disabled FROM users WHERE name = ?", (name,)).fetchone()[0]


def test_an_admin_cannot_disable_themselves_nor_the_last_enabled_admin(gate):
    users.add_user(gate.ctx, "老王", "admin", "correct horse")
    users.add_user(gate.ctx, "小张", "admin", "battery staple")
    wang = gate.ctx.acting_as("老王", "admin")
    with pytest.raises(RuleRefusal, match="^不能停用自己的账号") as refused:
        users.disable_user(wang, "老王")
    assert refused.value.code == "disable_self" and _disabled(gate, "老王") == 0
    users.disable_user(wang, "小张")                               # another admin: allowed
    assert _disabled(gate, "小张") == 1
    # 小张 (disabled) is re-enabled and signs on; 老王 is now the last enabled admin but for 小张.
    users.enable_user(wang, "小张")
    zhang = gate.ctx.acting_as("小张", "admin")
    users.disable_user(zhang, "老王")
    with pytest.raises(RuleRefusal, match="最后一位启用的管理员") as refused:
        users.disable_user(gate.ctx.acting_as("老王", "admin"), "小张")   # 老王 acting while disabled
    assert refused.value.code == "last_admin" and _disabled(gate, "小张") == 0


def test_a_guard_or_a_manager_can_still_be_disabled_when_one_admin_is_left(gate):
    users.add_user(gate.ctx, "老王", "admin", "correct horse")
    users.add_user(gate.ctx, "小李", "guard", "1234")
    users.add_user(gate.ctx, "钱经理", "manager", "manager-pass")
    wang = gate.ctx.acting_as("老王", "admin")
    users.disable_user(wang, "小李")
    users.disable_user(wang, "钱经理")
    assert _disabled(gate, "小李") == _disabled(gate, "钱经理") == 1
