"""Turning one profile's scores into a top-k list: the same for every model."""

from __future__ import annotations

import numpy as np

from recommenders.ranking import PAD, top_k


def top_columns(
    scores: np.ndarray,
    k: int,
    exclude: np.ndarray | None = None,
    allowed: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The k best columns (best first) and their final scores.

    scores: (n_artists,). exclude: columns never returned (known or disliked). allowed: if given,
    only these columns are candidates (the tag/genre filter, applied before taking k, so the list
    is only short when fewer than k artists pass; the popularity control is such a filter).
    Ranking (ties → lower column first) is ``recommenders.ranking.top_k``, as in evaluation.
    """
    final = np.asarray(scores, dtype=np.float64)
    best = top_k(final[None, :], k, exclude=exclude, allowed=allowed)[0]
    best = best[best != PAD]
    return best, final[best]
