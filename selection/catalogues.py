"""The translation catalogues' upkeep: which messages the code marks, which a language lacks, and writing them.

``python -m selection.catalogues`` lists, per language, the marked messages that have no translation,
a translation that drops or renames a placeholder, and one left equal to the English without being
listed in ``selection/locale/same.txt`` or an area's ``same_<area>.txt`` (words that are the same in both, such as
"Bureau" in French).
Translators (people or engineers) add translations with ``write(area, lang, {msgid: msgstr})``, which
merges them into ``selection/locale/<lang>/<area>.po``, the file of one area of the tool. A plural
message takes one form per plural category of the language, in gettext's order: Arabic six (zero, one,
two, few, many, other), Russian three (one, few, many), Chinese one, French and Spanish two (one, other;
the third, for round millions, is filled with the second).
"""

from __future__ import annotations

import re
import string
import sys
from pathlib import Path

from selection.i18n import DEFAULT, LANGUAGES, LOCALE_DIR, babel_locale, catalogue_files

ROOT = LOCALE_DIR.parents[1]
SOURCES = ("selection", "criteria", "reports", "ui", "streamlit_app.py")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
# Words rightly the same as the English: ``same.txt``, or ``same_<area>.txt`` beside it for one area's words.
SAME_FILES = "same*.txt"

MessageId = str | tuple[str, str]


def _python_files():
    for source in SOURCES:
        path = ROOT / source
        yield from ([path] if path.is_file() else sorted(p for p in path.rglob("*.py") if "locale" not in p.parts))


def extracted() -> dict[MessageId, list[str]]:
    """Every message the code marks for translation, with where it is marked ('ui/pages/signin.py:12')."""
    from babel.messages.extract import extract_from_file

    found: dict[MessageId, list[str]] = {}
    for path in _python_files():
        for lineno, message, _comments, _context in extract_from_file("python", str(path), keywords=KEYWORDS):
            if not message or (isinstance(message, tuple) and not all(message)):
                continue
            key = message if isinstance(message, str) else tuple(message[:2])
            found.setdefault(key, []).append(f"{path.relative_to(ROOT)}:{lineno}")
    return found


def read(lang: str) -> dict[MessageId, str | tuple[str, ...]]:
    """The translations of a language, all its areas' files together."""
    from babel.messages.pofile import read_po

    merged: dict = {}
    for path in catalogue_files(lang):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=babel_locale(lang).split("_")[0]):
                if message.id:
                    key = message.id if isinstance(message.id, str) else tuple(message.id[:2])
                    merged[key] = message.string
    return merged


def translated_two_ways(lang: str) -> list[str]:
    """Messages two areas translate differently: the page would show one and the letter another, whichever file
    happens to load first. One message, one translation."""
    from babel.messages.pofile import read_po

    seen: dict = {}
    lines = []
    for path in catalogue_files(lang):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=babel_locale(lang).split("_")[0]):
                if not message.id:
                    continue
                key = message.id if isinstance(message.id, str) else tuple(message.id[:2])
                text = message.string if isinstance(message.string, str) else tuple(message.string)
                first = seen.setdefault(key, (path.stem, text))
                if first[1] != text:
                    lines.append(f"{lang}: {key!r} is {first[1]!r} in {first[0]} but {text!r} in {path.stem}")
    return lines


