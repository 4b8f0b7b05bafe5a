"""Countries by their ISO 3166 code, named as readers know them (pycountry's maintained list)."""

from __future__ import annotations

import functools


@functools.cache
def _names() -> dict[str, str]:
    import pycountry

    return {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}


def name(code: str | None) -> str:
    """'SN' -> 'Senegal'; a code that is no country is shown as typed; nothing -> ''."""
    if not code:
        return ""
    return _names().get(code.upper(), code)


def codes() -> list[str]:
    """Every country code, in the order of the countries' names."""
    return sorted(_names(), key=lambda c: _names()[c])
