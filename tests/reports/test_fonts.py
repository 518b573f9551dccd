from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from checkpoint_app.reports import fonts
from checkpoint_app.reports.fonts import (
    FALLBACK_ENV,
    MAIN_FONT,
    FontSet,
    FontSource,
    assets_dir,
    bundled_font_paths,
    fallback_candidates,
    font_set,
    main_font_path,
    stand_in,
)

from .conftest import assert_fonts_embedded, extract_text, qpdf_check

REPO = Path(__file__).resolve().parents[2]
NOBODY_HAS = "\U0010FFFD"  # plane 16 private use: in no font


def gb2312_hanzi() -> set[str]:
    chars = set()
    for b1 in range(0xB0, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                chars.add(bytes([b1, b2]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def test_assets_dir_is_beside_the_package():
    assert assets_dir() == REPO / "assets"


def test_assets_dir_inside_a_frozen_bundle(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert assets_dir() == tmp_path / "assets"
    assert main_font_path() == tmp_path / "assets" / "fonts" / fonts.MAIN_FONT_FILE


def test_bundled_fonts_are_small_truetype_with_licence():
    for path in bundled_font_paths():
        assert path.is_file(), path
        assert path.stat().st_size < 10 * 1024 * 1024, f"{path} is too big for the repository"
        with path.open("rb") as f:
            magic = f.read(4)
        assert magic in (b"\x00\x01\x00\x00", b"ttcf"), f"{path}: not TrueType ({magic!r})"
    licence = REPO / "assets" / "fonts" / "LICENSE-Apache-2.0.txt"
    assert "Apache License" in licence.read_text()
    readme = (REPO / "assets" / "fonts" / "README.md").read_text()
    for path in bundled_font_paths():
        assert path.name in readme


def test_main_font_covers_gb2312_and_ascii():
    fs = font_set()
    assert fs.covers("".join(chr(c) for c in range(0x20, 0x7F)))
    missing = [ch for ch in gb2312_hanzi() if not fs.covers(ch)]
    assert missing == []
    assert fs.covers("，。：；（）·—°×")


def test_ordinary_text_is_one_run_in_the_main_font():
    assert font_set().runs("3-2-501 张伟 36.5°C") == [(MAIN_FONT, "3-2-501 张伟 36.5°C")]
    assert font_set().runs("") == []


def test_extension_a_comes_from_the_bundled_fallback():
    fs = font_set()
    runs = fs.runs("陈䶮")
    assert runs[0] == (MAIN_FONT, "陈")
    font, text = runs[1]
    assert text == "䶮"
    assert fs.source_of(font).path.name == fonts.BUNDLED_FALLBACK_FILE


def test_extension_b_fallback_is_installed():
    """fonts-hanazono is in scripts/debian-packages.txt; without it 𠮷 prints as [U+20BB7]."""
    font = font_set().font_for("𠮷")
    assert font is not None, "no font for U+20BB7: apt-get install fonts-hanazono"


def test_rare_character_gets_its_own_run():
    fs = font_set()
    runs = fs.runs("李𠮷祥")
    assert [t for _f, t in runs] == ["李", "𠮷", "祥"]
    assert runs[0][0] == runs[2][0] == MAIN_FONT
    assert runs[1][0] != MAIN_FONT


def test_character_no_font_has_prints_a_stand_in_and_is_logged(caplog):
    fs = font_set()
    with caplog.at_level(logging.WARNING, logger="checkpoint_app.reports.fonts"):
        runs = fs.runs(f"王{NOBODY_HAS}明")
        fs.runs(NOBODY_HAS)  # logged once only
    assert runs == [(MAIN_FONT, "王[U+10FFFD]明")]
    assert stand_in("𠮷") == "[U+20BB7]"
    warnings = [r for r in caplog.records if "U+10FFFD" in r.getMessage()]
    assert len(warnings) == 1


def test_control_characters_become_spaces_and_joiners_disappear():
    fs = font_set()
    assert "".join(t for _f, t in fs.runs("张\t伟\n")) == "张 伟 "
    text = "".join(t for _f, t in fs.runs("葛\U000E0100"))  # an ideographic variation selector
    assert text.startswith("葛")
    assert "[U+" not in text


def test_markup_escapes_and_marks_fallback_runs():
    fs = font_set()
    assert fs.markup("A&B <王>") == "A&amp;B &lt;王&gt;"
    m = fs.markup("陈䶮")
    assert m.startswith("陈<font name=")
    assert m.endswith(">䶮</font>")


def test_string_width_and_fit_size():
    fs = font_set()
    w = fs.string_width("张伟", 10)
    assert w == pytest.approx(20, abs=1)
    assert fs.fit_size("张伟", 100, 10) == 10
    assert fs.fit_size("张伟", 10, 10) == pytest.approx(5, abs=0.3)
    assert fs.fit_size("张伟" * 50, 10, 10, min_size=6) == 6


def test_fallback_candidates_windows(monkeypatch, tmp_path):
    windir = tmp_path / "Windows"
    (windir / "Fonts").mkdir(parents=True)
    (windir / "Fonts" / "simsunb.ttf").write_bytes(b"\0")
    (windir / "Fonts" / "simsun.ttc").write_bytes(b"\0")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(windir))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    monkeypatch.delenv(FALLBACK_ENV, raising=False)
    found = fallback_candidates()
    assert found[0].origin == "bundled"
    names = [s.path.name for s in found[1:]]
    assert names == ["simsun.ttc", "simsunb.ttf"]


def test_fallback_candidates_from_environment(monkeypatch, tmp_path):
    extra = tmp_path / "extra.ttc"
    extra.write_bytes(b"\0")
    otf = tmp_path / "cff.otf"
    otf.write_bytes(b"\0")
    monkeypatch.setenv(FALLBACK_ENV, f"{extra}#1{os.pathsep}{otf}")
    found = fallback_candidates()
    env = [s for s in found if s.origin == "env"]
    assert env == [FontSource(extra, 1, "env")]
    assert env[0].name == "CP-extra-1"


def test_broken_fallback_font_is_skipped(tmp_path, caplog):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    bundled = FontSource(REPO / "assets" / "fonts" / fonts.BUNDLED_FALLBACK_FILE, 0, "bundled")
    with caplog.at_level(logging.WARNING, logger="checkpoint_app.reports.fonts"):
        fs = FontSet(FontSource(main_font_path(), 0, "bundled"),
                     [FontSource(broken, 0, "env"), bundled])
        assert fs.font_for("䶮") == bundled.name
    assert any("broken.ttf" in r.getMessage() for r in caplog.records)


def test_draw_string_embeds_every_font(tmp_path, rare_names_printable):
    fs = font_set()
    pdf = tmp_path / "strings.pdf"
    canv = Canvas(str(pdf), initialFontName=fs.main)
    y = 700
    for name in ("张伟", *rare_names_printable, f"无字{NOBODY_HAS}"):
        for align, x in (("left", 72), ("centre", 300), ("right", 520)):
            fs.draw_string(canv, x, y, name, 14, align=align)
        y -= 30
    canv.showPage()
    canv.save()
    assert_fonts_embedded(pdf)
    qpdf_check(pdf)
    text = extract_text(pdf)[0]
    for printable in rare_names_printable.values():
        assert printable in text
    assert "无字[U+10FFFD]" in text
    with pytest.raises(ValueError):
        fs.draw_string(canv, 0, 0, "x", 10, align="justify")


def test_to_unicode_of_characters_beyond_the_bmp_is_utf16():
    from reportlab.pdfbase import ttfonts

    cmap = ttfonts.makeToUnicodeCMap("X", [0x41, 0x20BB7])
    assert "<00> <0041>" in cmap
    assert "<01> <D842DFB7>" in cmap


def test_main_font_is_truetype_outlines():
    face = TTFont("probe", str(main_font_path()), subfontIndex=0).face
    assert face.charToGlyph[ord("中")] > 0