def same_as_english() -> set[str]:
    return {line.strip() for path in sorted(LOCALE_DIR.glob(SAME_FILES))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def problems(lang: str, messages: dict[MessageId, list[str]] | None = None) -> list[str]:
    """What the language's catalogues lack for the marked messages, one line each."""
    messages = extracted() if messages is None else messages
    have, same = read(lang), same_as_english()
    lines = translated_two_ways(lang)
    for key, where in messages.items():
        english = (key,) if isinstance(key, str) else key
        got = have.get(key)
        forms = (got,) if isinstance(got, str) else tuple(got or ())
        if not forms or not all(forms):
            lines.append(f"{lang}: no translation of {key!r} ({where[0]})")
            continue
        wanted = set().union(*(placeholders(e) for e in english))
        for form in forms:
            if placeholders(form) - wanted or (isinstance(key, str) and placeholders(form) != wanted):
                lines.append(f"{lang}: placeholders {sorted(placeholders(form))} in {form!r} "
                             f"differ from {sorted(wanted)} in {key!r}")
        if isinstance(key, str) and forms[0] == key and key not in same and re.search(r"[A-Za-z]{2}", key):
            lines.append(f"{lang}: {key!r} is left in English ({where[0]}); list it in a same*.txt if that is right")
    return lines


def write(area: str, lang: str, translations: dict[MessageId, str | tuple[str, ...]]) -> Path:
    """Merge translations into ``selection/locale/<lang>/<area>.po`` (created if new); returns its path."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    path = LOCALE_DIR / lang / f"{area}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    locale = babel_locale(lang).split("_")[0]
    if path.exists():
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=locale)
    else:
        catalogue = Catalog(locale=locale, project="host-selection", domain=area, charset="utf-8")
    catalogue.fuzzy = False
    for key, text in translations.items():
        if isinstance(text, tuple) and len(text) == 2 and catalogue.num_plurals == 3 and lang in ("fr", "es"):
            text = (text[0], text[1], text[1])  # French and Spanish: one, millions ("de"), other
        catalogue.delete(key)
        catalogue.add(key, text)
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=0, sort_output=True, omit_header=False)
    return path


def main() -> int:
    messages = extracted()
    lines = [line for lang in LANGUAGES if lang != DEFAULT for line in problems(lang, messages)]
    print("\n".join(lines) or f"All {len(messages)} marked messages are translated in every language.")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())


# The procedure's own terms: a message that names one in English names it in the glossary's words in Chinese,
# French and Spanish (Arabic and Russian inflect them, so a plain search would not tell).
CHECKED_TERMS = ("Bureau", "Executive Secretary", "advisory group", "expression of interest", "detailed proposal",
                 "assessment report", "host agreement", "technical and scientific cooperation", "reserve list",
                 "evaluation summary", "Conference of the Parties")
CHECKED_LANGUAGES = ("zh", "fr", "es")


def glossary() -> dict[str, dict[str, str]]:
    """The glossary's table (``selection/locale/GLOSSARY.md``): English term -> {language: term}."""
    lines = [line for line in (LOCALE_DIR / "GLOSSARY.md").read_text(encoding="utf-8").splitlines()
             if line.startswith("|") and not line.startswith("|---")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    codes = {name: code for code, name in
             {"ar": "Arabic", "zh": "Chinese", "en": "English", "fr": "French", "ru": "Russian", "es": "Spanish"}.items()}
    table = {}
    for line in lines[1:]:
        cells = dict(zip(header, (cell.strip() for cell in line.strip("|").split("|"))))
        table[cells["English"]] = {codes[k]: v for k, v in cells.items() if k in codes}
    return table


def _forms(term: str) -> list[str]:
    """The ways a glossary cell may be written: 'avis (du Bureau)' -> 'avis'; '《生物多样性公约》' -> '生物多样性公约'."""
    bare = re.sub(r"\s*[（(][^)）]*[)）]", "", term).strip(" 《》")
    return [part.strip() for part in bare.split(",") if part.strip()]


def glossary_problems(lang: str) -> list[str]:
    """Messages that name one of the procedure's terms without the glossary's word for it."""
    table = glossary()
    lines = []
    for key, got in read(lang).items():
        english = key if isinstance(key, str) else key[0]
        forms = (got,) if isinstance(got, str) else tuple(got or ())
        for term in CHECKED_TERMS:
            if not re.search(rf"\b{re.escape(term)}\b", english, re.IGNORECASE):
                continue
            wanted = _forms(table[term][lang])
            for form in forms:
                if form and not any(w.lower() in form.lower() for w in wanted):
                    lines.append(f"{lang}: {form!r} names '{term}' without '{wanted[0]}' (glossary)")
    return lines
