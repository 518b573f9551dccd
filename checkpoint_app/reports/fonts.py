"""Fonts for every PDF: the bundled CJK font plus a per-character fallback.

reportlab embeds TrueType-outline fonts (``.ttf``/``.ttc``) as subsets; CFF ``.otf`` fonts are
not usable. The main font is bundled in ``assets/fonts`` (see its README for sizes and
licences); characters it lacks are looked up, one character at a time, in the fallback fonts:
first the bundled Extension-A font, then fonts of the machine (Windows: SimSun-ExtB and friends;
Debian: fonts-hanazono and others). A character no font has is printed as a visible stand-in
``[U+20BB7]`` and logged, never as an empty box.

Nothing here draws in Helvetica: callers draw text with :meth:`FontSet.draw_string` or put
:meth:`FontSet.markup` into Paragraphs whose style uses :data:`MAIN_FONT`.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

#: reportlab name of the bundled main font (WenQuanYi Micro Hei, face 0 of the .ttc).
MAIN_FONT = "CP-WQYMicroHei"
MAIN_FONT_FILE = "wqy-microhei.ttc"
#: The bundled fallback for CJK Extension A (a subset of Droid Sans Fallback Full).
BUNDLED_FALLBACK_FILE = "DroidSansFallback-ExtA.ttf"

#: Environment variable: extra fallback fonts, separated by ``os.pathsep``; ``file.ttc#1``
#: selects face 1 of a collection. They are tried before the machine's fonts.
FALLBACK_ENV = "CHECKPOINT_FALLBACK_FONTS"

# Fonts of the machine, in order of preference. Sans fonts first (closest to the main font),
# then the big Song/Ming fonts that cover Extension B and later.
_LINUX_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),  # fonts-wqy-zenhei
    ("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", 0),  # fonts-hanazono: BMP + some Ext B
    ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", 0),  # fonts-hanazono: all of Ext B
    ("/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf", 0),  # fonts-babelstone-han
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # fonts-arphic-uming
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),  # fonts-dejavu-core: symbols
)
_WINDOWS_FONTS: tuple[tuple[str, int], ...] = (
    ("msyh.ttc", 0),  # Microsoft YaHei (GB18030: BMP incl. Ext A)
    ("simsun.ttc", 0),  # SimSun (BMP incl. Ext A)
    ("simsunb.ttf", 0),  # SimSun-ExtB (Ext B)
    ("SimsunExtG.ttf", 0),  # SimSun-ExtG (Windows 11: Ext B-G)
    ("mingliub.ttc", 0),  # MingLiU-ExtB
    ("seguisym.ttf", 0),  # Segoe UI Symbol
)


def _utf16_hex(cp: int) -> str:
    if cp <= 0xFFFF:
        return f"{cp:04X}"
    cp -= 0x10000
    return f"{0xD800 + (cp >> 10):04X}{0xDC00 + (cp & 0x3FF):04X}"


def _fix_to_unicode_cmaps() -> None:
    """reportlab writes the ToUnicode entry of a character beyond U+FFFF as ``<20BB7>`` (odd
    hex, invalid), so readers cannot copy, search or extract 𠮷. A ToUnicode CMap maps to
    UTF-16BE: write the surrogate pair ``<D842DFB7>`` instead. BMP entries are unchanged, and
    nothing is patched once reportlab gets it right."""
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "_checkpoint_fixed", False):
        return
    if "<20BB7>" not in original("probe", [0x20BB7]):
        return  # fixed upstream

    def make_to_unicode_cmap(fontname, subset):
        text = original(fontname, subset)
        if all(cp <= 0xFFFF for cp in subset):
            return text
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if line.startswith("<") and line.endswith(">") and "> <" in line:
                code, _sep, value = line[1:-1].partition("> <")
                cp = int(value, 16)
                if cp > 0xFFFF:
                    lines[i] = f"<{code}> <{_utf16_hex(cp)}>"
        return "\n".join(lines)

    make_to_unicode_cmap._checkpoint_fixed = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap


_fix_to_unicode_cmaps()


def assets_dir() -> Path:
    """The ``assets`` folder: beside the package, or inside a frozen PyInstaller bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "assets"
    return Path(__file__).resolve().parents[2] / "assets"


def fonts_dir() -> Path:
    return assets_dir() / "fonts"


def main_font_path() -> Path:
    """Path of the bundled main font (the GUI registers it with Qt too)."""
    return fonts_dir() / MAIN_FONT_FILE


def bundled_font_paths() -> list[Path]:
    """The bundled font files, main font first."""
    return [fonts_dir() / MAIN_FONT_FILE, fonts_dir() / BUNDLED_FALLBACK_FILE]


