import base64
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkpoint_app import i18n
from checkpoint_app.errors import InvalidInput
from checkpoint_app.domain.passcode import (
    MAX_NUMBER,
    MAX_TEXT_LENGTH,
    SIGNING_CONTEXT,
    MalformedPass,
    PassPayload,
    decode_pass,
    encode_pass,
    format_pass_number,
    generate_keypair,
    is_complete_pass,
    is_pass_start,
    normalize_site_code,
    parse_pass_number,
    verify_signature,
)

PRIVATE, PUBLIC = generate_keypair()
OTHER_PRIVATE, OTHER_PUBLIC = generate_keypair()
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

site_codes = st.text(alphabet=string.ascii_uppercase + string.digits, min_size=2, max_size=16)
numbers = st.integers(0, MAX_NUMBER)
versions = st.integers(0, 0xFFFF)
key_ids = st.integers(0, 0xFF)


def sample(site="GARDEN1", number=123, version=2, key_id=1):
    return encode_pass(site, number, version, key_id, PRIVATE)


def full_width(text):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.fixture
def english():
    previous = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(previous)


# --- keys and encoding ---------------------------------------------------------------------


def test_generate_keypair_gives_raw_32_byte_keys_that_differ_each_time():
    private, public = generate_keypair()
    assert len(private) == 32 and len(public) == 32
    assert generate_keypair()[0] != private


def test_encoded_pass_is_prefix_plus_uppercase_base32_without_punctuation():
    text = sample()
    assert text.startswith("CP1")
    assert set(text[3:]) <= set(B32)
    assert text.isascii() and "=" not in text


def test_longest_pass_stays_short_enough_for_a_small_qr():
    text = encode_pass("A" * 16, MAX_NUMBER, 0xFFFF, 0xFF, PRIVATE)
    assert len(text) == 3 + 141  # 88 bytes -> 141 Base32 characters


def test_signed_message_has_context_prefix_and_exact_layout():
    payload = decode_pass(sample("AB", 0x01020304, 0x0506, 7))
    assert payload.message == SIGNING_CONTEXT + bytes([7, 2]) + b"AB" + bytes([1, 2, 3, 4, 5, 6])
    assert len(payload.signature) == 64


@pytest.mark.parametrize(
    "site, number, version, key_id",
    [
        ("a1", 1, 1, 1),  # lowercase: the site code must already be canonical
        ("A", 1, 1, 1),
        ("A" * 17, 1, 1, 1),
        ("AB-1", 1, 1, 1),
        ("ＡＢ", 1, 1, 1),
        ("AB", -1, 1, 1),
        ("AB", MAX_NUMBER + 1, 1, 1),
        ("AB", 1, -1, 1),
        ("AB", 1, 0x10000, 1),
        ("AB", 1, 1, -1),
        ("AB", 1, 1, 256),
        ("AB", True, 1, 1),
        ("AB", 1.0, 1, 1),
    ],
)
def test_encode_refuses_out_of_range_arguments(site, number, version, key_id):
    with pytest.raises(ValueError):
        encode_pass(site, number, version, key_id, PRIVATE)


@settings(max_examples=200)
@given(site=site_codes, number=numbers, version=versions, key_id=key_ids)
def test_round_trip(site, number, version, key_id):
    payload = decode_pass(encode_pass(site, number, version, key_id, PRIVATE))
    assert (payload.site_code, payload.number, payload.version, payload.key_id) == (
        site,
        number,
        version,
        key_id,
    )
    assert verify_signature(payload, PUBLIC)
    assert not verify_signature(payload, OTHER_PUBLIC)


# --- what keyboards and scanners do to the text ----------------------------------------------

@pytest.mark.parametrize("text, complete", [
    (sample(), True),
    (sample().lower(), True),                       # Caps Lock
    (full_width(sample()[:20]) + sample()[20:], True),
    (sample() + "\r", True),                        # the suffix is whitespace
    (sample()[:-1], False),                         # the last key not typed yet
    (sample() + "A", False),                        # more than the header announces
    ("CP1", False),
    ("", False),
    ("HELLO WORLD 36.5", False),
    ("CP1SELFTESTNOTAPASS0000000000", False),
])
def test_is_complete_pass(text, complete):
    assert is_complete_pass(text) is complete


