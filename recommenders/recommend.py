"""Turning one profile's scores into a top-k list: the same for every model."""

from __future__ import annotations

import numpy as np

from recommenders.errors import RecommenderInputError

MAX_K = 100


def check_k(k: object) -> int:
    """k as an int in 1..MAX_K, else a clear input error."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer, float, str)):
        raise RecommenderInputError(f"k must be a whole number from 1 to {MAX_K}, got {k!r}.")
    try:
        value = float(k)
    except ValueError:
        raise RecommenderInputError(
            f"k must be a whole number from 1 to {MAX_K}, got {k!r}."
        ) from None
    if not value.is_integer() or not 1 <= value <= MAX_K:
        raise RecommenderInputError(f"k must be a whole number from 1 to {MAX_K}, got {k!r}.")
    return int(value)


def check_penalty(penalty: object) -> float:
    """The popularity penalty as a float in [0, 1]."""
    try:
        value = float(penalty)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise RecommenderInputError(
            f"popularity_penalty must be a number from 0 (none) to 1 (strong), got {penalty!r}."
        )
    return value


def standardise(values: np.ndarray) -> np.ndarray:
    """(x - mean) / std over the finite entries; constant input gives zeros."""
    finite = np.isfinite(values)
    mean = values[finite].mean() if finite.any() else 0.0
    std = values[finite].std() if finite.any() else 0.0
    return (values - mean) / std if std > 0 else np.where(finite, 0.0, values)


def top_columns(
    scores: np.ndarray,
    k: int,
    exclude: np.ndarray | None = None,
    allowed: np.ndarray | None = None,
    popularity_z: np.ndarray | None = None,
    penalty: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """The k best columns (best first) and their final scores.

    scores: (n_artists,). exclude: columns never returned (known or disliked). allowed: if given,
    only these columns are candidates (the tag/genre filter, applied before taking k, so the list
    is only short when fewer than k artists pass). popularity_z: (n_artists,) standardised log
    listeners; with ``penalty`` > 0 the final score is z(score) - penalty · popularity_z.
    """
    final = np.asarray(scores, dtype=np.float64)
    if penalty > 0 and popularity_z is not None:
        final = standardise(final) - penalty * popularity_z
    mask = np.zeros(len(final), dtype=bool) if allowed is not None else np.ones(len(final), bool)
    if allowed is not None:
        mask[allowed] = True
    if exclude is not None and len(exclude):
        mask[exclude] = False
    mask &= np.isfinite(final)
    candidates = np.flatnonzero(mask)
    if len(candidates) > k:
        part = np.argpartition(-final[candidates], k - 1)[:k]
        candidates = candidates[part]
    order = np.lexsort((candidates, -final[candidates]))
    best = candidates[order]
    return best, final[best]
