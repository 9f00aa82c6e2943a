"""Collaborative filtering (SVD) tab: recommendations for a user or picked artists, and a 2-D map
of the artist embeddings with the listener's and the recommended artists highlighted."""

from __future__ import annotations

from typing import Any

import gradio as gr
import numpy as np
import pandas as pd

from recommenders.bundle import Bundle
from recommenders.query import RecQuery
from ui import cards, errors, export, inputs

MODEL = "svd"
MAP_POINTS = 2000  # most listened artists drawn on the map, plus the highlighted ones
YOURS, RECOMMENDED = "your artists", "recommended"
BACKGROUND = [
    "#9ecae1",
    "#a1d99b",
    "#fdd0a2",
    "#bcbddc",
    "#fcbba1",
    "#c7e9c0",
    "#d9d9d9",
    "#fee391",
]


def colour_map(base: pd.DataFrame) -> dict[str, str]:
    """Soft colours for the main-tag groups, strong ones for the listener's and recommended."""
    groups = [g for g in base["group"].value_counts().index if g != "other"]
    colours = dict(zip(groups, BACKGROUND, strict=False))
    return {**colours, "other": "#eeeeee", YOURS: "#111111", RECOMMENDED: "#7b00d4"}


def map_base(bundle: Bundle) -> pd.DataFrame:
    """The map's background: every mapped artist (artist_id, x, y, name, group, listeners),
    indexed by artist id. Built once at start-up."""
    return bundle.artist_map().set_index("artist_id", drop=False)


def highlighted_map(
    base: pd.DataFrame, points: int, yours: np.ndarray, recommended: np.ndarray
) -> pd.DataFrame:
    """The top ``points`` background artists plus the listener's and recommended artists (by
    artist id), which get their own groups."""
    marked = np.union1d(yours, recommended)
    top = base.drop(index=base.index.intersection(marked)).nlargest(points, "listeners")
    mine = base.loc[base.index.intersection(yours)].assign(group=YOURS)
    recs = base.loc[base.index.intersection(recommended)].assign(group=RECOMMENDED)
    return pd.concat([top, mine, recs])[["x", "y", "name", "group"]]


def example_map(bundle: Bundle, base: pd.DataFrame) -> pd.DataFrame:
    """The map a visitor sees first: the first example picks and their recommendations.

    It also puts both highlight groups in the plot from the start: Gradio's plot keeps the
    colour domain of its first data, so groups that only appear later would not be drawn.
    """
    query = RecQuery.of(liked=inputs.EXAMPLE_PICKS[0], k=inputs.DEFAULT_K)
    yours = bundle.listener_artists(query)["artist_id"].to_numpy()
    recommended = bundle.recommend(MODEL, query)["artist_id"].to_numpy()
    return highlighted_map(base, MAP_POINTS, yours, recommended)


def build(bundle: Bundle, tab: gr.Tab) -> None:
    """The tab's layout and events; the map is drawn when the tab is first opened."""
    if MODEL not in bundle.model_names:
        gr.HTML(cards.notice("The SVD model is not in this bundle."))
        return
    gr.Markdown(
        "Matrix factorisation (SVD): every listener and every artist becomes a vector of "
        "latent taste factors; a new listener is folded in from the artists they pick. The map "
        "squeezes the artist vectors into two dimensions: nearby artists share listeners."
    )
    source, picker, user = inputs.source_inputs(bundle, "svd")
    events = inputs.example_chips(picker, inputs.EXAMPLE_PICKS[:2], source)
    events += inputs.user_chips(source, picker, user, bundle)
    status = gr.HTML(elem_classes="status-box")
    with gr.Row(elem_classes="stack-on-phone"):
        go = gr.Button("Recommend", variant="primary")
    with gr.Accordion("Options", open=False):
        k, tags, penalty = inputs.controls(bundle)
    artist_map = gr.ScatterPlot(
        x="x",
        y="y",
        color="group",
        tooltip=["name", "group"],
        x_title="taste factor 1",
        y_title="taste factor 2",
        title=f"Artist map: the {MAP_POINTS:,} most listened artists by main tag",
        caption="Black: the listener's artists · purple: recommended · tap or hover a dot for "
        "its name. Before your first request the map shows "
        f"{', '.join(inputs.EXAMPLE_PICKS[0])}.",
        height=480,
        elem_classes="artist-map",
    )
    with gr.Row(elem_classes="stack-on-phone"):
        with gr.Column(scale=1):
            history = gr.Dataframe(
                label="The listener's artists", interactive=False, visible=False, wrap=True
            )
        with gr.Column(scale=2):
            result_cards = gr.HTML(elem_classes="cards-box")
    download = gr.DownloadButton("Download CSV", visible=False, size="sm")
    holder: dict[str, pd.DataFrame] = {}

    def base() -> pd.DataFrame:
        if "base" not in holder:
            holder["base"] = map_base(bundle)
        return holder["base"]

    def first_map() -> dict[str, Any]:
        """The example map, built on the first visit of the tab (not at start-up)."""
        frame = base()
        return gr.update(value=example_map(bundle, frame), color_map=colour_map(frame))

    tab.select(first_map, None, artist_map, api_name="svd_map", queue=False)

    @errors.guarded(gr.update(visible=False), "", gr.update(visible=False), gr.skip())
    def on_recommend(
        source: str,
        picks: list[str] | None,
        user_id: object,
        k: float,
        tags: list[str] | None,
        penalty: float,
    ) -> tuple[Any, ...]:
        query = inputs.make_query(source, picks, user_id, k, tags, penalty)
        known = bundle.listener_artists(query)
        results = bundle.recommend(MODEL, query)
        points = highlighted_map(
            base(), MAP_POINTS, known["artist_id"].to_numpy(), results["artist_id"].to_numpy()
        )
        table = (
            known.drop(columns="artist_id")
            .dropna(axis=1, how="all")
            .assign(tags=known["tags"].map(lambda t: ", ".join(list(t)[:4])))
        )
        return (
            errors.short_notice(results, k),
            gr.update(value=table, visible=True),
            cards.cards_html(results),
            gr.update(value=export.export_csv(results, "svd_recommendations"), visible=True),
            points,
        )

    run = {
        "fn": on_recommend,
        "inputs": [source, picker, user, k, tags, penalty],
        "outputs": [status, history, result_cards, download, artist_map],
        "concurrency_id": "recommend",
    }
    go.click(**run, api_name="svd_recommend")
    for event in events:
        event.then(**run, api_name="svd_example", api_visibility="private")
