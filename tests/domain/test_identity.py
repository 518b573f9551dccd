from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from checkpoint_app import i18n
from checkpoint_app.errors import InvalidInput
from checkpoint_app.domain.identity import (
    PROVINCE_CODES,
    id_number_birth_date,
    make_id_number,
    mask_id_number,
    mask_phone,
    normalize_name,
    validate_id_number,
    validate_mobile,
)

TODAY = date(2022, 4, 1)
PUBLISHED_SAMPLE = "11010519491231002X"  # the example printed in GB 11643-1999 commentaries
# Weights as printed in GB 11643-1999, kept literal here so the test does not share the
# implementation's derivation of them.
GB_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def reference_check(first17: str) -> str:
    value = (12 - sum(int(d) * w for d, w in zip(first17, GB_WEIGHTS)) % 11) % 11
    return "X" if value == 10 else str(value)


def with_check(first17: str) -> str:
    return first17 + reference_check(first17)


any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=60)


@pytest.fixture
def english():
    previous = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(previous)


# --- ID numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        (PUBLISHED_SAMPLE, PUBLISHED_SAMPLE),
        ("11010519491231002x", PUBLISHED_SAMPLE),
        ("  11010519491231002X\n", PUBLISHED_SAMPLE),
        ("110105 19491231 002X", PUBLISHED_SAMPLE),
        ("１１０１０５１９４９１２３１００２Ｘ", PUBLISHED_SAMPLE),
        ("１１０１０５１９４９１２３１００２ｘ", PUBLISHED_SAMPLE),
        (make_id_number("440305", date(1990, 2, 28), 123), make_id_number("440305", date(1990, 2, 28), 123)),
        (make_id_number("650102", date(2000, 2, 29), 8), make_id_number("650102", date(2000, 2, 29), 8)),
        (make_id_number("810000", date(1900, 1, 1), 1), make_id_number("810000", date(1900, 1, 1), 1)),
        (make_id_number("910000", TODAY, 999), make_id_number("910000", TODAY, 999)),
    ],
)
def test_valid_id_numbers(text, expected):
    assert validate_id_number(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "18 位，现在是 0 位"),
        (PUBLISHED_SAMPLE[:-1], "18 位，现在是 17 位"),
        (PUBLISHED_SAMPLE + "1", "18 位，现在是 19 位"),
        ("11010519491231002A", "只能是数字"),
        ("X10105194912310021", "只能是数字"),
        ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "只能是数字"),  # Arabic-Indic digits, which int() accepts
        ("110105194912310021", "校验码"),
        ("110105194912310020", "校验码"),
        (with_check("10010519491231002"), "省份代码"),
        (with_check("00010519491231002"), "省份代码"),
        (with_check("99010519491231002"), "省份代码"),
        (with_check("72010519491231002"), "省份代码"),
        (with_check("11010520000230002"), "出生日期不存在"),  # 30 February
        (with_check("11010519000229002"), "出生日期不存在"),  # 1900 was not a leap year
        (with_check("11010519901301002"), "出生日期不存在"),
        (with_check("11010519900100002"), "出生日期不存在"),
        (with_check("11010518991231002"), "早于 1900 年或晚于今天"),
        (with_check("11010520220402002"), "早于 1900 年或晚于今天"),  # tomorrow
    ],
)
def test_invalid_id_numbers_name_the_problem(text, problem):
    with pytest.raises(InvalidInput) as info:
        validate_id_number(text, today=TODAY)
    assert info.value.code == "id_number_invalid"
    assert problem in str(info.value)


def test_reference_oracle_agrees_with_the_published_sample():
    # Guards the test helper itself: the table above relies on it for correct check digits.
    assert with_check(PUBLISHED_SAMPLE[:17]) == PUBLISHED_SAMPLE


def test_today_defaults_to_the_real_date():
    assert validate_id_number(PUBLISHED_SAMPLE) == PUBLISHED_SAMPLE
    with pytest.raises(InvalidInput):
        validate_id_number(with_check("110105" + date(date.today().year + 1, 1, 1).strftime("%Y%m%d") + "002"))


def test_id_message_never_quotes_the_number(english):
    with pytest.raises(InvalidInput) as info:
        validate_id_number("110105194912310021")
    assert "1949" not in str(info.value) and "check digit" in str(info.value)


def test_birth_date():
    assert id_number_birth_date(PUBLISHED_SAMPLE) == date(1949, 12, 31)
    with pytest.raises(InvalidInput):
        id_number_birth_date("110105194912310021")


