"""Processing invariants on the real data: the catalog and the interactions matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from recommenders.catalog import build_catalog, read_catalog, top_tags
from recommenders.errors import RecommenderInputError
from recommenders.interactions import Interactions


@pytest.fixture(scope="module")
def catalog(lastfm_data):
    return build_catalog(lastfm_data)


@pytest.fixture(scope="module")
def interactions(lastfm_data, catalog):
    return Interactions.from_user_artists(lastfm_data.user_artists, catalog.index)


def test_every_listened_artist_is_in_the_catalog_once(lastfm_data, catalog):
    assert catalog.index.is_unique and catalog.index.is_monotonic_increasing
    assert len(catalog) == 17_632
    assert set(lastfm_data.user_artists["artist_id"]) <= set(catalog.index)


def test_catalog_stats_match_the_raw_table(lastfm_data, catalog):
    ua = lastfm_data.user_artists
    assert catalog["plays"].sum() == ua["weight"].sum()
    assert catalog["listeners"].sum() == len(ua)
    radiohead = catalog.index[catalog["name"] == "Radiohead"][0]
    mine = ua[ua["artist_id"] == radiohead]
    assert catalog.at[radiohead, "listeners"] == len(mine)
    assert catalog.at[radiohead, "plays"] == mine["weight"].sum()


def test_links_are_https_and_every_artist_has_a_spotify_link(catalog):
    assert catalog["lastfm_url"].str.startswith("https://www.last.fm/").all()
    assert catalog["spotify_url"].str.startswith("https://open.spotify.com/").all()
    assert not catalog[["name", "lastfm_url", "listeners", "plays"]].isna().any().any()


def test_top_tags_are_ranked_by_distinct_users(lastfm_data, catalog):
    tagged = lastfm_data.user_tagged_artists.merge(lastfm_data.tags, on="tag_id")
    radiohead = int(catalog.index[catalog["name"] == "Radiohead"][0])
    users = tagged[tagged["artist_id"] == radiohead].groupby("tag")["user_id"].nunique()
    tags = catalog.at[radiohead, "tags"]
    assert 0 < len(tags) <= 10
    counts = [users[t] for t in tags]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] == users.max()
    # Artists nobody tagged get an empty list, not NaN.
    assert all(isinstance(t, list) for t in catalog["tags"])
    assert len(top_tags(lastfm_data)) < len(catalog) + 390


def test_catalog_round_trips_through_parquet(catalog, tmp_path):
    catalog.to_parquet(tmp_path / "catalog.parquet")
    again = read_catalog(tmp_path / "catalog.parquet")
    assert again.index.equals(catalog.index)
    assert again["tags"].tolist() == catalog["tags"].tolist()
    assert again["spotify_genres"].tolist() == catalog["spotify_genres"].tolist()
    pd.testing.assert_series_equal(again["name"], catalog["name"])


def test_interactions_are_log_counts_with_stable_id_maps(lastfm_data, interactions):
    ua = lastfm_data.user_artists
    assert interactions.matrix.shape == (1_892, 17_632)
    assert interactions.matrix.nnz == len(ua)
    assert np.isfinite(interactions.matrix.data).all() and (interactions.matrix.data > 0).all()
    row = ua.sample(20, random_state=0)
    for user_id, artist_id, weight in row.itertuples(index=False):
        r = interactions.user_row(user_id)
        c = interactions.artist_columns([artist_id])[0]
        assert interactions.user_ids[r] == user_id
        assert interactions.artist_ids[c] == artist_id
        assert interactions.matrix[r, c] == pytest.approx(np.log1p(weight), rel=1e-6)


def test_interactions_round_trip_through_safetensors(interactions, tmp_path):
    interactions.save(tmp_path / "x.safetensors")
    again = Interactions.load(tmp_path / "x.safetensors")
    assert (again.matrix != interactions.matrix).nnz == 0
    np.testing.assert_array_equal(again.user_ids, interactions.user_ids)
    np.testing.assert_array_equal(again.artist_ids, interactions.artist_ids)


def test_new_user_profile_holds_the_picked_artists_at_the_typical_value(interactions):
    profile = interactions.profile_from_artists([154, "89", 154])
    assert profile.shape == (1, interactions.n_artists)
    np.testing.assert_array_equal(interactions.artist_ids[profile.indices], sorted([89, 154]))
    assert np.allclose(profile.data, interactions.typical_value)


@pytest.mark.parametrize("bad", [0, -3, 999_999, "abc", 2.5, None, True])
def test_unknown_or_malformed_user_ids_are_refused(interactions, bad):
    with pytest.raises(RecommenderInputError, match="user"):
        interactions.user_row(bad)


def test_unknown_artist_ids_are_named(interactions):
    with pytest.raises(RecommenderInputError, match="999999"):
        interactions.artist_columns([154, 999_999])
