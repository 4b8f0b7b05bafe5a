"""Tables that fit the page beside the sidebar at 1,400 px: set widths, short headers, yes/no in words.

The main column is about 900 px wide. A table whose columns add up to more
scrolls sideways and hides what is on the right, so each page gives its columns
widths that fit (a long name is cut at the end of its cell, never a whole column).
"""

from __future__ import annotations

import string

import streamlit as st

from selection.i18n import _


def text(width: int, label: str | None = None, help: str | None = None):
    return st.column_config.TextColumn(label, width=width, help=help)


def number(width: int, label: str | None = None, help: str | None = None, places: int | None = None):
    """A column of figures; ``places`` writes each with that many decimals, so a column reads evenly (77.0, 79.6)."""
    return st.column_config.NumberColumn(label, width=width, help=help,
                                         format=None if places is None else f"%.{places}f")


def yes(value) -> str:
    """A tick of a table in words: "Yes", or a dash (never true/false, which the screen reader reads out)."""
    return _("Yes") if bool(value) else "—"


def letters(names: list[str]) -> dict[str, str]:
    """Short headers for the criteria, as the call lists them: (a), (b), (c)…"""
    return {name: f"({string.ascii_lowercase[i]})" for i, name in enumerate(names)}