@pytest.mark.parametrize(
    "region, birth, seq",
    [
        ("11010", date(1990, 1, 1), 1),
        ("1101051", date(1990, 1, 1), 1),
        ("99010", date(1990, 1, 1), 1),
        ("990105", date(1990, 1, 1), 1),
        ("110105", date(1899, 12, 31), 1),
        ("110105", date(1990, 1, 1), -1),
        ("110105", date(1990, 1, 1), 1000),
    ],
)
def test_make_id_number_refuses_bad_arguments(region, birth, seq):
    with pytest.raises(ValueError):
        make_id_number(region, birth, seq)


regions = st.builds(
    lambda p, rest: f"{p:02d}{rest:04d}", st.sampled_from(sorted(PROVINCE_CODES)), st.integers(0, 9999)
)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
seqs = st.integers(0, 999)


@settings(max_examples=300)
@given(regions, births, seqs)
def test_made_id_numbers_validate_and_carry_their_birth_date(region, birth, seq):
    number = make_id_number(region, birth, seq)
    assert number[:6] == region and number[14:17] == f"{seq:03d}"
    assert number[17] == reference_check(number[:17])
    assert validate_id_number(number, today=TODAY) == number
    assert validate_id_number(number.lower(), today=TODAY) == number
    assert id_number_birth_date(number) == birth


@settings(max_examples=300)
@given(regions, births, seqs, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_substitution_is_refused(region, birth, seq, position, char):
    number = make_id_number(region, birth, seq)
    assume(number[position] != char)
    with pytest.raises(InvalidInput):
        validate_id_number(number[:position] + char + number[position + 1 :], today=TODAY)


@settings(max_examples=300)
@given(regions, births, seqs, st.integers(0, 16))
def test_any_adjacent_transposition_is_refused(region, birth, seq, position):
    number = make_id_number(region, birth, seq)
    assume(number[position] != number[position + 1])
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    with pytest.raises(InvalidInput):
        validate_id_number(swapped, today=TODAY)


@settings(max_examples=300)
@given(st.one_of(any_text, st.text(alphabet="0123456789Xx ", min_size=16, max_size=20)))
def test_id_arbitrary_text_only_ever_raises_invalid_input(text):
    try:
        result = validate_id_number(text, today=TODAY)
    except InvalidInput as err:
        assert err.code == "id_number_invalid"
    else:
        assert result[17] == reference_check(result[:17])


# --- mobile numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "13812345678",
        " 13812345678 ",
        "138 1234 5678",
        "138-1234-5678",
        "+8613812345678",
        "+86 138 1234 5678",
        "+86-138-1234-5678",
        "008613812345678",
        "8613812345678",
        "１３８１２３４５６７８",
        "＋８６　１３８－１２３４－５６７８",
    ],
)
def test_valid_mobiles(text):
    assert validate_mobile(text) == "13812345678"


@pytest.mark.parametrize("prefix", ["13", "14", "15", "16", "17", "18", "19"])
def test_every_mobile_prefix_from_13_to_19(prefix):
    assert validate_mobile(prefix + "912345678") == prefix + "912345678"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1381234567",
        "138123456789",
        "12812345678",
        "10812345678",
        "23812345678",
        "010-12345678",  # a landline
        "+85213812345678",
        "+1 13812345678",
        "86 1381234567",
        "861381234567",
        "1381234567a",
        "138.1234.5678",
        "(138)12345678",
        "١٣٨١٢٣٤٥٦٧٨",
        "+86+8613812345678",
    ],
)
def test_invalid_mobiles(text):
    with pytest.raises(InvalidInput) as info:
        validate_mobile(text)
    assert info.value.code == "phone_invalid"


mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@given(mobiles, st.sampled_from(["", "+86", "0086", "86", "+86 ", "＋８６-"]), st.sampled_from(["", " ", "-"]))
def test_mobile_prefixes_and_separators_round_trip(mobile, prefix, sep):
    spaced = sep.join([mobile[:3], mobile[3:7], mobile[7:]])
    assert validate_mobile(prefix + spaced) == mobile


@settings(max_examples=300)
@given(any_text)
def test_mobile_arbitrary_text_only_ever_raises_invalid_input(text):
    try:
        result = validate_mobile(text)
    except InvalidInput as err:
        assert err.code == "phone_invalid"
    else:
        assert len(result) == 11 and result.isascii() and result.isdigit()


# --- masking -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, masked",
    [
        (PUBLISHED_SAMPLE, "110***********002X"),
        ("110105491231002", "110********1002"),  # old 15-digit card
        ("", ""),
        ("1", "*"),
        ("1234", "1**4"),
        ("12345678", "12****78"),
    ],
)
def test_mask_id_number(text, masked):
    assert mask_id_number(text) == masked


