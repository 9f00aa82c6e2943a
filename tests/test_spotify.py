"""Spotify enrichment: seed parsing on the real CSV, the JSONL cache, and the live path against
hand-written Spotify Web API responses served by `responses` at the HTTP boundary (no network)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import requests
import responses
from responses import matchers

from recommenders import spotify
from recommenders.errors import DataValidationError

FIXTURES = Path(__file__).parent / "fixtures" / "spotify"
TOKEN = "https://accounts.spotify.com/api/token"
SEARCH = "https://api.spotify.com/v1/search"
ARTISTS = "https://api.spotify.com/v1/artists/"  # spotipy requests "artists/?ids=..."

SEED_CSV = """artists,genres
Muse,['seed rock']
Muse Tribute Band,['seed tribute']
Sigur Rós,['seed post-rock']
Seeded Only,"['seed pop', ""children's music""]"
Empty Seeded,[]
KAI,['k-pop']
Kai,"['k-pop', 'korean r&b']"
"""


# ---------------------------------------------------------------------------------------------
# helpers


def load_fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    """A data dir holding only a small hand-written seed."""
    (tmp_path / "data" / "spotify").mkdir(parents=True)
    (tmp_path / "data" / "spotify" / "spotify_artist_genres.csv").write_text(SEED_CSV, "utf-8")
    return tmp_path / "data"


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's real credentials."""
    monkeypatch.delenv("SPOTIPY_CLIENT_ID", raising=False)
    monkeypatch.delenv("SPOTIPY_CLIENT_SECRET", raising=False)


