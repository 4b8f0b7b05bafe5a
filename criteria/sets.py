"""What is judged: the four priority criteria, their guidance and their anchored scale.

The survey of Parties and stakeholders ranked these four criteria first for
choosing a host institution, in this order; that order is the default
tie-break priority. Weights are the call's choice (equal by default). Each
criterion says what applicants should give as evidence and what reviewers
should count as evidence, and every point of the scale has a meaning, so that
two reviewers who read the same proposal can reach the same number.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

ANCHOR_LABELS = {
    0: "No evidence",
    1: "Very weak",
    2: "Weak",
    3: "Adequate",
    4: "Strong",
    5: "Outstanding",
}


@dataclass(frozen=True)
class CriterionDefinition:
    id: str
    name: str
    description: str
    applicant_guidance: str
    reviewer_guidance: str
    anchors: dict[int, str] = field(default_factory=dict)


PRIORITY_CRITERIA: tuple[CriterionDefinition, ...] = (
    CriterionDefinition(
        id="networks",
        name="Participation in regional and subregional biodiversity-related networks and partnerships",
        description="Membership and an active role in regional or subregional biodiversity-related "
        "networks, partnerships and communities of practice.",
        applicant_guidance="Name the networks and partnerships you belong to, your role in each "
        "(member, coordinator, secretariat, host), since when, and one or two joint results. "
        "Attach letters or agreements where you have them.",
        reviewer_guidance="Count active roles with results over memberships on paper. Reach across "
        "the region (several countries, several kinds of partner) weighs more than a single link.",
        anchors={
            0: "No network or partnership is named.",
            1: "Memberships named, with no role or activity shown.",
            2: "A few memberships; a minor role in one network.",
            3: "Active member of several regional networks, with some joint activities.",
            4: "Coordinates or hosts a regional network; joint results across many countries.",
            5: "A recognised hub of the region's networks, with a long record of joint results.",
        },
    ),
    CriterionDefinition(
        id="expertise",
        name="Expertise in biodiversity-related areas of work",
        description="Depth and breadth of scientific and technical expertise in the biodiversity "
        "areas the mechanism must serve.",
        applicant_guidance="Describe your staff's fields of expertise, key publications, data and "
        "tools you maintain, and the areas of the Global Biodiversity Framework you work on.",
        reviewer_guidance="Look for expertise relevant to the mechanism's themes and region, shown "
        "by outputs (publications, data sets, tools, policy advice), not by claims.",
        anchors={
            0: "No relevant expertise shown.",
            1: "Expertise claimed, not shown by outputs.",
            2: "Narrow expertise in one area, few outputs.",
            3: "Sound expertise in several relevant areas, with outputs.",
            4: "Broad, recognised expertise across most relevant areas.",
            5: "Leading expertise across the mechanism's areas, widely recognised.",
        },
    ),
    CriterionDefinition(
        id="tsc_experience",
        name="Demonstrated experience in promoting technical and scientific cooperation",
        description="Track record of matchmaking, joint research, training, exchange of experts, "
        "technology transfer and other cooperation activities.",
        applicant_guidance="Give examples of cooperation you organised in the last five years: "
        "matchmaking, joint research, training courses, expert exchanges, technology transfer; "
        "who took part, from which countries, and what came of it.",
        reviewer_guidance="Weigh cooperation that the applicant led and that produced lasting "
        "results for partners in developing countries; one-off events weigh less.",
        anchors={
            0: "No cooperation activity shown.",
            1: "One-off events, no results shown.",
            2: "Some cooperation activities, mostly as a participant.",
            3: "Several cooperation activities led, with results for partners.",
            4: "A sustained programme of cooperation with clear results.",
            5: "A proven, sustained record of cooperation that changed partners' capacity.",
        },
    ),
    CriterionDefinition(
        id="capacity",
        name="Demonstrated capacity to manage multiple projects, and institutional capacity",
        description="Governance, staff, finances, systems and a record of running several "
        "projects at once.",
        applicant_guidance="Describe your governance, staff numbers, annual budget and its sources, "
        "audited accounts, and the projects you run in parallel now. Say what you would need to "
        "host the centre.",
        reviewer_guidance="Look for audited accounts, stable funding, staff and systems able to run "
        "several projects at once; a plan to host the centre that fits the institution.",
        anchors={
            0: "No information on institutional capacity.",
            1: "Fragile institution; no record of managing projects.",
            2: "Limited capacity; manages one or two small projects.",
            3: "Adequate capacity; manages several projects, accounts audited.",
            4: "Strong capacity and systems; many projects at once.",
            5: "Excellent governance, finances and systems; a large portfolio well run.",
        },
    ),
)

BY_ID = {c.id: c for c in PRIORITY_CRITERIA}


def default_criteria(weights: dict[str, float] | None = None, threshold: float | None = None) -> list[dict]:
    """The four priority criteria as bundle criteria: equal weights, survey order as priority."""
    weights = weights or {}
    return [
        {
            "id": c.id,
            "name": c.name,
            "description": c.description,
            "weight": float(weights.get(c.id, 25)),
            "threshold": threshold,
            "priority": i + 1,
        }
        for i, c in enumerate(PRIORITY_CRITERIA)
    ]


def guidance_for(criterion_id: str) -> dict:
    """Stored guidance columns for a criterion: the default set's text, or empty for others."""
    c = BY_ID.get(criterion_id)
    return {
        "applicant_guidance": c.applicant_guidance if c else None,
        "reviewer_guidance": c.reviewer_guidance if c else None,
        "anchors": json.dumps(c.anchors) if c else None,
    }


