"""The recommender as MCP tools: typed functions an MCP client (Claude Desktop, Cursor) can call.

``register(bundle)``, called inside ``gr.Blocks()``, adds each tool with ``gr.api``: no visible
UI, and Gradio derives each MCP tool from the function itself: the tool name is the function's
``__name__``, the JSON schema comes from the type hints, the descriptions from the docstring
(one line per ``Args:`` entry: Gradio drops continuation lines). Optional lists are typed
``list[...] | None`` (a ``oneOf`` null/array schema) rather than a mutable default.

Tools return plain JSON-able lists and dicts (Gradio 6.31's MCP layer sends them to the client
as one text item, ``str(result)``: a Python repr, which LLM clients read like JSON). An input error
becomes a ``gr.Error``, which the MCP client receives as a tool error (``isError``) whose text is
the package's message.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import gradio as gr
import numpy as np
import pandas as pd

from recommenders.bundle import RESULT_COLUMNS, Bundle
from recommenders.errors import RecommenderInputError
from ui import checks

TOOL_NAMES = ("recommend_artists", "similar_artists", "artist_info", "search_artists", "why_not")
MAX_SEARCH = 50
RESULT_FIELDS = tuple(c for c in RESULT_COLUMNS if c != "image_url")
INFO_FIELDS = (
    "artist_id",
    "name",
    "listeners",
    "plays",
    "tags",
    "spotify_genres",
    "lastfm_url",
    "spotify_url",
    "image_url",
)
T = TypeVar("T")


class ToolError(gr.Error):
    """A gr.Error whose text is the bare message: gr.Error's own str() is a repr (with quotes),
    and Gradio's MCP layer sends str(exception) to the client."""

    def __str__(self) -> str:
        return str(self.message)


def tool_errors(fn: Callable[..., T]) -> Callable[..., T]:
    """Input errors as ``gr.Error`` (plain text, unescaped: MCP clients show text, not HTML)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except RecommenderInputError as exc:
            raise ToolError(str(exc), print_exception=False) from None

    return wrapper


def tools(bundle: Bundle) -> dict[str, Callable[..., Any]]:
    """The five tool functions over ``bundle``, by name; they raise RecommenderInputError."""
    models = ", ".join(bundle.model_names)

    def recommend_artists(
        liked: list[str],
        play_counts: list[int] | None = None,
        k: int = 10,
        tags: list[str] | None = None,
        model: str = "",
    ) -> list[dict[str, Any]]:
        """Recommend music artists for a listener from artists they like (Last.fm data, 2011).

        Args:
            liked: Artist names the listener likes, e.g. ["Radiohead", "Muse"]; typos are tolerated.
            play_counts: Optional, one positive play count per liked artist, in the same order.
            k: How many artists to return, 1 to 100.
            tags: Optional, keep only artists with one of these Last.fm tags or Spotify genres.
            model: Recommender to use: MODELS. Empty means DEFAULT.

        Returns:
            Ranked artists (never the liked ones): name, score, explanation, tags, links.
        """
        request = _request(liked, play_counts, k, tags)
        return _records(bundle.recommend(_model(model), **request))

    def similar_artists(artist: str, k: int = 10, model: str = "") -> list[dict[str, Any]]:
        """Artists most similar to one artist, by a recommender's notion of similarity.

        Args:
            artist: An artist name, e.g. "Radiohead"; typos and missing accents are tolerated.
            k: How many artists to return, 1 to 100.
            model: Recommender to use: MODELS. Empty means DEFAULT.

        Returns:
            Ranked artists (never the artist itself): name, score, explanation, tags, links.
        """
        artist = _name(artist, "artist")
        table = bundle.similar_artists(_model(model), artist, k=_whole(k, "k", 1, 100))
        return _records(table)

    def artist_info(artist: str) -> dict[str, Any]:
        """One artist's facts: listeners in the 2011 Last.fm data, tags, Spotify genres, links.

        Args:
            artist: An artist name, e.g. "Björk"; typos and missing accents are tolerated.

        Returns:
            name, artist_id, listeners (of dataset_users users), plays, tags, genres, links.
        """
        info = bundle.artist_info(_name(artist, "artist"))
        found = {field: _plain(info.get(field)) for field in INFO_FIELDS}
        return {**found, "dataset_users": int(bundle.n_users)}

    def search_artists(query: str, limit: int = 10) -> list[str]:
        """Artist names in the catalog that best match a query, best first.

        Args:
            query: Part of an artist name, e.g. "bjork"; typos and missing accents are tolerated.
            limit: How many names to return at most, 1 to 50.

        Returns:
            Artist names, best match first (use them as-is in the other tools).
        """
        if isinstance(query, str) and not query.strip():
            raise RecommenderInputError(
                "query is empty: give part of an artist name, e.g. 'bjork'."
            )
        query = _name(query, "query", "part of an artist name, e.g. 'bjork'")
        return bundle.search_artists(query, limit=_whole(limit, "limit", 1, MAX_SEARCH))

    def why_not(
        artist: str,
        liked: list[str],
        play_counts: list[int] | None = None,
        k: int = 10,
        tags: list[str] | None = None,
        model: str = "",
    ) -> dict[str, Any]:
        """Why an artist is not among the recommendations for some liked artists: where it ranks.

        Args:
            artist: The artist the listener expected, e.g. "Pink Floyd"; a typo gets suggestions.
            liked: Artist names the listener likes, as for recommend_artists.
            play_counts: Optional, one positive play count per liked artist, in the same order.
            k: How many artists the list holds, 1 to 100.
            tags: Optional, keep only artists with one of these Last.fm tags or Spotify genres.
            model: Recommender to use: MODELS. Empty means DEFAULT.

        Returns:
            reason (e.g. few_shared_listeners, tag_filter, unknown), message, rank, the numbers.
        """
        artist = _name(artist, "artist")
        request = _request(liked, play_counts, k, tags)
        return bundle.why_not(_model(model), artist, **request).as_dict()

    def _model(model: object) -> str:
        if model is None or model == "":
            return bundle.default_model
        if model not in bundle.model_names:
            raise RecommenderInputError(
                f"Unknown model {checks.shown(model)}: accepted are {models}."
            )
        return model

    found = [recommend_artists, similar_artists, artist_info, search_artists, why_not]
    for fn in found:
        fn.__doc__ = (
            (fn.__doc__ or "").replace("MODELS", models).replace("DEFAULT", bundle.default_model)
        )
    return {fn.__name__: tool_errors(fn) for fn in found}


def register(bundle: Bundle) -> None:
    """Add the tools to the current ``gr.Blocks()`` as API/MCP endpoints (no visible UI).

    Off the queue: each call is a few ms of numpy, and Gradio's MCP layer then calls the
    function in-process instead of looping back over HTTP through gradio_client.
    """
    for name, fn in tools(bundle).items():
        gr.api(fn, api_name=name, queue=False)


def only_tools_in_mcp(demo: gr.Blocks) -> list[str]:
    """Mark the app's other public endpoints "undocumented", so MCP clients list only the tools
    (Gradio makes every public endpoint a tool, named after its function: on_key, on_key_1...).

    They stay callable by gradio_client and REST, but leave the "Use via API" page. Call after
    the whole app is built; returns the api_names it hid.
    """
    hidden = []
    for fn in demo.fns.values():
        if fn.api_visibility == "public" and fn.api_name not in TOOL_NAMES:
            fn.api_visibility = "undocumented"
            hidden.append(str(fn.api_name))
    return hidden


def mcp_enabled(no_mcp: bool = False, environ: Mapping[str, str] = os.environ) -> bool:
    """MCP is on unless ``--no-mcp`` or ``GRADIO_MCP_SERVER=false`` (Gradio's own variable,
    which the app reads with the opposite default: on)."""
    setting = environ.get("GRADIO_MCP_SERVER", "true").strip().casefold()
    return not no_mcp and setting not in ("false", "0", "no", "off")


def _request(liked: object, play_counts: object, k: object, tags: object) -> dict[str, Any]:
    """``recommend``'s keywords for the tools' liked, play_counts, k and tags (checked)."""
    names = _names(liked, "liked", "['Radiohead', 'Muse']")
    weights = _checked_counts(names, play_counts)
    picks: object = names if weights is None else _summed(names, weights)
    tags = _names(tags, "tags", "['rock', 'indie']")
    return {"liked": picks, "k": _whole(k, "k", 1, 100), "tags": tags}


def _names(value: object, what: str, example: str) -> list[str] | None:
    """A list of names (one name given as text counts as a list of one; None: none)."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return checks.text_list(value, what, example)


