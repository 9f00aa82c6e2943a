"""Live look-ups: search each Last.fm name, keep the closest Spotify artist, cache every answer."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from recommenders.spotify.cache import Cache
from recommenders.spotify.client import RetryPolicy, Sleep, _Fetcher, _GaveUp, _StopLive
from recommenders.text import accent_free

logger = logging.getLogger("recommenders.spotify")

# rapidfuzz ratio (0-100) on accent-folded names; below it a result is another artist
# ("Muse" vs "Musetta" scores 73), above it only spelling variants remain.
MATCH_THRESHOLD = 90.0
SEARCH_LIMIT = 10
ARTISTS_BATCH = 50  # the Web API's maximum number of ids per GET /v1/artists
# Fields a full artist object has and a trimmed search result may lack.
FULL_FIELDS = ("genres", "popularity", "followers")

Progress = Callable[[int, int], None]


def name_score(query: str, candidate: str) -> float:
    """Similarity 0-100 of two artist names (rapidfuzz ratio on accent-folded names)."""
    from rapidfuzz import fuzz

    return float(fuzz.ratio(accent_free(query), accent_free(candidate)))


def _largest_image(images: Iterable[dict[str, Any]] | None) -> str | None:
    """URL of the biggest image (Spotify lists sizes; missing sizes count as 0)."""
    best = max(
        images or [],
        key=lambda image: (image.get("width") or 0) * (image.get("height") or 0),
        default=None,
    )
    return best.get("url") if best else None


def _artist_fields(item: dict[str, Any], score: float) -> dict[str, Any]:
    """The cache's view of a Spotify artist object (search result or full object)."""
    followers = item.get("followers")
    return {
        "id": item.get("id"),
        "name": item.get("name"),
        "url": (item.get("external_urls") or {}).get("spotify"),
        "image_url": _largest_image(item.get("images")),
        "genres": [g for g in item.get("genres") or [] if isinstance(g, str)],
        "popularity": item.get("popularity"),
        "followers": followers.get("total") if isinstance(followers, dict) else None,
        "score": score,
    }


def best_match(
    query: str, items: Iterable[dict[str, Any]], threshold: float = MATCH_THRESHOLD
) -> tuple[dict[str, Any], float] | None:
    """The result most like `query` (ties: most popular, then smallest id); None below threshold."""
    scored = [
        (name_score(query, item.get("name") or ""), item.get("popularity") or 0, item["id"], item)
        for item in items
        if item and item.get("id")
    ]
    if not scored:
        return None
    score, _, _, item = min(scored, key=lambda s: (-s[0], -s[1], s[2]))
    return (item, score) if score >= threshold else None


def fetch_live(
    queries: list[str],
    cache: Cache,
    client: Any,
    *,
    policy: RetryPolicy | None = None,
    sleep: Sleep | None = None,
    rng: np.random.Generator | None = None,
    progress: Progress | None = None,
) -> int:
    """Search each name, append one cache record per artist settled; returns records written.

    Search results missing genres/popularity/followers are completed with GET /v1/artists in
    batches of 50 before their records are written. Artists whose calls fail after every retry
    get no record, so the next run tries them again. Raises _StopLive when the live step must end.
    """
    import time

    fetcher = _Fetcher(
        client, policy or RetryPolicy(), sleep or time.sleep, rng or np.random.default_rng()
    )
    pending: list[tuple[str, dict[str, Any], float]] = []
    written = 0
    failures_in_a_row = 0

    def flush() -> int:
        ids = [item["id"] for _, item, _ in pending]
        try:
            answer = fetcher.call("artists", lambda: client.artists(ids)) or {}
            full = {a["id"]: a for a in answer.get("artists") or [] if a and a.get("id")}
        except _GaveUp as error:
            if error.status is None or error.status >= 500 or error.status == 429:
                logger.warning("%s: %d artists left for a later run.", error, len(pending))
                pending.clear()
                return 0
            # A lasting refusal (e.g. 403 for apps without access to this endpoint): keep
            # what the search returned rather than searching again on every run.
            logger.warning("%s: keeping search fields for %d artists.", error, len(pending))
            full = {}
        for query, item, score in pending:
            cache.append(query, _artist_fields({**item, **full.get(item["id"], {})}, score))
        count = len(pending)
        pending.clear()
        return count

    for done, query in enumerate(queries, start=1):
        try:
            answer = fetcher.call(
                f"search {query!r}",
                lambda q=query: client.search(q=f'artist:"{q}"', type="artist", limit=SEARCH_LIMIT),
            )
        except _GaveUp as error:
            if error.status == 403:  # the app may not search at all: no use asking again
                raise _StopLive(
                    f"Spotify refused the request (403 Forbidden, {error}): the app's "
                    "credentials are not allowed to call this endpoint (e.g. an app in "
                    "development mode or with restricted Web API access). Check the app at "
                    "developer.spotify.com/dashboard; live enrichment stops for this run, "
                    "using the seed and cache only."
                ) from None
            failures_in_a_row += 1
            logger.info("%s; no record, a later run retries it.", error)
            if failures_in_a_row >= fetcher.policy.max_consecutive_failures:
                raise _StopLive(
                    f"Spotify is unreachable or failing: {failures_in_a_row} artists in a row "
                    f"failed after every retry (last: {error}). Nothing was recorded for them, "
                    "so a later run retries; using the seed and cache only."
                ) from None
            if progress is not None:
                progress(done, len(queries))
            continue
        failures_in_a_row = 0
        items = ((answer or {}).get("artists") or {}).get("items") or []
        match = best_match(query, items)
        if match is None:
            cache.append(query, None)
            written += 1
        elif all(field in match[0] for field in FULL_FIELDS):
            cache.append(query, _artist_fields(match[0], match[1]))
            written += 1
        else:
            pending.append((query, match[0], match[1]))
            if len(pending) == ARTISTS_BATCH:
                written += flush()
        if progress is not None:
            progress(done, len(queries))
    if pending:
        written += flush()
    return written
