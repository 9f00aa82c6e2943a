"""How every taste is served: each metric of recommenders.taste against a hand-computed value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from recommenders.evaluation import evaluate_model, evaluate_scorer, split_interactions
from recommenders.models.popularity import PopularityModel
from recommenders.ranking import PAD
from recommenders.taste import (
    Probe,
    by_segment,
    calibration_kl,
    intra_list_diversity,
    popularity_lift,
    probe_detail,
    probe_set,
    probe_share,
    segment_users,
    tag_matrix,
    taste_metrics,
    user_typicality,
)
from tests.synthetic import ARTISTS_PER_GROUP, group_of, taste_groups

# 5 users × 4 artists. Listeners: a0 4, a1 2, a2 1, a3 1; user 4 has no history.
TRAIN = sp.csr_matrix(
    np.array(
        [
            [1.0, 0, 0, 0],
            [1.0, 1.0, 0, 0],
            [1.0, 1.0, 1.0, 0],
            [1.0, 0, 0, 1.0],
            [0, 0, 0, 0],
        ]
    )
)
# a0 {rock, indie}, a1 {rock}, a2 {jazz}, a3 untagged.
TAGS = tag_matrix([["rock", "indie"], ["rock"], ["jazz"], []])
GENRES = ("jazz", "pop", "black metal")  # probe genres for the 3 synthetic taste groups


def test_typicality_is_the_median_listener_count_of_the_training_artists():
    np.testing.assert_allclose(user_typicality(TRAIN), [4.0, 3.0, 2.0, 2.5, np.nan])


def test_segments_are_typicality_quartiles_over_users_with_history():
    # Typicality [4, 3, 2, 2.5]: 25th percentile 2.375, 75th 3.25 (numpy's linear rule).
    assert segment_users(TRAIN).tolist() == ["mainstream", "middle", "niche", "middle", ""]


def test_by_segment_reduces_within_each_segment_and_skips_missing_values():
    values = np.array([1.0, 2.0, 4.0, np.nan, 8.0])
    segments = np.array(["niche", "middle", "middle", "niche", "other"], dtype=object)
    result = by_segment(values, segments)
    assert (result["niche"], result["middle"]) == (1.0, 3.0)
    assert np.isnan(result["mainstream"])  # empty segment


def test_popularity_lift_compares_the_list_with_what_was_really_played():
    listeners = np.array([4.0, 2.0, 1.0, 1.0])
    top = np.array([[0, 1], [2, PAD]])
    relevant = sp.csr_matrix(np.array([[0, 0, 1, 1], [1, 0, 0, 0]]))
    expected = [
        (np.log(5) + np.log(3)) / 2 - np.log(2),  # mainstream list for a niche test set
        np.log(2) - np.log(5),  # padding ignored; a niche list for a mainstream test set
    ]
    np.testing.assert_allclose(popularity_lift(top, relevant, listeners), expected)


def test_diversity_is_one_minus_tag_cosine_over_tagged_pairs():
    top = np.array([[0, 1, 2], [0, 3, 1], [3, 2, PAD]])
    rock_indie_vs_rock = 1 - 1 / np.sqrt(2)
    expected = [(rock_indie_vs_rock + 1 + 1) / 3, rock_indie_vs_rock, np.nan]
    np.testing.assert_allclose(intra_list_diversity(top, TAGS), expected)


def test_calibration_is_zero_for_a_list_with_the_profile_tag_mix():
    profile = sp.csr_matrix(np.array([[1.0, 0, 1.0, 0]]))  # p = rock .25, indie .25, jazz .5
    assert calibration_kl(np.array([[0, 2]]), profile, TAGS)[0] == pytest.approx(0.0, abs=1e-12)


def test_calibration_kl_with_smoothing_on_a_hand_worked_case():
    # Profile a0 (weight 2: rock ½, indie ½) + a2 (weight 1: jazz) → p = ⅓ each.
    # List [a1] → q = rock 1; q̃ = .99 q + .01 p.
    profile = sp.csr_matrix(np.array([[2.0, 0, 1.0, 0], [0, 0, 0, 1.0]]))
    third = 1 / 3
    expected = third * np.log(third / (0.99 + 0.01 * third)) + 2 * third * np.log(
        third / (0.01 * third)
    )
    got = calibration_kl(np.array([[1, PAD], [0, 1]]), profile, TAGS)
    assert got[0] == pytest.approx(expected)
    assert np.isnan(got[1])  # the second profile has only an untagged artist


def test_taste_metrics_report_segment_ndcg_and_median_lift():
    users = np.array([0, 1, 2])  # mainstream, middle, niche
    top = np.array([[2, 3], [1, 2], [0, 1]])
    relevant = sp.csr_matrix(np.array([[0, 0, 1, 0], [0, 1, 0, 0], [1, 0, 0, 0]]))
    m = taste_metrics(top, TRAIN, users, relevant, np.array([0.1, 0.2, 0.3]))
    assert (m["ndcg_niche"], m["ndcg_middle"], m["ndcg_mainstream"]) == (0.3, 0.2, 0.1)
    log = np.log1p([4.0, 2.0, 1.0, 1.0])
    lifts = [log[[2, 3]].mean() - log[2], log[[1, 2]].mean() - log[1], log[[0, 1]].mean() - log[0]]
    assert m["popularity_lift_mainstream"] == pytest.approx(lifts[0])
    assert m["popularity_lift_niche"] == pytest.approx(lifts[2])
    assert m["popularity_lift"] == pytest.approx(np.median(lifts))
    assert "diversity" not in m  # tag metrics only when tags are given
    tagged = taste_metrics(top, TRAIN, users, relevant, np.zeros(3), [["a"], ["a"], ["b"], []])
    assert tagged["diversity"] == pytest.approx((1.0 + 0.0) / 2)  # row 0 has no tagged pair


def _catalog() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["A", "B", "C", "D", "E", "F"],
            "listeners": [100, 30, 30, 20, 7, 40],
            "tags": [
                ["jazz"],  # too many listeners
                ["jazz", "bebop", "swing", "cool", "vocal", "blues"],
                ["jazz"],  # same listeners as B, higher id: B wins
                ["jazz"],
                ["black metal"],  # too few listeners: no black metal probe
                ["rock", "jazz"],  # jazz is not its top tag
            ],
        },
        index=pd.Index([10, 11, 12, 13, 14, 15], name="artist_id"),
    )


def test_probe_set_picks_the_most_listened_artist_in_range_whose_top_tag_is_the_genre():
    probes = probe_set(_catalog(), genres=("jazz", "black metal", "rock"))
    assert probes == [
        Probe("jazz", 11, "B", 30, ("jazz", "bebop", "swing", "cool", "vocal")),
        Probe("rock", 15, "F", 40, ("rock", "jazz")),
    ]


def test_probe_share_counts_list_artists_carrying_a_probe_tag():
    inter = taste_groups()
    ids = inter.artist_ids
    catalog = pd.DataFrame(
        {"name": [f"n{a}" for a in ids], "tags": [[f"group{group_of(a)}"] for a in ids]},
        index=pd.Index(ids, name="artist_id"),
    )
    probe = Probe("group0", int(ids[0]), "n100", 10, ("group0",))
    group = np.array([group_of(a) for a in ids])
    # Group-0 artists first (the probe artist best of all, but it is excluded), then group 1.
    scores = np.where(group == 0, 2.0, np.where(group == 1, 1.0, 0.0))
    scores[0] = 9.0
    scores[6:ARTISTS_PER_GROUP] = -1.0  # only columns 1..5 of group 0 stay above group 1

    def score(profiles):
        assert profiles.nnz == 1 and profiles.indices[0] == 0  # a new user who liked the probe
        return np.tile(scores, (profiles.shape[0], 1))

    detail = probe_detail(score, inter, catalog, [probe])
    assert detail.loc[0, "top"][:5] == [f"n{a}" for a in ids[1:6]]
    assert detail.loc[0, "share"] == pytest.approx(0.5)
    assert probe_share(score, inter, catalog, [probe, probe]) == pytest.approx(0.5)
    assert np.isnan(probe_share(score, inter, catalog, []))


def test_evaluate_model_keeps_its_shape_and_adds_taste_metrics():
    inter = taste_groups()
    ids = inter.artist_ids
    catalog = pd.DataFrame(
        {
            "name": [f"n{a}" for a in ids],
            "listeners": np.diff(inter.matrix.tocsc().indptr),
            "tags": [[GENRES[group_of(a)], f"a{a}"] for a in ids],
        },
        index=pd.Index(ids, name="artist_id"),
    )
    plain = evaluate_model(PopularityModel, inter, seeds=(0,))
    assert set(plain) == {"k", "seeds", "mean", "std", "runs"}
    for key in ("ndcg", "ndcg_niche", "ndcg_middle", "ndcg_mainstream", "popularity_lift"):
        assert key in plain["mean"] and key in plain["runs"][0]
    assert "probe_share" not in plain["mean"]
    full = evaluate_model(PopularityModel, inter, seeds=(0,), catalog=catalog)
    for key in ("diversity", "calibration", "probe_share"):
        assert np.isfinite(full["mean"][key]) and key in full["std"]
    assert full["mean"]["ndcg"] == plain["mean"]["ndcg"]
    # Popularity ignores the profile: one list for all, so it is as diverse for every user.
    split = split_interactions(inter, seed=0)
    again = evaluate_scorer(PopularityModel().fit(split.train).score, split, catalog=catalog)
    assert again["diversity"] == pytest.approx(full["mean"]["diversity"])
