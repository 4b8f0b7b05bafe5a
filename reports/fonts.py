"""Fonts for the PDF reports, and safe markup for any user text.

Entities write their names in any script, so a report has to draw Latin,
Cyrillic, Greek, Arabic, Hebrew and Chinese in one line. reportlab embeds only
TrueType outlines and does no shaping or bidi of its own, hence:

* three Debian font packages, found at run time by path: DejaVu Sans
  (``fonts-dejavu-core``: Latin, Cyrillic, Greek, Arabic, Hebrew, many
  symbols), WenQuanYi Zen Hei (``fonts-wqy-zenhei``: CJK) and Symbola
  (``fonts-symbola``: emoji and the symbols the others lack, so that any
  character a user typed is drawn and extracts back);
* every character drawn in the first of those fonts that has a glyph for it;
* Arabic and Hebrew shaped (``arabic_reshaper``) and put in visual order
  (``bidi.algorithm.get_display``) before reportlab sees them.

``rich`` turns arbitrary user text into Paragraph markup that cannot break the
parser; ``plain`` does the same for ``canvas.drawString`` (one font, no markup).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.graphics import shapes
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus.tables import CellStyle

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
CJK = "WenQuanYiZenHei"
SYMBOLS = "Symbola"
# Zen Hei and Symbola have no bold face: bold text in them is drawn in the regular face, filled and
# stroked (``layout.FauxBoldText``); these names are the regular fonts under a bold name
CJK_BOLD = "WenQuanYiZenHei-Bold"
SYMBOLS_BOLD = "Symbola-Bold"
FAUX_BOLD = {CJK_BOLD: CJK, SYMBOLS_BOLD: SYMBOLS}

# name -> (path, Debian package, index in a .ttc collection)
FONT_FILES = {
    SANS: ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core", 0),
    SANS_BOLD: ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "fonts-dejavu-core", 0),
    CJK: ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "fonts-wqy-zenhei", 0),
    SYMBOLS: ("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf", "fonts-symbola", 0),
}

ELLIPSIS = "\u2026"


class FontMissing(RuntimeError):
    """A font file the reports need is not installed."""


def _ttf(name: str, path: str, package: str, index: int = 0) -> TTFont:
    """Load one TrueType font, or say which Debian package brings it."""
    if not Path(path).is_file():
        raise FontMissing(
            f"font file {path} is missing; the PDF reports need it: apt-get install {package}"
        )
    return TTFont(name, path, subfontIndex=index)


def _to_unicode_cmap(fontname: str, subset) -> str:
    """reportlab's ToUnicode map of a font subset (``ttfonts.makeToUnicodeCMap``), with characters
    beyond U+FFFF (emoji) written as UTF-16 surrogate pairs as the PDF format wants: reportlab
    writes "<1F33F>", which readers take for U+1F33, so an emoji would be drawn but not extract back."""
    chars = [f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>" for i, v in enumerate(subset)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange", f"{len(subset)} beginbfchar", *chars, "endbfchar", "endcmap",
        "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


@functools.cache
def register() -> dict[str, TTFont]:
    """Register the fonts once per process and return them by name.

    Families are registered too, so ``<b>`` around our ``<font>`` runs maps
    to a real face instead of raising "Can't map determine family".
    """
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    # a table sets its cells' font even where a cell is a Paragraph, and a chart sets its font before
    # drawing: reportlab's default in both, Helvetica, would be named in the PDF without being embedded
    CellStyle.fontname = SANS
    shapes.STATE_DEFAULTS["fontName"] = SANS
    fonts = {}
    for name, (path, package, index) in FONT_FILES.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(_ttf(name, path, package, index))
        fonts[name] = pdfmetrics.getFont(name)
    for bold, regular in FAUX_BOLD.items():  # the same font object, so one embedded subset serves both
        pdfmetrics._fonts[bold] = fonts[regular]
        fonts[bold] = fonts[regular]
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS, boldItalic=SANS_BOLD)
    pdfmetrics.registerFontFamily(SANS_BOLD, normal=SANS_BOLD, bold=SANS_BOLD, italic=SANS_BOLD, boldItalic=SANS_BOLD)
    for bold, regular in FAUX_BOLD.items():
        for name in (bold, regular):
            for italic in (0, 1):
                addMapping(name, 0, italic, regular)
                addMapping(name, 1, italic, bold)
    return fonts


@functools.cache
def _chars(name: str) -> frozenset[str]:
    """Every character the registered font ``name`` has a glyph for: a text is checked against it
    in one set operation rather than a character at a time."""
    return frozenset(map(chr, register()[name].face.charToGlyph))


_DROP = {"Cc", "Cs", "Cn", "Co"}  # controls, lone surrogates, unassigned, private use
_SPACE = {"\t", "\n", "\r", "\x0b", "\x0c", "\x85"}


def clean(text: object, limit: int | None = None) -> str:
    """The text without characters no font draws and no PDF string survives.

    Line breaks and tabs become spaces (a name is one line); NUL and the other
    controls, lone surrogates, unassigned and private-use code points go.
    ``limit`` cuts over-long text (with an ellipsis) so that one hostile name
    cannot make a table row taller than a page.
    """
    text = "" if text is None else str(text)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + ELLIPSIS
    if text.isprintable():  # no control, separator but space, format, surrogate, unassigned or private character
        return text
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in _SPACE or cat in ("Zl", "Zp"):
            out.append(" ")
        elif cat not in _DROP:
            out.append(ch)
    return "".join(out)


# every character whose bidi class is R or AL (Hebrew, Arabic, ..., the right-to-left mark) lies in
# these ranges (tests/reports/test_rows.py checks every code point): a text with none of them reads
# left to right, found in one scan
MAYBE_RTL = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")


@functools.lru_cache(maxsize=50_000)
def _base(text: str) -> str | None:
    """The paragraph direction of the text: that of its first strong character
    (Unicode rule P2), or None when it has no right-to-left character at all. Remembered: a
    report asks it of the same names in every table, a character at a time."""
    if text.isascii() or not MAYBE_RTL.search(text):
        return None
    if not any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return None
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return "R"


def right_to_left(text: object) -> bool:
    """True when the text reads right to left as a paragraph (its first strong character is Arabic or Hebrew),
    so that it is set flush right."""
    return _base(clean(text)) == "R"


@functools.lru_cache(maxsize=20_000)
def _visual(text: str, base: str | None) -> str:
    """Shape Arabic and reorder right-to-left runs into drawing order.

    "مركز الخليج (GCB)" has a right-to-left base, so it draws with "(GCB)" at
    its left end; "Centre (مركز)" stays a left-to-right line with the Arabic
    reversed in place. Format characters (bidi marks, joiners) are dropped
    afterwards: they have done their work and would draw as boxes.
    """
    if base is not None:
        text = get_display(arabic_reshaper.reshape(text), base_dir=base)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def _runs(text: str, bold: bool) -> list[tuple[str, str]]:
    """Split text into (font name, chunk) runs: the Latin font when it has the
    glyph, else the CJK font when it has it, else Symbola (emoji and symbols)
    when it has it, else the Latin font (a box)."""
    fonts = register()
    main, cjk, symbols = (SANS_BOLD, CJK_BOLD, SYMBOLS_BOLD) if bold else (SANS, CJK, SYMBOLS)
    if not text:
        return []
    if set(text) <= _chars(main):  # most texts: one run, found without a look-up per character
        return [(main, text)]
    main_map = fonts[main].face.charToGlyph
    cjk_map = fonts[CJK].face.charToGlyph
    symbol_map = fonts[SYMBOLS].face.charToGlyph
    runs: list[tuple[str, str]] = []
    for ch in text:
        code = ord(ch)
        font = main
        if code not in main_map:
            font = cjk if code in cjk_map else symbols if code in symbol_map else main
        if ch == " " and runs:
            font = runs[-1][0]  # a space keeps the run it is in
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


@functools.lru_cache(maxsize=50_000)
def one_font(text: str, bold: bool = False) -> bool:
    """True when the (cleaned) text draws in the Latin font alone, left to right, with no shaping:
    a table may then draw it as a plain string, without a Paragraph."""
    if text.isascii():
        return True  # DejaVu Sans draws every printable ASCII character
    if _base(text) is not None:
        return False
    return set(text) <= _chars(SANS_BOLD if bold else SANS)


def _width(text: str, size: float, bold: bool) -> float:
    return sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in _runs(text, bold))


def _lines(text: str, width: float, size: float, bold: bool) -> list[str]:
    """Break text into lines of at most ``width`` points, in logical order.

    Bidi reordering is per line: a Paragraph that wrapped an already reordered
    right-to-left text would show its lines bottom-up, so such text is broken
    here, before reordering (words measured shaped; shaping stops at spaces).
    """
    lines: list[list[str]] = [[]]
    used, space = 0.0, _width(" ", size, bold)
    for word in _fitting_words(text.split(), width, size, bold):
        w = _width(_shaped(word), size, bold)
        if lines[-1] and used + space + w > width:
            lines.append([])
            used = 0.0
        used += (space if lines[-1] else 0.0) + w
        lines[-1].append(word)
    return [" ".join(line) for line in lines]


@functools.lru_cache(maxsize=50_000)
def _shaped(word: str) -> str:
    """The word as Arabic shaping draws it (the reshaper is slow: only words with Arabic letters)."""
    return arabic_reshaper.reshape(word) if any(unicodedata.bidirectional(ch) == "AL" for ch in word) else word


def _fitting_words(words: list[str], width: float, size: float, bold: bool) -> list[str]:
    """The words, each one wider than the line (a Chinese name has no spaces) cut into pieces that fit."""
    out = []
    for word in words:
        if _width(word, size, bold) <= width:
            out.append(word)
            continue
        piece = ""
        for ch in word:
            if piece and _width(piece + ch, size, bold) > width:
                out.append(piece)
                piece = ""
            piece += ch
        out.append(piece)
    return out


@functools.lru_cache(maxsize=20_000)
def _wrapped(text: str, width: float, size: float, bold: bool) -> tuple[tuple[tuple[str, str], ...], ...]:
    base = _base(text)
    return tuple(tuple(_runs(_visual(line, base), bold)) for line in _lines(text, width, size, bold))


def wrapped_runs(text: object, width: float, size: float, bold: bool = False,
                 limit: int | None = None) -> list[list[tuple[str, str]]]:
    """The text broken into lines of at most ``width`` points, each line as its visual (font, chunk)
    runs: what a table cell draws string by string, without the cost of a Paragraph. Remembered:
    a report names the same entity in many tables."""
    return [list(line) for line in _wrapped(clean(text, limit), float(width), float(size), bool(bold))]


def _markup(visual: str, bold: bool) -> str:
    return "".join(f'<font name="{font}">{escape(chunk)}</font>' for font, chunk in _runs(visual, bold))


def rich(
    text: object, bold: bool = False, limit: int | None = None, width: float | None = None, size: float | None = None
) -> str:
    """Paragraph markup for arbitrary user text, safe whatever it holds.

    Each run is escaped (``&``, ``<``, ``>``) after the split, so markup in
    the text is shown as written, and wrapped in an explicit ``<font>`` so the
    result draws the same in any style. Give ``width`` (points available) and
    ``size`` (font size) where right-to-left text may wrap, so that its lines
    are broken before reordering and read top-down.
    """
    text = clean(text, limit)
    base = _base(text)
    if base is not None and width and size:
        lines = _lines(text, width - 1, size, bold)
        return "<br/>".join(_markup(_visual(line, base), bold) for line in lines)
    return _markup(_visual(text, base), bold)


def plain(text: object, limit: int | None = None) -> str:
    """Cleaned, shaped, visually ordered text for ``canvas.drawString`` in
    DejaVu Sans (which has no CJK: use ``rich`` in a Paragraph for that)."""
    register()
    text = clean(text, limit)
    return _visual(text, _base(text))


def runs(text: object, bold: bool = False, limit: int | None = None) -> list[tuple[str, str]]:
    """Cleaned, shaped, visually ordered text as (font name, chunk) runs, for drawing
    outside a Paragraph (a chart label): one ``drawString`` per run, each in its font."""
    text = clean(text, limit)
    return _runs(_visual(text, _base(text)), bold)


def fit(text: object, width: float, size: float, bold: bool = False) -> str:
    """The cleaned text cut (with an ellipsis) so that it draws within ``width`` points."""
    text = clean(text, limit=int(width / (0.2 * size)) + 2)  # no glyph we draw is narrower than 0.2 em
    if _width(text, size, bold) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with its ellipsis
        mid = (lo + hi + 1) // 2
        if _width(arabic_reshaper.reshape(text[:mid]) + ELLIPSIS, size, bold) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS
