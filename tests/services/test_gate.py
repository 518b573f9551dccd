"""Recording passages through the service: what is decided and what ends up in the file."""

from __future__ import annotations

from datetime import timedelta

import pytest

from checkpoint_app.db.verify import verify_database
from checkpoint_app.domain import passcode
from checkpoint_app.services import passes, residents, site as site_service
from checkpoint_app.services.gate import identify, record_manual_passage, record_passage


def test_a_scan_is_allowed_recorded_and_chained(gate):
    r = record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    assert (r.outcome, r.reason, r.direction) == ("allowed", "ok", "out")
    assert r.holder.name == "张三" and r.holder.household == "3-2-501"
    row = gate.ctx.db.conn.execute("SELECT outcome, temp_tenths, direction, guard FROM passages WHERE uid = ?",
                                   (r.passage_id,)).fetchone()
    assert row == ("allowed", 365, "out", None)
    assert verify_database(gate.ctx.db.conn).ok


def test_direction_alternates_by_default(gate):
    dirs = []
    for _ in range(4):
        gate.clock.advance(minutes=5)
        dirs.append(record_passage(gate.ctx, gate.cards["张三"], temperature="365").direction)
    assert dirs == ["out", "in", "out", "in"]


def test_same_pass_again_within_the_window_is_ignored_not_logged(gate):
    record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    before = gate.count("passages")
    gate.clock.advance(seconds=3)
    r = record_passage(gate.ctx, gate.cards["张三"].lower(), temperature="365")
    assert (r.outcome, r.reason, r.passage_id) == ("ignored", "duplicate", None)
    assert gate.count("passages") == before
    gate.clock.advance(seconds=10)
    assert record_passage(gate.ctx, gate.cards["张三"], temperature="365").outcome == "allowed"


def test_scanner_with_caps_lock_and_trailing_enter_still_works(gate):
    text = gate.cards["李四"].swapcase() + "\r\n"
    assert record_passage(gate.ctx, text, temperature="36,5").outcome == "allowed"


@pytest.mark.parametrize("temp, reason", [("45", "temperature_implausible"), ("3x5", "temperature_malformed"),
                                          ("", None)])
def test_bad_temperatures_write_nothing(gate, temp, reason):
    before = gate.count("journal")
    r = record_passage(gate.ctx, gate.cards["张三"], temperature=temp)
    if reason is None:  # no temperature taken at all is allowed through the service
        assert r.outcome == "allowed"
        return
    assert (r.outcome, r.reason, r.passage_id) == ("denied", reason, None)
    assert gate.count("journal") == before


def test_garbage_scan_writes_nothing(gate):
    before = gate.count("journal")
    for text in ("", "hello", "CP1", "CP1AAAA", "\x00\x1b[31m", "💥" * 600, "'; DROP TABLE passages; --"):
        r = record_passage(gate.ctx, text, temperature="365")
        assert (r.outcome, r.reason, r.passage_id) == ("denied", "malformed", None)
    assert gate.count("journal") == before


def test_fever_asks_to_remeasure_then_records_the_second_reading(gate):
    first = record_passage(gate.ctx, gate.cards["张三"], temperature="380", require_remeasure=True)
    assert first.needs_remeasure and first.passage_id is None and first.reason == "fever_remeasure"
    assert gate.count("passages") == 0
    confirmed = record_passage(gate.ctx, gate.cards["张三"], temperature="380", remeasure="379",
                               require_remeasure=True)
    assert (confirmed.outcome, confirmed.reason, confirmed.temperature) == ("flagged", "fever", 379)
    assert gate.count("incidents") == 1


def test_a_remeasure_below_the_threshold_is_a_normal_passage(gate):
    r = record_passage(gate.ctx, gate.cards["张三"], temperature="375", remeasure="366", require_remeasure=True)
    assert (r.outcome, r.temperature) == ("allowed", 366)
    assert gate.count("incidents") == 0


def test_quarantined_resident_is_denied_exit_and_an_incident_opens(gate):
    r = record_passage(gate.ctx, gate.cards["王五"], temperature="365", direction="out")
    assert (r.outcome, r.reason) == ("denied", "quarantine")
    assert "2026-11-25" in r.message
    assert gate.count("incidents") == 1
    gate.clock.set(gate.clock.now.replace(day=26))
    assert record_passage(gate.ctx, gate.cards["王五"], temperature="365").outcome == "allowed"


def test_observation_is_flagged(gate):
    r = record_passage(gate.ctx, gate.cards["赵六"], temperature="365")
    assert (r.outcome, r.reason) == ("flagged", "observation")


@pytest.mark.parametrize("mode, outcome", [("soft", "flagged"), ("hard", "denied")])
def test_anti_passback(gate, mode, outcome):
    site_service.set_setting(gate.ctx, "antipassback", mode)
    record_passage(gate.ctx, gate.cards["张三"], temperature="365", direction="out")
    gate.clock.advance(minutes=1)
    r = record_passage(gate.ctx, gate.cards["张三"], temperature="365", direction="out")
    assert (r.outcome, r.reason) == (outcome, "antipassback")
    assert "每日 04:00 重置" in r.message  # when it may go out again (issue 11 finding 8)


def test_anti_passback_names_the_reset_set_for_the_site(gate):
    site_service.set_setting(gate.ctx, "antipassback", "hard")
    site_service.set_setting(gate.ctx, "antipassback_reset", "05:30")
    record_passage(gate.ctx, gate.cards["张三"], temperature="365", direction="out")
    gate.clock.advance(minutes=1)
    r = record_passage(gate.ctx, gate.cards["张三"], temperature="365", direction="out")
    assert r.outcome == "denied" and "05:30" in r.message


