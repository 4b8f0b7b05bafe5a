"""A call's own texts in several languages: what the secretariat wrote, and its translations.

The call is written in one language (the document settings' original language, English by default). The
secretariat may give the title, the notification text, the slots' names and, per criterion, the name, the
definition, the applicant's and the reviewer's guidance and the anchored scale's words in any of the six
languages; a reader sees their language where a translation exists and the original otherwise, marked as such.
A bundle carries them in its optional ``translations`` block, keyed by language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

import sqlite_utils
from pydantic import Field

from selection import audit, i18n
from selection.errors import Invalid
from selection.models import Label, Language, Name, Record, Ref, Text
from selection.permissions import User, is_secretariat, require
from selection.store import transaction

CALL_FIELDS = ("title", "notification_text")
SLOT_FIELDS = ("name",)
CRITERION_FIELDS = ("name", "description", "applicant_guidance", "reviewer_guidance")
ANCHOR_POINTS = ("0", "1", "2", "3", "4", "5")  # the anchored scale's words, read on 0-5 in proportion


class SlotText(Record):
    name: Name | None = None


class CriterionText(Record):
    name: Name | None = None
    description: Text | None = None
    applicant_guidance: Text | None = None
    reviewer_guidance: Text | None = None
    anchors: dict[Literal["0", "1", "2", "3", "4", "5"], Label] | None = None


class CallText(Record):
    """One language's texts of a call; every part optional (what is missing is read in the original)."""

    title: Name | None = None
    notification_text: Text | None = None
    slots: dict[Ref, SlotText] = Field(default_factory=dict)
    criteria: dict[Ref, CriterionText] = Field(default_factory=dict)


Translations = dict[Language, CallText]


def problems(translations: Translations | None, slots: set[str], criteria: set[str]) -> list[str]:
    """References to slots or criteria the bundle does not have, named by their place."""
    found = []
    for lang, text in (translations or {}).items():
        found += [f"translations.{lang}.slots.{k}: {k!r} is not the id of any slot in the bundle"
                  for k in text.slots if k not in slots]
        found += [f"translations.{lang}.criteria.{k}: {k!r} is not the id of any criterion in the bundle"
                  for k in text.criteria if k not in criteria]
    return found


def _rows(call_id: int, lang: str, text: CallText):
    for field in CALL_FIELDS:
        if getattr(text, field):
            yield (call_id, lang, "call", "", field, getattr(text, field))
    for slot, s in text.slots.items():
        if s.name:
            yield (call_id, lang, "slot", slot, "name", s.name)
    for criterion, c in text.criteria.items():
        for field in CRITERION_FIELDS:
            if getattr(c, field):
                yield (call_id, lang, "criterion", criterion, field, getattr(c, field))
        if c.anchors:
            yield (call_id, lang, "criterion", criterion, "anchors", anchors_text(c.anchors))


def anchors_text(words: dict[str, str]) -> str | None:
    """A criterion's translated scale words as they are kept (point -> words, as JSON); None for none."""
    return json.dumps(dict(sorted(words.items())), ensure_ascii=False) if words else None


def store(db: sqlite_utils.Database, call_id: int, translations: Translations | None) -> None:
    """Keep a bundle's translations with its call (inside the bundle's own transaction)."""
    rows = [row for lang, text in (translations or {}).items() for row in _rows(call_id, lang, text)]
    db.conn.executemany("INSERT INTO call_texts (call_id, language, kind, target, field, text) "
                        "VALUES (?, ?, ?, ?, ?, ?)", rows)


def export(db: sqlite_utils.Database, call_id: int) -> dict | None:
    """The call's translations as the bundle's ``translations`` block (None when it has none)."""
    out: dict = {}
    for r in db.query("SELECT * FROM call_texts WHERE call_id = ? ORDER BY language, kind, target, field", [call_id]):
        lang = out.setdefault(r["language"], {})
        value = json.loads(r["text"]) if r["field"] == "anchors" else r["text"]
        if r["kind"] == "call":
            lang[r["field"]] = value
        else:
            lang.setdefault(f"{r['kind']}s" if r["kind"] == "slot" else "criteria", {}).setdefault(
                r["target"], {})[r["field"]] = value
    return out or None


@dataclass(frozen=True)
class Shown:
    """A text as a reader sees it: in their language, or in the call's original (``original`` names it)."""

    text: str | None
    original: str | None = None  # the original language's name when no translation exists, else None


