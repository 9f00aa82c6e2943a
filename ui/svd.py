"""Collaborative filtering (SVD) tab: recommendations for a user or picked artists, and a 2-D map
of the artist embeddings with the listener's and the recommended artists highlighted.

The map is a Vega-Lite spec shown by ``gr.Plot`` (Gradio's Altair path, without the altair
package), not a ``gr.ScatterPlot``: the native plot's tooltip always lists the y and x values
before any other column, and Vega shows tooltips on pointer moves only, so a tap on a phone
showed nothing. Here the tooltip is the artist's name (as its heading) and group, and a click or
tap rings the nearest point and writes its name beside it."""

from __future__ import annotations

import json
from typing import Any

import gradio as gr
import numpy as np
import pandas as pd
from gradio.components.plot import AltairPlotData

from recommenders.bundle import Bundle
from recommenders.query import RecQuery
from ui import cards, errors, export, inputs, session, taste

MODEL = "svd"
TAB, MAP_DRAWN = "svd", "svd map"  # ui.session marks: the tab shows the taste; a map is drawn
MAP_POINTS = 2000  # most listened artists drawn on the map, plus the highlighted ones
YOURS, RECOMMENDED = "your artists", "recommended"
PICKED, PICK_RING = "picked", "#e4572e"  # the clicked or tapped point (a Vega-Lite param)
COLUMNS = ["x", "y", "name", "group"]  # the map's data (highlighted_map)
SUBTITLE = f"The {MAP_POINTS:,} most listened artists by main tag"  # fits a phone-wide plot
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
    return pd.concat([top, mine, recs])[COLUMNS]


def example_map(bundle: Bundle, base: pd.DataFrame) -> pd.DataFrame:
    """The map a visitor sees first: the first example picks and their recommendations."""
    query = RecQuery.of(liked=inputs.EXAMPLE_PICKS[0], k=inputs.DEFAULT_K)
    yours = bundle.listener_artists(query)["artist_id"].to_numpy()
    recommended = bundle.recommend(MODEL, query)["artist_id"].to_numpy()
    return highlighted_map(base, MAP_POINTS, yours, recommended)


# The invisible Voronoi cells that let a click or tap pick the nearest point (Vega-Lite's
# "nearest") carried an unlabelled graphics role, which screen readers announce and axe-core
# refuses: a JSON patch of the compiled Vega spec (a vega-embed option) leaves them out of the
# accessibility tree. The "test" step makes the patch fail loudly (a page error, which fails the
# browser tests) if Vega-Lite ever puts another mark there.
VORONOI_PATCH = [
    {"op": "test", "path": "/marks/1/name", "value": "layer_0_voronoi"},
    {"op": "add", "path": "/marks/1/aria", "value": False},
]


def map_plot(points: pd.DataFrame, colours: dict[str, str]) -> AltairPlotData:
    """The map of ``points`` (x, y, name, group) as a Vega-Lite scatter for ``gr.Plot``.

    Hover: a tooltip headed by the artist's name (vega-tooltip shows a "title" key as its
    heading), then the group; no coordinates. Click or tap: the nearest point gets a ring and its
    name beside it. ``chart="scatter"`` lets Gradio theme it like its own plots (fonts, text
    colours, light or dark) and fit it to the width; the colour encoding sits in the points
    layer, where that theming leaves our colours alone. The SVG renderer (set in the spec) gives
    every point an aria-label: the artist's name.
    """
    x_range, y_range = (
        [float(points[c].min()), float(points[c].max())] if len(points) else [-1.0, 1.0]
        for c in ("x", "y")
    )
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "usermeta": {"embedOptions": {"renderer": "svg", "actions": False, "patch": VORONOI_PATCH}},
        "title": {"text": "Artist map", "subtitle": SUBTITLE},  # ui.style colours the subtitle
        "background": "transparent",  # Vega-Lite's default is white, even in dark mode
        "height": 400,
        # columns, not one object per artist: half the bytes; flatten makes the rows
        "data": {"values": [{c: points[c].tolist() for c in COLUMNS}]},
        "transform": [{"flatten": COLUMNS}],
        # Fixed domains: the pick layers are empty until a pick and must not move the axes.
        "encoding": {
            "x": {"field": "x", "type": "quantitative", "title": "taste factor 1",
                  "scale": {"domain": x_range, "nice": True},
                  "axis": {"tickCount": {"expr": "ceil(width / 80)"}}},  # no overlap on phones
            "y": {"field": "y", "type": "quantitative", "title": "taste factor 2",
                  "scale": {"domain": y_range, "nice": True}},
        },
        "layer": [points_layer(colours), *pick_layers(sum(x_range) / 2)],
    }  # fmt: skip
    return AltairPlotData(chart="scatter", plot=json.dumps(spec, ensure_ascii=False))


