"""Spotify enrichment of Last.fm artists: offline seed → on-disk cache → live Web API (spotipy).

The app must show Spotify genres with no network and no credentials, so three sources are layered:

1. the shipped seed `data/spotify/spotify_artist_genres.csv` (genres only; `seed`);
2. an append-only JSON Lines cache of every artist looked up live (ids, links, images, counts;
   `cache`);
3. the live Web API, used only for artists not yet cached, when credentials are available
   (`client` for retries, `live` for search + matching).

A name match is believed only when `trust` says so (unique name, genres agreeing with the
artist's Last.fm tags); `enrich` assembles the columns and `coverage` measures them. Failures of
the live step (no credentials, bad credentials, no network, rate limits) are logged once and the
result falls back to seed + cache: enrichment never stops the build.

Run `python -m recommenders.spotify data` to enrich (live when SPOTIPY_CLIENT_ID and
SPOTIPY_CLIENT_SECRET are set) and print the coverage of the Last.fm artists and listening rows.
"""

from recommenders.spotify.cache import CACHE_FILE, CACHE_SUBDIR, CACHE_VERSION, Cache
from recommenders.spotify.cli import main, match_samples
from recommenders.spotify.client import RetryPolicy, make_client
from recommenders.spotify.coverage import coverage
from recommenders.spotify.enrich import COLUMNS, assemble, enrich
from recommenders.spotify.families import FAMILIES, genre_families, tag_families
from recommenders.spotify.live import (
    ARTISTS_BATCH,
    FULL_FIELDS,
    MATCH_THRESHOLD,
    SEARCH_LIMIT,
    best_match,
    fetch_live,
    name_score,
)
from recommenders.spotify.seed import (
    SEED_FILE,
    borrowed_rows,
    load_seed,
    read_seed,
    seed_candidates,
)
from recommenders.spotify.trust import (
    AMBIGUOUS,
    TRUSTED,
    genres_agree,
    is_distinctive,
    judge_api,
    judge_seed,
)
from recommenders.text import normalise

__all__ = [
    "AMBIGUOUS",
    "ARTISTS_BATCH",
    "CACHE_FILE",
    "CACHE_SUBDIR",
    "CACHE_VERSION",
    "COLUMNS",
    "FAMILIES",
    "FULL_FIELDS",
    "MATCH_THRESHOLD",
    "SEARCH_LIMIT",
    "SEED_FILE",
    "TRUSTED",
    "Cache",
    "RetryPolicy",
    "assemble",
    "best_match",
    "borrowed_rows",
    "coverage",
    "enrich",
    "fetch_live",
    "genre_families",
    "genres_agree",
    "is_distinctive",
    "judge_api",
    "judge_seed",
    "load_seed",
    "main",
    "make_client",
    "match_samples",
    "name_score",
    "normalise",
    "read_seed",
    "seed_candidates",
    "tag_families",
]
