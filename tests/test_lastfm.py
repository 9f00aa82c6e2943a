"""fetch_top_artists against hand-written Last.fm JSON API answers replayed by `responses` at the
requests boundary (no network): combining periods, and one clear error per kind of failure."""

from __future__ import annotations

import json
import logging
import traceback
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import requests
import responses
from responses import matchers

from recommenders import lastfm
from recommenders.errors import RecommenderInputError
from recommenders.lastfm import (
    LastfmBadApiKey,
    LastfmBadUsername,
    LastfmError,
    LastfmNetworkError,
    LastfmNoData,
    LastfmRateLimited,
    LastfmServiceDown,
    LastfmUnavailable,
    LastfmUserNotFound,
    fetch_top_artists,
)

FIXTURES = Path(__file__).parent / "fixtures" / "lastfm"
KEY = "0123456789abcdef0123456789abcdef"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def answer(period: str, body: dict | str, status: int = 200, user: str = "rj") -> None:
    """Replay `body` for the user.getTopArtists call of `period` (and only that call)."""
    expected = {
        "method": "user.gettopartists",
        "user": user,
        "period": period,
        "limit": "1000",
        "page": "1",
        "api_key": KEY,
        "format": "json",
    }
    kwargs = {"json": body} if isinstance(body, dict) else {"body": body}
    responses.add(
        responses.POST,
        lastfm.API_URL,
        status=status,
        match=[matchers.urlencoded_params_matcher(expected)],
        **kwargs,
    )


@pytest.fixture(autouse=True)
def no_environment_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see a developer's real key."""
    monkeypatch.delenv(lastfm.API_KEY_ENV, raising=False)


