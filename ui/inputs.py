"""The controls every tab shares (pickers, k, filters, "who is asking") and the one place that
turns their values into a ``RecQuery``."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import gradio as gr

from recommenders.bundle import Bundle
from recommenders.errors import RecommenderInputError
from recommenders.query import RecQuery

DEFAULT_K = 10
MAX_K_UI = 50
PICKER_CHOICES = 200  # most listened artists offered in the pickers; others are typed
LABEL_CHOICES = 100  # most common tags/genres offered in the filter
EXAMPLE_PICKS = [
    ["Radiohead", "Muse", "Coldplay"],
    ["Britney Spears", "Lady Gaga", "Rihanna"],
    ["Metallica", "Iron Maiden"],
    ["Daft Punk", "Massive Attack"],
]


def top_artist_names(bundle: Bundle, limit: int = PICKER_CHOICES) -> list[str]:
    return bundle.top_artists(limit)


@functools.lru_cache(maxsize=4)
def label_choices(bundle: Bundle) -> list[str]:
    """The most common tags/genres, computed once per bundle (every tab offers them)."""
    return bundle.known_labels()[:LABEL_CHOICES]


def artist_picker(bundle: Bundle, label: str = "Artists you like") -> gr.Dropdown:
    """A light multi-select: the most listened artists as choices, any other name can be typed
    (validated server-side by the Bundle), and typing fetches matching names from the server."""
    return gr.Dropdown(
        choices=top_artist_names(bundle),
        multiselect=True,
        allow_custom_value=True,
        filterable=True,
        label=label,
        info="Type a name and press Enter; any of the 17,632 artists is accepted.",
    )


def search_choices(bundle: Bundle, picked: list[str] | None, query: str) -> dict[str, Any]:
    """Choices for the picker while typing: server-side matches first, then the top artists."""
    matches = bundle.search_artists(query or "", limit=20) if query else []
    choices = list(dict.fromkeys([*matches, *(picked or []), *top_artist_names(bundle, 200)]))
    return gr.update(choices=choices)


def wire_search(bundle: Bundle, picker: gr.Dropdown, name: str) -> None:
    """Server-side search while typing in ``picker`` (cheap, off the queue)."""

    def on_key(picked: list[str] | None, data: gr.KeyUpData) -> dict[str, Any]:
        return search_choices(bundle, picked, data.input_value)

    picker.key_up(on_key, picker, picker, api_name=name, queue=False, show_progress="hidden")


def controls(bundle: Bundle) -> tuple[gr.Slider, gr.Dropdown, gr.Slider]:
    """k, the tag/genre filter and the popularity penalty, the same on every tab."""
    with gr.Row():
        k = gr.Slider(1, MAX_K_UI, value=DEFAULT_K, step=1, label="How many artists (k)")
        tags = gr.Dropdown(
            choices=label_choices(bundle),
            multiselect=True,
            allow_custom_value=True,
            label="Only these tags / genres",
            info="Optional, e.g. rock, indie, hip-hop.",
        )
        penalty = gr.Slider(
            0, 1, value=0, step=0.05, label="Fewer mainstream artists (popularity penalty)"
        )
    return k, tags, penalty


# -- the shared "who is asking" input ----------------------------------------------------------
SOURCE_PICKS = "Artists I pick"
SOURCE_USER = "An existing Last.fm user"


def source_inputs(bundle: Bundle) -> tuple[gr.Radio, gr.Dropdown, gr.Textbox]:
    """Either artists picked now (a new listener) or an existing user of the dataset."""
    source = gr.Radio([SOURCE_PICKS, SOURCE_USER], value=SOURCE_PICKS, label="Recommend for")
    with gr.Row():
        picker = artist_picker(bundle)
        # A text box, not gr.Number: Gradio's own number parsing would answer "abc" or 2.5 from
        # the API with a generic error (or silent rounding); RecQuery says what is wrong.
        user = gr.Textbox(
            label="Last.fm user id",
            value=None,
            placeholder="e.g. 2",
            info=f"{bundle.user_ids.min()}–{bundle.user_ids.max()}, "
            "used when 'existing user' is selected.",
        )
    return source, picker, user


def make_query(
    source: str,
    picks: list[str] | None,
    user_id: object,
    k: float,
    tags: list[str] | None,
    penalty: float,
    exclude: Iterable[str] = (),
) -> RecQuery:
    """One validated query from the shared controls (an input error if something is wrong)."""
    common = {"k": k, "tags": tags, "popularity_penalty": penalty, "exclude": list(exclude)}
    if source == SOURCE_USER:
        if user_id is None or not str(user_id).strip():
            raise RecommenderInputError("Type an existing Last.fm user id first, e.g. 2.")
        return RecQuery.of(user_id=user_id, **common)
    names = [p for p in (picks or []) if isinstance(p, str) and p.strip()]
    if not names:
        raise RecommenderInputError(
            "Pick at least one artist first (type a name, e.g. 'Radiohead', and press Enter)."
        )
    return RecQuery.of(liked=names, **common)
