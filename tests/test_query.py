"""RecQuery: one request validated once, accepted by Bundle.recommend; weighted likes and
listening histories matched to the catalog."""

from __future__ import annotations

import pandas as pd
import pytest

from recommenders.errors import RecommenderInputError
from recommenders.query import MAX_K, MAX_LIKED, RecQuery


def test_the_accepted_shapes_of_liked() -> None:
    assert RecQuery.of(liked="Muse").liked == ("Muse",)
    assert RecQuery.of(liked=["Muse", 2]).liked == ("Muse", 2)
    weighted = RecQuery.of(liked={"Radiohead": 120, "Muse": 40})
    assert weighted.liked == ("Radiohead", "Muse") and weighted.plays == (120.0, 40.0)
    table = pd.DataFrame({"artist": ["Muse", "Björk"], "plays": [3, 7]})
    assert RecQuery.of(liked=table).plays == (3.0, 7.0)
    by_id = pd.DataFrame({"artist_id": [5, 6], "name": ["x", "y"]})
    assert RecQuery.of(liked=by_id).liked == (5, 6) and RecQuery.of(liked=by_id).plays is None


def test_fields_are_normalised_once() -> None:
    query = RecQuery.of(user_id=" 17 ", k="12", tags=[" Rock", "rock", "", "Indie"], exclude="X")
    assert query.user_id == 17 and query.k == 12 and query.tags == ("rock", "indie")
    assert query.exclude == ("X",) and query.liked is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "exactly one of"),
        ({"liked": ["Muse"], "user_id": 2}, "exactly one of"),
        ({"liked": []}, "No artists"),
        ({"liked": [3.5]}, "neither a name nor an id"),
        ({"liked": {"Muse": 0}}, "positive numbers"),
        ({"liked": {"Muse": "many"}}, "positive numbers"),
        ({"liked": {"Muse": float("inf")}}, "positive numbers"),
        ({"liked": pd.DataFrame({"who": ["Muse"]})}, "'artist'"),
        ({"liked": ["Muse"] * (MAX_LIKED + 1)}, str(MAX_LIKED)),
        ({"liked": ["Muse"], "k": 0}, "k must be"),
        ({"liked": ["Muse"], "k": MAX_K + 1}, "k must be"),
        ({"liked": ["Muse"], "k": 2.5}, "k must be"),
        ({"liked": ["Muse"], "popularity_penalty": -0.1}, "popularity_penalty"),
        ({"user_id": "two"}, "whole number"),
        ({"user_id": True}, "whole number"),
    ],
)
def test_bad_queries_say_what_is_accepted(kwargs, message) -> None:
    with pytest.raises(RecommenderInputError, match=message):
        RecQuery.of(**kwargs)


@pytest.mark.slow
def test_recommend_takes_a_query_or_its_keywords_alike(fast_bundle) -> None:
    query = RecQuery.of(liked=["Radiohead", "Muse"], k=7, tags="rock", exclude=["Coldplay"])
    by_query = fast_bundle.recommend("softmax", query)
    by_keywords = fast_bundle.recommend(
        "softmax", liked=["Radiohead", "Muse"], k=7, tags="rock", exclude=["Coldplay"]
    )
    pd.testing.assert_frame_equal(by_query, by_keywords)
    assert "Coldplay" not in by_query["name"].tolist() and len(by_query) == 7


@pytest.mark.slow
@pytest.mark.parametrize("model", ["svd", "softmax", "clustering"])
def test_play_counts_change_the_ranking(fast_bundle, model) -> None:
    names = ["Radiohead", "Britney Spears"]
    radiohead_heavy = fast_bundle.recommend(model, liked={names[0]: 5000, names[1]: 1}, k=20)
    britney_heavy = fast_bundle.recommend(model, liked={names[0]: 1, names[1]: 5000}, k=20)
    assert radiohead_heavy["name"].tolist() != britney_heavy["name"].tolist()
    # the heavier artist's neighbours rise: count how many of each list Britney's fans play
    pop_fans = set(fast_bundle.similar_artists(model, names[1], k=50)["name"])
    assert len(pop_fans & set(britney_heavy["name"])) > len(pop_fans & set(radiohead_heavy["name"]))


@pytest.mark.slow
def test_history_matching_forgives_spelling_and_refuses_look_alikes(fast_bundle) -> None:
    history = pd.DataFrame(
        {
            "artist": ["Radiohead", "radiohead ", "Sigur Ros", "Bjork", "Metalica", "Bad Bunny"],
            "plays": [100, 5, 40, 30, 7, 8],
        }
    )
    found = fast_bundle.match_history(history)
    matched = dict(zip(found.matched["name"], found.matched["plays"], strict=True))
    assert matched == {"Radiohead": 105, "Sigur Rós": 40, "Björk": 30, "Metallica": 7}
    assert found.unmatched["artist"].tolist() == ["Bad Bunny"]
    assert found.n_artists == 6
    assert found.play_share == pytest.approx(182 / 190)
    assert found.summary().startswith("We found 6 artists; 4 are in this 2011 catalog, covering")
    assert "not found: Bad Bunny" in found.summary()
    results = fast_bundle.recommend("svd", liked=found.matched, k=10)
    assert not set(results["artist_id"]) & set(found.matched["artist_id"])


@pytest.mark.parametrize(
    "history", [pd.DataFrame({"artist": ["A"]}), {"Muse": 0}, {"": 3}, ["Muse"]]
)
def test_bad_histories_are_refused(fast_bundle, history) -> None:
    with pytest.raises(RecommenderInputError):
        fast_bundle.match_history(history)
