"""Catalog cleaning by adding columns, never by deleting rows: the raw names stay resolvable.

- `junk_reason`: why a name is not a real artist of its own (NA when it is), one of REASONS:
  "url" (a download site in the name), "mojibake" (broken encoding or one stray symbol or CJK
  character glued to a known Latin name: "Britney Spears씨"), "collaboration" (a main artist
  that exists on its own plus a guest: "Lady GaGa Ft. Beyoncé"), "release" (an album, live
  recording or compilation written as an artist: "Daft Punk, Alive 2007 (live)"), "alias"
  (a known artist with an "(aka ...)" note: "Squarepusher (aka Tom Jenkinson)").
- `same_as`: the id of the most listened spelling among names equal after NFKC + casefold.
- `offered`: clean and its own main spelling: what pickers and recommendation lists may show.
- `lastfm_urls`: the 2011 links, with the double percent-encoding of some of them undone once.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, unquote_plus

import pandas as pd

from recommenders.text import normalise

REASONS = ("url", "mojibake", "collaboration", "release", "alias")

_URL = re.compile(
    r"www\.|https?:|\b[\w-]{2,}\.(?:com|net|org|ru|br|to|pk|am|mn|info|biz)\b"
    r"|\bblogspot\b|\.mus\.br",
    re.IGNORECASE,
)
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|â€|\ufffd")
_GUEST = re.compile(r"[\s(\[]+(?:feat\.?|ft\.|featuring|(?P<vs>vs\.?))\s+", re.IGNORECASE)
_JOIN = re.compile(r"\s+(?:&|and|\+)\s+|\s*,\s+", re.IGNORECASE)
_RELEASE = re.compile(
    r"\(live\b|\blive (?:at|in|from)\b|\bao vivo\b|\bunplugged\b|greatest hits|discograph"
    r"|\bbest of\b|colet[aâ]nea|cole[cç][aã]o|\(acoustic cover\)|\((?:[^)]*\s)?(?:19|20)\d\d\)",
    re.IGNORECASE,
)
_ALIAS = re.compile(r"\s*\(aka\s.*\)\s*$", re.IGNORECASE)
_TITLE_SEPARATOR = re.compile(r"\s+-\s*")
# Real acts whose name looks like "artist - title" (checked by eye on the 2011 names).
ACTS_WITH_A_DASH = frozenset({"diddy - dirty money"})
MIN_SINGLE_WORD = 6  # a one-word part shorter than this ("She", "Alpha") may be another act


def junk_reasons(names: pd.Series) -> pd.Series:
    """artist_id → reason (REASONS) a name is junk, NA when clean; first reason that applies."""
    known = set(names.map(normalise))
    reasons = [_reason(str(name), known) for name in names]
    return pd.Series(reasons, index=names.index, dtype="string", name="junk_reason")


def _reason(name: str, known: set[str]) -> str | None:
    if _URL.search(name):
        return "url"
    if _MOJIBAKE.search(name) or _glued_stray_character(name, known):
        return "mojibake"
    if _duplicates_main_artist(name, known):
        return "collaboration"
    if _RELEASE.search(name) or _artist_dash_title(name, known):
        return "release"
    alias = _ALIAS.search(name)
    if alias and normalise(name[: alias.start()]) in known:
        return "alias"
    return None


def _is_latin(text: str) -> bool:
    """Only Latin-script letters, digits, spaces and punctuation (accents included)."""
    return all(ord(c) < 0x250 or unicodedata.combining(c) for c in text)


def _glued_stray_character(name: str, known: set[str]) -> bool:
    """A Latin name + one CJK/Hangul/private-use character glued on, or + a symbol when the
    rest is a known artist ("Britney Spears㞦", "Britney Spears⊼"; not "MC 몽" or "Atom™")."""
    text = name.rstrip()
    if len(text) < 2 or not _is_latin(text[:-1]):
        return False
    last, rest = text[-1], text[:-1]
    if ord(last) < 0x250:
        return False
    category = unicodedata.category(last)
    if category in ("Co", "Cn") or (category == "Lo" and not rest[-1].isspace()):
        return True  # private use / unassigned, or an ideograph glued to a Latin word
    return category.startswith("S") and normalise(rest) in known


def _distinctive(part: str) -> bool:
    """Two or more words, or one long word: unlikely to be an unrelated act's name."""
    words = part.split()
    return len(words) >= 2 or len(part) >= MIN_SINGLE_WORD


