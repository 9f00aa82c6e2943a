"""The public API on a real (fast) bundle: recommend, similar artists, filters, bad input."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

import recommenders
from recommenders.artifacts import MANIFEST, verify_bundle
from recommenders.bundle import RESULT_COLUMNS
from recommenders.errors import BundleError, RecommenderInputError
from recommenders.models import MODEL_NAMES

pytestmark = pytest.mark.slow


def test_bundle_has_every_model_and_a_catalog_indexed_by_artist_id(fast_bundle):
    assert fast_bundle.model_names == MODEL_NAMES
    assert fast_bundle.catalog.index.name == "artist_id"
    assert len(fast_bundle.catalog) == 17_632


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_new_listener_gets_k_unknown_artists_with_names_and_explanations(fast_bundle, model):
    liked = ["Radiohead", "Muse"]
    table = fast_bundle.recommend(model, liked=liked, k=10)
    assert list(table.columns) == RESULT_COLUMNS
    assert table["rank"].tolist() == list(range(1, 11))
    assert table["score"].is_monotonic_decreasing
    assert not set(table["name"]) & set(liked)
    assert table["artist_id"].is_unique
    assert table["explanation"].str.len().gt(0).all()
    assert np.isfinite(table["score"]).all()


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_existing_user_never_gets_an_artist_they_know(fast_bundle, model):
    history = set(fast_bundle.user_history(2, limit=100)["artist_id"])
    table = fast_bundle.recommend(model, user_id=2, k=20)
    assert len(table) == 20
    assert not history & set(table["artist_id"])


def test_user_history_is_most_played_first_with_real_counts(fast_bundle, lastfm_data):
    history = fast_bundle.user_history(2)
    raw = lastfm_data.user_artists.query("user_id == 2").sort_values("weight", ascending=False)
    assert history["artist_id"].tolist()[:5] == raw["artist_id"].tolist()[:5]
    assert history["plays"].tolist()[:5] == raw["weight"].tolist()[:5]


@pytest.mark.parametrize("model", ["softmax", "svd"])
def test_tag_filter_is_honoured_and_lists_are_not_short(fast_bundle, model):
    table = fast_bundle.recommend(model, liked=["Radiohead"], k=10, tags="jazz")
    assert len(table) == 10
    for tags, genres in zip(table["tags"], table["spotify_genres"], strict=True):
        assert "jazz" in {t.casefold() for t in tags} | {g.casefold() for g in genres}


def test_popularity_penalty_lowers_the_listeners_of_what_is_recommended(fast_bundle):
    plain = fast_bundle.recommend("softmax", liked=["Radiohead", "Muse"], k=20)
    niche = fast_bundle.recommend(
        "softmax", liked=["Radiohead", "Muse"], k=20, popularity_penalty=1.0
    )
    assert niche["listeners"].median() < plain["listeners"].median()


def test_excluded_artists_are_never_returned(fast_bundle):
    first = fast_bundle.recommend("softmax", liked=["Radiohead"], k=5)
    dropped = first["name"].iloc[0]
    again = fast_bundle.recommend("softmax", liked=["Radiohead"], k=5, exclude=[dropped])
    assert dropped not in set(again["name"])


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_similar_artists(fast_bundle, model):
    table = fast_bundle.similar_artists(model, "Radiohead", k=10)
    assert len(table) == 10 and "Radiohead" not in set(table["name"])


def test_explanations_quote_real_co_listening_shares(fast_bundle, lastfm_data):
    table = fast_bundle.recommend("softmax", liked=["Muse"], k=3)
    ua = lastfm_data.user_artists
    muse = fast_bundle.resolve_artists(["Muse"])[0]
    muse_users = set(ua.loc[ua["artist_id"] == muse, "user_id"])
    for artist_id, text in zip(table["artist_id"], table["explanation"], strict=True):
        both = muse_users & set(ua.loc[ua["artist_id"] == artist_id, "user_id"])
        percent = max(1, round(100 * len(both) / len(muse_users)))
        assert text.startswith(f"{percent}% of the {len(muse_users)} listeners of Muse")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"liked": []}, "No artists"),
        ({"liked": ["No Such Artist 123"]}, "Unknown artist"),
        ({"user_id": 999_999}, "Unknown user_id"),
        ({"user_id": "abc"}, "user_id must be a whole number"),
        ({}, "exactly one of"),
        ({"liked": ["Muse"], "user_id": 2}, "exactly one of"),
        ({"liked": ["Muse"], "k": 0}, "k must be"),
        ({"liked": ["Muse"], "k": 10_000}, "k must be"),
        ({"liked": ["Muse"], "tags": "no-such-tag-xyz"}, "No artist has the tag"),
        ({"liked": ["Muse"], "popularity_penalty": 3}, "popularity_penalty"),
    ],
)
def test_bad_input_raises_one_clear_exception_type(fast_bundle, kwargs, message):
    with pytest.raises(RecommenderInputError, match=message):
        fast_bundle.recommend("softmax", **kwargs)


def test_unknown_model_is_refused(fast_bundle):
    with pytest.raises(RecommenderInputError, match="accepted are popularity"):
        fast_bundle.recommend("deep-magic", liked=["Muse"])


def test_ids_and_digit_strings_work_like_names(fast_bundle):
    muse = fast_bundle.resolve_artists(["Muse"])[0]
    by_name = fast_bundle.recommend("svd", liked=["Muse"], k=5)
    by_id = fast_bundle.recommend("svd", liked=[muse], k=5)
    pd.testing.assert_frame_equal(by_name, by_id)
    assert fast_bundle.recommend("svd", user_id="2", k=3).equals(
        fast_bundle.recommend("svd", user_id=2, k=3)
    )


def test_manifest_records_how_the_bundle_was_built(fast_bundle):
    manifest = fast_bundle.manifest
    for key in ("config", "seed", "data_hashes", "package_versions", "metrics", "timings"):
        assert key in manifest
    assert set(manifest["metrics"]) == set(MODEL_NAMES)
    assert manifest["package_versions"]["torch"].startswith("2.13")


def _copy(fast_bundle_dir, tmp_path):
    copy = tmp_path / "bundle"
    shutil.copytree(fast_bundle_dir, copy)
    return copy


def test_a_tampered_file_is_refused_naming_it(fast_bundle_dir, tmp_path):
    copy = _copy(fast_bundle_dir, tmp_path)
    weights = copy / "models" / "softmax" / "weights.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(BundleError, match="softmax/weights.safetensors"):
        recommenders.load(copy)


def test_a_truncated_file_is_refused_naming_it(fast_bundle_dir, tmp_path):
    copy = _copy(fast_bundle_dir, tmp_path)
    catalog = copy / "catalog.parquet"
    catalog.write_bytes(catalog.read_bytes()[:1000])
    with pytest.raises(BundleError, match="catalog.parquet"):
        recommenders.load(copy)


def test_a_missing_file_is_refused_naming_it(fast_bundle_dir, tmp_path):
    copy = _copy(fast_bundle_dir, tmp_path)
    (copy / "interactions.safetensors").unlink()
    with pytest.raises(BundleError, match="interactions.safetensors"):
        recommenders.load(copy)


def test_an_unknown_format_version_is_refused(fast_bundle_dir, tmp_path):
    copy = _copy(fast_bundle_dir, tmp_path)
    manifest = json.loads((copy / MANIFEST).read_text())
    manifest["format_version"] = 99
    (copy / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BundleError, match="format version 99"):
        recommenders.load(copy)


def test_not_a_bundle_is_refused_clearly(tmp_path):
    with pytest.raises(BundleError, match="not an artifact bundle"):
        recommenders.load(tmp_path)
    with pytest.raises(BundleError, match="neither a bundle folder nor"):
        recommenders.load("no such folder, not a repo")


def test_verify_accepts_the_untouched_bundle(fast_bundle_dir):
    assert verify_bundle(fast_bundle_dir)["format_version"] == 1


def test_right_to_left_and_unicode_names_resolve(fast_bundle):
    table = fast_bundle.recommend("softmax", liked=["עברי לידר", "Sigur Rós"], k=5)
    assert len(table) == 5
    # NFKC + case folding: a differently-cased, fully-qualified spelling still resolves.
    assert fast_bundle.resolve_artists(["SIGUR RÓS"]) == fast_bundle.resolve_artists(["Sigur Rós"])


def test_a_thousand_picks_are_served_and_a_thousand_and_one_refused(fast_bundle):
    names = fast_bundle.catalog.nlargest(1001, "listeners")["name"].tolist()
    table = fast_bundle.recommend("svd", liked=names[:1000], k=10)
    assert len(table) == 10 and not set(table["name"]) & set(names[:1000])
    with pytest.raises(RecommenderInputError, match="at most 1000"):
        fast_bundle.recommend("svd", liked=names, k=10)


# -- a listening history given straight to recommend (issue 17, item 7) ----------------------
def test_a_read_history_table_is_matched_and_what_was_left_out_is_said(fast_bundle, tmp_path):
    """recommend(liked=read_history(path)) with artists the 2011 catalog lacks: they are left out
    with a warning naming them, the rest recommend, and the match is on the result."""
    from recommenders.history_matching import HistoryLeftOut

    export = tmp_path / "artists.txt"
    export.write_text("Radiohead\t120\nBad Bunny\t80\nMuse\t40\nOlivia Rodrigo\t30\n")
    history = recommenders.read_history(export)
    with pytest.warns(HistoryLeftOut, match="not found: Bad Bunny, Olivia Rodrigo"):
        results = fast_bundle.recommend(fast_bundle.default_model, liked=history, k=5)
    assert len(results) == 5
    assert not {"Radiohead", "Muse"} & set(results["name"])
    found = results.attrs["history"]
    assert found.unmatched["artist"].tolist() == ["Bad Bunny", "Olivia Rodrigo"]
    assert found.matched["name"].tolist() == ["Radiohead", "Muse"]
    # the same artists given with their plays recommend the same list
    same = fast_bundle.recommend(
        fast_bundle.default_model, liked={"Radiohead": 120, "Muse": 40}, k=5
    )
    assert same["artist_id"].tolist() == results["artist_id"].tolist()


def test_a_history_with_nothing_in_the_catalog_is_refused_plainly(fast_bundle):
    history = pd.DataFrame({"artist": ["Bad Bunny", "Olivia Rodrigo"], "plays": [8, 3]})
    with pytest.raises(RecommenderInputError, match="None of the 2 artists of this history"):
        fast_bundle.recommend(fast_bundle.default_model, liked=history)


def test_a_typed_list_with_an_unknown_name_is_still_refused(fast_bundle):
    with pytest.raises(RecommenderInputError, match="Unknown artist 'Bad Bunny'"):
        fast_bundle.recommend(fast_bundle.default_model, liked=["Radiohead", "Bad Bunny"])