@settings(max_examples=100)
@given(site=site_codes, number=numbers, version=versions, key_id=key_ids, data=st.data())
def test_no_proper_prefix_of_a_pass_is_complete(site, number, version, key_id, data):
    """The scan capture ends a burst as soon as it is complete: a shorter part never may be."""
    text = encode_pass(site, number, version, key_id, PRIVATE)
    cut = data.draw(st.integers(0, len(text) - 1))
    assert is_complete_pass(text)
    assert not is_complete_pass(text[:cut])
    assert is_pass_start(text[:cut]) is (cut >= 1)
    assert not is_pass_start(text)


@pytest.mark.parametrize("text", ["", "X", "PC", "CQ1", "HELLO WORLD", "CP1ABC1", "CP1 abc!", sample()])
def test_is_pass_start_refuses(text):
    assert not is_pass_start(text)



@pytest.mark.parametrize(
    "mangle",
    [
        str.lower,
        str.swapcase,
        lambda t: t + "\r\n",
        lambda t: "\t " + t + "\n",
        lambda t: t[:10] + " " + t[10:20] + "\n" + t[20:],
        full_width,
        lambda t: full_width(t.lower()) + "\u3000",
    ],
    ids=["lower", "caps-lock", "crlf", "padded", "inner-whitespace", "full-width", "fw-lower"],
)
def test_decode_survives_keyboard_mangling(mangle):
    text = sample()
    payload = decode_pass(mangle(text))
    assert payload == decode_pass(text)
    assert verify_signature(payload, PUBLIC)


@given(st.data())
def test_any_case_mix_decodes_to_the_same_payload(data):
    text = sample()
    flips = data.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    mixed = "".join(c.lower() if f else c for c, f in zip(text, flips))
    assert decode_pass(mixed) == decode_pass(text)


# --- tampering and garbage -----------------------------------------------------------------


def test_wrong_key_does_not_verify():
    assert not verify_signature(decode_pass(sample()), OTHER_PUBLIC)


def test_pass_signed_by_another_key_does_not_verify():
    forged = encode_pass("GARDEN1", 123, 2, 1, OTHER_PRIVATE)
    assert not verify_signature(decode_pass(forged), PUBLIC)


def test_verify_with_badly_sized_public_key_is_a_configuration_error():
    with pytest.raises(ValueError):
        verify_signature(decode_pass(sample()), b"short")


@settings(max_examples=300)
@given(st.data())
def test_any_single_changed_character_is_refused(data):
    text = sample()
    position = data.draw(st.integers(0, len(text) - 1))
    replacement = data.draw(st.sampled_from(B32 + "CP1").filter(lambda c: c != text[position]))
    tampered = text[:position] + replacement + text[position + 1 :]
    try:
        payload = decode_pass(tampered)
    except MalformedPass:
        return
    assert not verify_signature(payload, PUBLIC)


def test_changed_signed_field_does_not_verify():
    payload = decode_pass(sample(number=123))
    raised = PassPayload(
        payload.site_code,
        payload.key_id,
        124,
        payload.version,
        payload.message[:-6] + bytes([0, 0, 0, 124]) + payload.message[-2:],
        payload.signature,
    )
    assert not verify_signature(raised, PUBLIC)


def test_non_canonical_last_character_is_malformed():
    text = sample()
    # 79 bytes = 632 bits -> 127 characters: the last carries 2 data bits and 3 unused ones,
    # so setting an unused bit leaves the decoded bytes (and the signature) unchanged.
    last = B32.index(text[-1])
    assert len(text) == 3 + 127 and last & 0b111 == 0
    with pytest.raises(MalformedPass):
        decode_pass(text[:-1] + B32[last | 0b001])


def raw_pass(raw: bytes) -> str:
    return "CP1" + base64.b32encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \r\n",
        "CP1",
        "CP2" + sample()[3:],
        "XCP1" + sample()[3:],
        sample()[3:],
        sample()[:-1],
        sample()[:-8],
        sample() + "A",
        sample() + "AAAAAAAA",
        sample()[:20] + "1" + sample()[21:],  # '1' is not in the Base32 alphabet
        sample()[:20] + "-" + sample()[21:],
        sample()[:20] + "。" + sample()[21:],
        sample() + "=",
        "CP1" + "A" * 600,
        "http://example.com/CP1AAAA",
        "CP1" + "😀",
        raw_pass(b""),
        raw_pass(b"\x01"),
        raw_pass(bytes([1, 1]) + b"A" + bytes(6 + 64)),  # site code too short
        raw_pass(bytes([1, 17]) + b"A" * 17 + bytes(6 + 64)),  # site code too long
        raw_pass(bytes([1, 2]) + b"a1" + bytes(6 + 64)),  # lowercase site code
        raw_pass(bytes([1, 2]) + b"\xc3\xa9" + bytes(6 + 64)),  # non-ASCII site code
        raw_pass(bytes([1, 2]) + b"AB" + bytes(6 + 63)),  # signature one byte short
        raw_pass(bytes([1, 2]) + b"AB" + bytes(6 + 65)),  # one byte too many
    ],
)
def test_garbage_is_malformed(text):
    with pytest.raises(MalformedPass) as info:
        decode_pass(text)
    assert info.value.code == "malformed"
    assert isinstance(info.value, InvalidInput)


