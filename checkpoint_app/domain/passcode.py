"""The signed pass QR payload.

Text form: ``"CP1"`` + unpadded RFC 4648 Base32 (uppercase) of::

    [key_id u8][site_len u8][site_code ASCII][number u32 BE][version u16 BE][Ed25519 signature 64]

Keyboard-wedge scanners "type" the code into the focused field, so the text must survive what a
keyboard does to it: Caps Lock flips case (Base32 is case-insensitive), a Chinese IME turns
punctuation full-width (there is none) and may turn letters full-width (NFKC undoes that), and
the scanner appends Enter (whitespace is stripped). The signature covers a context prefix so a
signature made for another purpose with the same key can never pass as a pass signature.

``cryptography`` is imported where a key is used (~300 ms under load): the scan capture asks
``is_complete_pass`` / ``is_pass_start`` from the first key of a scan, which may come while the
window is still appearing.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import unicodedata
from dataclasses import dataclass

from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages

PREFIX = "CP1"
SIGNING_CONTEXT = b"checkpoint-pass-v1\x00"
SIGNATURE_LENGTH = 64
SITE_CODE_MIN, SITE_CODE_MAX = 2, 16
MAX_NUMBER = 0xFFFF_FFFF
MAX_VERSION = 0xFFFF
MAX_KEY_ID = 0xFF
# Far above the longest real pass (144 characters) but small enough that a runaway scanner or a
# pasted document is refused before any normalisation work is spent on it.
MAX_TEXT_LENGTH = 512

_SITE_CODE = re.compile(r"[A-Z0-9]{2,16}")
_BASE32_BODY = re.compile(r"[A-Z2-7]*")
_PASS_NUMBER = re.compile(r"[0-9]{1,10}")
_TAIL = struct.Struct(">IH")

_ = Messages(
    {
        "pass.not_a_pass": (
            "扫描到的不是本系统的通行证，请扫描门岗通通行证二维码。",
            "This is not a Checkpoint pass; please scan a Checkpoint pass QR code.",
        ),
        "pass.damaged": (
            "通行证二维码内容不完整或已损坏，请重新扫描。",
            "The pass code is incomplete or damaged; please scan it again.",
        ),
        "site_code.invalid": (
            "站点代码须为 2 到 16 位英文字母或数字。",
            "The site code must be 2 to 16 letters or digits.",
        ),
        "pass_number.invalid": (
            "通行证号码须为 1 到 10 位数字，如 000123。",
            "The pass number must be 1 to 10 digits, such as 000123.",
        ),
    }
)


class MalformedPass(InvalidInput):
    """Text that is not structurally a pass (as opposed to a pass whose signature is wrong)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "malformed")


@dataclass(frozen=True)
class PassPayload:
    site_code: str
    key_id: int
    number: int
    version: int
    message: bytes  # exactly the bytes the signature covers, context prefix included
    signature: bytes


