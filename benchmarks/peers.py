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

        self.model_ = AlternatingLeastSquares(**self.params)
        self.model_.fit(sp.csr_matrix(interactions.matrix), show_progress=False)
        return self

    def score(self, profiles: sp.csr_matrix) -> np.ndarray:
        users = self.model_.recalculate_user(np.arange(profiles.shape[0]), sp.csr_matrix(profiles))
        return np.asarray(users @ self.model_.item_factors.T, dtype=np.float32)
