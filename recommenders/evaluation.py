"""Offline evaluation on one fixed protocol, so every model (and peer) is comparable.

Protocol (as in published work on this dataset): a random 80/20 split of the user–artist pairs;
for each user with at least one test pair, rank every artist not listened to in training; report
Precision@k, Recall@k, NDCG@k (binary relevance), MAP@k, catalogue coverage and the novelty and
popularity of what is recommended; how each taste is served (``recommenders.taste``: NDCG per
niche / middle / mainstream user segment, popularity lift, tag diversity and calibration, genre
probes); mean over several seeds. Metric functions are pure.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from recommenders.interactions import Interactions
from recommenders.ranking import top_k
from recommenders.taste import probe_set, probe_share, taste_metrics


@dataclass(frozen=True)
class Split:
    """Train and test matrices with the same rows and columns as the full data."""

    train: Interactions
    test: sp.csr_matrix
    seed: int


def split_interactions(
    interactions: Interactions, test_fraction: float = 0.2, seed: int = 0
) -> Split:
    """Random split of the user–artist pairs (not per user): ``test_fraction`` go to test."""
    coo = interactions.matrix.tocoo()
    rng = np.random.default_rng(seed)
    is_test = rng.random(coo.nnz) < test_fraction
    shape = interactions.matrix.shape

    def part(mask: np.ndarray) -> sp.csr_matrix:
        m = sp.csr_matrix((coo.data[mask], (coo.row[mask], coo.col[mask])), shape=shape)
        m.sort_indices()
        return m

    train = Interactions(part(~is_test), interactions.user_ids, interactions.artist_ids)
    return Split(train=train, test=part(is_test), seed=seed)


def top_k_excluding(scores: np.ndarray, known: sp.csr_matrix, k: int) -> np.ndarray:
    """(n × k) column indices of the best scores, best first, skipping each row's known columns.

    scores: (n × n_artists); known: (n × n_artists) sparse, nonzero = already known. The same
    ranking rule as the served lists (``recommenders.ranking.top_k``: ties → lower column).
    """
    return top_k(scores, min(k, np.shape(scores)[1]), exclude=known)


def per_user_ranking_metrics(
    top: np.ndarray, relevant: sp.csr_matrix, k: int = 10
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The rows with ≥ 1 relevant item and their Precision, Recall, NDCG and AP at k.

    top: (n × ≥k) ranked column indices; relevant: (n × n_artists) sparse, nonzero = relevant.
    Recall divides by all relevant items; NDCG's ideal and MAP's denominator use min(relevant, k).
    """
    top = top[:, :k]
    relevant = sp.csr_matrix(relevant)
    n_relevant = np.diff(relevant.indptr)
    rows = np.flatnonzero(n_relevant > 0)
    hits = np.zeros((len(rows), k), dtype=bool)
    for i, r in enumerate(rows):
        rel = relevant.indices[relevant.indptr[r] : relevant.indptr[r + 1]]
        hits[i] = np.isin(top[r], rel)
    n_rel = n_relevant[rows].astype(np.float64)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = (hits * discounts).sum(axis=1)
    ideal = np.cumsum(discounts)[np.minimum(n_rel, k).astype(int) - 1]
    precision_at_i = np.cumsum(hits, axis=1) / np.arange(1, k + 1)
    return rows, {
        "precision": hits.sum(axis=1) / k,
        "recall": hits.sum(axis=1) / n_rel,
        "ndcg": dcg / ideal,
        "map": (precision_at_i * hits).sum(axis=1) / np.minimum(n_rel, k),
    }


def ranking_metrics(top: np.ndarray, relevant: sp.csr_matrix, k: int = 10) -> dict[str, float]:
    """Mean Precision, Recall, NDCG (binary) and MAP at k over rows with ≥ 1 relevant item
    (see ``per_user_ranking_metrics``)."""
    _, per_user = per_user_ranking_metrics(top, relevant, k)
    return {name: float(values.mean()) for name, values in per_user.items()}


