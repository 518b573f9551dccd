from __future__ import annotations

import random
import re

import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q
from qrcode.util import pattern_position
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from checkpoint_app.reports import qr
from checkpoint_app.reports.fonts import font_set

from .conftest import decode_qr, qpdf_check, render

LEVELS = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def reference(payload: str, version: int, ecl: str, mask: int) -> tuple[bytes, ...]:
    """The same symbol made by the qrcode library."""
    q = qrcode.QRCode(version=version, error_correction=LEVELS[ecl], mask_pattern=mask, border=0)
    q.add_data(payload, optimize=0)
    q.make(fit=False)
    return tuple(bytes(1 if m else 0 for m in row) for row in q.get_matrix())


def pass_payload(rnd: random.Random) -> str:
    return "CP1" + "".join(rnd.choice(BASE32) for _ in range(122))


def test_alignment_positions_match_the_standard():
    for version in range(1, 41):
        assert qr.alignment_positions(version) == list(pattern_position(version))


@pytest.mark.parametrize("ecl", "LMQH")
def test_every_version_matches_the_qrcode_library(ecl):
    rnd = random.Random(ecl)
    for version in range(1, 41):
        # the longest alphanumeric payload of this version, and a shorter byte-mode one
        capacity_bits = qr.data_codewords(version, ecl) * 8
        count_bits = 9 if version <= 9 else (11 if version <= 26 else 13)
        n = (capacity_bits - 4 - count_bits) // 11 * 2
        if (capacity_bits - 4 - count_bits) % 11 >= 6:
            n += 1
        alnum = "".join(rnd.choice(qr.ALPHANUMERIC) for _ in range(n))
        mask = rnd.randrange(8)
        code = qr.encode(alnum, ecl=ecl, mask=mask)
        assert (code.version, code.mode) == (version, "alnum")
        assert code.modules == reference(alnum, version, ecl, mask), (version, mask)
        text = "".join(chr(rnd.randrange(0x21, 0x7F)) for _ in range(max(1, n // 3)))
        code = qr.encode(text, ecl=ecl, mask=mask, min_version=version)
        assert code.modules == reference(text, code.version, ecl, mask), (version, "byte")


def test_all_masks_match_and_small_payloads_pick_small_versions():
    for mask in range(8):
        code = qr.encode("HELLO WORLD", ecl="Q", mask=mask)
        assert code.version == 1
        assert code.modules == reference("HELLO WORLD", 1, "Q", mask)


def test_pass_payload_is_alphanumeric_version_6():
    code = qr.encode(pass_payload(random.Random(1)))
    assert (code.version, code.ecl, code.mode, code.size) == (6, "M", "alnum", 41)


def test_utf8_byte_mode():
    code = qr.encode("门岗通 checkpoint", ecl="L")
    assert code.mode == "byte"
    assert code.modules == reference("门岗通 checkpoint", code.version, "L", 0)


def test_too_long_or_bad_arguments():
    with pytest.raises(qr.QrError):
        qr.encode("A" * 5000)
    with pytest.raises(qr.QrError):
        qr.encode("A", ecl="X")
    with pytest.raises(qr.QrError):
        qr.encode("A", mask=8)


def test_path_ops_cover_exactly_the_dark_modules():
    for payload in (pass_payload(random.Random(2)), "X" * 500):  # cached path and plain path
        code = qr.encode(payload)
        n = code.size
        dark = set()
        for x, y, w, h in re.findall(r"(\d+) (\d+) (\d+) (\d+) re", code.path_ops()):
            assert h == "1"
            for c in range(int(x), int(x) + int(w)):
                cell = (n - 1 - int(y), c)
                assert cell not in dark, "overlapping rectangles"
                dark.add(cell)
        expected = {(r, c) for r, row in enumerate(code.modules) for c, v in enumerate(row) if v}
        assert dark == expected


def test_drawn_codes_decode_at_150_dpi(tmp_path):
    """40 pass payloads at 25 mm (symbol without quiet zone), plus odd payloads, rendered
    by poppler at 150 dpi, all read back by zxing-cpp."""
    rnd = random.Random(3)
    payloads = [pass_payload(rnd) for _ in range(40)]
    payloads += ["CK1:SITE=YGHY;GATE=E1;DAY=20240315;ROWS=10000", "https://example.org/a?b=c",
                 "1234567890" * 8]
    pdf = tmp_path / "codes.pdf"
    canv = Canvas(str(pdf), initialFontName=font_set().main)
    side = 25 * mm
    step = side + 10 * mm
    for i, payload in enumerate(payloads):
        if i and i % 35 == 0:
            canv.showPage()
        col, row = (i % 35) % 5, (i % 35) // 5
        qr.draw_qr(canv, qr.encode(payload), 40 + col * step, 40 + row * step, side)
    canv.showPage()
    canv.save()
    qpdf_check(pdf)
    found: set[str] = set()
    for png in render(pdf, tmp_path, 150, 1, 2):
        found |= decode_qr(png)
    assert found == set(payloads)


def test_flowable_keeps_a_white_quiet_zone(tmp_path):
    from reportlab.lib.colors import black

    flow = qr.QrFlowable("HELLO", 40 * mm)
    assert flow.wrap(100, 100) == (40 * mm, 40 * mm)
    pdf = tmp_path / "flow.pdf"
    canv = Canvas(str(pdf), initialFontName=font_set().main)
    canv.setFillColor(black)
    canv.rect(0, 0, 300, 300, stroke=0, fill=1)  # on a black background, the code still reads
    flow.drawOn(canv, 100, 100)
    canv.showPage()
    canv.save()
    assert decode_qr(render(pdf, tmp_path, 150)[0]) == {"HELLO"}


def test_a_large_code_draws_as_valid_pdf_and_decodes(tmp_path):
    """A code above version 10 (the registration sheet's certificate, ~1,400 characters) took
    the uncached path, whose last rectangle ran into the fill operator ("… 1 ref"): poppler
    reported a syntax error and drew no code at all."""
    import subprocess

    payload = "CPCA1" + "".join(random.Random(4).choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(1395))
    code = qr.encode(payload)
    assert code.size > qr._CACHED_MAX_SIZE
    pdf = tmp_path / "large.pdf"
    canv = Canvas(str(pdf), initialFontName=font_set().main)
    qr.draw_qr(canv, code, 40, 200, 90 * mm)
    canv.showPage()
    canv.save()
    result = subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "large")],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "Error" not in result.stderr, result.stderr
    assert decode_qr(next(tmp_path.glob("large*.png"))) == {payload}
