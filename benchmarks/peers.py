"""Peer models for the benchmark, behind the same fit/score protocol as ours."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from recommenders.interactions import Interactions
from recommenders.models.item_item import ease_weights


class EASE:
    """EASE (Steck 2019): closed-form item-item model, B = I - P / diag(P), P = (XᵀX + λI)⁻¹.

    X is the binary user × artist matrix. Only artists with at least ``min_listeners`` training
    listeners get a row/column (default 1: every artist seen in training); the others score 0,
    which is all EASE could give an unseen artist anyway. A higher ``min_listeners`` makes the
    O(n³) inverse affordable for a λ search (``benchmarks.tuning.choose_ease_l2``).
    """

    name = "ease"

    def __init__(self, l2: float = 200.0, min_listeners: int = 1) -> None:
        self.l2 = l2
        self.min_listeners = min_listeners

    def fit(self, interactions: Interactions) -> EASE:
        x = (interactions.matrix > 0).astype(np.float64).tocsc()
        self.items_ = np.flatnonzero(np.diff(x.indptr) >= max(self.min_listeners, 1))
        self.b_ = ease_weights(x[:, self.items_], self.l2)
        self.n_artists_ = interactions.n_artists
        return self

    def score(self, profiles: sp.csr_matrix) -> np.ndarray:
        x = (sp.csr_matrix(profiles) > 0).astype(np.float32)[:, self.items_]
        out = np.zeros((x.shape[0], self.n_artists_), dtype=np.float32)
        out[:, self.items_] = x @ self.b_
        return out


class ImplicitALS:
    """implicit's AlternatingLeastSquares on the log-count matrix (its documented usage)."""

    name = "implicit_als"

    def __init__(
        self,
        factors: int = 128,
        regularization: float = 0.01,
        iterations: int = 15,
        alpha: float = 1.0,
        seed: int = 0,
    ) -> None:
        self.params = dict(
            factors=factors,
            regularization=regularization,
            iterations=iterations,
            alpha=alpha,
            random_state=seed,
        )

    def fit(self, interactions: Interactions) -> ImplicitALS:
        from implicit.cpu.als import AlternatingLeastSquares
        from threadpoolctl import threadpool_limits

        self.model_ = AlternatingLeastSquares(**self.params)
        # implicit runs its own threads: a threaded BLAS inside them is slower and OpenBLAS warns
        # on every call ("Detect OpenMP Loop"), as implicit's documentation says
        with threadpool_limits(1, "blas"):
            self.model_.fit(sp.csr_matrix(interactions.matrix), show_progress=False)
        return self

    def score(self, profiles: sp.csr_matrix) -> np.ndarray:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1, "blas"):  # as in fit: implicit's threads, a single-thread BLAS
            users = self.model_.recalculate_user(
                np.arange(profiles.shape[0]), sp.csr_matrix(profiles)
            )
        return np.asarray(users @ self.model_.item_factors.T, dtype=np.float32)


class RP3beta:
    """RP3beta (Paudel et al. 2017): a random walk item → user → item, W = Pᵢᵤ^α Pᵤᵢ^α, each
    column divided by its item's popularity^β; the ``top_k`` strongest neighbours per item kept.
    Scores a profile by its binary artists times W."""

    name = "rp3beta"

    def __init__(self, alpha: float = 1.0, beta: float = 0.3, top_k: int = 200) -> None:
        self.alpha, self.beta, self.top_k = alpha, beta, top_k

    def fit(self, interactions: Interactions) -> RP3beta:
        x = (interactions.matrix > 0).astype(np.float64).tocsr()
        users_of = np.asarray(x.sum(axis=1)).ravel()
        degree = np.asarray(x.sum(axis=0)).ravel()
        self.items_ = np.flatnonzero(degree > 0)
        seen = x[:, self.items_]
        user_to_item = sp.diags(1 / np.maximum(users_of, 1)) @ seen
        item_to_user = sp.diags(1 / degree[self.items_]) @ sp.csr_matrix(seen.T)
        walk = (item_to_user.power(self.alpha) @ user_to_item.power(self.alpha)).toarray()
        walk /= np.power(degree[self.items_], self.beta)[None, :]
        np.fill_diagonal(walk, 0.0)
        if self.top_k and self.top_k < walk.shape[1]:
            kth = np.partition(walk, -self.top_k, axis=1)[:, -self.top_k][:, None]
            walk[walk < kth] = 0.0
        self.w_ = sp.csr_matrix(walk.astype(np.float32))
        self.n_artists_ = interactions.n_artists
        return self

    def score(self, profiles: sp.csr_matrix) -> np.ndarray:
        x = (sp.csr_matrix(profiles) > 0).astype(np.float32)[:, self.items_]
        out = np.zeros((x.shape[0], self.n_artists_), dtype=np.float32)
        out[:, self.items_] = (x @ self.w_).toarray()
        return out


PEER_LABELS = {
    "ease": "EASE (peer)",
    "rp3beta": "RP3beta (peer)",
    "implicit_als": "implicit ALS (peer)",
}


def make_peer(name: str, params: dict, seed: int = 0):
    """An unfitted peer with the given settings (the tuned ones, see benchmarks.tuning)."""
    if name == "ease":
        return EASE(**params)
    if name == "rp3beta":
        return RP3beta(**params)
    if name == "implicit_als":
        return ImplicitALS(seed=seed, **params)
    raise ValueError(f"unknown peer {name!r}")