def beyond_accuracy(top: np.ndarray, train: sp.csr_matrix, k: int = 10) -> dict[str, float]:
    """Catalogue coverage, novelty (mean self-information, bits) and mean listeners of the top k.

    Popularity is counted on the training matrix, the only thing a model could have seen.
    """
    top = top[:, :k]
    n_users, n_artists = train.shape
    listeners = np.diff(sp.csc_matrix(train).indptr).astype(np.float64)
    share = np.maximum(listeners, 1.0) / n_users
    return {
        "coverage": float(len(np.unique(top)) / n_artists),
        "novelty": float(np.mean(-np.log2(share[top]))),
        "mean_listeners": float(np.mean(listeners[top])),
    }


def evaluate_scorer(
    score: Callable[[sp.csr_matrix], np.ndarray],
    split: Split,
    k: int = 10,
    batch: int = 256,
    catalog: pd.DataFrame | None = None,
) -> dict[str, float]:
    """All metrics for one fitted scorer on one split; scores users in batches to bound memory.

    Always: accuracy, beyond-accuracy, and per-segment NDCG and popularity lift
    (``recommenders.taste``). With the catalog (artist_id index, ``tags``, ``listeners``, ``name``)
    also tag diversity, tag calibration and the genre-probe share, all on this split's model.
    """
    train = split.train.matrix
    users = np.flatnonzero(np.diff(split.test.indptr) > 0)
    tops = []
    for start in range(0, len(users), batch):
        rows = users[start : start + batch]
        tops.append(top_k_excluding(score(train[rows]), train[rows], k))
    top = np.vstack(tops)
    relevant = split.test[users]
    _, per_user = per_user_ranking_metrics(top, relevant, k)
    metrics = {name: float(values.mean()) for name, values in per_user.items()}
    metrics.update(beyond_accuracy(top, train, k))
    artist_tags = None if catalog is None else tags_by_column(catalog, split.train.artist_ids)
    metrics.update(taste_metrics(top, train, users, relevant, per_user["ndcg"], artist_tags))
    if catalog is not None:
        metrics["probe_share"] = probe_share(score, split.train, catalog, probe_set(catalog), k)
    return metrics


def tags_by_column(catalog: pd.DataFrame, artist_ids: np.ndarray) -> list[list[str]]:
    """The catalog's Last.fm tags in matrix column order ([] for an artist without tags)."""
    tags = catalog["tags"].reindex(artist_ids)
    return [list(t) if isinstance(t, (list, tuple, np.ndarray)) else [] for t in tags]


def evaluate_model(
    make_model: Callable[[], object],
    interactions: Interactions,
    seeds: tuple[int, ...] = (0, 1, 2),
    k: int = 10,
    catalog: pd.DataFrame | None = None,
    keep: list | None = None,
) -> dict[str, object]:
    """Fit a fresh model per seed's split and evaluate it; returns per-seed and mean metrics.
    ``keep``, when given, receives each seed's fitted model (for models built on it).

    ``make_model`` builds an unfitted model (with a ``fit(Interactions)`` and ``score``). With
    ``catalog``, the tag metrics and the probe share are included (see ``evaluate_scorer``); the
    probe is measured on each seed's training-split model, like every other metric.
    """
    runs = []
    for seed in seeds:
        split = split_interactions(interactions, seed=seed)
        model = make_model()
        start = time.perf_counter()
        tags = None if catalog is None else tags_by_column(catalog, split.train.artist_ids)
        model.fit(split.train, artist_tags=tags)
        fit_seconds = time.perf_counter() - start
        metrics = evaluate_scorer(model.score, split, k, catalog=catalog)
        metrics["fit_seconds"] = fit_seconds
        runs.append({"seed": seed, **metrics})
        if keep is not None:
            keep.append(model)
    names = [m for m in runs[0] if m not in ("seed", "fit_seconds")]
    mean = {m: _mean([r[m] for r in runs]) for m in [*names, "fit_seconds"]}
    std = {m: _std([r[m] for r in runs]) for m in names}
    return {"k": k, "seeds": list(seeds), "mean": mean, "std": std, "runs": runs}


def _mean(values: list[float]) -> float:
    finite = [v for v in values if np.isfinite(v)]
    return float(np.mean(finite)) if finite else float("nan")


def _std(values: list[float]) -> float:
    finite = [v for v in values if np.isfinite(v)]
    return float(np.std(finite)) if finite else float("nan")
