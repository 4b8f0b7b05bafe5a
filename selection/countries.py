"""Countries by their ISO 3166 alpha-2 code, with the names people read (pycountry's maintained list).

The store and the bundle keep the code; pickers and tables show the name, in the reader's language
(babel's locale data names every territory in the six languages; English keeps pycountry's common names).
"""

from __future__ import annotations

import functools

import pycountry

from selection import i18n


@functools.cache
def _names(lang: str) -> dict[str, str]:
    found = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    if lang != i18n.DEFAULT:
        from babel import Locale

        territories = Locale.parse(i18n.babel_locale(lang)).territories
        found = {code: territories.get(code, english) for code, english in found.items()}
    return dict(sorted(found.items(), key=lambda item: item[1]))


def names() -> dict[str, str]:
    """Code -> the country's name in the reader's language, in alphabetical order of the name."""
    return _names(i18n.language() if i18n.language() in i18n.LANGUAGES else i18n.DEFAULT)


def name(code: str | None) -> str:
    """'SN' (or 'sn') -> 'Senegal' ('Sénégal' in French); a code the list does not know is shown as it was
    typed; nothing -> ''."""
    return names().get((code or "").upper(), code or "")


def codes() -> list[str]:
    """Every country code, in the order of the countries' names."""
    return list(names())
