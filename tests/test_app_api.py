"""Every public api_name of the running app, through gradio_client: valid input returns results,
invalid input comes back as a clear message (AppError), not a 500 or a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.app_server import EVIL_NAME, SEED_PICKS, evil_bundle, running_app

pytestmark = pytest.mark.slow

PICKS, USER = "Artists I pick", "An existing Last.fm user"
EXPECTED_APIS = {
    "/explore_plots",
    "/explore_lookup",
    "/clustering_recommend",
    "/svd_recommend",
    "/softmax_recommend",
    "/compare",
    "/recommend",
    "/picker_search",
    "/explore_search",
}
TOOLS = {"/recommend_artists", "/similar_artists", "/artist_info", "/search_artists", "/why_not"}


@pytest.fixture(scope="module")
def app_bundle(fast_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    return evil_bundle(fast_bundle_dir, tmp_path_factory.mktemp("app") / "bundle")


@pytest.fixture(scope="module")
def client(app_bundle, tmp_path_factory: pytest.TempPathFactory):
    from gradio_client import Client

    log = tmp_path_factory.mktemp("applog") / "app.log"
    with running_app(app_bundle[0], log) as (url, _seconds, _pid):
        yield Client(url, verbose=False)


def val(output):
    """An output's value, whether it came back plain or as a gr.update (results that start
    hidden are sent as updates that also make them visible)."""
    if isinstance(output, dict) and output.get("__type__") == "update":
        return output.get("value")
    return output


def error_text(client, *args, api_name: str) -> str:
    """The message a bad input gets: input errors come back as the status (the first output,
    HTML-escaped) beside the inputs; values Gradio itself rejects (a k that is not offered, a
    slider out of range) as an AppError. Either way, text and never a traceback."""
    import html

    from gradio_client.exceptions import AppError

    try:
        outputs = client.predict(*args, api_name=api_name)
    except AppError as exc:
        return html.unescape(str(exc))
    status = outputs[0] if isinstance(outputs, (list, tuple)) else outputs
    assert "status error" in status, status
    return html.unescape(status)


def test_the_tools_are_documented_and_every_ui_endpoint_stays_callable(client) -> None:
    import json
    import urllib.request

    documented = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert documented == TOOLS  # what API and MCP clients are shown
    with urllib.request.urlopen(f"{client.src}gradio_api/info?all_endpoints=true") as response:
        every = set(json.load(response)["named_endpoints"])
    assert every >= EXPECTED_APIS | TOOLS


def test_softmax_recommend_returns_k_scores_and_a_csv(client) -> None:
    status, bars, cards, csv_path = client.predict(
        SEED_PICKS, 5, [], 0.0, api_name="/softmax_recommend"
    )
    assert "error" not in status and cards.count('class="artist-card"') == 5
    assert len(val(bars)["data"]) == 5
    table = pd.read_csv(val(csv_path))
    assert len(table) == 5
    assert EVIL_NAME in table["name"].tolist()  # the renamed artist is the top pick, verbatim
    assert not set(table["name"]) & set(SEED_PICKS)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (([], 10, [], 0.0), "Pick at least one artist"),
        ((["No Such Artist Anywhere"], 10, [], 0.0), "Unknown artist"),
        ((["Radiohead"], 10, ["no-such-tag-xyz"], 0.0), "No artist has the tag"),
        ((["Radiohead"], 10, [], 3.0), "must be a number from 0 to 1"),  # the slider's range
        ((["Radiohead"], 7, [], 0.0), "must be one of 5, 10, 15, 20, 30, 50"),  # k not offered
    ],
)
def test_softmax_recommend_bad_input_is_a_clear_message(client, args, expected) -> None:
    message = error_text(client, *args, api_name="/softmax_recommend")
    assert expected in message
    assert "Traceback" not in message


def test_svd_for_user_and_picks(client) -> None:
    _status, history, cards, csv_path, points = client.predict(
        USER, [], 2, 5, [], 0.0, api_name="/svd_recommend"
    )
    assert len(val(history)["data"]) > 0
    assert cards.count('class="artist-card"') == 5
    recommended = pd.read_csv(val(csv_path))["name"].tolist()
    spec = json.loads(points["plot"])  # the map: a Vega-Lite spec with its data as columns
    columns = spec["data"]["values"][0]
    names, groups = columns["name"], columns["group"]
    marked = {n for n, g in zip(names, groups, strict=True) if g == "recommended"}
    assert marked <= set(recommended) and marked
    assert "Unknown user_id" in error_text(
        client, USER, [], 999999, 5, [], 0.0, api_name="/svd_recommend"
    )


def test_clustering_assigns_and_recommends(client) -> None:
    _status, clusters, _cards, csv_path = client.predict(
        PICKS, ["Britney Spears", "Rihanna"], None, 5, [], 0.0, api_name="/clustering_recommend"
    )
    weights = [row[1] for row in val(clusters)["data"]]
    assert weights and abs(sum(weights) - 1.0) < 0.01
    assert len(pd.read_csv(val(csv_path))) == 5
    assert "Pick at least one" in error_text(
        client, PICKS, [], None, 5, [], 0.0, api_name="/clustering_recommend"
    )


def test_compare_lists_every_model_and_the_overlap(client) -> None:
    _status, lists, overlap, csv_path = client.predict(
        PICKS, SEED_PICKS, None, 5, [], 0.0, api_name="/compare"
    )
    lists, overlap = val(lists), val(overlap)
    models = overlap["headers"][1:]
    assert {"popularity", "softmax"} <= set(models)
    assert lists["headers"] == ["rank", *models]
    diagonal = [row[1 + i] for i, row in enumerate(overlap["data"])]
    assert diagonal == [1.0] * len(models)
    assert set(pd.read_csv(val(csv_path))["model"]) == set(models)
    assert "must be one of 5, 10, 15, 20, 30, 50; got 0" in error_text(
        client, PICKS, SEED_PICKS, None, 0, [], 0.0, api_name="/compare"
    )


def test_explore_lookup_and_plots(client) -> None:
    _status, card, similar = client.predict("Radiohead", "softmax", 5, api_name="/explore_lookup")
    assert "Radiohead" in card and len(val(similar)["data"]) == 5
    assert "Unknown artist" in error_text(
        client, "Zzzz Nobody", "softmax", 5, api_name="/explore_lookup"
    )
    plots = client.predict(api_name="/explore_plots")
    assert plots.count("<img ") >= 1 and ".png" in plots


def test_tag_filter_and_popularity_penalty_reach_the_bundle(client) -> None:
    def listeners(tags: list[str], penalty: float) -> pd.DataFrame:
        *_, csv_path = client.predict(SEED_PICKS, 10, tags, penalty, api_name="/softmax_recommend")
        return pd.read_csv(val(csv_path))

    plain, niche = listeners([], 0.0), listeners([], 1.0)
    assert niche["listeners"].mean() < plain["listeners"].mean()
    jazz = listeners(["jazz"], 0.0)
    labels = (jazz["tags"].fillna("") + "|" + jazz["spotify_genres"].fillna("")).str.lower()
    assert len(jazz) > 0 and labels.map(lambda t: "jazz" in t.split("|")).all()


# -- hostile and unlucky input, through the public API ------------------------------------------
@pytest.mark.parametrize(
    ("picks", "k", "expected"),
    [
        (["Radiohed"], 10, "Did you mean 'Radiohead'"),  # near miss: a suggestion
        (["<script>alert(1)</script>"], 10, "Unknown artist"),  # script-like, unknown
        (["Radiohead"], 0, "must be one of 5, 10"),
        (["Radiohead"], -5, "must be one of 5, 10"),
        (["Radiohead"], 10**6, "must be one of 5, 10"),
        ([f"Nobody {i}" for i in range(1001)], 10, "at most 1000"),
    ],
)
def test_hostile_softmax_input_is_a_clear_message(client, picks, k, expected) -> None:
    message = error_text(client, picks, k, [], 0.0, api_name="/softmax_recommend")
    assert expected in message
    assert "Traceback" not in message


@pytest.mark.parametrize(
    "picks",
    [
        ["עברי לידר"],  # right-to-left script, a real artist of the dataset
        ["154"],  # an artist id given as text
        [EVIL_NAME],  # the script-like name is an artist of this bundle: it is just a name
    ],
)
def test_unusual_but_valid_picks_work(client, picks) -> None:
    *_, csv_path = client.predict(picks, 5, [], 0.0, api_name="/softmax_recommend")
    assert len(pd.read_csv(val(csv_path))) == 5


def test_a_thousand_real_artists_are_accepted(client, app_bundle) -> None:
    import recommenders

    names = recommenders.load(app_bundle[0]).catalog.nlargest(1000, "listeners")["name"]
    *_, csv_path = client.predict(names.tolist(), 10, [], 0.0, api_name="/softmax_recommend")
    recommended = pd.read_csv(val(csv_path))["name"]
    assert len(recommended) == 10 and not set(recommended) & set(names)


@pytest.mark.parametrize(
    ("user", "expected"), [("abc", "whole number"), (-3, "Unknown user_id"), (2.5, "whole number")]
)
def test_bad_user_ids_are_clear_messages(client, user, expected) -> None:
    message = error_text(client, USER, [], user, 5, [], 0.0, api_name="/svd_recommend")
    assert expected in message


def test_discover_recommend_and_search(client) -> None:
    status, cards, _feedback, csv_path = client.predict(
        SEED_PICKS, "softmax", 5, [], 0.0, api_name="/recommend"
    )
    assert "error" not in status and cards.count('class="artist-card"') == 5
    assert 'data-action="exclude"' in cards and len(pd.read_csv(val(csv_path))) == 5
    typo = error_text(client, ["Radiohed"], "softmax", 5, [], 0.0, api_name="/recommend")
    assert "Did you mean" in typo and 'data-bad="Radiohed" data-good="Radiohead"' in typo
    assert client.predict("bjork", 3, api_name="/search_artists")[0] == "Björk"
    found = client.predict([], "acdc", api_name="/picker_search")  # picked so far, typed text
    values = [choice[1] for choice in found["choices"]]
    assert values[0] == "AC/DC" and found["choices"][0][0] == "AC/DC · ACDC"  # its own spelling
    found = client.predict(None, "sigur ros", api_name="/explore_search")  # the Data tab's
    assert found["choices"][0][1] == "Sigur Rós"


# -- the page's own events, with the payload the page sends (seen in Chromium) -------------------
def test_a_card_click_with_the_pages_payload_adds_the_artist(client) -> None:
    """A 👍 on a card is a gr.HTML trigger('click', {action, artist}); the handler reads those
    fields through gr.EventData. If a Gradio release changed how custom trigger data reaches the
    handler, the click would do nothing: this test then fails instead of the app going quiet."""
    import re

    from tests.page_client import PageSession

    page = PageSession(client.src)
    controls = [SEED_PICKS, "softmax", 5, [], 0, None]  # picks, model, k, tags, penalty, state
    done = page.call("recommend", controls)
    assert done["success"], done
    cards = done["output"]["data"][1]
    like = r'data-action="like" data-artist="(\d+)" title="More like ([^"]+)"'
    artist_id, name = re.search(like, cards).groups()
    done = page.call("discover_feedback", controls, {"action": "like", "artist": artist_id})
    assert done["success"], done
    feedback = done["output"]["data"][3]
    assert "👍 Added" in feedback and name in feedback  # both escaped the same way
    assert f'data-artist="{artist_id}"' not in done["output"]["data"][1]  # liked: no longer a card
    # the list's own ✕ (the second target of the same event) takes it back
    done = page.call("discover_feedback", controls, {"action": "undo", "artist": artist_id}, 1)
    assert done["success"] and "👍 Added" not in done["output"]["data"][3]


def test_a_did_you_mean_click_with_the_pages_payload_replaces_the_pick(client) -> None:
    from tests.page_client import PageSession

    page = PageSession(client.src)
    done = page.call("fix_pick", [["Radiohed", "Muse"]], {"bad": "Radiohed", "good": "Radiohead"})
    assert done["success"], done
    assert done["output"]["data"][0] == ["Radiohead", "Muse"]
