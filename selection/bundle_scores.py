"""A bundle's scores held as columns, and the contract's checks on them done a column at a time.

Two million scores as pydantic objects or dicts take gigabytes; as columns of shared strings and
one array of numbers they take a hundred megabytes or so. The checks (references, the scale, one
score per reviewer, proposal and criterion) give the same messages as the per-score rules did.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from operator import itemgetter, methodcaller

from selection.i18n import _
from selection.models import Scale, Score, fmt

_REVIEWER, _PROPOSAL, _CRITERION, _SCORE = (itemgetter(k) for k in ("reviewer", "proposal", "criterion", "score"))
_JUSTIFICATION = methodcaller("get", "justification")
SHARED_TEXTS = 100_000  # identical justifications are kept once, up to this many distinct ones


class ScoreColumns:
    """Validated scores, in the bundle's order: reviewer, proposal, criterion, score, justification."""

    def __init__(self) -> None:
        self.reviewer: list[str] = []
        self.proposal: list[str] = []
        self.criterion: list[str] = []
        self.score = array("d")
        self.justification: list[str | None] = []
        self.distinct: dict[str, dict[str, str]] = {"reviewer": {}, "proposal": {}, "criterion": {}}
        self._texts: dict[str | None, str | None] | None = {}

    @classmethod
    def of(cls, scores: list[Score]) -> ScoreColumns:
        columns = cls()
        columns.extend([s.model_dump() for s in scores])
        return columns

    def __len__(self) -> int:
        return len(self.score)

    def extend(self, rows: list[dict]) -> None:
        """Append validated score dicts; the same id is kept as one string however often it recurs."""
        for name, get, column in (("reviewer", _REVIEWER, self.reviewer), ("proposal", _PROPOSAL, self.proposal),
                                  ("criterion", _CRITERION, self.criterion)):
            values = list(map(get, rows))
            column.extend(map(self.distinct[name].setdefault, values, values))
        self.score.extend(map(_SCORE, rows))
        texts = list(map(_JUSTIFICATION, rows))
        if self._texts is not None:
            texts = list(map(self._texts.setdefault, texts, texts))
            if len(self._texts) > SHARED_TEXTS:
                self._texts = None
        self.justification.extend(texts)

    def rows(self) -> Iterator[tuple]:
        """(reviewer, proposal, criterion, score, justification) per score."""
        return zip(self.reviewer, self.proposal, self.criterion, self.score, self.justification)

    def dicts(self) -> list[dict]:
        """The scores as the bundle's dicts (justification only where there is one)."""
        keys = ("reviewer", "proposal", "criterion", "score")
        return [dict(zip(keys, r[:4]), **({"justification": r[4]} if r[4] is not None else {})) for r in self.rows()]

    def problems(self, known: dict[str, set[str]], scale: Scale) -> list[str]:
        """References to ids the bundle does not hold, scores off the scale, and a second score from one
        reviewer for the same proposal and criterion; in the order of the scores."""
        import numpy as np

        found: list[tuple[int, int, str]] = []
        for order, (name, column) in enumerate((("reviewer", self.reviewer), ("proposal", self.proposal),
                                                 ("criterion", self.criterion))):
            unknown = {v for v in self.distinct[name] if v not in known[name]}
            if unknown:
                found += [(i, order, f"scores[{i}].{name}: {v!r} is not the id of any {name} in the bundle")
                          for i, v in enumerate(column) if v in unknown]
        values = np.frombuffer(self.score, dtype=float) if len(self) else np.zeros(0)
        units = (values - scale.min) / scale.step
        off = (values > scale.max) | (values < scale.min) | ~(np.abs(units - np.round(units)) < 1e-9)
        for i in np.flatnonzero(off).tolist():
            found += [(i, 3, p) for p in score_problems(float(values[i]), scale, f"scores[{i}].score")]
        found += [(i, 4, f"scores[{i}] (same reviewer, proposal and criterion): duplicate of scores[{j}]")
                  for i, j in self._repeated()]
        return [message for _, _, message in sorted(found)]

    def _repeated(self) -> list[tuple[int, int]]:
        """(row, first row) for every score whose reviewer, proposal and criterion an earlier one has."""
        import numpy as np

        n = len(self)
        key = np.zeros(n, dtype=np.int64)
        for name, column in (("reviewer", self.reviewer), ("proposal", self.proposal), ("criterion", self.criterion)):
            code = {v: i for i, v in enumerate(self.distinct[name])}
            if len(code) and key.size and (int(key.max()) + 1) * len(code) >= 2**62:
                return self._repeated_by_set()
            key = key * len(code) + np.fromiter(map(code.__getitem__, column), dtype=np.int64, count=n)
        at = np.argsort(key, kind="stable")
        same = key[at][1:] == key[at][:-1]
        if not same.any():
            return []
        starts = np.concatenate(([True], ~same))
        first = at[np.maximum.accumulate(np.where(starts, np.arange(n), 0))]
        return sorted(zip(at[1:][same].tolist(), first[1:][same].tolist()))

    def _repeated_by_set(self) -> list[tuple[int, int]]:
        seen: dict[tuple, int] = {}
        out = []
        for i, key in enumerate(zip(self.reviewer, self.proposal, self.criterion)):
            j = seen.setdefault(key, i)
            if j != i:
                out.append((i, j))
        return out


def score_problems(value: float, scale: Scale, path: str) -> list[str]:
    """Why a score does not fit the call's scale (empty when it fits)."""
    if value > scale.max:
        problem = _("{value} is above the scale maximum {max}", value=fmt(value), max=fmt(scale.max))
    elif value < scale.min:
        problem = _("{value} is below the scale minimum {min}", value=fmt(value), min=fmt(scale.min))
    elif not scale.allows(value):
        problem = _("{value} is not on the scale's step of {step} from {min}", value=fmt(value), step=fmt(scale.step),
                    min=fmt(scale.min))
    else:
        return []
    return [f"{path}: {problem}"]
