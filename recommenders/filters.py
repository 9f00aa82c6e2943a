"""The two filters a request can set, as catalog columns: the tag/genre filter and the popularity
control (a range of listener counts). ``Bundle.recommend`` keeps only the columns they allow;
``recommenders.why_not`` asks each one apart which of them leaves an artist out."""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from recommenders.catalog import genre_and_tag_labels
from recommenders.errors import RecommenderInputError
from recommenders.query import listener_range


class ArtistFilters:
    """Tag/genre labels and listener counts of every catalog column."""

    def __init__(self, catalog: pd.DataFrame) -> None:
        self._catalog = catalog
        self.listeners = catalog["listeners"].to_numpy(np.int64)

    def listener_range(self, popularity_penalty: float) -> tuple[int, int] | None:
        """(fewest, most) listeners allowed at a (checked) popularity setting; None = no limit."""
        return listener_range(popularity_penalty, int(self.listeners.max()))

    def known_labels(self, min_artists: int = 5) -> list[str]:
        """Tags/genres carried by at least ``min_artists`` artists, most common first."""
        sizes = {label: len(cols) for label, cols in self.label_index.items()}
        return sorted((t for t, n in sizes.items() if n >= min_artists), key=lambda t: -sizes[t])

    def allowed(self, tags: tuple[str, ...], penalty: float) -> np.ndarray | None:
        """Columns that pass the tag filter and the popularity control (None = all)."""
        by_tag, by_listeners = self.tag_columns(tags), self.popularity_columns(penalty)
        if by_tag is None or by_listeners is None:
            return by_tag if by_listeners is None else by_listeners
        return np.intersect1d(by_tag, by_listeners)

    def popularity_columns(self, penalty: float) -> np.ndarray | None:
        """Columns whose listener count is in the range of ``penalty`` (None = all)."""
        limits = self.listener_range(penalty)
        if limits is None:
            return None
        low, high = limits
        return np.flatnonzero((self.listeners >= low) & (self.listeners <= high))

    def tag_columns(self, tags: tuple[str, ...]) -> np.ndarray | None:
        """Columns of artists carrying any of ``tags`` (Last.fm tag or Spotify genre); None when
        no tag is given. A filter no artist passes is an input error, not an empty list."""
        if not tags:
            return None
        found = [self.label_index[t] for t in tags if t in self.label_index]
        if not found:
            shown = ", ".join(repr(t if len(t) <= 40 else t[:39] + "…") for t in tags[:5])
            raise RecommenderInputError(
                f"No artist has the tag or genre {shown}{', …' if len(tags) > 5 else ''}. Try a "
                "common one such as 'rock', 'electronic', 'hip-hop' or 'indie'."
            )
        return np.unique(np.concatenate(found))

    @cached_property
    def label_index(self) -> dict[str, np.ndarray]:
        """label → sorted catalog columns carrying it (built once, on first filter)."""
        index: dict[str, list[int]] = {}
        for column, labels in enumerate(genre_and_tag_labels(self._catalog)):
            for label in labels:
                index.setdefault(label, []).append(column)
        return {label: np.asarray(cols, dtype=np.int64) for label, cols in index.items()}
