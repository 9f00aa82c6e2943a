"""Exploration tables, headline stats and plots: checked against the raw frames and a tiny
hand-made dataset whose answers are known."""

from __future__ import annotations

import io
import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread

from recommenders.data import FIRST_PLAUSIBLE_TAG_YEAR, LastfmData
from recommenders.errors import BundleError
from recommenders.exploration import (
    TABLE_COLUMNS,
    check_tables,
    exploration_tables,
    headline_stats,
    headline_table,
)
from recommenders.plots import ALL_PLOTS, DPI, FIGSIZE, plot_tag_years, plot_top_artist_tags


@pytest.fixture(scope="module")
def tables(lastfm_data: LastfmData) -> dict[str, pd.DataFrame]:
    return exploration_tables(lastfm_data)


def _tiny() -> LastfmData:
    """3 users, 4 artists (artist 4 never listened), 3 tags (tag 3 unused), one tag row about
    artist 9 which is not in artists.dat, one row dated 1956."""
    artists = pd.DataFrame(
        {
            "artist_id": [1, 2, 3, 4],
            "name": ["A", "B", "C", "D"],
            "url": ["u"] * 4,
            "picture_url": [pd.NA] * 4,
        }
    )
    tags = pd.DataFrame({"tag_id": [1, 2, 3], "tag": ["rock", "pop", "jazz"]})
    user_artists = pd.DataFrame(
        {"user_id": [10, 10, 11, 11, 11], "artist_id": [1, 2, 1, 2, 3], "weight": [5, 1, 100, 2, 7]}
    )
    user_friends = pd.DataFrame({"user_id": [10, 11, 11, 12], "friend_id": [11, 10, 12, 11]})
    tagged = pd.DataFrame(
        {
            "user_id": [10, 10, 11, 12, 12],
            "artist_id": [1, 1, 1, 2, 9],
            "tag_id": [1, 2, 1, 1, 2],
            "day": [1] * 5,
            "month": [1] * 5,
            "year": [2008, 2008, 2009, 1956, 2009],
        }
    )
    return LastfmData(artists, tags, user_artists, user_friends, tagged)


def test_tiny_dataset_known_answers() -> None:
    tables = exploration_tables(_tiny())
    users = tables["users"].set_index("user_id")
    assert users.index.tolist() == [10, 11, 12]  # user 12 only has friends and tags
    assert users["n_artists"].tolist() == [2, 3, 0]
    assert users["total_plays"].tolist() == [6, 109, 0]
    assert users["n_friends"].tolist() == [1, 2, 1]
    assert users["n_tag_assignments"].tolist() == [2, 1, 2]
    assert users["n_tags_given"].tolist() == [2, 1, 2]
    artists = tables["artists"].set_index("artist_id")
    assert artists.index.tolist() == [1, 2, 3, 4]  # artist 9 is not in artists.dat
    assert artists["listeners"].tolist() == [2, 2, 1, 0]
    assert artists["plays"].tolist() == [105, 3, 7, 0]
    assert artists["n_tags"].tolist() == [2, 1, 0, 0]
    assert artists["n_tag_assignments"].tolist() == [3, 1, 0, 0]
    assert artists["n_taggers"].tolist() == [2, 1, 0, 0]
    tags = tables["tags"].set_index("tag")
    assert tags.loc["rock"].tolist() == [1, 2, 3, 3]  # tag_id, artists, users, rows
    assert tags.loc["pop"].tolist() == [2, 2, 2, 2]
    assert tags.loc["jazz"].tolist() == [3, 0, 0, 0]
    assert tables["tag_years"].values.tolist() == [[1956, 1], [2008, 2], [2009, 2]]

    stats = headline_stats(tables)
    assert stats["users"] == 3 and stats["artists"] == 4 and stats["listening_rows"] == 5
    assert stats["density"] == pytest.approx(5 / 12)
    assert stats["median_artists_per_user"] == 2.0
    assert stats["median_listeners_per_artist"] == 1.5
    assert stats["tags"] == 3 and stats["tags_used"] == 2
    assert stats["tag_assignments"] == 5
    assert stats["tag_assignments_unknown_artists"] == 1
    assert stats["friendships"] == 2
    assert stats["median_friends_per_user"] == 1.0
    assert stats["top_1pct_artists"] == 1
    assert stats["top_1pct_play_share"] == pytest.approx(105 / 115)


