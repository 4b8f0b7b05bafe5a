"""Read-only facts the documents need and no other query gives: the per-call document settings,
country names, the advisory group's composition, the clarification round.

Nothing here writes; the settings are saved by ``selection.services.documents``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import unicodedata
from enum import StrEnum

import pycountry
import sqlite_utils
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from selection import countries
from selection.i18n import N_

DEFAULT_CONVENTION = "Convention on Biological Diversity"
DEFAULT_BODY = "Bureau of the Subsidiary Body on Scientific, Technical and Technological Advice"
DEFAULT_SIGNATORY_TITLE = "Executive Secretary"
SETTING_LIMIT = 200  # characters of one setting

# the on-screen label of each setting: what a refusal names and what the form shows
LABELS = {
    "symbol": N_("Document symbol"),
    "distribution": N_("Distribution"),
    "original_language": N_("Original language"),
    "convention": N_("Convention (masthead)"),
    "body": N_("Body the report goes to"),
    "signatory_name": N_("Signatory of the letters"),
    "signatory_title": N_("Signatory's title"),
    "letter_reference": N_("Reference of the letters"),
}


class Distribution(StrEnum):
    RESTRICTED = "Restricted"
    LIMITED = "Limited"
    GENERAL = "General"


class DocumentSettings(BaseModel):
    """How the call's documents present themselves; blank settings fall back to the defaults."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    symbol: str | None = Field(default=None, max_length=SETTING_LIMIT)
    distribution: Distribution = Distribution.RESTRICTED
    original_language: str = Field(default="English", min_length=1, max_length=SETTING_LIMIT)
    convention: str = Field(default=DEFAULT_CONVENTION, min_length=1, max_length=SETTING_LIMIT)
    body: str = Field(default=DEFAULT_BODY, min_length=1, max_length=SETTING_LIMIT)
    signatory_name: str | None = Field(default=None, max_length=SETTING_LIMIT)
    signatory_title: str = Field(default=DEFAULT_SIGNATORY_TITLE, min_length=1, max_length=SETTING_LIMIT)
    letter_reference: str | None = Field(default=None, max_length=SETTING_LIMIT)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_default(cls, data):
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (v is None or (isinstance(v, str) and not v.strip()))}
        return data

    @field_validator("*", mode="before")
    @classmethod
    def _one_line(cls, value):
        """A setting is one printed line: no control or format characters (bidi overrides) in it."""
        if isinstance(value, str) and any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
            raise ValueError("use letters, digits and punctuation only, on one line")
        return value

    @classmethod
    def from_row(cls, row: dict | None) -> DocumentSettings:
        return cls.model_validate({k: v for k, v in (row or {}).items() if k in cls.model_fields})


def document_settings(db: sqlite_utils.Database, call_id: int) -> DocumentSettings:
    """The call's document settings, defaults filled in."""
    rows = list(db.query("SELECT * FROM document_settings WHERE call_id = ?", [call_id]))
    return DocumentSettings.from_row(rows[0] if rows else None)


def country_name(code: str | None) -> str:
    """The country's common name for an ISO 3166 code ("PH" -> "Philippines"); text that is not
    a code is returned as written, and nothing as an empty string."""
    text = (code or "").strip()
    found = pycountry.countries.get(alpha_3=text.upper()) if len(text) == 3 else None
    return countries.name(found.alpha_2 if found is not None else text)  # anything not a code as written


def recipient_language(db: sqlite_utils.Database, call_id: int, entity_id: str) -> str:
    """The language an entity's letters and evaluation summary are written in: the one chosen for the
    entity, else its applicant account's, else English."""
    from selection import i18n

    rows = list(db.query("SELECT e.language AS chosen, a.language AS account FROM entities e "
                         "LEFT JOIN accounts a ON a.id = e.account_id WHERE e.call_id = ? AND e.id = ?",
                         [call_id, entity_id]))
    row = rows[0] if rows else {}
    return i18n.negotiate(row.get("chosen"), row.get("account"))


