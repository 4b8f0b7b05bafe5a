"""docs/ACCESS.md, cell by cell: every action performed as every role, through the core."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock
from pathlib import Path

import pytest

from reports import summaries
from selection import account_admin, accounts, clock, dossier, permissions
from selection.errors import Forbidden
from selection.models import Role
from selection.services import (
    assignment,
    clarifications,
    calls,
    decision,
    inquiries,
    intake,
    meeting,
    notices,
    review,
    screening,
)
from tests.pdf_samples import PDF

MATRIX = Path(__file__).resolve().parents[3] / "docs" / "ACCESS.md"
ROLES = ["secretariat", "member", "bureau", "applicant", "signed out"]


def cells() -> list[tuple[str, str, bool]]:
    out = []
    for line in MATRIX.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| `(\w+)` [^|]+\|(.+)\|$", line)
        if m:
            answers = [a.strip() for a in m.group(2).split("|")]
            assert len(answers) == len(ROLES), line
            out += [(m.group(1), role, answer == "yes") for role, answer in zip(ROLES, answers)]
    return out


class Cast:
    def __init__(self, world):
        self.w = world
        self.owner, self.pid = world.submitted("owner")
        self.other, self.other_pid = world.submitted("other")
        self.member = world.member("member1")
        self.conflicted = world.member("member2")
        self.bureau = world.bureau()
        world.assign(self.member, self.pid, declare=None)
        world.assign(self.conflicted, self.pid, declare=True)
        self.file = intake.add_attachment(world.db, user=self.owner, call_id=world.call_id, filename="a.pdf", data=PDF)
        self.other_file = intake.add_attachment(world.db, user=self.other, call_id=world.call_id, filename="b.pdf",
                                                data=PDF)
        self.conflicted_id = world.db.execute("SELECT id FROM reviewers WHERE account_id = ?",
                                              [self.conflicted.id]).fetchone()[0]
        self.question = inquiries.ask(world.db, user=self.owner, call_id=world.call_id, question="When?")
        for criterion in world.CRITERIA:  # ranked by consensus, so the proposal is on the shortlist
            meeting.record_consensus(world.db, user=world.sec, call_id=world.call_id, proposal_id=self.pid,
                                     criterion_id=criterion, score=4.0, note="Agreed.")

    def user(self, role: str):
        return {"secretariat": self.w.sec, "member": self.member, "bureau": self.bureau,
                "applicant": self.owner, "signed out": None}[role]


def _declare_first(cast: Cast, user) -> None:
    """A member declares before scoring; others cannot, which the score refusal then shows."""
    if user is cast.member:
        review.declare(cast.w.db, user=user, call_id=cast.w.call_id, proposal_id=cast.pid, conflict=False)


def _invitation(cast: Cast) -> int:
    accounts.invite(cast.w.db, user=cast.w.sec, role=Role.BUREAU, display_name="Invited Person")
    return accounts.pending_invitations(cast.w.db)[-1]["id"]


def _submitted_review(cast: Cast) -> str:
    """The member's reviewer id, once their review of the proposal is submitted."""
    review.declare(cast.w.db, user=cast.member, call_id=cast.w.call_id, proposal_id=cast.pid, conflict=False)
    cast.w.score(cast.member, cast.pid, 3.0)
    return cast.w.db.execute("SELECT id FROM reviewers WHERE account_id = ?", [cast.member.id]).fetchone()[0]


def _selection(cast: Cast) -> int:
    cast.w.eligible(cast.pid)
    return decision.record_selection(cast.w.db, user=cast.w.sec, call_id=cast.w.call_id, slot_id="africa",
                                     proposal_id=cast.pid, rationale="Ranked first.")


def _answered(cast: Cast) -> int:
    sid = _selection(cast)
    decision.record_notification(cast.w.db, user=cast.w.sec, call_id=cast.w.call_id, selection_id=sid,
                                 notified_on="2026-03-03")
    decision.record_answer(cast.w.db, user=cast.w.sec, call_id=cast.w.call_id, selection_id=sid, accepted=True,
                           answered_on="2026-03-10")
    return sid


def _conflicted_after_submitting(cast: Cast, user):
    """The member submitted, then declared a conflict; the others act as themselves."""
    if user is not cast.member:
        return user
    review.declare(cast.w.db, user=user, call_id=cast.w.call_id, proposal_id=cast.pid, conflict=False)
    cast.w.score(user, cast.pid, 3.0)
    review.declare(cast.w.db, user=user, call_id=cast.w.call_id, proposal_id=cast.pid, conflict=True,
                   reason="A partner of my institute.")
    return user


def _amend_advice(cast: Cast, user) -> None:
    aid = decision.record_advice(cast.w.db, user=cast.bureau, call_id=cast.w.call_id, slot_id="africa",
                                 advice="Prefer the first.")
    _selection(cast)
    decision.amend_advice(cast.w.db, user=user, call_id=cast.w.call_id, advice_id=aid, advice="Prefer the first.",
                          reason="The minutes say so.")


