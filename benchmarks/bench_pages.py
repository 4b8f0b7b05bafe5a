"""Page speed at the largest call and at ten times it: ``python benchmarks/bench_pages.py``.

A synthetic call (``benchmarks.synthetic``) of 600 proposals, 25 members and 5 slots, each proposal
scored by 20 members (~48,000 scores), and one of 6,000 proposals, 100 members and 5 slots, scored
by 83 members each (~2 million scores), are stored once per run in a temporary SQLite file: the
bundle without its scores goes through ``bundle.store``, the scores are written with one
``executemany``, and the demo's accounts are wired to it (members linked to the panel, assignments
and submitted reviews). Then, in a fresh Python process per figure (so no cache of one figure warms
another), Streamlit's ``AppTest`` opens each page as the secretariat (or as a member for the
member's reviews): the first open after the other pages' modules are imported, then reruns of the
same page, then, on the meeting page, what-if slider moves (AppTest reruns the whole page for a slider; in a
browser only the what-if fragment reruns). Figures are server-side wall time, the median of a few runs, with
the process's CPU time beside it (the machine is shared: CPU time moves less with the load). For the tree
that has ``selection/views.py``, the meeting page's first open is split into the view and the panel analysis.

``--before DIR`` measures a second source tree (for instance ``git archive main | tar -x -C DIR``)
on the same stores first and prints both columns. ``--sizes 600`` limits the run; ``--limit S``
stops a figure that takes longer than S seconds. This is not a test: it prints and exits 0 either way.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SIZES = {600: dict(proposals=600, members=25, slots=5, per_proposal=20),
         6000: dict(proposals=6000, members=100, slots=5, per_proposal=83)}
PAGES = [("meeting", "secretariat", "meeting page"), ("dashboard", "secretariat", "dashboard"),
         ("proposals", "secretariat", "proposals"), ("reviews", "member1", "member's reviews"),
         ("decision", "secretariat", "decision")]
TARGETS = {  # (size, figure) -> seconds
    **{(600, f"{label} rerun"): 0.150 for _, _, label in PAGES},
    (600, "what-if slider move"): 0.100, (600, "meeting page first open"): 1.0,
    (6000, "meeting page first open"): 5.0, (6000, "meeting page rerun"): 1.0, (6000, "dashboard rerun"): 0.150,
}
AT_6000 = {"meeting", "dashboard"}
RERUNS = {600: 5, 6000: 3}

# Builds the store with the code of the tree it runs in (sys.path[0]) from this benchmark's synthetic call (its
# file is the third argument, so both trees measure the same call); prints the call's figures.
BUILD = r"""
import importlib.util, json, sys
from argon2 import PasswordHasher
from selection import accounts, bundle, store
from selection.demo import accounts as demo_accounts

accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
size = json.loads(sys.argv[2])
spec = importlib.util.spec_from_file_location("synthetic", sys.argv[3])  # this benchmark's call, in every tree
synthetic = importlib.util.module_from_spec(spec)
spec.loader.exec_module(synthetic)
synthetic_bundle = synthetic.synthetic_bundle
data = synthetic_bundle(size["proposals"], size["members"], size["slots"], per_proposal=size["per_proposal"])
scores = data.pop("scores")
data["scores"] = []
db = store.connect(sys.argv[1])
call_id = bundle.store(db, bundle.from_dict(data), actor="bench")
with store.transaction(db):
    db.conn.executemany(
        "INSERT INTO scores (call_id, reviewer_id, proposal_id, criterion_id, score, justification) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        ((call_id, s["reviewer"], s["proposal"], s["criterion"], s["score"], s["justification"]) for s in scores))
demo_accounts.create(db, call_id)
db.conn.execute("ANALYZE")
print(json.dumps({"scores": len(scores)}))
"""

# Where the meeting page's first open goes, in a fresh process: the view (ranking inputs, criterion scores,
# ranking, labels) and the panel analysis (criteria/analytics.py and robustness).
PARTS = r"""
import json, sys, time
from selection import store, views
db = store.connect(sys.argv[1])
ref = db.execute("SELECT reference FROM calls").fetchone()[0]
t, c = time.perf_counter(), time.process_time(); view = views.compute(db, ref)
t_view = [time.perf_counter() - t, time.process_time() - c]
t, c = time.perf_counter(), time.process_time(); view.analysis()
t_analysis = [time.perf_counter() - t, time.process_time() - c]
print(json.dumps({"view (without the analysis)": t_view, "panel analysis": t_analysis}))
"""

# Times one page in a fresh process: the first open (after the app's modules are imported by
# another page), reruns, and on the meeting page what-if slider moves.
MEASURE = r"""
import json, os, statistics, sys, time
from streamlit.testing.v1 import AppTest

root, db_path, path, username, reruns = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
os.environ["SELECTION_DB"] = db_path
from selection import accounts, sessions, store
db = store.connect(db_path)
uid = db.execute("SELECT id FROM accounts WHERE username = ?", [username]).fetchone()[0]
token = sessions.start(db, accounts.get_user(db, uid))  # signed in as the sign-in page does
db.conn.close()

def app(goto):
    at = AppTest.from_file(f"{root}/streamlit_app.py", default_timeout=3600)
    at.session_state["session_token"] = token
    at.session_state["goto"] = goto
    return at

warm = app("people" if username != "member1" else "reviews")
warm.run()
at = app(path)

def timed():
    t, c = time.perf_counter(), time.process_time()
    at.run()
    return time.perf_counter() - t, time.process_time() - c

first = timed()
assert not at.exception, [e.value for e in at.exception]
assert at.title[0].value not in ("Set up host-selection", "Host selection"), "not signed in"
def median(runs):
    return [statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)]

