"""One contract, run against every model: what the UI, the evaluation and the bundle rely on."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recommenders.models import MODEL_NAMES, model_class
from tests.synthetic import ARTISTS_PER_GROUP, group_of, taste_groups
from tests.test_no_pickle import file_format

PERSONALISED = [m for m in MODEL_NAMES if m != "popularity"]


def make(name: str, seed: int = 0):
    return model_class(name)(model_class(name).Config.fast().with_seed(seed))


@pytest.fixture(scope="module")
def interactions():
    return taste_groups()


@pytest.fixture(scope="module", params=MODEL_NAMES)
def fitted(request, interactions):
    return request.param, make(request.param).fit(interactions)


def test_fit_returns_the_model_and_scores_have_the_documented_shape(fitted, interactions):
    name, model = fitted
    scores = model.score(interactions.matrix[:5])
    assert model.name == name
    assert scores.shape == (5, interactions.n_artists)
    assert scores.dtype == np.float32
    assert np.isfinite(scores).all()


def test_new_user_profile_scores_like_any_other_row(fitted, interactions):
    _, model = fitted
    profile = interactions.profile_from_artists([100, 101, 102])
    scores = model.score(profile)
    assert scores.shape == (1, interactions.n_artists)
    assert np.isfinite(scores).all()


@pytest.mark.parametrize("name", PERSONALISED)
def test_new_user_gets_artists_of_their_own_taste_group(name, interactions):
    model = make(name).fit(interactions)
    for group in range(3):
        picked = [100 + group * ARTISTS_PER_GROUP + i for i in (0, 1, 2, 3)]
        scores = model.score(interactions.profile_from_artists(picked))[0]
        scores[interactions.artist_columns(picked)] = -np.inf
        top = interactions.artist_ids[np.argsort(-scores)[:5]]
        same = sum(group_of(int(a)) == group for a in top)
        assert same >= 4, f"{name}: top-5 {top.tolist()} for group {group}"


@pytest.mark.parametrize("name", PERSONALISED)
def test_existing_user_gets_artists_of_their_own_taste_group(name, interactions):
    model = make(name).fit(interactions)
    rows = [0, 70, 130]  # one user per group
    scores = model.score(interactions.matrix[rows])
    for score, row in zip(scores, rows, strict=True):
        group = row // 60
        score[interactions.matrix[row].indices] = -np.inf
        top = interactions.artist_ids[np.argsort(-score)[:5]]
        assert sum(group_of(int(a)) == group for a in top) >= 4


def test_same_seed_gives_the_same_scores(fitted, interactions):
    name, model = fitted
    again = make(name).fit(interactions)
    np.testing.assert_allclose(
        model.score(interactions.matrix[:20]), again.score(interactions.matrix[:20]), atol=1e-5
    )


def test_save_load_round_trip_gives_identical_scores(fitted, interactions, tmp_path):
    name, model = fitted
    files = model.save(tmp_path / name)
    assert {f.name for f in files} == {"config.json", "weights.safetensors"}
    assert sorted(file_format(f) for f in files) == ["json", "safetensors"]  # by content
    loaded = model_class(name).load(tmp_path / name)
    profiles = sp.vstack([interactions.matrix[:10], interactions.profile_from_artists([120, 121])])
    np.testing.assert_array_equal(model.score(profiles), loaded.score(profiles))
    np.testing.assert_array_equal(model.similar(3), loaded.similar(3))


def test_similar_scores_every_artist(fitted, interactions):
    _, model = fitted
    similar = model.similar(0)
    assert similar.shape == (interactions.n_artists,)
    assert np.isfinite(similar).all()


@pytest.mark.parametrize("name", PERSONALISED)
def test_similar_artists_come_from_the_same_taste_group(name, interactions):
    model = make(name).fit(interactions)
    column = int(interactions.artist_columns([141])[0])
    similar = model.similar(column)
    similar[column] = -np.inf
    top = interactions.artist_ids[np.argsort(-similar)[:5]]
    assert sum(group_of(int(a)) == 2 for a in top) >= 4


def test_profiles_with_the_wrong_width_are_refused(fitted):
    _, model = fitted
    with pytest.raises(ValueError, match="columns"):
        model.score(sp.csr_matrix((1, 7), dtype=np.float32))


def test_fusion_reuses_a_prefitted_member_only_when_its_settings_match(interactions):
    from recommenders.models.fusion import FusionConfig, FusionModel
    from recommenders.models.svd import SVDConfig, SVDModel

    config = FusionConfig.fast().with_seed(3)
    same = SVDModel(SVDConfig.fast().with_seed(3)).fit(interactions)
    other = SVDModel(SVDConfig.fast().with_seed(4)).fit(interactions)
    reused = FusionModel(config, prefitted={"svd": same}).fit(interactions)
    refitted = FusionModel(config, prefitted={"svd": other}).fit(interactions)
    fresh = FusionModel(config).fit(interactions)
    assert reused.members_["svd"] is same and refitted.members_["svd"] is not other
    profiles = interactions.matrix[:5]
    np.testing.assert_array_equal(reused.score(profiles), fresh.score(profiles))
    np.testing.assert_array_equal(refitted.score(profiles), fresh.score(profiles))
