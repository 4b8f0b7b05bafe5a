"""Helpers for the language tests: every text a person reads on an AppTest page, and the data a page may show
as it is (what people typed into the store), so that whatever is left must have come through the catalogues."""

from __future__ import annotations

import json
import re

from babel.dates import get_month_names
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from selection import countries, i18n
from tests.ui.conftest import APP, signed_in, unescape

READ_FIELDS = {"label", "body", "options", "placeholder", "help", "caption"}
SKIPPED_KEYS = ("language_select", "language_signin")  # each language is named in itself, on purpose
# The columns people type into (the secretariat's call, the applicants' proposals, names, file names); never a
# stored code such as a status, a role or a kind of organisation, which a page must translate.
DATA_COLUMNS = {
    "calls": ("reference", "title", "secretariat_name", "notification_text"),
    "slots": ("name", "region"), "criteria": ("name", "description", "applicant_guidance", "reviewer_guidance", "anchors"),
    "entities": ("name", "acronym", "website", "contact_email", "profile"),
    "proposals": ("summary", "status_reason", "statement", "receipt"), "sections": ("text",),
    "accounts": ("username", "display_name", "email"), "attachments": ("filename",),
    "inquiries": ("question", "answer"), "eligibility_conditions": ("text",),
    "clarifications": ("questions", "answers", "file_name"), "call_amendments": ("notice",),
}
_PSEUDO_RUN = re.compile(f"{i18n.PSEUDO_OPEN}[^{i18n.PSEUDO_OPEN}{i18n.PSEUDO_CLOSE}]*{i18n.PSEUDO_CLOSE}")
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]{2,}")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def read_texts(at: AppTest) -> list[str]:
    """Every text element's words: bodies, labels, options, placeholders, help, tab and expander labels."""
    found: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and getattr(node, "type", "") != "html":
            fields = MessageToDict(proto, preserving_proto_field_name=True)
            if not any(key in str(fields.get("id", "")) for key in SKIPPED_KEYS):
                found.extend(s for k, v in _flatten(fields) if k in READ_FIELDS for s in _strings(v))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return [t for t in found if t.strip()]


def _flatten(fields: dict):
    for key, value in fields.items():
        yield key, value
        if isinstance(value, dict):
            yield from _flatten(value)


def stored_text(db) -> list[str]:
    """Text people typed, as stored (JSON values unpacked), longest first so a longer one is removed first."""
    texts: set[str] = set()
    for table, columns in DATA_COLUMNS.items():
        for row in db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall():
            for value in row:
                if not isinstance(value, str):
                    continue
                try:
                    parsed = json.loads(value)
                except ValueError:
                    parsed = value
                for s in _strings(parsed) or [value]:
                    texts.update(part.strip() for part in [s, *s.splitlines()] if part.strip())
    return sorted(texts, key=len, reverse=True)


def fallback_words() -> list[str]:
    """Words the pseudo-language borrows from English on purpose: dates and country names are written by babel
    in the fallback locale (their own tests check them in each language)."""
    months = [*get_month_names("wide", locale="en_GB").values(),
              *get_month_names("abbreviated", locale="en_GB").values()]
    words = [*months, "UTC", "PDF"]
    return sorted({*words, *countries.names().values()}, key=len, reverse=True)


def untranslated(texts: list[str], data: list[str]) -> list[str]:
    """The texts with a run of Latin letters that is neither data nor inside a pseudo-translated message."""
    allowed = sorted({*data, *fallback_words()}, key=len, reverse=True)  # a longer one first: South Africa
    left = []
    for text in texts:
        plain = unescape(text).replace("\u2068", "").replace("\u2069", "").replace("\u200e", "")
        for piece in allowed:
            plain = plain.replace(piece, " ")
        previous = None
        while previous != plain:
            previous, plain = plain, _PSEUDO_RUN.sub(" ", plain)
        if _LATIN.search(plain):
            left.append(text)
    return left


def open_as(db, username: str | None, path: str | None, lang: str | None = None, **state) -> AppTest:
    """A page opened as a demo person (or signed out) in a language, with session state set first (a tab)."""
    at = AppTest.from_file(APP, default_timeout=120)
    if username is not None:
        signed_in(at, db, username)
    if path is not None:
        at.session_state["goto"] = path
    for key, value in state.items():
        at.session_state[key] = value
    if lang is not None:
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def marked(text: str) -> str:
    """A message as the pseudo-language writes it: the page's label to look for."""
    return f"{i18n.PSEUDO_OPEN}{text}{i18n.PSEUDO_CLOSE}"
