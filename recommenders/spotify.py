"""Spotify enrichment of Last.fm artists: offline seed → on-disk cache → live Web API (spotipy).

The app must show Spotify genres with no network and no credentials, so three sources are layered:

1. the shipped seed `data/spotify/spotify_artist_genres.csv` (genres only, exact-name match);
2. an append-only JSON Lines cache of every artist looked up live (ids, links, images, counts);
3. the live Web API, used only for artists not yet cached, when credentials are available.

A live answer wins over the seed for the same artist, but seed genres are kept when Spotify lists
none. Failures of the live step (no credentials, bad credentials, no network, rate limits) are
logged once and the result falls back to seed + cache: enrichment never stops the build.

Run `python -m recommenders.spotify data` to enrich (live when SPOTIPY_CLIENT_ID and
SPOTIPY_CLIENT_SECRET are set) and print the coverage of the Last.fm artists and listening rows.
"""

from __future__ import annotations

import ast
import json
import logging
import os
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import requests

from recommenders.errors import DataValidationError

logger = logging.getLogger(__name__)

SEED_FILE = Path("spotify") / "spotify_artist_genres.csv"
CACHE_SUBDIR = Path("spotify") / "cache"
CACHE_FILE = "artists.jsonl"
CACHE_VERSION = 1

COLUMNS = (
    "spotify_genres",
    "spotify_id",
    "spotify_url",
    "spotify_image_url",
    "spotify_popularity",
    "spotify_followers",
    "spotify_source",
)

# rapidfuzz ratio (0-100) on accent-folded names; below it a result is another artist
# ("Muse" vs "Musetta" scores 73), above it only spelling variants remain.
MATCH_THRESHOLD = 90.0
SEARCH_LIMIT = 10
ARTISTS_BATCH = 50  # the Web API's maximum number of ids per GET /v1/artists
# Fields a full artist object has and a trimmed search result may lack.
FULL_FIELDS = ("genres", "popularity", "followers")

Progress = Callable[[int, int], None]
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to insist on one API call before giving up on that artist.

    max_retries: retries after the first attempt (429, 5xx, timeouts, connection errors).
    base_delay / max_delay: exponential backoff bounds in seconds, with full jitter.
    max_retry_after: a 429 asking to wait longer than this stops the live step for this run.
    max_consecutive_failures: this many artists in a row failing means Spotify is unreachable.
    """

    max_retries: int = 4
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_retry_after: float = 600.0
    max_consecutive_failures: int = 3


class _StopLive(Exception):
    """The live step cannot go on this run (bad credentials, unreachable, long rate limit)."""


class _GaveUp(Exception):
    """One call failed after every retry: skip this artist, record nothing, retry next run."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # HTTP status when Spotify answered, None for network errors


# ---------------------------------------------------------------------------------------------
# names


