"""Artists as HTML cards, and results as plain tables for gr.Dataframe and bar plots.

Every dataset string (artist names, tags, genres, explanations) reaches HTML only through
``html.escape``: names in this dataset contain ``<``, ``&`` and quotes.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

TABLE_COLUMNS = ["rank", "name", "score", "explanation", "listeners", "tags", "spotify_genres"]


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


# -- tables ----------------------------------------------------------------------------------
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


def score_frame(results: pd.DataFrame) -> pd.DataFrame:
    """rank-labelled scores for a native gr.BarPlot (x: 'rank. name', y: score)."""
    labels = [f"{r:02d}. {n}"[:40] for r, n in zip(results["rank"], results["name"], strict=True)]
    return pd.DataFrame({"artist": labels, "score": results["score"].astype(float)})
