"""The visitor's taste for this visit: the last picks recommended from, artists liked with 👍 and
artists marked "not for me", and the play counts of an uploaded listening history (kept only in
memory, for this visit).

A plain dict in a gr.State shared by every tab, so the taste survives new Recommend presses and
tab changes. Artists are kept as {artist id: name}: the query gets ids (exact, no re-matching),
the page shows names. ``taste`` counts the taste's changes and ``showing`` records, per tab, the
count it shows, so a tab opened behind the taste catches up (ui.taste.follow).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd


def new_session() -> dict[str, Any]:
    return {
        "like": {}, "exclude": {}, "shown": {}, "history": {}, "picks": [], "taste": 0,
        "showing": {},
    }  # fmt: skip


def forget(session: object) -> None:
    """Empty an expired session in place (gr.State's delete_callback), so that no other
    reference to it still holds the visitor's artists."""
    if isinstance(session, dict):
        for part in session.values():
            if isinstance(part, (dict, list)):
                part.clear()
        session.clear()


def with_picks(session: dict[str, Any], picks: list[str]) -> dict[str, Any]:
    """A new session whose taste is ``picks`` (a new taste when they differ)."""
    picks = [str(p) for p in picks]
    if picks == session.get("picks", []):
        return session
    return {**session, "picks": picks, "taste": session.get("taste", 0) + 1}


def taste_picks(session: dict[str, Any]) -> list[str]:
    return list(session.get("picks") or [])


def behind(session: object, tab: str) -> bool:
    """Whether the visit has a taste (picks or 👍) that ``tab`` does not show yet."""
    if not isinstance(session, dict) or not session.get("taste"):
        return False
    if not session.get("picks") and not session.get("like"):
        return False
    return (session.get("showing") or {}).get(tab) != session["taste"]


def mark_showing(session: dict[str, Any], tab: str) -> dict[str, Any]:
    """Record that ``tab`` shows the current taste. In place, on the one ``showing`` dict every
    copy of the session shares: the tabs of "How it works" catch up in parallel events, and
    each must keep the others' marks."""
    session.setdefault("showing", {})[tab] = session.get("taste", 0)
    return session


def remember_shown(session: dict[str, Any], results: pd.DataFrame) -> dict[str, Any]:
    """The cards on screen (id → name), so a click on a card's button can name its artist."""
    ids, names = results["artist_id"].tolist(), results["name"].tolist()  # not per element
    shown = {int(i): str(n) for i, n in zip(ids, names, strict=True)}
    return {**session, "shown": shown}


def apply_action(session: dict[str, Any], action: str, artist_id: object) -> dict[str, Any]:
    """A new session after a card or list button: like / exclude move the artist into that
    list (out of the other one); undo removes it from both. Unknown actions change nothing."""
    try:
        key = int(str(artist_id))
    except ValueError:
        return session
    like, exclude = dict(session["like"]), dict(session["exclude"])
    name = session["shown"].get(key) or like.get(key) or exclude.get(key) or str(key)
    like.pop(key, None)
    exclude.pop(key, None)
    if action == "like":
        like[key] = name
    elif action == "exclude":
        exclude[key] = name
    elif action != "undo":
        return session
    return {**session, "like": like, "exclude": exclude, "taste": session.get("taste", 0) + 1}


def with_history(session: dict[str, Any], plays: Mapping[str, int]) -> dict[str, Any]:
    """A new session whose picks are weighted by ``plays`` ({catalog name: plays}); replaces any
    earlier history, so a second upload never mixes two people's counts."""
    history = {str(name): int(n) for name, n in plays.items()}
    return {**session, "history": history, "taste": session.get("taste", 0) + 1}


def history_plays(session: dict[str, Any]) -> dict[str, int]:
    """{catalog name: plays} of the visit's history ({} without one): the picks' weights."""
    return dict(session.get("history") or {})


def liked_ids(session: dict[str, Any]) -> list[int]:
    return list(session["like"])


def excluded_ids(session: dict[str, Any]) -> list[int]:
    return list(session["exclude"])


def _items(entries: dict[int, str]) -> str:
    return "".join(
        f'<span class="fb-item">{html.escape(name)}<button data-action="undo" '
        f'data-artist="{artist_id}" title="Undo" aria-label="Undo {html.escape(name)}">✕</button>'
        "</span>"
        for artist_id, name in entries.items()
    )


def session_html(session: dict[str, Any]) -> str:
    """The 👍 and "not for me" lists with an undo (✕) on each; empty when there is neither."""
    parts = []
    if session["like"]:
        parts.append(f'<div class="fb-row"><b>👍 Added:</b> {_items(session["like"])}</div>')
    if session["exclude"]:
        parts.append(f'<div class="fb-row"><b>Not for me:</b> {_items(session["exclude"])}</div>')
    return f'<div class="feedback-list">{"".join(parts)}</div>' if parts else ""
