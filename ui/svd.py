"""Collaborative filtering (SVD) tab: recommendations for a user or picked artists, and a 2-D map
of the artist embeddings with the listener's and the recommended artists highlighted."""

from __future__ import annotations

from typing import Any

import gradio as gr
import numpy as np
import pandas as pd

from ui import common

MODEL = "svd"
MAP_POINTS = 2000  # most listened artists drawn on the map, plus the highlighted ones
MAP_GROUPS = 8  # most common main tags get their own colour, the rest are "other"
YOURS, RECOMMENDED = "★ your artists", "★ recommended"
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
    return {**colours, "other": "#eeeeee", YOURS: "#111111", RECOMMENDED: "#e4572e"}


def map_base(bundle: Any, points: int = MAP_POINTS) -> pd.DataFrame:
    """The map's background: x, y, name, group (main tag), column for the most listened artists
    with finite coordinates. Built once at start-up. Index: catalog column."""
    xy = np.asarray(bundle.model(MODEL).embedding_2d(), dtype=np.float64)  # (n_artists × 2)
    catalog = bundle.catalog
    main_tag = [
        (list(t) or list(g) or ["untagged"])[0]
        for t, g in zip(catalog["tags"], catalog["spotify_genres"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "x": xy[:, 0].round(4),
            "y": xy[:, 1].round(4),
            "name": catalog["name"].to_numpy(),
            "group": main_tag,
            "listeners": catalog["listeners"].to_numpy(),
        }
    )
    frame = frame[np.isfinite(xy).all(axis=1)]
    top = frame.nlargest(points, "listeners")
    common_groups = top["group"].value_counts().index[:MAP_GROUPS]
    frame["group"] = frame["group"].where(frame["group"].isin(common_groups), "other")
    return frame


def highlighted_map(
    base: pd.DataFrame, points: int, yours: np.ndarray, recommended: np.ndarray
) -> pd.DataFrame:
    """The top ``points`` background artists plus the listener's and recommended artists (by
    catalog column), which get their own groups."""
    marked = np.union1d(yours, recommended)
    top = base.drop(index=base.index.intersection(marked)).nlargest(points, "listeners")
    mine = base.loc[base.index.intersection(yours)].assign(group=YOURS)
    recs = base.loc[base.index.intersection(recommended)].assign(group=RECOMMENDED)
    return pd.concat([top, mine, recs])[["x", "y", "name", "group"]]


def example_map(bundle: Any, base: pd.DataFrame) -> pd.DataFrame:
    """The map a visitor sees first: the first example picks and their recommendations.

    It also puts both highlight groups in the plot from the start: Gradio's plot keeps the
    colour domain of its first data, so groups that only appear later would not be drawn.
    """
    picks = common.EXAMPLE_PICKS[0]
    ids = bundle.resolve_artists(picks)
    recommended = bundle.recommend(MODEL, liked=ids, k=common.DEFAULT_K)["artist_id"].to_numpy()
    columns = bundle.interactions.artist_columns
    return highlighted_map(base, MAP_POINTS, columns(np.asarray(ids)), columns(recommended))


def listener_artists(
    bundle: Any, source: str, picks: list[str] | None, user_id: object
) -> pd.DataFrame:
    """What the listener already has: an existing user's history or the picked artists."""
    if source == common.SOURCE_USER:
        return bundle.user_history(common.parse_user_id(user_id))
    ids = bundle.resolve_artists(common.need_picks(picks))
    return bundle.catalog.loc[ids, ["name", "listeners", "tags"]].reset_index()


def build(bundle: Any) -> None:
    """The tab's layout and events (inside a gr.Blocks / gr.Tab context)."""
    if MODEL not in bundle.model_names:
        gr.HTML(common.notice("The SVD model is not in this bundle."))
        return
    gr.Markdown(
        "Matrix factorisation (SVD): every listener and every artist becomes a vector of "
        "latent taste factors; a new listener is folded in from the artists they pick."
    )
    base = map_base(bundle)
    columns = bundle.interactions.artist_columns
    source, picker, user = common.source_inputs(bundle)
    common.wire_search(bundle, picker, "svd_search")
    gr.Examples(
        [[common.SOURCE_PICKS, p, None] for p in common.EXAMPLE_PICKS[:2]]
        + [[common.SOURCE_USER, [], 2], [common.SOURCE_USER, [], 1000]],
        inputs=[source, picker, user],
        label="Examples (one click)",
    )
    k, tags, penalty = common.controls(bundle)
    go = gr.Button("Recommend", variant="primary")
    with gr.Row():
        with gr.Column(scale=1):
            history = gr.Dataframe(label="The listener's artists", interactive=False)
        with gr.Column(scale=2):
            cards = gr.HTML()
    download = gr.DownloadButton("Download CSV", value=None)
    artist_map = gr.ScatterPlot(
        example_map(bundle, base),
        x="x",
        y="y",
        color="group",
        color_map=colour_map(base),
        tooltip=["name", "group"],
        title=f"Artist map: the {MAP_POINTS:,} most listened artists by main tag; ★ = the "
        "listener's and the recommended artists (hover for names)",
        caption=f"Before your first request the map shows {', '.join(common.EXAMPLE_PICKS[0])}.",
        height=520,
    )

    @common.friendly
    def on_recommend(
        source: str,
        picks: list[str] | None,
        user_id: object,
        k: float,
        tags: list[str] | None,
        penalty: float,
    ) -> tuple[Any, ...]:
        known = listener_artists(bundle, source, picks, user_id)
        results = common.recommend_from(bundle, MODEL, source, picks, user_id, k, tags, penalty)
        common.warn_if_short(results, k)
        points = highlighted_map(
            base,
            MAP_POINTS,
            columns(known["artist_id"].to_numpy()),
            columns(results["artist_id"].to_numpy()),
        )
        table = known.drop(columns="artist_id").assign(
            tags=known["tags"].map(lambda t: ", ".join(list(t)[:4]))
        )
        return (
            table,
            common.cards_html(results),
            common.export_csv(results, "svd_recommendations"),
            points,
        )

    go.click(
        on_recommend,
        [source, picker, user, k, tags, penalty],
        [history, cards, download, artist_map],
        api_name="svd_recommend",
        concurrency_id="recommend",
    )
