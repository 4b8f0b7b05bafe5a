"""A call's computed view (ranking inputs, criterion scores, ranking, labels, panel analysis), and what pages read
of a call on every rerun (:func:`kept`), kept while the call is unchanged, so that a page's rerun or a what-if move
does not read and compute it all again.

Freshness is decided here, not in the pages. Every write to a call leaves an audit event naming the call in the
same transaction (:mod:`selection.audit`; the services, the bundle load and the demo all do), so the call's last
audit event is a change counter the store already bumps. A view is kept under (database file, call reference,
last event's id and time): the time tells a restored older copy of the file apart from the file it replaced. Asking
for a view costs one indexed query when nothing changed. Nothing is kept for an in-memory database, nor while a
transaction is open (its writes are not committed and have no event yet).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import sqlite_utils

from criteria import ranking as rk
from selection import analysis, queries
from selection.store import database_file

KEPT = 4  # calls whose views are held at once (one per call and database in use); the largest call's view is ~100 MB
_views: OrderedDict[tuple, dict[str, Any]] = OrderedDict()  # (file, call, change counter) -> name -> what was read
_lock = threading.Lock()
_computing: dict[tuple, threading.Lock] = {}


@dataclass
class CallView:
    """Everything the meeting, decision and Bureau pages show of a call's ranking, computed once."""

    inputs: queries.RankingInputs
    scores: rk.CriterionScores
    ranking: rk.Ranking
    slots: list[queries.SlotView]  # the ranking labelled for people, one per slot
    labels: dict[str, str]  # proposal -> its entity's name (and acronym)
    members: dict[str, str]  # reviewer -> name
    criteria: dict[str, str] = field(default_factory=dict)  # criterion id -> name, in the call's order
    _kept: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def keep(self, name: str, build: Callable[[], Any]) -> Any:
        """What is built from this view (the analysis, a face's table), built once while the view is fresh."""
        with self._lock:
            if name not in self._kept:
                self._kept[name] = build()
            return self._kept[name]

    def analysis(self) -> dict:
        """The panel analysis of :func:`selection.analysis.analyse`, computed on first use."""
        return self.keep("analysis", lambda: analysis.analyse(self.inputs, scores=self.scores, ranking=self.ranking))

    def score_counts(self) -> pd.DataFrame:
        """How many valid scores each criterion received at each point of the scale: criterion, score, scores."""
        counts = self.scores.valid.groupby(["criterion", "score"]).size().rename("scores").reset_index()
        return counts.assign(criterion=counts["criterion"].map(lambda c: self.criteria.get(c, c)))  # names people read

    def what_if(self, weights: dict[str, float]) -> rk.Ranking:
        """The call re-ranked under other weights, from the criterion scores already computed.

        The last weights asked for are kept with their ranking: a rerun with the sliders where they were (any
        other widget on the page) does not re-rank."""
        asked = tuple(sorted(weights.items()))
        with self._lock:
            last = self._kept.get("what-if")
            if last is None or last[0] != asked:
                last = self._kept["what-if"] = (asked, rk.what_if(self.ranking, self.inputs.rules, weights))
            return last[1]


def change_counter(db: sqlite_utils.Database, reference: str) -> tuple | None:
    """The call's last audit event (id, time): it changes with every write to the call."""
    return db.execute("SELECT id, at FROM audit WHERE call_reference = ? ORDER BY id DESC LIMIT 1",
                      [reference]).fetchone()


def compute(db: sqlite_utils.Database, reference: str) -> CallView:
    """The view read and computed afresh."""
    inputs = queries.ranking_inputs(db, reference)
    call = queries.resolve_call(db, reference)
    scores = inputs.criterion_scores()
    ranking = rk.rank(proposals=inputs.proposals, applications=inputs.applications, slots=inputs.slots,
                      scores=scores, rules=inputs.rules)
    labels = {p: f"{e['name']} ({e['acronym']})" if e.get("acronym") else e["name"]
              for p, e in queries.proposal_entities(db, call["id"]).items()}
    members = dict(db.execute("SELECT id, name FROM reviewers WHERE call_id = ?", [call["id"]]).fetchall())
    criteria = dict(db.execute("SELECT id, name FROM criteria WHERE call_id = ? ORDER BY position",
                               [call["id"]]).fetchall())
    return CallView(inputs=inputs, scores=scores, ranking=ranking, slots=queries.ranking_view(db, reference, ranking),
                    labels=labels, members=members, criteria=criteria)


def for_call(db: sqlite_utils.Database, reference: str) -> CallView:
    """The call's view, computed only when the call changed since it was last asked for."""
    return kept(db, reference, "view", lambda: compute(db, reference))


def kept(db: sqlite_utils.Database, reference: str, name: str, build: Callable[[], Any]) -> Any:
    """``build()``'s answer about the call, read again only when the call changed since it was last asked for.

    For reads that pages repeat on every rerun (the view, the reviews a correction can pick). The answer is
    shared by every session: callers never change it.
    """
    path = database_file(db)
    if path is None or db.conn.in_transaction:
        return build()
    state = (str(path.resolve()), reference, change_counter(db, reference))
    key = (*state, name)
    with _lock:
        kept_for = _views.get(state)
        if kept_for is not None and name in kept_for:
            _views.move_to_end(state)
            return kept_for[name]
        computing = _computing.setdefault(key, threading.Lock())
    with computing:  # two sessions opening the same call compute it once
        with _lock:
            found = _views.get(state, {})
        if name in found:
            value = found[name]
        else:
            value = build()
            with _lock:
                for old in [k for k in _views if k[:2] == state[:2] and k != state]:
                    del _views[old]  # an older state of the same call is never asked for again
                _views.setdefault(state, {})[name] = value
                _views.move_to_end(state)
                while len(_views) > KEPT:
                    _views.popitem(last=False)
        with _lock:
            _computing.pop(key, None)
    return value
