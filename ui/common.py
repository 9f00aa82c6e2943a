"""Pieces every tab shares: HTML cards, the input controls, CSV export and error mapping.

Every dataset string (artist names, tags, genres, explanations) reaches HTML only through
``html.escape``: names in this dataset contain ``<``, ``&`` and quotes.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import html
import io
import math
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import gradio as gr
import numpy as np
import pandas as pd

from recommenders.errors import RecommenderInputError

T = TypeVar("T")

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
TABLE_COLUMNS = ["rank", "name", "score", "explanation", "listeners", "tags", "spotify_genres"]
PALETTE = ["#e4572e", "#17bebb", "#ffc914", "#2e282a", "#76b041", "#7d5ba6", "#f46197", "#3f88c5"]

CSS = """
.card-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr));
  gap: 12px; }
.artist-card { display: flex; gap: 10px; padding: 10px; border-radius: 10px;
  border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary); }
.artist-card img, .artist-card svg { width: 64px; height: 64px; border-radius: 8px;
  flex: 0 0 64px; object-fit: cover; }
.artist-card .body { min-width: 0; font-size: 0.9em; }
.artist-card .title { font-weight: 600; font-size: 1.05em; overflow-wrap: anywhere; }
.artist-card .why { color: var(--body-text-color-subdued); margin: 4px 0; }
.artist-card .chips span { display: inline-block; padding: 1px 6px; margin: 1px;
  border-radius: 8px; background: var(--background-fill-primary); font-size: 0.85em; }
.artist-card .links a { margin-right: 8px; }
.headline { display: flex; flex-wrap: wrap; gap: 12px; }
.headline div { padding: 8px 14px; border-radius: 10px; max-width: 220px;
  background: var(--background-fill-secondary); }
.headline b { display: block; font-size: 1.4em; }
.notice { padding: 8px 12px; border-radius: 8px; background: var(--background-fill-secondary); }
"""


# -- errors ------------------------------------------------------------------------------------
def friendly(fn: Callable[..., T]) -> Callable[..., T]:
    """Turn the package's input errors into a message in the page (gr.Error), never a traceback.

    The message is shown as text in a toast; it is escaped because Gradio renders it as HTML and
    it can quote what the visitor typed.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except RecommenderInputError as exc:
            raise gr.Error(html.escape(str(exc)), print_exception=False) from None

    return wrapper


def need_picks(picks: Iterable[str] | None) -> list[str]:
    """The picked names, or a clear error when nothing was picked."""
    names = [p for p in (picks or []) if isinstance(p, str) and p.strip()]
    if not names:
        raise RecommenderInputError(
            "Pick at least one artist first (type a name, e.g. 'Radiohead', and press Enter)."
        )
    return names


def parse_user_id(value: object) -> int:
    """A Last.fm user id from a number box or text; a clear error otherwise."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if not number.is_integer():
        raise RecommenderInputError(f"User id must be a whole number such as 2, got {value!r}.")
    return int(number)


def tags_or_none(tags: Iterable[str] | str | None) -> list[str] | None:
    if tags is None:
        return None
    items = [tags] if isinstance(tags, str) else list(tags)
    items = [t for t in items if isinstance(t, str) and t.strip()]
    return items or None


# -- HTML --------------------------------------------------------------------------------------
def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def name_colour(name: str) -> str:
    """A stable colour from the name's hash, so a placeholder looks the same on every visit."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return f"hsl({digest[0] * 360 // 256}, 55%, 45%)"


def initials(name: str) -> str:
    words = [w for w in name.split() if w[:1].isalnum()]
    letters = "".join(w[0] for w in words[:2]) or name[:2]
    return letters.upper()


def avatar_svg(name: str) -> str:
    """An inline SVG with the artist's initials on a colour derived from the name."""
    return (
        '<svg viewBox="0 0 64 64" role="img" aria-label="' + esc(name) + '">'
        f'<rect width="64" height="64" rx="8" fill="{name_colour(name)}"/>'
        '<text x="32" y="40" font-size="22" text-anchor="middle" fill="#fff" '
        'font-family="sans-serif">' + esc(initials(name)) + "</text></svg>"
    )


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _safe_url(value: object) -> str | None:
    if _is_missing(value) or not isinstance(value, str):
        return None
    return value if value.startswith("https://") else None


