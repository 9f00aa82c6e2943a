"""Artist names ↔ ids: exact, else up to case/accents/punctuation; typos only suggested."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

from recommenders.errors import RecommenderInputError
from recommenders.lazy import Lazy
from recommenders.matching import ArtistMatcher, Match
from recommenders.text import normalise

MAX_PICKED = 1000


class ExactIndex(NamedTuple):
    exact: dict[str, int]  # name as written → id (the first artist with it)
    normalised: dict[str, list[int]]  # normalised name → ids, most listened first
    ids: set[int]


def _exact_index(names: pd.Series, listeners: pd.Series) -> ExactIndex:
    exact: dict[str, int] = {}
    normalised: dict[str, list[int]] = defaultdict(list)
    for artist_id, name in names.items():
        exact.setdefault(name, int(artist_id))
        normalised[normalise(name)].append(int(artist_id))
    counts = listeners.to_dict()  # a dict: Series lookups one by one took 0.1 s at start-up
    for ids in normalised.values():  # most listened spelling first
        ids.sort(key=lambda i: -int(counts.get(i, 0)))
    return ExactIndex(exact, dict(normalised), set(int(i) for i in names.index))


class ArtistNames:
    """Resolves what a person typed (names or ids) to catalog artist ids, and searches names."""

    def __init__(
        self,
        names: pd.Series,
        listeners: pd.Series | None = None,
        offered: pd.Series | None = None,
        aliases: pd.Series | None = None,
    ) -> None:
        """names: artist_id → name; listeners (same index) breaks ties and ranks search results;
        offered: False for artists pickers should not offer (junk names, duplicate spellings),
        which still resolve by their exact name or id; aliases: other names (list[str]) that
        search finds an artist by, never resolve."""
        self.names = names
        listeners = listeners if listeners is not None else pd.Series(0, index=names.index)
        # the typo index takes ~0.8 s to build: only the first search or near miss needs it
        self._matcher = Lazy(lambda: ArtistMatcher(names, listeners, offered, aliases))
        # the exact-name index (~0.05 s) is also built on first use or by warm_up
        self._index = Lazy(lambda: _exact_index(names, listeners))

    def warm_up(self) -> None:
        """Build the name indexes now (e.g. right after the server started)."""
        self._index.get()
        self._matcher.get()

    def resolve(self, liked: Iterable[object] | object) -> list[int]:
        """Artist ids for a list of names or ids, in order, without duplicates.

        A name matches exactly, else case-insensitively when only one artist has that spelling.
        Raises RecommenderInputError naming every item that did not resolve, with suggestions.
        """
        if liked is None or isinstance(liked, (str, int, np.integer)):
            liked = [] if liked is None else [liked]
        return list(dict.fromkeys(self.resolve_each(list(liked))))

    def resolve_each(self, items: Iterable[object]) -> list[int]:
        """One artist id per item, in order (duplicates kept, so weights stay aligned)."""
        items = list(items)
        if not items:
            raise RecommenderInputError(
                "No artists given: pick at least one artist by name (e.g. 'Radiohead') or id."
            )
        if len(items) > MAX_PICKED:
            raise RecommenderInputError(
                f"Too many artists ({len(items)}): at most {MAX_PICKED} are accepted."
            )
        ids: list[int] = []
        problems: list[RecommenderInputError] = []
        for item in items:
            try:
                ids.append(self.resolve_one(item))
            except RecommenderInputError as exc:
                problems.append(exc)
        if problems:
            shown = [str(p) for p in problems[:5]] + (
                [f"... and {len(problems) - 5} more"] if len(problems) > 5 else []
            )
            # every item's suggestions, even past the five messages shown
            found = [pair for p in problems for pair in p.suggestions]
            raise RecommenderInputError(" ".join(shown), suggestions=found)
        return ids

    def resolve_one(self, item: object) -> int:
        """One artist id for a name or an id (int or digit string that is not also a name).

        Exact spelling first, then the same name up to case and spacing (the most listened
        spelling when several differ only by case), then up to accents and punctuation ("Sigur
        Ros", "acdc", "beatles"). Typos are not guessed here: they get "did you mean".
        """
        if isinstance(item, bool) or not isinstance(item, (str, int, np.integer)):
            raise RecommenderInputError(
                f"Artist {_short(repr(item))} is neither a name nor an id: give names as text, "
                "ids as integers."
            )
        index = self._index.get()
        if isinstance(item, (int, np.integer)):
            if int(item) in index.ids:
                return int(item)
            raise RecommenderInputError(
                f"Unknown artist id {int(item)}: give an id of this catalog, or the artist's name."
            )
        if item in index.exact:
            return index.exact[item]
        candidates = index.normalised.get(normalise(item), [])
        if candidates:
            return candidates[0]
        found = self._matcher.get().match(item) if item.strip() else None
        if found is not None and found.score == 100:
            return found.artist_id
        if item.strip().isdigit() and int(item) in index.ids:
            return int(item)
        suggestions = self.search(item, limit=3)
        hint = (
            f" Did you mean {', '.join(repr(s) for s in suggestions)}?"
            if suggestions
            else " It is not in this 2011 Last.fm catalog: check the spelling, or type a few "
            "letters to search it."
        )
        raise RecommenderInputError(
            f"Unknown artist {_short(item)!r}.{hint}",
            suggestions=[(item, suggestions)] if suggestions else (),
        )

    def search(self, query: str, limit: int = 20) -> list[str]:
        """Names that best match ``query``, for pickers: tolerant of case, accents, punctuation,
        a leading "The" and typos; ranked by closeness, then listeners."""
        if not isinstance(query, str):
            return []
        return [m.name for m in self._matcher.get().search(query, limit)]

    def search_matches(self, query: str, limit: int = 20) -> list[Match]:
        """``search`` with ids, closeness scores and listener counts."""
        return self._matcher.get().search(query, limit) if isinstance(query, str) else []

    def match_many(self, names: Iterable[str]) -> list[Match | None]:
        """The one offered artist each free-text name means, or None (see ArtistMatcher.match)."""
        return self._matcher.get().match_many(names)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