@dataclass(frozen=True)
class FontSource:
    """A TrueType font file (and face, for ``.ttc`` collections) that can be registered."""

    path: Path
    subfont_index: int = 0
    origin: str = "system"  # "bundled", "env" or "system"

    @property
    def name(self) -> str:
        """The reportlab name the font is registered under."""
        suffix = f"-{self.subfont_index}" if self.subfont_index else ""
        return f"CP-{self.path.stem}{suffix}"


def _parse_env(value: str) -> list[FontSource]:
    sources = []
    for item in value.split(os.pathsep):
        item = item.strip()
        if not item:
            continue
        path, _sep, index = item.partition("#")
        try:
            face = int(index) if index else 0
        except ValueError:
            log.warning("ignoring %s entry %r: face index is not a number", FALLBACK_ENV, item)
            continue
        sources.append(FontSource(Path(path), face, "env"))
    return sources


def fallback_candidates() -> list[FontSource]:
    """Fallback fonts that exist on this machine, in the order they are tried."""
    found = [FontSource(fonts_dir() / BUNDLED_FALLBACK_FILE, 0, "bundled")]
    found += _parse_env(os.environ.get(FALLBACK_ENV, ""))
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows")
        dirs = [windir / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:  # fonts installed for the current user only
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        for name, face in _WINDOWS_FONTS:
            for d in dirs:
                found.append(FontSource(d / name, face))
    else:
        found += [FontSource(Path(p), face) for p, face in _LINUX_FONTS]
    unique: list[FontSource] = []
    for src in found:
        suffix = src.path.suffix.lower()
        if suffix not in (".ttf", ".ttc"):
            log.warning("ignoring fallback font %s: only TrueType .ttf/.ttc can be embedded",
                        src.path)
            continue
        if src not in unique and src.path.is_file():
            unique.append(src)
    return unique


def stand_in(ch: str) -> str:
    """The visible text printed for a character that no font has: ``[U+20BB7]``."""
    return f"[U+{ord(ch):04X}]"


def _is_invisible(ch: str) -> bool:
    """Format characters and variation selectors: dropped when no font has them."""
    cp = ord(ch)
    return (
        unicodedata.category(ch) == "Cf"
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
        or 0x180B <= cp <= 0x180D
    )


class _LoadedFont:
    __slots__ = ("source", "name", "cmap")

    def __init__(self, source: FontSource, name: str, cmap: dict[int, int]) -> None:
        self.source = source
        self.name = name
        self.cmap = cmap


def _register(source: FontSource, name: str) -> _LoadedFont:
    font = TTFont(name, str(source.path), subfontIndex=source.subfont_index)
    pdfmetrics.registerFont(font)
    # <b>/<i> in Paragraph markup must not fall back to Helvetica: map every style to the font.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)
    cmap = {cp: gid for cp, gid in font.face.charToGlyph.items() if gid}
    log.debug("registered font %s from %s (%d characters)", name, source.path, len(cmap))
    return _LoadedFont(source, name, cmap)


class FontSet:
    """The main font plus lazily loaded fallbacks; answers "which font prints this character"."""

    def __init__(self, main: FontSource, fallbacks: Iterable[FontSource]) -> None:
        self._lock = threading.RLock()
        self._main = _register(main, MAIN_FONT)
        self.main = MAIN_FONT
        #: characters (as 1-char strings) the main font has: the fast path.
        self._main_chars = frozenset(
            chr(cp) for cp in self._main.cmap if cp >= 0x20 and not 0x7F <= cp <= 0x9F
        )
        self._pending = list(fallbacks)
        self._loaded: list[_LoadedFont] = []
        # character -> font name, or "" for dropped invisible characters, or None for stand-in
        self._choice: dict[str, str | None] = {}
        self._reported: set[str] = set()

    # -- lookup ------------------------------------------------------------------------------

    def _next_fallback(self) -> _LoadedFont | None:
        while self._pending:
            source = self._pending.pop(0)
            try:
                loaded = _register(source, source.name)
            except Exception as exc:  # a broken or CFF font on the machine: skip it
                log.warning("cannot use fallback font %s: %s", source.path, exc)
                continue
            self._loaded.append(loaded)
            return loaded
        return None

    def font_for(self, ch: str) -> str | None:
        """reportlab font name that has ``ch``; ``None`` when no available font has it."""
        return self._choose(ch) or None

    def _choose(self, ch: str) -> str | None:
        """Like :meth:`font_for`, but ``""`` for an invisible character to drop."""
        if ch in self._main_chars:
            return self.main
        try:
            return self._choice[ch]
        except KeyError:
            return self._lookup(ch)

    def _lookup(self, ch: str) -> str | None:
        with self._lock:
            if ch in self._choice:
                return self._choice[ch]
            cp = ord(ch)
            choice: str | None = None
            for loaded in self._loaded:
                if cp in loaded.cmap:
                    choice = loaded.name
                    break
            else:
                while (loaded := self._next_fallback()) is not None:
                    if cp in loaded.cmap:
                        choice = loaded.name
                        break
            if choice is None and _is_invisible(ch):
                choice = ""  # dropped silently: a variation selector or joiner
            self._choice[ch] = choice
            return choice

    def covers(self, text: str) -> bool:
        """True when the main font alone prints all of ``text``."""
        return self._main_chars.issuperset(text)

    def fallback_fonts(self) -> list[str]:
        """Names of the fallback fonts loaded so far (in the order tried)."""
        return [f.name for f in self._loaded]

    def source_of(self, name: str) -> FontSource | None:
        for loaded in [self._main, *self._loaded]:
            if loaded.name == name:
                return loaded.source
        return None

    # -- splitting ---------------------------------------------------------------------------

    def runs(self, text: str) -> list[tuple[str, str]]:
        """Split ``text`` into ``(font name, text)`` runs, one font per run.

        Control characters become spaces; characters no font has become a visible stand-in
        (logged once per character) in the main font.
        """
        if not text:
            return []
        if self._main_chars.issuperset(text):
            return [(self.main, text)]
        out: list[tuple[str, str]] = []
        cur_font = None
        buf: list[str] = []
        for ch in text:
            piece = ch
            if ch < " " or "\x7f" <= ch <= "\x9f":  # control characters (tab, newline...)
                font, piece = self.main, " "
            else:
                font = self._choose(ch)
                if font is None:
                    font, piece = self.main, stand_in(ch)
                    self._report_missing(ch)
                elif font == "":
                    continue
            if font != cur_font:
                if buf:
                    out.append((cur_font, "".join(buf)))  # type: ignore[arg-type]
                cur_font, buf = font, [piece]
            else:
                buf.append(piece)
        if buf:
            out.append((cur_font, "".join(buf)))  # type: ignore[arg-type]
        return out

    def _report_missing(self, ch: str) -> None:
        if ch in self._reported:
            return
        self._reported.add(ch)
        try:
            uname = unicodedata.name(ch)
        except ValueError:
            uname = "unnamed"
        log.warning(
            "no available font has %s (%s, %s); printing %s instead. Install a font covering "
            "it (Windows: SimSun-ExtB; Debian: fonts-hanazono) or list one in %s",
            stand_in(ch), ch, uname, stand_in(ch), FALLBACK_ENV,
        )

    def markup(self, text: str) -> str:
        """reportlab Paragraph markup for plain ``text``: XML-escaped, fallback runs wrapped in
        ``<font name=...>`` (the Paragraph style's font must be :data:`MAIN_FONT`)."""
        if self._main_chars.issuperset(text):
            return escape(text)
        parts = []
        for font, run in self.runs(text):
            if font == self.main:
                parts.append(escape(run))
            else:
                parts.append(f'<font name="{font}">{escape(run)}</font>')
        return "".join(parts)

    def string_width(self, text: str, size: float) -> float:
        """Width in points of ``text`` printed at ``size`` with per-character fonts."""
        return sum(pdfmetrics.stringWidth(run, font, size) for font, run in self.runs(text))

    def draw_string(
        self, canv, x: float, y: float, text: str, size: float, *, align: str = "left"
    ) -> float:
        """Draw ``text`` on a reportlab canvas at baseline ``y``; ``align`` is ``"left"``,
        ``"right"`` or ``"centre"`` relative to ``x``. Returns the width drawn."""
        runs = self.runs(text)
        if not runs:
            return 0.0
        width = sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs)
        if align == "right":
            x -= width
        elif align in ("centre", "center"):
            x -= width / 2
        elif align != "left":
            raise ValueError(f"unknown alignment {align!r}")
        t = canv.beginText(x, y)
        for font, run in runs:
            t.setFont(font, size)
            t.textOut(run)
        canv.drawText(t)
        return width

    def fit_size(self, text: str, max_width: float, size: float, min_size: float = 5.0) -> float:
        """The largest size ≤ ``size`` (≥ ``min_size``) at which ``text`` fits ``max_width``."""
        width = self.string_width(text, size)
        if width <= max_width or width == 0:
            return size
        return max(min_size, size * max_width / width)


_font_set: FontSet | None = None
_font_set_lock = threading.Lock()


def font_set() -> FontSet:
    """The process-wide :class:`FontSet` (registers the fonts with reportlab on first use)."""
    global _font_set
    if _font_set is None:
        with _font_set_lock:
            if _font_set is None:
                main = FontSource(main_font_path(), 0, "bundled")
                if not main.path.is_file():
                    raise FileNotFoundError(f"bundled font missing: {main.path}")
                _font_set = FontSet(main, fallback_candidates())
    return _font_set
