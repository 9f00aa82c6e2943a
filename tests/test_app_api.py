"""Every public api_name of the running app, through gradio_client: valid input returns results,
invalid input comes back as a clear message (AppError), not a 500 or a traceback."""

from __future__ import annotations

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
}


@pytest.fixture(scope="module")
def app_bundle(fast_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    return evil_bundle(fast_bundle_dir, tmp_path_factory.mktemp("app") / "bundle")


@pytest.fixture(scope="module")
def client(app_bundle, tmp_path_factory: pytest.TempPathFactory):
    from gradio_client import Client

    log = tmp_path_factory.mktemp("applog") / "app.log"
    with running_app(app_bundle[0], log) as (url, _seconds, _pid):
        yield Client(url, verbose=False)


def error_text(client, *args, api_name: str) -> str:
    """The error message, unescaped: the app HTML-escapes messages because Gradio renders them
    as (sanitised) HTML in the page, so API clients receive entities such as &#x27;."""
    import html

    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as info:
        client.predict(*args, api_name=api_name)
    return html.unescape(str(info.value))


def test_every_recommend_endpoint_is_public(client) -> None:
    names = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert names >= EXPECTED_APIS


def test_softmax_recommend_returns_k_scores_and_a_csv(client) -> None:
    picker, bars, csv_path, _status = client.predict(  # the session State is not in the API
        SEED_PICKS, 7, [], 0.0, api_name="/softmax_recommend"
    )
    assert picker == SEED_PICKS
    assert len(bars["data"]) == 7
    table = pd.read_csv(csv_path)
    assert len(table) == 7
    assert EVIL_NAME in table["name"].tolist()  # the renamed artist is the top pick, verbatim
    assert not set(table["name"]) & set(SEED_PICKS)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (([], 10, [], 0.0), "Pick at least one artist"),
        ((["No Such Artist Anywhere"], 10, [], 0.0), "Unknown artist"),
        ((["Radiohead"], 10, ["no-such-tag-xyz"], 0.0), "No artist has the tag"),
        ((["Radiohead"], 10, [], 3.0), "maximum value 1"),  # Gradio checks slider ranges
    ],
)
def test_softmax_recommend_bad_input_is_a_clear_message(client, args, expected) -> None:
    message = error_text(client, *args, api_name="/softmax_recommend")
    assert expected in message
    assert "Traceback" not in message


def test_svd_for_user_and_picks(client) -> None:
    history, cards, csv_path, points = client.predict(
        USER, [], 2, 5, [], 0.0, api_name="/svd_recommend"
    )
    assert len(history["data"]) > 0
    assert cards.count('class="artist-card"') == 5
    recommended = pd.read_csv(csv_path)["name"].tolist()
    marked = {row[2] for row in points["data"] if row[3] == "★ recommended"}
    assert marked <= set(recommended) and marked
    assert "Unknown user_id" in error_text(
        client, USER, [], 999999, 5, [], 0.0, api_name="/svd_recommend"
    )


def test_clustering_assigns_and_recommends(client) -> None:
    clusters, _cards, csv_path = client.predict(
        PICKS, ["Britney Spears", "Rihanna"], None, 4, [], 0.0, api_name="/clustering_recommend"
    )
    weights = [row[1] for row in clusters["data"]]
    assert weights and abs(sum(weights) - 1.0) < 0.01
    assert len(pd.read_csv(csv_path)) == 4
    assert "Pick at least one" in error_text(
        client, PICKS, [], None, 4, [], 0.0, api_name="/clustering_recommend"
    )


def test_compare_lists_every_model_and_the_overlap(client) -> None:
    lists, overlap, csv_path = client.predict(
        PICKS, SEED_PICKS, None, 5, [], 0.0, api_name="/compare"
    )
    models = overlap["headers"][1:]
    assert {"popularity", "softmax"} <= set(models)
    assert lists["headers"] == ["rank", *models]
    diagonal = [row[1 + i] for i, row in enumerate(overlap["data"])]
    assert diagonal == [1.0] * len(models)
    assert set(pd.read_csv(csv_path)["model"]) == set(models)
    assert "minimum value 1" in error_text(
        client, PICKS, SEED_PICKS, None, 0, [], 0.0, api_name="/compare"
    )


def test_explore_lookup_and_plots(client) -> None:
    card, similar = client.predict("Radiohead", "softmax", 5, api_name="/explore_lookup")
    assert "Radiohead" in card and len(similar["data"]) == 5
    assert "Unknown artist" in error_text(
        client, "Zzzz Nobody", "softmax", 5, api_name="/explore_lookup"
    )
    plots = client.predict(api_name="/explore_plots")
    assert len(plots) >= 1 and all(Path(p["image"]).suffix == ".png" for p in plots)


def test_tag_filter_and_popularity_penalty_reach_the_bundle(client) -> None:
    def listeners(tags: list[str], penalty: float) -> pd.DataFrame:
        *_, csv_path, _status = client.predict(
            SEED_PICKS, 10, tags, penalty, api_name="/softmax_recommend"
        )
        return pd.read_csv(csv_path)

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
        (["Radiohead"], 0, "minimum value 1"),
        (["Radiohead"], -5, "minimum value 1"),
        (["Radiohead"], 10**6, "maximum value"),
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
    *_, csv_path, _status = client.predict(picks, 5, [], 0.0, api_name="/softmax_recommend")
    assert len(pd.read_csv(csv_path)) == 5


def test_a_thousand_real_artists_are_accepted(client, app_bundle) -> None:
    import recommenders

    names = recommenders.load(app_bundle[0]).catalog.nlargest(1000, "listeners")["name"]
    *_, csv_path, _status = client.predict(
        names.tolist(), 10, [], 0.0, api_name="/softmax_recommend"
    )
    recommended = pd.read_csv(csv_path)["name"]
    assert len(recommended) == 10 and not set(recommended) & set(names)


@pytest.mark.parametrize(
    ("user", "expected"), [("abc", "whole number"), (-3, "Unknown user_id"), (2.5, "whole number")]
)
def test_bad_user_ids_are_clear_messages(client, user, expected) -> None:
    message = error_text(client, USER, [], user, 5, [], 0.0, api_name="/svd_recommend")
    assert expected in message
