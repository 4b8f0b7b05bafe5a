"""A synthetic call of any size, the one every benchmark stores: ``synthetic_bundle(proposals, members, slots)``.

Names in six scripts (and one that tries to break the markup), written reasons, conflicts, partial
reviews, consensus scores and a tie across third place in the first slot. The largest real call has
about 600 proposals, 25 members and 5 slots; ten times it is 6,000 proposals and 100 members.
"""

from __future__ import annotations

import random

NAMES = [  # six scripts, and one that tries to break the markup
    "Institut régional de la biodiversité {i}",
    "Региональный центр биоразнообразия {i}",
    "مركز التنوع البيولوجي الإقليمي {i}",
    "区域生物多样性合作中心{i}",
    "Περιφερειακό Κέντρο Βιοποικιλότητας {i}",
    "Reef & Ocean <Lab> {i}",
]
REASONS = [
    "Strong evidence of regional network coordination, documented in the annexes.",
    "Adequate expertise, although publication output is modest; checked against the annual report.",
    "Cooperation track record is credible but described in general terms; few results for partners.",
    "Институциональный потенциал подтверждён аудированной отчётностью.",
    "القدرة المؤسسية جيدة مع حسابات مدققة.",
    "合作记录清楚，伙伴国家受益明显。",
]


def synthetic_bundle(proposals: int = 600, members: int = 25, slots: int = 5, *, per_proposal: int | None = 6,
                     seed: int = 7) -> dict:
    """A call as a bundle dict; ``per_proposal=None`` has every member score every proposal."""
    rng = random.Random(seed)
    crit = [("networks", 30), ("expertise", 25), ("tsc_experience", 25), ("capacity", 20)]
    slot_list = [{"id": f"s{k}", "name": f"Regional centre {k}", "level": "regional", "region": f"Region {k}"}
             for k in range(slots)]
    n_proposals, entities, proposals, scores, conflicts, consensus = proposals, [], [], [], [], []
    panel = [{"id": f"r{m:02d}", "name": f"Member {m:02d} Ñandú-Иванов"} for m in range(members)]
    for i in range(n_proposals):
        pid = f"p{i:04d}"
        entities.append({"id": f"e{i:04d}", "name": NAMES[i % len(NAMES)].format(i=i), "acronym": f"RC{i}",
                         "country": rng.choice(["SN", "RU", "EG", "CN", "GR", "FJ"])})
        applied = [f"s{i % slots}"] + ([f"s{(i + 1) % slots}"] if i % 10 == 0 and slots > 1 else [])
        status = "withdrawn" if i % 41 == 5 else "ineligible" if i % 53 == 7 else "eligible"
        proposals.append({"id": pid, "entity": f"e{i:04d}", "slots": applied, "status": status})
        quality = rng.uniform(1.5, 4.5)
        who = panel if per_proposal is None else rng.sample(panel, per_proposal)
        for m in who:
            lenient = (int(m["id"][1:]) % 5 - 2) * 0.1
            for c, _ in crit:
                if i % 97 == 3 and m is who[0] and c == "capacity":
                    continue  # a partial review
                raw = quality + lenient + rng.gauss(0, 0.5)
                scores.append({"reviewer": m["id"], "proposal": pid, "criterion": c,
                               "score": min(5.0, max(0.0, round(raw * 2) / 2)),
                               "justification": rng.choice(REASONS)})
        if i % 23 == 0:
            conflicts.append({"reviewer": who[-1]["id"], "proposal": pid, "reason": "Former employee & <adviser>"})
        if i % 50 == 1:
            consensus.append({"proposal": pid, "criterion": "networks", "score": 3.0,
                              "note": "Agreed at the meeting after the partnership letters were checked."})
    # a tie across third place in slot s0: two proposals with the same consensus scores on every criterion
    for pid in ("p0000", "p0005"):
        for c, _ in crit:
            consensus = [x for x in consensus if not (x["proposal"] == pid and x["criterion"] == c)]
            consensus.append({"proposal": pid, "criterion": c, "score": 4.5, "note": "Tied on purpose."})
    for pid in ("p0010", "p0015"):
        for c, _ in crit:
            consensus.append({"proposal": pid, "criterion": c, "score": 5.0, "note": "Top."})
    return {
        "format": "host-selection-bundle/1",
        "call": {
            "reference": f"BENCH-{n_proposals}",
            "title": f"Benchmark call: {n_proposals:,} proposals, {slots} slots, {members} members",
            "min_reviews": 3,
            "dates": {"notified_on": "2027-01-15", "submission_deadline": "2027-03-31",
                      "advisory_meeting_on": "2027-05-20"},
            "slots": slot_list,
            "criteria": [{"id": c, "name": c.replace("_", " ").title(), "weight": w, "threshold": 2.0,
                          "priority": k + 1} for k, (c, w) in enumerate(crit)],
        },
        "entities": entities,
        "proposals": proposals,
        "reviewers": panel,
        "conflicts": conflicts,
        "scores": scores,
        "consensus": consensus,
    }
