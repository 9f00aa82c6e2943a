"""Catalog cleaning and trustworthy Spotify genres, on the real 2011 names and the real seed."""

from __future__ import annotations

import pandas as pd
import pytest

from recommenders import spotify
from recommenders.catalog import build_catalog, read_catalog
from recommenders.cleaning import REASONS, junk_reasons, lastfm_urls


@pytest.fixture(scope="module")
def catalog(lastfm_data, data_dir, tmp_path_factory):
    names = lastfm_data.artists.set_index("artist_id")["name"]
    cache = tmp_path_factory.mktemp("spotify-cache")
    return build_catalog(lastfm_data, spotify.enrich(names, data_dir, cache, live=False))


def by_name(catalog: pd.DataFrame, name: str) -> pd.Series:
    found = catalog[catalog["name"] == name]
    assert len(found) == 1, name
    return found.iloc[0]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Pitty - www.download.mus.br", "url"),
        ("Korn | www.arcannos.net", "url"),
        ("Britney Spears⊼", "mojibake"),
        ("Britney Spears㞦", "mojibake"),
        ("Britney Spears씨", "mojibake"),
        ("BallakÃ© Sissoko", "mojibake"),
        ("Lady GaGa Ft. Beyoncé", "collaboration"),
        ("Rihanna (feat. Drake)", "collaboration"),
        ("Britney Spears vs Avril Lavigne", "collaboration"),
        ("Michael Jackson & Paul McCartney", "collaboration"),
        ("Daft Punk, Alive 2007 (live)", "release"),
        ("Korn (Unplugged)", "release"),
        ("Rush - Signals", "release"),
        ("Squarepusher (aka Tom Jenkinson)", "alias"),
    ],
)
def test_junk_names_get_their_reason(catalog, name: str, reason: str) -> None:
    row = by_name(catalog, name)
    assert row["junk_reason"] == reason and not row["offered"]


@pytest.mark.parametrize(
    "name",
    [
        "Simon & Garfunkel",  # "&" inside a band name
        "Florence + the Machine",
        "Nick Cave and the Bad Seeds",  # "Nick Cave" exists, but "& The ..." is a backing band
        "Bob Marley & The Wailers",
        "She & Him",  # "She" and "Him" exist, too short to be trusted as separate acts
        "Little Feat",  # "feat" with no guest after it
        "Motion City Soundtrack",  # soundtracks are not flagged
        "MC 몽",  # Hangul after a space: a Korean name, not garbage
        "Diddy - Dirty Money",  # a real act with a dash
        "will.i.am",  # dots, no web address
        "Sigur Rós",
        "Король и Шут",
    ],
)
def test_real_artists_stay_clean(catalog, name: str) -> None:
    assert pd.isna(by_name(catalog, name)["junk_reason"]), name


def test_junk_counts_stay_small_and_every_reason_is_known(catalog) -> None:
    counts = catalog["junk_reason"].value_counts()
    assert set(counts.index) <= set(REASONS)
    assert 200 <= counts.sum() <= 300  # 237 on the 2011 names: about 1.3% of the catalog
    # Junk is never what people mostly listen to.
    assert catalog.loc[catalog["junk_reason"].notna(), "listeners"].max() < 20


def test_collaboration_needs_a_catalog_artist_before_the_separator() -> None:
    names = pd.Series(["Lady GaGa", "Lady GaGa Ft. Beyoncé", "Nobody Here ft. Beyoncé"])
    assert junk_reasons(names).tolist()[1:] == ["collaboration", pd.NA]


def test_case_only_duplicates_point_to_the_most_listened_spelling(catalog) -> None:
    upper, lower = by_name(catalog, "Король И Шут"), by_name(catalog, "Король и Шут")
    main = catalog.loc[[upper.name, lower.name], "listeners"].idxmax()
    assert upper["same_as"] == lower["same_as"] == main
    assert catalog.at[main, "offered"]
    other = upper.name if main == lower.name else lower.name
    assert not catalog.at[other, "offered"] and pd.isna(catalog.at[other, "junk_reason"])
    # An artist with a unique spelling is its own main spelling.
    radiohead = by_name(catalog, "Radiohead")
    assert radiohead["same_as"] == radiohead.name and radiohead["offered"]


