"""Softmax (Mult-DAE) model: learns block structure, deterministic, new users, round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from recommenders.errors import RecommenderInputError
from recommenders.interactions import Interactions
from recommenders.models.softmax import SoftmaxConfig, SoftmaxModel

N_ARTISTS = 13  # two taste blocks of 6 artists + one artist nobody listened to (column 12)


def _blocks(rng: np.random.Generator, n_users: int = 80) -> Interactions:
    """Users of group A listen to 4 of artists 0–5, group B to 4 of artists 6–11."""
    rows, cols = [], []
    for u in range(n_users):
        base = 0 if u % 2 == 0 else 6
        picked = base + rng.choice(6, size=4, replace=False)
        rows += [u] * 4
        cols += picked.tolist()
    values = np.log1p(rng.integers(1, 500, size=len(rows))).astype(np.float32)
    matrix = sp.csr_matrix((values, (rows, cols)), shape=(n_users, N_ARTISTS))
    return Interactions(matrix, np.arange(n_users) + 1, np.arange(N_ARTISTS) + 100)


def _config(**kw: object) -> SoftmaxConfig:
    return SoftmaxConfig(**{"hidden": 16, "epochs": 40, "batch_size": 32, "lr": 1e-2, **kw})


@pytest.fixture(scope="module")
def blocks() -> Interactions:
    return _blocks(np.random.default_rng(0))


@pytest.fixture(scope="module")
def fitted(blocks: Interactions) -> SoftmaxModel:
    return SoftmaxModel(_config()).fit(blocks)


def test_recommends_the_users_own_block(fitted: SoftmaxModel, blocks: Interactions) -> None:
    scores = fitted.score(blocks.profile_from_artists([100, 101]))
    assert scores.shape == (1, N_ARTISTS) and scores.dtype == np.float32
    assert scores[0, 2:6].min() > scores[0, 6:12].max()
    scores_b = fitted.score(blocks.profile_from_artists([106, 107, 108]))
    assert scores_b[0, 9:12].min() > scores_b[0, 0:6].max()


def test_unlistened_artist_ranks_last(fitted: SoftmaxModel, blocks: Interactions) -> None:
    scores = fitted.score(blocks.matrix[:5])
    assert np.all(scores[:, 12] < scores[:, :12].min(axis=1))
    assert np.all(np.isfinite(scores))


def test_without_skip_scores_are_log_probabilities(blocks: Interactions) -> None:
    model = SoftmaxModel(_config(epochs=5, skip_weight=0.0)).fit(blocks)
    assert model.skip_.shape == (0, 0)
    scores = model.score(blocks.matrix[:3])
    assert np.allclose(np.exp(scores[:, :12]).sum(axis=1), 1.0, atol=1e-4)


def test_skip_adds_item_item_scores(fitted: SoftmaxModel, blocks: Interactions) -> None:
    plain = SoftmaxModel(_config(skip_weight=0.0)).fit(blocks)
    profile = blocks.profile_from_artists([100])
    lift = fitted.score(profile)[0] - plain.score(profile)[0]
    # Same seed, same networks: the difference is the skip, which favours artist 0's block.
    assert lift[1:6].min() > lift[6:12].max()


def test_similar_uses_output_embeddings(fitted: SoftmaxModel) -> None:
    sims = fitted.similar(0)
    assert sims.shape == (N_ARTISTS,)
    assert sims[0] == pytest.approx(1.0, abs=1e-5)
    assert sims[1:6].min() > sims[6:12].max()


def test_deterministic_with_seed(blocks: Interactions) -> None:
    a = SoftmaxModel(_config(epochs=5, seed=3)).fit(blocks).score(blocks.matrix)
    b = SoftmaxModel(_config(epochs=5, seed=3)).fit(blocks).score(blocks.matrix)
    c = SoftmaxModel(_config(epochs=5, seed=4)).fit(blocks).score(blocks.matrix)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_fit_leaves_global_torch_rng_alone(blocks: Interactions) -> None:
    import torch

    state = torch.random.get_rng_state()
    SoftmaxModel(_config(epochs=1)).fit(blocks)
    assert torch.equal(state, torch.random.get_rng_state())


def test_ensemble_averages_networks(blocks: Interactions) -> None:
    model = SoftmaxModel(_config(epochs=5, n_models=2)).fit(blocks)
    assert len(model.nets_) == 2
    assert model.score(blocks.matrix[:2]).shape == (2, N_ARTISTS)


def test_save_load_round_trip(fitted: SoftmaxModel, blocks: Interactions, tmp_path: Path) -> None:
    fitted.save(tmp_path)
    loaded = SoftmaxModel.load(tmp_path)
    np.testing.assert_array_equal(loaded.score(blocks.matrix), fitted.score(blocks.matrix))
    np.testing.assert_array_equal(loaded.similar(3), fitted.similar(3))


def test_empty_profile_gets_the_prior(fitted: SoftmaxModel) -> None:
    scores = fitted.score(sp.csr_matrix((1, N_ARTISTS), dtype=np.float32))
    assert np.all(np.isfinite(scores))


def test_bad_config_is_rejected() -> None:
    with pytest.raises(RecommenderInputError, match="input_weighting"):
        SoftmaxConfig(input_weighting="tfidf")
    with pytest.raises(RecommenderInputError, match="input_dropout"):
        SoftmaxConfig(input_dropout=1.0)


def test_wrong_width_profiles_are_rejected(fitted: SoftmaxModel) -> None:
    with pytest.raises(ValueError, match="13 artists"):
        fitted.score(sp.csr_matrix((1, 5), dtype=np.float32))


@pytest.mark.slow
def test_real_data_beats_popularity(lastfm_data) -> None:
    from recommenders.evaluation import evaluate_scorer, split_interactions
    from recommenders.models.popularity import PopularityModel

    inter = Interactions.from_user_artists(lastfm_data.user_artists)
    split = split_interactions(inter, seed=0)
    model = SoftmaxModel(SoftmaxConfig.fast()).fit(split.train)
    ndcg = evaluate_scorer(model.score, split)["ndcg"]
    baseline = evaluate_scorer(PopularityModel().fit(split.train).score, split)["ndcg"]
    assert ndcg > 1.5 * baseline