def test_real_tables_sizes_and_sums(lastfm_data: LastfmData, tables) -> None:
    raw = lastfm_data
    users, artists, tags, years = (tables[k] for k in ("users", "artists", "tags", "tag_years"))
    assert len(users) == raw.user_artists["user_id"].nunique() == 1_892
    assert users["n_artists"].sum() == len(raw.user_artists) == 92_834
    assert users["total_plays"].sum() == raw.user_artists["weight"].sum()
    assert users["n_friends"].sum() == len(raw.user_friends) == 25_434
    assert users["n_tag_assignments"].sum() == len(raw.user_tagged_artists) == 186_478

    assert len(artists) == len(raw.artists) == 17_632
    assert artists["listeners"].sum() == len(raw.user_artists)
    assert artists["plays"].sum() == raw.user_artists["weight"].sum()
    known = raw.user_tagged_artists["artist_id"].isin(raw.artists["artist_id"])
    assert artists["n_tag_assignments"].sum() == known.sum() == 186_478 - 1_538

    # Every tag row refers to a known tag (load_dataset checks it), so all rows are counted.
    assert len(tags) == len(raw.tags) == 11_946
    assert tags["n_assignments"].sum() == len(raw.user_tagged_artists)
    assert years["n_assignments"].sum() == len(raw.user_tagged_artists)
    assert years["year"].tolist() == sorted(raw.user_tagged_artists["year"].unique())


def test_real_tables_spot_checks(lastfm_data: LastfmData, tables) -> None:
    """A few rows recomputed from the raw frames with plain Python sets."""
    tagged = lastfm_data.user_tagged_artists
    user = int(lastfm_data.user_artists["user_id"].iloc[0])
    row = tables["users"].set_index("user_id").loc[user]
    assert row["n_tags_given"] == len(set(tagged.loc[tagged["user_id"] == user, "tag_id"]))
    rock = int(lastfm_data.tags.loc[lastfm_data.tags["tag"] == "rock", "tag_id"].iloc[0])
    rock_rows = tagged[tagged["tag_id"] == rock]
    row = tables["tags"].set_index("tag_id").loc[rock]
    assert row["n_artists"] == len(set(rock_rows["artist_id"]))
    assert row["n_users"] == len(set(rock_rows["user_id"]))
    top = lastfm_data.user_artists.groupby("artist_id")["weight"].sum().idxmax()
    artist = tables["artists"].set_index("artist_id").loc[top]
    assert artist["n_tags"] == len(set(tagged.loc[tagged["artist_id"] == top, "tag_id"]))


def test_headline_stats_match_raw(lastfm_data: LastfmData, tables) -> None:
    raw = lastfm_data
    stats = headline_stats(tables)
    user_ids = sorted(
        set(raw.user_artists["user_id"])
        | set(raw.user_friends["user_id"])
        | set(raw.user_tagged_artists["user_id"])
    )
    n_users = len(user_ids)
    n_artists = len(raw.artists)
    assert stats["users"] == n_users
    assert stats["artists"] == n_artists
    assert stats["listening_rows"] == len(raw.user_artists)
    assert stats["density"] == pytest.approx(len(raw.user_artists) / (n_users * n_artists))
    assert stats["median_artists_per_user"] == np.median(
        np.bincount(raw.user_artists["user_id"])[sorted(set(raw.user_artists["user_id"]))]
    )
    listeners = raw.user_artists["artist_id"].value_counts().reindex(raw.artists["artist_id"])
    assert stats["median_listeners_per_artist"] == np.median(listeners.fillna(0))
    assert stats["tags"] == len(raw.tags)
    assert stats["tags_used"] == raw.user_tagged_artists["tag_id"].nunique()
    assert stats["tag_assignments"] == len(raw.user_tagged_artists)
    pairs = {frozenset(p) for p in raw.user_friends[["user_id", "friend_id"]].to_numpy().tolist()}
    assert stats["friendships"] == len(pairs) == 12_717
    friends = raw.user_friends["user_id"].value_counts()
    assert stats["median_friends_per_user"] == np.median(friends.reindex(user_ids, fill_value=0))
    plays = np.sort(raw.user_artists.groupby("artist_id")["weight"].sum().to_numpy())[::-1]
    n_top = math.ceil(n_artists / 100)
    assert stats["top_1pct_play_share"] == pytest.approx(plays[:n_top].sum() / plays.sum())
    assert 0.0 < stats["top_1pct_play_share"] < 1.0


