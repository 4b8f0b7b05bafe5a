"""Assigning the panel: read who may review what, let the optimiser propose, save what the secretariat keeps.

The numbers live in ``criteria.assignment`` (the flow) and ``criteria.conflicts``
(the detections); this module reads the call into those plain tables, turns
the answer into people's words, and saves a plan in one transaction with one
audit event per assignment. A re-run keeps every existing assignment that
counts (no conflict declared on it) and every member who has started scoring,
and fills only the gaps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import sqlite_utils

from criteria import assignment as solver
from criteria import conflicts as detection
from selection import audit, clock, countries, queries
from selection.i18n import _, ngettext
from selection.errors import Invalid
from selection.models import Role
from selection.permissions import User, is_member, may_manage_call, require
from selection.services.common import call_row, proposal_row, required_text
from selection.services.review import SCORABLE, reviewer_for
from selection.store import transaction

PREFERENCES = ("prefer", "can", "cannot")


@dataclass
class Member:
    reviewer: str                      # the reviewer id in this call (made on saving for a new member)
    name: str
    affiliation: str | None
    country: str | None
    regions: list[str]
    account_id: int | None


@dataclass
class Plan:
    """A proposed assignment, in the words the page and the command line show."""

    per_proposal: int
    max_load: int
    share: tuple[int, int]
    assignments: list[dict]            # {"proposal", "entity", "reviewers": [ids], "new": [ids]}
    loads: dict[str, int]
    short: list[dict]                  # below the call's reviews needed: {"proposal", "entity", "missing", "reason"}
    detected: list[dict]               # {"reviewer", "proposal", "reason", "included"}
    same_country: list[dict]           # {"proposal", "country"} where two members of one country remain
    members: dict[str, Member] = field(default_factory=dict)
    preferences_met: dict[str, tuple[int, int]] = field(default_factory=dict)   # reviewer -> (met, stated)
    fewer_than_asked: list[dict] = field(default_factory=list)  # enough for the call: {"proposal", "entity", "got"}

    @property
    def new_pairs(self) -> list[tuple[str, str]]:
        return [(r, a["proposal"]) for a in self.assignments for r in a["new"]]

    def as_json(self) -> dict:
        return {
            "assignments": [{"proposal": a["proposal"], "reviewers": a["reviewers"]} for a in self.assignments],
            "loads": self.loads,
            "short": [{"proposal": s["proposal"], "reason": s["reason"]} for s in self.short],
            "detected_conflicts": [{"reviewer": d["reviewer"], "proposal": d["proposal"], "reason": d["reason"]}
                                   for d in self.detected],
        }


def members(db: sqlite_utils.Database, call_id: int) -> list[Member]:
    """The panel: the call's reviewers, then advisory group accounts not yet in the call."""
    out, seen = [], set()
    for r in db.query("SELECT * FROM reviewers WHERE call_id = ? ORDER BY position", [call_id]):
        if r["account_id"] is not None:
            seen.add(r["account_id"])
            if db.execute("SELECT disabled FROM accounts WHERE id = ?", [r["account_id"]]).fetchone()[0]:
                continue
        out.append(Member(r["id"], r["name"], r["affiliation"], r["country"], json.loads(r["regions"] or "[]"),
                          r["account_id"]))
    for a in db.query("SELECT * FROM accounts WHERE role = ? AND disabled = 0 ORDER BY id", [Role.MEMBER.value]):
        if a["id"] not in seen:
            out.append(Member(f"m-{a['username']}", a["display_name"], None, None, [], a["id"]))
    return out


def regions(db: sqlite_utils.Database, call_id: int) -> list[str]:
    """The regions of the call's slots: what a member may say they know."""
    return sorted({r[0] for r in db.execute("SELECT DISTINCT region FROM slots WHERE call_id = ? AND region IS NOT NULL",
                                            [call_id]).fetchall()})


