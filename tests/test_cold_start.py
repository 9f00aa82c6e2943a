"""The cold-start protocol (recommenders.cold_start): held-out users are new listeners."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recommenders.cold_start import (
    cold_start_split,
    per_user_metrics,
    segments,
    validation_split,
)
from recommenders.interactions import Interactions


@pytest.fixture(scope="module")
def interactions(lastfm_data) -> Interactions:
    return Interactions.from_user_artists(lastfm_data.user_artists)


def rows_of(matrix: sp.csr_matrix) -> list[set[int]]:
    return [
        set(matrix.indices[matrix.indptr[r] : matrix.indptr[r + 1]]) for r in range(matrix.shape[0])
    ]


def test_held_out_users_are_not_trained_on_and_keep_all_their_artists(interactions):
    split = cold_start_split(interactions, seed=0)
    assert not set(split.user_ids) & set(split.train.user_ids)
    assert len(split.user_ids) >= 0.19 * interactions.n_users
    given, relevant = rows_of(split.given), rows_of(split.relevant)
    for user, g, r in zip(split.user_ids, given, relevant, strict=True):
        own = set(interactions.profile_for_user(user).indices)
        assert g and r and not g & r and g | r == own
        assert len(g) == max(1, min(len(own) - 1, round(0.8 * len(own))))
    plays = interactions.profile_for_user(split.user_ids[0])
    first = split.given[0]
    assert np.allclose(first.data, plays[0, first.indices].toarray().ravel())


def test_the_flat_variant_gives_every_artist_the_typical_weight(interactions):
    split = cold_start_split(interactions, seed=1)
    flat = split.given_flat()
    assert (flat.indices == split.given.indices).all()
    assert np.allclose(flat.data, split.train.typical_value)


def test_validation_users_come_from_the_training_users_only(interactions):
    split = cold_start_split(interactions, seed=0)
    val = validation_split(split)
    assert set(val.user_ids) <= set(split.train.user_ids)
    assert not set(val.user_ids) & set(split.user_ids)
    assert not set(val.train.user_ids) & set(split.user_ids)


def test_seeds_hold_out_different_users(interactions):
    a, b = (cold_start_split(interactions, seed=s).user_ids for s in (0, 1))
    assert set(a) != set(b)


def test_segments_are_quartiles_of_given_artists_popularity(interactions):
    split = cold_start_split(interactions, seed=0)
    labels = segments(split)
    share = {s: float(np.mean(labels == s)) for s in ("niche", "middle", "mainstream")}
    assert 0.2 <= share["niche"] <= 0.3 and 0.2 <= share["mainstream"] <= 0.3


def test_per_user_metrics_on_a_hand_made_case():
    train = Interactions(sp.csr_matrix(np.ones((2, 4))), np.array([1, 2]), np.arange(4))
    given = sp.csr_matrix(np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 0]]))
    relevant = sp.csr_matrix(np.array([[0, 1.0, 0, 0], [0, 0, 1.0, 1.0]]))
    from recommenders.cold_start import ColdStartSplit

    split = ColdStartSplit(train, np.array([7, 8]), given, relevant, seed=0)
    top = np.array([[1, 2], [0, 3]])  # user 7 hit at rank 1; user 8 hit at rank 2
    values = per_user_metrics(top, split, k=2)
    assert values["precision"].tolist() == [0.5, 0.5]
    assert values["recall"].tolist() == [1.0, 0.5]
    assert np.allclose(values["ndcg"], [1.0, (1 / np.log2(3)) / (1 + 1 / np.log2(3))])
    assert np.allclose(values["popularity_lift"], [0.0, 0.0])  # every artist has 2 listeners


def test_validation_never_holds_out_a_user_any_benchmark_seed_reports_on(interactions):
    from recommenders.cold_start import test_users

    never = test_users(interactions)
    assert len(never) > 0.4 * interactions.n_users  # three seeds' held-out users together
    for seed in (0, 1, 2):
        val = validation_split(cold_start_split(interactions, seed=seed), never=never)
        assert not set(val.user_ids) & set(never)
        assert len(val.user_ids) > 250