def normalise(name: str) -> str:
    """NFKC + casefold + collapsed whitespace: the exact-match key between Last.fm and Spotify."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _fold(name: str) -> str:
    """`normalise` without accents, so "Beyonce" and "Beyoncé" compare equal in fuzzy matching."""
    decomposed = unicodedata.normalize("NFKD", normalise(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_score(query: str, candidate: str) -> float:
    """Similarity 0-100 of two artist names (rapidfuzz ratio on accent-folded names)."""
    from rapidfuzz import fuzz

    return float(fuzz.ratio(_fold(query), _fold(candidate)))


# ---------------------------------------------------------------------------------------------
# offline seed


def _parse_genres(text: str) -> list[str]:
    """A Python-literal list of strings, parsed without eval (json when possible: 5x faster)."""
    if text == "[]":
        return []
    if '"' not in text and "\\" not in text:
        value = json.loads(text.replace("'", '"'))
    else:
        value = ast.literal_eval(text)
    if not isinstance(value, list) or not all(isinstance(g, str) for g in value):
        raise ValueError("not a list of strings")
    return value


def load_seed(data_dir: Path) -> dict[str, list[str]]:
    """Normalised artist name → Spotify genres from the shipped seed snapshot.

    Names that collide after normalisation are merged: union of genres in file order, so the
    result does not depend on anything but the file.
    """
    path = Path(data_dir) / SEED_FILE
    if not path.is_file():
        raise DataValidationError(f"{path}: Spotify seed file is missing (expected {SEED_FILE}).")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if list(frame.columns) != ["artists", "genres"]:
        raise DataValidationError(
            f"{path}, line 1: header is {list(frame.columns)}, expected ['artists', 'genres']."
        )
    seed: dict[str, list[str]] = {}
    for row, (artist, text) in enumerate(zip(frame["artists"], frame["genres"], strict=True)):
        try:
            genres = _parse_genres(text)
        except (ValueError, SyntaxError) as error:
            raise DataValidationError(
                f"{path}, line {row + 2}: genres {text[:60]!r} is not a list of strings "
                f"like \"['rock', 'indie']\" ({error})."
            ) from None
        merged = seed.setdefault(normalise(artist), [])
        merged.extend(g for g in genres if g not in merged)
    return seed


# ---------------------------------------------------------------------------------------------
# on-disk cache


class Cache:
    """Append-only JSON Lines of live look-ups, one record per Last.fm artist name queried.

    Record: {"v", "query", "fetched_at", "match"}; "match" is null when Spotify has no artist
    close enough, else {"id", "name", "url", "image_url", "genres", "popularity", "followers",
    "score"}. A later record for the same query wins. Every record is flushed and fsynced, so a
    killed run loses at most the line being written; that torn line is ignored on read and cut
    off before the next append.
    """

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / CACHE_FILE
        self._handle: Any = None

    def read(self) -> dict[str, dict[str, Any]]:
        """Query name → latest record; unreadable lines are skipped, never fatal."""
        records: dict[str, dict[str, Any]] = {}
        if not self.path.is_file():
            return records
        lines = self.path.read_bytes().split(b"\n")
        bad = 0
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                query = record["query"]
                if not isinstance(query, str) or "match" not in record:
                    raise ValueError("missing fields")
            except (ValueError, KeyError, TypeError):
                if number < len(lines):  # a torn last line is expected after a crash
                    bad += 1
                continue
            records[query] = record
        if bad:
            logger.warning("Ignored %d unreadable line(s) in %s.", bad, self.path)
        return records

    def append(self, query: str, match: dict[str, Any] | None) -> None:
        """Write one record durably (flush + fsync) before returning."""
        if self._handle is None:
            self._open()
        record = {
            "v": CACHE_VERSION,
            "query": query,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "match": match,
        }
        self._handle.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def _open(self) -> None:
        """Open for appending, first cutting a torn last line so it cannot swallow a record."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.is_file():
            data = self.path.read_bytes()
            if data and not data.endswith(b"\n"):
                with self.path.open("r+b") as handle:
                    handle.truncate(data.rfind(b"\n") + 1)
        self._handle = self.path.open("ab")

    def close(self) -> None:
        """Close the file (safe to call twice)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None


# ---------------------------------------------------------------------------------------------
# live Web API


def make_client(client_id: str, client_secret: str, timeout: float = 10.0) -> Any:
    """A spotipy client whose HTTP layer never retries, so `_Fetcher` owns retries and waits.

    spotipy's own urllib3 Retry would turn a 5xx or 429 into a bare "Max Retries" error without
    the status or Retry-After header, so it gets a plain `requests.Session` (no retry adapter)
    and retries=0 / status_retries=0. The token lives in memory (no `.cache` file in the cwd).
    """
    import spotipy
    from spotipy.cache_handler import MemoryCacheHandler

    auth = spotipy.SpotifyClientCredentials(
        client_id=client_id,
        client_secret=client_secret,
        requests_session=requests.Session(),
        requests_timeout=timeout,
        cache_handler=MemoryCacheHandler(),
    )
    return spotipy.Spotify(
        auth_manager=auth,
        requests_session=requests.Session(),
        requests_timeout=timeout,
        retries=0,
        status_retries=0,
    )


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


class _Fetcher:
    """Calls the API with our retry rules; raises _GaveUp (skip artist) or _StopLive (stop)."""

    def __init__(
        self, client: Any, policy: RetryPolicy, sleep: Sleep, rng: np.random.Generator
    ) -> None:
        self.client = client
        self.policy = policy
        self.sleep = sleep
        self.rng = rng

    def call(self, what: str, function: Callable[[], Any]) -> Any:
        """function() with retries on 429 (Retry-After), 5xx, timeouts and connection errors."""
        from spotipy.exceptions import SpotifyException, SpotifyOauthError

        for attempt in range(self.policy.max_retries + 1):
            last = attempt == self.policy.max_retries
            try:
                return function()
            except SpotifyOauthError as error:
                raise _StopLive(
                    f"Spotify rejected the client credentials ({error}). Check "
                    "SPOTIPY_CLIENT_ID / SPOTIPY_CLIENT_SECRET; using the offline seed only."
                ) from None
            except SpotifyException as error:
                status = error.http_status
                if status == 429:
                    wait = _retry_after(error.headers)
                    if wait > self.policy.max_retry_after:
                        raise _StopLive(
                            f"Spotify rate limit asks to wait {wait:.0f} s; stopping live "
                            "enrichment (a later run resumes from the cache)."
                        ) from None
                    if last:
                        raise _GaveUp(f"{what}: still rate limited") from None
                    logger.info("%s: rate limited, waiting %s s", what, wait)
                    self.sleep(wait)
                    continue
                if status == 401:
                    raise _StopLive(
                        f"Spotify refused the access token ({error.msg}); using the seed only."
                    ) from None
                if status is not None and status >= 500 and not last:
                    self._backoff(what, attempt, f"HTTP {status}")
                    continue
                raise _GaveUp(f"{what}: HTTP {status}", status) from None
            except (requests.exceptions.Timeout, requests.exceptions.ConnectionError) as error:
                if last:
                    raise _GaveUp(f"{what}: {type(error).__name__}") from None
                self._backoff(what, attempt, type(error).__name__)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, what: str, attempt: int, reason: str) -> None:
        """Sleep a random time up to base * 2**attempt (full jitter, capped)."""
        ceiling = min(self.policy.max_delay, self.policy.base_delay * 2**attempt)
        wait = float(self.rng.uniform(0.5 * ceiling, ceiling))
        logger.info("%s: %s, retrying in %.1f s", what, reason, wait)
        self.sleep(wait)


def _retry_after(headers: Any) -> float:
    """Seconds from a Retry-After header (1 when absent or unreadable)."""
    value = None
    if headers is not None:
        value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return 1.0


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
            failures_in_a_row += 1
            logger.info("%s; no record, a later run retries it.", error)
            if failures_in_a_row >= fetcher.policy.max_consecutive_failures:
                raise _StopLive(
                    f"Spotify is unreachable ({error}); using the seed and cache only."
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


# ---------------------------------------------------------------------------------------------
# the public step


def enrich(
    names: pd.Series,
    data_dir: Path,
    cache_dir: Path | None = None,
    live: bool | None = None,
    client: Any = None,
    progress: Progress | None = None,
    *,
    policy: RetryPolicy | None = None,
    sleep: Sleep | None = None,
    rng: np.random.Generator | None = None,
) -> pd.DataFrame:
    """Spotify columns for each artist: live look-ups (cached) over the offline seed.

    names: artist_id → Last.fm name (n,). Returns a frame with the same index and COLUMNS.
    live=None means live when a client is given or both SPOTIPY_* variables are set. The
    client (a spotipy.Spotify or anything with .search/.artists) is built when not given.
    """
    data_dir = Path(data_dir)
    cache = Cache(Path(cache_dir) if cache_dir is not None else data_dir / CACHE_SUBDIR)
    seed = load_seed(data_dir)
    queries = [str(name) for name in names.to_numpy()]

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
                finally:
                    cache.close()
    else:
        logger.info("Spotify enrichment offline: seed and cache only (no live look-ups).")
    return _assemble(names.index, queries, seed, cache.read())


def _assemble(
    index: pd.Index,
    queries: list[str],
    seed: dict[str, list[str]],
    cached: dict[str, dict[str, Any]],
) -> pd.DataFrame:
    """One row per artist: cached live match first, else the seed, else unknown."""
    n = len(queries)
    genres: list[list[str]] = []
    ids: list[Any] = [pd.NA] * n
    urls: list[Any] = [pd.NA] * n
    images: list[Any] = [pd.NA] * n
    popularity: list[Any] = [pd.NA] * n
    followers: list[Any] = [pd.NA] * n
    source: list[Any] = [pd.NA] * n
    for row, query in enumerate(queries):
        seeded = seed.get(normalise(query))
        record = cached.get(query)
        match = record.get("match") if record else None
        if match:
            genres.append(list(match.get("genres") or seeded or []))
            ids[row] = match.get("id") or pd.NA
            urls[row] = match.get("url") or pd.NA
            images[row] = match.get("image_url") or pd.NA
            popularity[row] = _int_or_na(match.get("popularity"))
            followers[row] = _int_or_na(match.get("followers"))
            source[row] = "api"
        else:
            genres.append(list(seeded) if seeded is not None else [])
            if seeded is not None:
                source[row] = "seed"
    text = "string"
    return pd.DataFrame(
        {
            "spotify_genres": pd.Series(genres, index=index, dtype=object),
            "spotify_id": pd.Series(ids, index=index, dtype=text),
            "spotify_url": pd.Series(urls, index=index, dtype=text),
            "spotify_image_url": pd.Series(images, index=index, dtype=text),
            "spotify_popularity": pd.Series(popularity, index=index, dtype="Int64"),
            "spotify_followers": pd.Series(followers, index=index, dtype="Int64"),
            "spotify_source": pd.Series(source, index=index, dtype=text),
        },
        index=index,
    )


def _int_or_na(value: Any) -> Any:
    """An int, or NA for missing / non-numeric values from the cache."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return pd.NA
    return int(value)