def test_tables_round_trip_parquet_exactly(tables) -> None:
    """The bundle stores these as parquet; plain columns must come back identical."""
    assert set(tables) == set(TABLE_COLUMNS)
    for name, frame in tables.items():
        assert tuple(frame.columns) == TABLE_COLUMNS[name]
        assert all(pd.api.types.is_integer_dtype(frame[c]) for c in frame if c != "tag")
        buffer = io.BytesIO()
        frame.to_parquet(buffer)
        buffer.seek(0)
        pd.testing.assert_frame_equal(pd.read_parquet(buffer), frame, check_exact=True)


def test_headline_stats_same_after_parquet(tables) -> None:
    reloaded = {}
    for name, frame in tables.items():
        buffer = io.BytesIO()
        frame.to_parquet(buffer)
        buffer.seek(0)
        reloaded[name] = pd.read_parquet(buffer)
    assert headline_stats(reloaded) == headline_stats(tables)


def test_headline_table_one_display_row_per_stat(tables) -> None:
    stats = headline_stats(tables)
    table = headline_table(stats)
    assert len(table) == len(stats)
    values = dict(zip(table["statistic"], table["value"], strict=True))
    assert values["Friendships (undirected)"] == f"{stats['friendships']:,}"
    assert values["Density of the user × artist matrix"].endswith("%")


def test_missing_table_or_column_is_rejected(tables) -> None:
    partial = {k: v for k, v in tables.items() if k != "tags"}
    with pytest.raises(BundleError, match="'tags'"):
        headline_stats(partial)
    broken = dict(tables, users=tables["users"].drop(columns="n_friends"))
    with pytest.raises(BundleError, match="n_friends"):
        check_tables(broken)
    with pytest.raises(BundleError, match="n_friends"):
        ALL_PLOTS["Friends per user"](broken)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


@pytest.mark.parametrize("title", list(ALL_PLOTS))
def test_plot_is_a_labelled_figure(title: str, tables, tmp_path) -> None:
    figure = ALL_PLOTS[title](tables)
    assert isinstance(figure, Figure)
    (axes,) = figure.axes
    assert axes.get_title("left").startswith(title)
    assert axes.get_xlabel() and axes.get_ylabel()
    heights = [patch.get_height() * patch.get_width() for patch in axes.patches]
    assert len(heights) > 0 and sum(heights) > 0  # bars were drawn, not an empty frame
    path = tmp_path / f"{title}.png"
    path.write_bytes(_png(figure))
    height, width = imread(path).shape[:2]
    assert (width, height) == (FIGSIZE[0] * DPI, FIGSIZE[1] * DPI)


def test_log_histograms_say_how_many_zeros_they_hide(lastfm_data: LastfmData, tables) -> None:
    untagged = ~lastfm_data.artists["artist_id"].isin(lastfm_data.user_tagged_artists["artist_id"])
    note = ALL_PLOTS["Tags per artist"](tables).axes[0].get_title("right")
    assert f"{int(untagged.sum()):,} (" in note
    axes = ALL_PLOTS["Listeners per artist"](tables).axes[0]
    assert axes.get_xscale() == "log" and axes.get_yscale() == "log"


def test_top_tags_plot_shows_tags_given_to_most_artists(lastfm_data: LastfmData, tables) -> None:
    named = lastfm_data.user_tagged_artists.merge(lastfm_data.tags, on="tag_id")
    per_tag = named.groupby("tag")["artist_id"].nunique()
    expected = per_tag.sort_values(ascending=False).head(20)
    axes = plot_top_artist_tags(tables).axes[0]
    shown = [label.get_text() for label in axes.get_yticklabels()]
    assert shown[::-1][0] == expected.index[0]  # the most used tag is drawn on top
    widths = sorted((p.get_width() for p in axes.patches), reverse=True)
    assert widths == expected.tolist()


def test_tag_years_plot_leaves_out_implausible_years(lastfm_data: LastfmData, tables) -> None:
    years = lastfm_data.user_tagged_artists["year"]
    counts = years[years >= FIRST_PLAUSIBLE_TAG_YEAR].value_counts().sort_index()
    axes = plot_tag_years(tables).axes[0]
    assert [p.get_height() for p in axes.patches] == counts.tolist()
    assert f"{int((years < FIRST_PLAUSIBLE_TAG_YEAR).sum())} rows" in axes.get_title("right")


@pytest.mark.slow
def test_plots_on_tiny_data_and_from_threads() -> None:
    """No pyplot state: figures drawn concurrently are byte-identical to ones drawn one by one."""
    tables = exploration_tables(_tiny())
    functions = list(ALL_PLOTS.values())[::2]  # half of them keeps this test short
    alone = [_png(function(tables)) for function in functions]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda function: _png(function(tables)), functions))
    assert together == alone
