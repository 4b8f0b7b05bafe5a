"""File names for the documents a zip holds, one per entity: readable, safe on every system, unique.

A name keeps the Latin letters and digits of the entity's name (accents dropped: "Ñandú" -> "Nandu",
"Øresund" -> "Oresund"); a name holding letters of another script (Arabic, Chinese...) is never
transliterated or cut down to its Latin part: it gives way to the next candidate (the acronym), then to
a fallback the caller gives. Nothing that a file system or an unzip tool reads as a path, a
device or a hidden file survives.
"""

from __future__ import annotations

import re
import unicodedata

STEM_LIMIT = 60  # characters of a name before its suffix
_NOT_SAFE = re.compile(r"[^A-Za-z0-9]+")
# Latin letters that do not decompose into a base letter and an accent, as they are written without it
_LATIN_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
                                "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ı": "i"})
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def stem(*candidates: object, fallback: str) -> str:
    """The first candidate written in Latin letters or digits, as words joined by hyphens, else ``fallback``."""
    for text in candidates:
        decomposed = unicodedata.normalize("NFKD", str(text or "")).translate(_LATIN_LETTERS)
        if any(ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN") for ch in decomposed):
            continue
        ascii_text = decomposed.encode("ascii", "ignore").decode()
        words = _NOT_SAFE.sub("-", ascii_text).strip("-")[:STEM_LIMIT].rstrip("-")
        if words and words.upper() not in _RESERVED:
            return words
    return fallback


def unique(stems: list[str], suffix: str) -> list[str]:
    """``stem + suffix`` for each, a number added where a name repeats (letters case ignored)."""
    seen: set[str] = set()
    out = []
    for s in stems:
        name, n = s, 1
        while name.lower() in seen:
            n += 1
            name = f"{s}-{n}"
        seen.add(name.lower())
        out.append(name + suffix)
    return out
