"""The live Spotify Web API client: spotipy without its own retries, and our retry rules."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import requests

logger = logging.getLogger("recommenders.spotify")

Sleep = Callable[[float], None]
# spotipy's package logger and the two modules that log requests (and their headers).
SPOTIPY_LOGGERS = ("spotipy", "spotipy.client", "spotipy.oauth2")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to insist on one API call before giving up on that artist.

    max_retries: retries after the first attempt (429, 5xx, timeouts, network errors, unreadable
        bodies), whether the API or the token endpoint failed.
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
    """The live step cannot go on this run (bad credentials, refused, unreachable, long rate
    limit); its message is shown to the user as is."""


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
        """function() with retries on 429 (Retry-After), 5xx, timeouts, network errors and
        unreadable bodies, from the API or from the token request spotipy makes inside it.

        Any other HTTP refusal is not retried (_GaveUp with its status; the caller decides).
        """
        from spotipy.exceptions import SpotifyException, SpotifyOauthError

        for attempt in range(self.policy.max_retries + 1):
            status, headers = None, None
            try:
                with _quiet_spotipy():
                    answer = function()
                if answer is not None:
                    return answer
                reason = "unreadable response body"  # spotipy answers None to a non-JSON 200
            except SpotifyOauthError as error:
                status, headers = _token_failure(error)  # _StopLive when it cannot succeed
                reason = f"token request failed (HTTP {status})" if status else "token failed"
            except SpotifyException as error:
                status, headers = error.http_status, error.headers
                reason = f"HTTP {status}"
                if status == 401:
                    raise _StopLive(
                        f"Spotify refused the access token (HTTP 401: {error.msg}). Check "
                        "SPOTIPY_CLIENT_ID / SPOTIPY_CLIENT_SECRET; using the seed and cache only."
                    ) from None
            except (requests.exceptions.RequestException, json.JSONDecodeError) as error:
                reason = type(error).__name__  # network, broken or undecodable transfer
            if status is not None and status != 429 and status < 500:
                raise _GaveUp(f"{what}: {reason}", status)  # a refusal: retrying won't help
            wait = _retry_after(headers) if status == 429 else self._backoff(attempt)
            if status == 429 and wait > self.policy.max_retry_after:
                raise _StopLive(
                    f"Spotify's rate limit asks to wait {wait:.0f} s (longer than the "
                    f"{self.policy.max_retry_after:.0f} s accepted); stopping live enrichment, "
                    "a later run resumes from the cache."
                )
            if attempt == self.policy.max_retries:
                raise _GaveUp(f"{what}: {reason}, {attempt + 1} attempts", status)
            logger.info("%s: %s, retrying in %.1f s", what, reason, wait)
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        """A random wait up to base * 2**attempt (full jitter, capped)."""
        ceiling = min(self.policy.max_delay, self.policy.base_delay * 2**attempt)
        return float(self.rng.uniform(0.5 * ceiling, ceiling))


def _token_failure(error: Any) -> tuple[int | None, Any]:
    """Status and headers of a failed token request; _StopLive when retrying cannot help.

    spotipy raises SpotifyOauthError for every HTTP error of the token endpoint and keeps the
    response only on the HTTPError it raised it from, so the status is read there. Only 401 or
    a 400 `invalid_client` means the credentials are wrong; 5xx and 429 are transient.
    """
    response = getattr(error.__context__, "response", None)
    status = getattr(response, "status_code", None)
    detail = f"HTTP {status}, {str(error.error)[:200]}: {str(error.error_description)[:200]}"
    if status == 401 or (status in (400, None) and error.error == "invalid_client"):
        raise _StopLive(
            f"Spotify rejected the client credentials ({detail}). Check SPOTIPY_CLIENT_ID / "
            "SPOTIPY_CLIENT_SECRET (the Client ID and secret of your app at "
            "developer.spotify.com/dashboard); using the offline seed and cache only."
        ) from None
    if status is not None and status != 429 and status < 500:
        raise _StopLive(
            f"Spotify's token endpoint refused the request ({detail}); this is not a "
            "credentials rejection and retrying will not help. Using the seed and cache only."
        ) from None
    return status, getattr(response, "headers", None)


@contextmanager
def _quiet_spotipy() -> Iterator[None]:
    """Silence spotipy's loggers (CRITICAL) for one call, then restore their levels.

    spotipy logs every HTTP error at ERROR although we retry and report them ourselves, and its
    DEBUG lines carry the Authorization header (base64 client_id:client_secret), which must not
    reach any log even under a DEBUG root logger. Done per call rather than once in make_client
    so that it also covers clients enrich() is given, and the process's own logging setup for
    spotipy is left as it was outside our calls.
    """
    loggers = [logging.getLogger(name) for name in SPOTIPY_LOGGERS]
    levels = [each.level for each in loggers]
    for each in loggers:
        each.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for each, level in zip(loggers, levels, strict=True):
            each.setLevel(level)


def _retry_after(headers: Any) -> float:
    """Seconds from a Retry-After header (1 when absent or unreadable)."""
    value = None
    if headers is not None:
        value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return 1.0
