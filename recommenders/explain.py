"""Why an artist is recommended, in words that are true for every model.

Two kinds of evidence link a recommended artist to the artists a listener starts from (picked
and 👍'd alike): people who listen to both (co-listening, from the listening matrix) and genre
tags they share. A share is only given as a percentage when at least MIN_SHARE_LISTENERS people
stand behind it; fewer are given as counts ("3 of the 12 listeners of X also listen to Y"), so
one person is never "8%". Every sentence names the liked artist its numbers belong to.

The strongest link is the liked artist with the highest share of its listeners who also play
the recommended one, among links at least MIN_SHARE_LISTENERS people stand behind (ties: more
people); when no link has that many, the one with the most people (ties: the higher share). For
one recommended artist the share orders the liked artists exactly as lift does (lift divides
every share by the same popularity of the recommended artist), and unlike a raw count it does
not always pick the most listened liked artist: with Radiohead and Portishead liked, Air is
"30% of the 107 listeners of Portishead", not "11% of the 393 listeners of Radiohead".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

MIN_SHARE_LISTENERS = 5
SHARED_TAGS = 10  # top tags of each artist compared for the "shared tags" reason
TAGS_SHOWN = 2


@dataclass(frozen=True)
class Reason:
    """The evidence behind one recommendation (columns are matrix columns)."""

    liked: int | None  # the liked column with the strongest co-listening link, None if none
    both: int  # listeners of that liked artist who also listen to the recommended one
    liked_listeners: int
    tag_liked: int | None  # the liked column sharing the most genre tags, None if none is shared
    tags: tuple[str, ...]  # those shared tags, in the recommended artist's order


class Explainer:
    """Co-listening counts and top tags of every artist, ready to explain any list."""

    def __init__(self, matrix: sp.csr_matrix, tags: Sequence[Sequence[str]]) -> None:
        """matrix: users × artists (nonzero = listened); tags: per column, best tag first."""
        self.by_artist = sp.csr_matrix((sp.csc_matrix(matrix) > 0).T, dtype=np.float32)
        self.listeners = np.diff(self.by_artist.indptr)
        self.top_tags = [[str(t) for t in list(ts)[:SHARED_TAGS]] for ts in tags]
        self._folded = [[t.casefold() for t in ts] for ts in self.top_tags]
        self._tag_keys = [frozenset(ts) for ts in self._folded]

    def reasons(self, liked: np.ndarray, recommended: np.ndarray) -> list[Reason]:
        """One Reason per recommended column, from the liked columns (see the module docstring
        for which liked artist is the strongest link)."""
        liked = np.asarray(liked, dtype=np.int64)
        recommended = np.asarray(recommended, dtype=np.int64)
        both = self._co_listeners(liked, recommended)
        strongest = strongest_links(both, self.listeners[liked])
        out = []
        for j, column in enumerate(recommended.tolist()):
            best = strongest[j]
            if best >= 0:
                co = (int(liked[best]), int(both[best, j]), int(self.listeners[liked[best]]))
            else:
                co = (None, 0, 0)
            tag_liked, tags = self._shared_tags(liked, column, prefer=co[0])
            out.append(Reason(*co, tag_liked=tag_liked, tags=tags))
        return out

    def _co_listeners(self, liked: np.ndarray, recommended: np.ndarray) -> np.ndarray:
        """(n_liked × n_recommended) listeners of both; numpy only (scipy's sparse product costs
        more than the whole model on this hot path)."""
        indptr, users = self.by_artist.indptr, self.by_artist.indices
        heard = np.zeros((len(liked), self.by_artist.shape[1]), dtype=np.int32)
        for row, column in enumerate(liked.tolist()):
            heard[row, users[indptr[column] : indptr[column + 1]]] = 1
        both = np.zeros((len(liked), len(recommended)), dtype=np.int64)
        for j, column in enumerate(recommended.tolist()):
            both[:, j] = heard[:, users[indptr[column] : indptr[column + 1]]].sum(axis=1)
        return both

    def _shared_tags(
        self, liked: np.ndarray, column: int, prefer: int | None
    ) -> tuple[int | None, tuple[str, ...]]:
        """The liked column sharing the most tags with ``column`` and those tags; on a tie the
        co-listening link ``prefer`` (one name for both kinds of evidence), else the first."""
        own = self.top_tags[column]
        best: tuple[int | None, tuple[str, ...]] = (None, ())
        if not own:
            return best
        folded = self._folded[column]
        for other in liked.tolist():
            theirs = self._tag_keys[other]
            if theirs.isdisjoint(folded):
                continue
            shared = tuple(t for t, f in zip(own, folded, strict=True) if f in theirs)
            more = len(shared) > len(best[1])
            if more or (len(shared) == len(best[1]) and other == prefer):
                best = (other, shared)
        return best


def strongest_links(both: np.ndarray, liked_listeners: np.ndarray) -> np.ndarray:
    """For each recommended column (of ``both``: n_liked × n_recommended co-listener counts), the
    row of the strongest liked artist, or -1 when nobody listens to both: the highest share
    among links with at least MIN_SHARE_LISTENERS co-listeners (ties: more co-listeners, then
    the first), else the most co-listeners (ties: the higher share, then the first)."""
    both = np.asarray(both, dtype=np.int64)
    share = both / np.maximum(np.asarray(liked_listeners, dtype=np.float64), 1.0)[:, None]
    supported = both >= MIN_SHARE_LISTENERS
    # one sortable key per (liked, recommended): tier, then the tier's two criteria
    first = np.where(supported, share, both.astype(np.float64))
    second = np.where(supported, both.astype(np.float64), share)
    out = np.full(both.shape[1], -1, dtype=np.int64)
    for j in range(both.shape[1]):
        if both[:, j].max(initial=0) == 0:
            continue
        order = np.lexsort((-second[:, j], -first[:, j], ~supported[:, j]))
        out[j] = order[0]
    return out


def explanation_text(
    recommended: str, reason: Reason, names: Sequence[str], listeners: int, n_users: int
) -> str:
    """One sentence such as "40% of the 400 listeners of Muse also listen to Placebo" or
    "black metal, norwegian black metal — like Carpathian Forest; 3 of the 9 listeners of
    Carpathian Forest also listen to Taake" (plain text: escape before HTML)."""
    if reason.liked is not None and reason.both >= MIN_SHARE_LISTENERS:
        percent = max(1, round(100 * reason.both / max(reason.liked_listeners, 1)))
        return (
            f"{percent}% of the {reason.liked_listeners:,} listeners of "
            f"{names[reason.liked]} also listen to {recommended}"
        )
    counts = (
        f"{reason.both} of the {_people(reason.liked_listeners)} of {names[reason.liked]} "
        f"also listen to {recommended}"
        if reason.liked is not None
        else ""
    )
    if reason.tag_liked is not None:
        tags = f"{', '.join(reason.tags[:TAGS_SHOWN])} — like {names[reason.tag_liked]}"
        return f"{tags}; {counts}" if counts else tags
    if counts:
        return counts
    return (
        "No listener or top tag in common with your artists in this 2011 data; recommended for its "
        f"{_people(listeners)} (of {n_users:,} users)"
    )


def _people(n: int) -> str:
    return f"{n:,} listener" if n == 1 else f"{n:,} listeners"