def test_structurally_valid_zero_signature_decodes_but_does_not_verify():
    payload = decode_pass(raw_pass(bytes([1, 2]) + b"AB" + bytes(6 + 64)))
    assert payload.site_code == "AB" and payload.number == 0
    assert not verify_signature(payload, PUBLIC)


def test_input_length_limit_counts_the_raw_text_including_whitespace():
    padded = sample() + " " * (MAX_TEXT_LENGTH - len(sample()))
    assert decode_pass(padded) == decode_pass(sample())
    with pytest.raises(MalformedPass):
        decode_pass(padded + " ")


# Surrogates and control characters included: a scanner or a paste can deliver anything.
any_char = st.characters(exclude_categories=())


@settings(max_examples=500)
@given(
    st.one_of(
        st.text(alphabet=any_char, max_size=600),
        st.text(alphabet=any_char, max_size=40).map(lambda t: "CP1" + t),
        st.tuples(st.integers(0, 140), st.text(alphabet=any_char, max_size=3)).map(
            lambda a: sample()[: a[0]] + a[1] + sample()[a[0] :]
        ),
    )
)
def test_arbitrary_text_only_ever_raises_malformed(text):
    try:
        decode_pass(text)
    except MalformedPass:
        pass


@given(st.text(alphabet=B32 + "cp1 \n", max_size=200).map(lambda t: "CP1" + t))
def test_arbitrary_base32_after_prefix_only_ever_raises_malformed(text):
    try:
        payload = decode_pass(text)
    except MalformedPass:
        return
    assert not verify_signature(payload, PUBLIC)


def test_malformed_message_is_a_sentence_in_the_chosen_language(english):
    with pytest.raises(MalformedPass, match=r"^This is not a Checkpoint pass.*\.$"):
        decode_pass("hello")


# --- site codes and pass numbers -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [("ab", "AB"), (" garden1 ", "GARDEN1"), ("ＧＡＲＤＥＮ１", "GARDEN1"), ("A" * 16, "A" * 16)],
)
def test_normalize_site_code(text, expected):
    assert normalize_site_code(text) == expected


@pytest.mark.parametrize("text", ["", "A", "A" * 17, "AB-1", "A B", "花园", "AÉ", "AB\n1", "ＡＢ＿"])
def test_normalize_site_code_refuses(text):
    with pytest.raises(InvalidInput) as info:
        normalize_site_code(text)
    assert info.value.code == "site_code_invalid"


@given(site_codes)
def test_normalize_site_code_is_idempotent_and_case_blind(site):
    assert normalize_site_code(site.lower()) == normalize_site_code(site) == site


@pytest.mark.parametrize(
    "number, text", [(0, "000000"), (123, "000123"), (999999, "999999"), (1234567, "1234567")]
)
def test_format_pass_number(number, text):
    assert format_pass_number(number) == text


@pytest.mark.parametrize("number", [-1, MAX_NUMBER + 1])
def test_format_pass_number_refuses_out_of_range(number):
    with pytest.raises(ValueError):
        format_pass_number(number)


@pytest.mark.parametrize(
    "text, number",
    [("123", 123), ("000123", 123), (" 42\n", 42), ("０００１２３", 123), ("4294967295", MAX_NUMBER)],
)
def test_parse_pass_number(text, number):
    assert parse_pass_number(text) == number


@pytest.mark.parametrize(
    "text", ["", " ", "12a", "-1", "+1", "1.0", "1 2", "4294967296", "12345678901", "١٢٣", "一二三"]
)
def test_parse_pass_number_refuses(text):
    with pytest.raises(InvalidInput) as info:
        parse_pass_number(text)
    assert info.value.code == "pass_number_invalid"


@given(numbers)
def test_pass_number_round_trip(number):
    assert parse_pass_number(format_pass_number(number)) == number


@given(st.text(max_size=30))
def test_parse_pass_number_only_ever_raises_invalid_input(text):
    try:
        parse_pass_number(text)
    except InvalidInput as err:
        assert err.code == "pass_number_invalid"
