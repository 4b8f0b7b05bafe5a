"""A small call for the documents: names in six scripts, a tie across third place, reasons,
a consensus note, a conflict, a partial review, a withdrawn and an ineligible proposal."""

from __future__ import annotations

import io
import unicodedata

import pypdf
import pytest

from selection import accounts, bundle, queries
from selection.models import Role
from selection.permissions import User
from selection.services import decision

SECRETARIAT = "Secretariat of the Test Convention"
# six scripts: Latin, Cyrillic, Arabic, Chinese, Greek, Hebrew
NAMES = {
    "p1": "Institut sahélien Ñandú",
    "p2": "Институт биоразнообразия",
    "p3": "مركز الخليج للتنوع البيولوجي",
    "p4": "湄公河生物多样性合作中心",
    "p5": "Ινστιτούτο Βιοποικιλότητας",
    "p6": "המכון לחקר המגוון הביולוגי",
    "p7": "Reef & Ocean <Lab>",
    "p8": "Ineligible Institute",
}
# (networks, capacity) per reviewer r1, r2: p3 and p4 tie exactly, across third place
SCORES = {
    "p1": [(5, 4.5), (4.5, 5)],
    "p2": [(4, 4), (4, 3.5)],
    "p3": [(3, 3.5), (3.5, 3)],
    "p4": [(3.5, 3), (3, 3.5)],
    "p5": [(2.5, 3), (2.5, 2.5)],
    "p6": [(1, 2), (2, 1)],
}
REASON_P1 = "Reef & Ocean <Lab> network: strong <b>partnerships</b> across 12 countries"
CONSENSUS_NOTE = "Agreed after the audit & <accounts> were checked"
CONFLICTED_REASON = "THIS CONFLICTED REASON MUST NOT SHOW"


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, whitespace collapsed, NFKC-normalised (Arabic comes back in
    presentation forms, which NFKC maps to the letters)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    return unicodedata.normalize("NFKC", text)


def page_texts(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [unicodedata.normalize("NFKC", " ".join(p.extract_text().split())) for p in reader.pages]


def six_scripts_dict(bundle_builder) -> dict:
    b = bundle_builder(criteria=(("networks", 3, 1, 2.0), ("capacity", 2, 2)), min_reviews=2)
    for pid, name in NAMES.items():
        status = {"p7": "withdrawn", "p8": "ineligible"}.get(pid, "eligible")
        b.proposal(pid, name=name, status=status)
    for pid, rows in SCORES.items():
        for i, row in enumerate(rows, start=1):
            b.review(f"r{i}", pid, list(row))
    b.review("r3", "p1", [0, 0])  # conflicted: left out
    b.conflict("r3", "p1")
    b.review("r3", "p2", {"networks": 0})  # partial: left out
    b.consensus("p2", {"capacity": 4})
    data = b.dict()
    data["reviewers"] = [{"id": r["id"], "name": {"r1": "Ana Pérez", "r2": "Олег Смирнов", "r3": "Li Wei"}[r["id"]]}
                         for r in data["reviewers"]]
    for s in data["scores"]:
        s["justification"] = f"Reason of {s['reviewer']} on {s['proposal']} {s['criterion']}"
        if s["reviewer"] == "r1" and s["proposal"] == "p1" and s["criterion"] == "networks":
            s["justification"] = REASON_P1
        if s["reviewer"] == "r3":
            s["justification"] = CONFLICTED_REASON
    data["consensus"][0]["note"] = CONSENSUS_NOTE
    data["conflicts"][0]["reason"] = "Board member of the applicant"
    data["entities"][0]["acronym"] = "ISN"
    data["entities"][0]["country"] = "SN"
    data["entities"][3]["contact_email"] = "contact@mekong.example"
    data["call"]["dates"] = {"notified_on": "2027-01-15", "submission_deadline": "2027-03-31"}
    return data


def store_six(db, bundle_builder, *, anonymous: bool = False) -> int:
    call_id = bundle.store(db, bundle.from_dict(six_scripts_dict(bundle_builder)), actor="test")
    db.execute("UPDATE calls SET secretariat_name = ?, anonymous_conflicts = ? WHERE id = ?",
               [SECRETARIAT, int(anonymous), call_id])
    db.execute("UPDATE proposals SET status_reason = 'Arrived after the deadline & <late>' WHERE id = 'p8'")
    db.execute("UPDATE proposals SET status_reason = 'Merged with a partner proposal' WHERE id = 'p7'")
    db.conn.commit()
    return call_id


@pytest.fixture
def six_db(db, bundle_builder):
    """The database holding the six-scripts call (secretariat named, conflicts named)."""
    store_six(db, bundle_builder)
    return db


STAFF = User(id=0, username="sec", display_name="Secretariat", role=Role.SECRETARIAT)


def select(db, slot_id: str, proposal_id: str, notified_on: str | None = None) -> int:
    """Record a selection (and its notification) through the service, as the app does."""
    call_id = queries.resolve_call(db, None)["id"]
    sid = decision.record_selection(db, user=STAFF, call_id=call_id, slot_id=slot_id, proposal_id=proposal_id,
                                    rationale="First of the shortlist, on the Bureau's advice.")
    if notified_on:
        decision.record_notification(db, user=STAFF, call_id=call_id, selection_id=sid, notified_on=notified_on)
    return sid


def advise(db, slot_id: str, proposal_id: str, text: str) -> int:
    """The Bureau's advice on a slot, preferring a proposal, through the service (by a Bureau member's account)."""
    call_id = queries.resolve_call(db, None)["id"]
    row = db.execute("SELECT id FROM accounts WHERE username = 'bureau'").fetchone()
    bureau = accounts.get_user(db, row[0]) if row else accounts.add_account(
        db, accounts.NewAccount(username="bureau", display_name="Bureau Member", password="bureau-password-1"),
        Role.BUREAU, actor="test")
    return decision.record_advice(db, user=bureau, call_id=call_id, slot_id=slot_id, advice=text,
                                  preferred_proposal=proposal_id)


def decline(db, selection_id: int, answered_on: str) -> None:
    call_id = queries.resolve_call(db, None)["id"]
    decision.record_answer(db, user=STAFF, call_id=call_id, selection_id=selection_id, accepted=False,
                           answered_on=answered_on)
