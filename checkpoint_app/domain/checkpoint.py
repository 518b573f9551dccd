"""The checkpoint printed on the last page of a daily log: a signed summary of one gate's day.

Text form (for a QR code, ASCII only, like the pass): ``"CPK1"`` + unpadded Base32 of::

    [site_len u8][site code][gate id 16 bytes][day: proleptic ordinal u32]
    [row count u32][first origin_seq u32][last origin_seq u32][chain head 32 bytes]
    [Ed25519 signature 64 bytes]

The signature (by the gate's own key, whose public half is in the site database) covers a
context prefix plus everything before it. An auditor's copy of the app recomputes the same
summary from the database: any record of that day altered, removed or added changes the chain
head or the counts.
"""

from __future__ import annotations

import base64
import binascii
import struct
import unicodedata
from dataclasses import dataclass
from datetime import date

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages

PREFIX = "CPK1"
CONTEXT = b"checkpoint-daily-v1\x00"
_TAIL = struct.Struct(">16sIIII32s")
SIGNATURE_LENGTH = 64

_ = Messages({"bad": ("这不是门岗通日报的校验码。", "This is not a Checkpoint daily-log checkpoint.")})


@dataclass(frozen=True)
class Checkpoint:
    site_code: str
    gate_id: str          # 32 hex chars (the gate's uid)
    day: date
    row_count: int
    first_seq: int
    last_seq: int
    chain_head: str       # 64 hex chars

    def body(self) -> bytes:
        site = self.site_code.encode("ascii")
        return bytes([len(site)]) + site + _TAIL.pack(
            bytes.fromhex(self.gate_id), self.day.toordinal(), self.row_count, self.first_seq, self.last_seq,
            bytes.fromhex(self.chain_head))


def encode_checkpoint(cp: Checkpoint, private_key: bytes) -> str:
    body = cp.body()
    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(CONTEXT + body)
    return PREFIX + base64.b32encode(body + signature).decode("ascii").rstrip("=")


def decode_checkpoint(text: str) -> tuple[Checkpoint, bytes, bytes]:
    """(checkpoint, signed message, signature); InvalidInput for anything else."""
    cleaned = "".join(unicodedata.normalize("NFKC", str(text)).split()).upper()
    if not cleaned.startswith(PREFIX) or len(cleaned) > 1024:
        raise InvalidInput(_("bad"), "checkpoint_malformed")
    body = cleaned[len(PREFIX):]
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except (binascii.Error, ValueError):
        raise InvalidInput(_("bad"), "checkpoint_malformed") from None
    if len(raw) < 2:
        raise InvalidInput(_("bad"), "checkpoint_malformed")
    n = raw[0]
    end = 1 + n + _TAIL.size
    if len(raw) != end + SIGNATURE_LENGTH:
        raise InvalidInput(_("bad"), "checkpoint_malformed")
    try:
        site = raw[1:1 + n].decode("ascii")
        gate, ordinal, count, first, last, chain = _TAIL.unpack(raw[1 + n:end])
        day = date.fromordinal(ordinal)
    except (UnicodeDecodeError, ValueError, OverflowError):
        raise InvalidInput(_("bad"), "checkpoint_malformed") from None
    cp = Checkpoint(site, gate.hex(), day, count, first, last, chain.hex())
    return cp, CONTEXT + raw[:end], raw[end:]


def signature_valid(message: bytes, signature: bytes, public_key: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