def _name(value: object, what: str, example: str = "e.g. 'Radiohead'") -> str:
    if not isinstance(value, str) or not value.strip():
        raise RecommenderInputError(
            f"{what} must be a name given as text, {example}; got {checks.shown(value)}."
        )
    return value


def _whole(value: object, what: str, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` (an integral float such as 10.0 counts)."""
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if number and math.isfinite(value) and value == int(value) and low <= value <= high:
        return int(value)
    raise RecommenderInputError(
        f"{what} must be a whole number from {low} to {high}; got {checks.shown(value)}."
    )


def _checked_counts(liked: list[str] | None, play_counts: object) -> list[float] | None:
    """Play counts as weights, one per liked artist, or None when not given."""
    if play_counts is None or (isinstance(play_counts, list) and not play_counts):
        return None
    example = "liked=['Radiohead', 'Muse'], play_counts=[120, 40]"
    if not isinstance(play_counts, list) or any(
        isinstance(n, bool) or not isinstance(n, (int, float)) for n in play_counts
    ):
        raise RecommenderInputError(
            f"play_counts must be a list of numbers, one per liked artist, e.g. {example}; got "
            f"{checks.shown(play_counts)}."
        )
    if liked is None or len(play_counts) != len(liked):
        raise RecommenderInputError(
            f"play_counts has {len(play_counts)} numbers for {len(liked or [])} liked artists: "
            "give one play count per liked artist, in the same order, or leave play_counts out."
        )
    return list(play_counts)


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """A result table as JSON-able dicts (numpy scalars and arrays, NA become plain values)."""
    fields = [f for f in RESULT_FIELDS if f in table.columns]
    rows = table[fields].to_dict("records")
    return [{f: _plain(row[f]) for f in fields} for row in rows]


def _plain(value: Any) -> Any:
    """A catalog value as plain JSON: lists of str, int, float (rounded), str or None."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else round(float(value), 6)
    return str(value)


def _summed(liked: list, weights: list) -> dict:
    """{artist: plays}, a name given twice counting its plays once each (as a profile adds
    them up). A mapping, not a table: a table of names and plays is a listening history, which
    recommend matches tolerantly; typed names must stay strict ("did you mean")."""
    summed: dict = {}
    for artist, plays in zip(liked, weights, strict=True):
        if not (math.isfinite(plays) and plays > 0):
            raise RecommenderInputError(
                f"Play counts must be positive numbers, one per liked artist, got {plays!r}."
            )
        summed[artist] = summed.get(artist, 0) + plays
    return summed