@pytest.mark.parametrize(
    "text, masked",
    [("13812345678", "138****5678"), ("", ""), ("123", "***"), ("12345678", "12****78")],
)
def test_mask_phone(text, masked):
    assert mask_phone(text) == masked


@given(regions, births, seqs)
def test_masked_id_never_shows_the_birth_date_or_sequence(region, birth, seq):
    number = make_id_number(region, birth, seq)
    masked = mask_id_number(number)
    assert masked == number[:3] + "*" * 11 + number[-4:]


@given(mobiles)
def test_masked_phone_never_shows_the_middle_four(mobile):
    assert mask_phone(mobile) == mobile[:3] + "****" + mobile[-4:]


@given(st.text(alphabet="0123456789X", max_size=40))
def test_masking_reveals_at_most_seven_characters_and_at_most_half_of_short_input(text):
    for mask in (mask_id_number, mask_phone):
        masked = mask(text)
        shown = sum(c != "*" for c in masked)
        assert len(masked) == len(text) and shown <= 7
        assert all(m in ("*", t) for m, t in zip(masked, text))
        if len(text) < 11:
            assert shown <= len(text) // 2


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("张三", "张三"),
        ("  张三 ", "张三"),
        ("李𠮷祥", "李𠮷祥"),  # Extension B
        ("陈䶮", "陈䶮"),  # Extension A
        ("阿卜杜·热合曼", "阿卜杜·热合曼"),
        ("阿卜杜•热合曼", "阿卜杜·热合曼"),
        ("阿卜杜．热合曼", "阿卜杜·热合曼"),
        ("阿卜杜・热合曼", "阿卜杜·热合曼"),
        ("阿卜杜 · 热合曼", "阿卜杜·热合曼"),
        ("John  Smith", "John Smith"),
        ("John\tSmith", "John Smith"),
        ("Ｊｏｈｎ　Ｓｍｉｔｈ", "John Smith"),
        ("José Müller", "José Müller"),
        ("Jose\u0301", "José"),  # decomposed accent composed by NFC
        ("O'Brien", "O'Brien"),
        ("Jean-Pierre", "Jean-Pierre"),
        ("王〇", "王〇"),
        ("张" * 40, "张" * 40),
        ("吴 丽", "吴丽"),            # a two-character name padded in Excel to line up with three
        ("王　　芳", "王芳"),
        ("欧阳 娜娜", "欧阳娜娜"),
        ("李𠮷 祥", "李𠮷祥"),
        ("张 John", "张 John"),
    ],
)
def test_valid_names(text, expected):
    assert normalize_name(text) == expected


@pytest.mark.parametrize(
    "text, problem",
    [
        ("", "请输入姓名"),
        ("   \n", "请输入姓名"),
        ("张" * 41, "不能超过 40 个字"),
        ("张" * 5000, "不能超过 40 个字"),
        ("12345", "只有数字"),
        ("123 456", "只有数字"),
        ("张三\x00", "U+0000"),
        ("张\u200b三", "U+200B"),
        ("张\ud800三", "U+D800"),
        ("张三3", "“3”"),
        ("张三!", "“!”"),
        ("张三😀", "“😀”"),
        ("Иван", "“И”"),
        ("·张三", "间隔号"),
        ("张三·", "间隔号"),
        ("张··三", "间隔号"),
        ("'-", "“'”"),
    ],
)
def test_invalid_names_name_the_problem(text, problem):
    with pytest.raises(InvalidInput) as info:
        normalize_name(text)
    assert info.value.code == "name_invalid"
    assert problem in str(info.value)


def test_name_messages_in_english(english):
    with pytest.raises(InvalidInput, match="^Please enter the name"):
        normalize_name("")


cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF) | st.characters(
    min_codepoint=0x20000, max_codepoint=0x2A6DF
)


@given(st.lists(st.text(alphabet=cjk, min_size=1, max_size=6), min_size=1, max_size=3))
def test_cjk_names_with_middle_dots_are_kept_and_idempotent(parts):
    name = "·".join(parts)
    assert normalize_name(name) == name
    assert normalize_name(" " + "•".join(parts) + " ") == name
    assert normalize_name(normalize_name(name)) == name


@settings(max_examples=500)
@given(any_text)
def test_name_arbitrary_text_only_ever_raises_invalid_input(text):
    try:
        name = normalize_name(text)
    except InvalidInput as err:
        assert err.code == "name_invalid"
        str(err).encode("utf-8")  # a lone surrogate must not leak into the message
    else:
        assert 0 < len(name) <= 40 and name == name.strip()
        assert normalize_name(name) == name
