"""The fonts module's shortcuts (a text checked in one scan or one set operation, not a character
at a time) give the answers the character-by-character rules give."""

from __future__ import annotations

import sys
import unicodedata

from reports import fonts


def test_every_right_to_left_character_is_in_the_ranges_scanned_for_them():
    outside = [hex(c) for c in range(sys.maxunicode + 1)
               if unicodedata.bidirectional(chr(c)) in ("R", "AL") and not fonts.MAYBE_RTL.match(chr(c))]
    assert outside == []


def _runs_char_by_char(text: str, bold: bool) -> list[tuple[str, str]]:
    found = fonts.register()
    main, cjk, symbols = (fonts.SANS_BOLD, fonts.CJK_BOLD, fonts.SYMBOLS_BOLD) if bold else (
        fonts.SANS, fonts.CJK, fonts.SYMBOLS)
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = main
        if ord(ch) not in found[main].face.charToGlyph:
            font = cjk if ord(ch) in found[fonts.CJK].face.charToGlyph else (
                symbols if ord(ch) in found[fonts.SYMBOLS].face.charToGlyph else main)
        if ch == " " and runs:
            font = runs[-1][0]
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


TEXTS = ["", "Reef & Ocean <Lab> 12", "Institut sahélien Ñandú", "Институт биоразнообразия",
         "Ινστιτούτο Βιοποικιλότητας", "مركز الخليج (GCB)", "המכון לחקר", "湄公河生物多样性合作中心 (MBC)",
         "Forest 🌿 centre", "\u200fmark", "Centre (مركز) ١٢"]


def test_a_text_is_split_into_font_runs_as_character_by_character():
    for text in TEXTS:
        for bold in (False, True):
            assert fonts._runs(text, bold) == _runs_char_by_char(text, bold), text


def test_one_font_and_the_direction_are_those_of_the_characters():
    glyphs = fonts.register()[fonts.SANS].face.charToGlyph
    for text in TEXTS:
        rtl = any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)
        assert (fonts._base(text) is not None) == rtl, text
        assert fonts.one_font(text) == (not rtl and all(ord(ch) in glyphs for ch in text)), text
