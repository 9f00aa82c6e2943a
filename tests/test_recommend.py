"""Top-k selection shared by every model: exclusion, filters, popularity penalty, k checks."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recommenders.errors import RecommenderInputError
from recommenders.evaluation import top_k_excluding
from recommenders.query import MAX_K, check_k, check_penalty
from recommenders.ranking import PAD, top_k
from recommenders.recommend import top_columns


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


# --- One ranking rule for served lists and offline metrics (recommenders.ranking.top_k) ---


def _old_top_columns(scores, k, exclude=None, allowed=None):
    """The pre-ranking.py implementation, kept as a reference for tie-free inputs."""
    final = np.asarray(scores, dtype=np.float64)
    mask = np.zeros(len(final), bool) if allowed is not None else np.ones(len(final), bool)
    if allowed is not None:
        mask[allowed] = True
    if exclude is not None and len(exclude):
        mask[exclude] = False
    mask &= np.isfinite(final)
    candidates = np.flatnonzero(mask)
    if len(candidates) > k:
        candidates = candidates[np.argpartition(-final[candidates], k - 1)[:k]]
    return candidates[np.lexsort((candidates, -final[candidates]))]


def _old_top_k_excluding(scores, known, k):
    scores = np.array(scores, dtype=np.float64, copy=True)
    rows, cols = known.nonzero()
    scores[rows, cols] = -np.inf
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)


def test_ties_break_identically_in_served_lists_and_offline_metrics():
    rng = np.random.default_rng(1)
    # Few distinct values over many columns: ties everywhere, also at the k-th place.
    scores = rng.integers(0, 4, size=(20, 500)).astype(np.float32)
    known = sp.random(20, 500, density=0.1, format="csr", random_state=2)
    offline = top_k_excluding(scores, known, 10)
    for row in range(20):
        served, _ = top_columns(scores[row], 10, exclude=known[row].indices)
        np.testing.assert_array_equal(served, offline[row])
        # The rule itself: higher score first, then lower column.
        candidates = np.setdiff1d(np.arange(500), known[row].indices)
        expected = candidates[np.lexsort((candidates, -scores[row, candidates]))][:10]
        np.testing.assert_array_equal(offline[row], expected)


def test_all_equal_scores_give_the_lowest_columns_in_both_paths():
    scores = np.zeros((3, 1000))
    known = sp.csr_matrix(([1.0, 1.0], ([0, 2], [0, 3])), shape=(3, 1000))
    np.testing.assert_array_equal(
        top_k_excluding(scores, known, 4), [[1, 2, 3, 4], [0, 1, 2, 3], [0, 1, 2, 4]]
    )
    np.testing.assert_array_equal(top_columns(scores[0], 4, exclude=np.array([0]))[0], [1, 2, 3, 4])


def test_without_ties_results_are_those_of_the_previous_implementations():
    rng = np.random.default_rng(3)
    scores = rng.random((50, 2000))
    known = sp.random(50, 2000, density=0.05, format="csr", random_state=4)
    np.testing.assert_array_equal(
        top_k_excluding(scores, known, 10), _old_top_k_excluding(scores, known, 10)
    )
    allowed = rng.choice(2000, 300, replace=False)
    for row in range(50):
        exclude = known[row].indices
        np.testing.assert_array_equal(
            top_columns(scores[row], 10, exclude=exclude)[0],
            _old_top_columns(scores[row], 10, exclude=exclude),
        )
        np.testing.assert_array_equal(
            top_columns(scores[row], 10, exclude=exclude, allowed=allowed)[0],
            _old_top_columns(scores[row], 10, exclude=exclude, allowed=allowed),
        )


def test_batched_top_k_pads_rows_with_too_few_candidates():
    scores = np.array([[1.0, np.nan, 3.0, -np.inf], [4.0, 3.0, 2.0, 1.0]])
    exclude = sp.csr_matrix(([1.0], ([1], [0])), shape=(2, 4))
    out = top_k(scores, 3, exclude=exclude, allowed=np.array([0, 1, 2, 3]))
    np.testing.assert_array_equal(out, [[2, 0, PAD], [1, 2, 3]])
    np.testing.assert_array_equal(top_k(scores, 2, allowed=np.array([3, 1])), [[PAD, PAD], [1, 3]])
