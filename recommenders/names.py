"""Artist names ↔ ids: exact, else case-insensitive when unambiguous; fuzzy only to suggest."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from recommenders.errors import RecommenderInputError
from recommenders.text import normalise

MAX_PICKED = 1000


class ArtistNames:
    """Resolves what a person typed (names or ids) to catalog artist ids, and searches names."""

    def __init__(self, names: pd.Series, listeners: pd.Series | None = None) -> None:
        """names: artist_id → name; listeners (same index) ranks search results by popularity."""
        self.names = names
        self._popularity: dict[str, int] = defaultdict(int)
        if listeners is not None:
            for artist_id, count in listeners.items():
                self._popularity[normalise(names[artist_id])] += int(count)
        self._exact: dict[str, int] = {}
        self._folded: dict[str, list[int]] = defaultdict(list)
        for artist_id, name in names.items():
            self._exact.setdefault(name, int(artist_id))
            self._folded[normalise(name)].append(int(artist_id))
        self._choices = list(self._folded)
        self._ids = set(int(i) for i in names.index)

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
        problems: list[str] = []
        for item in items:
            try:
                ids.append(self.resolve_one(item))
            except RecommenderInputError as exc:
                problems.append(str(exc))
        if problems:
            shown = problems[:5] + (
                [f"... and {len(problems) - 5} more"] if len(problems) > 5 else []
            )
            raise RecommenderInputError(" ".join(shown))
        return ids

    def resolve_one(self, item: object) -> int:
        """One artist id for a name or an id (int or digit string that is not also a name)."""
        if isinstance(item, bool) or not isinstance(item, (str, int, np.integer)):
            raise RecommenderInputError(
                f"Artist {item!r} is neither a name nor an id: give names as text, ids as integers."
            )
        if isinstance(item, (int, np.integer)):
            if int(item) in self._ids:
                return int(item)
            raise RecommenderInputError(f"Unknown artist id {int(item)}.")
        if item in self._exact:
            return self._exact[item]
        candidates = self._folded.get(normalise(item), [])
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            spellings = ", ".join(repr(self.names[c]) for c in candidates[:5])
            raise RecommenderInputError(
                f"Artist {item!r} is ambiguous: it matches {spellings}; type the exact spelling."
            )
        if item.strip().isdigit() and int(item) in self._ids:
            return int(item)
        suggestions = self.search(item, limit=3)
        hint = f" Did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        raise RecommenderInputError(f"Unknown artist {_short(item)!r}.{hint}")

    def search(self, query: str, limit: int = 20) -> list[str]:
        """Names that best match ``query`` (prefix matches first, then fuzzy), for pickers."""
        key = normalise(query or "")
        if not key:
            return []
        prefix = [c for c in self._choices if c.startswith(key)]
        prefix.sort(key=lambda c: (c != key, -self._popularity[c], len(c), c))
        found = prefix[:limit]
        if len(found) < limit:
            # token_set_ratio: "beatles" finds "the beatles", but "a" or "dio" do not look
            # like "radiohed" (WRatio's partial matching scores any contained fragment 100).
            fuzzy = process.extract(
                key, self._choices, scorer=fuzz.token_set_ratio, limit=limit, score_cutoff=75
            )
            found += [c for c, _score, _i in fuzzy if c not in found][: limit - len(found)]
        names: list[str] = []
        for folded in found:
            names.extend(self.names[i] for i in self._folded[folded])
        return names[:limit]


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
