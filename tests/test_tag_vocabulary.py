"""Genre tags only: the vocabulary is made from how many people use a tag plus a reviewed
blocklist, and no card, reason or filter suggestion ever shows a tag outside it."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from recommenders.catalog import build_catalog
from recommenders.data import LastfmData
from recommenders.tag_vocabulary import (
    BLOCKLIST,
    MIN_ARTISTS,
    MIN_USERS,
    TOO_FEW,
    genre_vocabulary,
    read_blocklist,
    tag_vocabulary,
)

# Seen on cards before the vocabulary (issue 17): personal, vulgar or not about the music.
JUNK = [
    "guys i would fuck",
    "please let me lick you",
    "fucking awesome",
    "<3",
    "seen live",
    "favorites",
    "favorite",
    "heart",
    "love",
    "beautiful",
    "britney spears",
    "2009",
    "female",
]
GENRES = [
    "rock",
    "black metal",
    "norwegian black metal",
    "k-pop",
    "j-pop",
    "visual kei",
    "80s",
    "1980s",
    "british",
    "piano",
    "chillout",
    "female vocalists",  # describes the voice you hear, so it is kept
    "male vocalists",
]
INPUTS = [["BIG BANG"], ["Britney Spears", "Lady Gaga"], ["Radiohead", "Portishead"]]


@pytest.fixture(scope="module")
def vocabulary(lastfm_data):
    return tag_vocabulary(lastfm_data)


@pytest.fixture(scope="module")
def usage(lastfm_data) -> pd.DataFrame:
    """tag → users, artists: counted here from the raw table, independently of the module."""
    tagged = lastfm_data.user_tagged_artists.merge(lastfm_data.tags, on="tag_id")
    return tagged.groupby("tag").agg(users=("user_id", "nunique"), artists=("artist_id", "nunique"))


def test_genres_eras_places_instruments_and_voices_are_kept(vocabulary) -> None:
    assert [g for g in GENRES if g not in vocabulary] == []


def test_personal_vulgar_and_opinion_tags_are_dropped_with_a_reason(vocabulary) -> None:
    assert [t for t in JUNK if t in vocabulary] == []
    assert all(vocabulary.dropped[t] for t in JUNK)
    assert vocabulary.dropped["heart"] == TOO_FEW  # 2 people used it
    assert vocabulary.dropped["britney spears"] == "names the artist it is given to"


def test_the_vocabulary_is_built_from_how_many_people_use_a_tag(vocabulary, usage) -> None:
    kept = usage.loc[sorted(vocabulary.kept)]
    assert (kept["users"] >= MIN_USERS).all() and (kept["artists"] >= MIN_ARTISTS).all()
    lonely = usage.index[usage["users"] == 1]
    assert len(lonely) > 1000 and not set(lonely) & vocabulary.kept


def _tiny(users_of_shoegaze: int) -> LastfmData:
    """Two artists; "shoegaze" given to both, by the first ``users_of_shoegaze`` users."""
    tagged = [(u, a, 1) for u in range(1, users_of_shoegaze + 1) for a in (1, 2)]
    tagged += [(u, 1, 2) for u in range(1, 6)]  # "seen live": 5 users, one artist
    tagged += [(u, a, 3) for u in range(1, 6) for a in (1, 2)]  # "favorites": 5 users, 2 artists
    return LastfmData(
        artists=pd.DataFrame(
            {"artist_id": [1, 2], "name": ["A", "B"], "url": ["u", "u"], "picture_url": [pd.NA] * 2}
        ),
        tags=pd.DataFrame({"tag_id": [1, 2, 3], "tag": ["shoegaze", "seen live", "favorites"]}),
        user_artists=pd.DataFrame({"user_id": [1], "artist_id": [1], "weight": [1]}),
        user_friends=pd.DataFrame({"user_id": [], "friend_id": []}),
        user_tagged_artists=pd.DataFrame(
            [(u, a, t, 1, 1, 2010) for u, a, t in tagged],
            columns=["user_id", "artist_id", "tag_id", "day", "month", "year"],
        ),
    )


@pytest.mark.parametrize(("users", "kept"), [(1, False), (2, False), (3, True), (9, True)])
def test_a_genre_needs_enough_people(users: int, kept: bool) -> None:
    assert ("shoegaze" in genre_vocabulary(_tiny(users))) is kept
    assert genre_vocabulary(_tiny(users)).isdisjoint({"seen live", "favorites"})


def test_every_blocklist_line_is_a_tag_or_a_valid_pattern_under_a_reason(tmp_path) -> None:
    blocklist = read_blocklist()
    assert "seen live" in blocklist.exact or blocklist.reason("seen live")
    assert all(why and not why.startswith("[") for why in blocklist.exact.values())
    lines = [line for line in BLOCKLIST.read_text("utf-8").splitlines() if line.strip()]
    assert lines[0].startswith("#") and any(line.startswith("[") for line in lines)
    broken = tmp_path / "bad.txt"
    broken.write_text("[reason]\nre:(unclosed\n", "utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt, line 2: bad pattern"):
        read_blocklist(broken)


def test_catalog_tags_are_genre_tags_ranked_by_users(lastfm_data, vocabulary, usage) -> None:
    catalog = build_catalog(lastfm_data)
    outside = {t for tags in catalog["tags"] for t in tags} - vocabulary.kept
    assert outside == set()
    big_bang = catalog.loc[catalog["name"] == "BIG BANG", "tags"].iloc[0]
    assert "k-pop" in big_bang and "guys i would fuck" not in big_bang
    tagged = lastfm_data.user_tagged_artists.merge(lastfm_data.tags, on="tag_id")
    radiohead = int(catalog.index[catalog["name"] == "Radiohead"][0])
    users = tagged[tagged["artist_id"] == radiohead].groupby("tag")["user_id"].nunique()
    counts = [users[t] for t in catalog.at[radiohead, "tags"]]
    assert len(counts) == 10 and counts == sorted(counts, reverse=True)
    assert counts[0] == users[users.index.isin(vocabulary.kept)].max()


@pytest.mark.slow
@pytest.mark.parametrize("liked", INPUTS, ids=lambda x: "+".join(x))
def test_no_card_reason_or_suggestion_shows_a_dropped_tag(fast_bundle, vocabulary, liked) -> None:
    genres = {g for gs in fast_bundle.catalog["spotify_genres"] for g in gs}
    assert set(fast_bundle.known_labels()) <= vocabulary.kept | genres
    assert set(fast_bundle.artist_info("BIG BANG")["tags"]) <= vocabulary.kept
    junk = re.compile("|".join(re.escape(t) for t in JUNK[:6]))  # never in an artist's name
    for model in fast_bundle.model_names:
        results = fast_bundle.recommend(model, liked=liked, k=10)
        assert {t for tags in results["tags"] for t in tags} <= vocabulary.kept
        for text in results["explanation"]:
            assert not junk.search(text.casefold()), text
            if " — like " in text:  # "black metal, norwegian black metal — like X"
                shown = text.split(" — like ")[0].split(", ")
                assert set(shown) <= vocabulary.kept, text
