"""File names for the documents a zip holds, one per entity: readable, safe on every system, unique.

A name keeps the ASCII letters and digits of the entity's name (accents dropped: "Ñandú" -> "Nandu");
a name in a script without them (Arabic, Chinese...) gives way to the next candidate (the acronym),
then to a fallback the caller gives. Nothing that a file system or an unzip tool reads as a path, a
device or a hidden file survives.
"""

from __future__ import annotations

import re
import unicodedata

STEM_LIMIT = 60  # characters of a name before its suffix
_NOT_SAFE = re.compile(r"[^A-Za-z0-9]+")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def stem(*candidates: object, fallback: str) -> str:
    """The first candidate that leaves ASCII letters or digits, as words joined by hyphens, else ``fallback``."""
    for text in candidates:
        ascii_text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
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