def chips(values: Iterable[str], limit: int = 5) -> str:
    return "".join(f"<span>{esc(v)}</span>" for v in list(values or [])[:limit])


def labels(row: Mapping[str, Any]) -> list[str]:
    """Up to 3 Spotify genres then Last.fm tags, without repeats (case-insensitive)."""
    genres = list(row.get("spotify_genres") or [])[:3]
    seen: dict[str, str] = {}
    for label in [*genres, *list(row.get("tags") or [])]:
        seen.setdefault(str(label).casefold(), str(label))
    return list(seen.values())


def artist_card(row: Mapping[str, Any], extra: str = "") -> str:
    """One artist as an HTML card: picture (or initials), linked name, tags, genres, numbers."""
    name = str(row.get("name", ""))
    image = _safe_url(row.get("image_url"))
    picture = (
        f'<img src="{esc(image)}" alt="{esc(name)}" loading="lazy">' if image else avatar_svg(name)
    )
    lastfm, spotify = _safe_url(row.get("lastfm_url")), _safe_url(row.get("spotify_url"))
    title = esc(name)
    if lastfm:
        title = f'<a href="{esc(lastfm)}" target="_blank" rel="noopener">{title}</a>'
    links = ""
    if spotify:
        links = f'<a href="{esc(spotify)}" target="_blank" rel="noopener">Spotify ↗</a>'
    rank = row.get("rank")
    prefix = f"{int(rank)}. " if not _is_missing(rank) else ""
    why = row.get("explanation")
    numbers = f"{int(row.get('listeners', 0)):,} listeners · {int(row.get('plays', 0)):,} plays"
    return (
        '<div class="artist-card">'
        + picture
        + '<div class="body">'
        + f'<div class="title">{prefix}{title}</div>'
        + (f'<div class="why">{esc(why)}</div>' if not _is_missing(why) else "")
        + f'<div class="chips">{chips(labels(row), 6)}</div>'
        + f"<div>{numbers}</div>"
        + f'<div class="links">{links}</div>{extra}</div></div>'
    )


def cards_html(results: pd.DataFrame) -> str:
    if results.empty:
        return notice("No artist matched: try a wider tag filter or fewer exclusions.")
    cards = "".join(artist_card(row) for row in results.to_dict("records"))
    return f'<div class="card-grid">{cards}</div>'


def notice(text: str) -> str:
    return f'<div class="notice">{esc(text)}</div>'


def headline_html(stats: Mapping[str, object]) -> str:
    cells = "".join(f"<div><b>{esc(_fmt(v))}</b>{esc(k)}</div>" for k, v in stats.items())
    return f'<div class="headline">{cells}</div>'


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if not value.is_integer() else f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


