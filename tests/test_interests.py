"""Eclectic picks get one list per taste (recommenders.interests), interleaved."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recommenders.interests import MIN_SHARE, Interests, interleave, split_profile
from recommenders.ranking import PAD


def listening(groups: list[tuple[range, range]], n_users: int, n_artists: int) -> sp.csr_matrix:
    """users × artists: each (users, artists) block listens together, nothing else."""
    matrix = np.zeros((n_users, n_artists))
    for users, artists in groups:
        matrix[np.ix_(list(users), list(artists))] = 1
    return sp.csr_matrix(matrix)


@pytest.fixture
def three_tastes() -> Interests:
    """Artists 0–2 metal (users 0–9), 3–5 jazz (users 10–19), 6–8 electronic (users 20–29)."""
    matrix = listening(
        [(range(0, 10), range(0, 3)), (range(10, 20), range(3, 6)), (range(20, 30), range(6, 9))],
        30,
        9,
    )
    tags = [["metal"]] * 3 + [["jazz"]] * 3 + [["electronic"]] * 3
    return Interests(matrix, tags)


def test_unrelated_picks_are_separate_interests_largest_first(three_tastes):
    groups = three_tastes.groups(np.array([0, 3, 6, 4]), np.array([1.0, 1.0, 1.0, 1.0]))
    assert [g.tolist() for g in groups] == [[3, 4], [0], [6]]


def test_related_picks_are_one_interest(three_tastes):
    groups = three_tastes.groups(np.array([0, 1, 2]), np.ones(3))
    assert [g.tolist() for g in groups] == [[0, 1, 2]]


def test_a_shared_genre_tag_relates_artists_nobody_listens_to_together():
    matrix = listening([(range(0, 5), range(0, 1)), (range(5, 10), range(1, 2))], 10, 2)
    interests = Interests(matrix, [["black metal", "norwegian"], ["Black Metal"]])
    assert len(interests.groups(np.array([0, 1]), np.ones(2))) == 1


def test_a_small_outlier_joins_the_main_interest(three_tastes):
    """One jazz artist among many metal plays is not a taste of its own."""
    weights = np.array([10.0, 10.0, 10.0, 1.0])
    assert weights[-1] / weights.sum() < MIN_SHARE
    groups = three_tastes.groups(np.array([0, 1, 2, 3]), weights)
    assert [sorted(g.tolist()) for g in groups] == [[0, 1, 2, 3]]


def test_interleave_takes_turns_and_skips_repeats():
    columns, origin = interleave([np.array([5, 6, 7]), np.array([6, 8, PAD])], k=4)
    assert columns.tolist() == [5, 6, 7, 8]
    assert origin.tolist() == [0, 1, 0, 1]
    short, _ = interleave([np.array([1]), np.array([1, 2])], k=5)
    assert short.tolist() == [1, 2]


def test_split_profile_keeps_each_interests_values():
    profile = sp.csr_matrix(np.array([[0, 2.0, 0, 3.0, 4.0]]))
    rows = split_profile(profile, [np.array([1, 4]), np.array([3])]).toarray()
    assert rows.tolist() == [[0, 2.0, 0, 0, 4.0], [0, 0, 0, 3.0, 0]]


@pytest.mark.slow
def test_eclectic_picks_get_cards_for_each_taste_and_say_which(fast_bundle):
    picks = ["Slayer", "Norah Jones", "Daft Punk"]
    results = fast_bundle.recommend(fast_bundle.default_model, liked=picks, k=9)
    because = [tuple(b) for b in results["because"]]
    assert sorted(set(because)) == [("Daft Punk",), ("Norah Jones",), ("Slayer",)]
    assert all(because.count(b) == 3 for b in set(because))
    assert not set(picks) & set(results["name"])


@pytest.mark.slow
def test_one_taste_gives_one_list(fast_bundle):
    results = fast_bundle.recommend(
        fast_bundle.default_model, liked=["Radiohead", "Muse", "Coldplay"], k=10
    )
    assert all(len(b) == 0 for b in results["because"])
