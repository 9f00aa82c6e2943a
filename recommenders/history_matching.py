"""A visitor's listening history (artist names + plays) matched to the catalog.

Names come from other services (Spotify, Last.fm today) and are matched by the same accent- and
typo-tolerant matcher as the picker, with its conservative threshold: an artist absent from the
2011 catalog stays unmatched rather than being attached to a look-alike.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from recommenders.errors import RecommenderInputError
from recommenders.matching import Match


@dataclass(frozen=True)
class HistoryMatch:
    """matched: artist_id, name (catalog), plays, given (the spellings that led there), most
    played first. unmatched: artist, plays of the names no catalog artist was attached to."""

    matched: pd.DataFrame
    unmatched: pd.DataFrame

    @property
    def n_artists(self) -> int:
        """Distinct artists in the history."""
        return int(sum(len(g) for g in self.matched["given"])) + len(self.unmatched)

    @property
    def play_share(self) -> float:
        """Share of the history's plays that belong to matched artists (0 when empty)."""
        total = self.matched["plays"].sum() + self.unmatched["plays"].sum()
        return float(self.matched["plays"].sum() / total) if total else 0.0

    def __len__(self) -> int:
        return len(self.matched) + len(self.unmatched)

    def summary(self, shown: int = 10) -> str:
        """'We found 412 artists; 173 are in this 2011 catalog, covering 61% of your plays; not
        found: …' (plain text: escape it before rendering as HTML)."""
        text = (
            f"We found {self.n_artists:,} artists; {len(self.matched):,} are in this 2011 "
            f"catalog, covering {self.play_share:.0%} of your plays"
        )
        if len(self.unmatched):
            names = self.unmatched["artist"].head(shown).tolist()
            more = len(self.unmatched) - len(names)
            text += "; not found: " + ", ".join(names) + (f" and {more:,} more" if more else "")
        return text + "."


def check_history(history: object) -> pd.DataFrame:
    """``history`` as a (artist: str, plays: int ≥ 1) table, or a clear input error."""
    if isinstance(history, dict):
        history = pd.DataFrame({"artist": list(history), "plays": list(history.values())})
    if not isinstance(history, pd.DataFrame) or not {"artist", "plays"} <= set(history.columns):
        raise RecommenderInputError(
            "A listening history is a table with 'artist' and 'plays' columns (what "
            "recommenders.read_history returns) or a {artist name: plays} mapping."
        )
    plays = pd.to_numeric(history["plays"], errors="coerce")
    if plays.isna().any() or (plays < 1).any():
        raise RecommenderInputError("Every 'plays' value must be a whole number ≥ 1.")
    artists = history["artist"]
    if not all(isinstance(a, str) and a.strip() for a in artists):
        raise RecommenderInputError("Every 'artist' value must be a non-empty name.")
    return pd.DataFrame({"artist": artists.to_numpy(), "plays": plays.astype("int64").to_numpy()})


def match_history(history: pd.DataFrame, matches: Iterable[Match | None]) -> HistoryMatch:
    """Group a checked history by the catalog artist each name matched (plays add up)."""
    table = history.assign(match=list(matches))
    found = table[table["match"].notna()]
    matched = pd.DataFrame(
        {
            "artist_id": [m.artist_id for m in found["match"]],
            "name": [m.name for m in found["match"]],
            "plays": found["plays"].to_numpy(),
            "given": found["artist"].to_numpy(),
        }
    )
    matched = (
        matched.groupby(["artist_id", "name"], as_index=False, sort=False)
        .agg(plays=("plays", "sum"), given=("given", list))
        .sort_values(["plays", "name"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    unmatched = (
        table.loc[table["match"].isna(), ["artist", "plays"]]
        .sort_values(["plays", "artist"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    return HistoryMatch(matched=matched, unmatched=unmatched)


class HistoryLeftOut(UserWarning):
    """A listening history given to ``Bundle.recommend`` held artists the catalog lacks."""


def is_history(liked: object) -> bool:
    """A table of names and plays (``read_history``'s): matched tolerantly, unlike a typed list,
    whose unknown names are refused with "did you mean"."""
    return (
        isinstance(liked, pd.DataFrame)
        and {"artist", "plays"} <= set(liked.columns)
        and ("artist_id" not in liked.columns)
    )


def liked_from(found: HistoryMatch, limit: int) -> pd.DataFrame:
    """The matched artists to recommend from (the ``limit`` most played), warning with the
    summary when the history held artists the catalog lacks (or more than ``limit``)."""
    if found.matched.empty:
        raise RecommenderInputError(
            f"None of the {found.n_artists:,} artists of this history is in the 2011 "
            "catalog; nothing to recommend from."
        )
    if len(found.unmatched) or len(found.matched) > limit:
        kept = f" (the {limit:,} most played are used)" if len(found.matched) > limit else ""
        warnings.warn(found.summary() + kept, HistoryLeftOut, stacklevel=4)
    return found.matched.head(limit)
