"""What Streamlit's Markdown would make of a string: the constructs it would create, and the text a person reads.

A model of the frontend (streamlit 1.67) kept to what the browser test
tests/ui/test_browser_markup.py proves: an escaped character is shown as
itself, and these constructs are the ones Streamlit creates, some of them
(autolinks, shortcodes, typography) from the text left once escapes are undone.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"

# One line each, for fields that hold a single line (names, file names), and one with line breaks.
HOSTILE_LINE = ("**X** :red[Y] ![i](https://host.example/i.png) :material/warning: :smile: :streamlit: "
                "see https://host.example/a and www.host.example, mail a@host.example; <b>B</b> A -- B -> C $x^2$")
HOSTILE_FILENAME = "**X** :red[Y] ![i](https:host.example) :smile: www.host.example.pdf"
HOSTILE_TEXT = "Heading\n===\n\n    indented host.example code\n# h\n- item\n> quote\n" + HOSTILE_LINE

# The kinds of element tests/ui/markup_app.py shows them through in the browser.
BROWSER_KINDS = ("markdown", "caption", "info", "subheader", "button", "download", "expander", "tabs", "selectbox",
                 "radio", "select_slider", "metric", "progress", "text_area", "checkbox", "text", "dataframe",
                 "chart")

_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_CONSTRUCTS = {
    "link or image": re.compile(r"\[[^\]]*\]\("),
    "HTML tag": re.compile(r"<[A-Za-z/!]"),
    "colour or directive": re.compile(r":[a-z][\w-]*\["),
    "heading": re.compile(r"^ {0,3}(#{1,6}(\s|$)|=+\s*$|-{2,}\s*$)", re.MULTILINE),
    "list or quote": re.compile(r"^ {0,3}([-*+>]|\d+[.)])(\s|$)", re.MULTILINE),
    "code": re.compile(r"`"),
    "formula": re.compile(r"\$"),
}
# Rewritten in the text once escapes are undone (remark-gfm autolinks, remark-emoji, Streamlit's own plugins).
_TEXT_REWRITES = {
    "link": re.compile(r"(https?://|www(?=\.))[-.\w]+", re.IGNORECASE),
    "e-mail link": re.compile(r"[-.\w+]+@[-\w]+(\.[-\w]+)+"),
    "emoji or logo": re.compile(r":[\w+-][\w+-]*:"),
    "typography": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
}


def _live(source: str) -> str:
    """The source with every escaped character replaced by a neutral letter: what Markdown still reads."""
    return _ESCAPE.sub("e", source)


def constructs(source: str, *, allowed: tuple[str, ...] = ()) -> list[str]:
    """The Markdown constructs Streamlit would create from ``source`` (bold and italic are the pages' own)."""
    live = _live(source)
    found = [name for name, pattern in _CONSTRUCTS.items() if pattern.search(live)]
    if ":material/" in source:  # replaced in the source itself, before any escape is read
        found.append("icon")
    if re.search(r"^(?: {4}|\t)", source, re.MULTILINE):
        found.append("indented code")
    text = _read(source)
    found += [name for name, pattern in _TEXT_REWRITES.items() if pattern.search(text)]
    return [f for f in found if f not in allowed]


def _read(source: str) -> str:
    """The text once escapes are undone and the pages' own bold markers are gone (joiners kept)."""
    text = re.sub(r"(?<!\\)\*\*", "", source.replace("  \n", "\n"))
    return _ESCAPE.sub(r"\1", text)


def shown(source: str) -> str:
    """The text a person reads: escapes undone, bold markers and invisible joiners gone, hard breaks as lines."""
    return _read(source).replace(WORD_JOINER, "").replace("\u00a0", " ")
