"""Clustering model: taste groups become clusters, soft assignment, the recorded k experiment."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recommenders.errors import RecommenderInputError
from recommenders.evaluation import evaluate_scorer, split_interactions
from recommenders.models.clustering import ClusteringConfig, ClusteringModel
from recommenders.models.popularity import PopularityModel
from tests.synthetic import ARTISTS_PER_GROUP, USERS_PER_GROUP, group_of, taste_groups


@pytest.fixture(scope="module")
def interactions():
    return taste_groups()


@pytest.fixture(scope="module")
def three_clusters(interactions):
    """k = 3 on data with 3 taste groups: each cluster should be one group."""
    cfg = ClusteringConfig(n_components=8, n_clusters=3, k_grid=(2, 3, 4, 6), n_nearest=2)
    return ClusteringModel(cfg).fit(interactions)


def test_clusters_recover_the_taste_groups(three_clusters):
    labels = three_clusters.labels_
    groups = np.arange(len(labels)) // USERS_PER_GROUP
    for g in range(3):
        # Every member of a taste group lands in the same cluster, and clusters differ by group.
        assert len(np.unique(labels[groups == g])) == 1
    assert len(np.unique(labels)) == 3
    assert sorted(three_clusters.cluster_sizes_.tolist()) == [USERS_PER_GROUP] * 3


def test_silhouette_peaks_at_the_true_number_of_groups(three_clusters):
    model = three_clusters
    assert model.k_grid_.tolist() == [2, 3, 4, 6]
    assert model.k_inertia_.shape == model.k_silhouette_.shape == (4,)
    assert model.k_silhouette_best_ == 3
    # Inertia can only fall as k grows (the same data, more centroids).
    assert np.all(np.diff(model.k_inertia_) < 0)


def test_n_clusters_zero_uses_the_silhouette_best_k(interactions):
    cfg = ClusteringConfig(n_components=8, n_clusters=0, k_grid=(2, 3, 5), n_nearest=2)
    model = ClusteringModel(cfg).fit(interactions)
    assert model.k_ == model.k_silhouette_best_ == 3


def test_assign_puts_a_new_user_in_their_groups_cluster_first(three_clusters, interactions):
    for g in range(3):
        picked = [100 + g * ARTISTS_PER_GROUP + i for i in range(4)]
        nearest, weights = three_clusters.assign(interactions.profile_from_artists(picked))
        assert nearest.shape == weights.shape == (1, 2)
        member_cluster = three_clusters.labels_[g * USERS_PER_GROUP]
        assert nearest[0, 0] == member_cluster
        assert weights[0, 0] > weights[0, 1]
        np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-6)


def test_empty_profile_falls_back_to_the_largest_clusters(three_clusters, interactions):
    nearest, weights = three_clusters.assign(sp.csr_matrix((1, interactions.n_artists)))
    sizes = three_clusters.cluster_sizes_[nearest[0]]
    assert sizes.min() >= np.sort(three_clusters.cluster_sizes_)[-2]
    np.testing.assert_allclose(weights[0], sizes / sizes.sum(), rtol=1e-6)
    assert np.isfinite(three_clusters.score(sp.csr_matrix((1, interactions.n_artists)))).all()


def test_cluster_summaries_list_each_groups_artists(three_clusters, interactions):
    names = {c: f"artist {a}" for c, a in enumerate(interactions.artist_ids)}
    summaries = three_clusters.cluster_summaries(names, top_n=5)
    assert len(summaries) == 3
    for s in summaries:
        assert s["size"] == USERS_PER_GROUP
        assert len(s["top_columns"]) == len(s["top_names"]) == 5
        ids = interactions.artist_ids[s["top_columns"]]
        assert len({group_of(int(a)) for a in ids}) == 1
        assert s["top_shares"] == sorted(s["top_shares"], reverse=True)
        assert 0 < s["top_shares"][-1] <= s["top_shares"][0] <= 1
        assert s["top_names"][0] == f"artist {ids[0]}"
    assert three_clusters.centroids_2d_.shape == (3, 2)
    with pytest.raises(RecommenderInputError, match="top_n"):
        three_clusters.cluster_summaries(top_n=0)


def test_soft_assignment_mixes_neighbouring_clusters(interactions):
    """With more clusters than groups, mixing several nearest clusters changes the scores."""
    base = {"n_components": 8, "n_clusters": 9, "k_grid": (2, 9)}
    hard = ClusteringModel(ClusteringConfig(**base, n_nearest=1)).fit(interactions)
    soft = ClusteringModel(ClusteringConfig(**base, n_nearest=3)).fit(interactions)
    rows = interactions.matrix[:30]
    assert not np.allclose(hard.score(rows), soft.score(rows))
    # A hard assignment gives all members of one cluster identical scores.
    same = np.flatnonzero(hard.labels_ == hard.labels_[0])[:2]
    hard_scores = hard.score(interactions.matrix[same])
    np.testing.assert_array_equal(hard_scores[0], hard_scores[1])


def test_the_same_config_gives_the_same_clustering(interactions):
    cfg = ClusteringConfig.fast()
    a = ClusteringModel(cfg).fit(interactions)
    b = ClusteringModel(ClusteringConfig.fast()).fit(interactions)
    np.testing.assert_array_equal(a.labels_, b.labels_)
    np.testing.assert_array_equal(a.k_silhouette_, b.k_silhouette_)


def test_save_load_keeps_the_k_experiment_and_summaries(three_clusters, tmp_path):
    three_clusters.save(tmp_path / "m")
    loaded = ClusteringModel.load(tmp_path / "m")
    for name in ("k_grid_", "k_inertia_", "k_silhouette_", "centroids_2d_", "labels_"):
        np.testing.assert_array_equal(getattr(loaded, name), getattr(three_clusters, name))
    assert loaded.k_silhouette_best_ == three_clusters.k_silhouette_best_
    assert loaded.cluster_summaries() == three_clusters.cluster_summaries()


def test_mean_log_cluster_score_round_trips(interactions, tmp_path):
    cfg = ClusteringConfig(n_components=8, n_clusters=3, k_grid=(3,), cluster_score="mean_log")
    model = ClusteringModel(cfg).fit(interactions)
    model.save(tmp_path / "m")
    loaded = ClusteringModel.load(tmp_path / "m")
    rows = interactions.matrix[:5]
    np.testing.assert_array_equal(model.score(rows), loaded.score(rows))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("n_clusters", 1),
        ("n_nearest", 0),
        ("temperature", 0.0),
        ("cluster_score", "median"),
        ("k_grid", ()),
        ("popularity_discount", 2.0),
    ],
)
def test_bad_settings_are_refused(field, value):
    with pytest.raises(RecommenderInputError, match=field):
        ClusteringConfig(**{field: value})


@pytest.mark.slow
def test_real_data_beats_popularity_by_far(lastfm_data):
    from recommenders.interactions import Interactions

    inter = Interactions.from_user_artists(lastfm_data.user_artists)
    split = split_interactions(inter, seed=0)
    model = ClusteringModel(ClusteringConfig.fast()).fit(split.train)
    ndcg = evaluate_scorer(model.score, split)["ndcg"]
    baseline = evaluate_scorer(PopularityModel().fit(split.train).score, split)["ndcg"]
    assert ndcg > 1.5 * baseline
    assert model.k_grid_.tolist() == [2, 4, 8, 16, 32]
    assert np.isfinite(model.k_silhouette_).all()