@functools.lru_cache(maxsize=64)
def language_code(name: str | None) -> str:
    """The ISO 639-1 code of a language named in English ("French" -> "fr"), for a PDF's
    language; "en" when the name is not a language pycountry knows."""
    found = pycountry.languages.get(name=(name or "").strip()) if name else None
    return getattr(found, "alpha_2", None) or "en"


def advisory_group(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """The members of the informal advisory group in their order: name, affiliation, country name,
    and how many conflicts each declared."""
    rows = db.query(
        "SELECT r.id, r.name, r.affiliation, r.country, "
        "(SELECT count(DISTINCT c.proposal_id) FROM conflicts c WHERE c.call_id = r.call_id AND c.reviewer_id = r.id) "
        "AS conflicts FROM reviewers r WHERE r.call_id = ? ORDER BY r.position, r.id", [call_id])
    return [{**r, "country": country_name(r["country"])} for r in rows]


def decision_record(db: sqlite_utils.Database, call_id: int) -> dict[str, dict]:
    """Per slot id, what followed the report: the Bureau's advice (by round of offers, then oldest
    first) and the offers made (in the order made, a cancelled one left out), each with its due dates;
    the advice of round n preceded the n-th offer."""
    from selection import queries  # the offers with their due dates are read there

    out: dict[str, dict] = {}
    for a in db.query("SELECT slot_id, round, member, advice, preferred_proposal_id, given_at FROM bureau_advice "
                      "WHERE call_id = ? ORDER BY round, given_at, id", [call_id]):
        out.setdefault(a["slot_id"], {"advice": [], "offers": []})["advice"].append(a)
    for s in queries.selections(db, call_id):
        out.setdefault(s["slot_id"], {"advice": [], "offers": []})["offers"].append(s)
    for slot in out.values():
        slot["offers"].sort(key=lambda s: s["id"])
    return out


def clarifications(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """Every clarification request of the call, proposals in their order, oldest request first: the
    questions with their criterion's name (or None), the dates asked, due and answered, the answers
    (None until given) and the name of the PDF attached to the answer."""
    names = dict(db.execute("SELECT id, name FROM criteria WHERE call_id = ?", [call_id]).fetchall())
    rows = db.query("SELECT c.* FROM clarifications c JOIN proposals p ON p.call_id = c.call_id "
                    "AND p.id = c.proposal_id WHERE c.call_id = ? ORDER BY p.position, c.id", [call_id])
    return [{"proposal": r["proposal_id"],
             "questions": [{"criterion": names.get(q["criterion"]), "question": q["question"]}
                           for q in json.loads(r["questions"])],
             "asked_on": dt.datetime.fromisoformat(r["asked_at"]).date(),
             "reply_by": dt.date.fromisoformat(r["reply_by"]),
             "answered_on": dt.datetime.fromisoformat(r["answered_at"]).date() if r["answered_at"] else None,
             "answers": json.loads(r["answers"]) if r["answers"] else None,
             "file_name": r["file_name"]} for r in rows]


def applications(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """Every sent (not draft) proposal's application to each slot, in the proposals' then the slots'
    order: slot, proposal, entity, status, status_reason."""
    return list(db.query(
        "SELECT ps.slot_id AS slot, p.id AS proposal, p.entity_id AS entity, p.status, p.status_reason "
        "FROM proposal_slots ps JOIN proposals p ON p.call_id = ps.call_id AND p.id = ps.proposal_id "
        "JOIN slots s ON s.call_id = ps.call_id AND s.id = ps.slot_id "
        "WHERE ps.call_id = ? AND p.status <> 'draft' ORDER BY p.position, s.position", [call_id]))


def criteria_rows(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """The call's criteria rows in the call's order (names, weights, thresholds)."""
    return list(db.query("SELECT * FROM criteria WHERE call_id = ? ORDER BY position", [call_id]))


def entity_profile(entity: dict | None) -> dict:
    """The further details of an entity's profile (address, head, contact person...), {} when none
    or when the stored text is damaged."""
    try:
        parsed = json.loads((entity or {}).get("profile") or "null")
    except (TypeError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}