def _lapse(cast: Cast, user) -> None:
    sid = _selection(cast)
    decision.record_notification(cast.w.db, user=cast.w.sec, call_id=cast.w.call_id, selection_id=sid,
                                 notified_on=clock.today())
    later = clock.now() + dt.timedelta(days=62)  # past the month to accept
    with mock.patch.object(clock, "now", lambda: later):
        decision.record_lapse(cast.w.db, user=user, call_id=cast.w.call_id, selection_id=sid)


def _clarification(cast: Cast) -> int:
    """A request on the applicant's proposal, sent by the secretariat."""
    return clarifications.request(cast.w.db, user=cast.w.sec, call_id=cast.w.call_id, proposal_id=cast.pid,
                                  questions=[{"question": "Which partners signed?"}], reply_by="2026-12-31")


ACTIONS = {
    "create_call": lambda c, u, cd: calls.create_call(c.w.db, user=u, data=cd(reference="NEW-1")),
    "publish_call": lambda c, u, cd: calls.publish_call(c.w.db, user=u, call_id=c.w.call_id),
    "invite": lambda c, u, cd: accounts.invite(c.w.db, user=u, role=Role.MEMBER, display_name="New Member"),
    "revoke_invitation": lambda c, u, cd: accounts.revoke_invitation(c.w.db, user=u, invitation_id=_invitation(c)),
    "list_accounts": lambda c, u, cd: account_admin.overview(c.w.db, user=u),
    "disable_account": lambda c, u, cd: account_admin.set_disabled(c.w.db, user=u, account_id=c.other.id,
                                                                   disabled=True),
    "unlock_account": lambda c, u, cd: account_admin.unlock(c.w.db, user=u, account_id=c.other.id),
    "change_role": lambda c, u, cd: account_admin.change_role(c.w.db, user=u, account_id=c.conflicted.id,
                                                              role=Role.BUREAU),
    "issue_reset": lambda c, u, cd: account_admin.issue_reset(c.w.db, user=u, account_id=c.other.id),
    "ask": lambda c, u, cd: inquiries.ask(c.w.db, user=u, call_id=c.w.call_id, question="May we apply jointly?"),
    "answer": lambda c, u, cd: inquiries.answer(c.w.db, user=u, call_id=c.w.call_id, inquiry_id=c.question,
                                                 text="By the deadline."),
    "list_inquiries": lambda c, u, cd: inquiries.all_inquiries(c.w.db, user=u, call_id=c.w.call_id),
    "profile": lambda c, u, cd: intake.save_profile(c.w.db, user=u, call_id=c.w.call_id,
                                                    profile={"name": "Renamed institute"}),
    "read_proposal": lambda c, u, cd: intake.read_proposal(c.w.db, user=u, call_id=c.w.call_id, proposal_id=c.pid),
    "read_conflicted": lambda c, u, cd: intake.read_proposal(c.w.db, user=c.conflicted if u is c.member else u,
                                                             call_id=c.w.call_id, proposal_id=c.pid),
    "read_files": lambda c, u, cd: intake.attachment_bytes(c.w.db, user=u, call_id=c.w.call_id,
                                                           attachment_id=c.file),
    "read_files_another": lambda c, u, cd: intake.attachment_bytes(c.w.db, user=u, call_id=c.w.call_id,
                                                                   attachment_id=c.other_file),
    "dossier": lambda c, u, cd: dossier.contents(c.w.db, user=u, call_id=c.w.call_id, proposal_id=c.pid),
    "dossier_another": lambda c, u, cd: dossier.contents(c.w.db, user=u, call_id=c.w.call_id,
                                                         proposal_id=c.other_pid),
    "screen": lambda c, u, cd: screening.set_status(c.w.db, user=u, call_id=c.w.call_id, proposal_id=c.pid,
                                                    status="eligible"),
    "assign": lambda c, u, cd: review.assign(c.w.db, user=u, call_id=c.w.call_id, proposal_id=c.other_pid,
                                             member_id=c.member.id),
    "declare": lambda c, u, cd: review.declare(c.w.db, user=u, call_id=c.w.call_id, proposal_id=c.pid,
                                               conflict=False),
    "score": lambda c, u, cd: (_declare_first(c, u), review.save_scores(
        c.w.db, user=u, call_id=c.w.call_id, proposal_id=c.pid, scores={"networks": (3.0, "Two networks.")})),
    "score_conflicted": lambda c, u, cd: review.save_scores(
        c.w.db, user=c.conflicted if u is c.member else u, call_id=c.w.call_id, proposal_id=c.pid,
        scores={"networks": (3.0, "Two networks.")}),
    "panel_before": lambda c, u, cd: (_declare_first(c, u), review.panel_scores(
        c.w.db, user=u, call_id=c.w.call_id, proposal_id=c.pid)),
    "consensus": lambda c, u, cd: meeting.record_consensus(c.w.db, user=u, call_id=c.w.call_id, proposal_id=c.pid,
                                                           criterion_id="networks", score=3.0, note="Agreed."),
    "report": lambda c, u, cd: permissions.require(permissions.may_read_report(u), "refused"),
    "summary": lambda c, u, cd: (_selection(c), summaries.for_reader(c.w.db, user=u, call_id=c.w.call_id,
                                                                     proposal_id=c.pid)),
    "summary_before": lambda c, u, cd: summaries.for_reader(c.w.db, user=u, call_id=c.w.call_id, proposal_id=c.pid),
    "summary_another": lambda c, u, cd: (_selection(c), summaries.for_reader(c.w.db, user=u, call_id=c.w.call_id,
                                                                             proposal_id=c.other_pid)),
    "advice": lambda c, u, cd: decision.record_advice(c.w.db, user=u, call_id=c.w.call_id, slot_id="africa",
                                                      advice="Prefer the first."),
    "select": lambda c, u, cd: c.w.eligible(c.pid) or decision.record_selection(c.w.db, user=u, call_id=c.w.call_id, slot_id="africa",
                                                         proposal_id=c.pid, rationale="Ranked first."),
    "follow_up": lambda c, u, cd: decision.record_notification(c.w.db, user=u, call_id=c.w.call_id,
                                                               selection_id=_selection(c), notified_on="2026-08-01"),
    "remind": lambda c, u, cd: notices.send_reminders(c.w.db, user=u, call_id=c.w.call_id),
    "lapse": lambda c, u, cd: _lapse(c, u),
    "withdraw": lambda c, u, cd: intake.withdraw(c.w.db, user=u, call_id=c.w.call_id, reason="Not this year."),
    "remove_file": lambda c, u, cd: intake.remove_attachment(c.w.db, user=u, call_id=c.w.call_id,
                                                             attachment_id=c.file),
    "panel_conflicted": lambda c, u, cd: review.panel_scores(c.w.db, user=_conflicted_after_submitting(c, u),
                                                             call_id=c.w.call_id, proposal_id=c.pid),
    "reopen_review": lambda c, u, cd: review.reopen_review(c.w.db, user=u, call_id=c.w.call_id, proposal_id=c.pid,
                                                           reviewer=_submitted_review(c),
                                                           reason="Scored the wrong file."),
    "withdraw_conflict": lambda c, u, cd: review.withdraw_conflict(c.w.db, user=u, call_id=c.w.call_id,
                                                                   proposal_id=c.pid, reviewer=c.conflicted_id,
                                                                   reason="Declared by mistake."),
    "cancel_selection": lambda c, u, cd: decision.cancel_selection(c.w.db, user=u, call_id=c.w.call_id,
                                                                   selection_id=_selection(c),
                                                                   reason="Recorded by mistake."),
    "correct_date": lambda c, u, cd: decision.correct_date(c.w.db, user=u, call_id=c.w.call_id,
                                                           selection_id=_answered(c), field="answered_on",
                                                           day="2026-03-09", reason="The letter is dated 9 March."),
    "amend_advice": lambda c, u, cd: _amend_advice(c, u),
    "assign_plan": lambda c, u, cd: assignment.plan(c.w.db, user=u, call_id=c.w.call_id),
    "preference": lambda c, u, cd: assignment.state_preference(c.w.db, user=u, call_id=c.w.call_id,
                                                               proposal_id=c.other_pid, preference="prefer"),
    "clarify": lambda c, u, cd: clarifications.request(c.w.db, user=u, call_id=c.w.call_id, proposal_id=c.pid,
                                                       questions=[{"question": "Which partners?"}],
                                                       reply_by="2026-12-31"),
    "clarify_answer": lambda c, u, cd: clarifications.answer(c.w.db, user=u, call_id=c.w.call_id,
                                                             request_id=_clarification(c), answers=["Two."]),
    "clarify_read": lambda c, u, cd: (_clarification(c), clarifications.for_proposal(
        c.w.db, user=u, call_id=c.w.call_id, proposal_id=c.pid)),
    "pledge": lambda c, u, cd: decision.add_pledge(c.w.db, user=u, call_id=c.w.call_id, slot_id="africa",
                                                   donor="A donor", amount=1000.0, currency="EUR"),
}


def test_every_action_of_the_matrix_is_tested():
    assert {action for action, _, _ in cells()} == set(ACTIONS)


@pytest.mark.parametrize("action,role,allowed", cells(), ids=lambda v: str(v))
def test_access_matrix_cell(world, call_data, action, role, allowed):
    cast = Cast(world)
    user = cast.user(role)
    if allowed:
        ACTIONS[action](cast, user, call_data)
    else:
        with pytest.raises(Forbidden):
            ACTIONS[action](cast, user, call_data)
