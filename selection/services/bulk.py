"""Actions the secretariat takes on many proposals at once: all of them happen, or none."""

from __future__ import annotations

import sqlite_utils

from selection.errors import Invalid
from selection.i18n import _
from selection.permissions import User, may_manage_call, require
from selection.services import review
from selection.store import transaction


def assign_all(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_ids: list[str],
               member_ids: list[int]) -> int:
    """Assign every chosen member to every chosen proposal; return how many pairs are now assigned."""
    require(may_manage_call(user), _("Only the secretariat assigns proposals."))
    if not proposal_ids:
        raise Invalid("proposals", _("choose at least one proposal"))
    if not member_ids:
        raise Invalid("members", _("choose at least one member"))
    with transaction(db):
        for pid in proposal_ids:
            for member_id in member_ids:
                review.assign(db, user=user, call_id=call_id, proposal_id=pid, member_id=member_id)
    return len(proposal_ids) * len(member_ids)
