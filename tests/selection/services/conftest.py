"""Fixtures for the service tests: a fresh store, a fixed clock, and a small published call.

``world`` is a published call (two slots, the four priority criteria with equal weights,
one review enough to rank) run by a first secretariat account, with helpers that make the
other people through the real services: applicants who register and submit, members who
accept an invitation and are assigned, Bureau members.
"""

from __future__ import annotations

import datetime as dt

import pytest

from criteria.sets import default_criteria
from selection import accounts, queries, store
from selection.models import Role
from selection.services import calls, intake, review, screening

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
INQUIRY_DEADLINE = "2026-04-15"
SUBMISSION_DEADLINE = "2026-05-31"
MEETING = "2026-07-01"
PASSWORD = "a long enough password"
CRITERIA = ["networks", "expertise", "tsc_experience", "capacity"]
SECTIONS = {c: f"Evidence for {c}: three regional networks, ten years of joint work." for c in CRITERIA}


def call_data(**changes) -> dict:
    """The form data of a valid call; ``changes`` replace top-level keys."""
    data = {
        "reference": "TSC-2026-01",
        "title": "Hosts of the technical and scientific cooperation centres",
        "secretariat_name": "Secretariat of the Convention",
        "scale": {"min": 0, "max": 5, "step": 0.5},
        "min_reviews": 1,
        "dates": {"inquiry_deadline": INQUIRY_DEADLINE, "submission_deadline": SUBMISSION_DEADLINE,
                  "advisory_meeting_on": MEETING},
        "slots": [
            {"id": "global", "name": "Global coordination entity", "level": "global"},
            {"id": "africa", "name": "Regional support centre - Africa", "level": "regional", "region": "Africa"},
        ],
        "criteria": default_criteria(),
    }
    data.update(changes)
    return data


@pytest.fixture
def db(tmp_path, set_clock):
    database = store.connect(tmp_path / "store" / "selection.db")
    yield database
    database.conn.close()


@pytest.fixture
def secretariat(db):
    return accounts.create_first_secretariat(db, username="sec", display_name="Secretariat Officer",
                                             password=PASSWORD)


class World:
    """A published call and the people around it, made through the services."""

    T0 = T0
    PASSWORD = PASSWORD
    CRITERIA = CRITERIA
    SECTIONS = SECTIONS
    INQUIRY_DEADLINE = INQUIRY_DEADLINE
    SUBMISSION_DEADLINE = SUBMISSION_DEADLINE

    def __init__(self, db, secretariat, call_id: int):
        self.db = db
        self.sec = secretariat
        self.call_id = call_id

    @property
    def call(self) -> dict:
        return next(self.db.query("SELECT * FROM calls WHERE id = ?", [self.call_id]))

    # people
    def applicant(self, username: str, *, country: str = "KE"):
        user = accounts.register_applicant(self.db, username=username, display_name=f"{username} staff",
                                           password=PASSWORD)
        intake.save_profile(self.db, user=user, call_id=self.call_id,
                            profile={"name": f"Institute {username}", "country": country})
        return user

    def invited(self, username: str, role: Role):
        code = accounts.invite(self.db, user=self.sec, role=role, display_name=f"{username.title()} Person")
        return accounts.accept_invitation(self.db, code=code, username=username, password=PASSWORD)

    def member(self, username: str):
        return self.invited(username, Role.MEMBER)

    def bureau(self, username: str = "bureau1"):
        return self.invited(username, Role.BUREAU)

    # proposals
    def draft(self, user, *, slots=("africa",), sections=None, statement="We wish to host the centre.") -> str:
        return intake.save_draft(self.db, user=user, call_id=self.call_id, slots=list(slots), statement=statement,
                                 summary="A short summary.", sections=dict(SECTIONS if sections is None else sections))

    def submitted(self, username: str, *, slots=("africa",), country: str = "KE"):
        """(applicant, proposal id) of a newly registered applicant who submitted a complete proposal."""
        user = self.applicant(username, country=country)
        pid = self.draft(user, slots=slots)
        intake.submit(self.db, user=user, call_id=self.call_id)
        return user, pid

    def eligible(self, *proposal_ids: str) -> None:
        """The secretariat screens the proposals eligible (a selection needs it)."""
        for pid in proposal_ids:
            screening.set_status(self.db, user=self.sec, call_id=self.call_id, proposal_id=pid, status="eligible")

    # review
    def assign(self, member, proposal_id: str, *, declare: bool | None = False) -> None:
        """Assign; ``declare`` False = declares no conflict, None = declares nothing yet."""
        review.assign(self.db, user=self.sec, call_id=self.call_id, proposal_id=proposal_id, member_id=member.id)
        if declare is not None:
            review.declare(self.db, user=member, call_id=self.call_id, proposal_id=proposal_id, conflict=declare,
                           reason="I advised this institute last year." if declare else None)

    def score(self, member, proposal_id: str, value, *, submit: bool = True, reason: str | None = None) -> None:
        """The same score (or a dict criterion -> score) on every criterion, with a justification."""
        values = value if isinstance(value, dict) else {c: value for c in CRITERIA}
        review.save_scores(self.db, user=member, call_id=self.call_id, proposal_id=proposal_id,
                           scores={c: (v, f"Reasons for {v} on {c}.") for c, v in values.items()}, reason=reason)
        if submit:
            review.submit_review(self.db, user=member, call_id=self.call_id, proposal_id=proposal_id)

    # reading back
    def ranking(self) -> dict:
        return queries.ranking_inputs(self.db, self.call["reference"]).rank().to_contract(self.call["reference"])

    def slot_ranking(self, slot: str = "africa") -> dict:
        return next(s for s in self.ranking()["slots"] if s["slot"] == slot)

    def row(self, proposal_id: str, slot: str = "africa") -> dict | None:
        return next((r for r in self.slot_ranking(slot)["ranking"] if r["proposal"] == proposal_id), None)

    def proposal(self, proposal_id: str) -> dict:
        return next(self.db.query("SELECT * FROM proposals WHERE call_id = ? AND id = ?", [self.call_id, proposal_id]))


@pytest.fixture(name="call_data")
def call_data_fixture():
    """``call_data(**changes)``: the form data of a valid call, a fresh dict each time."""
    return call_data


@pytest.fixture
def unpublished(db, secretariat) -> World:
    """The call, created but not yet published."""
    return World(db, secretariat, calls.create_call(db, user=secretariat, data=call_data()))


@pytest.fixture
def world(unpublished) -> World:
    calls.publish_call(unpublished.db, user=unpublished.sec, call_id=unpublished.call_id)
    return unpublished


def events(db, action: str) -> list[dict]:
    from selection import audit

    return [e for e in audit.events(db) if e["action"] == action]


@pytest.fixture
def audit_events():
    """``audit_events(db, action)``: the audit trail's events of one kind, oldest first."""
    return events
