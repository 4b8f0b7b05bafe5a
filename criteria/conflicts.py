"""Potential conflicts of interest found in the panel's own facts, before anyone declares one.

Two rules, each saying why it fired: a member's affiliation names the entity
(its name or its acronym, compared without case or accents), and, unless the
call switches it off, a member is of the entity's country. A detection is a
warning for the secretariat, not a declaration: the assignment leaves the
pair out by default, and the secretariat may let it through.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str | None) -> str:
    """Lower case, accents and punctuation removed, runs of space made one: 'Institut  des Lagunes' == 'institut des lagunes'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", bare.casefold()).strip()


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    affiliation: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Applicant:
    proposal: str
    name: str
    acronym: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Detection:
    reviewer: str
    proposal: str
    reason: str


def _affiliation_matches(words: str, name: str, acronym: str) -> str | None:
    """Which part of the entity the folded affiliation names: 'name', 'acronym' or None."""
    if name and (words == name or (len(name) >= 8 and f" {name} " in f" {words} ")
                 or (len(words) >= 8 and f" {words} " in f" {name} ")):
        return "name"
    if len(acronym) >= 2 and acronym in words.split():
        return "acronym"
    return None


def _named(words: str, folded: list[tuple[Applicant, str, str]]) -> list[tuple[Applicant, str]]:
    """The applicants a folded affiliation names, each with the part it names."""
    return [(a, part) for a, name, acronym in folded if (part := _affiliation_matches(words, name, acronym))]


def detect(members: list[Member], applicants: list[Applicant], *, same_country: bool = True,
           country_name=lambda code: code) -> list[Detection]:
    """Every (member, proposal) pair that one of the rules flags, with the reason in words.

    Members often share an affiliation, so each distinct one is compared with the entities once.
    """
    folded = [(a, fold(a.name), fold(a.acronym)) for a in applicants]
    by_country: dict[str, list[Applicant]] = {}
    for a in applicants:
        if a.country:
            by_country.setdefault(a.country.upper(), []).append(a)
    named: dict[str, list[tuple[Applicant, str]]] = {}
    found: dict[tuple[str, str], str] = {}
    for m in members:
        words = fold(m.affiliation)
        if words and words not in named:
            named[words] = _named(words, folded)
        for a, part in named.get(words, []):
            if part == "name":
                found[m.id, a.proposal] = f"the member's affiliation ({m.affiliation}) names the entity ({a.name})"
            else:
                found[m.id, a.proposal] = (f"the member's affiliation ({m.affiliation}) contains the entity's "
                                           f"acronym ({a.acronym})")
        if same_country and m.country:
            code = m.country.upper()
            for a in by_country.get(code, []):
                found.setdefault((m.id, a.proposal), f"the member is of the entity's country ({country_name(code)})")
    return [Detection(r, p, why) for (r, p), why in found.items()]
