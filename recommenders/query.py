"""One recommendation request, validated once: who is asking, how many, which filters.

Like LensKit's ``RecQuery``: the UI, the API and scripts all build a ``RecQuery`` and hand it to
``Bundle.recommend``; nothing downstream re-checks or re-parses its values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from recommenders.errors import RecommenderInputError

MAX_K = 100
MAX_LIKED = 1000
DEFAULT_K = 10
Artist = str | int  # a catalog name or an artist id


def check_k(k: object) -> int:
    """k as an int in 1..MAX_K, else a clear input error."""
    problem = RecommenderInputError(f"k must be a whole number from 1 to {MAX_K}, got {_shown(k)}.")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer, float, str)):
        raise problem
    try:
        value = float(k)
    except ValueError:
        raise problem from None
    if not value.is_integer() or not 1 <= value <= MAX_K:
        raise problem
    return int(value)


def check_penalty(penalty: object) -> float:
    """The popularity penalty as a float in [0, 1]."""
    try:
        value = float(penalty)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = float("nan")
    if not 0.0 <= value <= 1.0:
        raise RecommenderInputError(
            "popularity_penalty must be a number from 0 (none) to 1 (strong), got "
            f"{_shown(penalty)}."
        )
    return value


# The popularity control: 0 = any artist; above 0 only artists with at least MIN_LISTENERS
# listeners (so an explanation never rests on one person) and at most a ceiling that falls
# evenly on a log scale from the most listened artist (0) to CEILING_AT_ONE listeners (1).
MIN_LISTENERS = 5
CEILING_AT_ONE = 10


def listener_range(popularity_penalty: float, most_listeners: int) -> tuple[int, int] | None:
    """(fewest, most) listeners a recommended artist may have at this setting; None at 0."""
    if popularity_penalty <= 0:
        return None
    top = max(int(most_listeners), CEILING_AT_ONE)
    ceiling = np.exp(
        (1 - popularity_penalty) * np.log(top) + popularity_penalty * np.log(CEILING_AT_ONE)
    )
    return MIN_LISTENERS, int(np.floor(ceiling + 1e-9))


def check_user_id(value: object) -> int:
    """A Last.fm user id from an int or integer text ("2"); a clear error otherwise."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, (int, np.integer)):
        return int(value)
    try:
        number = float(str(value).strip()) if isinstance(value, (str, float)) else math.nan
    except ValueError:
        number = math.nan
    if not number.is_integer():
        raise RecommenderInputError(
            f"user_id must be a whole number such as 2 (a Last.fm user id), got {_shown(value)}."
        )
    return int(number)


@dataclass(frozen=True)
class RecQuery:
    """A validated request. Build it with ``RecQuery.of(...)``.

    liked: artists (names or ids) a new listener likes, in order, or ``None`` for an existing
    user. plays: one positive weight per liked artist (e.g. play counts), or ``None`` when every
    liked artist counts the same. user_id: an existing Last.fm user instead of ``liked``.
    tags: keep only artists with one of these tags/genres (lower-cased). exclude: artists never
    to return ("not for me").
    """

    liked: tuple[Artist, ...] | None = None
    plays: tuple[float, ...] | None = None
    user_id: int | None = None
    k: int = DEFAULT_K
    tags: tuple[str, ...] = ()
    popularity_penalty: float = 0.0
    exclude: tuple[Artist, ...] = ()

    @classmethod
    def of(
        cls,
        liked: object = None,
        user_id: object = None,
        k: object = DEFAULT_K,
        tags: str | Iterable[str] | None = None,
        popularity_penalty: object = 0.0,
        exclude: Iterable[object] | None = (),
    ) -> RecQuery:
        """Validate every field once; raise RecommenderInputError saying what is accepted.

        ``liked`` is a list of names/ids, one name or id, a mapping {name or id: plays}, or a
        DataFrame with an ``artist_id`` or ``artist`` column and an optional ``plays`` column
        (what ``read_history`` / ``Bundle.match_history`` return).
        """
        if (liked is None) == (user_id is None):
            raise RecommenderInputError(
                "Give exactly one of liked=[artist names or ids] (a new listener) or "
                "user_id=<Last.fm user id> (an existing one)."
            )
        names, plays = (None, None) if liked is None else _liked_and_plays(liked)
        return cls(
            liked=names,
            plays=plays,
            user_id=None if user_id is None else check_user_id(user_id),
            k=check_k(k),
            tags=_clean_tags(tags),
            popularity_penalty=check_penalty(popularity_penalty),
            exclude=_artists(exclude or (), "exclude", allow_empty=True),
        )


def _liked_and_plays(liked: object) -> tuple[tuple[Artist, ...], tuple[float, ...] | None]:
    """Split the accepted shapes of ``liked`` into artists and (optional) weights."""
    if isinstance(liked, pd.DataFrame):
        column = "artist_id" if "artist_id" in liked.columns else "artist"
        if column not in liked.columns:
            raise RecommenderInputError(
                "A liked table needs an 'artist' (names) or 'artist_id' column, and optionally "
                f"'plays'; got columns {list(liked.columns)}."
            )
        artists = [_as_artist(v) for v in liked[column].tolist()]
        if "plays" not in liked.columns:
            return _artists(artists, "liked"), None
        return _artists(artists, "liked"), _weights(liked["plays"].tolist())
    if isinstance(liked, Mapping):
        return _artists(list(liked.keys()), "liked"), _weights(list(liked.values()))
    if isinstance(liked, (str, int, np.integer)):
        liked = [liked]
    if not isinstance(liked, Iterable):
        raise RecommenderInputError(
            f"liked must be artist names or ids (a list, or a {{name: plays}} mapping), got "
            f"{type(liked).__name__}."
        )
    return _artists(list(liked), "liked"), None


def _as_artist(value: object) -> object:
    return int(value) if isinstance(value, np.integer) else value


def _artists(items: Iterable[object], what: str, allow_empty: bool = False) -> tuple[Artist, ...]:
    """Names (stripped, non-empty) and ids, checked for type and count."""
    items = [items] if isinstance(items, (str, int)) else list(items)
    if not items and not allow_empty:
        raise RecommenderInputError(
            "No artists given: pick at least one artist by name (e.g. 'Radiohead') or id."
        )
    if len(items) > MAX_LIKED:
        raise RecommenderInputError(
            f"Too many artists in {what} ({len(items)}): at most {MAX_LIKED} are accepted."
        )
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int, np.integer)):
            raise RecommenderInputError(
                f"Artist {_shown(item)} is neither a name nor an id: give names as text, ids as "
                "integers."
            )
    return tuple(_as_artist(i) for i in items)


def _weights(values: list[object]) -> tuple[float, ...]:
    """Positive finite weights, one per artist."""
    weights = []
    for value in values:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = math.nan
        if isinstance(value, bool) or not (math.isfinite(number) and number > 0):
            raise RecommenderInputError(
                f"Play counts must be positive numbers (e.g. {{'Radiohead': 120}}), got "
                f"{_shown(value)}."
            )
        weights.append(number)
    return tuple(weights)


def _shown(value: object, limit: int = 80) -> str:
    """A refused value as a message repeats it: its repr, cut short (it may be huge)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clean_tags(tags: str | Iterable[str] | None) -> tuple[str, ...]:
    if tags is None:
        return ()
    items = [tags] if isinstance(tags, str) else list(tags)
    cleaned = [t.strip().casefold() for t in items if isinstance(t, str) and t.strip()]
    return tuple(dict.fromkeys(cleaned))
