"""SVD recommender: scikit-surprise's biased matrix factorisation, adapted to implicit listening.

Surprise fits explicit ratings; listening counts are implicit (no "disliked" signal). So:

- ratings: each user's log counts are min-max scaled to [pos_low, rating_high] (a user's most
  played artist gets ``rating_high``); a user whose artists all have the same count gets the middle
  of that range;
- negatives: ``neg_ratio`` unobserved artists per positive, drawn with probability ∝
  listeners^``neg_alpha`` (popularity-aware, so "popular but not for this user" is learned), get
  ``neg_rating``.

After ``surprise.SVD`` is fitted only the numbers are kept: item factors qi (n_items × k), item
biases bi, the global mean and the inner-id → column map. No Surprise object is stored.

Scoring folds every profile in (existing users too, so no user id is needed): the user vector
x = [pu, bu] solves the regularised least squares that SGD approximates, with the sampled
negatives replaced by their expectation (closed form, deterministic):

    A = Σ_pos z_i z_iᵀ + c · Σ_j π_j z_j z_jᵀ + λ I,   z_j = [q_j, 1]
    b = Σ_pos z_i (r_i − μ − b_i) + c · Σ_j π_j z_j (neg_rating − μ − b_j)
    c = neg_ratio · n_pos,  λ = fold_reg · (n_pos + c),  x = A⁻¹ b

and score = μ + bi + pu·qi (bu is constant per user and does not change the ranking; it is
solved even for an unbiased fit so pu need not absorb the user's rating level).
The two Σ_j π_j terms are (k+1)² and (k+1) numbers computed once at fit time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd
import scipy.sparse as sp

from recommenders.errors import RecommenderInputError
from recommenders.interactions import Interactions
from recommenders.models.base import ArtistTags, ModelConfig, Recommender

# Rows of positives per chunk when stacking outer products: bounds memory to a few tens of MB.
_FOLD_CHUNK_NNZ = 4096
# Up to this many profiles, scores are computed without BLAS (see score_vectors).
_SMALL_BATCH = 8


@dataclass
class SVDConfig(ModelConfig):
    """Hyper-parameters (chosen on a validation split of seed 0, see benchmarks/tune_svd.py)."""

    n_factors: int = 64  # 128 gains ~0.006 validation NDCG but doubles the fit time
    n_epochs: int = 30
    lr_all: float = 0.02
    reg_all: float = 0.1
    biased: bool = False  # biases cost ~0.004 validation NDCG: the negatives carry popularity
    init_std_dev: float = 0.1
    neg_ratio: float = 5.0  # sampled unobserved artists per positive
    neg_alpha: float = 0.5  # negative sampling ∝ listeners ** neg_alpha (0 = uniform)
    neg_rating: float = 1.0  # rating given to sampled negatives
    pos_low: float = 3.0  # a user's least played artist gets this rating ...
    rating_high: float = 5.0  # ... and their most played artist this one
    fold_reg: float | None = None  # per-rating L2 of the fold-in; None = reg_all
    map_min_listeners: int = 5  # artists with fewer training listeners get NaN map coordinates
    seed: int = 0

    POSITIVE_INTS: ClassVar[tuple[str, ...]] = ("n_factors", "n_epochs")
    POSITIVE: ClassVar[tuple[str, ...]] = ("lr_all", "neg_ratio")
    NON_NEGATIVE: ClassVar[tuple[str, ...]] = ("reg_all", "fold_reg")

    def check(self) -> None:
        if not self.neg_rating < self.pos_low <= self.rating_high:
            raise RecommenderInputError(
                "ratings must satisfy neg_rating < pos_low ≤ rating_high, got "
                f"{self.neg_rating!r}, {self.pos_low!r}, {self.rating_high!r}."
            )

    @classmethod
    def fast(cls) -> SVDConfig:
        """Small settings for tests: fits the full data in a few seconds."""
        return cls(n_factors=16, n_epochs=10, neg_ratio=2.0)


def scaled_ratings(matrix: sp.csr_matrix, low: float, high: float) -> np.ndarray:
    """(nnz,) per-row min-max scaling of a CSR matrix's values to [low, high].

    Rows whose values are all equal (e.g. a new user's picked artists) get (low + high) / 2.
    """
    m = sp.csr_matrix(matrix)
    lengths = np.diff(m.indptr)
    rows = np.repeat(np.arange(m.shape[0]), lengths)
    nonempty = lengths > 0
    row_min = np.zeros(m.shape[0])
    row_max = np.zeros(m.shape[0])
    starts = m.indptr[:-1][nonempty]
    data = m.data.astype(np.float64)
    if len(starts):
        row_min[nonempty] = np.minimum.reduceat(data, starts)
        row_max[nonempty] = np.maximum.reduceat(data, starts)
    span = (row_max - row_min)[rows]
    frac = np.where(span > 0, (data - row_min[rows]) / np.where(span > 0, span, 1.0), 0.5)
    return low + (high - low) * frac


def sample_negatives(
    matrix: sp.csr_matrix, probs: np.ndarray, ratio: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, cols) of about ``ratio`` unobserved artists per positive of each row.

    probs: (n_artists,) sampling distribution. Draws that hit a positive or repeat are dropped,
    so a row may get slightly fewer than asked.
    """
    m = sp.csr_matrix(matrix)
    n_pos = np.diff(m.indptr)
    n_neg = np.round(ratio * n_pos).astype(np.int64)
    rows = np.repeat(np.arange(m.shape[0], dtype=np.int64), n_neg)
    cols = rng.choice(len(probs), size=len(rows), p=probs).astype(np.int64)
    n_cols = np.int64(m.shape[1])
    keys = rows * n_cols + cols
    pos_rows = np.repeat(np.arange(m.shape[0], dtype=np.int64), n_pos)
    pos_keys = pos_rows * n_cols + m.indices.astype(np.int64)
    keys = np.unique(keys[~np.isin(keys, pos_keys)])
    return keys // n_cols, keys % n_cols


class SVDModel(Recommender[SVDConfig]):
    name = "svd"
    Config = SVDConfig

    # -- training --------------------------------------------------------------------------------
    def fit(self, interactions: Interactions, artist_tags: ArtistTags = None) -> Self:
        from surprise import SVD, Dataset, Reader

        cfg = self.config
        self._remember_shape(interactions)
        rng = np.random.default_rng(cfg.seed)
        m = sp.csr_matrix(interactions.matrix, dtype=np.float32, copy=True)
        m.eliminate_zeros()
        m.sort_indices()
        listeners = interactions.listeners.astype(np.float64)
        self.listeners_ = listeners.astype(np.float32)
        probs = self._negative_probs(listeners)

        pos_rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
        pos_r = scaled_ratings(m, cfg.pos_low, cfg.rating_high)
        neg_rows, neg_cols = sample_negatives(m, probs, cfg.neg_ratio, rng)
        users = np.concatenate([pos_rows, neg_rows])
        items = np.concatenate([m.indices.astype(np.int64), neg_cols])
        ratings = np.concatenate([pos_r, np.full(len(neg_rows), cfg.neg_rating)])
        # Surprise's SGD visits users in first-seen order: shuffle so no order is baked in.
        order = rng.permutation(len(users))
        frame = pd.DataFrame({"user": users[order], "item": items[order], "r": ratings[order]})
        reader = Reader(rating_scale=(cfg.neg_rating, cfg.rating_high))
        trainset = Dataset.load_from_df(frame, reader).build_full_trainset()
        algo = SVD(
            n_factors=cfg.n_factors,
            n_epochs=cfg.n_epochs,
            biased=cfg.biased,
            init_std_dev=cfg.init_std_dev,
            lr_all=cfg.lr_all,
            reg_all=cfg.reg_all,
            random_state=int(rng.integers(2**31 - 1)),
        )
        algo.fit(trainset)

        n_inner = trainset.n_items
        self.item_columns_ = np.array(
            [trainset.to_raw_iid(i) for i in range(n_inner)], dtype=np.int64
        )
        self.qi_ = np.asarray(algo.qi, dtype=np.float32)
        self.bi_ = np.asarray(algo.bi if cfg.biased else np.zeros(n_inner), dtype=np.float32)
        self.global_mean_ = float(trainset.global_mean) if cfg.biased else 0.0
        # Learned user vectors, kept in memory only (never saved) to compare against fold-in.
        user_rows = np.array([trainset.to_raw_uid(u) for u in range(trainset.n_users)])
        self.train_pu_ = np.zeros((m.shape[0], cfg.n_factors), dtype=np.float32)
        self.train_pu_[user_rows] = algo.pu
        self.embedding_2d_ = self._map_coordinates()
        self._prepare()
        return self

    def _negative_probs(self, listeners: np.ndarray) -> np.ndarray:
        """(n_artists,) negative sampling distribution ∝ listeners ** neg_alpha, 0 if unheard."""
        weights = np.where(listeners > 0, np.maximum(listeners, 1.0) ** self.config.neg_alpha, 0)
        return weights / weights.sum()

    def _map_coordinates(self) -> np.ndarray:
        """(n_artists × 2) PCA of the qi of artists with ≥ map_min_listeners; others NaN."""
        coords = np.full((self.n_artists_, 2), np.nan, dtype=np.float32)
        keep = self.listeners_[self.item_columns_] >= self.config.map_min_listeners
        if keep.sum() < 3:
            return coords
        q = self.qi_[keep].astype(np.float64)
        q -= q.mean(axis=0)
        _, _, vt = np.linalg.svd(q, full_matrices=False)
        xy = q @ vt[:2].T
        # Fix the sign of each axis (SVD's is arbitrary) so maps are comparable across fits.
        xy *= np.where(np.abs(xy.max(axis=0)) >= np.abs(xy.min(axis=0)), 1.0, -1.0)
        coords[self.item_columns_[keep], : xy.shape[1]] = xy
        return coords

    def _prepare(self) -> None:
        """Dense per-column arrays and the fold-in's expected-negative terms, from saved numbers."""
        cfg = self.config
        k = self.qi_.shape[1]
        self.known_ = np.zeros(self.n_artists_, dtype=bool)
        self.known_[self.item_columns_] = True
        self.q_full_ = np.zeros((self.n_artists_, k), dtype=np.float32)
        self.q_full_[self.item_columns_] = self.qi_
        self.b_full_ = np.zeros(self.n_artists_, dtype=np.float32)
        self.b_full_[self.item_columns_] = self.bi_
        self.z_ = np.hstack([self.q_full_, np.ones((self.n_artists_, 1), np.float32)])
        probs = self._negative_probs(self.listeners_.astype(np.float64))
        z = self.z_.astype(np.float64)
        self.neg_gram_ = (z * probs[:, None]).T @ z  # (k+1 × k+1) Σ_j π_j z_j z_jᵀ
        target = cfg.neg_rating - self.global_mean_ - self.b_full_
        self.neg_rhs_ = z.T @ (probs * target)  # (k+1,) Σ_j π_j z_j (r_neg − μ − b_j)

    # -- scoring ---------------------------------------------------------------------------------
    def fold_in(self, profiles: sp.csr_matrix) -> np.ndarray:
        """(n × n_factors) user vectors pu solved from profiles (closed form, see module doc)."""
        cfg = self.config
        profiles = self._check_profiles(profiles).copy()  # copy: never edit the caller's arrays
        # Unheard artists carry no factors: drop them with explicit zeros.
        profiles.data[~self.known_[profiles.indices]] = 0.0
        profiles.eliminate_zeros()
        cols = profiles.indices
        n = profiles.shape[0]
        kk = self.z_.shape[1]
        n_pos = np.diff(profiles.indptr).astype(np.float64)
        ratings = scaled_ratings(profiles, cfg.pos_low, cfg.rating_high)
        z = self.z_[cols].astype(np.float64)
        target = ratings - self.global_mean_ - self.b_full_[cols]
        row_of = np.repeat(np.arange(n), np.diff(profiles.indptr))
        gram = np.zeros((n, kk, kk))
        for start in range(0, len(cols), _FOLD_CHUNK_NNZ):
            part = slice(start, start + _FOLD_CHUNK_NNZ)
            outer = z[part, :, None] * z[part, None, :]
            # CSR order: rows are sorted, so each row's positives are one contiguous run.
            rows, starts = np.unique(row_of[part], return_index=True)
            gram[rows] += np.add.reduceat(outer, starts, axis=0)
        rhs = np.zeros((n, kk))
        if len(cols):
            rows, starts = np.unique(row_of, return_index=True)
            rhs[rows] = np.add.reduceat(z * target[:, None], starts, axis=0)
        c = cfg.neg_ratio * n_pos
        reg = cfg.reg_all if cfg.fold_reg is None else cfg.fold_reg
        lam = reg * (n_pos + c) + 1e-6
        gram += c[:, None, None] * self.neg_gram_ + lam[:, None, None] * np.eye(kk)
        rhs += c[:, None] * self.neg_rhs_
        x = np.linalg.solve(gram, rhs[:, :, None])[:, :, 0]
        return x[:, :-1].astype(np.float32)

    def score(self, profiles: sp.csr_matrix) -> np.ndarray:
        """(n × n_artists) float32 μ + bi + pu·qi with pu folded in from each profile.

        Artists never heard in training score below every learned artist, by listeners (all 0),
        so they rank last.
        """
        pu = self.fold_in(profiles)
        return self.score_vectors(pu)

    def score_vectors(self, pu: np.ndarray) -> np.ndarray:
        """(n × n_artists) float32 scores of given user vectors pu (n × n_factors)."""
        if pu.shape[0] <= _SMALL_BATCH:
            # Few rows: a plain loop beats multithreaded BLAS, which stalls on a busy machine
            # (8 ms instead of 0.2 ms for one profile measured under load).
            product = np.einsum("nk,mk->nm", pu, self.q_full_)
        else:
            product = pu @ self.q_full_.T
        scores = product + (self.global_mean_ + self.b_full_)[None, :]
        if not self.known_.all():
            floor = scores[:, self.known_].min(axis=1, keepdims=True) - 1.0
            scores[:, ~self.known_] = floor
        return scores.astype(np.float32, copy=False)

    def similar(self, column: int) -> np.ndarray:
        """(n_artists,) cosine similarity of qi; −1 for unheard artists.

        An unheard query artist has no factors: fall back to scoring a one-artist profile.
        """
        self._check_fitted()
        if not 0 <= column < self.n_artists_:
            raise RecommenderInputError(
                f"column {column} is out of range: accepted are 0 to {self.n_artists_ - 1}."
            )
        if not self.known_[column]:
            return super().similar(column)
        q = self.q_full_
        norms = np.maximum(np.linalg.norm(q, axis=1), 1e-12)
        sims = (q @ q[column]) / (norms * norms[column])
        sims[~self.known_] = -1.0
        return sims.astype(np.float32)

    def embedding_2d(self) -> np.ndarray:
        """(n_artists × 2) float32 map coordinates (PCA of qi); NaN for rarely heard artists."""
        self._check_fitted()
        return self.embedding_2d_.copy()

    # -- persistence -----------------------------------------------------------------------------
    def _arrays(self) -> dict[str, np.ndarray]:
        return {
            "qi": self.qi_,
            "bi": self.bi_,
            "item_columns": self.item_columns_,
            "listeners": self.listeners_,
            "embedding_2d": self.embedding_2d_,
        }

    def _meta(self) -> dict[str, Any]:
        return {"global_mean": self.global_mean_}

    def _restore(self, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
        self.qi_ = arrays["qi"]
        self.bi_ = arrays["bi"]
        self.item_columns_ = arrays["item_columns"]
        self.listeners_ = arrays["listeners"]
        self.embedding_2d_ = arrays["embedding_2d"]
        self.global_mean_ = float(state["global_mean"])
        self._prepare()
