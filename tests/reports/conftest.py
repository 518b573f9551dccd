"""Shared helpers for the PDF tests: the command-line PDF tools, rendering and QR decoding.

A missing tool fails the test (with the package to install), it never skips it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from checkpoint_app import i18n

RARE_NAMES = ("李𠮷祥", "陈䶮")  # CJK Extension B and Extension A


def tool(name: str) -> str:
    """Path of a command-line tool the tests need; fails the test when it is missing."""
    path = shutil.which(name)
    if path is None:
        package = {"qpdf": "qpdf"}.get(name, "poppler-utils")
        pytest.fail(f"{name} is missing: apt-get install {package} (scripts/debian-packages.txt)")
    return path


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120)


def pdffonts(pdf: Path) -> list[dict[str, str]]:
    """The fonts of a PDF as pdffonts lists them: name, type, emb, sub, uni."""
    result = run(tool("pdffonts"), pdf)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("---"), result.stdout
    fonts = []
    for line in lines[2:]:
        parts = line.split()
        # name type [type...] encoding emb sub uni object ID: read from the right
        fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3],
                      "line": line})
    return fonts


def assert_fonts_embedded(pdf: Path) -> list[dict[str, str]]:
    fonts = pdffonts(pdf)
    assert fonts, "no fonts at all?"
    for f in fonts:
        assert f["emb"] == "yes", f"font not embedded: {f['line']}"
        assert "Helvetica" not in f["name"] and "Times" not in f["name"], f["line"]
    return fonts


def qpdf_check(pdf: Path) -> None:
    result = run(tool("qpdf"), "--check", pdf)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout, result.stdout


def render(
    pdf: Path, out_dir: Path, dpi: int, first: int = 1, last: int | None = None
) -> list[Path]:
    """PNG pages of ``pdf`` rendered by pdftoppm."""
    last = first if last is None else last
    prefix = out_dir / f"{pdf.stem}-{dpi}"
    result = run(tool("pdftoppm"), "-r", str(dpi), "-png", "-f", str(first), "-l", str(last),
                 pdf, prefix)
    assert result.returncode == 0, result.stderr
    pages = sorted(out_dir.glob(f"{prefix.name}-*.png"))
    assert pages, "pdftoppm wrote nothing"
    return pages


def decode_qr(png: Path) -> set[str]:
    """Every QR code zxing-cpp finds on an image."""
    import zxingcpp
    from PIL import Image

    with Image.open(png) as im:
        results = zxingcpp.read_barcodes(im.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    return {r.text for r in results}


def extract_text(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(str(pdf)).pages]


@pytest.fixture(autouse=True)
def chinese():
    """The documents are checked in Chinese whatever CHECKPOINT_LANG says."""
    before = i18n.language()
    i18n.set_language("zh_CN")
    yield
    i18n.set_language(before)


@pytest.fixture(scope="session")
def rare_names_printable() -> dict[str, str]:
    """How each rare name must appear in extracted text: itself, or with stand-ins for the
    characters no font on this machine has."""
    from checkpoint_app.reports.fonts import font_set, stand_in

    fs = font_set()
    return {name: "".join(ch if fs.font_for(ch) else stand_in(ch) for ch in name)
            for name in RARE_NAMES}


def add_revision(src, dst, old: bytes, new: bytes) -> None:
    """What a forger with a PDF editor does: an incremental update (the signed bytes stay as they
    are, a new revision follows them) whose first page's text says ``new`` where it said ``old``."""
    from pypdf import PdfWriter

    writer = PdfWriter(str(src), incremental=True)
    for page in writer.pages:
        content = page.get_contents()
        data = content.get_data()
        if old in data:
            content.set_data(data.replace(old, new, 1))
            page.replace_contents(content)
            break
    else:
        raise AssertionError(f"{old!r} is on no page")
    with open(dst, "wb") as f:
        writer.write(f)
    assert Path(dst).read_bytes().startswith(Path(src).read_bytes())   # the signed revision untouched
