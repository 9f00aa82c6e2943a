"""The other ways people type a catalog name, indexed for the typeahead: aliases (TVXQ for
東方神起; `recommenders.aliases`), Latin readings of names in other scripts ("Dongbangsingi";
`recommenders.romanise`) and input-method keys (동바 on the way to 동방; `text.typing_key`).

Search only: `ArtistMatcher.match` (uploaded histories, names given on Recommend) never looks
here, so a reading or an alias suggests an artist and never silently stands for one.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

from recommenders.romanise import readings
from recommenders.text import compact, fold, is_typed_by_ime, typing_key, typing_keys_of_query


class PrefixIndex:
    """Sorted (key, position) pairs: every key starting with a text is one bisect away."""

    def __init__(self, entries: list[tuple[str, int]]) -> None:
        entries.sort()
        self._keys = [key for key, _ in entries]
        self._positions = np.array([p for _, p in entries], dtype=np.int64)

    def starting_with(self, text: str) -> np.ndarray:
        if not text:
            return self._positions[:0]
        start = bisect_left(self._keys, text)
        end = bisect_left(self._keys, text + "\U0010ffff", lo=start)
        return self._positions[start:end]


class OtherSpellings:
    """Aliases and readings of the names at each position (the matcher's positions)."""

    def __init__(self, names: list[str], aliases: list[list[str]]) -> None:
        """names: the matcher's names; aliases: each name's aliases (same order)."""
        self._spellings: list[list[tuple[str, str]]] = []  # (as written, compact folded key)
        self._same: dict[str, list[int]] = {}
        whole: list[tuple[str, int]] = []
        later_words: list[tuple[str, int]] = []
        typed: list[tuple[str, int]] = []
        for position, (name, its_aliases, reading) in enumerate(
            zip(names, aliases, readings(names), strict=True)
        ):
            spellings = [(s, compact(fold(s))) for s in (*its_aliases, *reading.latin)]
            spellings = [(s, key) for s, key in spellings if key]
            self._spellings.append(spellings)
            for spelling, key in spellings:
                self._same.setdefault(key, []).append(position)
                whole.append((key, position))
                words = fold(spelling).split()
                later_words.extend(("".join(words[i:]), position) for i in range(1, len(words)))
            if is_typed_by_ime(name):
                typed.append((typing_key(name), position))
            typed.extend((typing_key(kana), position) for kana in reading.kana)
        self._whole = PrefixIndex(list(set(whole)))
        self._later_words = PrefixIndex(list(set(later_words)))
        self._typed = PrefixIndex(list(set(typed)))

    def same(self, key: str) -> list[int]:
        """Positions with an alias or reading equal to the compact folded key."""
        return self._same.get(key, [])

    def starting_with(self, key: str) -> np.ndarray:
        return self._whole.starting_with(key)

    def word_starting_with(self, key: str) -> np.ndarray:
        """An alias or reading has a later word starting with key ("ayumi" → Hamasaki Ayumi)."""
        return self._later_words.starting_with(key)

    def typed_starting_with(self, query: str) -> list[int]:
        """Names (or their kana readings) that the kana or Hangul being typed starts."""
        if not is_typed_by_ime(query):
            return []
        keys = typing_keys_of_query(query)
        return [int(p) for key in keys for p in self._typed.starting_with(key)]

    def known_as(self, position: int, query: str) -> str | None:
        """The spelling the query found at position, as written: one that shows the typed text
        when there is one ("東方神起 · TVXQ!" for "tvxq"), else the first one the key starts."""
        typed = query.strip().casefold()
        key = compact(fold(query))
        found = [
            s
            for s, k in self._spellings[position]
            if k.startswith(key) or any(w.startswith(key) for w in _later_words(s))
        ]
        showing = [s for s in found if typed in s.casefold()]
        return (showing or found or [None])[0]


def _later_words(spelling: str) -> list[str]:
    words = fold(spelling).split()
    return ["".join(words[i:]) for i in range(1, len(words))]
