"""Explore tab: headline numbers, the exploration plots (drawn once at start-up) and a lookup of
one artist's card with its similar artists."""

from __future__ import annotations

import logging
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import gradio as gr
import pandas as pd

from recommenders.bundle import Bundle
from recommenders.errors import RecommenderInputError
from ui import cards, errors, inputs

log = logging.getLogger(__name__)

SIMILAR_PREFERENCE = ("svd", "softmax", "clustering", "popularity")


def render_plots(tables: dict[str, pd.DataFrame], directory: Path) -> list[tuple[str, str]]:
    """Draw every exploration plot once to a PNG file; returns (path, title) pairs.

    Files (not figures) go into the page, so each visitor downloads small PNGs instead of the
    server drawing matplotlib figures per request.
    """
    from recommenders.plots import ALL_PLOTS

    pictures = []
    for number, (title, draw) in enumerate(ALL_PLOTS.items()):
        figure = draw(tables)
        path = directory / f"plot_{number:02d}.png"
        figure.savefig(path, dpi=80)
        pictures.append((str(path), title))
    return pictures


def draw_in_background(tables: dict[str, pd.DataFrame]) -> Future[list[tuple[str, str]]]:
    """Start drawing the plots once, off the start-up path; visitors then only get file paths."""
    directory = Path(tempfile.mkdtemp(prefix="explore-plots-"))
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="explore-plots")
    future = pool.submit(render_plots, tables, directory)
    pool.shutdown(wait=False)  # the thread ends once the plots are drawn
    return future


def plot_files(pictures: Future[list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """The drawn plots (waits for the start-up drawing the first time only)."""
    try:
        return pictures.result(timeout=60)
    except Exception as exc:  # drawing failed: say so in the page, keep the app up
        log.warning("exploration plots failed: %s", exc)
        gr.Warning(f"The exploration plots could not be drawn ({exc}).")
        return []


def headline(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    from recommenders.exploration import headline_stats, headline_table

    return headline_table(headline_stats(tables))


HEADLINE_KEYS = (
    "users",
    "artists",
    "listening_rows",
    "total_plays",
    "density",
    "median_listeners_per_artist",
    "top_1pct_play_share",
    "tag_assignments",
)


def headline_cards(tables: dict[str, pd.DataFrame]) -> str:
    """The few numbers that describe the dataset best, as cards (values formatted once by
    recommenders.exploration so the table and the cards agree)."""
    from recommenders.exploration import headline_stats, headline_table

    stats = headline_stats(tables)
    chosen = {key: stats[key] for key in HEADLINE_KEYS if key in stats}
    table = headline_table(chosen)
    return cards.headline_html(dict(zip(table["statistic"], table["value"], strict=True)))


def similar_model(bundle: Bundle) -> str:
    return next(m for m in (*SIMILAR_PREFERENCE, *bundle.model_names) if m in bundle.model_names)


def lookup(bundle: Bundle, model: str, name: str, k: float) -> tuple[str, pd.DataFrame]:
    """The artist's card and its k most similar artists by ``model``."""
    similar = bundle.similar_artists(model, (name or "").strip(), k=int(k))
    artist_id = bundle.resolve_artists([name.strip()])[0]
    row = {**bundle.catalog.loc[artist_id].to_dict(), "explanation": None}
    card = cards.artist_card(row)
    return f'<div class="card-grid">{card}</div>', cards.display_table(similar)


def build(bundle: Bundle) -> None:
    """The tab's layout and events (inside a gr.Blocks / gr.Tab context)."""
    gr.Markdown(
        "**The Last.fm hetrec2011 dataset**: 1,892 users, the 50 artists each listened to most, "
        "and the tags they gave. Everything below is computed from the shipped data."
    )
    try:
        tables = bundle.exploration
        gr.HTML(headline_cards(tables))
        with gr.Accordion("All headline numbers", open=False):
            gr.Dataframe(headline(tables), label="Headline numbers", interactive=False)
    except (ImportError, KeyError, ValueError) as exc:  # an older bundle without the tables
        log.warning("exploration tables unavailable: %s", exc)
        gr.HTML(cards.notice(f"Exploration data is not available in this bundle ({exc})."))
        tables = None
    if tables is not None:
        pictures = draw_in_background(tables)
        gallery = gr.Gallery(
            label="Exploration plots (drawn once when the app starts)",
            columns=2,
            height="auto",
            object_fit="contain",
            allow_preview=True,
        )
        gr.on(
            None,  # on page load
            lambda: plot_files(pictures),
            None,
            gallery,
            api_name="explore_plots",
            queue=False,
            show_progress="minimal",
        )

    gr.Markdown("### Look up an artist")
    with gr.Row():
        name = gr.Dropdown(
            choices=inputs.top_artist_names(bundle),
            value=None,
            allow_custom_value=True,
            filterable=True,
            label="Artist",
            info="Type any name, e.g. Radiohead.",
        )
        model = gr.Dropdown(
            bundle.model_names, value=similar_model(bundle), label="Similar by model"
        )
        k = gr.Slider(1, inputs.MAX_K_UI, value=inputs.DEFAULT_K, step=1, label="How many")
        go = gr.Button("Look up", variant="primary", scale=0, min_width=120)
    gr.Examples([["Radiohead"], ["Lady Gaga"], ["Daft Punk"]], inputs=[name], label="Examples")
    card = gr.HTML()
    similar = gr.Dataframe(label="Similar artists", interactive=False, wrap=True)

    @errors.friendly
    def on_lookup(name: str | None, model: str, k: float) -> tuple[str, pd.DataFrame]:
        if not name or not str(name).strip():
            raise RecommenderInputError("Type an artist name first, e.g. 'Radiohead'.")
        return lookup(bundle, model, str(name), k)

    go.click(on_lookup, [name, model, k], [card, similar], api_name="explore_lookup")
