"""Top-k selection shared by every model: exclusion, filters, popularity penalty, k checks."""

from __future__ import annotations

import numpy as np
import pytest

from recommenders.errors import RecommenderInputError
from recommenders.recommend import MAX_K, check_k, check_penalty, standardise, top_columns


def test_top_columns_sorts_and_excludes():
    scores = np.array([0.1, 0.9, 0.5, 0.7, 0.3])
    columns, final = top_columns(scores, 3, exclude=np.array([1]))
    np.testing.assert_array_equal(columns, [3, 2, 4])
    np.testing.assert_allclose(final, [0.7, 0.5, 0.3])


def test_filter_is_applied_before_taking_k_so_lists_are_not_short():
    scores = np.arange(100, dtype=float)
    allowed = np.arange(0, 100, 10)  # the 10 lowest-scoring kinds of artist still fill k=5
    columns, _ = top_columns(scores, 5, allowed=allowed)
    np.testing.assert_array_equal(columns, [90, 80, 70, 60, 50])


def test_only_short_when_fewer_candidates_exist():
    columns, _ = top_columns(np.ones(5), 10, exclude=np.array([0, 1]))
    assert sorted(columns.tolist()) == [2, 3, 4]


def test_ties_break_by_column_for_stable_lists():
    columns, _ = top_columns(np.zeros(6), 3)
    np.testing.assert_array_equal(columns, [0, 1, 2])


def test_popularity_penalty_moves_less_popular_artists_up():
    scores = np.array([1.0, 0.99, 0.5, 0.0])
    popularity_z = standardise(np.log1p(np.array([1000.0, 10.0, 5.0, 1.0])))
    plain, _ = top_columns(scores, 2)
    penalised, _ = top_columns(scores, 2, popularity_z=popularity_z, penalty=1.0)
    assert plain.tolist() == [0, 1]
    assert penalised[0] == 1


def test_infinite_scores_are_never_returned():
    columns, _ = top_columns(np.array([np.inf * -1, 1.0, np.nan]), 3)
    assert columns.tolist() == [1]


@pytest.mark.parametrize("k, expected", [(1, 1), ("10", 10), (10.0, 10), (MAX_K, MAX_K)])
def test_valid_k(k, expected):
    assert check_k(k) == expected


@pytest.mark.parametrize("k", [0, -1, MAX_K + 1, 10**9, 2.5, "ten", None, True, [3]])
def test_invalid_k_says_what_is_accepted(k):
    with pytest.raises(RecommenderInputError, match=f"1 to {MAX_K}"):
        check_k(k)


@pytest.mark.parametrize("penalty", [-0.1, 1.5, "x", None, float("nan")])
def test_invalid_penalty(penalty):
    with pytest.raises(RecommenderInputError, match="popularity_penalty"):
        check_penalty(penalty)
