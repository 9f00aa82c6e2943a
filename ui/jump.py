"""Jump from a card to that artist's neighbours ("similar to this"), in place: the panel opens
right under the card, each neighbour with the true reason it is there (the bundle's
explanation: shared listeners, else shared tags) and one button that makes it a pick.

The panel comes in the same HTML update as the cards (ui.discover: the "similar" card action),
so opening it is one event and one string; hiding it needs no server (ui/card_script.py).
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping
from typing import Any

import pandas as pd

from recommenders.bundle import Bundle
from ui import cards, session

NEIGHBOURS = 8
# Models whose "similar" is not about the artist (popularity ranks everyone the same way): the
# panel asks the bundle's default model instead.
NO_SIMILARITY = ("popularity",)
# Each panel carries a new number: the page redraws the cards only when their HTML changes, and a
# panel hidden in the page (no server) then asked for again would otherwise be the same HTML.
_OPENED = itertools.count()


def neighbours(
    bundle: Bundle, model: str, artist_id: int, visit: Mapping[str, Any]
) -> pd.DataFrame:
    """The artist's nearest artists by ``model`` (its default when ``model`` has no notion of
    similarity), without the visit's "not for me" artists."""
    if model in NO_SIMILARITY:
        model = bundle.default_model
    excluded = set(session.excluded_ids(dict(visit)))
    found = bundle.similar_artists(model, artist_id, k=NEIGHBOURS + len(excluded))
    return found[~found["artist_id"].isin(excluded)].head(NEIGHBOURS)


def panel_html(
    bundle: Bundle, model: str, artist_id: int, visit: Mapping[str, Any], picks: object
) -> str:
    """The "similar to" panel of one artist: each neighbour's picture, name, reason, and
    "+ Add as a pick" (or "in your picks" when it is one already)."""
    name = str(bundle.catalog["name"].get(artist_id, artist_id))
    picked = set(picks) if isinstance(picks, list) else set()
    picked |= set(dict(visit).get("like", {}).values())
    found = cards.records(neighbours(bundle, model, artist_id, visit))
    items = "".join(_item(row, row["name"] in picked) for row in found)
    title = html.escape(name)
    none = cards.notice("No similar artists found for this one.")
    body = f'<ol class="similar-list">{items}</ol>' if items else none
    return (
        f'<section class="similar-panel" id="similar-{artist_id}" tabindex="-1" '
        f'data-opened="{next(_OPENED)}" '
        f'aria-label="Artists similar to {title}"><header><b>Similar to {title}</b>'
        "<small>Why each one is here, and + to add it to your picks.</small>"
        f'<button data-local="hide-similar" aria-label="Hide artists similar to {title}">'
        f"✕ Hide</button></header>{body}</section>"
    )


def _item(row: Mapping[str, Any], picked: bool) -> str:
    name = str(row["name"])
    title = html.escape(name)
    image = cards.safe_url(row.get("image_url"))
    picture = (
        f'<img src="{html.escape(image)}" alt="" loading="lazy">'
        if image
        else cards.tile_svg(name, cards.labels(row))
    )
    action = (
        '<span class="picked">✓ In your picks</span>'
        if picked
        else f'<button data-action="pick" data-artist="{int(row["artist_id"])}" '
        f'aria-label="Add {title} to your picks">+ Add as a pick</button>'
    )
    why = row.get("explanation")
    reason = f"<small>{html.escape(str(why))}</small>" if isinstance(why, str) else ""
    return f'<li>{picture}<div class="who"><b>{title}</b>{reason}</div>{action}</li>'


def pick_name(bundle: Bundle, artist: object) -> str | None:
    """The catalog name of a neighbour's id as the page sent it, None when it is no artist."""
    text = str(artist) if isinstance(artist, (str, int)) and not isinstance(artist, bool) else ""
    if not text.isdigit() or len(text) > 9:
        return None
    name = bundle.catalog["name"].get(int(text))
    return str(name) if name is not None else None


def after_action(
    bundle: Bundle,
    action: Mapping[str, Any] | None,
    model: str,
    visit: Mapping[str, Any],
    picks: object,
) -> dict[int, str]:
    """{artist id: panel} for a card's "similar to this" action, {} for any other action."""
    if not action or action.get("action") != "similar":
        return {}
    text = str(action.get("artist"))
    if not text.isdigit() or len(text) > 9:
        return {}
    artist_id = int(text)
    return {artist_id: panel_html(bundle, model, artist_id, visit, picks)}


def asks_for_panel(action: tuple[Any, ...]) -> bool:
    """Whether a Discover request's optional ``(action,)`` opens a panel (ui.discover runs those
    off the event loop)."""
    return bool(action) and isinstance(action[0], Mapping) and action[0].get("action") == "similar"


def add_pick(bundle: Bundle, picks: object, action: Mapping[str, Any]) -> list[str]:
    """The picks with the neighbour of a "+ Add as a pick" added (unchanged for anything else:
    this event never fails, so the picker never gets Gradio's error badge)."""
    current = [p for p in picks if isinstance(p, str)] if isinstance(picks, list) else []
    name = pick_name(bundle, action.get("artist")) if action.get("action") == "pick" else None
    return list(dict.fromkeys([*current, name])) if name else current


# Sent with the cards box: after an update that opened a panel, the panel takes the focus (the
# pressed button is gone) and comes into view.
FOCUS_JS = """
watch('value', () => {
  const panel = element.querySelector('.similar-panel');
  if (panel) { panel.focus({preventScroll: true}); panel.scrollIntoView({block: 'nearest'}); }
});
"""