def test_household_quota_counts_every_member(gate):
    site_service.set_setting(gate.ctx, "quota_exits", "1")
    site_service.set_setting(gate.ctx, "quota_days", "2")
    assert record_passage(gate.ctx, gate.cards["张三"], temperature="365").outcome == "allowed"
    gate.clock.advance(minutes=1)
    r = record_passage(gate.ctx, gate.cards["李四"], temperature="365", direction="out")
    assert (r.outcome, r.reason) == ("denied", "quota")
    gate.clock.advance(days=1)
    assert record_passage(gate.ctx, gate.cards["李四"], temperature="365", direction="out").outcome == "denied"
    gate.clock.advance(days=1)
    assert record_passage(gate.ctx, gate.cards["李四"], temperature="365", direction="out").outcome == "allowed"


def test_late_return_is_flagged_and_can_suspend_the_next_exit(gate):
    site_service.set_setting(gate.ctx, "outing_limit_minutes", "120")
    site_service.set_setting(gate.ctx, "late_return_suspends", "true")
    record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    gate.clock.advance(minutes=150)
    back = record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    assert (back.direction, back.outcome, back.reason) == ("in", "flagged", "late_return")
    gate.clock.advance(minutes=30)
    r = record_passage(gate.ctx, gate.cards["李四"], temperature="365")
    assert (r.outcome, r.reason) == ("denied", "late_return_suspended")


def test_revoked_and_superseded_cards_are_denied_and_logged(gate):
    old = gate.cards["张三"]
    passes.revoke_pass(gate.ctx, "1", "遗失")
    r = record_passage(gate.ctx, old, temperature="365")
    assert (r.outcome, r.reason) == ("denied", "revoked")
    new = passes.issue_passes(gate.ctx, household="3-2-501")
    assert [p.name for p in new] == ["张三"] and new[0].version == 2
    gate.clock.advance(minutes=1)
    assert record_passage(gate.ctx, new[0].payload, temperature="365").outcome == "allowed"
    gate.clock.advance(minutes=1)
    li = gate.cards["李四"]
    reissued = passes.issue_passes(gate.ctx, household="3-2-501", reissue=True)
    assert {p.name for p in reissued} == {"张三", "李四"}
    r = record_passage(gate.ctx, li, temperature="365")
    assert (r.outcome, r.reason) == ("denied", "superseded")


def test_expired_pass(gate):
    from checkpoint_app.services import clock_guard
    gate.clock.advance(days=400)
    clock_guard.acknowledge(gate.ctx, "门岗停用一年后重新启用")  # a year without records: confirmed by hand
    r = record_passage(gate.ctx, gate.cards["张三"], temperature="365")
    assert (r.outcome, r.reason) == ("denied", "expired")


def test_forged_foreign_and_unknown_passes(gate):
    forger, _pub = passcode.generate_keypair()
    forged = passcode.encode_pass("HXY01", 1, 1, 1, forger)
    r = record_passage(gate.ctx, forged, temperature="365")
    assert (r.outcome, r.reason, r.holder) == ("denied", "forged", None)
    foreign = passcode.encode_pass("OTHER9", 1, 1, 1, forger)
    assert record_passage(gate.ctx, foreign, temperature="365").reason == "foreign_site"
    key = gate.ctx.db.conn.execute("SELECT private_key FROM site_keys").fetchone()[0]
    unknown = passcode.encode_pass("HXY01", 9999, 1, 1, bytes(key))
    assert record_passage(gate.ctx, unknown, temperature="365").reason == "unknown_pass"
    rows = gate.ctx.db.conn.execute("SELECT reason, payload_excerpt IS NOT NULL FROM passages ORDER BY at").fetchall()
    assert rows == [("forged", 1), ("foreign_site", 1), ("unknown_pass", 1)]
    assert gate.count("incidents") == 3


def test_identify_shows_the_holder_without_writing(gate):
    before = gate.count("journal")
    ident = identify(gate.ctx, gate.cards["李𠮷祥"])
    assert ident.refusal is None and ident.holder.name == "李𠮷祥" and ident.holder.household == "5-1-102"
    assert identify(gate.ctx, "nonsense").refusal == "malformed"
    assert gate.count("journal") == before


def test_manual_entry_follows_the_same_rules_and_is_marked(gate):
    r = record_manual_passage(gate.ctx, gate.ids["王五"], temperature="365", direction="out")
    assert (r.outcome, r.reason) == ("denied", "quarantine")
    r = record_manual_passage(gate.ctx, gate.ids["张三"], temperature="365", guard="李建国")
    assert r.outcome == "allowed"
    assert gate.ctx.db.conn.execute("SELECT manual, guard FROM passages WHERE uid = ?",
                                    (r.passage_id,)).fetchone() == (1, "李建国")


def test_status_change_applies_at_the_next_scan(gate):
    residents.set_status(gate.ctx, gate.ids["张三"], "quarantine", until=gate.clock.now.date() + timedelta(days=7))
    assert record_passage(gate.ctx, gate.cards["张三"], temperature="365").reason == "quarantine"


def test_english_sentences(gate):
    from checkpoint_app import i18n
    i18n.set_language("en")
    try:
        r = record_passage(gate.ctx, gate.cards["王五"], temperature="365", direction="out")
        assert r.message.startswith("In home quarantine until 2026-11-25")
    finally:
        i18n.set_language("zh_CN")
