"""Exploration plots for the Explore tab, drawn from the tables of `recommenders.exploration`.

Every function takes the exploration tables and returns a new `matplotlib.figure.Figure`. Only the
object API is used (no pyplot), so nothing is shared between figures and they can be drawn from
several web-server threads at once. Figures are 7 x 4 inches at 100 dpi (700 x 400 px), with a
title, axis labels that name the unit, and log axes wherever the counts are heavy-tailed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from recommenders.data import FIRST_PLAUSIBLE_TAG_YEAR
from recommenders.exploration import check_tables

FIGSIZE = (7.0, 4.0)  # inches; at DPI this is 700 x 400 px
DPI = 100
BAR_COLOR = "#3b6ea8"
ACCENT_COLOR = "#d1495b"
NOTE_COLOR = "0.35"
N_BINS = 40
TOP_TAGS = 20

Tables = dict[str, pd.DataFrame]


def _short_number(value: float, _position: object = None) -> str:
    """Tick label: 1, 10, 100, 1k, 10k, 1M (keeps log axes readable at 700 px)."""
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:g}{suffix}"
    return f"{value:g}"


def _figure(title: str, xlabel: str, ylabel: str) -> tuple[Figure, Axes]:
    """A new figure in the shared style: one axes, left title, light grid, no top/right spines."""
    figure = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title, loc="left", fontsize=12, fontweight="bold")
    axes.set_xlabel(xlabel, fontsize=10)
    axes.set_ylabel(ylabel, fontsize=10)
    axes.grid(True, color="0.85", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=9)
    return figure, axes


def _log_axis(axes: Axes, which: str) -> None:
    """Log scale on 'x' or 'y' with 1 / 10 / 1k style labels and unlabelled minor ticks."""
    axis = axes.xaxis if which == "x" else axes.yaxis
    (axes.set_xscale if which == "x" else axes.set_yscale)("log")
    axis.set_major_locator(LogLocator(base=10))
    axis.set_major_formatter(FuncFormatter(_short_number))
    axis.set_minor_formatter(NullFormatter())


def _note(axes: Axes, text: str) -> None:
    """A small grey remark right of the title, outside the data area so it hides no bar."""
    axes.set_title(text, loc="right", fontsize=9, color=NOTE_COLOR)


def _log_bins(values: np.ndarray, integer: bool) -> np.ndarray:
    """About N_BINS log-spaced bin edges over positive `values` (n_values,).

    For counts the edges sit on half-integers, so no bin falls between two integers and is empty.
    """
    low, high = float(values.min()), float(values.max())
    if integer:
        edges = np.unique(np.round(np.geomspace(low, high + 1, N_BINS + 1)))
        return edges - 0.5
    if high <= low:
        return np.array([low / 1.1, high * 1.1])
    return np.geomspace(low, high, N_BINS + 1)


def _log_histogram(
    axes: Axes, values: pd.Series, unit: str, log_y: bool = False, integer: bool = True
) -> None:
    """Histogram of the positive `values` on a log x axis, with the median marked.

    Values <= 0 cannot sit on a log axis; how many were left out is written on the plot. For
    counts, low bins hold one or two integers each (edges on half-integers), so a bin twice as
    wide as its neighbour can stand a little taller: the bar widths show it. Scaling heights by
    bin width was tried and rejected: it hides how many artists/users have exactly 1.
    """
    array = values.to_numpy(dtype="float64")
    positive = array[array > 0]
    if len(positive) == 0:
        _note(axes, "no data")
        return
    axes.hist(positive, bins=_log_bins(positive, integer), color=BAR_COLOR, edgecolor="white")
    _log_axis(axes, "x")
    if log_y:
        _log_axis(axes, "y")
    median = float(np.median(array))
    axes.axvline(max(median, positive.min()), color=ACCENT_COLOR, linestyle="--", linewidth=1.5)
    notes = [f"dashed line: median = {median:,.4g}"]
    dropped = len(array) - len(positive)
    if dropped:
        notes.append(f"{dropped:,} ({dropped / len(array):.0%}) with 0 {unit} not shown")
    _note(axes, "\n".join(notes))


def plot_tags_per_artist(tables: Tables) -> Figure:
    """Histogram of the number of distinct tags each artist received (log x)."""
    check_tables(tables)
    figure, axes = _figure(
        "Tags per artist",
        "distinct tags given to the artist (log scale)",
        "artists (count per bin)",
    )
    _log_histogram(axes, tables["artists"]["n_tags"], "tags")
    return figure


def plot_top_artist_tags(tables: Tables) -> Figure:
    """The TOP_TAGS tags given to the most artists, as horizontal bars (most used on top)."""
    check_tables(tables)
    top = (
        tables["tags"]
        .sort_values(["n_artists", "tag"], ascending=[False, True])
        .head(TOP_TAGS)
        .iloc[::-1]
    )
    figure, axes = _figure(
        f"Most common artist tags (top {len(top)})", "artists tagged with it (count)", "tag"
    )
    bars = axes.barh(top["tag"], top["n_artists"], color=BAR_COLOR)
    axes.bar_label(bars, labels=[f"{v:,}" for v in top["n_artists"]], padding=2, fontsize=8)
    axes.tick_params(axis="y", labelsize=8)
    axes.grid(False, axis="y")
    axes.margins(x=0.1)
    return figure


def plot_tags_users_give(tables: Tables) -> Figure:
    """Histogram of how many tag assignments each user made (log x)."""
    check_tables(tables)
    figure, axes = _figure(
        "Tags users give", "tag assignments made by the user (log scale)", "users (count per bin)"
    )
    _log_histogram(axes, tables["users"]["n_tag_assignments"], "tag assignments")
    return figure


def plot_friends_per_user(tables: Tables) -> Figure:
    """Histogram of each user's number of friends (log x: a few users have over 100)."""
    check_tables(tables)
    figure, axes = _figure("Friends per user", "friends (log scale)", "users (count per bin)")
    _log_histogram(axes, tables["users"]["n_friends"], "friends")
    return figure


