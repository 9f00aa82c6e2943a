"""SVD model: rating scaling, negative sampling, fold-in, similar, map, persistence, real data."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from recommenders.errors import RecommenderInputError
from recommenders.evaluation import evaluate_scorer, split_interactions
from recommenders.interactions import Interactions
from recommenders.models.svd import SVDConfig, SVDModel, sample_negatives, scaled_ratings
from tests.synthetic import ARTISTS_PER_GROUP, N_GROUPS, group_of, taste_groups

UNHEARD_ID = 999  # a catalogue artist nobody listened to


@pytest.fixture(scope="module")
def interactions() -> Interactions:
    base = taste_groups()
    coo = base.matrix.tocoo()
    table = pd.DataFrame(
        {
            "user_id": base.user_ids[coo.row],
            "artist_id": base.artist_ids[coo.col],
            "weight": np.round(np.expm1(coo.data)).astype(np.int64),
        }
    )
    return Interactions.from_user_artists(table, artist_ids=[*base.artist_ids, UNHEARD_ID])


@pytest.fixture(scope="module")
def model(interactions: Interactions) -> SVDModel:
    return SVDModel(SVDConfig.fast()).fit(interactions)


def test_scaled_ratings_map_each_row_min_max_to_the_range():
    m = sp.csr_matrix(np.array([[1.0, 2.0, 3.0, 0.0], [0.0, 0.0, 0.0, 0.0], [4.0, 0.0, 4.0, 0.0]]))
    np.testing.assert_allclose(scaled_ratings(m, 3.0, 5.0), [3.0, 4.0, 5.0, 4.0, 4.0])


def test_negatives_avoid_positives_repeats_and_unheard_artists():
    rng = np.random.default_rng(0)
    m = sp.random(50, 400, density=0.02, format="csr", random_state=1, dtype=np.float32)
    probs = np.ones(400)
    probs[:5] = 0.0
    probs /= probs.sum()
    rows, cols = sample_negatives(m, probs, 2.0, rng)
    assert not np.asarray(m[rows, cols]).any()
    assert len(np.unique(rows * 400 + cols)) == len(rows)
    assert cols.min() >= 5
    per_row = np.bincount(rows, minlength=50)
    wanted = 2 * np.diff(m.indptr)
    assert np.all(per_row <= wanted) and per_row.sum() >= 0.9 * wanted.sum()


def test_fold_in_of_an_existing_user_ranks_like_the_learned_vector(model, interactions):
    rows = np.arange(0, interactions.n_users, 7)
    folded = model.score(interactions.matrix[rows])
    learned = model.score_vectors(model.train_pu_[rows])
    known = model.known_
    corr = [np.corrcoef(f[known], g[known])[0, 1] for f, g in zip(folded, learned, strict=True)]
    assert np.median(corr) > 0.8


def test_unheard_artists_rank_last_and_have_no_map_position(model, interactions):
    col = int(interactions.artist_columns([UNHEARD_ID])[0])
    scores = model.score(interactions.matrix[:10])
    assert np.all(scores[:, col] < np.delete(scores, col, axis=1).min(axis=1))
    assert np.isnan(model.embedding_2d()[col]).all()
    # A profile holding only the unheard artist still gets finite scores.
    assert np.isfinite(model.score(interactions.profile_from_artists([UNHEARD_ID]))).all()


def test_similar_is_qi_cosine_and_finds_the_same_taste_group(model, interactions):
    col = int(interactions.artist_columns([105])[0])
    sims = model.similar(col)
    assert sims.shape == (interactions.n_artists,)
    assert sims[col] == pytest.approx(1.0, abs=1e-5)
    sims[col] = -np.inf
    top = interactions.artist_ids[np.argsort(-sims)[:5]]
    assert sum(group_of(int(a)) == group_of(105) for a in top) >= 4
    with pytest.raises(RecommenderInputError, match="out of range"):
        model.similar(interactions.n_artists)


def test_map_separates_taste_groups(model, interactions):
    xy = model.embedding_2d()
    assert xy.shape == (interactions.n_artists, 2)
    listeners = interactions.listeners
    assert np.isnan(xy[listeners < model.config.map_min_listeners]).all()
    heard = (listeners >= model.config.map_min_listeners) & np.isfinite(xy).all(axis=1)
    groups = np.array([group_of(int(a)) for a in interactions.artist_ids])
    centroids = np.array([xy[heard & (groups == g)].mean(axis=0) for g in range(N_GROUPS)])
    spread = np.mean([xy[heard & (groups == g)].std(axis=0).sum() for g in range(N_GROUPS)])
    gaps = [np.linalg.norm(centroids[a] - centroids[b]) for a in range(3) for b in range(a)]
    assert min(gaps) > spread


def test_seed_fixes_the_model_and_another_seed_changes_it(model, interactions):
    same = SVDModel(SVDConfig.fast()).fit(interactions)
    other = SVDModel(dataclasses.replace(SVDConfig.fast(), seed=1)).fit(interactions)
    rows = interactions.matrix[:20]
    np.testing.assert_array_equal(model.score(rows), same.score(rows))
    assert not np.allclose(model.score(rows), other.score(rows))


def test_new_user_gets_their_group_artists(model, interactions):
    group = 2
    picked = [100 + group * ARTISTS_PER_GROUP + i for i in (1, 4, 7)]
    scores = model.score(interactions.profile_from_artists(picked))[0]
    scores[interactions.artist_columns(picked)] = -np.inf
    top = interactions.artist_ids[np.argsort(-scores)[:8]]
    assert sum(group_of(int(a)) == group for a in top) >= 7


def test_save_load_round_trip_gives_identical_scores(model, interactions, tmp_path):
    files = model.save(tmp_path / "svd")
    assert sorted(p.suffix for p in files) == [".json", ".safetensors"]
    loaded = SVDModel.load(tmp_path / "svd")
    profiles = sp.vstack([interactions.matrix[:15], interactions.profile_from_artists([100, 150])])
    np.testing.assert_array_equal(model.score(profiles), loaded.score(profiles))
    np.testing.assert_array_equal(model.embedding_2d(), loaded.embedding_2d())
    np.testing.assert_array_equal(model.similar(3), loaded.similar(3))


@pytest.mark.parametrize(
    "change",
    [{"n_factors": 0}, {"lr_all": 0.0}, {"neg_ratio": -1.0}, {"reg_all": -0.1}, {"pos_low": 0.5}],
)
def test_bad_config_is_rejected_with_a_clear_error(change):
    with pytest.raises(RecommenderInputError):
        SVDConfig(**change)


@pytest.mark.slow
def test_real_data_fast_config_beats_popularity_clearly(lastfm_data):
    inter = Interactions.from_user_artists(lastfm_data.user_artists)
    split = split_interactions(inter, seed=0)
    model = SVDModel(SVDConfig.fast()).fit(split.train)
    metrics = evaluate_scorer(model.score, split)
    assert metrics["ndcg"] > 0.12  # popularity: 0.083


def test_score_leaves_the_callers_profile_untouched(model, interactions):
    profile = interactions.profile_from_artists([100, 101, UNHEARD_ID])
    profile.data[0] = 0.0  # an explicit zero, which scoring drops internally
    before = (profile.data.copy(), profile.indices.copy(), profile.indptr.copy())
    model.score(profile)
    for got, want in zip((profile.data, profile.indices, profile.indptr), before, strict=True):
        np.testing.assert_array_equal(got, want)


def test_one_profile_scores_like_the_same_row_in_a_large_batch(model, interactions):
    batch = model.score(interactions.matrix[:40])
    one = model.score(interactions.matrix[[7]])
    np.testing.assert_allclose(one[0], batch[7], rtol=1e-5, atol=1e-5)
