"""Why an artist is not in a list: where it ranks for the same request, and the first reason
below that holds. Every number comes from the model's own scores, the request's filters and the
listening data; nothing is estimated.

Reasons (``WhyNot.reason``), checked in this order:

- ``unknown``: no artist of the 2011 catalog has this name or id (``suggestions``: what the
  name search offers instead).
- ``liked``: it is one of the artists the request starts from (a pick, a 👍, or an existing
  user's history); lists only hold artists new to the listener.
- ``excluded``: the request excludes it ("not for me").
- ``junk``: the catalog marks the name as junk (recommenders.cleaning: a web address, broken
  characters, a credit of several artists, a release, an alias note); never recommended.
- ``duplicate``: another spelling of an artist (the same name up to case); only the most
  listened spelling is recommended, and the answer goes on with that spelling's own answer.
- ``not_scored``: the model gives it no finite score, so it is no candidate.
- ``tag_filter``, ``popularity_filter``: the request's tag/genre filter, or its popularity
  control (a listener range), leaves it out; ``filters`` names every filter that does, and
  ``rank_unfiltered`` is its place without them.
- ``recommended``: it is in the list (``rank`` ≤ k).
- Below the list (``rank`` > k), compared with the last card (the k-th; for liked artists of
  unrelated tastes, the last card of the same interest, recommenders.interests). The *taste
  listeners* are the people who listen to at least one liked artist (of that interest); an
  artist's *shared listeners* are those of its own listeners who are taste listeners.
  - ``fewer_listeners``: the popularity model, which orders artists by listeners (ties: plays).
  - ``no_shared_listeners``: it has no shared listener.
  - ``few_shared_listeners``: it has fewer shared listeners than the last card.
  - ``lower_audience_share``: as many shared listeners or more, but they are a smaller share of
    its own listeners than the last card's are of its listeners.
  - ``scored_lower``: neither, yet the model scores it lower than the last card.

``rank`` is the artist's place in the list the request would give with no limit on k
(``recommend`` with k = rank ends with it); ``candidates`` is how many artists that list holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from recommenders.errors import RecommenderInputError
from recommenders.explain import Explainer
from recommenders.filters import ArtistFilters
from recommenders.names import ArtistNames
from recommenders.whole_list import Scored, WholeList

BELOW_THE_LIST = (
    "fewer_listeners", "no_shared_listeners", "few_shared_listeners", "lower_audience_share",
    "scored_lower",
)  # fmt: skip
REASONS = (
    "unknown", "liked", "excluded", "junk", "duplicate", "not_scored", "tag_filter",
    "popularity_filter", "recommended", *BELOW_THE_LIST,
)  # fmt: skip
JUNK_WORDS = {
    "url": "a web address, not an artist",
    "mojibake": "a garbled spelling (broken characters) of another artist's name",
    "collaboration": "a credit of several artists who each have an entry of their own",
    "release": "a release (an album or a live recording) written as an artist",
    "alias": "an alias note on an artist who has an entry of their own",
}


@dataclass(frozen=True)
class Serving:
    """What the answer needs of a bundle (built once by the Bundle)."""

    names: ArtistNames
    catalog: pd.DataFrame  # indexed by artist id, in matrix column order
    filters: ArtistFilters
    explainer: Explainer
    hidden: np.ndarray  # columns never recommended (junk names, duplicate spellings)


@dataclass(frozen=True)
class Audience:
    """An artist's listeners and how many of them are taste listeners (module docstring)."""

    listeners: int
    shared: int

    @property
    def share(self) -> float:
        return self.shared / max(self.listeners, 1)

    def text(self) -> str:
        return f"{self.shared:,} of {self.listeners:,} ({round(100 * self.share)}%)"


@dataclass(frozen=True)
class WhyNot:
    """The answer: ``reason`` (one of REASONS), ``message`` (plain text: escape before HTML)
    and the numbers behind it (None where they do not apply)."""

    artist: str  # the catalog name (what was typed, for an unknown artist)
    reason: str
    message: str
    artist_id: int | None = None
    k: int | None = None
    rank: int | None = None
    candidates: int | None = None
    rank_unfiltered: int | None = None
    filters: tuple[str, ...] = ()  # "tag", "popularity": the filters that leave it out
    listeners: int | None = None
    score: float | None = None
    last_card: str | None = None
    last_card_score: float | None = None
    taste_listeners: int | None = None  # people who listen to a liked artist (of the interest)
    audience: Audience | None = None
    last_card_audience: Audience | None = None
    suggestions: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able values (for the API and MCP)."""
        return {key: list(v) if isinstance(v, tuple) else v for key, v in asdict(self).items()}


def explain_absence(serving: Serving, scored: Scored, artist: object) -> WhyNot:
    """The answer for ``artist`` (a name or an id) and one scored request."""
    column = _column(serving, artist)
    if isinstance(column, WhyNot):
        return column
    return _Answer(serving, scored, column).why()


def _column(serving: Serving, artist: object) -> int | WhyNot:
    """The artist's matrix column, or the "unknown" answer."""
    if (
        isinstance(artist, bool)
        or not isinstance(artist, (str, int, np.integer))
        or (isinstance(artist, str) and not artist.strip())
    ):
        raise RecommenderInputError(
            "Name the artist you expected as text, e.g. 'Radiohead' (or give its id)."
        )
    try:
        artist_id = serving.names.resolve_one(artist)
    except RecommenderInputError as exc:
        found = tuple(name for _typed, names in exc.suggestions for name in names)
        typed = str(artist).strip()
        what = f"the id {typed}" if isinstance(artist, (int, np.integer)) else f"“{typed}”"
        hint = (
            f" Did you mean {', '.join(found)}?"
            if found
            else " It may be newer than 2011, or spelt another way: type a few letters to search."
        )
        message = f"No artist in the 2011 Last.fm data has {what}.{hint}"
        return WhyNot(typed, "unknown", message, suggestions=found)
    return int(serving.catalog.index.get_loc(artist_id))


