"""The probe sets (recommenders.probes): enough genres, validation and test never share an artist
or a pair, and each probe is what it claims to be."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from recommenders import probes
from recommenders.catalog import build_catalog
from recommenders.interactions import Interactions


@pytest.fixture(scope="module")
def catalog(lastfm_data) -> pd.DataFrame:
    return build_catalog(lastfm_data, None)


@pytest.fixture(scope="module")
def matrix(lastfm_data, catalog) -> sp.csr_matrix:
    return Interactions.from_user_artists(lastfm_data.user_artists, catalog.index).matrix


def ids(found: list[probes.Probe]) -> set[int]:
    return {a for p in found for a in p.artist_ids}


def test_at_least_100_genre_probes_each_a_little_known_artist_of_its_genre(catalog):
    test, validation = (
        probes.genre_probes(catalog, "test"),
        probes.genre_probes(catalog, "validation"),
    )
    assert len(test) >= 100 and len(validation) >= 50
    assert not ids(test) & ids(validation)
    for probe in test + validation:
        (artist,) = probe.artist_ids
        row = catalog.loc[artist]
        assert row["tags"][0] == probe.genre and 8 <= row["listeners"] <= 60 and row["offered"]
        assert probe.tags == frozenset(row["tags"][:5])


def test_genre_pairs_cover_30_genres_and_roles_share_no_pair(catalog):
    test, validation = (
        probes.genre_pairs(catalog, "test"),
        probes.genre_pairs(catalog, "validation"),
    )
    assert len({p.genre for p in test}) >= 30 and len(validation) >= 20
    assert not {p.artist_ids for p in test} & {p.artist_ids for p in validation}
    assert not ids(test) & ids(validation)
    for pair in test:
        assert all(catalog.at[a, "tags"][0] == pair.genre for a in pair.artist_ids)


def test_eclectic_sets_are_unrelated_tastes(catalog, matrix):
    test = probes.eclectic_sets(catalog, matrix, "test")
    validation = probes.eclectic_sets(catalog, matrix, "validation")
    assert len(test) >= 20 and len(validation) >= 10
    assert not ids(test) & ids(validation)
    listeners_of = sp.csc_matrix(matrix > 0)
    column = {a: int(np.searchsorted(catalog.index, a)) for a in ids(test)}
    for probe in test:
        for a, b in itertools.combinations(probe.artist_ids, 2):
            assert not set(catalog.at[a, "tags"][:5]) & set(catalog.at[b, "tags"][:5])
            users_a = set(listeners_of[:, column[a]].indices)
            users_b = set(listeners_of[:, column[b]].indices)
            assert len(users_a & users_b) / len(users_a | users_b) <= probes.ECLECTIC_MAX_JACCARD


def small_catalog() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Jazz A", "Jazz B", "Pop Star", "Jazz Pop", "Nobody"],
            "listeners": [20, 18, 900, 800, 1],
            "tags": [["jazz", "bebop"], ["jazz"], ["pop", "dance"], ["pop", "jazz"], []],
            "offered": [True] * 5,
        },
        index=pd.Index([10, 11, 12, 13, 14], name="artist_id"),
    )


def test_an_intruder_is_popular_and_shares_no_tag_with_the_probe():
    catalog = small_catalog()
    probe = probes.Probe("jazz", (10, 11), ("Jazz A", "Jazz B"), frozenset({"jazz", "bebop"}))
    popular = probes.popular_artists(catalog, n=2)
    assert popular == {12, 13}
    assert probes.intruders(np.array([12, 13, 14]), probe, catalog, popular) == 1  # Pop Star
    assert probes.tag_share(np.array([13, 12, 14, -1]), probe, catalog) == 0.25


def test_a_neighbourhood_is_by_listeners_overlap_not_by_popularity():
    # artist 0's two listeners also play artist 1; everybody (20 users) plays artist 2
    dense = np.zeros((20, 3))
    dense[:, 2] = 1
    dense[:2, 0] = dense[:2, 1] = 1
    assert probes.neighbourhood(sp.csr_matrix(dense), 0, n=1) == {1}


def test_eclectic_scores_count_served_picks_and_orphan_cards():
    hoods = {0: {5, 6}, 1: {7}}
    served, orphans = probes.eclectic_scores(np.array([5, 9, -1]), [0, 1], hoods)
    assert served == 0.5 and orphans == 0.5
