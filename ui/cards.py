"""Artists as HTML cards (one HTML block per result list), and results as plain tables.

Every dataset string (artist names, tags, genres, explanations) reaches HTML only through
``html.escape``: names in this dataset contain ``<``, ``&`` and quotes. Buttons inside the cards
carry ``data-action`` / ``data-artist`` and are handled by one listener on the whole block
(see ui.discover), so a list of ten cards is one component, not thirty.
"""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ui import listen

TABLE_COLUMNS = ["rank", "name", "match", "explanation", "listeners", "tags", "spotify_genres"]
DATASET_USERS = 1892  # listeners in hetrec2011-lastfm-2k: the denominator of "listeners"
# Tile colours by the main tag's family (a tasteful gradient, not a colour per name).
TAG_HUES = {
    "rock": 8, "metal": 350, "punk": 20, "pop": 320, "electronic": 190, "dance": 280,
    "hip-hop": 40, "rap": 40, "jazz": 35, "indie": 150, "folk": 95, "classical": 60,
    "soul": 25, "blues": 215, "ambient": 200, "country": 45, "reggae": 120, "alternative": 170,
}  # fmt: skip


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def safe_url(value: object) -> str | None:
    """``value`` when it is an https address (what a picture or a link may point to)."""
    if _is_missing(value) or not isinstance(value, str):
        return None
    return value if value.startswith("https://") else None


def tile_hue(tags: Iterable[str], name: str, digest: bytes | None = None) -> int:
    """The hue of the generated tile: from the first tag we know a colour for, else stable
    from the name (so an artist looks the same on every visit). ``digest``: the name's SHA-256
    when the caller has it already."""
    for tag in tags:
        folded = str(tag).casefold()
        for key, hue in TAG_HUES.items():
            if key in folded:
                return hue
    return (digest or hashlib.sha256(name.encode("utf-8")).digest())[0] * 360 // 256


