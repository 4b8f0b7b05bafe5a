"""Countries by their ISO 3166 alpha-2 code, with the names people read (pycountry's maintained list).

The store and the bundle keep the code; pickers and tables show the name.
"""

from __future__ import annotations

import functools

import pycountry


@functools.cache
def names() -> dict[str, str]:
    """Code -> the country's common name, in alphabetical order of the name."""
    found = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    return dict(sorted(found.items(), key=lambda item: item[1]))


def name(code: str | None) -> str:
    """'SN' (or 'sn') -> 'Senegal'; a code the list does not know is shown as it was typed; nothing -> ''."""
    return names().get((code or "").upper(), code or "")


def codes() -> list[str]:
    """Every country code, in the order of the countries' names."""
    return list(names())
