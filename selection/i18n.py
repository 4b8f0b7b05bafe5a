"""One translation function for every string a person reads, in the six languages of the United Nations.

Messages are written in English in the code, marked ``_("…")`` (or ``ngettext`` for a count), and
translated from gettext catalogues kept as ``.po`` files in ``selection/locale/<lang>/*.po`` (one file per
area of the tool, so that the catalogues of the pages, the documents and the messages can grow apart).
Babel reads each ``.po`` file and compiles it in memory; Python's ``gettext`` does the look-up and the
plural forms. Nothing is compiled at install time: the README's two commands stay all the set-up.

The language is the reader's, set once per page run, per command or per document with ``use``/``set_language``:
a context variable, so the core's refusals are written in the language of the person who caused them
without every function taking a language argument.

Placeholders are named and filled after translation: ``_("{count} proposals", count=3)``. A translator
moves them, never renames them (a test checks every catalogue for it).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext as _gettext
import io
import re
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "en"
# Each language named in itself, in the order the United Nations lists them (alphabetical in English).
LANGUAGES = {"ar": "العربية", "zh": "中文", "en": "English", "fr": "Français", "ru": "Русский", "es": "Español"}
RIGHT_TO_LEFT = frozenset({"ar"})
# The babel locale behind each language's dates and numbers: British English writes "27 March 2027".
BABEL_LOCALES = {"ar": "ar", "zh": "zh_Hans_CN", "en": "en_GB", "fr": "fr_FR", "ru": "ru_RU", "es": "es_ES"}
# A test-only language: every translated message comes back marked, so untranslated text stands out.
PSEUDO = "qps"
PSEUDO_OPEN, PSEUDO_CLOSE = "⟦", "⟧"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT)


def known(lang: str | None) -> str | None:
    """The language code if the tool speaks it ('fr-CA' and 'FR' give 'fr'), else None."""
    if not lang:
        return None
    code = str(lang).strip().replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES or code == PSEUDO else None


def required(lang: str | None) -> str:
    """The code of one of the six languages a person chose, or a refusal naming the field (never the pseudo-language)."""
    from selection.errors import Invalid

    code = known(lang)
    if code is None or code == PSEUDO:
        raise Invalid("language", gettext("choose one of the six languages"))
    return code


def negotiate(*preferences: str | None) -> str:
    """The first of the preferences the tool speaks (a choice, a query parameter, the browser's locale), else English."""
    for preference in preferences:
        code = known(preference)
        if code:
            return code
    return DEFAULT


def choose(*, query: str | None = None, chosen: str | None = None, account: str | None = None,
           browser: str | None = None) -> str:
    """The page's language: the URL's ``?lang=``, else the choice made in this session, else the account's,
    else the browser's, else English. A link with ``?lang=`` wins so that it can be shared before sign-in."""
    return negotiate(query, chosen, account, browser)


def language() -> str:
    return _current.get()


def set_language(lang: str | None) -> str:
    """Set the reader's language for the rest of this run (a page run, a command); returns the one set."""
    code = known(lang) or DEFAULT
    _current.set(code)
    return code


@contextlib.contextmanager
def use(lang: str | None):
    """Write what is built inside in ``lang`` (a letter in its recipient's language), then go back."""
    token = _current.set(known(lang) or DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def direction(lang: str | None = None) -> str:
    return "rtl" if (lang or language()) in RIGHT_TO_LEFT else "ltr"


# Letters of the right-to-left scripts people write names in (Hebrew, Arabic, Syriac, Thaana, N'Ko and their
# presentation forms): a name holding one is laid out right to left by the browser unless told otherwise.
_RIGHT_TO_LEFT_LETTERS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
LEFT_TO_RIGHT_MARK = "\u200e"
FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def writes_right_to_left(text: str) -> bool:
    return bool(_RIGHT_TO_LEFT_LETTERS.search(text or ""))


def isolate(text: str) -> str:
    """Text a person typed, inside a translated sentence, kept in its own direction: in an Arabic sentence a Latin
    name, in an English one an Arabic name, does not reorder its neighbours (a number after an Arabic name would
    otherwise move to its left). Left as it is where it cannot reorder anything (Latin text on a left-to-right page)."""
    if direction() == "rtl" or writes_right_to_left(text):
        return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"
    return text


def in_page_direction(text: str) -> str:
    """A name standing alone (a table cell, a picker's option) laid out in the page's direction: on a left-to-right
    page an Arabic name with a Latin acronym would otherwise be set right to left, acronym first, and cut at its
    start. A left-to-right mark first makes the line left to right; the Arabic words still read right to left."""
    if direction() == "ltr" and writes_right_to_left(text):
        return LEFT_TO_RIGHT_MARK + text
    return text


def babel_locale(lang: str | None = None) -> str:
    return BABEL_LOCALES.get(lang or language(), BABEL_LOCALES[DEFAULT])


def language_name(code: str, reader: str | None = None) -> str:
    """A language named in the reader's language ('anglais' for a French reader of 'en')."""
    from babel import Locale

    reader = reader or language()
    if reader not in LANGUAGES:
        return LANGUAGES.get(code, code)
    return Locale.parse(babel_locale(reader)).languages.get(code, LANGUAGES.get(code, code))


def catalogue_files(lang: str) -> list[Path]:
    return sorted((LOCALE_DIR / lang).glob("*.po"))


@functools.lru_cache(maxsize=None)
def _translations(lang: str) -> _gettext.NullTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    merged: _gettext.NullTranslations = _gettext.NullTranslations()
    for path in reversed(catalogue_files(lang)):
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=babel_locale(lang).split("_")[0])
        compiled = io.BytesIO()
        write_mo(compiled, catalogue)
        compiled.seek(0)
        part = _gettext.GNUTranslations(compiled)
        part.add_fallback(merged)
        merged = part
    return merged


def _fill(text: str, params: dict) -> str:
    return text.format(**params) if params else text


def _pseudo(text: str) -> str:
    return f"{PSEUDO_OPEN}{text}{PSEUDO_CLOSE}"


def gettext(message: str, **params) -> str:
    """``message`` in the reader's language, its ``{placeholders}`` filled from ``params``."""
    lang = language()
    if lang == DEFAULT:
        return _fill(message, params)
    if lang == PSEUDO:
        return _pseudo(_fill(message, params))
    return _fill(_translations(lang).gettext(message), params)


def ngettext(singular: str, plural: str, n: int, **params) -> str:
    """The form of a counted message the reader's language needs for ``n`` (Arabic has six, Russian three).
    ``n`` is also offered to the text as ``{n}``."""
    params = {"n": n, **params}
    lang = language()
    if lang == DEFAULT:
        return _fill(singular if n == 1 else plural, params)
    if lang == PSEUDO:
        return _pseudo(_fill(singular if n == 1 else plural, params))
    return _fill(_translations(lang).ngettext(singular, plural, n), params)


def N_(message: str) -> str:
    """Marks a message for the catalogues where it is defined (a constant) and translated where it is shown."""
    return message


_ = gettext
