"""db/state.py: which of an entity's records is its state. Causal first (a record that supersedes
another wins over it whatever the clocks), then by time, origin and seq among records made
concurrently (reported), and records without ``supersedes`` in their old order."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkpoint_app.db.state import NONE, heads_of


def _rec(uid: str, at: str, origin: str = "g1", seq: int = 1, supersedes: str | None = NONE) -> dict:
    return {"uid": uid, "at": f"2026-12-03T{at}:00.000", "j_origin": origin, "j_seq": seq, "supersedes": supersedes}


CASES = [
    # (case, records, the state, how many heads: >1 is a conflict)
    ("one record", [_rec("a", "10:00")], "a", 1),
    ("records from before the field: latest by time", [_rec("a", "10:00", supersedes=None),
                                                       _rec("b", "09:00", "g2", supersedes=None)], "a", 1),
    ("records from before the field: same time, then origin", [_rec("a", "10:00", "g1", supersedes=None),
                                                               _rec("b", "10:00", "g2", supersedes=None)], "b", 1),
    ("a change made on what it saw wins though its clock is two hours behind",
     [_rec("a", "10:00", "office"), _rec("b", "08:00", "gate", supersedes="a")], "b", 1),
    ("a chain whose clocks go backwards",
     [_rec("a", "10:00"), _rec("b", "09:00", "g2", supersedes="a"), _rec("c", "08:00", "g3", supersedes="b")], "c", 1),
    ("two changes of the same state, neither seeing the other: the later by time, reported",
     [_rec("a", "09:00"), _rec("b", "11:00", "g2", supersedes="a"), _rec("c", "10:30", "g3", supersedes="a")], "b", 2),
    ("two first changes: concurrent", [_rec("a", "09:00", "g1"), _rec("b", "08:00", "g2")], "a", 2),
    ("a change that saw both concurrent ones settles them, whatever its clock",
     [_rec("a", "09:00"), _rec("b", "11:00", "g2", supersedes="a"), _rec("c", "10:30", "g3", supersedes="a"),
      _rec("d", "07:00", "g1", 2, supersedes="b,c")], "d", 1),
    ("a change that saw only one of two concurrent ones leaves the conflict",
     [_rec("a", "09:00"), _rec("b", "11:00", "g2", supersedes="a"), _rec("c", "10:30", "g3", supersedes="a"),
      _rec("d", "10:00", "g1", 2, supersedes="c")], "b", 2),
    ("a new record superseding the newest old one supersedes them all",
     [_rec("o1", "10:00", supersedes=None), _rec("o2", "11:00", "g2", supersedes=None),
      _rec("n", "09:00", "g3", supersedes="o2")], "n", 1),
    ("an old record the new one did not see (a PC not yet updated) is concurrent with it",
     [_rec("o1", "10:00", supersedes=None), _rec("n", "09:00", "g2", supersedes="o1"),
      _rec("o2", "12:00", "g3", supersedes=None)], "o2", 2),
    ("superseding a record not arrived yet: the rest still count",
     [_rec("a", "10:00"), _rec("b", "09:00", "g2", supersedes="x")], "a", 2),
]


@pytest.mark.parametrize("case, rows, state, heads", CASES, ids=[c[0] for c in CASES])
def test_which_record_is_the_state(case, rows, state, heads):
    for order in (rows, rows[::-1]):
        found = heads_of(list(order))
        assert found[0]["uid"] == state, case
        assert len(found) == heads, case


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["write", "sync"]), st.integers(0, 2), st.integers(0, 2)),
                min_size=1, max_size=25),
       st.lists(st.integers(-300, 300), min_size=3, max_size=3), st.randoms(use_true_random=False))
def test_every_pc_comes_to_the_same_state_whatever_the_clocks_and_the_arrival_order(steps, offsets, rnd):
    """Three PCs with clocks up to 5 hours apart change one entity and pass records between them
    at random. Every PC ends on the same record for any arrival order; a change never loses to a
    record it superseded; a history where every change saw the one before ends on the last change
    whatever the clocks."""
    start = datetime(2026, 12, 3, 10, 0)
    known: list[set[str]] = [set(), set(), set()]
    made: dict[str, dict] = {}
    seqs = [0, 0, 0]
    order: list[str] = []          # the changes in the order they were made
    for i, (what, a, b) in enumerate(steps):
        if what == "write":
            seqs[a] += 1
            seen = heads_of([made[u] for u in known[a]])
            uid = f"r{i}"
            made[uid] = {"uid": uid, "j_origin": f"g{a}", "j_seq": seqs[a],
                         "at": (start + timedelta(minutes=i + offsets[a])).isoformat(timespec="milliseconds"),
                         "supersedes": ",".join(sorted(r["uid"] for r in seen)) or NONE}
            known[a].add(uid)
            order.append(uid)
        else:
            known[b] |= known[a]
    if not made:
        return
    everything = list(made.values())
    results = set()
    for _ in range(4):                      # the same set, arriving in any order
        rnd.shuffle(everything)
        heads = heads_of(list(everything))
        results.add(heads[0]["uid"])
    assert len(results) == 1
    winner = made[results.pop()]
    ancestors = {u for r in made.values() for u in r["supersedes"].split(",")}
    assert winner["uid"] not in ancestors                    # nothing that superseded it exists
    linear = all(made[u]["supersedes"] == (order[k - 1] if k else NONE) for k, u in enumerate(order))
    if linear:
        assert winner["uid"] == order[-1] and len(heads_of(everything)) == 1