def _duplicates_main_artist(name: str, known: set[str]) -> bool:
    """Main feat. guest" / "Main vs. other" where Main is a catalog artist, or "A & B" where
    every part is a distinctive catalog artist and none is a backing band ("& The Wailers")."""
    own = normalise(name)
    guest = _GUEST.search(name)
    if guest:
        main = normalise(name[: guest.start()].strip(" -,(["))
        if main in known and main != own and (not guest["vs"] or _distinctive(main)):
            return True
    parts = [normalise(p) for p in _JOIN.split(name)]
    if len(parts) < 2 or any(p.startswith("the ") for p in parts[1:]):
        return False
    return all(p in known and p != own and _distinctive(p) for p in parts)


def _artist_dash_title(name: str, known: set[str]) -> bool:
    """Rush - Signals: a catalog artist, a dash, then an album or track title."""
    pieces = _TITLE_SEPARATOR.split(name, maxsplit=1)
    if len(pieces) < 2 or not pieces[1].strip() or normalise(name) in ACTS_WITH_A_DASH:
        return False
    main = normalise(pieces[0])
    return main in known and main != normalise(name)


def same_as(names: pd.Series, listeners: pd.Series, plays: pd.Series) -> pd.Series:
    """artist_id → id of the most listened spelling among names equal after NFKC + casefold
    (ties: more plays, then smaller id); an artist's own id when it is that spelling."""
    frame = pd.DataFrame(
        {"key": names.map(normalise), "listeners": listeners, "plays": plays, "id": names.index}
    )
    ranked = frame.sort_values(["key", "listeners", "plays", "id"], ascending=[1, 0, 0, 1])
    main = ranked.groupby("key", sort=False)["id"].first()
    return frame["key"].map(main).astype("int64").rename("same_as")


def offered(junk_reason: pd.Series, same: pd.Series) -> pd.Series:
    """True for a clean name that is its own main spelling."""
    own = pd.Series(same.index, index=same.index)
    return (junk_reason.isna() & same.eq(own)).astype(bool).rename("offered")


LASTFM_PREFIX = re.compile(r"^https?://www\.last\.fm/music/(\+noredirect/)?")


def lastfm_urls(names: pd.Series, urls: pd.Series) -> pd.Series:
    """https artist pages; a path percent-encoded twice (AC%252FDC) is decoded once (AC%2FDC).

    A path counts as double-encoded only when decoding it once more is what gives back the name,
    so a once-encoded name holding "%" or "+" is left alone.
    """

    def fix(name: str, url: str) -> str:
        match = LASTFM_PREFIX.match(url)
        if match is None:
            return url.replace("http://", "https://", 1)
        head, path = match.group(0), url[match.end() :]
        if unquote_plus(path) != name and unquote_plus(unquote(path)) == name:
            path = unquote(path)
        return head.replace("http://", "https://", 1) + path

    fixed = [fix(str(n), str(u)) for n, u in zip(names, urls, strict=True)]
    return pd.Series(fixed, index=names.index, name="lastfm_url")


def add_cleaning_columns(catalog: pd.DataFrame) -> pd.DataFrame:
    """The catalog (name, listeners, plays) with junk_reason, same_as and offered added."""
    catalog = catalog.copy()
    catalog["junk_reason"] = junk_reasons(catalog["name"])
    catalog["same_as"] = same_as(catalog["name"], catalog["listeners"], catalog["plays"])
    catalog["offered"] = offered(catalog["junk_reason"], catalog["same_as"])
    return catalog
