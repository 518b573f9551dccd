"""The checkpoint printed on the last page of a daily log: a signed summary of one gate's day.

Text form (for a QR code, ASCII only, like the pass): ``"CPK2"`` + unpadded Base32 of::

    [site_len u8][site code][gate id 16 bytes][day: proleptic ordinal u32]
    [row count u32][first origin_seq u32][last origin_seq u32][chain head 32 bytes]
    [previous day's last origin_seq u32][previous day's chain head 32 bytes]
    [Ed25519 signature 64 bytes]

Version 2 adds the last two fields: the gate's chain head at the end of the day before (its last
record before this day; 0 and zeros before the gate's first record). A folder of daily logs
then proves itself: each day must continue where the day before ended (services/audit.py).
Version 1 (``"CPK1"``, without them) is still read, so logs printed before stay verifiable.

The signature (by the gate's own key, whose public half is in the site database) covers a
context prefix plus everything before it. An auditor's copy of the app recomputes the same
summary from the database: any record of that day altered, removed or added changes the chain
head or the counts.
"""

from __future__ import annotations

import base64
import json
import binascii
import struct
import unicodedata
from dataclasses import dataclass
from datetime import date

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from checkpoint_app.errors import InvalidInput
from checkpoint_app.i18n import Messages

PREFIX = "CPK2"
CONTEXT = b"checkpoint-daily-v2\x00"
#: version → (text prefix, signing context, the fixed fields after the site code)
_FORMATS = {
    1: ("CPK1", b"checkpoint-daily-v1\x00", struct.Struct(">16sIIII32s")),
    2: (PREFIX, CONTEXT, struct.Struct(">16sIIII32sI32s")),
}
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
    # version 2: where the day before ended (None in a version 1 checkpoint)
    prev_seq: int | None = None
    prev_head: str | None = None

    @property
    def version(self) -> int:
        return 1 if self.prev_head is None else 2

    @property
    def end(self) -> tuple[int, str] | None:
        """(origin_seq, chain head) at the end of this day; a day without records ends where the
        day before did (unknown for an empty version 1 checkpoint)."""
        if self.row_count:
            return self.last_seq, self.chain_head
        return None if self.prev_head is None else (self.prev_seq or 0, self.prev_head)

    def body(self) -> bytes:
        site = self.site_code.encode("ascii")
        fields = [bytes.fromhex(self.gate_id), self.day.toordinal(), self.row_count, self.first_seq,
                  self.last_seq, bytes.fromhex(self.chain_head)]
        if self.version == 2:
            fields += [self.prev_seq or 0, bytes.fromhex(self.prev_head or "")]
        return bytes([len(site)]) + site + _FORMATS[self.version][2].pack(*fields)


def encode_checkpoint(cp: Checkpoint, private_key: bytes) -> str:
    prefix, context, _fields = _FORMATS[cp.version]
    body = cp.body()
    signature = Ed25519PrivateKey.from_private_bytes(private_key).sign(context + body)
    return prefix + base64.b32encode(body + signature).decode("ascii").rstrip("=")


def decode_checkpoint(text: str) -> tuple[Checkpoint, bytes, bytes]:
    """(checkpoint, signed message, signature); InvalidInput for anything else."""
    cleaned = "".join(unicodedata.normalize("NFKC", str(text)).split()).upper()
    version = next((v for v, (prefix, *_rest) in _FORMATS.items() if cleaned.startswith(prefix)), None)
    if version is None or len(cleaned) > 1024:
        raise InvalidInput(_("bad"), "checkpoint_malformed")
    prefix, context, tail = _FORMATS[version]
    body = cleaned[len(prefix):]
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except (binascii.Error, ValueError):
        raise InvalidInput(_("bad"), "checkpoint_malformed") from None
    if len(raw) < 2:
        raise InvalidInput(_("bad"), "checkpoint_malformed")
    n = raw[0]
    end = 1 + n + tail.size
    if len(raw) != end + SIGNATURE_LENGTH:
        raise InvalidInput(_("bad"), "checkpoint_malformed")
    try:
        site = raw[1:1 + n].decode("ascii")
        gate, ordinal, count, first, last, chain, *prev = tail.unpack(raw[1 + n:end])
        day = date.fromordinal(ordinal)
    except (UnicodeDecodeError, ValueError, OverflowError):
        raise InvalidInput(_("bad"), "checkpoint_malformed") from None
    cp = Checkpoint(site, gate.hex(), day, count, first, last, chain.hex(),
                    *((prev[0], prev[1].hex()) if prev else ()))
    return cp, context + raw[:end], raw[end:]


def signature_valid(message: bytes, signature: bytes, public_key: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


# -- the compound's logs (issue 15) ----------------------------------------------------------------
#
# A log of the whole compound is made at the office from every gate's records that PC holds. It
# cannot carry the gates' own signed checkpoints (their keys never leave the gates), so it carries,
# for each gate, the same values the gate's own checkpoint holds (count, first/last record, chain
# head, where the day before ended), computed from the chained records that reached the office,
# in the document information under COMPOUND_INFO_KEY; the site's PAdES signature covers them. The
# gate's own log of that day, if present, must then carry the same values (services/audit.py).

COMPOUND_INFO_KEY = "CheckpointCompound"


@dataclass(frozen=True)
class GateDay:
    """One gate's records of a day as held where the compound's log was made. ``complete``: that
    PC also holds a later record of the gate (its chain goes on past the day), so it holds all of
    the day's; else ``newest`` (ISO) is the gate's newest record it holds, and later records of the
    day may not have reached it (not synced)."""

    name: str
    checkpoint: Checkpoint
    complete: bool
    newest: str | None = None


def compound_json(days: list[GateDay]) -> str:
    return json.dumps([{"name": g.name, "complete": g.complete, "newest": g.newest,
                        "site": g.checkpoint.site_code, "gate": g.checkpoint.gate_id,
                        "day": g.checkpoint.day.isoformat(), "rows": g.checkpoint.row_count,
                        "first": g.checkpoint.first_seq, "last": g.checkpoint.last_seq,
                        "chain_head": g.checkpoint.chain_head, "prev_last": g.checkpoint.prev_seq,
                        "prev_head": g.checkpoint.prev_head} for g in days],
                      ensure_ascii=False, separators=(",", ":"))


def compound_from_json(text: str) -> list[GateDay]:
    """The gates' days a compound log carries; InvalidInput when it cannot be read."""
    try:
        return [GateDay(str(g["name"]), Checkpoint(
                    str(g["site"]), str(g["gate"]), date.fromisoformat(g["day"]), int(g["rows"]),
                    int(g["first"]), int(g["last"]), str(g["chain_head"]), int(g["prev_last"]),
                    str(g["prev_head"])), bool(g["complete"]), g.get("newest"))
                for g in json.loads(text)]
    except (ValueError, TypeError, KeyError):
        raise InvalidInput(_("bad"), "checkpoint_malformed") from None
