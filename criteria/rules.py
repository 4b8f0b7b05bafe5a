"""The contract's rules as numbers: a call's rules, and the steps of the ranking on numpy arrays.

:mod:`criteria.ranking` applies them to pandas tables; the ``rank`` command applies them to arrays read
straight from the store (:mod:`criteria.ranking_arrays`), so that it needs no pandas import. Both call the
same functions here, so they cannot order, total or pass a proposal differently.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

DECIMALS = 6
SHORTLIST_RANK = 3
NOT_RANKED_STATUSES = ("withdrawn", "ineligible")


@dataclass(frozen=True)
class CriterionRule:
    id: str
    weight: float
    priority: int
    threshold: float | None = None


@dataclass(frozen=True)
class Rules:
    """How a call turns criterion scores into a ranking."""

    criteria: tuple[CriterionRule, ...]
    scale_min: float = 0.0
    scale_max: float = 5.0
    min_reviews: int = 3
    overall_threshold: float | None = None

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.criteria]

    @property
    def by_priority(self) -> list[str]:
        return [c.id for c in sorted(self.criteria, key=lambda c: c.priority)]

    @property
    def weights(self) -> np.ndarray:
        return np.array([c.weight for c in self.criteria], dtype=float)

    def with_weights(self, weights: dict[str, float]) -> Rules:
        """The same rules under other weights (for what-if and robustness)."""
        return replace(
            self, criteria=tuple(replace(c, weight=float(weights.get(c.id, c.weight))) for c in self.criteria)
        )


def row_totals(matrix: np.ndarray, rules: Rules) -> np.ndarray:
    """Rule 4 for each row of a proposals x criteria matrix, each row summed on its own."""
    w = rules.weights
    normalised = (matrix - rules.scale_min) / (rules.scale_max - rules.scale_min)
    return 100.0 * (normalised * w).sum(axis=1) / w.sum()


def passing(matrix: np.ndarray, total: np.ndarray, rules: Rules) -> np.ndarray:
    """Rule 7 for each row: every criterion threshold met and, where set, the overall threshold."""
    ok = np.ones(len(matrix), dtype=bool)
    for j, c in enumerate(rules.criteria):
        if c.threshold is not None:
            ok &= matrix[:, j].round(DECIMALS) >= round(c.threshold, DECIMALS)
    if rules.overall_threshold is not None:
        ok &= total.round(DECIMALS) >= round(rules.overall_threshold, DECIMALS)
    return ok


def competition_ranks(starts: np.ndarray) -> np.ndarray:
    """Competition ranks (1, 2, 2, 4) of rows already in rule 6's order.

    ``starts`` is True where a row's keys differ from the row before it: a new
    rank begins there, and every row until the next start shares it.
    """
    position = np.arange(1, starts.shape[-1] + 1)
    return np.maximum.accumulate(np.where(starts, position, 0), axis=-1)


def order_of(ids: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Rule 6: row positions sorted by the rounded keys, highest first, then by proposal id."""
    return np.lexsort((ids, *(-keys[:, j] for j in reversed(range(keys.shape[1])))))


def ranks_and_ties(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Competition ranks and tie flags of rows already in rule 6's order, from their rounded keys."""
    starts = np.ones(len(keys), dtype=bool)
    starts[1:] = (keys[1:] != keys[:-1]).any(axis=1)
    group = np.cumsum(starts)
    return competition_ranks(starts), np.bincount(group)[group] > 1
