"""Other names of catalog artists, the ones people type: from the Last.fm tags, and a short
reviewed list for artists the data names only in their own script.

A tag is an alias of artist A when the data says so on three counts (`tag_aliases`):
- it is about A: at least MIN_SHARE of the (user, artist) pairs that carry it are on A;
- it spells A's name: either it is close to a Latin reading of A's name (`romanise`; token order
  free, similarity ≥ MIN_READING_SIMILARITY: "ayumi hamasaki" on 浜崎あゆみ, "namie amuro" on
  安室奈美恵, "morning musume" on モーニング娘。), or it is the initials of a name of several words
  ("rhcp", "soad", "30stm"); a genre, an album or a nickname spells neither;
- it is not a catalog name itself (an alias never shadows another artist, and A's own name
  needs no alias).
One user is enough: the spelling test is the evidence; on the 2011 data it keeps 24 tags, none
of them wrong (see tests/test_name_keys.py). Aliases only make search suggest A; naming an artist
on Recommend stays exact (up to case and accents).
"""

from __future__ import annotations

import pandas as pd
from rapidfuzz import fuzz

from recommenders.data import LastfmData
from recommenders.romanise import readings
from recommenders.text import compact, fold, fold_keeping_article

MIN_SHARE = 0.8
MIN_USERS = 1
MIN_READING_SIMILARITY = 80
MIN_INITIALS = 3

# Latin names the artists themselves use (official romanisations, English names), for artists
# whose catalog name is in another script and whose common name no reading gives. Reviewed by
# hand; tests/test_name_keys.py checks every name is in the catalog and no alias is another's name.
KNOWN_AS: dict[str, tuple[str, ...]] = {
    "東方神起": ("TVXQ!", "DBSK", "Tohoshinki", "Dong Bang Shin Ki"),
    "동방신기": ("TVXQ!", "DBSK", "Tohoshinki", "Dong Bang Shin Ki"),
    "소녀시대": ("Girls' Generation", "SNSD"),
    "빅뱅": ("BIGBANG",),
    "이효리": ("Lee Hyori",),
    "백지영": ("Baek Ji-young",),
    "윤하": ("Younha",),
    "나르샤": ("Narsha",),
    "Сплин": ("Splean",),
    "Океан Ельзи": ("Okean Elzy",),
    "中島美嘉": ("Mika Nakashima",),
    "久石譲": ("Joe Hisaishi",),
    "光田康典": ("Yasunori Mitsuda",),
    "王菲": ("Faye Wong",),
    "蔡依林": ("Jolin Tsai",),
    "林俊傑": ("JJ Lin",),
    "孫燕姿": ("Stefanie Sun",),
}


def artist_aliases(data: LastfmData, names: pd.Series) -> pd.Series:
    """artist_id → aliases (list[str], empty for most artists): `tag_aliases` then `KNOWN_AS`,
    without any alias that is a catalog name."""
    taken = {compact(fold(name)) for name in names}
    found: dict[int, list[str]] = {}
    for artist_id, tag in tag_aliases(data, names):
        found.setdefault(artist_id, []).append(tag)
    for artist_id, name in names.items():
        for alias in KNOWN_AS.get(name, ()):
            found.setdefault(int(artist_id), []).append(alias)
    return pd.Series(
        [
            list(dict.fromkeys(a for a in found.get(int(i), []) if compact(fold(a)) not in taken))
            for i in names.index
        ],
        index=names.index,
        dtype=object,
    )


def tag_aliases(data: LastfmData, names: pd.Series) -> list[tuple[int, str]]:
    """(artist_id, tag) for every tag that names its artist (see the module docstring)."""
    tagged = data.user_tagged_artists.merge(data.tags, on="tag_id")
    tagged = tagged[tagged["artist_id"].isin(names.index)]
    users = tagged.groupby(["tag", "artist_id"])["user_id"].nunique().rename("users")
    pairs = users.reset_index()
    share = pairs["users"] / pairs.groupby("tag")["users"].transform("sum")
    pairs = pairs[(share >= MIN_SHARE) & (pairs["users"] >= MIN_USERS)]
    taken = {compact(fold(name)) for name in names}
    pairs = pairs[[compact(fold(t)) not in taken for t in pairs["tag"]]]
    ids = list(dict.fromkeys(int(i) for i in pairs["artist_id"]))
    spellings = dict(zip(ids, readings(names[ids].tolist()), strict=True))
    return [
        (int(artist_id), tag)
        for tag, artist_id in zip(pairs["tag"], pairs["artist_id"], strict=True)
        if _spells(tag, names[artist_id], spellings[int(artist_id)].latin)
    ]


def _spells(tag: str, name: str, latin_readings: tuple[str, ...]) -> bool:
    """The tag is a reading of the name, or its initials."""
    key = fold(tag)
    if any(fuzz.token_sort_ratio(key, fold(r)) >= MIN_READING_SIMILARITY for r in latin_readings):
        return True
    words = fold_keeping_article(name).split()
    initials = {
        "".join(w if w.isdigit() else w[0] for w in ws)
        for ws in (words, [w for w in words if w != "the"])
    }
    return len(words) >= 2 and len(compact(key)) >= MIN_INITIALS and compact(key) in initials
