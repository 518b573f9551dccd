import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkpoint_app import i18n
from checkpoint_app.errors import InvalidInput
from checkpoint_app.domain.temperature import format_temperature, is_fever, parse_temperature


@pytest.fixture
def english():
    previous = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(previous)


@pytest.mark.parametrize(
    "text, tenths",
    [
        ("365", 365),
        ("36.5", 365),
        ("36,5", 365),
        ("37", 370),
        ("37.0", 370),
        ("  36.5  ", 365),
        ("\t365\n", 365),
        ("３６５", 365),
        ("３６．５", 365),
        ("３６，５", 365),
        ("36。5", 365),  # the full stop key under a Chinese IME
        ("36.5°C", 365),
        ("36.5 °C", 365),
        ("36.5℃", 365),
        ("36.5 ℃", 365),
        ("36.5C", 365),
        ("36.5c", 365),
        ("36.5°", 365),
        ("36.5度", 365),
        ("365度", 365),
        ("37度", 370),
        ("36.55", 366),  # half-up
        ("36.54", 365),
        ("36.45", 365),
        ("36.50", 365),
        ("36.05", 361),
        ("36.99", 370),
        ("340", 340),
        ("42.5", 425),
        ("34", 340),
    ],
)
def test_accepted(text, tenths):
    assert parse_temperature(text) == tenths


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "3",
        "3655",
        "36.5.1",
        "36..5",
        "36.",
        ".5",
        "36.555",
        "365.0",
        "3.65",
        "-36",
        "+36.5",
        "36 5",
        "nan",
        "inf",
        "1e2",
        "0x16d",
        "36.5F",
        "°C",
        "36.5°C°C",
        "٣٦٥",  # Arabic-Indic digits: int() would take them
        "三十六点五",
        "36_5",
    ],
)
def test_malformed(text):
    with pytest.raises(InvalidInput) as info:
        parse_temperature(text)
    assert info.value.code == "temperature_malformed"


@pytest.mark.parametrize("text", ["339", "33.9", "42.6", "426", "99", "999", "08", "000", "36.55"])
def test_implausible(text):
    with pytest.raises(InvalidInput) as info:
        parse_temperature(text, high_tenths=365)
    assert info.value.code == "temperature_implausible"


def test_default_range_is_34_0_to_42_5():
    assert parse_temperature("34.0") == 340 and parse_temperature("42.5") == 425
    for text in ("33.9", "42.6"):
        with pytest.raises(InvalidInput, match="不合理"):
            parse_temperature(text)


def test_range_bounds_are_configurable_and_inclusive():
    assert parse_temperature("350", low_tenths=350, high_tenths=350) == 350
    with pytest.raises(InvalidInput):
        parse_temperature("351", low_tenths=350, high_tenths=350)


def test_inverted_range_is_a_programming_error():
    with pytest.raises(ValueError):
        parse_temperature("365", low_tenths=400, high_tenths=300)


def test_malformed_message_quotes_the_input():
    with pytest.raises(InvalidInput) as info:
        parse_temperature("abc")
    assert str(info.value) == "体温“abc”无法识别，请输入如 365 或 36.5。"


def test_implausible_message_names_the_reading():
    with pytest.raises(InvalidInput) as info:
        parse_temperature("451")
    assert str(info.value) == "体温 45.1 °C 不合理，可能是误读，请重新测量。"


def test_messages_in_english(english):
    with pytest.raises(InvalidInput, match=r'^The temperature "abc" is not understood'):
        parse_temperature("abc")
    with pytest.raises(InvalidInput, match=r"^A temperature of 45\.1 °C is not plausible"):
        parse_temperature("451")


def test_echoed_input_is_stripped_of_control_characters_and_truncated():
    with pytest.raises(InvalidInput) as info:
        parse_temperature("\x1b[31mred\x00\u202e" + "9" * 50)
    message = str(info.value)
    quoted = message[message.index("“") + 1 : message.index("”")]
    assert len(quoted) <= 20 and quoted.endswith("…")
    assert quoted.startswith("[31mred999")
    assert all(c.isprintable() for c in message)


def test_echoed_input_survives_lone_surrogates():
    with pytest.raises(InvalidInput) as info:
        parse_temperature("36\ud800")
    str(info.value).encode("utf-8")  # would raise if the surrogate leaked into the message


@pytest.mark.parametrize(
    "tenths, text", [(365, "36.5"), (370, "37.0"), (340, "34.0"), (5, "0.5"), (0, "0.0"), (-5, "-0.5")]
)
def test_format_temperature(tenths, text):
    assert format_temperature(tenths) == text


@pytest.mark.parametrize(
    "tenths, threshold, fever", [(372, 373, False), (373, 373, True), (374, 373, True)]
)
def test_is_fever_at_or_above_threshold(tenths, threshold, fever):
    assert is_fever(tenths, threshold) is fever


plausible = st.integers(340, 425)


@given(plausible)
def test_every_plausible_reading_parses_back_from_each_typed_form(tenths):
    whole, tenth = divmod(tenths, 10)
    for text in (f"{whole}.{tenth}", f"{whole},{tenth}", f"{tenths:03d}", format_temperature(tenths)):
        assert parse_temperature(text) == tenths


@given(plausible, st.integers(0, 9))
def test_two_decimals_round_half_up(tenths, hundredth):
    whole, tenth = divmod(tenths, 10)
    expected = tenths + (1 if hundredth >= 5 else 0)
    try:
        assert parse_temperature(f"{whole}.{tenth}{hundredth}") == expected
    except InvalidInput as err:
        assert err.code == "temperature_implausible" and expected > 425


@given(st.integers(100, 999), st.integers(100, 999))
def test_result_always_within_the_bounds_given(a, b):
    low, high = min(a, b), max(a, b)
    try:
        assert low <= parse_temperature(format_temperature(a), low_tenths=low, high_tenths=high) <= high
    except InvalidInput as err:
        assert err.code == "temperature_implausible"


@settings(max_examples=500)
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=30))
def test_arbitrary_text_only_ever_raises_invalid_input(text):
    try:
        tenths = parse_temperature(text)
    except InvalidInput as err:
        assert err.code in {"temperature_malformed", "temperature_implausible"}
        assert len(str(err)) < 120
    else:
        assert 340 <= tenths <= 425


@given(st.text(alphabet="0123456789.,。 °C℃度c", max_size=12))
def test_near_miss_text_only_ever_raises_invalid_input(text):
    try:
        parse_temperature(text)
    except InvalidInput:
        pass


@given(st.integers(340, 425), st.integers(340, 425))
def test_is_fever_matches_the_comparison(tenths, threshold):
    assert is_fever(tenths, threshold) == (tenths >= threshold)
