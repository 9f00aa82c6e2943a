"""The UI's pure pieces without a server: HTML escaping, CSV export, error statuses and their
suggestions, visit feedback, the comparison tables and the map highlighting (a stub stands in
for the Bundle)."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from recommenders.errors import RecommenderInputError
from recommenders.query import RecQuery
from ui import cards, clustering, compare, discover, errors, export, inputs, session, svd

EVIL = "<img src=x onerror=alert(1)>"
ROOT = Path(__file__).resolve().parents[1]


def result_rows(names: list[str], start_id: int = 1) -> pd.DataFrame:
    """A recommend()-shaped frame for ``names`` (RESULT_COLUMNS)."""
    n = len(names)
    return pd.DataFrame(
        {
            "rank": np.arange(1, n + 1),
            "artist_id": np.arange(start_id, start_id + n),
            "name": names,
            "score": np.linspace(1.0, 0.5, n),
            "explanation": [f"40% of A listeners also listen to {x}" for x in names],
            "listeners": np.full(n, 10),
            "plays": np.full(n, 1000),
            "tags": [["rock", "Indie"]] * n,
            "spotify_genres": [["indie"]] * n,
            "lastfm_url": [f"https://www.last.fm/music/{i}" for i in range(n)],
            "spotify_url": ["javascript:alert(1)"] * n,
            "image_url": [None] * n,
        }
    )


class StubBundle:
    """Records recommend() calls and answers with names that are not in the liked list."""

    model_names = ("popularity", "softmax")

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def recommend(self, model: str, query: RecQuery) -> pd.DataFrame:
        self.calls.append({"model": model, "query": query})
        liked = set(query.liked or []) | set(query.exclude)
        pool = [n for n in ["A", "B", "C", EVIL, "D"] if n not in liked]
        offset = 0 if model == "popularity" else 1
        return result_rows(pool[offset : offset + query.k])


def test_card_escapes_every_dataset_string_and_drops_unsafe_links() -> None:
    row = result_rows([EVIL]).iloc[0].to_dict()
    row["tags"] = ["<b>bold</b>", "a & b"]
    card = cards.artist_card(row)
    assert "<img" not in card and "<b>" not in card
    assert html.escape(EVIL) in card and "a &amp; b" in card
    assert "javascript:" not in card  # only https links are rendered
    assert 'href="https://www.last.fm/music/0"' in card


TILE_STOP = re.compile(r'stop-color="hsl\((\d+),(\d+)%,(\d+)%\)"')


def tile_colours(svg: str) -> list[tuple[int, int, int]]:
    """The (hue, saturation, lightness) of the tile's gradient stops, as the browser gets them."""
    return [tuple(map(int, stop)) for stop in TILE_STOP.findall(svg)]  # type: ignore[misc]


def tile_hue_of(name: str, tags: list[str] | None = None) -> int:
    (hue, _, light), (dark_hue, _, dark) = tile_colours(cards.tile_svg(name, tags or []))
    assert dark_hue == (hue + 40) % 360 and light > dark  # a light-to-dark two-tone gradient
    return hue


@pytest.mark.parametrize(
    ("tags", "hue"),
    [
        (["Black Metal", "norwegian"], 350),  # the tag family (ui.cards.TAG_HUES), any case
        (["heavy metal"], 350),
        (["seen live", "jazz", "rock"], 35),  # the first tag with a family wins
        (["Hip-Hop"], 40),
        (["electronic", "dance"], 190),
    ],
)
def test_tile_colour_is_the_first_known_tag_family(tags: list[str], hue: int) -> None:
    assert tile_hue_of("Anyone", tags) == tile_hue_of("Someone else", tags) == hue


def test_tile_colour_without_a_known_tag_is_the_same_for_a_name_in_every_process() -> None:
    """An artist looks the same on every visit: nothing per process (like hash()) in it."""
    names = ["Sigur Rós", "宇多田ヒカル", "Muse", EVIL]
    script = (
        "import json, sys; from ui import cards; "
        f"print(json.dumps([cards.tile_svg(n, ['shoegaze']) for n in {names!r}]))"
    )
    seen = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
        )
        seen.append(json.loads(out.stdout))
    assert seen[0] == seen[1] == [cards.tile_svg(n, ["shoegaze"]) for n in names]
    assert tile_hue_of("Sigur Rós", ["shoegaze"]) == tile_hue_of("Sigur Rós")  # unknown tag


