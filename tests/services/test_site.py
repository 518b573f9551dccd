"""Settings changed through the service: all checked before any is written, each change recorded."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from checkpoint_app.errors import InvalidInput
from checkpoint_app.services import site
from checkpoint_app.settings import SETTINGS, parse_setting


@pytest.fixture
def site_fixture(site):     # the fixture shares its name with the service module
    return site


def test_a_change_is_recorded_with_who_what_from_and_to_and_an_unchanged_value_is_not(site_fixture):
    ctx = site_fixture.ctx.acting_as("物业刘", "manager")
    site.set_settings(ctx, {"fever_threshold": "37.5", "quota_exits": "0"})     # quota_exits was 0 already
    changes = site.setting_changes(ctx)
    assert [(c["key"], c["old"], c["new"], c["by"]) for c in changes] == [("fever_threshold", "37.3", "37.5", "物业刘")]
    assert changes[0]["at"].startswith(site_fixture.clock().date().isoformat())
    assert {r["key"]: r["value"] for r in site.list_settings(ctx)}["fever_threshold"] == "37.5"
    with ctx.db.read() as conn:
        assert conn.execute("SELECT kind FROM journal ORDER BY origin_seq DESC LIMIT 1").fetchone()[0] == "setting_change"


@pytest.mark.parametrize(("key", "text"), [
    ("fever_threshold", "40.1"), ("quota_days", "31"), ("idle_lock_minutes", "0"), ("antipassback_reset", "24:00"),
    ("language", "fr"), ("backup_dir", "E:\\\x07"), ("no_such_setting", "1"),
])
def test_one_bad_value_among_good_ones_writes_nothing(site_fixture, key, text):
    ctx = site_fixture.ctx.acting_as("物业刘", "manager")
    before = site.list_settings(ctx)
    with pytest.raises(InvalidInput) as err:
        site.set_settings(ctx, {"fever_threshold": "37.8", key: text})
    assert str(err.value).count("\n") == 0 and site.list_settings(ctx) == before
    assert site.setting_changes(ctx) == []


@given(st.sampled_from([k for k, s in SETTINGS.items() if s.range and k != "fever_threshold"]), st.integers(-10, 10_000))
@hsettings(max_examples=200)
def test_a_whole_number_is_accepted_exactly_within_the_declared_range(key, value):
    low, high = SETTINGS[key].range
    if low <= value <= high:
        assert parse_setting(key, str(value)) == value
    else:
        with pytest.raises(InvalidInput):
            parse_setting(key, str(value))


def test_every_setting_has_a_label_a_line_of_help_and_a_range_or_choices_where_it_has_one():
    for key, s in SETTINGS.items():
        assert s.label != key and s.help != f"{key}_help" and "\n" not in s.help
    assert SETTINGS["fever_threshold"].range == (350, 400)
    assert SETTINGS["antipassback"].choices == ("off", "soft", "hard")
    assert SETTINGS["idle_lock_minutes"].unit_text in ("分钟", "min")
