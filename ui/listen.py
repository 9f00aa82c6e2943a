"""Listening from a card: Spotify's embedded artist player when the bundle knows the artist's
Spotify id, otherwise plainly labelled searches (Spotify, YouTube).

The player is an iframe of ``open.spotify.com`` (a few hundred kB and several requests), so the
card carries only a button: the page's script (ui/card_script.py) inserts the iframe when the
visitor asks, and nothing is fetched from Spotify before that. The id is checked here (base62,
22 characters, what Spotify's ids are) and again by the script before it builds the address.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, quote_plus

SPOTIFY_ID = re.compile(r"[0-9A-Za-z]{22}")
EMBED = "https://open.spotify.com/embed/artist/"
ARTIST_PAGE = "https://open.spotify.com/artist/"
SPOTIFY_SEARCH = "https://open.spotify.com/search/"
YOUTUBE_SEARCH = "https://www.youtube.com/results?search_query="


def spotify_id(row: Mapping[str, Any]) -> str | None:
    """The row's Spotify artist id when it is a well-formed one, else None."""
    value = row.get("spotify_id")
    return value if isinstance(value, str) and SPOTIFY_ID.fullmatch(value) else None


def _link(url: str, text: str, label: str) -> str:
    return (
        f'<a href="{html.escape(url)}" target="_blank" rel="noopener" '
        f'aria-label="{html.escape(label)}">{html.escape(text)}</a>'
    )


def listen_html(row: Mapping[str, Any]) -> str:
    """The card's listening controls: ▶ Play (the player on demand) and the Spotify page when
    the id is known; else "Search on Spotify" and "Search on YouTube" for the name."""
    name = str(row.get("name", ""))
    youtube = _link(
        YOUTUBE_SEARCH + quote_plus(name), "Search on YouTube ↗", f"Search on YouTube for {name}"
    )
    known = spotify_id(row)
    if known is None:
        spotify = _link(
            SPOTIFY_SEARCH + quote(name, safe=""),
            "Search on Spotify ↗",
            f"Search on Spotify for {name}",
        )
        return f'<div class="links listen">{spotify}{youtube}</div>'
    play = (
        f'<button class="play" data-local="play" data-spotify="{known}" '
        f'data-name="{html.escape(name)}" aria-expanded="false" '
        f'aria-label="Play {html.escape(name)} on Spotify">▶ Play</button>'
    )
    page = _link(ARTIST_PAGE + known, "Spotify ↗", f"{name} on Spotify")
    return f'<div class="links listen">{play}{page}{youtube}</div>'