@pytest.fixture
def api():
    """A mocked Spotify: the token endpoint answers once; every registered call must happen."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.add(responses.POST, TOKEN, json=load_fixture("token.json"))
        yield rsps


def add_search(
    rsps: responses.RequestsMock,
    artist: str,
    fixture: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    body: Exception | str | None = None,
) -> None:
    """Register one answer to GET /v1/search?q=artist:"<artist>"&type=artist&limit=10.

    body: an exception to raise, or a raw (e.g. garbled) text body, instead of a fixture."""
    match = [
        matchers.query_param_matcher(
            {"q": f'artist:"{artist}"', "type": "artist", "limit": "10"}, strict_match=False
        )
    ]
    if body is not None:
        rsps.add(responses.GET, SEARCH, body=body, status=status, match=match)
    else:
        rsps.add(
            responses.GET,
            SEARCH,
            json=load_fixture(fixture or "search_empty.json"),
            status=status,
            headers=headers,
            match=match,
        )


def searched(rsps: responses.RequestsMock) -> list[str]:
    """The q parameter of every search request made (matched or not)."""
    from urllib.parse import parse_qs, urlparse

    return [
        parse_qs(urlparse(call.request.url).query)["q"][0]
        for call in rsps.calls
        if call.request.url.startswith(SEARCH)
    ]


def names_of(*names: str) -> pd.Series:
    return pd.Series(list(names), index=pd.Index(range(1, len(names) + 1), name="artist_id"))


def run_live(data: Path, cache: Path, names: pd.Series, sleeps: list[float]) -> pd.DataFrame:
    client = spotify.make_client("test-id", "test-secret")
    return spotify.enrich(
        names,
        data,
        cache,
        live=True,
        client=client,
        sleep=sleeps.append,
        rng=np.random.default_rng(0),
    )


def row(frame: pd.DataFrame, name: str, names: pd.Series) -> pd.Series:
    return frame.loc[names[names == name].index[0]]


def our_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("recommenders.spotify") and r.levelno >= logging.WARNING
    ]


# ---------------------------------------------------------------------------------------------
# seed


def test_seed_merges_names_equal_after_normalising(small_data: Path) -> None:
    seed = spotify.load_seed(small_data)
    assert seed["kai"] == ["k-pop", "korean r&b"]  # union in file order, no repeats
    assert seed["seeded only"] == ["seed pop", "children's music"]
    assert seed["empty seeded"] == []
    assert seed["sigur rós"] == ["seed post-rock"]


def test_seed_rejects_non_literal_genres_without_evaluating(small_data: Path) -> None:
    path = small_data / "spotify" / "spotify_artist_genres.csv"
    path.write_text(SEED_CSV + "Evil,\"__import__('os').system('false')\"\n", "utf-8")
    with pytest.raises(DataValidationError, match=r"line 9: genres"):
        spotify.load_seed(small_data)
    path.write_text(SEED_CSV + "Not strings,[1; 2]\n", "utf-8")
    with pytest.raises(DataValidationError, match="line 9"):
        spotify.load_seed(small_data)


def test_seed_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match="spotify_artist_genres.csv"):
        spotify.load_seed(tmp_path)


def test_offline_enrich_on_real_data_gives_known_genres(lastfm_data, data_dir: Path, tmp_path):
    names = lastfm_data.artists.set_index("artist_id")["name"]
    enriched = spotify.enrich(names, data_dir, tmp_path / "cache", live=False)
    assert enriched.index.equals(names.index)
    assert list(enriched.columns) == list(spotify.COLUMNS)
    assert enriched["spotify_followers"].dtype == "Int64"
    assert enriched["spotify_popularity"].dtype == "Int64"
    expected = {
        "Radiohead": [
            "alternative rock",
            "art rock",
            "melancholia",
            "oxford indie",
            "permanent wave",
            "rock",
        ],
        "Muse": ["modern rock", "permanent wave", "rock"],
        "System of a Down": [
            "alternative metal",
            "nu metal",
            "rap metal",
        ],  # seed spells it "System Of A Down"
        "Beyoncé": ["dance pop", "pop", "pop dance", "post-teen pop", "r&b"],
    }
    for name, genres in expected.items():
        found = row(enriched, name, names)
        assert found["spotify_genres"] == genres, name
        assert found["spotify_source"] == "seed"
        assert pd.isna(found["spotify_id"]) and pd.isna(found["spotify_followers"])
    unknown = row(enriched, "Moonspell", names)
    assert unknown["spotify_genres"] == [] and pd.isna(unknown["spotify_source"])


def test_offline_coverage_on_real_data(lastfm_data, data_dir: Path, tmp_path: Path) -> None:
    names = lastfm_data.artists.set_index("artist_id")["name"]
    enriched = spotify.enrich(names, data_dir, tmp_path / "cache", live=False)
    cov = spotify.coverage(enriched, lastfm_data.user_artists)
    assert cov["artists"] == 17_632 and cov["rows"] == 92_834
    # 4,528 artists / 68.2% of rows before name collisions were rejected; about 23% / 66% after.
    assert 0.22 <= cov["artists_matched_share"] <= 0.24
    assert 0.65 <= cov["rows_matched_share"] <= 0.67
    assert 400 <= cov["artists_ambiguous"] <= 600
    assert cov["artists_matched"] + cov["artists_ambiguous"] == 4_528 + 39  # + accent folding
    assert cov["artists_with_genres"] < cov["artists_matched"]  # seed rows with [] exist
    assert cov["rows_with_genres"] <= cov["rows_matched"]


def test_coverage_counts_matched_and_genred_separately() -> None:
    enriched = pd.DataFrame(
        {
            "spotify_genres": [["rock"], [], [], ["pop"]],
            "spotify_source": pd.array(["seed", "api", pd.NA, "api"], dtype="string"),
        },
        index=pd.Index([10, 20, 30, 40], name="artist_id"),
    )
    plays = pd.DataFrame({"artist_id": [10, 10, 20, 30, 99, 40]})
    cov = spotify.coverage(enriched, plays)
    assert (cov["artists_matched"], cov["artists_with_genres"]) == (3, 2)
    assert cov["artists_matched_share"] == pytest.approx(0.75)
    assert (cov["rows_matched"], cov["rows_with_genres"]) == (4, 3)  # 99 is unknown
    assert cov["rows_with_genres_share"] == pytest.approx(0.5)


# ---------------------------------------------------------------------------------------------
# matching


@pytest.mark.parametrize(
    ("query", "candidate", "accepted"),
    [
        ("Muse", "Muse", True),
        ("Muse", "Musetta", False),
        ("BEYONCE", "Beyoncé", True),
        ("sigur ros", "Sigur Rós", True),
        ("Air", "Airbourne", False),
    ],
)
def test_best_match_threshold(query: str, candidate: str, accepted: bool) -> None:
    item = {"id": "x", "name": candidate, "popularity": 1}
    assert (spotify.best_match(query, [item]) is not None) is accepted


def test_best_match_ties_go_to_the_most_popular() -> None:
    items = [
        {"id": "a", "name": "Nirvana", "popularity": 20},
        {"id": "b", "name": "Nirvana", "popularity": 80},
        {"id": "c", "name": "Nirvana UK", "popularity": 99},
    ]
    item, score = spotify.best_match("Nirvana", items)
    assert item["id"] == "b" and score == 100


# ---------------------------------------------------------------------------------------------
# live path through spotipy against recorded responses


def test_live_match_near_miss_variant_and_empty(api, small_data: Path, cache_dir: Path) -> None:
    add_search(api, "Muse", "search_muse.json")
    add_search(api, "Musetta Fan", "search_musetta.json")
    add_search(api, "BEYONCE", "search_beyonce.json")
    add_search(api, "Zzyzx", "search_empty.json")
    add_search(api, "Muse Tribute Band", "search_muse.json")
    names = names_of("Muse", "Musetta Fan", "BEYONCE", "Zzyzx", "Muse Tribute Band")
    enriched = run_live(small_data, cache_dir, names, [])

    muse = row(enriched, "Muse", names)
    assert muse["spotify_source"] == "api"
    assert muse["spotify_id"] == "12Chz98pHFMPJEknJQMWvI"
    assert muse["spotify_url"] == "https://open.spotify.com/artist/12Chz98pHFMPJEknJQMWvI"
    assert muse["spotify_image_url"] == "https://i.scdn.co/image/muse-640"  # largest
    assert muse["spotify_genres"] == ["modern rock", "permanent wave", "rock"]  # API over seed
    assert (muse["spotify_popularity"], muse["spotify_followers"]) == (77, 7_890_123)

    rejected = row(enriched, "Musetta Fan", names)
    assert pd.isna(rejected["spotify_source"]) and rejected["spotify_genres"] == []

    beyonce = row(enriched, "BEYONCE", names)
    assert beyonce["spotify_id"] == "6vWDO969PvNqNYHIOW5v0m"
    assert beyonce["spotify_genres"] == ["pop", "r&b"]

    assert pd.isna(row(enriched, "Zzyzx", names)["spotify_source"])

    tribute = row(enriched, "Muse Tribute Band", names)  # API lists no genres: seed's kept
    assert tribute["spotify_source"] == "api"
    assert tribute["spotify_genres"] == ["seed tribute"]

    records = spotify.Cache(cache_dir).read()
    assert set(records) == set(names)
    assert records["Zzyzx"]["match"] is None and records["Musetta Fan"]["match"] is None
    assert records["Muse"]["fetched_at"].startswith("20")


def test_trimmed_search_results_are_completed_in_batches(api, small_data, cache_dir) -> None:
    add_search(api, "Sigur Ros", "search_trimmed_sigur_ros.json")
    api.add(
        responses.GET,
        ARTISTS,
        json=load_fixture("artists_sigur_ros.json"),
        match=[matchers.query_param_matcher({"ids": "6UUrUCIZtQeOf8tC0WuzRy"})],
    )
    names = names_of("Sigur Ros")
    enriched = run_live(small_data, cache_dir, names, [])
    found = enriched.iloc[0]
    assert found["spotify_genres"] == ["icelandic rock", "post-rock"]
    assert (found["spotify_popularity"], found["spotify_followers"]) == (58, 1_650_000)
    assert found["spotify_image_url"] == "https://i.scdn.co/image/sigur-ros-640"


@pytest.mark.parametrize(("status", "kept"), [(403, True), (503, False)])
def test_failed_batch_keeps_search_fields_only_when_refused(
    api, small_data: Path, cache_dir: Path, status: int, kept: bool
) -> None:
    add_search(api, "Sigur Rós", "search_trimmed_sigur_ros.json")
    api.add(responses.GET, ARTISTS, json={"error": {"status": status}}, status=status)
    enriched = run_live(small_data, cache_dir, names_of("Sigur Rós"), [])
    found = enriched.iloc[0]
    assert ("Sigur Rós" in spotify.Cache(cache_dir).read()) is kept
    if kept:  # no genres from the API: the seed's are kept
        assert found["spotify_id"] == "6UUrUCIZtQeOf8tC0WuzRy"
        assert found["spotify_genres"] == ["seed post-rock"]
        assert pd.isna(found["spotify_followers"])
    else:
        assert found["spotify_source"] == "seed"


def test_429_waits_retry_after_then_succeeds(api, small_data: Path, cache_dir: Path) -> None:
    add_search(api, "Muse", "error_429.json", status=429, headers={"Retry-After": "7"})
    add_search(api, "Muse", "search_muse.json")
    sleeps: list[float] = []
    enriched = run_live(small_data, cache_dir, names_of("Muse"), sleeps)
    assert sleeps == [7.0]
    assert enriched.iloc[0]["spotify_source"] == "api"


def test_5xx_backs_off_then_succeeds(api, small_data: Path, cache_dir: Path) -> None:
    add_search(api, "Muse", "error_503.json", status=503)
    add_search(api, "Muse", "search_muse.json")
    sleeps: list[float] = []
    enriched = run_live(small_data, cache_dir, names_of("Muse"), sleeps)
    assert len(sleeps) == 1 and 0.5 <= sleeps[0] <= 1.0  # jittered first backoff
    assert enriched.iloc[0]["spotify_id"] == "12Chz98pHFMPJEknJQMWvI"


@pytest.mark.parametrize(
    "error",
    [requests.exceptions.ReadTimeout("read timed out"), requests.exceptions.ConnectionError()],
)
def test_timeout_then_success(api, small_data: Path, cache_dir: Path, error) -> None:
    add_search(api, "Muse", body=error)
    add_search(api, "Muse", "search_muse.json")
    sleeps: list[float] = []
    enriched = run_live(small_data, cache_dir, names_of("Muse"), sleeps)
    assert len(sleeps) == 1
    assert enriched.iloc[0]["spotify_source"] == "api"


def test_no_network_warns_once_and_uses_seed(small_data, cache_dir, caplog) -> None:
    caplog.set_level(logging.INFO)
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, TOKEN, body=requests.exceptions.ConnectionError("no route"))
        names = names_of("Muse", "Kai", "Zzyzx", "Seeded Only")
        enriched = run_live(small_data, cache_dir, names, [])
        attempts = len(rsps.calls)
    policy = spotify.RetryPolicy()
    assert attempts == policy.max_consecutive_failures * (policy.max_retries + 1)
    warnings = our_warnings(caplog)
    assert len(warnings) == 1 and "unreachable" in warnings[0]
    assert enriched["spotify_source"].tolist()[:2] == ["seed", "seed"]
    assert spotify.Cache(cache_dir).read() == {}


def test_bad_credentials_warn_once_and_use_seed(small_data, cache_dir, caplog, monkeypatch):
    monkeypatch.setenv("SPOTIPY_CLIENT_ID", "wrong-id")
    monkeypatch.setenv("SPOTIPY_CLIENT_SECRET", "wrong-secret")
    caplog.set_level(logging.INFO)
    names = names_of("Muse", "Kai", "Zzyzx")
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, TOKEN, json=load_fixture("token_invalid_client.json"), status=400)
        enriched = spotify.enrich(names, small_data, cache_dir, sleep=pytest.fail)
        assert len(rsps.calls) == 1  # one token attempt, no search
    warnings = our_warnings(caplog)
    assert len(warnings) == 1 and "invalid_client" in warnings[0]
    assert enriched["spotify_source"].tolist() == ["seed", "seed", pd.NA]
    # Untagged one-word names are not believed; "Kai" also names two seed rows with other genres.
    assert enriched["spotify_match"].tolist() == ["ambiguous", "ambiguous", pd.NA]
    assert enriched.loc[2, "spotify_genres"] == []


def test_no_credentials_means_seed_only(small_data, cache_dir, caplog) -> None:
    caplog.set_level(logging.INFO)
    names = names_of("Muse", "Zzyzx")
    tags = pd.Series([["alternative rock"]], index=[1])
    with responses.RequestsMock() as rsps:
        auto = spotify.enrich(names, small_data, cache_dir, tags=tags)  # no env: offline
        forced = spotify.enrich(names, small_data, cache_dir, live=True, tags=tags)
        assert len(rsps.calls) == 0
    warnings = our_warnings(caplog)
    assert len(warnings) == 1 and "SPOTIPY_CLIENT_ID" in warnings[0]
    pd.testing.assert_frame_equal(auto, forced)
    assert auto["spotify_genres"].tolist() == [["seed rock"], []]


# ---------------------------------------------------------------------------------------------
# failures of the token endpoint, broken bodies, refusals and spotipy's logging


@pytest.mark.parametrize(
    ("failure", "sleeps_expected"),
    [
        ({"body": "upstream connect error", "status": 503}, None),
        ({"json": {"error": "server_error"}, "status": 500}, None),
        (
            {"json": {"error": "rate_limited"}, "status": 429, "headers": {"Retry-After": "3"}},
            [3.0],
        ),
        ({"body": requests.exceptions.ReadTimeout("token read timed out")}, None),
        ({"body": requests.exceptions.ConnectionError("no route")}, None),
        ({"body": "<html>garbled", "status": 200}, None),
    ],
    ids=["503", "500", "429", "timeout", "connection", "garbled-200"],
)
def test_transient_token_failure_backs_off_and_continues(
    small_data, cache_dir, caplog, failure: dict[str, Any], sleeps_expected
) -> None:
    caplog.set_level(logging.INFO)
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        rsps.add(responses.POST, TOKEN, **failure)
        rsps.add(responses.POST, TOKEN, json=load_fixture("token.json"))
        add_search(rsps, "Muse", "search_muse.json")
        sleeps: list[float] = []
        enriched = run_live(small_data, cache_dir, names_of("Muse"), sleeps)
    if sleeps_expected is None:
        assert len(sleeps) == 1 and 0.5 <= sleeps[0] <= 1.0  # jittered first backoff
    else:
        assert sleeps == sleeps_expected  # the token endpoint's Retry-After
    assert enriched.iloc[0]["spotify_source"] == "api"
    assert our_warnings(caplog) == []


def test_token_endpoint_down_is_unreachable_not_bad_credentials(small_data, cache_dir, caplog):
    caplog.set_level(logging.INFO)
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, TOKEN, json={"error": "server_error"}, status=503)
        enriched = run_live(
            small_data, cache_dir, names_of("Muse", "Kai", "Zzyzx", "Seeded Only"), []
        )
        attempts = len(rsps.calls)
    policy = spotify.RetryPolicy()
    assert attempts == policy.max_consecutive_failures * (policy.max_retries + 1)
    warnings = our_warnings(caplog)
    assert len(warnings) == 1
    assert "unreachable" in warnings[0] and "503" in warnings[0]
    assert "credentials" not in warnings[0]
    assert enriched["spotify_source"].tolist()[0] == "seed"
    assert spotify.Cache(cache_dir).read() == {}


def test_token_429_longer_than_the_policy_stops_as_rate_limit(small_data, cache_dir, caplog):
    caplog.set_level(logging.INFO)
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, TOKEN, status=429, headers={"Retry-After": "3600"})
        sleeps: list[float] = []
        run_live(small_data, cache_dir, names_of("Muse", "Kai"), sleeps)
        assert len(rsps.calls) == 1
    assert sleeps == []
    warnings = our_warnings(caplog)
    assert len(warnings) == 1 and "3600" in warnings[0] and "credentials" not in warnings[0]


def test_token_401_is_rejected_credentials(small_data, cache_dir, caplog) -> None:
    caplog.set_level(logging.INFO)
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, TOKEN, json={"error": "invalid_client"}, status=401)
        sleeps: list[float] = []
        run_live(small_data, cache_dir, names_of("Muse", "Kai"), sleeps)
        assert len(rsps.calls) == 1
    assert sleeps == []
    warnings = our_warnings(caplog)
    assert len(warnings) == 1 and "rejected the client credentials" in warnings[0]
    assert "SPOTIPY_CLIENT_SECRET" in warnings[0] and "test-secret" not in warnings[0]


@pytest.mark.parametrize(
    "answer",
    [
        {"fixture": "error_503.json", "status": 503},
        {"body": requests.exceptions.ChunkedEncodingError("connection broken: incomplete read")},
        {"body": requests.exceptions.ContentDecodingError("incorrect header check")},
        {"body": requests.exceptions.TooManyRedirects("exceeded 30 redirects")},
        {"body": "<html>garbled 200 body"},
    ],
    ids=["503", "chunked", "content-decoding", "any-request-exception", "garbled-200"],
)
def test_repeated_failure_is_retried_then_the_artist_skipped(api, small_data, cache_dir, answer):
    add_search(api, "Seeded Only", **answer)  # repeats for every retry
    add_search(api, "Muse", "search_muse.json")
    names = names_of("Seeded Only", "Muse")
    sleeps: list[float] = []
    enriched = run_live(small_data, cache_dir, names, sleeps)
    assert searched(api) == ['artist:"Seeded Only"'] * 5 + ['artist:"Muse"']
    assert len(sleeps) == spotify.RetryPolicy().max_retries
    assert set(spotify.Cache(cache_dir).read()) == {"Muse"}  # nothing recorded: retried next run
    assert row(enriched, "Seeded Only", names)["spotify_source"] == "seed"
    assert row(enriched, "Muse", names)["spotify_source"] == "api"


def test_search_403_stops_as_forbidden_not_unreachable(api, small_data, cache_dir, caplog):
    caplog.set_level(logging.INFO)
    forbidden = {"error": {"status": 403, "message": "Forbidden"}}
    api.add(responses.GET, SEARCH, json=forbidden, status=403)
    sleeps: list[float] = []
    enriched = run_live(small_data, cache_dir, names_of("Muse", "Kai", "Zzyzx"), sleeps)
    assert searched(api) == ['artist:"Muse"']  # no retry, no further artist
    assert sleeps == []
    warnings = our_warnings(caplog)
    assert len(warnings) == 1
    assert "403 Forbidden" in warnings[0] and "not allowed" in warnings[0]
    assert "unreachable" not in warnings[0]
    assert enriched["spotify_source"].tolist()[0] == "seed"


def test_spotipy_logs_neither_errors_nor_the_secret(api, small_data, cache_dir, caplog, capfd):
    import base64

    caplog.set_level(logging.DEBUG)
    add_search(api, "Muse", "error_429.json", status=429, headers={"Retry-After": "1"})
    add_search(api, "Muse", "search_muse.json")
    add_search(api, "Kai", status=403)
    enriched = run_live(small_data, cache_dir, names_of("Muse", "Kai"), [])
    assert enriched.iloc[0]["spotify_source"] == "api"
    assert not [r for r in caplog.records if r.name.startswith("spotipy") and r.levelno >= 40]
    secret_forms = ["test-secret", base64.b64encode(b"test-id:test-secret").decode()]
    captured = capfd.readouterr()
    texts = [caplog.text, captured.out, captured.err, *(r.getMessage() for r in caplog.records)]
    for form in secret_forms:
        assert not [text for text in texts if form in text], form
    assert any("403 Forbidden" in r.getMessage() for r in caplog.records)  # ours, at WARNING


# ---------------------------------------------------------------------------------------------
# cache: resume, torn lines, crashes


class FakeClient:
    """Stands in for spotipy.Spotify: every name is found; optionally dies after N searches."""

    def __init__(self, crash_after: int | None = None) -> None:
        self.crash_after = crash_after
        self.searched: list[str] = []

    def search(self, q: str, type: str, limit: int) -> dict[str, Any]:
        if self.crash_after is not None and len(self.searched) >= self.crash_after:
            raise KeyboardInterrupt("process killed")  # an interrupt, like Ctrl-C
        name = q.removeprefix('artist:"').removesuffix('"')
        self.searched.append(name)
        item = {
            "id": f"id-{len(self.searched)}",
            "name": name,
            "genres": ["fake"],
            "popularity": 5,
            "followers": {"total": 50},
            "external_urls": {"spotify": "https://open.spotify.com/artist/x"},
            "images": [],
        }
        return {"artists": {"items": [item]}}

    def artists(self, ids: list[str]) -> dict[str, Any]:
        raise AssertionError("search results were complete")


def test_resume_skips_cached_names(api, small_data: Path, cache_dir: Path) -> None:
    cache = spotify.Cache(cache_dir)
    cache.append("Muse", None)
    cache.close()
    add_search(api, "Kai", "search_empty.json")
    run_live(small_data, cache_dir, names_of("Muse", "Kai"), [])
    assert searched(api) == ['artist:"Kai"']


def test_torn_last_line_is_ignored_and_cut_before_appending(small_data, cache_dir, caplog):
    cache = spotify.Cache(cache_dir)
    cache.append("Muse", {"id": "m", "genres": ["cached"], "popularity": 3, "followers": 4})
    cache.close()
    with cache.path.open("ab") as handle:
        handle.write(b'{"v": 1, "query": "Kai", "fetched_at": "2026-')  # killed mid-write
    caplog.set_level(logging.WARNING)
    names = names_of("Muse", "Kai")
    offline = spotify.enrich(names, small_data, cache_dir, live=False)
    assert offline["spotify_source"].tolist() == ["api", "seed"]
    assert offline.loc[1, "spotify_followers"] == 4
    assert our_warnings(caplog) == []

    client = FakeClient()
    spotify.enrich(names, small_data, cache_dir, client=client)
    assert client.searched == ["Kai"]
    lines = cache.path.read_text("utf-8").splitlines()
    assert [json.loads(line)["query"] for line in lines] == ["Muse", "Kai"]


def test_records_survive_a_crash_and_only_the_rest_is_fetched(small_data, cache_dir) -> None:
    names = names_of(*[f"Band {i}" for i in range(7)])
    crashing = FakeClient(crash_after=4)
    with pytest.raises(KeyboardInterrupt):
        spotify.enrich(names, small_data, cache_dir, client=crashing)
    assert set(spotify.Cache(cache_dir).read()) == {f"Band {i}" for i in range(4)}

    rerun = FakeClient()
    progress: list[tuple[int, int]] = []
    enriched = spotify.enrich(
        names, small_data, cache_dir, client=rerun, progress=lambda d, t: progress.append((d, t))
    )
    assert rerun.searched == ["Band 4", "Band 5", "Band 6"]
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert (enriched["spotify_source"] == "api").all()
    assert enriched["spotify_id"].tolist()[:4] == ["id-1", "id-2", "id-3", "id-4"]


def test_duplicate_names_are_looked_up_once(small_data: Path, cache_dir: Path) -> None:
    client = FakeClient()
    names = names_of("Kai", "Kai", "Muse")
    enriched = spotify.enrich(names, small_data, cache_dir, client=client)
    assert client.searched == ["Kai", "Muse"]
    assert enriched.loc[1, "spotify_id"] == enriched.loc[2, "spotify_id"]


# ---------------------------------------------------------------------------------------------
# trust: name collisions


def test_seed_candidates_fold_accents_and_keep_distinct_genre_lists(small_data: Path) -> None:
    candidates = spotify.seed_candidates(small_data)
    assert candidates["sigur ros"] == [["seed post-rock"]]  # "Sigur Rós" in the seed
    assert candidates["kai"] == [["k-pop"], ["k-pop", "korean r&b"]]  # two artists: not unique


@pytest.mark.parametrize(
    ("name", "candidates", "tags", "verdict"),
    [
        ("Air", [["pop punk", "socal pop punk"]], ["electronic", "french"], "ambiguous"),
        ("Texas", [["country", "country rock"]], ["pop", "rock", "britpop"], "ambiguous"),
        ("Metallica", [["thrash metal", "rock"]], ["metal", "heavy metal"], "trusted"),
        ("Kai", [["k-pop"], ["k-pop", "korean r&b"]], ["k-pop"], "ambiguous"),  # not unique
        ("Berlin", [["german orchestra"]], [], "ambiguous"),  # no tags, short common word
        ("Justice", [["post-teen pop"]], ["seen live"], "ambiguous"),  # no recognised tag
        ("Sigur Rós", [["post-rock"]], [], "trusted"),  # no tags, but a two-word name
        ("Radiohead", [["art rock"]], [], "trusted"),  # no tags, a long single word
    ],
)
def test_judge_seed(name: str, candidates, tags, verdict: str) -> None:
    assert spotify.judge_seed(name, candidates, tags) == verdict


def test_live_match_that_disagrees_with_tags_shows_nothing(small_data, cache_dir) -> None:
    names = names_of("Sigur Rós", "Band")
    spotify.enrich(names, small_data, cache_dir, client=FakeClient())  # caches both
    cache = spotify.Cache(cache_dir)
    cache.append("Band", {"id": "b", "url": "u", "image_url": "i", "genres": ["k-pop"]})
    cache.append("Sigur Rós", {"id": "s", "url": "u", "image_url": "i", "genres": ["country"]})
    cache.close()
    tags = pd.Series([["post-rock"], ["metal"]], index=names.index)
    enriched = spotify.enrich(names, small_data, cache_dir, live=False, tags=tags)
    sigur, band = enriched.iloc[0], enriched.iloc[1]
    # The API's answer disagrees, the unique seed row agrees: the seed is used.
    assert (sigur["spotify_source"], sigur["spotify_match"]) == ("seed", "trusted")
    assert sigur["spotify_genres"] == ["seed post-rock"] and pd.isna(sigur["spotify_url"])
    # Nothing believable: no genres, no page, no image.
    assert (band["spotify_source"], band["spotify_match"]) == ("api", "ambiguous")
    assert band["spotify_genres"] == [] and pd.isna(band["spotify_image_url"])
    cov = spotify.coverage(enriched, pd.DataFrame({"artist_id": [1, 2, 2]}))
    assert (cov["artists_matched"], cov["artists_ambiguous"], cov["rows_ambiguous"]) == (1, 1, 2)


def test_an_unexpected_token_answer_never_stops_the_build(small_data, cache_dir, caplog):
    """A 200 from the token endpoint without its documented fields: warn, seed only, go on."""
    caplog.set_level(logging.INFO)
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, TOKEN, json={"token_type": "Bearer"})  # no access_token, expiry
        enriched = run_live(small_data, cache_dir, names_of("Muse", "Kai"), [])
    warnings = our_warnings(caplog)
    assert len(warnings) == 1 and "unexpected answer" in warnings[0]
    assert "test-secret" not in warnings[0]
    assert len(enriched) == 2 and spotify.Cache(cache_dir).read() == {}


# ---------------------------------------------------------------------------------------------
# seed rows holding another artist's genres (a search for a short name found a longer one)


@pytest.mark.parametrize(
    ("short", "owner"),
    [
        ("BoA", "Boards of Canada"),
        ("múm", "Mumford & Sons"),
        ("Nas", "Lil Nas X"),
        ("Vince M", "James Vincent McMorrow"),
        ("Talk Talk", "Talking Heads"),  # a repeated word counts once
    ],
)
def test_a_short_name_with_a_longer_names_genres_is_borrowed(short: str, owner: str) -> None:
    genres = ["ambient", "scottish electronic"]
    rows = [(short, genres), (owner, genres), ("Unrelated", genres), ("Elsewhere", ["jazz"])]
    assert spotify.borrowed_rows(rows) == {0: owner}


@pytest.mark.parametrize(
    "rows",
    [
        [("Huey Lewis", ["soft rock"]), ("Huey Lewis & The News", ["soft rock"])],  # one act
        [("Nirvana", ["grunge"]), ("Pearl Jam", ["grunge"])],  # same genres, unrelated names
        [("Pink", ["pop"]), ("Pink Floyd", ["art rock"])],  # a longer name, other genres
        [("Pink", []), ("Pink Floyd", [])],  # no genres to borrow
        [("Sigur Rós", ["post-rock"]), ("Sigur Ros", ["post-rock"])],  # the same name
    ],
)
def test_rows_that_describe_their_own_artist_are_not_borrowed(rows) -> None:
    assert spotify.borrowed_rows(rows) == {}


def test_a_name_whose_only_seed_rows_are_borrowed_is_ambiguous(tmp_path: Path) -> None:
    seed = tmp_path / "data" / "spotify"
    seed.mkdir(parents=True)
    (seed / "spotify_artist_genres.csv").write_text(
        "artists,genres\nBoA,['idm']\nBoards of Canada,['idm']\nBoA,['idm']\n", "utf-8"
    )
    candidates = spotify.seed_candidates(tmp_path / "data")
    assert candidates == {"boa": [], "boards of canada": [["idm"]]}
    names = pd.Series(["BoA", "Boards of Canada"], index=[1, 2])
    tags = [["electronic", "idm"], ["electronic", "idm"]]
    table = spotify.assemble(names.index, list(names), tags, candidates, {})
    assert table["spotify_match"].tolist() == ["ambiguous", "trusted"]
    assert table["spotify_genres"].tolist() == [[], ["idm"]]
