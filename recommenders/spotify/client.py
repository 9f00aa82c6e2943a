"""The live Spotify Web API client: spotipy without its own retries, and our retry rules."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import requests

logger = logging.getLogger("recommenders.spotify")

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