def test_tile_colours_of_different_names_spread_over_the_colour_wheel() -> None:
    hues = np.array([tile_hue_of(f"artist {i}") for i in range(3000)])
    per_sector = np.bincount(hues // 30, minlength=12)  # twelve 30° sectors, 250 each if even
    assert len(per_sector) == 12 and per_sector.min() > 150 and per_sector.max() < 350
    assert len(set(hues.tolist())) > 200  # not a handful of colours


def test_tile_names_the_artist_as_escaped_text() -> None:
    svg = cards.tile_svg(EVIL, ["rock"])
    assert "<img" not in svg and f'aria-label="{html.escape(EVIL)}"' in svg


def test_card_has_feedback_inside_reach_and_spotify_search_label() -> None:
    row = result_rows(["Muse"]).iloc[0].to_dict()
    row["spotify_url"] = "https://open.spotify.com/search/Muse"
    card = cards.artist_card(row, 0.5, feedback=True)
    assert 'data-action="like" data-artist="1"' in card and 'data-action="exclude"' in card
    assert "10 of 1,892 listeners in 2011" in card and "50% match" in card
    assert "Search on Spotify" in card
    muse = "12Chz98pHFMPJEknJQMWvI"  # a Spotify id (base62, 22 characters: ui.listen)
    row.update(spotify_url=f"https://open.spotify.com/artist/{muse}", spotify_id=muse)
    assert "Search on Spotify" not in cards.artist_card(row) and "Spotify ↗" in cards.artist_card(
        row
    )


@pytest.mark.parametrize(
    ("scores", "expected"),
    [([-5.2, -5.2 - np.log(2)], [1.0, 0.5]), ([4.0, 2.0], [1.0, 0.5]), ([1.0, -1.0], [1.0, 0.5])],
)
def test_relative_match_is_a_share_of_the_top_pick(scores, expected) -> None:
    assert np.allclose(cards.relative_match(scores), expected)


def test_card_labels_skip_case_repeats() -> None:
    row = {"spotify_genres": ["Indie", "pop"], "tags": ["indie", "rock"]}
    assert cards.labels(row) == ["indie", "rock", "pop"]  # Last.fm tags first


def test_guarded_turns_input_errors_into_an_escaped_status_with_suggestions() -> None:
    @errors.guarded("blank")
    def bad() -> tuple[str, str]:
        raise RecommenderInputError(
            "Unknown artist 'Radiohed'.",
            suggestions=[("Radiohed", ["Radiohead", EVIL, "Guns N' Roses"])],
        )

    status, rest = bad()
    assert rest == "blank" and "<img" not in status and "&lt;img" in status
    assert 'data-bad="Radiohed" data-good="Radiohead"' in status
    assert re.findall(r'data-good="([^"]*)"', status) == [
        "Radiohead", html.escape(EVIL), html.escape("Guns N' Roses")
    ]  # fmt: skip

    @errors.guarded("blank")
    def broken() -> None:
        raise KeyError("a bug, not bad input")

    with pytest.raises(KeyError):
        broken()


def test_suggestion_buttons_come_from_the_data_not_the_wording() -> None:
    @errors.guarded()
    def reworded() -> tuple[str]:
        raise RecommenderInputError(
            "No artist called «Radiohed» here.", suggestions=[("Radiohed", ["Radiohead"])]
        )

    (status,) = reworded()
    assert 'data-bad="Radiohed" data-good="Radiohead">Radiohead</button>' in status
    text_only = errors.error_html("Unknown artist 'Radiohed'. Did you mean 'Radiohead'?")
    assert "button" not in text_only  # a message alone is never parsed for names


def test_several_unknown_names_each_get_their_buttons() -> None:
    status = errors.error_html(
        "Two unknown artists.", (("Radiohed", ("Radiohead",)), ("Musee", ("Muse", "Musetta")))
    )
    lines = re.findall(r'<div class="suggestions">(.*?)</div>', status)
    assert len(lines) == 2 and "Radiohed" in lines[0] and "Musee" in lines[1]
    assert re.findall(r'data-bad="([^"]*)" data-good="([^"]*)"', status) == [
        ("Radiohed", "Radiohead"), ("Musee", "Muse"), ("Musee", "Musetta")
    ]  # fmt: skip


def test_a_suggestion_replaces_the_unknown_pick() -> None:
    assert errors.replace_pick(["Muse", "Radiohed"], "Radiohed", "Radiohead") == [
        "Muse", "Radiohead"
    ]  # fmt: skip
    assert errors.replace_pick(["Muse"], "gone", "Muse") == ["Muse"]
    assert errors.replace_pick(None, None, "Muse") == ["Muse"]


def test_search_labels_name_a_spelling_of_the_artist_never_the_typed_text() -> None:
    # Gradio's multi-select hides a label without the typed text: the name's own spellings show it
    assert inputs.search_label("Radiohead", "radio") == "Radiohead"
    assert inputs.search_label("Björk", "bjork") == "Björk · Bjork"
    assert inputs.search_label("Motörhead", "Motor") == "Motörhead · Motorhead"
    assert inputs.search_label("AC/DC", "acdc") == "AC/DC · ACDC"
    assert inputs.search_label("Radiola", "radioh") is None  # no spelling of Radiola shows it


def test_search_labels_name_the_other_spelling_that_matched() -> None:
    # the alias as written, not the typed text, when it shows what was typed
    assert inputs.search_label("東方神起", "tvxq", "TVXQ!") == "東方神起 · TVXQ!"
    assert inputs.search_label("浜崎あゆみ", "hamasa", "Hamasaki Ayumi") == (
        "浜崎あゆみ · Hamasaki Ayumi"
    )
    # partly typed Hangul, or a spelling that does not show the typed text: no label of its own
    assert inputs.search_label("동방신기", "동바", None) is None
    assert inputs.search_label("동방신기", "dong bang", "Dongbangsingi") is None


class NearMissStub:
    """Search answers with near misses (typos, a half-typed syllable) among other matches."""

    def search_suggestions(self, query: str, limit: int = 20) -> list[tuple[str, str | None]]:
        return {
            "radioh": [("Radiohead", None), ("Radiola", None)],
            "bjork": [("Björk", None), ("Brant Bjork", None), ("Borko", None)],
            "동바": [("동방신기", None), ("東方神起", "Dong Bang Shin Ki")],
        }[query]

    def top_artists(self, limit: int) -> list[str]:
        return []


def test_the_typed_text_labels_only_a_near_miss_above_every_spelt_match() -> None:
    def choices(picked: list[str], typed: str) -> list[tuple[str, str]]:
        return inputs.search_choices(NearMissStub(), picked, typed)["choices"]

    assert choices([], "radioh") == [("Radiohead", "Radiohead")]  # not "Radiola · radioh"
    assert choices([], "bjork") == [("Björk · Bjork", "Björk"), ("Brant Bjork", "Brant Bjork")]
    # the only way Gradio shows a match for a half-typed syllable: the typed text
    assert choices([], "동바") == [("동방신기 · 동바", "동방신기"), ("東方神起 · 동바", "東方神起")]
    # a picked artist keeps its plain name (its token shows its choice's label)
    assert choices(["Björk"], "bjork") == [("Brant Bjork", "Brant Bjork"), ("Björk", "Björk")]


class SearchStub:
    """Just what the picker's search asks a Bundle for."""

    def search_suggestions(self, query: str, limit: int = 20) -> list[tuple[str, str | None]]:
        return [("Radiohead", None)] if query == "radiohed" else []

    def top_artists(self, limit: int) -> list[str]:
        return ["Muse", "Radiohead"]


def test_search_choices_serve_a_single_pick_like_a_list_of_picks() -> None:
    single = inputs.search_choices(SearchStub(), "Björk", "radiohed")
    assert single["choices"] == [("Radiohead · radiohed", "Radiohead"), ("Björk", "Björk")]
    assert inputs.search_choices(SearchStub(), ["Björk"], "radiohed") == single
    empty = inputs.search_choices(SearchStub(), None, "")  # after a pick: plain labels again
    assert empty["choices"] == [("Muse", "Muse"), ("Radiohead", "Radiohead")]


@pytest.mark.parametrize("picks", [None, [], ["", "  "]])
def test_nothing_picked_is_a_clear_error(picks) -> None:
    with pytest.raises(RecommenderInputError, match="Pick at least one artist"):
        inputs.make_query(inputs.SOURCE_PICKS, picks, None, 10, None, 0.0)


@pytest.mark.parametrize(("value", "expected"), [(2, 2), (2.0, 2), ("17", 17), (" 17 ", 17)])
def test_user_id_parsing(value, expected) -> None:
    query = inputs.make_query(inputs.SOURCE_USER, [], value, 10, None, 0.0)
    assert query.user_id == expected and query.liked is None


@pytest.mark.parametrize("value", ["abc", 2.5, "2.5"])
def test_bad_user_id_is_a_clear_error(value) -> None:
    with pytest.raises(RecommenderInputError, match="whole number"):
        inputs.make_query(inputs.SOURCE_USER, [], value, 10, None, 0.0)


@pytest.mark.parametrize("value", [None, "", "  "])
def test_missing_user_id_asks_for_one(value) -> None:
    with pytest.raises(RecommenderInputError, match="user id first"):
        inputs.make_query(inputs.SOURCE_USER, [], value, 10, None, 0.0)


def test_csv_export_round_trips_names_and_joins_lists() -> None:
    results = result_rows(['Say "Hi", & <Bye>', EVIL])
    path = export.export_csv(results, "x")
    back = pd.read_csv(path)
    assert back["name"].tolist() == results["name"].tolist()
    assert back["tags"].iat[0] == "rock|Indie"
    assert list(back.columns) == list(results.columns)


def test_the_csv_folder_keeps_only_recent_files_and_at_most_the_limit(
    monkeypatch, tmp_path
) -> None:
    import os

    monkeypatch.setattr(export, "CSV_DIR", tmp_path)
    paths = [Path(export.export_csv(result_rows([f"Artist {n}"]), "x")) for n in range(5)]
    for age, path in zip([100, 50, 30, 20, 10], paths, strict=True):  # seconds since made
        os.utime(path.parent, (1000.0 - age, 1000.0 - age))
    assert export.sweep(max_age=60, max_files=10, now=1000.0) == 4  # the 100-second one goes
    assert export.sweep(max_age=60, max_files=2, now=1000.0) == 2  # then the oldest
    assert sorted(p.parent.name for p in tmp_path.glob("*/x.csv")) == sorted(
        p.parent.name for p in paths[3:]
    )
    again = Path(export.export_csv(result_rows(["Artist 3"]), "x"))  # made again: young again
    assert again == paths[3] and time.time() - again.parent.stat().st_mtime < 5


def test_display_table_keeps_names_as_text() -> None:
    table = cards.display_table(result_rows([EVIL]))
    assert table["name"].iat[0] == EVIL and table["match"].iat[0] == "100%"
    assert table["tags"].iat[0] == "rock, Indie"


def test_empty_results_give_a_notice() -> None:
    assert "No artist matched" in cards.cards_html(result_rows([]))


def test_make_query_routes_picks_and_users() -> None:
    picks = inputs.make_query(inputs.SOURCE_PICKS, ["A", " "], None, 5, [], 0.2, ["B"])
    user = inputs.make_query(inputs.SOURCE_USER, ["ignored"], 7.0, 5, ["Rock"], 0)
    assert picks.liked == ("A",) and picks.tags == () and picks.exclude == ("B",)
    assert picks.popularity_penalty == 0.2 and picks.k == 5
    assert user.user_id == 7 and user.liked is None and user.tags == ("rock",)


def test_feedback_moves_artists_between_lists_and_undo_removes_them() -> None:
    start = session.remember_shown(session.new_session(), result_rows(["A", "B"]))
    liked = session.apply_action(start, "like", "2")
    assert liked["like"] == {2: "B"} and liked["exclude"] == {}
    excluded = session.apply_action(liked, "exclude", 2)
    assert excluded["like"] == {} and excluded["exclude"] == {2: "B"}
    assert session.apply_action(excluded, "undo", 2)["exclude"] == {}
    assert session.apply_action(excluded, "bogus", 2) is excluded
    assert session.apply_action(excluded, "like", "not a number") is excluded
    assert start["like"] == {}  # the visitor's old state is not mutated
    listing = session.session_html(session.apply_action(start, "exclude", 1))
    assert "Not for me" in listing and 'data-action="undo" data-artist="1"' in listing


def test_discover_recommend_sends_picks_likes_and_exclusions() -> None:
    bundle = StubBundle()
    state = session.remember_shown(session.new_session(), result_rows(["X", "Y", "Z"], 7))
    state = session.apply_action(session.apply_action(state, "like", 7), "exclude", 8)
    updated, results, unknown = discover.recommend(bundle, state, ["A"], "softmax", 5, None, 0.0)
    query = bundle.calls[-1]["query"]
    assert query.liked == ("A", 7) and query.exclude == (8,)
    assert updated["shown"] == dict(zip(results["artist_id"], results["name"], strict=True))
    assert unknown == [] and session.taste_picks(updated) == ["A"]
    with pytest.raises(RecommenderInputError):
        discover.recommend(bundle, session.new_session(), [], "softmax", 5, None, 0.0)


def test_score_frame_orders_bars_by_rank() -> None:
    frame = cards.score_frame(result_rows([f"n{i}" for i in range(12)]))
    assert frame["artist"].tolist() == sorted(frame["artist"].tolist())
    assert frame["match %"].iat[0] == 100 and frame["match %"].min() > 0


def test_jaccard_and_side_by_side() -> None:
    lists = {"a": result_rows(["x", "y"], 1), "b": result_rows(["y", "z", "w"], 2)}
    matrix = compare.jaccard(lists).set_index("model")
    assert matrix.loc["a", "b"] == matrix.loc["b", "a"] == round(1 / 4, 3)
    assert matrix.loc["a", "a"] == 1.0
    table = compare.side_by_side(lists)
    assert table["a"].tolist() == ["x", "y", ""] and len(table) == 3


def test_compare_calls_every_model_with_the_same_input() -> None:
    bundle = StubBundle()
    query = inputs.make_query(inputs.SOURCE_PICKS, ["A"], None, 5, None, 0.0)
    lists = compare.compare(bundle, query)
    assert set(lists) == set(bundle.model_names)
    assert {c["query"] for c in bundle.calls} == {query}


def test_metrics_table_shows_spread_only_with_several_seeds() -> None:
    metrics = {
        "svd": {"mean": {"ndcg": 0.15, "coverage": 0.01}, "std": {"ndcg": 0.01}, "runs": [1, 2]},
        "pop": {"mean": {"ndcg": 0.08}, "std": {"ndcg": 0.0}, "runs": [1]},
    }
    at_20 = {m: {**v, "k": 20} for m, v in metrics.items()}
    assert "NDCG@20" in compare.metrics_table(at_20).columns
    table = compare.metrics_table(metrics).set_index("model")
    assert re.fullmatch(r"0\.15 ± 0\.01", table.loc["svd", "NDCG@10"])
    assert table.loc["pop", "NDCG@10"] == "0.08"
    long = compare.metrics_long(metrics, compare.QUALITY)
    assert set(zip(long["model"], long["metric"], strict=True)) == {("svd", "NDCG@10"),
                                                                   ("pop", "NDCG@10")}  # fmt: skip


def test_map_highlights_listener_and_recommended_artists() -> None:
    base = pd.DataFrame(
        {
            "x": np.arange(6.0),
            "y": np.arange(6.0),
            "name": list("abcdef"),
            "group": ["rock"] * 6,
            "listeners": [60, 50, 40, 30, 20, 10],
        }
    )
    points = svd.highlighted_map(base, 2, yours=np.array([5]), recommended=np.array([0, 4]))
    groups = dict(zip(points["name"], points["group"], strict=True))
    assert groups == {"b": "rock", "c": "rock", "f": svd.YOURS, "a": svd.RECOMMENDED,
                      "e": svd.RECOMMENDED}  # fmt: skip
    colours = svd.colour_map(base)
    assert colours[svd.RECOMMENDED] != colours["rock"]


def test_bundle_source_precedence(tmp_path, monkeypatch) -> None:
    from recommenders.loading import app_bundle_source

    monkeypatch.delenv("RECOMMENDERS_HUB_REPO", raising=False)
    monkeypatch.delenv("RECOMMENDERS_HUB_REVISION", raising=False)
    default = tmp_path / "artifacts"
    assert app_bundle_source(None, default) is None  # nothing found: the pipeline builds one
    monkeypatch.setenv("RECOMMENDERS_HUB_REPO", "someone/lastfm-bundle")
    monkeypatch.setenv("RECOMMENDERS_HUB_REVISION", "v1")
    assert app_bundle_source(None, default) == ("someone/lastfm-bundle", "v1")
    default.mkdir()
    (default / "manifest.json").write_text("{}")
    assert app_bundle_source(None, default) == (str(default), None)
    assert app_bundle_source("elsewhere/repo", default) == ("elsewhere/repo", None)
    monkeypatch.setenv("RECOMMENDERS_HUB_REPO", "not a repo")
    with pytest.raises(RecommenderInputError, match="RECOMMENDERS_HUB_REPO"):
        app_bundle_source(None, tmp_path / "empty")


def test_cluster_sizes_are_binned_and_k_text_matches_the_chart() -> None:
    summary = pd.DataFrame({"cluster": range(4), clustering.LISTENERS: [5, 30, 30, 500]})
    bins = clustering.size_bins(summary).set_index("listeners per cluster")["clusters"]
    assert bins["1–10"] == 1 and bins["26–50"] == 2 and bins["over 400"] == 1
    text = clustering.choice_text({"chosen": 128, "silhouette_best": 48, "rule": "x"}, 1892)
    assert "128 clusters" in text and "NDCG@10" in text and "k = 48" in text


def test_example_users_exist() -> None:
    class Users:
        user_ids = np.array([2, 3, 50, 2100])

    assert set(inputs.example_users(Users())) <= {2, 3, 50, 2100}
