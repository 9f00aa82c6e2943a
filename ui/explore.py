"""Explore tab: headline numbers, the exploration plots (drawn once at start-up) and a lookup of
one artist's card with its similar artists."""

from __future__ import annotations

import html
import logging
import tempfile
import threading
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from recommenders.bundle import Bundle
from recommenders.errors import RecommenderInputError
from ui import cards, checks, errors, inputs

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


class LazyPlots:
    """The exploration plots, drawn once on the first visit of the Data tab (not at start-up:
    matplotlib and eight figures cost seconds the first page does not need)."""

    def __init__(self, tables: dict[str, pd.DataFrame]) -> None:
        self.tables = tables
        self.directory = Path(tempfile.mkdtemp(prefix="explore-plots-"))
        gr.set_static_paths([self.directory])
        self.lock = threading.Lock()
        self.pictures: list[tuple[str, str]] | None = None

    def get(self) -> list[tuple[str, str]]:
        with self.lock:
            if self.pictures is None:
                self.pictures = render_plots(self.tables, self.directory)
            return self.pictures


def plots_html(pictures: list[tuple[str, str]]) -> str:
    """Every plot at full width in a two-column grid that grows with the page (no inner
    scroll box); titles escaped."""
    figures = "".join(
        f'<figure><img src="/gradio_api/file={html.escape(path)}" alt="{html.escape(title)}" '
        f'loading="lazy"><figcaption>{html.escape(title)}</figcaption></figure>'
        for path, title in pictures
    )
    return f'<div class="plot-grid">{figures}</div>'


def plots_or_notice(plots: LazyPlots) -> str:
    try:
        return plots_html(plots.get())
    except Exception as exc:  # drawing failed: say so in the page, keep the app up
        log.warning("exploration plots failed: %s", exc)
        return cards.notice(f"The exploration plots could not be drawn ({exc}).")


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


def build(bundle: Bundle, tab: gr.Tab) -> None:
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
        plots = LazyPlots(tables)
        gallery = gr.HTML(cards.notice("The plots are drawn when you open this tab…"))
        tab.select(
            lambda: plots_or_notice(plots),
            None,
            gallery,
            api_name="explore_plots",
            concurrency_id="plots",
            show_progress="minimal",
        )

    gr.Markdown("### Look up an artist")
    with gr.Row():
        # the Discover picker's typo- and accent-tolerant server-side search, for one artist
        name = inputs.searchable_picker(
            bundle,
            "explore",
            label="Artist",
            one=True,
            info="Type any name (typos and accents are fine), e.g. Radiohead.",
        )
        model = gr.Dropdown(
            bundle.model_names, value=similar_model(bundle), label="Similar by model"
        )
        k = gr.Dropdown(inputs.K_CHOICES, value=inputs.DEFAULT_K, label="How many", min_width=100)
        go = gr.Button("Look up", variant="primary", scale=0, min_width=120)
    # in the page, like every tab's example chips (gr.Examples would add a server endpoint)
    inputs.example_chips(name, [["Radiohead"], ["Lady Gaga"], ["Daft Punk"]])
    status = errors.live_html("status-box")
    card = errors.live_html("cards-box")
    similar = gr.Dataframe(label="Similar artists", interactive=False, wrap=True, visible=False)

    @errors.guarded("", gr.update(visible=False))
    def on_lookup(name: object, model: object, k: object) -> tuple[Any, ...]:
        """The raw values (preprocess=False), checked as Gradio would and stricter (ui.checks):
        a name, or the picker's list of one name."""
        if isinstance(name, list) and len(name) <= 1:
            name = name[0] if name else None
        if name is not None and not isinstance(name, str):
            got = checks.shown(name)
            raise RecommenderInputError(
                f"The artist must be one name (text), e.g. 'Radiohead'; got {got}."
            )
        if not name or not name.strip():
            raise RecommenderInputError("Type an artist name first, e.g. 'Radiohead'.")
        model = checks.one_of(model, bundle.model_names, "'Similar by model'")
        k = checks.one_of(k, inputs.K_CHOICES, "'How many'")
        card_html, table = lookup(bundle, model, name, k)
        return "", card_html, gr.update(value=table, visible=True)

    go.click(
        on_lookup,
        [name, model, k],
        [status, card, similar],
        api_name="explore_lookup",
        preprocess=False,
    )