# -- tables and files --------------------------------------------------------------------------
def display_table(results: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Results as plain text cells (lists joined) for gr.Dataframe; names stay text, not HTML."""
    columns = [c for c in (columns or TABLE_COLUMNS) if c in results.columns]
    table = results[columns].copy()
    for column in ("tags", "spotify_genres"):
        if column in table:
            table[column] = table[column].map(lambda v: ", ".join(list(v or [])[:5]))
    if "score" in table:
        table["score"] = table["score"].round(4)
    return table


CSV_DIR = Path(tempfile.gettempdir()) / "lastfm-recommender-csv"


def serve_csv_files() -> None:
    """Serve the CSV folder as static files: Gradio then sends a result's CSV link as it is,
    instead of hashing and copying every file into its cache (a fifth of a request's time)."""
    CSV_DIR.mkdir(parents=True, exist_ok=True)
    gr.set_static_paths([CSV_DIR])


def export_csv(results: pd.DataFrame, stem: str) -> str:
    """Write the results as CSV (lists joined by '|') and return the file's path.

    Files are named by their content's hash in one folder, so repeated requests reuse a file
    instead of leaving a new temporary folder behind on every click. Written with the csv module:
    pandas' writer costs more than the whole recommendation for ten rows.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(results.columns)
    for row in results.itertuples(index=False):
        writer.writerow(
            "|".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else _cell(v)
            for v in row
        )
    text = buffer.getvalue()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
    path = CSV_DIR / digest / f"{stem}.csv"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    return str(path)


def _cell(value: object) -> object:
    """Missing values as empty cells, as pandas writes them."""
    return (
        ""
        if value is None or value is pd.NA or (isinstance(value, float) and value != value)
        else value
    )


def score_frame(results: pd.DataFrame) -> pd.DataFrame:
    """rank-labelled scores for a native gr.BarPlot (x: 'rank. name', y: score)."""
    labels = [f"{r:02d}. {n}"[:40] for r, n in zip(results["rank"], results["name"], strict=True)]
    return pd.DataFrame({"artist": labels, "score": results["score"].astype(float)})


# -- controls ----------------------------------------------------------------------------------
def top_artist_names(bundle: Any, limit: int = PICKER_CHOICES) -> list[str]:
    return bundle.catalog.nlargest(limit, "listeners")["name"].tolist()


@functools.lru_cache(maxsize=4)
def label_choices(bundle: Any) -> list[str]:
    """The most common tags/genres, computed once per bundle (every tab offers them)."""
    return bundle.known_labels()[:LABEL_CHOICES]


def artist_picker(bundle: Any, label: str = "Artists you like") -> gr.Dropdown:
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


def search_choices(bundle: Any, picked: list[str] | None, query: str) -> dict[str, Any]:
    """Choices for the picker while typing: server-side matches first, then the top artists."""
    matches = bundle.search_artists(query or "", limit=20) if query else []
    choices = list(dict.fromkeys([*matches, *(picked or []), *top_artist_names(bundle, 200)]))
    return gr.update(choices=choices)


def wire_search(bundle: Any, picker: gr.Dropdown, name: str) -> None:
    """Server-side search while typing in ``picker`` (cheap, off the queue)."""

    def on_key(picked: list[str] | None, data: gr.KeyUpData) -> dict[str, Any]:
        return search_choices(bundle, picked, data.input_value)

    picker.key_up(on_key, picker, picker, api_name=name, queue=False, show_progress="hidden")


def controls(bundle: Any) -> tuple[gr.Slider, gr.Dropdown, gr.Slider]:
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


def source_inputs(bundle: Any) -> tuple[gr.Radio, gr.Dropdown, gr.Textbox]:
    """Either artists picked now (a new listener) or an existing user of the dataset."""
    source = gr.Radio([SOURCE_PICKS, SOURCE_USER], value=SOURCE_PICKS, label="Recommend for")
    with gr.Row():
        picker = artist_picker(bundle)
        # A text box, not gr.Number: Gradio's own number parsing would answer "abc" or 2.5 from
        # the API with a generic error (or silent rounding); parse_user_id says what is wrong.
        user = gr.Textbox(
            label="Last.fm user id",
            value=None,
            placeholder="e.g. 2",
            info=f"{bundle.interactions.user_ids.min()}–{bundle.interactions.user_ids.max()}, "
            "used when 'existing user' is selected.",
        )
    return source, picker, user


def recommend_from(
    bundle: Any,
    model: str,
    source: str,
    picks: list[str] | None,
    user_id: object,
    k: float,
    tags: list[str] | None,
    penalty: float,
    exclude: Iterable[str] = (),
) -> pd.DataFrame:
    """One Bundle.recommend call for either input source; errors stay RecommenderInputError."""
    common = {
        "k": int(k),
        "tags": tags_or_none(tags),
        "popularity_penalty": float(penalty),
        "exclude": list(exclude),
    }
    if source == SOURCE_USER:
        return bundle.recommend(model, user_id=parse_user_id(user_id), **common)
    return bundle.recommend(model, liked=need_picks(picks), **common)


def warn_if_short(results: pd.DataFrame, k: float) -> None:
    """A soft notice when the tag filter left fewer than k artists."""
    if len(results) < int(k):
        gr.Warning(f"Only {len(results)} artists passed the tag/genre filter.")
