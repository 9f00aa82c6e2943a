"""Eclectic picks: a listener whose artists belong to unrelated tastes gets a list for each.

Slayer + Norah Jones + Daft Punk scored as one profile gives what the three share, which is the
mainstream (Pink Floyd, The Beatles, Coldplay): a blend that fits none of them. Music services
answer with several mixes; here the liked artists are grouped into *interests* and each interest
gets its own list, interleaved into one (the largest interest first), each card remembering the
interest it came from so the page can say "Because you like Slayer".

Two liked artists belong to one interest when they are related: they share a top genre tag, or
more than ``RELATED_JACCARD`` of their listeners (Jaccard). Interests are the connected groups;
a group holding less than ``MIN_SHARE`` of the profile's weight (three outliers of a 40-artist
history) joins the largest one, and at most ``MAX_INTERESTS`` are kept.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from recommenders.ranking import PAD

RELATED_JACCARD = 0.02
TOP_TAGS = 5
MIN_SHARE = 0.2
MAX_INTERESTS = 3


class Interests:
    """Who listens to what and each artist's top tags: enough to group any liked artists."""

    def __init__(self, matrix: sp.spmatrix, tags: Sequence[Sequence[str]]) -> None:
        """matrix: users × artists (nonzero = listened); tags: per column, best tag first."""
        self.by_artist = sp.csr_matrix((sp.csc_matrix(matrix) > 0).T, dtype=np.float32)
        self.listeners = np.diff(self.by_artist.indptr)
        self.tags = [frozenset(str(t).casefold() for t in list(ts)[:TOP_TAGS]) for ts in tags]

    def groups(self, columns: np.ndarray, weights: np.ndarray) -> list[np.ndarray]:
        """The liked ``columns`` as interests (arrays of columns), largest weight first; one
        group when they are all related."""
        columns = np.asarray(columns, dtype=np.int64)
        weights = np.asarray(weights, dtype=np.float64)
        if len(columns) < 2:
            return [columns]
        label = _components(self._related(columns))
        total = weights.sum()
        order = sorted(set(label), key=lambda g: -weights[label == g].sum())
        main = order[0]
        kept = [main]
        for group in order[1:]:
            if weights[label == group].sum() >= MIN_SHARE * total and len(kept) < MAX_INTERESTS:
                kept.append(group)
        label = np.where(np.isin(label, kept), label, main)
        return [columns[label == group] for group in kept]

    def _related(self, columns: np.ndarray) -> np.ndarray:
        """(n × n) bool: pairs sharing a top tag or enough listeners."""
        users = self.by_artist[columns]
        shared = (users @ users.T).toarray()
        sizes = self.listeners[columns].astype(np.float64)
        union = sizes[:, None] + sizes[None, :] - shared
        jaccard = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
        tags = [self.tags[c] for c in columns]
        same_genre = np.array([[bool(a & b) for b in tags] for a in tags])
        return (jaccard > RELATED_JACCARD) | same_genre


def _components(related: np.ndarray) -> np.ndarray:
    """Connected-component label of each node of a symmetric adjacency matrix."""
    n = len(related)
    label = np.full(n, -1)
    for start in range(n):
        if label[start] >= 0:
            continue
        stack = [start]
        label[start] = start
        while stack:
            node = stack.pop()
            for other in np.flatnonzero(related[node] & (label < 0)):
                label[other] = start
                stack.append(int(other))
    return label


def interleave(lists: Sequence[np.ndarray], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Turns over ranked column lists (the first list first): each turn takes the list's best
    column not taken yet. Returns the columns (up to k) and, for each, the index of its list."""
    columns: list[int] = []
    origin: list[int] = []
    seen: set[int] = set()
    position = [0] * len(lists)
    while len(columns) < k:
        took = False
        for index, ranked in enumerate(lists):
            while position[index] < len(ranked) and (
                ranked[position[index]] == PAD or int(ranked[position[index]]) in seen
            ):
                position[index] += 1
            if position[index] == len(ranked) or len(columns) == k:
                continue
            column = int(ranked[position[index]])
            seen.add(column)
            columns.append(column)
            origin.append(index)
            took = True
        if not took:
            break
    return np.asarray(columns, dtype=np.int64), np.asarray(origin, dtype=np.int64)


def split_profile(profile: sp.csr_matrix, groups: Sequence[np.ndarray]) -> sp.csr_matrix:
    """One row per interest: the profile's values on that interest's columns only."""
    profile = sp.csr_matrix(profile)
    rows = [np.isin(profile.indices, group) for group in groups]
    indptr = np.cumsum([0, *(int(r.sum()) for r in rows)])
    indices = np.concatenate([profile.indices[r] for r in rows])
    data = np.concatenate([profile.data[r] for r in rows])
    return sp.csr_matrix((data, indices, indptr), shape=(len(groups), profile.shape[1]))