def points_layer(colours: dict[str, str]) -> dict[str, Any]:
    """Every artist as a ring coloured by group (the highlighted ones larger); a click or tap
    selects the nearest one (``nearest``: a Voronoi overlay, so a finger need not hit the dot)."""
    highlighted = f"indexof({json.dumps([YOURS, RECOMMENDED])}, datum.group) >= 0"
    return {
        # by fields: the rows come from one flattened datum, so they share one row id
        "params": [{"name": PICKED, "select": {"type": "point", "on": "click", "nearest": True,
                                               "toggle": False, "fields": COLUMNS[:3]}}],
        "mark": {"type": "point", "strokeWidth": 1.5, "opacity": 0.8},
        "encoding": {
            "color": {
                "field": "group", "type": "nominal",
                "scale": {"domain": list(colours), "range": list(colours.values())},
                # three columns on a phone-wide plot, so no entry is cut off
                "legend": {"title": None, "orient": "bottom",
                           "columns": {"expr": "width < 500 ? 3 : 6"}},
            },
            "size": {"condition": {"test": highlighted, "value": 60}, "value": 24},
            "tooltip": [{"field": "name", "title": "title"}, {"field": "group", "title": "group"}],
            "description": {"field": "name"},
        },
    }  # fmt: skip


def pick_layers(middle: float) -> list[dict[str, Any]]:
    """The picked artist: a ring, and its name right of it (left of it in the right half of
    the map, so the name stays inside the plot). ui.style gives the name a halo. Both are left
    out of the accessibility tree: the dot itself carries the name."""
    picked = {"filter": {"param": PICKED, "empty": False}}
    ring = {"type": "point", "size": 260, "strokeWidth": 2.5, "color": PICK_RING, "aria": False}
    names = [
        {
            "transform": [picked, {"filter": f"datum.x {side} {middle!r}"}],
            "mark": {"type": "text", "align": align, "dx": dx, "fontSize": 13, "aria": False},
            "encoding": {"text": {"field": "name"}},
        }
        for side, align, dx in (("<", "left", 10), (">=", "right", -10))
    ]
    return [{"transform": [picked], "mark": ring}, *names]