def anchor_for(score: float, lo: float, hi: float, anchors: dict[int, str] | None = None,
               between: str = "between {low} and {high}") -> str:
    """What a score means, read on the 0-5 anchors in proportion; half points sit between two anchors
    (``between`` words it, in the reader's language where a page passes its translation)."""
    position = 5 * (score - lo) / (hi - lo)
    below, above = int(position // 1), int(-(-position // 1))
    labels = anchors or ANCHOR_LABELS
    if below == above or above > 5:
        return labels[min(below, 5)]
    return between.format(low=labels[below].rstrip(".").lower(), high=labels[above].rstrip(".").lower())


def validate_criteria(criteria: list[dict], scale_min: float, scale_max: float) -> list[str]:
    """Problems with a call's criteria set, one sentence each naming the place; empty when it is sound.

    Checked before a call is published, so the secretariat can fix a set
    while writing it rather than meet a refused bundle later.
    """
    if not criteria:
        return ["criteria: a call needs at least one criterion"]
    problems = []
    seen_ids: dict = {}
    seen_priorities: dict = {}
    for i, c in enumerate(criteria):
        at = f"criteria[{i}]"
        cid = c.get("id")
        if not isinstance(cid, str) or not cid.strip():
            problems.append(f"{at}.id: every criterion needs an id")
        elif cid in seen_ids:
            problems.append(f"{at}.id: {cid!r} is already the id of criteria[{seen_ids[cid]}]")
        else:
            seen_ids[cid] = i
        weight = c.get("weight")
        if not _is_number(weight):
            problems.append(f"{at}.weight: a weight must be a number, not {weight!r}")
        elif weight <= 0:
            problems.append(f"{at}.weight: {weight:g} is not above 0; every weight must be positive")
        priority = c.get("priority")
        if not isinstance(priority, int) or isinstance(priority, bool) or priority < 1:
            problems.append(f"{at}.priority: {priority!r} must be a whole number 1 or above (1 = highest)")
        elif priority in seen_priorities:
            first = seen_priorities[priority]
            problems.append(f"{at}.priority: {priority} is already the priority of criteria[{first}]")
        else:
            seen_priorities[priority] = i
        threshold = c.get("threshold")
        if threshold is None:
            continue
        if not _is_number(threshold):
            problems.append(f"{at}.threshold: a threshold must be a number, not {threshold!r}")
        elif not scale_min <= threshold <= scale_max:
            problems.append(f"{at}.threshold: {threshold:g} is outside the scale {scale_min:g}..{scale_max:g}")
    return problems


def weight_percentages(weights: dict[str, float]) -> dict[str, float]:
    """Each weight as a percentage of their sum: what a criterion counts for in the total."""
    total = sum(weights.values())
    if total <= 0:
        raise ValueError("weights must add up to more than 0")
    return {cid: 100.0 * w / total for cid, w in weights.items()}


def _is_number(x) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)
