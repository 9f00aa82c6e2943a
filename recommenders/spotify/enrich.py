"""The public step: one row of Spotify columns per Last.fm artist, from live answers and the seed.

A cached live match wins over the seed, but seed genres are kept when Spotify lists none. Either
source is used only when `trust` believes it; a believed live match beats a believed seed match,
and a match nobody believes is kept as "ambiguous" with nothing shown (no genres, image or page).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from recommenders.spotify.cache import CACHE_SUBDIR, Cache
from recommenders.spotify.client import RetryPolicy, Sleep, _StopLive, make_client
from recommenders.spotify.live import Progress, fetch_live
from recommenders.spotify.seed import seed_candidates
from recommenders.spotify.trust import AMBIGUOUS, TRUSTED, judge_api, judge_seed
from recommenders.text import accent_free

logger = logging.getLogger("recommenders.spotify")

COLUMNS = (
    "spotify_genres",
    "spotify_id",
    "spotify_url",
    "spotify_image_url",
    "spotify_popularity",
    "spotify_followers",
    "spotify_source",
    "spotify_match",
)
LASTFM_DIR = "hetrec2011-lastfm-2k"


def enrich(
    names: pd.Series,
    data_dir: Path,
    cache_dir: Path | None = None,
    live: bool | None = None,
    client: Any = None,
    progress: Progress | None = None,
    *,
    tags: pd.Series | None = None,
    policy: RetryPolicy | None = None,
    sleep: Sleep | None = None,
    rng: np.random.Generator | None = None,
) -> pd.DataFrame:
    """Spotify columns for each artist: live look-ups (cached) over the offline seed.

    names: artist_id → Last.fm name (n,). Returns a frame with the same index and COLUMNS.
    tags: artist_id → Last.fm tags, the evidence a match is checked against; None reads the top
    tags of data_dir's Last.fm files when they are there, else every artist counts as untagged.
    live=None means live when a client is given or both SPOTIPY_* variables are set. The
    client (a spotipy.Spotify or anything with .search/.artists) is built when not given.
    """
    data_dir = Path(data_dir)
    cache = Cache(Path(cache_dir) if cache_dir is not None else data_dir / CACHE_SUBDIR)
    candidates = seed_candidates(data_dir)
    queries = [str(name) for name in names.to_numpy()]
    if tags is None:
        tags = _lastfm_tags(data_dir)
    tag_lists = [_as_list(t) for t in tags.reindex(names.index)] if tags is not None else None

    client_id = os.environ.get("SPOTIPY_CLIENT_ID", "")
    client_secret = os.environ.get("SPOTIPY_CLIENT_SECRET", "")
    if live is None:
        live = client is not None or bool(client_id and client_secret)
    if live:
        if client is None and not (client_id and client_secret):
            logger.warning(
                "Live Spotify enrichment asked for but SPOTIPY_CLIENT_ID / "
                "SPOTIPY_CLIENT_SECRET are not set; using the offline seed and cache only."
            )
        else:
            cached = cache.read()
            todo = list(dict.fromkeys(q for q in queries if q not in cached))
            if todo:
                logger.info("Looking up %d artists on Spotify (%d cached).", len(todo), len(cached))
                try:
                    if client is None:
                        client = make_client(client_id, client_secret)
                    fetch_live(
                        todo, cache, client, policy=policy, sleep=sleep, rng=rng, progress=progress
                    )
                except _StopLive as error:
                    logger.warning("%s", error)
                except Exception as error:  # enrichment is optional: it never stops a build
                    detail = f"{type(error).__name__}: {error}"[:300]
                    logger.warning(
                        "Live Spotify enrichment stopped by an unexpected answer (%s); using the "
                        "seed and cache only, a later run resumes.",
                        detail.replace(client_secret, "***") if client_secret else detail,
                    )
                finally:
                    cache.close()
    else:
        logger.info("Spotify enrichment offline: seed and cache only (no live look-ups).")
    tag_lists = tag_lists or [[] for _ in queries]
    return assemble(names.index, queries, tag_lists, candidates, cache.read())


def _lastfm_tags(data_dir: Path) -> pd.Series | None:
    """artist_id → top Last.fm tags from data_dir's raw files, None when they are not there."""
    if not (data_dir / LASTFM_DIR).is_dir():
        return None
    from recommenders.data import load_dataset, top_tags

    return top_tags(load_dataset(data_dir))


def _as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple, np.ndarray)) else []


def assemble(
    index: pd.Index,
    queries: list[str],
    tags: Sequence[Sequence[str]],
    candidates: dict[str, list[list[str]]],
    cached: dict[str, dict[str, Any]],
) -> pd.DataFrame:
    """One row per artist: the believed live match, else the believed seed match, else nothing."""
    rows = [
        _one_artist(query, artist_tags, candidates.get(accent_free(query)), cached.get(query))
        for query, artist_tags in zip(queries, tags, strict=True)
    ]
    text = "string"
    column = {name: [r.get(name, pd.NA) for r in rows] for name in COLUMNS}
    return pd.DataFrame(
        {
            "spotify_genres": pd.Series(column["spotify_genres"], index=index, dtype=object),
            "spotify_id": pd.Series(column["spotify_id"], index=index, dtype=text),
            "spotify_url": pd.Series(column["spotify_url"], index=index, dtype=text),
            "spotify_image_url": pd.Series(column["spotify_image_url"], index=index, dtype=text),
            "spotify_popularity": pd.Series(
                column["spotify_popularity"], index=index, dtype="Int64"
            ),
            "spotify_followers": pd.Series(column["spotify_followers"], index=index, dtype="Int64"),
            "spotify_source": pd.Series(column["spotify_source"], index=index, dtype=text),
            "spotify_match": pd.Series(column["spotify_match"], index=index, dtype=text),
        },
        index=index,
    )


def _one_artist(
    query: str,
    tags: Sequence[str],
    seeded: list[list[str]] | None,
    record: dict[str, Any] | None,
) -> dict[str, Any]:
    """The Spotify fields of one artist (missing keys are NA)."""
    seed_verdict = judge_seed(query, seeded, tags) if seeded is not None else None
    seed_genres = list(seeded[0]) if seed_verdict == TRUSTED else []
    match = record.get("match") if record else None
    if match:
        api_genres = list(match.get("genres") or [])
        if judge_api(api_genres, tags) == TRUSTED:
            return {
                "spotify_genres": api_genres or seed_genres,
                "spotify_id": match.get("id") or pd.NA,
                "spotify_url": match.get("url") or pd.NA,
                "spotify_image_url": match.get("image_url") or pd.NA,
                "spotify_popularity": _int_or_na(match.get("popularity")),
                "spotify_followers": _int_or_na(match.get("followers")),
                "spotify_source": "api",
                "spotify_match": TRUSTED,
            }
    if seed_verdict == TRUSTED:
        return {"spotify_genres": seed_genres, "spotify_source": "seed", "spotify_match": TRUSTED}
    if match or seeded is not None:
        source = "api" if match else "seed"
        return {"spotify_genres": [], "spotify_source": source, "spotify_match": AMBIGUOUS}
    return {"spotify_genres": []}


def _int_or_na(value: Any) -> Any:
    """An int, or NA for missing / non-numeric values from the cache."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return pd.NA
    return int(value)