def plot_listeners_per_artist(tables: Tables) -> Figure:
    """Log-log histogram of listeners per artist: most artists have a single listener."""
    check_tables(tables)
    figure, axes = _figure(
        "Listeners per artist", "users who listened to the artist (log scale)",
        "artists (count per bin, log scale)",
    )  # fmt: skip
    _log_histogram(axes, tables["artists"]["listeners"], "listeners", log_y=True)
    return figure


def plot_plays_per_artist(tables: Tables) -> Figure:
    """Histogram of total listening count per artist, summed over its listeners (log x)."""
    check_tables(tables)
    figure, axes = _figure(
        "Listening time per artist",
        "plays of the artist, all users (log scale)",
        "artists (count per bin)",
    )
    _log_histogram(axes, tables["artists"]["plays"], "plays")
    return figure


def plot_plays_per_listener(tables: Tables) -> Figure:
    """Engagement: histogram of plays per listener for each listened artist (log x)."""
    check_tables(tables)
    artists = tables["artists"]
    listened = artists[artists["listeners"] > 0]
    engagement = listened["plays"] / listened["listeners"]
    figure, axes = _figure(
        "Engagement: plays per listener",
        "plays per listener of the artist (log scale)",
        "artists (count per bin)",
    )
    _log_histogram(axes, engagement, "plays/listener", integer=False)
    return figure


def plot_tag_years(tables: Tables) -> Figure:
    """Tag assignments per year; years before Last.fm tagging existed are left out and counted."""
    check_tables(tables)
    years = tables["tag_years"]
    plausible = years[years["year"] >= FIRST_PLAUSIBLE_TAG_YEAR]
    figure, axes = _figure("Tag assignments per year", "year tagged", "tag assignments (count)")
    axes.bar(plausible["year"], plausible["n_assignments"], color=BAR_COLOR, width=0.8)
    axes.set_xticks(plausible["year"].to_list())
    axes.yaxis.set_major_formatter(FuncFormatter(_short_number))
    axes.grid(False, axis="x")
    early = int(years.loc[years["year"] < FIRST_PLAUSIBLE_TAG_YEAR, "n_assignments"].sum())
    if early:
        _note(axes, f"{early:,} rows dated before {FIRST_PLAUSIBLE_TAG_YEAR} not shown")
    return figure


ALL_PLOTS: dict[str, Callable[[Tables], Figure]] = {
    "Tags per artist": plot_tags_per_artist,
    "Most common artist tags": plot_top_artist_tags,
    "Tags users give": plot_tags_users_give,
    "Friends per user": plot_friends_per_user,
    "Listeners per artist": plot_listeners_per_artist,
    "Listening time per artist": plot_plays_per_artist,
    "Engagement: plays per listener": plot_plays_per_listener,
    "Tag assignments per year": plot_tag_years,
}
