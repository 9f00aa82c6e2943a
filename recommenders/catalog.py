"""One artist table: what the app shows about an artist, built once from the raw data."""

from __future__ import annotations

from urllib.parse import quote

import numpy as np
import pandas as pd

from recommenders.aliases import artist_aliases
from recommenders.cleaning import add_cleaning_columns, lastfm_urls
from recommenders.data import LastfmData
from recommenders.data import top_tags as top_tags  # raw tags: the Spotify trust's evidence
from recommenders.spotify import COLUMNS as SPOTIFY_OUTPUT_COLUMNS
from recommenders.tag_vocabulary import genre_tags

SPOTIFY_COLUMNS = list(SPOTIFY_OUTPUT_COLUMNS)


def build_catalog(data: LastfmData, spotify: pd.DataFrame | None = None) -> pd.DataFrame:
    """Artist table indexed by artist_id (every artist of artists.dat, sorted by id).

    Columns: name, lastfm_url (https, double encoding undone), image_url (Spotify image, NA when
    unknown: the 2011 Last.fm picture links are all dead), listeners, plays, tags (the top 10
    tags of the genre vocabulary, `recommenders.tag_vocabulary`, ranked by how many users gave
    them; raw tags such as "seen live" are kept nowhere), spotify_genres, spotify_url (the
    artist page when matched and trusted, else a Spotify search link), spotify_id,
    spotify_popularity, spotify_followers, spotify_source, spotify_match ("trusted",
    "ambiguous" name collision, NA: no match), and from `recommenders.cleaning`: junk_reason (NA
    when clean), same_as (id of the main spelling), offered (clean and main spelling: what
    pickers and result lists may show).
    """
    artists = data.artists.set_index("artist_id").sort_index()
    catalog = pd.DataFrame(index=artists.index)
    catalog["name"] = artists["name"]
    catalog["lastfm_url"] = lastfm_urls(artists["name"], artists["url"])
    catalog["aliases"] = artist_aliases(data, catalog["name"])  # names people type: aliases.py

    by_artist = data.user_artists.groupby("artist_id")["weight"]
    catalog["listeners"] = by_artist.size().reindex(catalog.index, fill_value=0).astype("int64")
    catalog["plays"] = by_artist.sum().reindex(catalog.index, fill_value=0).astype("int64")
    catalog["tags"] = genre_tags(data).reindex(catalog.index)
    catalog["tags"] = catalog["tags"].apply(lambda t: list(t) if isinstance(t, list) else [])

    spotify = _spotify_or_empty(spotify, catalog.index)
    for column in SPOTIFY_COLUMNS:
        catalog[column] = spotify[column]
    catalog["spotify_genres"] = catalog["spotify_genres"].apply(
        lambda g: list(g) if isinstance(g, (list, np.ndarray)) else []
    )
    search = "https://open.spotify.com/search/" + catalog["name"].map(lambda n: quote(n, safe=""))
    catalog["spotify_url"] = catalog["spotify_url"].fillna(search).astype("str")
    catalog["image_url"] = catalog["spotify_image_url"]
    catalog.index.name = "artist_id"
    return add_cleaning_columns(catalog)


def _spotify_or_empty(spotify: pd.DataFrame | None, index: pd.Index) -> pd.DataFrame:
    """The enrichment aligned to the catalog; all-unknown when enrichment was skipped."""
    if spotify is None:
        spotify = pd.DataFrame(index=index)
    spotify = spotify.reindex(index)
    for column in SPOTIFY_COLUMNS:
        if column not in spotify:
            spotify[column] = pd.NA
    for column in ("spotify_popularity", "spotify_followers"):
        spotify[column] = spotify[column].astype("Int64")
    return spotify


def genre_and_tag_labels(catalog: pd.DataFrame) -> pd.Series:
    """artist_id → set of lower-cased tags and genres, what the tag/genre filter matches on."""
    return pd.Series(
        [
            {t.casefold() for t in tags} | {g.casefold() for g in genres}
            for tags, genres in zip(catalog["tags"], catalog["spotify_genres"], strict=True)
        ],
        index=catalog.index,
    )


LIST_COLUMNS = ("tags", "spotify_genres", "aliases")
OPTIONAL_COLUMNS = ("aliases",)  # absent from bundles written before the column existed


def read_catalog(path) -> pd.DataFrame:
    """Read a catalog written with ``DataFrame.to_parquet``; list columns come back as lists."""
    catalog = pd.read_parquet(path)
    for column in LIST_COLUMNS:
        if column in OPTIONAL_COLUMNS and column not in catalog:
            continue
        # parquet gives numpy arrays of str; tolist() converts in C (a per-item str() loop took
        # most of the catalog's read time at every start)
        catalog[column] = [values.tolist() for values in catalog[column]]
    return catalog
