"""The daily-log checkpoint's text form: version 2 carries where the day before ended; version 1
(printed before) still reads; a change to any field breaks the gate's signature."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given, settings
from hypothesis import strategies as st

from checkpoint_app.domain.checkpoint import Checkpoint, decode_checkpoint, encode_checkpoint, signature_valid
from checkpoint_app.errors import InvalidInput

KEY = Ed25519PrivateKey.generate()
PRIVATE = KEY.private_bytes_raw()
PUBLIC = KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
V2 = Checkpoint("HXY01", "0123456789abcdef0123456789abcdef", date(2026, 11, 20), 3, 11, 13, "ab" * 32,
                10, "cd" * 32)
V1 = dataclasses.replace(V2, prev_seq=None, prev_head=None)

seqs = st.integers(0, 2**32 - 1)
heads = st.binary(min_size=32, max_size=32).map(bytes.hex)


@settings(max_examples=60, deadline=None)
@given(site=st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=12), rows=seqs, first=seqs,
       last=seqs, head=heads, prev_seq=seqs, prev_head=heads, v1=st.booleans(),
       day=st.dates(date(2000, 1, 1), date(2100, 1, 1)))
def test_round_trip_and_signature(site, rows, first, last, head, prev_seq, prev_head, v1, day):
    cp = Checkpoint(site, V2.gate_id, day, rows, first, last, head,
                    *(() if v1 else (prev_seq, prev_head)))
    text = encode_checkpoint(cp, PRIVATE)
    assert text.startswith("CPK1" if v1 else "CPK2")
    decoded, message, signature = decode_checkpoint(text)
    assert decoded == cp and decoded.version == (1 if v1 else 2)
    assert signature_valid(message, signature, PUBLIC)


@pytest.mark.parametrize("field", ["row_count", "last_seq", "prev_seq", "prev_head", "chain_head"])
def test_a_changed_field_breaks_the_signature(field):
    """The previous day's head is signed like the rest: a version 2 text re-encoded with another
    head but the old signature does not verify."""
    text = encode_checkpoint(V2, PRIVATE)
    _cp, _message, signature = decode_checkpoint(text)
    changed = dataclasses.replace(V2, **{field: "ee" * 32 if "head" in field else 99})
    forged = decode_checkpoint(encode_checkpoint(changed, PRIVATE))[1]
    assert not signature_valid(forged, signature, PUBLIC)


def test_version_1_and_2_are_not_interchangeable():
    """A version 2 checkpoint stripped to version 1 (its day-before fields cut off) does not
    verify: the versions sign with different contexts."""
    v2_signature = decode_checkpoint(encode_checkpoint(V2, PRIVATE))[2]
    v1_message = decode_checkpoint(encode_checkpoint(V1, PRIVATE))[1]
    assert not signature_valid(v1_message, v2_signature, PUBLIC)


def test_end_of_day():
    assert V2.end == (13, "ab" * 32)
    empty = dataclasses.replace(V2, row_count=0, first_seq=0, last_seq=0, chain_head="00" * 32)
    assert empty.end == (10, "cd" * 32)                  # an empty day ends where the day before did
    assert dataclasses.replace(empty, prev_seq=None, prev_head=None).end is None


@pytest.mark.parametrize("text", ["CPK3AAAA", "CPK2", "CPK1" + "A" * 40, "hello", "CPK2" + "A" * 2000])
def test_malformed(text):
    with pytest.raises(InvalidInput):
        decode_checkpoint(text)
