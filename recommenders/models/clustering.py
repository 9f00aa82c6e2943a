"""Clustering recommender: users grouped by taste with k-means, artists scored by their clusters.

The university notebooks' idea (cluster users, recommend what their cluster listens to), done so
that it ranks well and serves new users through the same path:

    x̂ = (x ⊙ idf) / ‖x ⊙ idf‖           log1p counts × log(n_users / listeners), L2-normalised
    z = normalise(x̂ Vᵀ)                  (n × d) TruncatedSVD reduction, V: (d × n_artists)
    labels = KMeans(k).fit(z_train)       spherical-ish k-means on the unit rows
    S[c, a] = share of cluster c's members who listen to artist a      (k × n_artists)
    sim = z μᵀ / ‖μ‖                     (n × k) cosine similarity to every centroid μ
    w = softmax(sim / τ) over the m most similar clusters (0 elsewhere)  soft assignment
    score = (w S) ⊙ p^(−β)                (n × n_artists), p: share of all users listening

The idf weight stops the few artists everyone plays from dominating the user representation;
the mild popularity discount β likewise lets cluster-specific artists rise above global hits.

A hard single cluster gives everyone in it the same list; mixing the few nearest clusters
(``n_nearest``) personalises it and scores much better (see benchmarks/tune_clustering.py).

k: at fit time inertia and silhouette are recorded for every k of ``k_grid`` on the reduced rows
(saved as ``k_grid``, ``k_inertia``, ``k_silhouette`` for the app's plot). ``n_clusters = 0``
uses the silhouette-best k; the default k = 128 was chosen by NDCG@10 on a validation split.
On the full data the silhouette-best k is 64 (silhouette ≤ 0.12 everywhere: the taste space has no
crisp clusters); using each split's silhouette-best k recommends worse (3-seed NDCG@10 0.220
vs 0.234 at k = 128).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np
import scipy.sparse as sp

from recommenders.errors import RecommenderInputError
from recommenders.interactions import Interactions
from recommenders.models.base import ArtistTags, ModelConfig, Recommender
from recommenders.storage import csr_from_arrays, csr_to_arrays

CLUSTER_SCORES = ("share", "mean_log")
DEFAULT_K_GRID = (2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192)


@dataclass
class ClusteringConfig(ModelConfig):
    """Hyper-parameters (chosen on a validation split of seed 0, see
    benchmarks/tune_clustering.py)."""

    n_components: int = 64  # TruncatedSVD dimensions of the user representation
    idf: bool = True  # weight artists by log(n_users / listeners) before normalising rows
    n_clusters: int = 128  # k used to recommend; 0 = the silhouette-best k of k_grid
    k_grid: tuple[int, ...] = DEFAULT_K_GRID  # k values of the recorded inertia/silhouette run
    n_init: int = 1  # k-means restarts (the best inertia is kept)
    n_nearest: int = 20  # clusters mixed for one profile (soft assignment)
    temperature: float = 0.2  # softmax temperature on cosine similarities; small = sharper
    cluster_score: str = "share"  # "share" of members listening, or "mean_log" normalised count
    popularity_discount: float = 0.2  # β: scores × (share of users listening)^(−β); 0 = off
    seed: int = 0

    POSITIVE_INTS: ClassVar[tuple[str, ...]] = ("n_components", "n_init", "n_nearest")
    POSITIVE: ClassVar[tuple[str, ...]] = ("temperature",)

    def check(self) -> None:
        self.k_grid = tuple(int(k) for k in self.k_grid)
        if self.cluster_score not in CLUSTER_SCORES:
            raise RecommenderInputError(
                f"cluster_score must be one of {CLUSTER_SCORES}, got {self.cluster_score!r}."
            )
        if self.n_clusters < 0 or self.n_clusters == 1:
            raise RecommenderInputError(
                f"n_clusters must be 0 (silhouette-best k) or ≥ 2, got {self.n_clusters!r}."
            )
        if not self.k_grid or min(self.k_grid) < 2:
            raise RecommenderInputError(
                f"k_grid must be a non-empty list of integers ≥ 2, got {self.k_grid!r}."
            )
        if not 0.0 <= self.popularity_discount <= 1.0:
            raise RecommenderInputError(
                f"popularity_discount must be in [0, 1], got {self.popularity_discount!r}."
            )

    @classmethod
    def fast(cls) -> ClusteringConfig:
        """Small settings for tests: fits the full data in about a second."""
        return cls(n_components=32, n_clusters=32, n_nearest=5, k_grid=(2, 4, 8, 16, 32))


class ClusteringModel(Recommender[ClusteringConfig]):
    name = "clustering"
    Config = ClusteringConfig

    def fit(self, interactions: Interactions, artist_tags: ArtistTags = None) -> Self:
        cfg = self.config
        self._remember_shape(interactions)
        n_users, n_artists = interactions.matrix.shape
        listeners = interactions.listeners.astype(np.float64)
        if cfg.idf:
            self.idf_ = np.log(n_users / np.maximum(listeners, 1.0)).astype(np.float32)
        else:
            self.idf_ = np.ones(n_artists, dtype=np.float32)
        x = self._represent(interactions.matrix)
        d = max(1, min(cfg.n_components, n_users - 1, n_artists - 1))
        from sklearn.decomposition import TruncatedSVD  # fitting only: serving starts faster

        svd = TruncatedSVD(n_components=d, algorithm="arpack", random_state=cfg.seed)
        z = _unit_dense(svd.fit_transform(x).astype(np.float32))
        self.components_ = svd.components_.astype(np.float32)  # (d × n_artists)

        fits = self._k_experiment(z)
        k = self.k_chosen_ if cfg.n_clusters == 0 else min(cfg.n_clusters, n_users)
        self.k_ = int(k)
        labels, centroids = fits[k] if k in fits else self._kmeans(z, k)
        self.labels_ = labels.astype(np.int64)  # (n_users,) training rows' clusters
        self.centroids_ = _unit_dense(centroids.astype(np.float32))  # (k × d), unit rows
        self.cluster_sizes_ = np.bincount(labels, minlength=k).astype(np.int64)
        self.centroids_2d_ = _plane(centroids, self.cluster_sizes_)
        self._cluster_artists(interactions.matrix, labels)
        share = listeners / max(1, n_users)
        self.discount_ = np.power(share + 1e-6, -cfg.popularity_discount).astype(np.float32)
        # A tie-break too small to reorder real scores: unheard-of artists by global listeners.
        self.prior_ = (listeners / max(1.0, listeners.max()) * 1e-6).astype(np.float32)
        return self

    def score(self, profiles: sp.csr_matrix) -> np.ndarray:
        profiles = self._check_profiles(profiles)
        nearest, weights = self.assign(profiles)
        n = profiles.shape[0]
        w = np.zeros((n, self.k_), dtype=np.float32)
        np.put_along_axis(w, nearest, weights, axis=1)
        scores = np.asarray(self.cluster_artist_.T @ w.T).T  # (n × n_artists)
        return (scores * self.discount_ + self.prior_).astype(np.float32)

    def assign(self, profiles: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """The ``n_nearest`` clusters of each profile and their weights, most similar first.

        Returns (n × m) int64 cluster indices and (n × m) float32 weights summing to 1 per row,
        m = min(n_nearest, k). An empty profile gets the largest clusters, weighted by size.
        """
        profiles = self._check_profiles(profiles)
        z = _unit_dense(np.asarray(self._represent(profiles) @ self.components_.T, np.float32))
        sim = z @ self.centroids_.T  # (n × k) cosine similarity
        m = min(self.config.n_nearest, self.k_)
        empty = ~np.any(z != 0, axis=1)
        nearest = np.argsort(-sim, axis=1, kind="stable")[:, :m]
        logits = np.take_along_axis(sim, nearest, axis=1) / self.config.temperature
        weights = np.exp(logits - logits.max(axis=1, keepdims=True))
        if empty.any():
            by_size = np.argsort(-self.cluster_sizes_, kind="stable")[:m]
            nearest[empty] = by_size
            weights[empty] = self.cluster_sizes_[by_size].astype(np.float32)
        weights /= weights.sum(axis=1, keepdims=True)
        return nearest.astype(np.int64), weights.astype(np.float32)

    def cluster_summaries(
        self, artist_names: dict[int, str] | None = None, top_n: int = 10
    ) -> list[dict[str, Any]]:
        """One dict per cluster: ``cluster``, ``size``, ``x``/``y`` (plot plane), ``top_columns``
        and ``top_shares`` (artist columns by share of members listening), and ``top_names``
        when ``artist_names`` maps column index → name. The model knows columns only: map them
        to artist ids, names or tags in the bundle layer."""
        self._check_fitted()
        if int(top_n) < 1:
            raise RecommenderInputError(f"top_n must be a positive integer, got {top_n!r}.")
        share = self.cluster_share_.tocsr()
        out = []
        for c in range(self.k_):
            cols = share.indices[share.indptr[c] : share.indptr[c + 1]]
            vals = share.data[share.indptr[c] : share.indptr[c + 1]]
            order = np.lexsort((cols, -vals))[: int(top_n)]  # by share, ties by column
            summary: dict[str, Any] = {
                "cluster": c,
                "size": int(self.cluster_sizes_[c]),
                "x": float(self.centroids_2d_[c, 0]),
                "y": float(self.centroids_2d_[c, 1]),
                "top_columns": cols[order].astype(int).tolist(),
                "top_shares": vals[order].astype(float).tolist(),
            }
            if artist_names is not None:
                summary["top_names"] = [artist_names.get(int(a), str(a)) for a in cols[order]]
            out.append(summary)
        return out

    def k_experiment(self) -> dict[str, Any]:
        """The k experiment kept from fitting: ``k`` grid with ``silhouette`` and ``inertia``
        (lists, NaN where not measured), the ``silhouette_best`` k and the ``chosen`` k."""
        self._check_fitted()
        return {
            "k": [int(k) for k in self.k_grid_],
            "silhouette": [float(v) for v in self.k_silhouette_],
            "inertia": [float(v) for v in self.k_inertia_],
            "silhouette_best": int(self.k_silhouette_best_),
            "chosen": int(self.k_),
            "rule": "silhouette-best" if self.config.n_clusters == 0 else "fixed n_clusters",
        }

    # -- fitting helpers -----------------------------------------------------------------------
    def _represent(self, matrix: sp.spmatrix) -> sp.csr_matrix:
        """(n × n_artists) idf-weighted, L2-normalised rows: what the SVD and k-means see."""
        return _unit_rows(sp.csr_matrix(matrix, dtype=np.float32) @ sp.diags(self.idf_))

    def _kmeans(self, z: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        from sklearn.cluster import KMeans

        km = KMeans(n_clusters=k, n_init=self.config.n_init, random_state=self.config.seed)
        km.fit(z)
        return km.labels_, km.cluster_centers_

    def _k_experiment(self, z: np.ndarray) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Fit every k of the grid (k < n_users) and record inertia and silhouette.

        Silhouette uses the Euclidean distance between unit rows (a monotone function of the
        cosine distance), computed once and reused for every k.
        """
        from sklearn.cluster import KMeans
        from sklearn.metrics import silhouette_score

        n = z.shape[0]
        grid = sorted({k for k in self.config.k_grid if k < n})
        dist = np.sqrt(np.maximum(2.0 - 2.0 * (z @ z.T), 0.0)).astype(np.float64)
        np.fill_diagonal(dist, 0.0)
        fits, inertia, silhouette = {}, [], []
        for k in grid:
            km = KMeans(n_clusters=k, n_init=self.config.n_init, random_state=self.config.seed)
            km.fit(z)
            fits[k] = (km.labels_, km.cluster_centers_)
            inertia.append(km.inertia_)
            n_labels = len(np.unique(km.labels_))
            ok = 1 < n_labels < n
            silhouette.append(
                silhouette_score(dist, km.labels_, metric="precomputed") if ok else np.nan
            )
        self.k_grid_ = np.asarray(grid, dtype=np.int64)
        self.k_inertia_ = np.asarray(inertia, dtype=np.float64)
        self.k_silhouette_ = np.asarray(silhouette, dtype=np.float64)
        if len(grid) and np.isfinite(self.k_silhouette_).any():
            self.k_silhouette_best_ = int(grid[int(np.nanargmax(self.k_silhouette_))])
        else:
            self.k_silhouette_best_ = min(2, n)
        self.k_chosen_ = self.k_silhouette_best_
        return fits

    def _cluster_artists(self, matrix: sp.csr_matrix, labels: np.ndarray) -> None:
        """Per-cluster artist statistics: share of members listening (kept for summaries) and
        the score matrix the configured ``cluster_score`` uses."""
        n_users = matrix.shape[0]
        member = sp.csr_matrix(
            (np.ones(n_users, dtype=np.float32), (labels, np.arange(n_users))),
            shape=(self.k_, n_users),
        )
        sizes = np.maximum(self.cluster_sizes_, 1).astype(np.float32)
        inv = sp.diags(1.0 / sizes).astype(np.float32)
        heard = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
        heard.eliminate_zeros()
        heard.data[:] = 1.0
        self.cluster_share_ = sp.csr_matrix(inv @ (member @ heard), dtype=np.float32)
        if self.config.cluster_score == "share":
            self.cluster_artist_ = self.cluster_share_
        else:
            self.cluster_artist_ = sp.csr_matrix(
                inv @ (member @ _unit_rows(matrix)), dtype=np.float32
            )
        self.cluster_share_.sort_indices()
        self.cluster_artist_.sort_indices()

    # -- persistence ---------------------------------------------------------------------------
    def _arrays(self) -> dict[str, np.ndarray]:
        arrays = {
            "components": self.components_,
            "centroids": self.centroids_,
            "centroids_2d": self.centroids_2d_,
            "cluster_sizes": self.cluster_sizes_,
            "labels": self.labels_,
            "prior": self.prior_,
            "idf": self.idf_,
            "discount": self.discount_,
            "k_grid": self.k_grid_,
            "k_inertia": self.k_inertia_,
            "k_silhouette": self.k_silhouette_,
        }
        arrays.update(csr_to_arrays(prefix="share_", matrix=self.cluster_share_))
        if self.cluster_artist_ is not self.cluster_share_:
            arrays.update(csr_to_arrays(prefix="score_", matrix=self.cluster_artist_))
        return arrays

    def _meta(self) -> dict[str, Any]:
        return {
            "k": self.k_,
            "k_silhouette_best": self.k_silhouette_best_,
            "k_rule": "silhouette-best" if self.config.n_clusters == 0 else "fixed n_clusters",
        }

    def _restore(self, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
        self.k_ = int(state["k"])
        self.k_silhouette_best_ = int(state["k_silhouette_best"])
        self.k_chosen_ = self.k_silhouette_best_
        self.components_ = arrays["components"]
        self.centroids_ = arrays["centroids"]
        self.centroids_2d_ = arrays["centroids_2d"]
        self.cluster_sizes_ = arrays["cluster_sizes"]
        self.labels_ = arrays["labels"]
        self.prior_ = arrays["prior"]
        self.idf_ = arrays["idf"]
        self.discount_ = arrays["discount"]
        self.k_grid_ = arrays["k_grid"]
        self.k_inertia_ = arrays["k_inertia"]
        self.k_silhouette_ = arrays["k_silhouette"]
        shape = (self.k_, int(self.n_artists_))
        self.cluster_share_ = csr_from_arrays(arrays, prefix="share_", shape=shape)
        if "score_data" in arrays:
            self.cluster_artist_ = csr_from_arrays(arrays, prefix="score_", shape=shape)
        else:
            self.cluster_artist_ = self.cluster_share_


def _unit_rows(matrix: sp.spmatrix) -> sp.csr_matrix:
    """Rows scaled to unit L2 norm (empty rows stay zero); float32 CSR."""
    m = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(sp.diags(scale.astype(np.float32)) @ m, dtype=np.float32)


def _unit_dense(z: np.ndarray) -> np.ndarray:
    """Dense rows scaled to unit L2 norm; zero rows stay zero."""
    norms = np.linalg.norm(z, axis=1, keepdims=True)
    return np.divide(z, norms, out=np.zeros_like(z), where=norms > 0)


def _plane(centroids: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """(k × 2) centroids projected on their two main axes (size-weighted PCA), for a plot.

    Signs are fixed (largest |coordinate| positive) so the plot does not flip between runs.
    """
    c = centroids.astype(np.float64)
    w = sizes.astype(np.float64) / max(1, sizes.sum())
    centred = c - w @ c
    _, _, vt = np.linalg.svd(centred * np.sqrt(w)[:, None], full_matrices=False)
    coords = centred @ vt[:2].T
    if coords.shape[1] < 2:
        coords = np.hstack([coords, np.zeros((len(c), 2 - coords.shape[1]))])
    signs = np.sign(coords[np.argmax(np.abs(coords), axis=0), [0, 1]])
    return (coords * np.where(signs == 0, 1.0, signs)).astype(np.float32)