def assert_key_kept_secret(error: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    """Neither the message, nor the traceback a log handler would print, nor the logs hold it."""
    assert KEY not in str(error)
    assert KEY not in "".join(traceback.format_exception(error))
    assert KEY not in caplog.text


@responses.activate
def test_periods_combine_by_largest_play_count() -> None:
    answer("overall", fixture("topartists_overall.json"))
    answer("12month", fixture("topartists_12month.json"))
    table = fetch_top_artists("rj", api_key=KEY)
    assert list(table.columns) == ["artist", "plays"]
    assert table["plays"].dtype == np.int64
    assert pd.api.types.is_string_dtype(table["artist"])
    # Radiohead: max(2431, 61), not the sum; Fontaines D.C. only in the last 12 months.
    assert dict(zip(table["artist"], table["plays"], strict=True)) == {
        "Radiohead": 2431,
        "Король и Шут": 907,
        "Sigur Rós": 512,
        "宇多田ヒカル": 88,
        "Fontaines D.C.": 40,
    }
    assert list(table["plays"]) == sorted(table["plays"], reverse=True)
    assert len(responses.calls) == 2


@responses.activate
def test_key_from_the_environment_and_one_period(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lastfm.API_KEY_ENV, KEY)
    answer("12month", fixture("topartists_12month.json"))
    table = fetch_top_artists("rj", periods=("12month",))
    assert table["artist"].tolist() == ["宇多田ヒカル", "Radiohead", "Fontaines D.C."]


@responses.activate
def test_key_is_sent_in_the_body_not_the_url() -> None:
    answer("overall", fixture("topartists_overall.json"))
    fetch_top_artists("rj", api_key=KEY, periods="overall")
    request = responses.calls[0].request
    assert KEY not in request.url
    assert request.method == "POST"


@responses.activate
def test_a_lone_artist_is_sent_as_an_object() -> None:
    answer("overall", fixture("topartists_single.json"), user="someone")
    table = fetch_top_artists("someone", api_key=KEY, periods=["overall"])
    assert table.to_dict("list") == {"artist": ["Björk"], "plays": [12]}


@responses.activate
def test_no_listening_in_any_period() -> None:
    answer("overall", fixture("topartists_empty.json"), user="quiet_one")
    answer("12month", fixture("topartists_empty.json"), user="quiet_one")
    with pytest.raises(LastfmNoData, match="no listening"):
        fetch_top_artists("quiet_one", api_key=KEY)


def test_without_a_key_the_option_is_unavailable() -> None:
    with pytest.raises(LastfmUnavailable) as caught:
        fetch_top_artists("rj")
    message = str(caught.value)
    assert "LASTFM_API_KEY" in message
    assert "https://www.last.fm/api/account/create" in message
    assert isinstance(caught.value, RecommenderInputError)


@pytest.mark.parametrize(
    ("fixture_name", "error_type", "fragment"),
    [
        ("error_6_user_not_found.json", LastfmUserNotFound, "no Last.fm user"),
        ("error_17_login_required.json", LastfmNoData, "private"),
        ("error_29_rate_limit.json", LastfmRateLimited, "try again in a minute"),
        ("error_10_invalid_key.json", LastfmBadApiKey, "refused the API key"),
        ("error_26_suspended_key.json", LastfmBadApiKey, "LASTFM_API_KEY"),
        ("error_11_offline.json", LastfmServiceDown, "temporarily unavailable"),
        ("error_16_temporary.json", LastfmServiceDown, "temporarily unavailable"),
        ("error_8_operation_failed.json", LastfmServiceDown, "temporarily unavailable"),
    ],
)
@pytest.mark.parametrize("status", [200, 400, 403, 404, 500])
@responses.activate
def test_api_errors(
    fixture_name: str,
    error_type: type[LastfmError],
    fragment: str,
    status: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    answer("overall", fixture(fixture_name), status=status)
    with pytest.raises(error_type, match=fragment) as caught:
        fetch_top_artists("rj", api_key=KEY)
    assert isinstance(caught.value, LastfmError)
    assert_key_kept_secret(caught.value, caplog)


@responses.activate
def test_unknown_api_error_keeps_last_fm_message_without_the_key() -> None:
    answer("overall", {"error": 99, "message": f"Odd failure for key {KEY}"})
    with pytest.raises(LastfmError, match="error 99") as caught:
        fetch_top_artists("rj", api_key=KEY)
    assert type(caught.value) is LastfmError
    assert KEY not in str(caught.value)


@responses.activate
def test_http_429_without_a_json_body() -> None:
    answer("overall", "Too Many Requests", status=429)
    with pytest.raises(LastfmRateLimited, match="try again in a minute"):
        fetch_top_artists("rj", api_key=KEY)


@responses.activate
def test_http_5xx_html_page() -> None:
    answer("overall", (FIXTURES / "http_503.html").read_text(), status=503)
    with pytest.raises(LastfmServiceDown, match="HTTP 503"):
        fetch_top_artists("rj", api_key=KEY)


@pytest.mark.parametrize(
    ("body", "status"),
    [("<html>Gateway</html>", 200), ("[1, 2]", 200), ('{"topartists": 3}', 200), ("", 404)],
)
@responses.activate
def test_unexpected_answers(body: str, status: int) -> None:
    answer("overall", body, status=status)
    with pytest.raises(LastfmServiceDown, match="unexpected"):
        fetch_top_artists("rj", api_key=KEY)


@pytest.mark.parametrize(
    ("failure", "error_fragment"),
    [
        (requests.ConnectTimeout(f"timed out: {lastfm.API_URL}?api_key={KEY}"), "did not answer"),
        (requests.ReadTimeout("read timed out"), "did not answer"),
        (requests.ConnectionError(f"Max retries exceeded api_key={KEY}"), "could not reach"),
    ],
)
@responses.activate
def test_network_failures(
    failure: Exception, error_fragment: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    responses.add(responses.POST, lastfm.API_URL, body=failure)
    with pytest.raises(LastfmNetworkError) as caught:
        fetch_top_artists("rj", api_key=KEY)
    assert error_fragment in str(caught.value).lower()
    assert_key_kept_secret(caught.value, caplog)


@pytest.mark.parametrize(
    "username",
    ["", "r", "1rj", "_rj", "rj!", "ab cd", "a" * 16, "Ünïcode", "rj/../admin", None, 42],
)
@responses.activate
def test_bad_usernames_are_refused_before_any_call(username) -> None:
    with pytest.raises(LastfmBadUsername, match="2 to 15 characters"):
        fetch_top_artists(username, api_key=KEY)
    assert len(responses.calls) == 0


@pytest.mark.parametrize("username", ["rj", "RJ", "a-b_c", "Abcdefghij12345", " rj "])
@responses.activate
def test_good_usernames(username: str) -> None:
    answer("overall", fixture("topartists_single.json"), user=username.strip())
    assert len(fetch_top_artists(username, api_key=KEY, periods=["overall"])) == 1


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"periods": ["forever"]}, "accepted: overall"),
        ({"periods": []}, "none given"),
        ({"limit": 0}, "1 to 1000"),
        ({"limit": 1001}, "1 to 1000"),
        ({"limit": True}, "1 to 1000"),
    ],
)
def test_bad_options(kwargs: dict, fragment: str) -> None:
    with pytest.raises(LastfmError, match=fragment):
        fetch_top_artists("rj", api_key=KEY, **kwargs)
