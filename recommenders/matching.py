"""One accent- and typo-tolerant matcher for artist names: picker search and name → artist.

Everything compares *folded* keys (`recommenders.text`): "bjork" finds Björk, "acdc" finds AC/DC,
"beatles" finds The Beatles. Two questions are answered on top of that:

- `ArtistMatcher.search` (typeahead): generous, ranked by closeness tier, then listeners; it also
  finds names by their other spellings (aliases, Latin readings, partly typed kana and Hangul:
  `recommenders.spellings`).
- `ArtistMatcher.match` / `match_many` (free text, uploaded histories): conservative. Only an exact
  folded match, or a single-edit typo of a long enough name that no other artist is also one edit
  away, attaches. Attaching the wrong artist is worse than attaching none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from recommenders.errors import RecommenderInputError
from recommenders.spellings import OtherSpellings, PrefixIndex
from recommenders.text import (
    catalog_keys,
    compact,
    fold,
    fold_keeping_article,
    verbatim,
    without_article,
)

# When a name is one edit from a catalog name, it counts as a typo of it only if (measured with
# benchmarks/matching_speed.py; each rule removed wrong attachments of absent artists):
# - both have at least this many characters without spaces: one edit in a shorter name is as
#   likely another artist ("Lorde" → "Lord") as a typo;
MIN_TYPO_CHARS = 6
# - the first letter and the digits are the same, and the difference is not a plural "s"
#   ("Illenium" is not "Millenium", "Sum 41" not "Sum 42", "Zombie" not "The Zombies");
# - the catalog artist has this many listeners: a near-miss of an artist 1 or 2 of the 1,892
#   users played ("Daniel Caesar" → "Daniel  Cassar") is more likely another artist. (Search still
#   finds those through its fuzzy tier.)
MIN_TYPO_LISTENERS = 3
# Longer queries cannot be an artist name (the longest catalog name has 102 characters).
MAX_QUERY_CHARS = 300
MAX_LIMIT = 1000
# Search's fuzzy tier: fuzz.ratio (whole-string similarity). Not WRatio or token_set_ratio:
# their partial matching scores any contained fragment 100, so "a" or "dio" would match everything.
FUZZY_CUTOFF = 75
MIN_FUZZY_CHARS = 3

# Search scores: tiers are bands, so sorting by score keeps every tier above the next.
SCORE_VERBATIM = 100  # same text as typed, case included
SCORE_FOLDED = 98  # same folded key: case, accents, punctuation or a leading "The" differ
SCORE_OTHER_NAME = 95  # same folded key as an alias or a Latin reading ("tvxq" → 東方神起)
SCORE_NEAR = 90  # the typed text (or kana/Hangul being typed) starts the name, or is one typo off
SCORE_OTHER_START = 85  # the typed text starts an alias or a Latin reading ("hamasaki" → 浜崎)
SCORE_WORD_PREFIX = 80  # the typed text starts a later word of the name ("bjork" → Brant Bjork)
FUZZY_SCALE = 0.79  # fuzzy ratio 75–100 maps to 59–79


@dataclass(frozen=True, slots=True)
class Match:
    """One catalog artist found for a query; score 0–100 says how close (100 = same text)."""

    artist_id: int
    name: str
    score: int
    listeners: int
    known_as: str | None = None  # the alias or reading the query found, as written


def _one_edit_index(typo_keys: list[set[str]]) -> dict[str, list[int]]:
    """Each key and its one-letter deletions → positions (a symmetric-deletion index: two strings
    one edit apart always share the key itself or a one-letter deletion)."""
    index: dict[str, list[int]] = {}
    for position, keys in enumerate(typo_keys):
        for key in keys:
            for variant in {key, *_single_deletions(key)}:
                index.setdefault(variant, []).append(position)
    return index


def _single_deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def _is_typo(typed: str, key: str) -> bool:
    """One edit apart, and none of the differences that usually mean another artist."""
    return (
        OSA.distance(typed, key, score_cutoff=1) == 1
        and typed[0] == key[0]
        and _digits(typed) == _digits(key)
        and not _plural_of(typed, key)
        and not _plural_of(key, typed)
    )


def _plural_of(one: str, other: str) -> bool:
    """Zombies is the plural of Zombie; "sigurross" is a typo of "sigurros", not a plural."""
    return other == one + "s" and not one.endswith("s")


def _digits(key: str) -> str:
    return "".join(c for c in key if c.isdigit())


class ArtistMatcher:
    """Finds catalog artists for typed or uploaded names; build once per catalog (< 1 s)."""

    def __init__(
        self,
        names: pd.Series,
        listeners: pd.Series,
        offered: pd.Series | None = None,
        aliases: pd.Series | None = None,
    ) -> None:
        """names: artist_id → name; listeners: artist_id → listener count (missing = 0), ranks
        ties; offered: artist_id → bool, False hides an artist (junk, duplicate) from this matcher;
        aliases: artist_id → other names (list[str]; the catalog's ``aliases``), for search.
        """
        if not isinstance(names, pd.Series) or not isinstance(listeners, pd.Series):
            raise RecommenderInputError(
                "ArtistMatcher needs pandas Series: names and listeners indexed by artist_id."
            )
        if offered is not None:
            keep = offered.reindex(names.index).fillna(True).astype(bool)
            names = names[keep.to_numpy()]
        bad = [i for i, n in names.items() if not isinstance(n, str)]
        if bad:
            raise RecommenderInputError(f"Artist names must be text; artist ids {bad[:5]} are not.")
        counts = pd.to_numeric(listeners, errors="coerce").reindex(names.index).fillna(0)
        self._ids = names.index.to_numpy(dtype=np.int64)
        self._names: list[str] = names.tolist()
        self._listeners = counts.to_numpy(dtype=np.int64)
        self._spaced: list[str] = []
        self._exact: dict[str, list[int]] = {}
        self._verbatim: dict[str, list[int]] = {}
        self._typo_keys: list[set[str]] = []
        name_prefix: list[tuple[str, int]] = []
        word_prefix: list[tuple[str, int]] = []
        for position, name in enumerate(self._names):
            with_article = fold_keeping_article(name)
            spaced = without_article(with_article)
            keys = catalog_keys(name)
            self._spaced.append(spaced)
            for key in {spaced, *keys}:
                self._exact.setdefault(key, []).append(position)
            self._verbatim.setdefault(verbatim(name), []).append(position)
            name_prefix.extend((key, position) for key in {*keys, compact(with_article)})
            words = spaced.split()
            word_prefix.extend(("".join(words[i:]), position) for i in range(1, len(words)))
            typo_target = self._listeners[position] >= MIN_TYPO_LISTENERS
            self._typo_keys.append({k for k in keys if typo_target and len(k) >= MIN_TYPO_CHARS})
        for positions in (*self._exact.values(), *self._verbatim.values()):
            positions.sort(key=lambda p: -self._listeners[p])
        self._name_prefix = PrefixIndex(name_prefix)
        self._word_prefix = PrefixIndex(word_prefix)
        self._one_edit = _one_edit_index(self._typo_keys)
        known = aliases.reindex(names.index) if aliases is not None else [None] * len(names)
        self._other = OtherSpellings(
            self._names, [[str(a) for a in each] if _is_list(each) else [] for each in known]
        )

    def __len__(self) -> int:
        return len(self._names)

    def search(self, query: str, limit: int = 20) -> list[Match]:
        """Artists for a picker: same name, then same alias or reading, then names starting with
        (or one typo from) the text, then aliases or readings starting with it, then a later word
        starting with it, then fuzzy look-alikes; ties go to more listeners."""
        _check_text(query, "query")
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
            raise RecommenderInputError(
                f"limit must be an integer from 1 to {MAX_LIMIT}, got {limit!r}."
            )
        if len(query) > MAX_QUERY_CHARS or not query.strip():
            return []
        with_article = fold_keeping_article(query)
        spaced = without_article(with_article)
        key = compact(spaced)
        found: dict[int, float] = {}
        other: set[int] = set()  # found through an alias or a reading

        def add(positions: Iterable[int], score: float, via_other: bool = False) -> None:
            fresh = np.setdiff1d(np.fromiter(positions, dtype=np.int64), list(found))
            ranked = fresh[np.argsort(-self._listeners[fresh], kind="stable")]
            for position in ranked[: limit - len(found)].tolist():
                found[position] = score
                if via_other:
                    other.add(position)

        add(self._verbatim.get(verbatim(query), ()), SCORE_VERBATIM)
        add([*self._exact.get(spaced, ()), *self._exact.get(key, ())], SCORE_FOLDED)
        add(self._other.same(key), SCORE_OTHER_NAME, via_other=True)
        if len(found) < limit:
            # "the b" starts "The Beatles" (not every "B..."); "beatles" starts it too.
            start = self._name_prefix.starting_with(compact(with_article))
            typed = self._other.typed_starting_with(query)
            add([*start, *self._typos(key), *typed], SCORE_NEAR)
        if len(found) < limit:
            add(self._other.starting_with(key), SCORE_OTHER_START, via_other=True)
        if len(found) < limit:
            add(self._word_prefix.starting_with(key), SCORE_WORD_PREFIX)
        if len(found) < limit:
            add(self._other.word_starting_with(key), SCORE_WORD_PREFIX, via_other=True)
        if len(found) < limit and len(key) >= MIN_FUZZY_CHARS:
            fuzzy = process.extract(
                spaced,
                self._spaced,
                scorer=fuzz.ratio,
                score_cutoff=FUZZY_CUTOFF,
                limit=limit + len(found),
            )
            for _choice, ratio, position in fuzzy:
                if len(found) < limit:
                    found.setdefault(position, ratio * FUZZY_SCALE)
        ranked = sorted(found.items(), key=lambda item: (-item[1], -self._listeners[item[0]]))
        return [
            self._match(p, score, self._other.known_as(p, query) if p in other else None)
            for p, score in ranked
        ]

    def match(self, name: str) -> Match | None:
        """The one artist a free-text name means, or None when none is close enough.

        Same folded key → that artist (the most listened one among case-only duplicates). Else,
        for names of MIN_TYPO_CHARS or more, a single typo (one letter added, missing, replaced or
        two swapped, digits untouched) of exactly one catalog name. Nothing else attaches.
        """
        _check_text(name, "name")
        if len(name) > MAX_QUERY_CHARS:
            return None
        spaced = fold(name)
        key = compact(spaced)
        exact = self._exact.get(spaced) or self._exact.get(key)
        if exact:
            return self._match(exact[0], 100)
        if not key.strip():
            return None
        candidates = self._typos(key)
        if not candidates:
            return None
        if len({compact(self._spaced[p]) for p in candidates}) > 1:
            return None  # two artists are one typo away: guessing would attach the wrong one
        best = max(candidates, key=lambda p: self._listeners[p])
        return self._match(best, round(fuzz.ratio(key, compact(self._spaced[best]))))

    def match_many(self, names: Iterable[str]) -> list[Match | None]:
        """`match` for every name, in order; repeated spellings are decided once."""
        if isinstance(names, str):
            raise RecommenderInputError("match_many takes a list of names, not one name.")
        decided: dict[str, Match | None] = {}
        results: list[Match | None] = []
        for name in names:
            if name not in decided:
                decided[name] = self.match(name)
            results.append(decided[name])
        return results

    def _typos(self, key: str) -> list[int]:
        """Positions of the typo targets (see MIN_TYPO_CHARS) one edit away from key."""
        if len(key) < MIN_TYPO_CHARS or len(key) > MAX_QUERY_CHARS:
            return []
        seen: set[int] = set()
        for variant in (key, *_single_deletions(key)):
            seen.update(self._one_edit.get(variant, ()))
        return [
            position
            for position in seen
            if any(_is_typo(key, k) for k in self._typo_keys[position])
        ]

    def _match(self, position: int, score: float, known_as: str | None = None) -> Match:
        return Match(
            artist_id=int(self._ids[position]),
            name=self._names[position],
            score=round(float(score)),
            listeners=int(self._listeners[position]),
            known_as=known_as,
        )


def _check_text(value: object, what: str) -> None:
    if not isinstance(value, str):
        raise RecommenderInputError(
            f"The {what} must be text (an artist name), got {type(value).__name__}."
        )


def _is_list(value: object) -> bool:
    return isinstance(value, (list, tuple, np.ndarray))