class _Answer:
    """The reasons for one artist (a matrix column), in the module docstring's order."""

    def __init__(self, serving: Serving, scored: Scored, column: int) -> None:
        self.serving, self.scored, self.column = serving, scored, column
        catalog = serving.catalog
        self.name = str(catalog["name"].iat[column])
        self.names = catalog["name"].to_numpy()
        self.listeners = catalog["listeners"].to_numpy(np.int64)
        self.base = {
            "artist_id": int(catalog.index[column]),
            "k": scored.query.k,
            "listeners": int(self.listeners[column]),
        }

    def whole_list(self, filtered: bool) -> WholeList:
        query = self.scored.query
        allowed = (
            self.serving.filters.allowed(query.tags, query.popularity_penalty) if filtered else None
        )
        return WholeList(self.scored, self.serving.hidden, allowed)

    def answer(self, reason: str, message: str, **numbers: Any) -> WhyNot:
        return WhyNot(self.name, reason, message, **{**self.base, **numbers})

    def why(self) -> WhyNot:
        scored, column, name = self.scored, self.column, self.name
        query = scored.query
        if column in scored.profile.indices:
            who = (
                f"Last.fm user {query.user_id} already listens to {name}"
                if query.user_id is not None
                else f"{name} is one of the artists you started from"
            )
            return self.answer("liked", f"{who}: lists only hold artists new to the listener.")
        if column in scored.excluded:
            return self.answer("excluded", f"You marked {name} “not for me”, so it is left out.")
        hidden = self.hidden_answer()
        if hidden is not None:
            return hidden
        ranking = self.whole_list(filtered=True)
        if not np.isfinite(scored.scores[:, column]).any():
            message = f"The {scored.model} model gives {name} no score: it cannot be recommended."
            return self.answer("not_scored", message)
        filters = self.filters_leaving_out()
        if filters:
            return self.filtered_answer(filters)
        rank = ranking.position(column)
        found = {"rank": rank, "candidates": ranking.candidates, "score": ranking.score(column)}
        if rank <= query.k:
            return self.answer("recommended", f"{name} is in your list, as card #{rank}.", **found)
        return self.below_the_list(ranking, found)

    def hidden_answer(self) -> WhyNot | None:
        """The junk / duplicate answers (None when the name is shown in lists)."""
        row = self.serving.catalog.iloc[self.column]
        junk = row.get("junk_reason")
        if isinstance(junk, str):
            words = JUNK_WORDS.get(junk, "not an artist of its own")
            message = (
                f"“{self.name}” is hidden: the 2011 data lists it as an artist, but it is "
                f"{words}; such names are never recommended."
            )
            return self.answer("junk", message)
        main_id = row.get("same_as")
        if main_id is not None and not pd.isna(main_id) and int(main_id) != self.base["artist_id"]:
            main_column = int(self.serving.catalog.index.get_loc(int(main_id)))
            main = _Answer(self.serving, self.scored, main_column).why()
            message = (
                f"“{self.name}” is another spelling of {main.artist} in the 2011 data; only the "
                f"most listened spelling, {main.artist}, is recommended. {main.message}"
            )
            numbers = {"rank": main.rank, "candidates": main.candidates}
            return self.answer("duplicate", message, **numbers)
        if self.column in self.serving.hidden:  # not offered for a reason the catalog lacks
            return self.answer("junk", f"“{self.name}” is hidden from lists in this catalog.")
        return None

    def filters_leaving_out(self) -> tuple[str, ...]:
        query, filters = self.scored.query, self.serving.filters
        out = []
        by_tag = filters.tag_columns(query.tags)
        if by_tag is not None and self.column not in by_tag:
            out.append("tag")
        by_listeners = filters.popularity_columns(query.popularity_penalty)
        if by_listeners is not None and self.column not in by_listeners:
            out.append("popularity")
        return tuple(out)

    def filtered_answer(self, filters: tuple[str, ...]) -> WhyNot:
        query, name = self.scored.query, self.name
        parts = []
        if "tag" in filters:
            row = self.serving.catalog.iloc[self.column]
            own = [*list(row["tags"])[:3], *list(row["spotify_genres"])[:2]]
            shown = ", ".join(dict.fromkeys(own)) or "none in this data"
            parts.append(
                f"Your tag/genre filter ({', '.join(query.tags)}) leaves {name} out: its tags "
                f"are {shown}."
            )
        if "popularity" in filters:
            low, high = self.serving.filters.listener_range(query.popularity_penalty) or (0, 0)
            parts.append(
                f"Your “fewer mainstream” setting allows artists with {low:,} to {high:,} "
                f"listeners; {name} has {self.base['listeners']:,}."
            )
        unfiltered = self.whole_list(filtered=False).position(self.column)
        if unfiltered is not None:
            parts.append(f"With no tag or popularity filter it would be card #{unfiltered}.")
        reason = "tag_filter" if "tag" in filters else "popularity_filter"
        return self.answer(reason, " ".join(parts), filters=filters, rank_unfiltered=unfiltered)

    def below_the_list(self, ranking: WholeList, found: dict[str, Any]) -> WhyNot:
        name, model = self.name, self.scored.model
        last, row = ranking.last_card(self.column)
        last_name = str(self.names[last])
        found |= {"last_card": last_name, "last_card_score": ranking.score(last, row)}
        found["score"] = ranking.score(self.column, row)
        start = (
            f"{name} would be card #{found['rank']:,} of {found['candidates']:,} "
            f"(your list shows {self.scored.query.k})"
        )
        if model == "popularity":
            mine, theirs = self.base["listeners"], int(self.listeners[last])
            versus = (
                f"{mine:,} against {theirs:,} for the last card, {last_name}"
                if mine != theirs
                else f"as many as the last card, {last_name}, but fewer plays"
            )
            message = f"{start}: the popularity model ranks artists by listeners; it has {versus}."
            return self.answer("fewer_listeners", message, **found)
        liked = ranking.interest(row)
        taste, (mine, theirs) = self.audiences([self.column, last], liked)
        found |= {"taste_listeners": taste, "audience": mine, "last_card_audience": theirs}
        yours = self.artists_words(liked)
        if mine.shared == 0:
            message = (
                f"{start}: none of the {taste:,} people who listen to {yours} listens to {name} "
                f"in the 2011 data ({name} has {_count(mine.listeners, 'listener')})."
            )
            return self.answer("no_shared_listeners", message, **found)
        versus = (
            f"{mine.text()} of its listeners listen to {yours}; for the last card, {last_name}, "
            f"{theirs.text()}"
        )
        if mine.shared < theirs.shared:
            message = (
                f"{start}: few shared listeners. Of the {taste:,} people who listen to {yours}, "
                f"{_count(mine.shared, 'listens', 'listen')} to {name} and {theirs.shared:,} to "
                f"the last card, {last_name}."
            )
            return self.answer("few_shared_listeners", message, **found)
        if mine.share < theirs.share:
            message = f"{start}: a smaller share of its listeners shares your taste. {versus}."
            return self.answer("lower_audience_share", message, **found)
        message = (
            f"{start}. {versus}: as many or more, yet the {model} model scores {name} lower "
            f"({found['score']:.3g} against {found['last_card_score']:.3g})."
        )
        return self.answer("scored_lower", message, **found)

    def artists_words(self, liked: np.ndarray) -> str:
        """The liked artists behind a list, in words: "your artists", or by name when the list
        serves one of several interests."""
        user = self.scored.query.user_id
        if len(liked) == len(self.scored.profile.indices):
            return "your artists" if user is None else f"user {user}'s artists"
        names = [str(self.names[c]) for c in liked[:2]]
        more = len(liked) - len(names)
        if more:
            return f"{', '.join(names)} and {_count(more, 'more artist')}"
        return " and ".join(names)

    def audiences(self, columns: list[int], liked: np.ndarray) -> tuple[int, list[Audience]]:
        """How many people listen to a ``liked`` artist, and each column's Audience."""
        by_artist = self.serving.explainer.by_artist  # artists × users, 1 = listened
        taste = np.unique(by_artist[liked].indices)
        found = []
        for column in columns:
            users = by_artist.indices[by_artist.indptr[column] : by_artist.indptr[column + 1]]
            shared = int(np.isin(users, taste, assume_unique=True).sum())
            found.append(Audience(len(users), shared))
        return len(taste), found


def _count(n: int, singular: str, plural: str | None = None) -> str:
    """ "1 listener", "3 listeners" (``plural``: when not ``singular`` + "s")."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"
