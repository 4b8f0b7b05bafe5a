"""Panel assignment at scale: ``python benchmarks/bench_assign.py``.

A call awaiting assignment (no scores yet) with 600 proposals and 25 members,
then 6,000 proposals and 100 members (ten times the largest real call), each
member with a country (about a third of the panel shares one with another
member) and an affiliation, conflicts declared, some members' preferences and
regions. Timed: the whole ``assignment.plan`` from the SQLite store (reading
the panel, detecting conflicts, the min-cost flow), then the solver alone.

Targets: 600 x 25 under 2 s, 6,000 x 100 under 30 s (wall clock, this 2-core
machine). This is not a test: it prints a table and exits 0 either way.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import synthetic_bundle  # noqa: E402

CASES = [(600, 25, 2.0), (6000, 100, 30.0)]
COUNTRIES = ["SN", "RU", "EG", "CN", "GR", "FJ", "BR", "KE", "FR", "IN", "MX", "NO", "JP", "PE", "ZA", "VN"]


def awaiting_assignment(proposals: int, members: int) -> dict:
    rng = random.Random(3)
    data = synthetic_bundle(proposals, members, 5, per_proposal=1)
    data["scores"], data["consensus"] = [], []
    for r in data["reviewers"]:
        r["country"] = rng.choice(COUNTRIES)
        r["affiliation"] = f"University of {rng.choice(['Dakar', 'Tomsk', 'Cairo', 'Suva', 'Lima'])}"
    return data


def main() -> None:
    import numpy as np

    from criteria import assignment as solver
    from selection import bundle, store
    from selection.models import Role
    from selection.permissions import User
    from selection.services import assignment

    sec = User(id=0, username="bench", display_name="Bench", role=Role.SECRETARIAT)
    print(f"{'case':<18}{'plan() from the store':>24}{'solver alone':>16}{'target':>10}  loads     short  same country")
    for n, m, target in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            db = store.connect(Path(tmp) / "assign.db")
            call_id = bundle.store(db, bundle.from_dict(awaiting_assignment(n, m)), actor="bench")
            t = time.perf_counter()
            plan = assignment.plan(db, user=sec, call_id=call_id)
            whole = time.perf_counter() - t
            rng = np.random.default_rng(1)
            panel = solver.Panel(proposals=[f"p{i}" for i in range(n)], members=[f"r{j}" for j in range(m)],
                                 need=np.full(n, plan.per_proposal), allowed=rng.random((n, m)) > 0.03,
                                 prefer=rng.random((n, m)) < 0.05, knows_region=rng.random((n, m)) < 0.3,
                                 existing=np.zeros((n, m), bool),
                                 country=[COUNTRIES[j % len(COUNTRIES)] for j in range(m)])
            t = time.perf_counter()
            solved = solver.solve(panel)
            alone = time.perf_counter() - t
            loads = sorted(plan.loads.values())
            verdict = "ok" if whole < target else "SLOW"
            print(f"{n:>5} x {m:<10}{whole:>22.2f} s{alone:>14.2f} s{target:>8.0f} s  {loads[0]}-{loads[-1]:<6}"
                  f"{len(plan.short):>6}  {len(plan.same_country) + len(solved.same_country):>5}   {verdict}")
            db.conn.close()


if __name__ == "__main__":
    main()