out = {"first open": first, "rerun": median([timed() for _ in range(reruns)])}
sliders = [s for s in at.slider if (s.key or "").startswith("w_")]
if sliders:
    s, moves = sliders[0], []
    base = s.value
    for k in range(reruns):
        s.set_value(base + 1.0 + k)  # a new position each time: every move re-ranks
        moves.append(timed())
        s = next(x for x in at.slider if x.key == s.key)
        assert not at.exception, [e.value for e in at.exception]
    out["what-if slider move"] = median(moves)
print(json.dumps(out))
"""


def child(tree: Path, script: str, *args: str, limit: float) -> dict | str:
    """Run ``script`` with ``tree`` first on the path; its JSON answer, or why there is none."""
    env_path = f"import sys; sys.path.insert(0, {str(tree)!r}); "
    try:
        out = subprocess.run([sys.executable, "-c", env_path + script, *args], cwd=tree, capture_output=True,
                             text=True, timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        return f"> {limit:g} s"
    if out.returncode != 0:
        return "failed: " + (out.stderr.strip().splitlines() or ["?"])[-1][:120]
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(tree: Path, db: Path, size: int, limit: float) -> dict[str, float | str]:
    figures: dict[str, float | str] = {}
    for path, username, label in PAGES:
        if size == 6000 and path not in AT_6000:
            continue
        got = child(tree, MEASURE, str(tree), str(db), path, username, str(RERUNS[size]), limit=limit)
        if isinstance(got, str):
            figures[f"{label} rerun"] = got
            if path == "meeting":
                figures["meeting page first open"] = figures["what-if slider move"] = got
            continue
        figures[f"{label} rerun"] = got["rerun"]
        if path == "meeting":
            figures["meeting page first open"] = got["first open"]
            figures["what-if slider move"] = got.get("what-if slider move", "no slider")
    if (tree / "selection" / "views.py").exists():
        parts = child(tree, PARTS, str(db), limit=limit)
        for k, v in ({} if isinstance(parts, str) else parts).items():
            figures[f"  first open: {k}"] = v
    return figures


def seconds(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s"


def shown(x: float | list | str | None) -> str:
    """A figure as read: wall time, with the process's CPU time in brackets where measured."""
    if x is None or isinstance(x, str):
        return x or ""
    return f"{seconds(x[0])} ({seconds(x[1])} CPU)" if isinstance(x, list) else seconds(x)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", type=Path, help="another source tree to measure first, on the same stores")
    ap.add_argument("--sizes", default="600,6000")
    ap.add_argument("--limit", type=float, default=300.0, help="seconds before a figure is given up")
    args = ap.parse_args()
    trees = ([("before", args.before.resolve())] if args.before else []) + [("now", ROOT)]
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.db"
            t = time.perf_counter()
            built = child(trees[0][1], BUILD, str(db), json.dumps(SIZES[size]), str(ROOT / "benchmarks" / "synthetic.py"),
                          limit=3600)
            if isinstance(built, str):
                print(f"{size} proposals: the store could not be built ({built})")
                continue
            print(f"{size:,} proposals, {SIZES[size]['members']} members, {SIZES[size]['slots']} slots, "
                  f"{built['scores']:,} scores: stored in {time.perf_counter() - t:.0f} s (not counted)", flush=True)
            results = {name: measure(tree, db, size, args.limit) for name, tree in trees}
        for figure in dict.fromkeys(k for r in results.values() for k in r):
            target = TARGETS.get((size, figure))
            now = results["now"].get(figure)
            wall = now[0] if isinstance(now, list) else now
            ok = "" if target is None or not isinstance(wall, float) else ("OK" if wall < target else "OVER")
            rows.append([f"{size:,}", figure, *(shown(results[n].get(figure)) for n, _ in trees),
                         seconds(target) if target else "", ok])
    head = ["size", "figure", *(n for n, _ in trees), "target", ""]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())


if __name__ == "__main__":
    main()