class CallTexts:
    """A call's texts for one reader's language, read once per page."""

    def __init__(self, db: sqlite_utils.Database, call_id: int, lang: str | None = None,
                 original: str | None = None):
        self.lang = lang or i18n.language()
        self._db, self._call_id, self._original = db, call_id, original
        self._found = translations(db, call_id, self.lang)

    @property
    def original(self) -> str:
        """The code of the language the call is written in (read only when a reader's language needs it)."""
        if self._original is None:
            from selection import report_queries

            settings = report_queries.document_settings(self._db, self._call_id)
            self._original = report_queries.language_code(settings.original_language)
        return i18n.known(self._original) or i18n.DEFAULT

    def _pick(self, key: tuple, written: str | None) -> Shown:
        found = self._found.get(key)
        if not written or self.lang == self.original:
            return Shown(written)
        if found is not None:
            return Shown(found)
        return Shown(written, original=i18n.language_name(self.original, self.lang))

    def call(self, field: str, written: str | None) -> Shown:
        return self._pick(("call", "", field), written)

    def slot(self, slot_id: str, written: str | None) -> Shown:
        return self._pick(("slot", slot_id, "name"), written)

    def criterion(self, criterion_id: str, field: str, written: str | None) -> Shown:
        return self._pick(("criterion", criterion_id, field), written)

    def anchors(self, criterion_id: str, written: dict[int, str] | None) -> dict[int, str] | None:
        found = self._found.get(("criterion", criterion_id, "anchors"))
        if found is None or self.lang == self.original:
            return written
        merged = {**(written or {}), **{int(k): v for k, v in json.loads(found).items()}}
        return merged if len(merged) == len(ANCHOR_POINTS) else written

    def criteria(self, rows: list[dict]) -> list[dict]:
        """Criterion rows with their name, definition and guidance in the reader's language (ids untouched)."""
        if not self._found:
            return rows
        out = []
        for r in rows:
            row = {**r, **{f: self.criterion(r["id"], f, r[f]).text for f in CRITERION_FIELDS if f in r}}
            found = self._found.get(("criterion", r["id"], "anchors"))
            if "anchors" in r and found is not None and self.lang != self.original:
                merged = {**json.loads(r["anchors"] or "{}"), **json.loads(found)}
                if len(merged) == len(ANCHOR_POINTS):  # a scale has a word for every point, or keeps its own
                    row["anchors"] = json.dumps(merged, ensure_ascii=False)
            out.append(row)
        return out

    def slot_names(self, names: dict[str, str]) -> dict[str, str]:
        if not self._found:
            return names
        return {k: self.slot(k, v).text for k, v in names.items()}


def translations(db: sqlite_utils.Database, call_id: int, lang: str) -> dict[tuple[str, str, str], str]:
    """One language's stored texts of a call, keyed (kind, target, field), for the set-up form."""
    return {(r["kind"], r["target"], r["field"]): r["text"] for r in db.query(
        "SELECT kind, target, field, text FROM call_texts WHERE call_id = ? AND language = ?", [call_id, lang])}


def set_texts(db: sqlite_utils.Database, *, user: User, call_id: int, lang: str,
              texts: dict[tuple[str, str, str], str | None]) -> int:
    """Record the secretariat's translations of the call's texts into one language (an empty text removes one);
    returns how many changed. Audited with old and new values."""
    require(is_secretariat(user), "Only the secretariat translates a call's texts.")
    code = i18n.required(lang)
    allowed = {"call": CALL_FIELDS, "slot": SLOT_FIELDS, "criterion": (*CRITERION_FIELDS, "anchors")}
    with transaction(db):
        call = db.execute("SELECT reference FROM calls WHERE id = ?", [call_id]).fetchone()
        if call is None:
            raise Invalid("call", i18n._("there is no such call"))
        before = translations(db, call_id, code)
        changed = {}
        for (kind, target, field), text in texts.items():
            if field not in allowed.get(kind, ()):
                raise Invalid(field, i18n._("this text cannot be translated"))
            text = (text or "").strip() or None
            if before.get((kind, target, field)) == text:
                continue
            changed[(kind, target, field)] = text
            db.execute("DELETE FROM call_texts WHERE call_id = ? AND language = ? AND kind = ? AND target = ? "
                       "AND field = ?", [call_id, code, kind, target, field])
            if text is not None:
                db.execute("INSERT INTO call_texts (call_id, language, kind, target, field, text) "
                           "VALUES (?, ?, ?, ?, ?, ?)", [call_id, code, kind, target, field, text])
        if changed:
            audit.record(db, actor=user.actor, call=call[0], action="call.translated", target=f"language:{code}",
                         old={"/".join(k): before.get(k) for k in changed},
                         new={"/".join(k): v for k, v in changed.items()})
    return len(changed)