def tile_svg(name: str, tags: Iterable[str] = ()) -> str:
    """A generated picture: a two-tone gradient from the main tag with a small note glyph."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    hue = tile_hue(list(tags or []), name, digest)
    gid = "g" + digest.hex()[:8]
    return (
        f'<svg class="tile" viewBox="0 0 64 64" role="img" aria-label="{esc(name)}">'
        f'<defs><linearGradient id="{gid}" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="hsl({hue},62%,58%)"/>'
        f'<stop offset="1" stop-color="hsl({(hue + 40) % 360},55%,32%)"/></linearGradient></defs>'
        f'<rect width="64" height="64" rx="10" fill="url(#{gid})"/>'
        '<path d="M38 18v20.5a6 6 0 1 1-3-5.2V22l-10 2.5v16a6 6 0 1 1-3-5.2V22z" '
        'fill="rgba(255,255,255,.85)"/></svg>'
    )


def chips(values: Iterable[str], limit: int = 5) -> str:
    return "".join(f"<span>{esc(v)}</span>" for v in list(values or [])[:limit])


def labels(row: Mapping[str, Any]) -> list[str]:
    """Last.fm tags first, then Spotify genres, without repeats (case-insensitive)."""
    seen: dict[str, str] = {}
    for label in [*list(row.get("tags") or []), *list(row.get("spotify_genres") or [])]:
        seen.setdefault(str(label).casefold(), str(label))
    return list(seen.values())


def relative_match(scores: Iterable[float]) -> np.ndarray:
    """Scores as a share of the best one (1.0 = the top pick), whatever the model's scale:
    log-probabilities (all ≤ 0) become probability ratios, positive scores a ratio to the best,
    anything else is spread linearly from 0.5 to 1."""
    values = np.asarray(list(scores), dtype=np.float64)
    if values.size == 0 or not np.isfinite(values).all():
        return np.ones(values.size)
    best, worst = values.max(), values.min()
    if best <= 0:
        return np.exp(values - best)
    if worst >= 0:
        return values / best
    return 0.5 + 0.5 * (values - worst) / (best - worst or 1.0)


def listeners_text(listeners: object) -> str:
    """How many listeners, with their share from 1% on ("9 of 1,892 … (0%)" read as none)."""
    count = 0 if _is_missing(listeners) else int(listeners)  # type: ignore[arg-type]
    share = count / DATASET_USERS * 100
    text = f"{count:,} of {DATASET_USERS:,} listeners in 2011"
    return f"{text} ({share:.0f}%)" if share >= 1 else text


def feedback_buttons(artist_id: int, name: str, similar_open: bool = False) -> str:
    """👍, "not for me" and "similar to this" (which hides the open panel when it is open)."""
    panel = f'aria-controls="similar-{artist_id}"'
    similar = (
        f'<button data-local="hide-similar" {panel} aria-expanded="true">Hide similar</button>'
        if similar_open
        else f'<button data-action="similar" data-artist="{artist_id}" {panel} '
        f'aria-expanded="false" title="Artists similar to {esc(name)}">Similar to this</button>'
    )
    return (
        '<div class="actions">'
        f'<button data-action="like" data-artist="{artist_id}" title="More like {esc(name)}">'
        "👍 More like this</button>"
        f'<button data-action="exclude" data-artist="{artist_id}">Not for me</button>'
        f"{similar}</div>"
    )


def artist_card(
    row: Mapping[str, Any],
    match: float | None = None,
    feedback: bool = False,
    similar_open: bool = False,
) -> str:
    """One artist: picture (or a generated tile), linked name, tags, reach, why, listening
    (ui.listen), actions (``similar_open``: its "similar to this" panel is shown)."""
    name = str(row.get("name", ""))
    tags = labels(row)
    image = safe_url(row.get("image_url"))
    picture = f'<img src="{esc(image)}" alt="" loading="lazy">' if image else tile_svg(name, tags)
    lastfm = safe_url(row.get("lastfm_url"))
    title = esc(name)
    if lastfm:
        title = f'<a href="{esc(lastfm)}" target="_blank" rel="noopener">{title}</a>'
    rank = row.get("rank")
    prefix = f'<span class="rank">{int(rank)}</span>' if not _is_missing(rank) else ""
    why = row.get("explanation")
    meter = ""
    if match is not None and math.isfinite(match):
        pct = max(1, round(match * 100))
        meter = (
            f'<div class="match" title="match relative to the top pick">'
            f'<i style="width:{pct}%"></i><span>{pct}% match</span></div>'
        )
    actions = ""
    if feedback and not _is_missing(row.get("artist_id")):
        actions = feedback_buttons(int(row["artist_id"]), name, similar_open)
    return (
        f'<article class="artist-card">{picture}<div class="body">'
        f'<div class="title">{prefix}{title}</div>'
        f'<div class="chips">{chips(tags, 5)}</div>'
        f'<div class="reach">{esc(listeners_text(row.get("listeners")))}</div>'
        + (f'<div class="why">{esc(why)}</div>' if not _is_missing(why) else "")
        + meter
        + f"{listen.listen_html(row)}{actions}</div></article>"
    )


def cards_html(
    results: pd.DataFrame,
    feedback: bool = False,
    rows: list[dict[str, Any]] | None = None,
    after: Mapping[int, str] | None = None,
    footer: str = "",
) -> str:
    """The whole result list as one HTML block (``rows``: ``records(results)`` if at hand).
    ``after``: HTML placed right under one artist's card (ui.jump's panel), at the top when that
    artist is not among the cards; ``footer``: HTML under the cards (ui.share's link)."""
    if results.empty:
        return notice("No artist matched: try a wider tag filter or fewer exclusions.")
    matches = relative_match(results["score"]) if "score" in results else [None] * len(results)
    rows = records(results) if rows is None else rows
    if not after:  # the usual case: no lookups per card
        cards = "".join(artist_card(row, m, feedback) for row, m in zip(rows, matches, strict=True))
        return f'<div class="card-grid">{cards}</div>{footer}'
    parts = []
    for row, match in zip(rows, matches, strict=True):
        artist = row.get("artist_id")
        under = after.get(int(artist)) if not _is_missing(artist) else None
        parts.append(artist_card(row, match, feedback, similar_open=under is not None))
        parts.append(under or "")
    placed = {int(r["artist_id"]) for r in rows if not _is_missing(r.get("artist_id"))}
    stray = "".join(panel for artist, panel in after.items() if artist not in placed)
    return f'<div class="card-grid">{stray}{"".join(parts)}</div>{footer}'


def records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as dicts of plain Python values, like ``to_dict("records")`` at a third of its
    cost (which matters on the recommend path); a missing value may be None or pd.NA."""
    columns = {str(c): column.tolist() for c, column in table.items()}  # not table[c]: slower
    rows = zip(*columns.values(), strict=True)
    return [dict(zip(columns, values, strict=True)) for values in rows]


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


# -- tables ----------------------------------------------------------------------------------
def display_table(results: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Results as plain text cells (lists joined) for gr.Dataframe; names stay text, not HTML.
    Scores become a relative match in % of the top pick (raw model scores mean nothing here)."""
    results = results.assign(match=[f"{m:.0%}" for m in relative_match(results["score"])])
    columns = [c for c in (columns or TABLE_COLUMNS) if c in results.columns]
    table = results[columns].copy()
    for column in ("tags", "spotify_genres"):
        if column in table:
            table[column] = table[column].map(lambda v: ", ".join(list(v or [])[:5]))
    return table


def score_frame(results: pd.DataFrame) -> pd.DataFrame:
    """rank-labelled relative matches (%) for a native gr.BarPlot (x: 'rank. name')."""
    labels = [f"{r:02d}. {n}"[:40] for r, n in zip(results["rank"], results["name"], strict=True)]
    match = np.round(relative_match(results["score"]) * 100, 1)
    return pd.DataFrame({"artist": labels, "match %": match})
