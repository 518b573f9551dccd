"""Chinese personal data: resident ID numbers, mobile numbers, names; validation and masking.

Error messages never quote the ID or phone number typed: they end up in logs and on screens
that other people can see, and the whole point of masking is that they should not.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages

PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 91}
)
EARLIEST_BIRTH = date(1900, 1, 1)
NAME_MAX_LENGTH = 40

# GB 11643-1999 (ISO 7064 MOD 11-2): weight of position i is 2**(17 - i) mod 11, and the check
# character is indexed by the weighted sum mod 11.
_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"
# [0-9], not \d: \d would admit other scripts' digits, which int() then happily converts.
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_DOT_VARIANTS = str.maketrans(dict.fromkeys("•．・･‧∙⋅", "·"))
# Full-width Latin letters are what a Chinese IME in full-width mode types for "John".
_FULL_WIDTH_LATIN = str.maketrans(
    {chr(c + 0xFEE0): chr(c) for c in (*range(0x41, 0x5B), *range(0x61, 0x7B))}
)
# Unified ideographs with Extensions A to I and the compatibility blocks: rare characters in
# names (Extension B 𠮷, Extension A 䶮) are exactly the ones older systems refuse.
_CJK_RANGES = (
    (0x3007, 0x3007),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FA1F),
    (0x30000, 0x323AF),
)

_ = Messages(
    {
        "id.length": (
            "身份证号码应为 18 位，现在是 {n} 位。",
            "An ID number has 18 characters; this one has {n}.",
        ),
        "id.characters": (
            "身份证号码只能是数字，最后一位可以是 X。",
            "An ID number is digits only, except that the last may be X.",
        ),
        "id.region": (
            "身份证号码的前两位不是有效的省份代码。",
            "The first two digits of the ID number are not a valid province code.",
        ),
        "id.birth_date": (
            "身份证号码中的出生日期不存在。",
            "The date of birth in the ID number does not exist.",
        ),
        "id.birth_range": (
            "身份证号码中的出生日期早于 1900 年或晚于今天。",
            "The date of birth in the ID number is before 1900 or after today.",
        ),
        "id.check_digit": (
            "身份证号码最后一位校验码不对，请核对是否输错。",
            "The check digit of the ID number does not match; please look for a typing error.",
        ),
        "phone.invalid": (
            "手机号码应为 1 开头的 11 位数字，如 13812345678。",
            "A mobile number has 11 digits starting with 1, such as 13812345678.",
        ),
        "name.empty": ("请输入姓名。", "Please enter the name."),
        "name.too_long": (
            "姓名不能超过 {max} 个字。",
            "A name cannot be longer than {max} characters.",
        ),
        "name.digits": ("姓名不能只有数字。", "A name cannot be only digits."),
        "name.character": (
            "姓名中含有不支持的字符 {char}。",
            "The name contains a character that is not allowed: {char}.",
        ),
        "name.dot": (
            "姓名中的间隔号“·”只能出现在两个字之间。",
            'The middle dot "·" can only stand between two parts of a name.',
        ),
    }
)


def _invalid_id(key: str, **fields: object) -> InvalidInput:
    return InvalidInput(_(key, **fields), "id_number_invalid")


def _check_char(first17: str) -> str:
    return _CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def _birth(id_number: str) -> date | None:
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def validate_id_number(text: str, *, today: date | None = None) -> str:
    """Normalise and check an 18-character resident ID number; return it with an uppercase X."""
    raw = text if isinstance(text, str) else ""
    # Inner spaces too: people copy the number as printed in groups, "110105 19491231 002X".
    cleaned = "".join(unicodedata.normalize("NFKC", raw).split()).upper()
    if len(cleaned) != 18:
        raise _invalid_id("id.length", n=len(cleaned))
    if not _ID_SHAPE.fullmatch(cleaned):
        raise _invalid_id("id.characters")
    if int(cleaned[:2]) not in PROVINCE_CODES:
        raise _invalid_id("id.region")
    birth = _birth(cleaned)
    if birth is None:
        raise _invalid_id("id.birth_date")
    if not EARLIEST_BIRTH <= birth <= (today or date.today()):
        raise _invalid_id("id.birth_range")
    if _check_char(cleaned[:17]) != cleaned[17]:
        raise _invalid_id("id.check_digit")
    return cleaned


def id_number_birth_date(id_number: str) -> date:
    """Date of birth of a valid ID number (validated again, so garbage raises InvalidInput)."""
    birth = _birth(validate_id_number(id_number))
    assert birth is not None  # validate_id_number has already refused impossible dates
    return birth


def make_id_number(region: str, birth: date, seq: int) -> str:
    """Build a valid ID number, for demo data and tests; ``seq`` is 0-999 (odd = male)."""
    if not (isinstance(region, str) and re.fullmatch(r"[0-9]{6}", region)):
        raise ValueError(f"region must be a 6-digit area code, got {region!r}")
    if int(region[:2]) not in PROVINCE_CODES:
        raise ValueError(f"region {region!r} is not in a known province")
    if birth < EARLIEST_BIRTH:
        raise ValueError(f"birth date {birth} is before {EARLIEST_BIRTH}")
    if not (isinstance(seq, int) and 0 <= seq <= 999):
        raise ValueError(f"seq must be in 0..999, got {seq!r}")
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + _check_char(first17)


def validate_mobile(text: str) -> str:
    """Mainland mobile number as 11 digits, with any +86 / 0086 / 86 prefix and separators removed."""
    raw = text if isinstance(text, str) else ""
    cleaned = "".join(unicodedata.normalize("NFKC", raw).split()).replace("-", "")
    # Stripping a bare "86" is safe: a mobile number itself starts with 1, never with 8.
    for prefix in ("+86", "0086", "86"):
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
            break
    if not _MOBILE.fullmatch(cleaned):
        raise InvalidInput(_("phone.invalid"), "phone_invalid")
    return cleaned


def _mask(text: str, head: int, tail: int, min_hidden: int) -> str:
    n = len(text)
    if n - head - tail < min_hidden:
        # Too short for the usual pattern: reveal at most a quarter at each end, so never more
        # than half of whatever was given.
        head, tail = min(head, n // 4), min(tail, n // 4)
    return text[:head] + "*" * (n - head - tail) + text[n - tail :]


def mask_id_number(id_number: str) -> str:
    """"11010519491231002X" -> "110***********002X": province and last four only."""
    return _mask(id_number, 3, 4, 8)


def mask_phone(phone: str) -> str:
    """"13812345678" -> "138****5678", the usual pattern on Chinese receipts and screens."""
    return _mask(phone, 3, 4, 4)


def _is_cjk(char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in _CJK_RANGES)


def _is_allowed_letter(char: str) -> bool:
    if _is_cjk(char):
        return True
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN ")


def _describe(char: str) -> str:
    return f"“{char}”" if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"


def normalize_name(text: str) -> str:
    """Canonical form of a person's name, refusing what cannot be a name."""
    raw = text if isinstance(text, str) else ""
    if len(raw) > 10 * NAME_MAX_LENGTH:
        raise InvalidInput(_("name.too_long", max=NAME_MAX_LENGTH), "name_invalid")
    name = unicodedata.normalize("NFC", raw).translate(_DOT_VARIANTS).translate(_FULL_WIDTH_LATIN)
    name = re.sub(r"\s*·\s*", "·", " ".join(name.split()))
    # No space between two Chinese characters: rosters pad "吴  丽" to line up with three-character names.
    parts = name.split(" ")
    name = parts[0] + "".join(("" if _is_cjk(before[-1]) and _is_cjk(part[0]) else " ") + part
                              for before, part in zip(parts, parts[1:]))
    if not name:
        raise InvalidInput(_("name.empty"), "name_invalid")
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidInput(_("name.too_long", max=NAME_MAX_LENGTH), "name_invalid")
    if name.replace(" ", "").isdigit():
        raise InvalidInput(_("name.digits"), "name_invalid")
    for char in name:
        # Apostrophes and hyphens belong to Latin names (O'Brien, Jean-Pierre).
        if char not in " ·'-" and not _is_allowed_letter(char):
            raise InvalidInput(_("name.character", char=_describe(char)), "name_invalid")
    if name.startswith("·") or name.endswith("·") or "··" in name:
        raise InvalidInput(_("name.dot"), "name_invalid")
    if not any(_is_allowed_letter(char) for char in name):
        raise InvalidInput(_("name.character", char=_describe(name[0])), "name_invalid")
    return name