def test_offered_is_clean_and_main_spelling(catalog) -> None:
    expected = catalog["junk_reason"].isna() & (catalog["same_as"] == catalog.index)
    assert catalog["offered"].tolist() == expected.tolist()
    assert 17_300 <= catalog["offered"].sum() < 17_632


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("AC/DC", "https://www.last.fm/music/AC%2FDC"),
        ("Simon & Garfunkel", "https://www.last.fm/music/Simon+%26+Garfunkel"),
        ("Sigur Rós", "https://www.last.fm/music/Sigur+R%C3%B3s"),
        ("Guns N' Roses", "https://www.last.fm/music/Guns+N%27+Roses"),
        ("Florence + the Machine", "https://www.last.fm/music/Florence+%2B+the+Machine"),
    ],
)
def test_lastfm_urls_are_encoded_once(catalog, name: str, url: str) -> None:
    assert by_name(catalog, name)["lastfm_url"] == url


def test_a_once_encoded_plus_is_not_decoded_again() -> None:
    names = pd.Series(["A+B", "A B"])
    urls = pd.Series(["http://www.last.fm/music/A%2BB", "http://www.last.fm/music/A%2BB"])
    # "A%2BB" is "A+B" encoded once, but "A B" encoded twice.
    assert lastfm_urls(names, urls).tolist() == [
        "https://www.last.fm/music/A%2BB",
        "https://www.last.fm/music/A+B",
    ]


@pytest.mark.parametrize("name", ["Air", "Justice", "Beck", "Live", "Texas", "Berlin"])
def test_name_collisions_show_no_spotify_genres_image_or_page(catalog, name: str) -> None:
    row = by_name(catalog, name)
    assert row["spotify_match"] == "ambiguous"
    assert row["spotify_genres"] == [] and pd.isna(row["image_url"])
    assert row["spotify_url"].startswith("https://open.spotify.com/search/")


@pytest.mark.parametrize(
    ("name", "genre"),
    [("Radiohead", "art rock"), ("Björk", "trip hop"), ("Metallica", "thrash metal")],
)
def test_well_known_matches_stay_trusted(catalog, name: str, genre: str) -> None:
    row = by_name(catalog, name)
    assert row["spotify_match"] == "trusted" and genre in row["spotify_genres"]


def test_accent_folding_finds_the_seed_spelling(catalog) -> None:
    # Last.fm writes "Olafur Arnalds", the seed "Ólafur Arnalds".
    assert "post-rock" in by_name(catalog, "Sigur Rós")["spotify_genres"]
    assert by_name(catalog, "Olafur Arnalds")["spotify_match"] == "trusted"  # seed: Ólafur


def test_new_columns_round_trip_through_parquet(catalog, tmp_path) -> None:
    catalog.to_parquet(tmp_path / "catalog.parquet")
    again = read_catalog(tmp_path / "catalog.parquet")
    for column in ("junk_reason", "same_as", "offered", "spotify_match", "lastfm_url"):
        assert again[column].tolist() == catalog[column].tolist(), column
    assert again["offered"].dtype == bool


@pytest.mark.parametrize(
    ("name", "not_theirs"),
    [("BoA", "scottish electronic"), ("múm", "stomp and holler"), ("Pink", "art rock")],
)
def test_no_artist_shows_the_genres_a_search_for_its_name_found_elsewhere(
    catalog, name: str, not_theirs: str
) -> None:
    row = by_name(catalog, name)  # the seed rows hold Boards of Canada's, Mumford's, Pink Floyd's
    assert not_theirs not in row["spotify_genres"]
    assert row["spotify_genres"] == [] and row["spotify_match"] == "ambiguous"


def test_no_seed_genres_belong_to_a_longer_named_seed_artist(catalog, data_dir) -> None:
    """The class, checked straight on the seed file: no artist shows a genre list that is also
    the whole list of a seed row whose name is the artist's name plus more words or letters
    (other than a backing band: "X & The Y"), e.g. "pink" → "pink floyd", "creed" →
    "creedence clearwater revival"."""
    from recommenders.text import accent_free

    names_by_genres: dict[tuple[str, ...], set[str]] = {}
    for artist, genres in spotify.read_seed(data_dir):
        names_by_genres.setdefault(tuple(genres), set()).add(accent_free(artist))
    shown = catalog[catalog["spotify_source"].eq("seed").fillna(False).astype(bool)]
    offending = []
    for name, genres in zip(shown["name"], shown["spotify_genres"], strict=True):
        own = accent_free(name)
        longer = {
            other
            for other in names_by_genres.get(tuple(genres), ())
            if other.startswith(own) and _more_than_punctuation(other[len(own) :])
        }
        if genres and longer:
            offending.append((name, sorted(longer)))
    assert offending == []


def _more_than_punctuation(rest: str) -> bool:
    """Not "!" ("cake!" is CAKE) and not a backing band (" & the news")."""
    band = rest.split(" ", 2)[1:2] in (["&"], ["and"], ["with"]) and rest.startswith(" ")
    return any(c.isalnum() for c in rest) and not band
