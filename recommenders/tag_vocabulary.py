"""Which Last.fm tags describe music: the genre vocabulary behind cards, reasons and filters.

Last.fm tags are free text. Next to "black metal", "k-pop" and "80s", people file artists under
"seen live", "favorites", "<3" and worse, and those words used to reach every card. A tag is in
the vocabulary when
- people share it: at least MIN_USERS users gave it, to at least MIN_ARTISTS artists (one
  person's label, or a nickname given to one artist, is not a genre);
- it has a letter (no "<3", no bare year), is not in the reviewed blocklist
  (``tag_blocklist.txt``: personal lists, opinions, profanity, dates, people, moods), and
- it does not name the artist it is most often given to ("britney spears" on Britney Spears).

The catalog keeps only vocabulary tags (``genre_tags``), so every card, reason, tag filter
suggestion and tag-based metric speaks in genres, styles, places, eras, instruments and voices.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from recommenders.data import TOP_TAGS, LastfmData, top_tags
from recommenders.text import accent_free

MIN_USERS = 3
MIN_ARTISTS = 2
BLOCKLIST = Path(__file__).with_name("tag_blocklist.txt")
TOO_FEW = "too few people use it"
NO_LETTER = "an emoticon or a number"
NAMES_ITS_ARTIST = "names the artist it is given to"


@dataclass(frozen=True)
class Blocklist:
    """The reviewed blocklist: exact tags and patterns, each with the reason it is dropped."""

    exact: Mapping[str, str]
    patterns: tuple[tuple[re.Pattern[str], str], ...]

    def reason(self, tag: str) -> str | None:
        """Why ``tag`` is blocked, or None when the blocklist lets it through."""
        if tag in self.exact:
            return self.exact[tag]
        return next((why for pattern, why in self.patterns if pattern.search(tag)), None)


@dataclass(frozen=True)
class TagVocabulary:
    """The tags kept as music words, and every dropped tag with the reason it was dropped."""

    kept: frozenset[str]
    dropped: Mapping[str, str]

    def __contains__(self, tag: object) -> bool:
        return tag in self.kept

    def __len__(self) -> int:
        return len(self.kept)


def read_blocklist(path: Path = BLOCKLIST) -> Blocklist:
    """Parse the blocklist file: ``[reason]`` groups of exact tags and ``re:`` patterns."""
    exact: dict[str, str] = {}
    patterns: list[tuple[re.Pattern[str], str]] = []
    reason = "blocklisted"
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            reason = line[1:-1]
        elif line.startswith("re:"):
            try:
                patterns.append((re.compile(line[3:]), reason))
            except re.error as error:
                raise ValueError(f"{path}, line {number}: bad pattern {line!r} ({error})") from None
        else:
            exact[line.casefold()] = reason
    return Blocklist(exact, tuple(patterns))


def tag_usage(data: LastfmData) -> pd.DataFrame:
    """Per tag (index): ``users`` and ``artists`` who use it, and ``top_artist``, the artist_id
    most users gave it to (ties to the lower id). Tags nobody used are left out."""
    tagged = data.user_tagged_artists.merge(data.tags, on="tag_id", how="inner")
    pairs = tagged.groupby(["tag", "artist_id"])["user_id"].nunique().rename("users")
    pairs = pairs.reset_index().sort_values(["tag", "users", "artist_id"], ascending=[1, 0, 1])
    usage = tagged.groupby("tag").agg(
        users=("user_id", "nunique"), artists=("artist_id", "nunique")
    )
    usage["top_artist"] = pairs.drop_duplicates("tag").set_index("tag")["artist_id"]
    return usage


def tag_vocabulary(data: LastfmData, blocklist: Blocklist | None = None) -> TagVocabulary:
    """Split every tag of ``data`` into music words (kept) and the rest (dropped, with why)."""
    blocklist = blocklist or read_blocklist()
    usage = tag_usage(data)
    names = data.artists.set_index("artist_id")["name"].map(accent_free)
    artist_name = usage["top_artist"].map(names)
    kept: set[str] = set()
    dropped: dict[str, str] = {}
    for tag in data.tags["tag"]:
        why = _why_dropped(tag, usage, artist_name, blocklist)
        if why is None:
            kept.add(tag)
        else:
            dropped[tag] = why
    return TagVocabulary(frozenset(kept), dropped)


def _why_dropped(
    tag: str, usage: pd.DataFrame, artist_name: pd.Series, blocklist: Blocklist
) -> str | None:
    if tag not in usage.index:
        return TOO_FEW
    users, artists = usage.at[tag, "users"], usage.at[tag, "artists"]
    if users < MIN_USERS or artists < MIN_ARTISTS:
        return TOO_FEW
    if not any(c.isalpha() for c in tag):
        return NO_LETTER
    why = blocklist.reason(tag.casefold())
    if why is not None:
        return why
    if artist_name.get(tag) == accent_free(tag):
        return NAMES_ITS_ARTIST
    return None


def genre_vocabulary(data: LastfmData) -> frozenset[str]:
    """The tags that describe music (see the module docstring): what cards, reasons, the tag
    filter, taste metrics and genre probes may use."""
    return tag_vocabulary(data).kept


def genre_tags(
    data: LastfmData, n: int = TOP_TAGS, vocabulary: frozenset[str] | None = None
) -> pd.Series:
    """artist_id → its ``n`` most given vocabulary tags (by distinct users, ties by tag name)."""
    vocabulary = genre_vocabulary(data) if vocabulary is None else vocabulary
    return top_tags(data, n, only=vocabulary)