# ---------------------------------------------------------------------------------------------
# coverage


def coverage(enriched: pd.DataFrame, user_artists: pd.DataFrame) -> dict[str, float | int]:
    """How much of the catalog and of the listening the Spotify step covers.

    enriched: output of `enrich` (index artist_id); user_artists: rows with an `artist_id` column.
    "matched" = Spotify knows the artist (seed row or API match, even with no genres);
    "with_genres" = at least one genre, which is what the app can show. Listening rows of artists
    missing from `enriched` count as not covered.
    """
    matched = enriched["spotify_source"].notna()
    with_genres = enriched["spotify_genres"].map(len).gt(0)
    listened = user_artists["artist_id"]
    rows_matched = listened.map(matched).fillna(False).astype(bool)
    rows_genres = listened.map(with_genres).fillna(False).astype(bool)
    n_artists, n_rows = len(enriched), len(listened)

    def share(count: int, total: int) -> float:
        return count / total if total else 0.0

    result: dict[str, float | int] = {"artists": n_artists, "rows": n_rows}
    for key, count, total in (
        ("artists_matched", int(matched.sum()), n_artists),
        ("artists_with_genres", int(with_genres.sum()), n_artists),
        ("rows_matched", int(rows_matched.sum()), n_rows),
        ("rows_with_genres", int(rows_genres.sum()), n_rows),
    ):
        result[key] = count
        result[f"{key}_share"] = share(count, total)
    return result


def main(argv: list[str] | None = None) -> None:
    """CLI: enrich every artist (live when credentials are set) and print coverage as JSON."""
    import argparse

    from recommenders.data import load_dataset

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "data_dir", type=Path, help="folder with hetrec2011-lastfm-2k/ and spotify/"
    )
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--offline", action="store_true", help="never call the Web API")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    data = load_dataset(args.data_dir)
    names = data.artists.set_index("artist_id")["name"]
    enriched = enrich(names, args.data_dir, args.cache_dir, live=False if args.offline else None)
    print(json.dumps(coverage(enriched, data.user_artists), indent=2))


if __name__ == "__main__":
    main()
