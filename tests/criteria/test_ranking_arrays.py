"""The ``rank --json`` command's ranking without pandas gives the pandas ranking's document, to the last bit.

Scores on a 0.1 grid are not exact in binary, so a mean summed naively differs from pandas' compensated sum in
the last bit for many cells: these calls would show any such difference.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from criteria.ranking_arrays import grouped_mean
from selection import bundle as bundle_mod
from selection import call_rows, queries
from selection.cli import cli

ROOT = Path(__file__).resolve().parents[2]
STATUSES = ["eligible"] * 6 + ["submitted", "withdrawn", "ineligible"]


def random_call(bundle_builder, seed: int):
    """A call with every case the rules name: conflicts, partial reviews, consensus, thresholds, ties, statuses."""
    rng = random.Random(seed)
    b = bundle_builder(criteria=[("a", 30, 2, 2.0), ("b", 25, 1), ("c", 45, 3, 1.5)], scale=(0, 5, 0.1),
                       min_reviews=3, overall_threshold=40 if seed % 2 else None, slots=("s1", "s2", "s3", "empty"),
                       reference=f"RANDOM-{seed}")
    members = [f"m{k}" for k in range(9)]
    for i in range(60):
        pid = f"p{i:02d}"
        b.proposal(pid, slots=rng.sample(["s1", "s2", "s3"], rng.choice([1, 1, 2])), status=rng.choice(STATUSES))
        if i % 13 == 4:  # the same scores as the proposal before: a tie
            for s in [s for s in b.data["scores"] if s["proposal"] == f"p{i - 1:02d}"]:
                b.data["scores"].append({**s, "proposal": pid})
            continue
        for m in rng.sample(members, rng.randint(1, 7)):
            scores = {c: rng.randint(0, 50) / 10 for c in "abc"}
            if rng.random() < 0.1:
                del scores["c"]  # a partial review
            b.review(m, pid, scores)
            if rng.random() < 0.08:
                b.conflict(m, pid)
        if rng.random() < 0.15:
            b.consensus(pid, {c: rng.randint(0, 50) / 10 for c in rng.sample("abc", rng.randint(1, 3))})
    return b


def pandas_document(db, reference: str) -> dict:
    return queries.ranking_inputs(db, reference).rank().to_contract(reference)


@pytest.mark.parametrize("seed", range(6))
def test_the_command_ranks_a_random_call_as_the_pandas_ranking_does(db, bundle_builder, seed, monkeypatch):
    monkeypatch.setattr(call_rows, "BATCH", 7 + seed * 100)  # the scores come in several batches
    b = random_call(bundle_builder, seed)
    bundle_mod.store(db, b.bundle(), actor="test")
    reference = b.data["call"]["reference"]
    expected = pandas_document(db, reference)
    assert any(s["ranking"] and s["unranked"] for s in expected["slots"])
    assert json.dumps(call_rows.rank_document(db, reference)) == json.dumps(expected)


def test_the_demo_call_and_a_call_without_scores_rank_as_the_pandas_ranking_does(db, bundle_builder):
    from selection.demo import demo_bundle

    bundle_mod.store(db, bundle_mod.from_dict(demo_bundle()), actor="test")
    unscored = bundle_builder(reference="NO-SCORES").proposal("p1").proposal("p2", status="withdrawn")
    bundle_mod.store(db, unscored.bundle(), actor="test")
    for reference in queries.call_references(db):
        assert json.dumps(call_rows.rank_document(db, reference)) == json.dumps(pandas_document(db, reference))
    assert call_rows.rank_document(db, "NO-SCORES")["slots"][0]["unranked"] == [
        {"proposal": "p1", "reason": "insufficient_reviews"}, {"proposal": "p2", "reason": "withdrawn"}]


def test_the_example_ranks_the_same_from_the_command(db_path, example_bundle, monkeypatch):
    from selection import store

    bundle_mod.store(store.connect(db_path), example_bundle, actor="test")
    monkeypatch.setenv("SELECTION_DB", str(db_path))
    shown = CliRunner().invoke(cli, ["rank", "--json"], catch_exceptions=False)
    assert shown.exit_code == 0
    assert json.loads(shown.output) == pandas_document(store.connect(db_path), example_bundle.call.reference)


def test_means_are_summed_as_pandas_sums_them():
    rng = np.random.default_rng(3)
    cell = rng.integers(0, 500, 40_000)
    values = rng.integers(0, 51, 40_000) / 10
    mean, count = grouped_mean(cell, values, 501)
    by_pandas = pd.Series(values).groupby(cell).mean().reindex(range(501)).to_numpy()
    naive = np.bincount(cell, values, 501) / np.maximum(np.bincount(cell, minlength=501), 1)
    assert (naive[:500] != by_pandas[:500]).any()  # the data tells the two sums apart
    assert np.array_equal(mean, by_pandas, equal_nan=True)
    assert count[500] == 0 and np.isnan(mean[500])


def test_rank_json_does_not_import_pandas(db_path, example_bundle):
    from selection import store

    bundle_mod.store(store.connect(db_path), example_bundle, actor="test")
    probe = ("import runpy, sys; sys.argv = ['selection', 'rank', '--json', '--db', sys.argv[1]]\n"
             "try:\n    runpy.run_module('selection', run_name='__main__')\n"
             "except SystemExit:\n    pass\nprint('pandas' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe, str(db_path)], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    assert json.loads(done.stdout)["call"] == example_bundle.call.reference
    assert done.stderr.strip().splitlines()[-1] == "False"
