from checkpoint_app.services.gate import record_passage
from checkpoint_app.services.history import search_history


def _walk(gate, name, times):
    for _ in range(times):
        gate.clock.advance(minutes=11)
        record_passage(gate.ctx, gate.cards[name], temperature="365")


def test_by_household_name_initials_newest_first(gate):
    _walk(gate, "张三", 3)
    _walk(gate, "李四", 2)
    _walk(gate, "赵六", 1)
    rows = search_history(gate.ctx, "3-2-501")
    assert [r.name for r in rows] == ["李四", "李四", "张三", "张三", "张三"]
    assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)
    assert {r.name for r in search_history(gate.ctx, "3-2")} == {"张三", "李四"}
    assert [r.name for r in search_history(gate.ctx, "赵")] == ["赵六"]
    assert len(search_history(gate.ctx, "zs")) == 3
    assert search_history(gate.ctx, "nobody") == [] and search_history(gate.ctx, " ") == []


def test_pages_continue_before_the_last_row(gate):
    _walk(gate, "张三", 7)
    first = search_history(gate.ctx, "张三", limit=3)
    second = search_history(gate.ctx, "张三", limit=3, before=first[-1].at)
    third = search_history(gate.ctx, "张三", limit=3, before=second[-1].at)
    assert len(first) == len(second) == 3 and len(third) == 1
    assert len({r.uid for r in first + second + third}) == 7
