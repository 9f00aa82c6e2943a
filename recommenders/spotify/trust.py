"""When a name match may be believed: unique name, and Spotify genres that agree with the tags.

Exact names collide: the seed's "Adolescents" play salsa, Last.fm's Adolescents are a hardcore
punk band. A match is "trusted" only when
- the accent-folded name is unique in the seed (one genre list behind it, not counting rows
  that hold another artist's genres: `seed.borrowed_rows`), and
- its Spotify genres share a family with the artist's Last.fm tags (`families`), or, when either
  side says nothing (no tags, no recognised genre or tag), the name is distinctive: two or more
  words besides a leading article, or one word of at least 8 characters, or not Latin script.
  A one-word Latin name of 7 letters or fewer (Air, Beck, Live, Texas, Berlin, Justice) is
  too often a common word, a place or a first name to be believed without that evidence.
Everything else is "ambiguous": no genres, image or artist page are shown for it.
"""

from __future__ import annotations

from collections.abc import Sequence

from recommenders.spotify.families import genre_families, tag_families
from recommenders.text import accent_free

TRUSTED = "trusted"
AMBIGUOUS = "ambiguous"

ARTICLES = frozenset({"the", "a", "an", "die", "der", "das", "la", "le", "les", "los", "el", "il"})
MIN_SINGLE_WORD = 8  # letters a lone Latin-script word needs to be trusted without evidence


def is_distinctive(name: str) -> bool:
    """A name unlikely to be shared by unrelated artists (see the module docstring)."""
    words = accent_free(name).split()
    if words and words[0] in ARTICLES and len(words) > 1:
        words = words[1:]
    if len(words) >= 2:
        return True
    word = "".join(words)
    if any(c.isalpha() and not c.isascii() for c in word):
        return True  # Cyrillic, CJK, ...: no English-word collisions
    return len(word) >= MIN_SINGLE_WORD


def genres_agree(genres: Sequence[str], tags: Sequence[str]) -> bool | None:
    """True / False when both sides name a family, None when one side gives no evidence."""
    spotify, lastfm = genre_families(genres), tag_families(tags)
    if not spotify or not lastfm:
        return None
    return bool(spotify & lastfm)


def judge_seed(name: str, candidates: Sequence[Sequence[str]], tags: Sequence[str]) -> str:
    """TRUSTED or AMBIGUOUS for a seed match with these distinct genre lists behind the name."""
    if len(candidates) != 1:
        return AMBIGUOUS
    agree = genres_agree(candidates[0], tags)
    if agree is None:
        agree = is_distinctive(name)
    return TRUSTED if agree else AMBIGUOUS


def judge_api(genres: Sequence[str], tags: Sequence[str]) -> str:
    """A live match already passed the name-similarity threshold: only a disagreement rejects it."""
    return AMBIGUOUS if genres_agree(genres, tags) is False else TRUSTED
