"""The cold-start protocol: every visitor of the app is a listener the models never saw.

Protocol: a share of the users (``HELD_OUT_USERS``) is held out of training; the models are fitted
on the others. Each held-out user gives ``GIVEN_SHARE`` of their artists (at least one), as a new
listener picking artists would; the rest are the relevant items. The given artists are ranked
*with play counts* (log1p(plays), what ``liked={name: plays}`` and an uploaded history do) and
*without* (every artist at the training data's typical weight, what a plain list does).

Everything a model or the served lists could see is counted on the training users only:
popularity (listeners) for the segments and the lift, and the typical weight. Segments: a held-out
user's typicality is the median training listener count of their given artists; niche = at or
below the 25th percentile over the held-out users, mainstream = at or above the 75th.

Model choices are made on a validation split carved from the training users the same way
(``validation_split``); the held-out users are only used to report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recommenders.evaluation import per_user_ranking_metrics
from recommenders.interactions import Interactions
from recommenders.taste import popularity_lift, training_listeners

HELD_OUT_USERS = 0.2
GIVEN_SHARE = 0.8
VALIDATION_SEED = 100


@dataclass(frozen=True)
class ColdStartSplit:
    """Training users, and the held-out users' given and relevant artists (one row each)."""

    train: Interactions
    user_ids: np.ndarray  # (n_held,) the held-out users, one per row of given/relevant
    given: sp.csr_matrix  # (n_held × n_artists) log1p(plays) of the given artists
    relevant: sp.csr_matrix  # (n_held × n_artists) 1 for each held-out artist
    seed: int

    def given_flat(self) -> sp.csr_matrix:
        """The given artists without play counts: each at the training typical weight."""
        flat = self.given.copy()
        flat.data[:] = self.train.typical_value
        return flat

    def given_profiles(self, with_counts: bool) -> sp.csr_matrix:
        return self.given if with_counts else self.given_flat()


def cold_start_split(
    interactions: Interactions,
    seed: int,
    held_out: float = HELD_OUT_USERS,
    given_share: float = GIVEN_SHARE,
    never: np.ndarray | None = None,
) -> ColdStartSplit:
    """Hold out ``held_out`` of the users (seeded), never one of the user ids in ``never``;
    users with fewer than 2 artists are trained on but never evaluated (they could give nothing
    and keep something back)."""
    rng = np.random.default_rng(seed)
    matrix = interactions.matrix.tocsr()
    n_users = interactions.n_users
    held = np.zeros(n_users, dtype=bool)
    eligible = np.arange(n_users)
    if never is not None:
        eligible = eligible[~np.isin(interactions.user_ids, never)]
    held[rng.choice(eligible, int(held_out * n_users), replace=False)] = True
    train = Interactions(matrix[~held], interactions.user_ids[~held], interactions.artist_ids)
    given_rows, relevant_rows, users = [], [], []
    for row in np.flatnonzero(held):
        columns = matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]
        values = matrix.data[matrix.indptr[row] : matrix.indptr[row + 1]]
        if len(columns) < 2:
            continue
        order = rng.permutation(len(columns))
        n_given = min(len(columns) - 1, max(1, round(given_share * len(columns))))
        given, kept_back = order[:n_given], order[n_given:]
        given_rows.append((columns[given], values[given]))
        relevant_rows.append((columns[kept_back], np.ones(len(kept_back))))
        users.append(interactions.user_ids[row])
    shape = (len(users), interactions.n_artists)
    return ColdStartSplit(
        train=train,
        user_ids=np.asarray(users, dtype=np.int64),
        given=_rows(given_rows, shape),
        relevant=_rows(relevant_rows, shape),
        seed=seed,
    )


def validation_split(
    split: ColdStartSplit, seed: int = VALIDATION_SEED, never: np.ndarray | None = None
) -> ColdStartSplit:
    """The same protocol inside the training users: what model choices are made on. ``never``:
    users that must not be validation users (e.g. every benchmark seed's held-out users, so
    that no setting is chosen on a user any seed reports on)."""
    return cold_start_split(split.train, seed=seed, never=never)


def test_users(interactions: Interactions, seeds: tuple[int, ...] = (0, 1, 2)) -> np.ndarray:
    """Every user some benchmark seed holds out: never a validation user."""
    return np.unique(np.concatenate([cold_start_split(interactions, s).user_ids for s in seeds]))


def _rows(rows: list[tuple[np.ndarray, np.ndarray]], shape: tuple[int, int]) -> sp.csr_matrix:
    indptr = np.cumsum([0, *(len(c) for c, _v in rows)])
    indices = np.concatenate([c for c, _v in rows]) if rows else np.zeros(0, np.int64)
    data = np.concatenate([v for _c, v in rows]) if rows else np.zeros(0)
    matrix = sp.csr_matrix((data.astype(np.float32), indices, indptr), shape=shape)
    matrix.sort_indices()
    return matrix


def segments(split: ColdStartSplit) -> np.ndarray:
    """(n_held,) "niche" / "middle" / "mainstream": quartiles of the held-out users'
    typicality (median training listeners of their given artists)."""
    listeners = training_listeners(split.train.matrix)
    given = split.given
    typicality = np.array(
        [
            np.median(listeners[given.indices[given.indptr[r] : given.indptr[r + 1]]])
            for r in range(given.shape[0])
        ]
    )
    low, high = np.quantile(typicality, [0.25, 0.75])
    labels = np.full(len(typicality), "middle", dtype=object)
    labels[typicality >= high] = "mainstream"
    labels[typicality <= low] = "niche"
    return labels


def per_user_metrics(top: np.ndarray, split: ColdStartSplit, k: int = 10) -> dict[str, np.ndarray]:
    """(n_held,) arrays: precision, recall, ndcg, map at k, and the popularity lift, for the
    held-out users' lists ``top`` (n_held × k columns, -1 padded), best first."""
    rows, metrics = per_user_ranking_metrics(top, split.relevant, k)
    if len(rows) != split.relevant.shape[0]:
        raise ValueError("every held-out user has at least one relevant artist")
    lift = popularity_lift(top[:, :k], split.relevant, training_listeners(split.train.matrix))
    return {**metrics, "popularity_lift": lift}
