"""A visitor's top artists from their public Last.fm profile (user.getTopArtists).

`fetch_top_artists(username)` returns the same table as `recommenders.history.read_history`
(`artist`, `plays`), so a Last.fm username and an uploaded export feed the same matcher.

Why a small `requests` client rather than `pylast`: pylast speaks Last.fm's XML API and opens its
own `httpx.Client` inside each call, so its HTTP layer cannot be handed a replay transport; tests
would need another mocking library (respx) and the app two more dependencies (pylast, httpx).
`requests` is already pinned and its answers are replayed in tests with `responses`, as for
Spotify. The JSON API needs one call per period.

The API key comes from the argument or the LASTFM_API_KEY environment variable. It is sent in a
POST body, never in a URL (urllib3 logs request URLs at DEBUG level, proxies log them too), and no
error message, log line or chained exception carries it: errors are raised `from None` because a
requests exception's text can contain the request.

Each failure has its own `LastfmError` subclass (all are `RecommenderInputError`, a ValueError)
with a message the UI can show as is.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import requests

from recommenders.errors import RecommenderInputError

logger = logging.getLogger(__name__)

API_URL = "https://ws.audioscrobbler.com/2.0/"
API_KEY_ENV = "LASTFM_API_KEY"
API_KEY_HELP = (
    "set the LASTFM_API_KEY environment variable to a Last.fm API key "
    "(free: create an API account at https://www.last.fm/api/account/create)"
)
PERIODS = ("overall", "7day", "1month", "3month", "6month", "12month")
DEFAULT_PERIODS = ("overall", "12month")
MAX_LIMIT = 1000  # the API's largest page
DEFAULT_LIMIT = 1000
TIMEOUT_SECONDS = 10.0
USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{1,14}")
USERNAME_RULE = "2 to 15 characters (letters, digits, _ or -) starting with a letter"

# Last.fm API error codes (https://www.last.fm/api/errorcodes) grouped by what the visitor can do.
USER_NOT_FOUND = frozenset({6})
LOGIN_REQUIRED = frozenset({17})
RATE_LIMITED = frozenset({29})
BAD_API_KEY = frozenset({10, 26})  # invalid, suspended
SERVICE_DOWN = frozenset({8, 11, 16})  # operation failed, offline, temporarily unavailable


class LastfmError(RecommenderInputError):
    """Top artists could not be fetched from Last.fm; the message says why and what to do."""


class LastfmUnavailable(LastfmError):
    """No API key: the Last.fm option is off until LASTFM_API_KEY is set."""


class LastfmBadUsername(LastfmError):
    """The text given is not a possible Last.fm username."""


class LastfmUserNotFound(LastfmError):
    """Last.fm has no user of that name (API error 6)."""


class LastfmNoData(LastfmError):
    """The profile hides its listening (API error 17) or has none in the periods asked."""


class LastfmRateLimited(LastfmError):
    """Too many calls with this API key (API error 29)."""


class LastfmBadApiKey(LastfmError):
    """Last.fm refused the API key (API error 10 or 26)."""


class LastfmServiceDown(LastfmError):
    """Last.fm is down or answered something unusable (errors 8/11/16, HTTP 5xx, not JSON)."""


class LastfmNetworkError(LastfmError):
    """Last.fm could not be reached (no connection, DNS failure, timeout)."""


def fetch_top_artists(
    username: str,
    api_key: str | None = None,
    periods: Iterable[str] = DEFAULT_PERIODS,
    limit: int = DEFAULT_LIMIT,
    *,
    session: requests.Session | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> pd.DataFrame:
    """A Last.fm user's top artists: columns `artist` (str) and `plays` (int64 ≥ 1), most
    played first, ties by name; at most `limit` artists per period, combined over `periods`.

    Periods are combined by taking each artist's largest play count, not the sum: a 12-month
    count is part of the overall count, so summing would count recent plays twice, while the
    maximum keeps the overall count and still brings in recent artists that fall outside the
    overall top `limit`.
    """
    username = _checked_username(username)
    periods = _checked_periods(periods)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise LastfmError(f"limit must be a whole number from 1 to {MAX_LIMIT}, not {limit!r}")
    api_key = api_key or os.environ.get(API_KEY_ENV, "").strip()
    if not api_key:
        raise LastfmUnavailable(f"Reading a Last.fm profile needs an API key: {API_KEY_HELP}")
    plays: dict[str, int] = {}
    for period in periods:
        answer = _call(
            {"method": "user.gettopartists", "user": username, "period": period,
             "limit": str(limit), "page": "1", "api_key": api_key, "format": "json"},
            session=session,
            timeout=timeout,
        )  # fmt: skip
        for name, count in _top_artists(answer):
            plays[name] = max(plays.get(name, 0), count)
    rows = sorted(
        ((name, count) for name, count in plays.items() if count >= 1),
        key=lambda row: (-row[1], row[0]),
    )
    if not rows:
        raise LastfmNoData(
            "This Last.fm profile has no listening in the periods asked (or hides it); "
            "scrobble some music first, or upload a listening history instead"
        )
    logger.info("fetched %d Last.fm top artists over %d periods", len(rows), len(periods))
    return pd.DataFrame(
        {
            "artist": pd.Series([name for name, _ in rows], dtype="str"),
            "plays": np.array([count for _, count in rows], dtype=np.int64),
        }
    )


def _checked_username(username: Any) -> str:
    text = username.strip() if isinstance(username, str) else ""
    if not USERNAME.fullmatch(text):
        shown = repr(username)[:40]
        raise LastfmBadUsername(f"{shown} is not a Last.fm username: use {USERNAME_RULE}")
    return text


def _checked_periods(periods: Iterable[str]) -> tuple[str, ...]:
    chosen = (periods,) if isinstance(periods, str) else tuple(periods)
    unknown = [period for period in chosen if period not in PERIODS]
    if not chosen or unknown:
        raise LastfmError(
            f"Unknown Last.fm period(s) {unknown or 'none given'}; accepted: {', '.join(PERIODS)}"
        )
    return tuple(dict.fromkeys(chosen))


def _call(
    params: Mapping[str, str], session: requests.Session | None, timeout: float
) -> dict[str, Any]:
    """One API call; raises the LastfmError subclass that matches the failure."""
    http = session or requests
    try:
        response = http.post(API_URL, data=dict(params), timeout=timeout)
    except requests.Timeout:
        raise LastfmNetworkError(
            f"Last.fm did not answer within {timeout:g} seconds; try again later"
        ) from None
    except requests.RequestException:
        raise LastfmNetworkError(
            "Could not reach Last.fm (no connection or name lookup failed); try again later"
        ) from None
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if isinstance(answer, dict) and "error" in answer:
        _raise_api_error(answer, api_key=params.get("api_key", ""))
    if response.status_code == 429:
        raise LastfmRateLimited("Last.fm is limiting requests right now; try again in a minute")
    if response.status_code >= 500:
        raise LastfmServiceDown(
            f"Last.fm is having trouble (HTTP {response.status_code}); try again in a few minutes"
        )
    if response.status_code >= 400 or not isinstance(answer, dict):
        raise LastfmServiceDown(
            f"Last.fm sent an unexpected answer (HTTP {response.status_code}); try again later"
        )
    return answer


def _raise_api_error(answer: dict[str, Any], api_key: str) -> None:
    code = answer.get("error")
    if code in USER_NOT_FOUND:
        raise LastfmUserNotFound("There is no Last.fm user of that name; check the spelling")
    if code in LOGIN_REQUIRED:
        raise LastfmNoData(
            "This Last.fm profile keeps its listening private; make it public in the Last.fm "
            "privacy settings, or upload a listening history instead"
        )
    if code in RATE_LIMITED:
        raise LastfmRateLimited("Last.fm is limiting requests right now; try again in a minute")
    if code in BAD_API_KEY:
        raise LastfmBadApiKey(f"Last.fm refused the API key (invalid or suspended); {API_KEY_HELP}")
    if code in SERVICE_DOWN:
        raise LastfmServiceDown("Last.fm is temporarily unavailable; try again in a few minutes")
    message = str(answer.get("message", ""))[:200]
    if api_key:
        message = message.replace(api_key, "***")
    raise LastfmError(f"Last.fm answered with error {code!r}: {message}")


def _top_artists(answer: dict[str, Any]) -> list[tuple[str, int]]:
    """(name, playcount) pairs of a user.getTopArtists answer."""
    try:
        artists = answer["topartists"].get("artist", [])
        if isinstance(artists, dict):  # the JSON API sends a lone artist as an object
            artists = [artists]
        return [(str(item["name"]), int(item["playcount"])) for item in artists]
    except (AttributeError, KeyError, TypeError, ValueError):
        raise LastfmServiceDown(
            "Last.fm sent top artists in an unexpected shape; try again later"
        ) from None
