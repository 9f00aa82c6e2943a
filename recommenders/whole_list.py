"""A request's whole ranked list (k unlimited), to say where any artist stands in it.

The order is ``Bundle.recommend``'s: per score row, ``recommenders.ranking.top_k``'s rule (only
finite scores of artists neither liked, hidden nor excluded, and allowed by the filters; higher
score first, ties by the lower column), and for liked artists of unrelated tastes the rows' lists
interleaved (``recommenders.interests.interleave``). ``recommend`` with k = n returns its first
n entries: interleaving takes turns over the lists, so a longer run only adds entries at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recommenders.interests import interleave
from recommenders.query import RecQuery


@dataclass(frozen=True)
class Scored:
    """One request as the Bundle scores it: the profile, its interests, one score row each."""

    model: str
    query: RecQuery
    profile: sp.csr_matrix  # 1 × n_artists
    groups: list[np.ndarray]  # liked columns per interest (one group: one list)
    scores: np.ndarray  # len(groups) × n_artists
    excluded: np.ndarray  # columns the request excludes


class WholeList:
    """Positions in the whole list of a scored request (``allowed``: the filters' columns,
    None = every column)."""

    def __init__(self, scored: Scored, hidden: np.ndarray, allowed: np.ndarray | None) -> None:
        self.scores = np.asarray(scored.scores, dtype=np.float64)
        n = self.scores.shape[1]
        known = np.zeros(n, dtype=bool)
        for columns in (scored.profile.indices, hidden, scored.excluded):
            known[np.asarray(columns, dtype=np.int64)] = True
        passes = np.ones(n, dtype=bool)
        if allowed is not None:
            passes[:] = False
            passes[np.asarray(allowed, dtype=np.int64)] = True
        self.candidate = np.isfinite(self.scores) & ~known & passes  # per score row
        self.k, self.groups = scored.query.k, scored.groups
        self._order = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))

    @property
    def candidates(self) -> int:
        """How many artists the whole list holds."""
        return int(self.candidate.any(axis=0).sum())

    def interest(self, row: int) -> np.ndarray:
        """The liked columns behind one score row."""
        return np.asarray(self.groups[row], dtype=np.int64)

    def score(self, column: int, row: int = 0) -> float:
        return float(self.scores[row, column])

    def row_rank(self, row: int, column: int) -> int | None:
        """1-based place of ``column`` in one score row's list (None: no candidate there)."""
        if not self.candidate[row, column]:
            return None
        scores, mine = self.scores[row], self.scores[row, column]
        ahead = (scores > mine) | ((scores == mine) & (np.arange(len(scores)) < column))
        return int((self.candidate[row] & ahead).sum()) + 1

    def position(self, column: int) -> int | None:
        """1-based place of ``column`` in the whole list; None when it is no candidate."""
        ranks = [r for row in range(len(self.scores)) if (r := self.row_rank(row, column))]
        if not ranks:
            return None
        if len(self.scores) == 1:
            return ranks[0]
        # Each turn takes one artist of every list, so by turn r a list has reached its r-th.
        columns, _origin = self.order(len(self.scores) * min(ranks))
        return int(np.flatnonzero(columns == column)[0]) + 1

    def last_card(self, column: int) -> tuple[int, int]:
        """(column, score row) of the list's k-th card, or for several interests the last of
        the first k cards that come from the interest ``column`` comes from."""
        if len(self.scores) == 1:
            ranked = self.ranked(0)
            return int(ranked[min(self.k, len(ranked)) - 1]), 0
        position = self.position(column)
        columns, origin = self.order(max(self.k, position or 0))
        row = int(origin[position - 1]) if position else 0
        same = np.flatnonzero(origin[: self.k] == row)
        last = int(same[-1]) if len(same) else min(self.k, len(columns)) - 1
        return int(columns[last]), row

    def ranked(self, row: int) -> np.ndarray:
        """One score row's candidates, best first (ties: lower column first)."""
        columns = np.flatnonzero(self.candidate[row])
        return columns[np.lexsort((columns, -self.scores[row, columns]))]

    def order(self, length: int) -> tuple[np.ndarray, np.ndarray]:
        """The first ``length`` entries (at least) of the interleaved lists: (columns, the
        score row each came from)."""
        if len(self._order[0]) < min(length, self.candidates):
            lists = [self.ranked(row) for row in range(len(self.scores))]
            self._order = interleave(lists, min(length, self.candidates))
        return self._order