def generate_keypair() -> tuple[bytes, bytes]:
    """Return ``(private, public)`` as raw 32-byte Ed25519 keys."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    private_raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public_raw = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return private_raw, public_raw


def normalize_site_code(text: str) -> str:
    """Canonical form of a site code typed by a person (any case, full-width, padded)."""
    cleaned = unicodedata.normalize("NFKC", text).strip().upper() if isinstance(text, str) else ""
    if not _SITE_CODE.fullmatch(cleaned):
        raise InvalidInput(_("site_code.invalid"), "site_code_invalid")
    return cleaned


def _require_int(name: str, value: int, maximum: int) -> None:
    # bool is an int subclass; True as a pass number is always a caller bug.
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= maximum:
        raise ValueError(f"{name} must be an integer in 0..{maximum}, got {value!r}")


def encode_pass(site_code: str, number: int, version: int, key_id: int, private_key: bytes) -> str:
    """Sign and encode a pass. Arguments come from the program, so bad ones raise ValueError."""
    if not isinstance(site_code, str) or not _SITE_CODE.fullmatch(site_code):
        raise ValueError(f"site code must be 2-16 chars of A-Z0-9, got {site_code!r}")
    _require_int("number", number, MAX_NUMBER)
    _require_int("version", version, MAX_VERSION)
    _require_int("key_id", key_id, MAX_KEY_ID)
    body = (
        bytes([key_id, len(site_code)])
        + site_code.encode("ascii")
        + _TAIL.pack(number, version)
    )
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(SIGNING_CONTEXT + body)
    encoded = base64.b32encode(body + signature).decode("ascii").rstrip("=")
    return PREFIX + encoded


def decode_pass(text: str) -> PassPayload:
    """Parse scanned text into a payload, without checking the signature.

    Raises only ``MalformedPass``, whatever the text, because the scanner can deliver anything.
    """
    if not isinstance(text, str) or len(text) > MAX_TEXT_LENGTH:
        raise MalformedPass(_("pass.not_a_pass"))
    cleaned = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if not cleaned.startswith(PREFIX) or len(cleaned) > MAX_TEXT_LENGTH:
        raise MalformedPass(_("pass.not_a_pass"))
    body = cleaned[len(PREFIX):]
    if not _BASE32_BODY.fullmatch(body):
        raise MalformedPass(_("pass.damaged"))
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except (binascii.Error, ValueError):
        raise MalformedPass(_("pass.damaged")) from None
    # b32decode ignores the unused low bits of the last character; insisting on the canonical
    # spelling means every altered character changes the bytes and so breaks the signature.
    if base64.b32encode(raw).decode("ascii").rstrip("=") != body:
        raise MalformedPass(_("pass.damaged"))
    return _parse_bytes(raw)


def is_complete_pass(text: str) -> bool:
    """True when ``text`` is a whole pass payload as far as its structure goes (prefix, canonical
    Base32, the lengths its own header announces); the signature is not checked.

    The scan capture asks this while a scanner is still typing: a payload's length follows from
    its site-code length byte, so no proper prefix of a pass is ever complete, and a burst that
    is complete has ended, whatever its suffix key (late, Tab, or none) does.
    """
    try:
        decode_pass(text)
    except MalformedPass:
        return False
    return True


def is_pass_start(text: str) -> bool:
    """True when ``text`` could still become a pass: a part of the prefix, or the prefix and
    Base32, not yet complete. A burst like this that pauses is a scan whose rest is still on its
    way (a loaded PC, a busy GUI thread), not typing and not a scan of its own."""
    if not isinstance(text, str) or not text or len(text) > MAX_TEXT_LENGTH:
        return False
    cleaned = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if len(cleaned) <= len(PREFIX):
        return bool(cleaned) and PREFIX.startswith(cleaned)
    return (cleaned.startswith(PREFIX) and bool(_BASE32_BODY.fullmatch(cleaned[len(PREFIX):]))
            and not is_complete_pass(cleaned))


def _parse_bytes(raw: bytes) -> PassPayload:
    if len(raw) < 2:
        raise MalformedPass(_("pass.damaged"))
    key_id, site_len = raw[0], raw[1]
    body_len = 2 + site_len + _TAIL.size
    if not SITE_CODE_MIN <= site_len <= SITE_CODE_MAX or len(raw) != body_len + SIGNATURE_LENGTH:
        raise MalformedPass(_("pass.damaged"))
    site_bytes = raw[2 : 2 + site_len]
    site_code = site_bytes.decode("latin-1")
    if not _SITE_CODE.fullmatch(site_code):
        raise MalformedPass(_("pass.damaged"))
    number, version = _TAIL.unpack(raw[2 + site_len : body_len])
    return PassPayload(
        site_code=site_code,
        key_id=key_id,
        number=number,
        version=version,
        message=SIGNING_CONTEXT + raw[:body_len],
        signature=raw[body_len:],
    )


def verify_signature(payload: PassPayload, public_key: bytes) -> bool:
    """True only if the site key signed exactly this payload.

    A wrong public key length is a configuration bug and raises ValueError; a bad signature is
    an expected event at the gate (forgery, foreign site) and just returns False.
    """
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = Ed25519PublicKey.from_public_bytes(public_key)
    try:
        key.verify(payload.signature, payload.message)
    except InvalidSignature:
        return False
    return True


def format_pass_number(number: int) -> str:
    """Six digits, zero-padded, as printed on the card: 123 -> "000123"."""
    _require_int("number", number, MAX_NUMBER)
    return f"{number:06d}"


def parse_pass_number(text: str) -> int:
    """Pass number typed by a guard: "123" and "000123" are the same pass."""
    cleaned = unicodedata.normalize("NFKC", text).strip() if isinstance(text, str) else ""
    # [0-9] rather than \d or str.isdigit(): those also take other scripts' digits, as int() does.
    if not _PASS_NUMBER.fullmatch(cleaned) or int(cleaned) > MAX_NUMBER:
        raise InvalidInput(_("pass_number.invalid"), "pass_number_invalid")
    return int(cleaned)
