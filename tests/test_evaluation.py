"""The evaluation protocol: split invariants, metrics on hand-worked cases, and a cross-check of
our metric code against ranx, an independent implementation, on the same rankings."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recommenders.evaluation import (
    beyond_accuracy,
    evaluate_model,
    evaluate_scorer,
    ranking_metrics,
    split_interactions,
    top_k_excluding,
)
from recommenders.models.popularity import PopularityModel
from tests.synthetic import taste_groups


def test_split_partitions_the_pairs_about_80_20_and_keeps_ids():
    inter = taste_groups()
    split = split_interactions(inter, seed=0)
    train, test = split.train.matrix, split.test
    assert train.shape == test.shape == inter.matrix.shape
    assert train.nnz + test.nnz == inter.matrix.nnz
    assert train.multiply(test).nnz == 0
    assert 0.15 < test.nnz / inter.matrix.nnz < 0.25
    np.testing.assert_array_equal(split.train.artist_ids, inter.artist_ids)
    np.testing.assert_allclose((train + test).toarray(), inter.matrix.toarray())


def test_split_is_reproducible_and_does_not_touch_its_input():
    inter = taste_groups()
    before = inter.matrix.copy()
    a, b = split_interactions(inter, seed=3), split_interactions(inter, seed=3)
    assert (a.test != b.test).nnz == 0
    assert (split_interactions(inter, seed=4).test != a.test).nnz > 0
    assert (inter.matrix != before).nnz == 0


def test_top_k_never_returns_known_columns_and_is_sorted():
    scores = np.array([[5.0, 4.0, 3.0, 2.0, 1.0]])
    known = sp.csr_matrix(np.array([[1, 0, 1, 0, 0]]))
    np.testing.assert_array_equal(top_k_excluding(scores, known, 3), [[1, 3, 4]])


def test_metrics_on_a_hand_worked_case():
    # User 0: relevant {0, 2}; ranked [0, 1, 2] → hits at ranks 1 and 3.
    # User 1: relevant {4}; ranked [3, 1, 2] → no hit. User 2 has nothing relevant: ignored.
    top = np.array([[0, 1, 2], [3, 1, 2], [0, 1, 2]])
    relevant = sp.csr_matrix(np.array([[1, 0, 1, 0, 0], [0, 0, 0, 0, 1], [0, 0, 0, 0, 0]]))
    m = ranking_metrics(top, relevant, k=3)
    dcg = 1 + 1 / np.log2(4)
    idcg = 1 + 1 / np.log2(3)
    assert m["precision"] == pytest.approx((2 / 3 + 0) / 2)
    assert m["recall"] == pytest.approx((1 + 0) / 2)
    assert m["ndcg"] == pytest.approx((dcg / idcg + 0) / 2)
    assert m["map"] == pytest.approx(((1 + 2 / 3) / 2 + 0) / 2)


def test_beyond_accuracy_counts_distinct_items_and_self_information():
    train = sp.csr_matrix(np.array([[1, 1, 0, 0], [1, 0, 0, 0], [1, 0, 1, 0], [1, 0, 0, 0]]))
    top = np.array([[0, 1], [0, 2]])
    m = beyond_accuracy(top, train, k=2)
    assert m["coverage"] == pytest.approx(3 / 4)
    expected = np.mean([-np.log2(4 / 4), -np.log2(1 / 4), -np.log2(4 / 4), -np.log2(1 / 4)])
    assert m["novelty"] == pytest.approx(expected)
    assert m["mean_listeners"] == pytest.approx((4 + 1 + 4 + 1) / 4)


@pytest.mark.slow
def test_our_metrics_match_ranx_on_the_same_rankings():
    ranx = pytest.importorskip("ranx")
    inter = taste_groups()
    split = split_interactions(inter, seed=0)
    train = split.train.matrix
    rng = np.random.default_rng(0)
    scores = rng.random(train.shape).astype(np.float32)  # arbitrary but fixed rankings
    users = np.flatnonzero(np.diff(split.test.indptr) > 0)
    top = top_k_excluding(scores[users], train[users], 10)
    ours = ranking_metrics(top, split.test[users], 10)

    qrels = {f"u{u}": {f"a{a}": 1 for a in split.test[u].indices} for u in users}
    run = {
        f"u{u}": {f"a{a}": float(10 - r) for r, a in enumerate(row)}
        for u, row in zip(users, top, strict=True)
    }
    theirs = ranx.evaluate(
        ranx.Qrels(qrels),
        ranx.Run(run),
        ["precision@10", "recall@10", "ndcg@10", "map@10"],
        return_mean=False,
    )
    assert ours["precision"] == pytest.approx(np.mean(theirs["precision@10"]), abs=1e-9)
    assert ours["recall"] == pytest.approx(np.mean(theirs["recall@10"]), abs=1e-9)
    assert ours["ndcg"] == pytest.approx(np.mean(theirs["ndcg@10"]), abs=1e-9)
    # ranx divides AP by all relevant items; we divide by min(relevant, k), as is usual for @k.
    n_rel = np.diff(split.test[users].indptr)
    rescaled = np.asarray(theirs["map@10"]) * n_rel / np.minimum(n_rel, 10)
    assert ours["map"] == pytest.approx(np.mean(rescaled), abs=1e-9)


def test_evaluate_model_reports_mean_and_runs_per_seed():
    result = evaluate_model(PopularityModel, taste_groups(), seeds=(0, 1))
    assert [r["seed"] for r in result["runs"]] == [0, 1]
    for metric in ("precision", "recall", "ndcg", "map", "coverage", "novelty"):
        values = [r[metric] for r in result["runs"]]
        assert result["mean"][metric] == pytest.approx(np.mean(values))
    assert 0 < result["mean"]["ndcg"] < 1


def test_a_personalised_model_beats_popularity_on_structured_data():
    inter = taste_groups()
    split = split_interactions(inter, seed=0)
    pop = evaluate_scorer(PopularityModel().fit(split.train).score, split)

    def group_scores(profiles):
        # Oracle-ish scorer: co-occurrence with the profile's artists (item-item counts).
        x = (split.train.matrix > 0).astype(np.float32)
        return np.asarray((profiles > 0).astype(np.float32) @ (x.T @ x).toarray())

    cooc = evaluate_scorer(group_scores, split)
    assert cooc["ndcg"] > pop["ndcg"] + 0.05