def to_assess(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    """The proposals a member may state a preference on: entity, country, the centres it applies for."""
    return [{**p, "country": countries.name(p["country"])} for p in db.query(
        "SELECT p.id, e.name, e.acronym, e.country, "
        "  (SELECT group_concat(s.name, '; ') FROM proposal_slots ps JOIN slots s "
        "     ON s.call_id = ps.call_id AND s.id = ps.slot_id WHERE ps.call_id = p.call_id AND ps.proposal_id = p.id)"
        "  AS centres "
        "FROM proposals p JOIN entities e ON e.call_id = p.call_id AND e.id = p.entity_id "
        f"WHERE p.call_id = ? AND p.status IN ({', '.join('?' * len(SCORABLE))}) ORDER BY p.position",
        [call_id, *SCORABLE])]


def _proposals(db: sqlite_utils.Database, call_id: int) -> list[dict]:
    return list(db.query(
        "SELECT p.id, p.status, e.name, e.acronym, e.country, "
        "  (SELECT json_group_array(s.region) FROM proposal_slots ps JOIN slots s "
        "     ON s.call_id = ps.call_id AND s.id = ps.slot_id WHERE ps.call_id = p.call_id AND ps.proposal_id = p.id)"
        "  AS regions "
        "FROM proposals p JOIN entities e ON e.call_id = p.call_id AND e.id = p.entity_id "
        f"WHERE p.call_id = ? AND p.status IN ({', '.join('?' * len(SCORABLE))}) ORDER BY p.position",
        [call_id, *SCORABLE]))


def _pairs(db, sql: str, params: list) -> set[tuple[str, str]]:
    return {(r, p) for r, p in db.execute(sql, params).fetchall()}


def per_proposal_range(db: sqlite_utils.Database, call_id: int) -> tuple[int, int]:
    """Members per proposal: at least the call's reviews needed (the default), at most what the panel can give."""
    need = int(call_row(db, call_id)["min_reviews"])
    return need, max(need, len(members(db, call_id)))


def plan(db: sqlite_utils.Database, *, user: User, call_id: int, per_proposal: int | None = None,
         max_load: int | None = None, let_through: set[tuple[str, str]] = frozenset()) -> Plan:
    """Propose an assignment; ``let_through`` names detected conflicts the secretariat accepts."""
    require(may_manage_call(user), _("Only the secretariat assigns proposals."))
    call = call_row(db, call_id)
    required = int(call["min_reviews"])
    need = required if per_proposal is None else int(per_proposal)
    if need < required:
        raise Invalid("per_proposal", _("at least the call's reviews needed ({count})", count=call["min_reviews"]))
    if max_load is not None and int(max_load) < 1:
        raise Invalid("max_load", _("at least 1"))
    panel_members = members(db, call_id)
    proposals = _proposals(db, call_id)
    rids = [m.reviewer for m in panel_members]
    pids = [p["id"] for p in proposals]
    row, col = {p: i for i, p in enumerate(pids)}, {r: j for j, r in enumerate(rids)}
    shape = (len(pids), len(rids))

    def grid(pairs) -> np.ndarray:
        out = np.zeros(shape, dtype=bool)
        for r, p in pairs:
            if r in col and p in row:
                out[row[p], col[r]] = True
        return out

    declared = _pairs(db, "SELECT reviewer_id, proposal_id FROM conflicts WHERE call_id = ? UNION "
                          "SELECT reviewer_id, proposal_id FROM assignments WHERE call_id = ? AND conflict = 1",
                      [call_id, call_id])
    cannot = _pairs(db, "SELECT reviewer_id, proposal_id FROM review_preferences WHERE call_id = ? "
                        "AND preference = 'cannot'", [call_id])
    prefer = _pairs(db, "SELECT reviewer_id, proposal_id FROM review_preferences WHERE call_id = ? "
                        "AND preference = 'prefer'", [call_id])
    started = _pairs(db, "SELECT DISTINCT reviewer_id, proposal_id FROM scores WHERE call_id = ?", [call_id])
    assigned = _pairs(db, "SELECT reviewer_id, proposal_id FROM assignments WHERE call_id = ? "
                          "AND coalesce(conflict, 0) = 0", [call_id])
    found = detection.detect(
        [detection.Member(m.reviewer, m.name, m.affiliation, m.country) for m in panel_members],
        [detection.Applicant(p["id"], p["name"], p["acronym"], p["country"]) for p in proposals],
        same_country=bool(call["same_country_rule"]), country_name=countries.name)
    detected = {(d.reviewer, d.proposal): d.reason for d in found}
    blocked = declared | cannot | {pair for pair in detected if pair not in let_through}
    existing = grid((assigned | started) - declared)
    regions = [{(x or "").casefold() for x in json.loads(p["regions"] or "[]")} for p in proposals]
    knows = np.zeros(shape, dtype=bool)
    for j, m in enumerate(panel_members):
        known = {x.casefold() for x in m.regions}
        if known:
            knows[:, j] = [bool(known & r) for r in regions]
    panel = solver.Panel(proposals=pids, members=rids, need=np.full(len(pids), need), allowed=~grid(blocked),
                         prefer=grid(prefer), knows_region=knows, existing=existing,
                         country=[(m.country or "").upper() or None for m in panel_members], max_load=max_load)
    result = solver.solve(panel)
    entity = {p["id"]: p["name"] for p in proposals}
    existing_pairs = {(rids[j], pids[i]) for i, j in zip(*np.nonzero(existing))}
    assignments = [{"proposal": p, "entity": entity[p], "reviewers": result.reviewers[p],
                    "new": [r for r in result.reviewers[p] if (r, p) not in existing_pairs]} for p in pids]
    # a proposal short of the number asked but with the call's reviews is complete: no warning, a note
    got = {p: need - n for p, n in result.short.items()}
    short = [{"proposal": p, "entity": entity[p], "missing": required - got[p],
              "reason": _why_short(p, required, result.max_load, rids, declared, cannot, blocked - declared - cannot)}
             for p in got if got[p] < required]
    fewer = [{"proposal": p, "entity": entity[p], "got": got[p]} for p in got if got[p] >= required]
    chosen = {(r, a["proposal"]) for a in assignments for r in a["reviewers"]}
    met = {r: (sum(1 for (rr, p) in prefer if rr == r and (r, p) in chosen), sum(1 for (rr, _) in prefer if rr == r))
           for r in rids}
    return Plan(per_proposal=need, max_load=result.max_load, share=result.share, assignments=assignments,
                loads=result.loads, short=short,
                detected=[{"reviewer": d.reviewer, "proposal": d.proposal, "reason": d.reason,
                           "included": (d.reviewer, d.proposal) in let_through,
                           "assigned": (d.reviewer, d.proposal) in existing_pairs} for d in found],
                same_country=[{"proposal": p, "country": countries.name(c)} for p, c in result.same_country],
                members={m.reviewer: m for m in panel_members}, preferences_met=met, fewer_than_asked=fewer)


def _why_short(proposal: str, need: int, cap: int, rids: list[str], declared, cannot, detected) -> str:
    counts = {label: sum(1 for r in rids if (r, proposal) in pairs)
              for label, pairs in (("declared", declared), ("cannot", cannot), ("detected", detected))}
    words = {"declared": ("{n} declared a conflict", "{n} declared a conflict"),
             "cannot": ("{n} cannot review it", "{n} cannot review it"),
             "detected": ("{n} have a potential conflict detected", "{n} have a potential conflict detected")}
    may = len(rids) - sum(counts.values())
    if may < need:
        reasons = ", ".join(ngettext(*words[label], n) for label, n in counts.items() if n)
        return _("only {may} of the {count} members may review it ({reasons}); it needs {need}", may=may,
                 count=len(rids), reasons=reasons or _("the panel is too small"), need=need)
    return _("the members who may review it have all reached the maximum load of {cap} proposals", cap=cap)


def _account(db: sqlite_utils.Database, account_id: int) -> dict:
    return next(db.query("SELECT * FROM accounts WHERE id = ?", [account_id]))


def _reviewer_row(db: sqlite_utils.Database, call_id: int, m: Member) -> str:
    """The member's reviewer id in the call, making the row for a group member new to the call."""
    return m.reviewer if m.account_id is None else reviewer_for(db, call_id, _account(db, m.account_id))


def save(db: sqlite_utils.Database, *, user: User, call_id: int, pairs: list[tuple[str, str]]) -> int:
    """Save the kept pairs (member, proposal) in one transaction; return how many assignments were added."""
    require(may_manage_call(user), _("Only the secretariat assigns proposals."))
    call = call_row(db, call_id)
    by_reviewer = {m.reviewer: m for m in members(db, call_id)}
    added = 0
    with transaction(db):
        declared = _pairs(db, "SELECT reviewer_id, proposal_id FROM conflicts WHERE call_id = ? UNION "
                              "SELECT reviewer_id, proposal_id FROM assignments WHERE call_id = ? AND conflict = 1",
                          [call_id, call_id])
        cannot = _pairs(db, "SELECT reviewer_id, proposal_id FROM review_preferences WHERE call_id = ? "
                            "AND preference = 'cannot'", [call_id])
        for reviewer, proposal_id in pairs:
            m = by_reviewer.get(reviewer)
            if m is None:
                raise Invalid("member", _("{name} is not a member of the panel", name=reviewer))
            p = proposal_row(db, call_id, proposal_id)
            if p["status"] not in SCORABLE:
                raise Invalid("proposal", _("this proposal is {status}: it is not assessed",
                                            status=_(queries.STATUS_WORDS[p["status"]])))
            if (reviewer, proposal_id) in declared:
                raise Invalid("member", _("{name} declared a conflict on this proposal", name=m.name))
            if (reviewer, proposal_id) in cannot:
                raise Invalid("member", _("{name} said they cannot review this proposal", name=m.name))
            rid = _reviewer_row(db, call_id, m)
            if db.execute("SELECT 1 FROM assignments WHERE call_id = ? AND reviewer_id = ? AND proposal_id = ?",
                          [call_id, rid, proposal_id]).fetchone():
                continue
            db["assignments"].insert({"call_id": call_id, "reviewer_id": rid, "proposal_id": proposal_id,
                                      "assigned_at": clock.stamp()})
            audit.record(db, actor=user.actor, call=call["reference"], action="review.assigned",
                         target=f"proposal:{proposal_id}", new={"reviewer": rid, "by": "assignment plan"})
            added += 1
    return added


def state_preference(db: sqlite_utils.Database, *, user: User, call_id: int, proposal_id: str, preference: str,
                     reason: str | None = None) -> None:
    """A member says, before assignment, "prefer", "can review" (the default) or "cannot review" (with a reason)."""
    require(is_member(user), _("Only advisory group members state review preferences."))
    if preference not in PREFERENCES:
        raise Invalid("preference", _("choose prefer, can review or cannot review"))
    call = call_row(db, call_id)
    p = proposal_row(db, call_id, proposal_id)
    if p["status"] not in SCORABLE:
        raise Invalid("proposal", _("this proposal is {status}: it is not assessed",
                                    status=_(queries.STATUS_WORDS[p["status"]])))
    text = required_text(reason, "reason", 2_000) if preference == "cannot" else ((reason or "").strip() or None)
    with transaction(db):
        rid = reviewer_for(db, call_id, _account(db, user.id))
        old = db.execute("SELECT preference, reason FROM review_preferences WHERE call_id = ? AND reviewer_id = ? "
                         "AND proposal_id = ?", [call_id, rid, proposal_id]).fetchone()
        db.execute("DELETE FROM review_preferences WHERE call_id = ? AND reviewer_id = ? AND proposal_id = ?",
                   [call_id, rid, proposal_id])
        if preference != "can":
            db["review_preferences"].insert({"call_id": call_id, "reviewer_id": rid, "proposal_id": proposal_id,
                                             "preference": preference, "reason": text, "stated_at": clock.stamp()})
        audit.record(db, actor=user.actor, call=call["reference"], action="review.preference",
                     target=f"proposal:{proposal_id}",
                     old={"preference": old[0], "reason": old[1]} if old else {"preference": "can"},
                     new={"preference": preference, "reason": text})


def my_preferences(db: sqlite_utils.Database, *, user: User, call_id: int) -> dict[str, dict]:
    """proposal -> {"preference", "reason"} for the signed-in member (proposals without a row are "can")."""
    require(is_member(user), _("Only advisory group members state review preferences."))
    return {r["proposal_id"]: {"preference": r["preference"], "reason": r["reason"]} for r in db.query(
        "SELECT rp.* FROM review_preferences rp JOIN reviewers r ON r.call_id = rp.call_id AND r.id = rp.reviewer_id "
        "WHERE rp.call_id = ? AND r.account_id = ?", [call_id, user.id])}


def set_member_profile(db: sqlite_utils.Database, *, user: User, call_id: int, reviewer: str,
                       affiliation: str | None, country: str | None, regions: list[str]) -> None:
    """The facts the detection and the regional match use: affiliation, country, regions known."""
    require(may_manage_call(user), _("Only the secretariat edits the panel."))
    call = call_row(db, call_id)
    m = {x.reviewer: x for x in members(db, call_id)}.get(reviewer)
    if m is None:
        raise Invalid("member", _("not a member of the panel"))
    code = (country or "").strip().upper() or None
    if code and (len(code) != 2 or not code.isalpha()):
        raise Invalid("country", _("choose a country from the list"))
    with transaction(db):
        rid = _reviewer_row(db, call_id, m)
        before = next(db.query("SELECT affiliation, country, regions FROM reviewers WHERE call_id = ? AND id = ?",
                               [call_id, rid]))
        after = {"affiliation": (affiliation or "").strip() or None, "country": code,
                 "regions": json.dumps(sorted({x.strip() for x in regions if x.strip()}), ensure_ascii=False)}
        db["reviewers"].update((call_id, rid), after)
        audit.record(db, actor=user.actor, call=call["reference"], action="panel.member_profile",
                     target=f"reviewer:{rid}", old=before, new=after)


def set_country_rule(db: sqlite_utils.Database, *, user: User, call_id: int, on: bool) -> None:
    require(may_manage_call(user), _("Only the secretariat edits the call."))
    call = call_row(db, call_id)
    with transaction(db):
        db["calls"].update(call_id, {"same_country_rule": int(bool(on))})
        audit.record(db, actor=user.actor, call=call["reference"], action="call.country_rule", target="call",
                     old={"same_country_rule": bool(call["same_country_rule"])}, new={"same_country_rule": bool(on)})
