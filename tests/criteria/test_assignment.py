"""The optimiser on plain tables: literal cases, then properties on random panels (hypothesis).

Feasibility is judged independently of the solver: a linear programme (SciPy's
HiGHS) says whether every proposal can get its members with every load within
one of the balanced share; the transportation matrix is totally unimodular, so
a feasible LP means a feasible assignment.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from criteria import assignment as a
from criteria import conflicts


def panel(n, m, need=2, allowed=None, prefer=None, region=None, existing=None, country=None, max_load=None):
    full = np.ones((n, m), dtype=bool)
    none = np.zeros((n, m), dtype=bool)
    return a.Panel(proposals=[f"p{i}" for i in range(n)], members=[f"r{j}" for j in range(m)],
                   need=np.full(n, need) if np.isscalar(need) else need,
                   allowed=full if allowed is None else allowed, prefer=none if prefer is None else prefer,
                   knows_region=none if region is None else region, existing=none if existing is None else existing,
                   country=country or [None] * m, max_load=max_load)


def test_every_proposal_gets_its_members_and_loads_are_even():
    r = a.solve(panel(6, 4, need=2))
    assert all(len(v) == 2 for v in r.reviewers.values())
    assert sorted(r.loads.values()) == [3, 3, 3, 3]
    assert not r.short and r.share == (3, 3)


def test_a_declared_conflict_is_never_assigned_and_the_shortfall_is_named():
    allowed = np.ones((3, 3), dtype=bool)
    allowed[1, :2] = False                     # only r2 may review p1
    r = a.solve(panel(3, 3, need=2, allowed=allowed))
    assert "r0" not in r.reviewers["p1"] and "r1" not in r.reviewers["p1"]
    assert r.short == {"p1": 1}


def test_preferences_are_honoured_when_loads_allow():
    prefer = np.zeros((4, 4), dtype=bool)
    prefer[0, 3] = prefer[1, 3] = True
    r = a.solve(panel(4, 4, need=1, prefer=prefer))
    assert sorted(r.loads.values()) == [1, 1, 1, 1]      # balance first: r3 takes one of the two it prefers
    assert sum("r3" in r.reviewers[p] for p in ("p0", "p1")) == 1


def test_two_members_of_one_country_meet_only_when_unavoidable():
    r = a.solve(panel(4, 4, need=2, country=["KE", "KE", "FR", "FR"]))
    assert not r.same_country
    for members in r.reviewers.values():
        assert {m for m in members} not in ({"r0", "r1"}, {"r2", "r3"})
    forced = a.solve(panel(2, 3, need=3, country=["KE", "KE", "FR"]))
    assert forced.same_country == [("p0", "KE"), ("p1", "KE")]


def test_a_rerun_keeps_existing_pairs_and_fills_only_the_gaps():
    existing = np.zeros((3, 3), dtype=bool)
    existing[0, 0] = existing[0, 1] = True     # p0 is covered already
    existing[1, 2] = True
    r = a.solve(panel(3, 3, need=2, existing=existing))
    assert r.reviewers["p0"][:2] == ["r0", "r1"] and len(r.reviewers["p0"]) == 2
    assert ("r2", "p1") not in r.new_pairs and len(r.reviewers["p1"]) == 2
    assert all(p != "p0" for _, p in r.new_pairs)


def test_a_maximum_load_below_the_share_leaves_proposals_short():
    r = a.solve(panel(4, 2, need=2, max_load=3))
    assert max(r.loads.values()) == 3 and sum(r.short.values()) == 2


def _balanced_feasible(allowed: np.ndarray, existing: np.ndarray, need: int, low: int, high: int) -> bool:
    n, m = allowed.shape
    free = allowed & ~existing
    remaining = np.maximum(need - existing.sum(axis=1), 0)
    if not free.any():
        return not remaining.any() and all(low <= x <= high for x in existing.sum(axis=0))
    pp, mm = np.nonzero(free)
    rows = np.zeros((n, len(pp)))
    rows[pp, np.arange(len(pp))] = 1
    cols = np.zeros((m, len(pp)))
    cols[mm, np.arange(len(pp))] = 1
    load0 = existing.sum(axis=0)
    res = linprog(np.zeros(len(pp)), A_eq=rows, b_eq=remaining,
                  A_ub=np.vstack([cols, -cols]), b_ub=np.concatenate([high - load0, load0 - low]),
                  bounds=(0, 1), method="highs")
    return res.status == 0


@st.composite
def panels(draw):
    n = draw(st.integers(1, 9))
    m = draw(st.integers(1, 6))
    need = draw(st.integers(1, min(3, m)))
    allowed = np.array(draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m)), dtype=bool).reshape(n, m)
    allowed |= np.array(draw(st.lists(st.floats(0, 1), min_size=n * m, max_size=n * m))).reshape(n, m) < 0.6
    existing = allowed & (np.array(draw(st.lists(st.floats(0, 1), min_size=n * m, max_size=n * m))).reshape(n, m) < 0.1)
    prefer = np.array(draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m)), dtype=bool).reshape(n, m)
    country = draw(st.lists(st.sampled_from(["KE", "FR", "CN", None]), min_size=m, max_size=m))
    return panel(n, m, need=need, allowed=allowed, existing=existing, prefer=prefer, country=country)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels())
def test_properties_on_random_panels(p):
    r = a.solve(p)
    index = {x: i for i, x in enumerate(p.members)}
    for i, pid in enumerate(p.proposals):
        chosen = r.reviewers[pid]
        assert len(chosen) == len(set(chosen))
        for member in chosen:                              # no excluded pair, ever
            assert p.allowed[i, index[member]] or p.existing[i, index[member]]
        may = int((p.allowed[i] | p.existing[i]).sum())
        if may < p.need[i]:                                # infeasible: named short, by the right count
            assert r.short.get(pid, 0) >= p.need[i] - may
        assert len(chosen) + r.short.get(pid, 0) >= p.need[i]
    low, high = r.share
    if _balanced_feasible(p.allowed, p.existing, int(p.need[0]), low, high):
        assert not r.short
        loads = list(r.loads.values())
        assert max(loads) - min(loads) <= 1


def test_detection_matches_names_and_acronyms_without_case_or_accents():
    members = [conflicts.Member("r1", "A", affiliation="INSTITUT des Lagunes et Deltas", country="FR"),
               conflicts.Member("r2", "B", affiliation="Université, ILDO", country="KE"),
               conflicts.Member("r3", "C", affiliation="Another body", country="SN")]
    entities = [conflicts.Applicant("p1", "Institut des lagunes et deltas", "ILDO", "SN")]
    found = {(d.reviewer, d.proposal): d.reason for d in conflicts.detect(members, entities)}
    assert "names the entity" in found["r1", "p1"]
    assert "acronym (ILDO)" in found["r2", "p1"]
    assert "country (SN)" in found["r3", "p1"]
    assert ("r3", "p1") not in {(d.reviewer, d.proposal) for d in conflicts.detect(members, entities,
                                                                                  same_country=False)}


@pytest.mark.parametrize("text, folded", [("Ñandú  Réserve", "nandu reserve"), ("ÉCOLE-normale", "ecole normale")])
def test_fold(text, folded):
    assert conflicts.fold(text) == folded