def build(
    bundle: Bundle, tab: gr.Tab, state: gr.State | None = None, parent: gr.Tab | None = None
) -> None:
    """The tab's layout and events. Selecting ``tab`` (or its ``parent``, "How it works")
    brings it up to the visit's taste in ``state`` (ui.taste.follow); without one, the tab's
    first opening draws the example map."""
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
    status = errors.live_html("status-box", js=errors.FIX_JS)
    with gr.Row(elem_classes="stack-on-phone"):
        go = gr.Button("Recommend", variant="primary", elem_id="svd-go")
    with gr.Accordion("Options", open=False):
        k, tags, penalty = inputs.controls(bundle, "svd")
    artist_map = gr.Plot(show_label=False, elem_classes="artist-map")
    gr.Markdown(
        "Black: the listener's artists · purple: recommended · hover a dot for its name, or "
        "click or tap it to label it. Before your first request the map shows "
        f"{', '.join(inputs.EXAMPLE_PICKS[0])}."
    )
    with gr.Row(elem_classes="stack-on-phone"):
        with gr.Column(scale=1):
            history = gr.Dataframe(
                label="The listener's artists", interactive=False, visible=False, wrap=True
            )
        with gr.Column(scale=2):
            result_cards = errors.live_html("cards-box", elem_id="svd-results")
    download = gr.DownloadButton("Download CSV", visible=False, size="sm")
    holder: dict[str, Any] = {}

    def base() -> pd.DataFrame:
        if "base" not in holder:
            frame = map_base(bundle)
            holder.update(colours=colour_map(frame), base=frame)  # "base" last: both are ready
        return holder["base"]

    def first_map() -> AltairPlotData:
        """The example map, built on the first visit of the tab (not at start-up)."""
        frame = base()
        return map_plot(example_map(bundle, frame), holder["colours"])

    with_state = [state] if state is not None else []

    @errors.guarded(
        gr.update(visible=False), "", gr.update(visible=False), gr.skip(),
        *[gr.skip()] * len(with_state),
    )  # fmt: skip
    def on_recommend(
        source: str,
        picks: list[str] | None,
        user_id: object,
        k: float,
        tags: list[str] | None,
        penalty: float,
        visit: dict[str, Any] | None = None,
    ) -> tuple[Any, ...]:
        def work(query: RecQuery) -> tuple[pd.DataFrame, pd.DataFrame]:
            return bundle.listener_artists(query), bundle.recommend(MODEL, query)

        (known, results), used, unknown = taste.forgiving(
            bundle, work, source, picks, user_id, k, tags, penalty, visit
        )
        note = taste.feedback_note(visit) if source == inputs.SOURCE_PICKS else ""
        visit = taste.remember(visit, TAB, source, used)
        points = highlighted_map(
            base(), MAP_POINTS, known["artist_id"].to_numpy(), results["artist_id"].to_numpy()
        )
        table = (
            known.drop(columns="artist_id")
            .dropna(axis=1, how="all")
            .assign(tags=known["tags"].map(lambda t: ", ".join(list(t)[:4])))
        )
        return (
            taste.unknown_html(unknown) + note + errors.short_notice(results, k),
            gr.update(value=table, visible=True),
            cards.cards_html(results),
            gr.update(value=export.export_csv(results, "svd_recommendations"), visible=True),
            map_plot(points, holder["colours"]),
            *([session.mark_showing(visit, MAP_DRAWN)] if with_state else []),
        )

    outputs = [status, history, result_cards, download, artist_map, *with_state]
    run = {
        "fn": on_recommend,
        "inputs": [source, picker, user, k, tags, penalty, *with_state],
        "outputs": outputs,
        "concurrency_id": "recommend",
        "preprocess": False,  # the raw values, checked by inputs.visit_query (ui.checks)
    }
    go.click(**run, api_name="svd_recommend")
    for event in events:
        event.then(**run, api_name="svd_example", api_visibility="private")
    taste.wire_fixes(status, picker, run, TAB)
    if state is None:
        tab.select(first_map, None, artist_map, api_name="svd_map", queue=False)
        return

    def show(picks: list[str], visit: dict[str, Any], *values: Any) -> tuple[Any, ...]:
        return on_recommend(inputs.SOURCE_PICKS, picks, None, *values, visit)

    def example_once(visit: dict[str, Any], *_values: Any) -> Any:
        """Without a taste to show: the example map, on the tab's first opening."""
        if MAP_DRAWN in (visit.get("showing") or {}):
            return gr.skip()
        blank = [gr.skip()] * 6  # source, picker, status, listener's artists, cards, download
        return (*blank, first_map(), session.mark_showing(visit, MAP_DRAWN))

    controls = [k, tags, penalty]
    taste.follow(
        bundle, [tab], TAB, state, picker, source, controls, outputs, show, example_once,
        api_name="svd_map", api_visibility="public",
    )  # fmt: skip
    if parent is not None:  # "How it works" opened on another of its tabs
        taste.follow(bundle, [parent], TAB, state, picker, source, controls, outputs, show)
