"""Names in any alphabet on the real catalog: search finds an artist by the names people type
(romanised readings, aliases from the tags, partly typed Hangul and kana), while naming an
artist on Recommend stays exact, and look-alikes in other scripts are refused."""

from __future__ import annotations

import pandas as pd
import pytest

from recommenders.aliases import artist_aliases
from recommenders.errors import RecommenderInputError
from recommenders.matching import ArtistMatcher
from recommenders.names import ArtistNames

SHOWN = 12  # what the picker shows while typing (ui.inputs.search_choices)

# What an input method shows after each key, typing the finished name (2-set Korean keyboard;
# Japanese romaji input, then the conversion). A first lone Latin letter still waiting to become
# kana ("g") is left out: nothing tells it from the start of a Latin name.
TYPED_STATES = {
    "동방신기": ["ㄷ", "도", "동", "동ㅂ", "동바", "동방", "동방ㅅ", "동방시", "동방신", "동방신ㄱ",
                 "동방신기"],
    "소녀시대": ["ㅅ", "소", "손", "소녀", "소녀ㅅ", "소녀시", "소녀싣", "소녀시대"],
    "いきものがかり": ["い", "いk", "いき", "いきm", "いきも", "いきもn", "いきもの", "いきものg",
                       "いきものが", "いきものがk", "いきものがか", "いきものがかr",
                       "いきものがかり"],
    "ギルガメッシュ": ["ぎ", "ぎr", "ぎる", "ぎるが", "ぎるがめ", "ぎるがめっ", "ぎるがめっs",
                       "ぎるがめっしゅ", "ギルガメッシュ"],
    "東方神起": ["とう", "とうほ", "とうほう", "とうほうし", "とうほうしn", "とうほうしん",
                 "とうほうしんき", "東方神起"],
}  # fmt: skip


@pytest.fixture(scope="module")
def catalog(lastfm_data) -> tuple[pd.Series, pd.Series, pd.Series]:
    names = lastfm_data.artists.set_index("artist_id")["name"]
    listeners = lastfm_data.user_artists.groupby("artist_id").size()
    return names, listeners, artist_aliases(lastfm_data, names)


@pytest.fixture(scope="module")
def resolver(catalog) -> ArtistNames:
    names, listeners, aliases = catalog
    return ArtistNames(names, listeners, aliases=aliases)


@pytest.fixture(scope="module")
def matcher(catalog) -> ArtistMatcher:
    names, listeners, aliases = catalog
    return ArtistMatcher(names, listeners, aliases=aliases)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("tvxq", {"동방신기", "東方神起"}),  # the same group, Korean and Japanese names
        ("dong bang shin", {"동방신기"}),
        ("ayumi hamasaki", {"浜崎あゆみ"}),
        ("東方神起", {"東方神起"}),
        ("동방신기", {"동방신기"}),
        ("소녀시대", {"소녀시대"}),
        ("snsd", {"소녀시대"}),
        ("girls generation", {"소녀시대"}),
        ("koda kumi", {"倖田來未"}),
        ("utada hikaru", {"宇多田ヒカル"}),
        ("tokyo jihen", {"東京事変"}),
        ("ryuichi sakamoto", {"Ryuichi Sakamoto", "坂本龍一"}),
        ("korol i shut", {"Король и Шут"}),
        ("zemfira", {"Zемфира"}),
        ("anna vissi", {"Άννα Βισση"}),
        ("faye wong", {"王菲"}),
        ("rhcp", {"Red Hot Chili Peppers"}),
    ],
)
def test_the_names_people_type_find_the_artist_first(matcher, typed, meant):
    assert matcher.search(typed, SHOWN)[0].name in meant


@pytest.mark.parametrize(("name", "states"), TYPED_STATES.items())
def test_every_state_of_an_input_method_suggests_the_name(matcher, name, states):
    for typed in states:
        shown = [m.name for m in matcher.search(typed, SHOWN)]
        assert name in shown, (typed, shown)


def test_a_match_by_another_spelling_says_which(matcher):
    first = matcher.search("tvxq", SHOWN)[0]
    assert first.known_as == "TVXQ!" and first.score < 100
    reading = next(m for m in matcher.search("hamasaki", SHOWN) if m.name == "浜崎あゆみ")
    assert "hamasaki" in reading.known_as.casefold()
    assert matcher.search("Radiohead", SHOWN)[0].known_as is None  # its own name


def test_a_latin_name_stays_above_a_reading_that_equals_it(matcher, catalog):
    found = [m.name for m in matcher.search("ryuichi sakamoto", SHOWN)]
    assert found.index("Ryuichi Sakamoto") < found.index("坂本龍一")


@pytest.mark.parametrize(
    "typed",
    ["tvxq", "Kino", "korol i shut", "ayumi hamasaki", "Dongbangsingi", "Zemfira", "rhcp"],
)
def test_readings_and_aliases_never_decide_an_artist(matcher, typed):
    """match() serves uploaded histories and names given on Recommend: only exact names (up to
    case, accents and punctuation) or one-letter typos attach there, never another spelling."""
    found = matcher.match(typed)
    assert found is None or found.name.isascii(), found


@pytest.mark.parametrize(
    ("look_alike", "latin"),
    [
        ("Мuse", "Muse"),  # Cyrillic М
        ("ΑΒΒΑ", "ABBA"),  # Greek capitals
        ("КоЯn", "Korn"),
        ("Ρink Floyd", "Pink Floyd"),  # Greek Ρ
        ("Мetallica", "Metallica"),  # Cyrillic М: one letter off, a typo at most
    ],
)
def test_look_alikes_in_other_scripts_are_refused_on_recommend(resolver, look_alike, latin):
    with pytest.raises(RecommenderInputError, match="Unknown artist"):
        resolver.resolve([look_alike])
    assert resolver.resolve([latin])  # while the Latin name itself resolves


def test_an_alias_typed_on_recommend_is_a_suggestion(resolver):
    with pytest.raises(RecommenderInputError, match="Did you mean '동방신기'") as info:
        resolver.resolve(["tvxq"])
    assert info.value.suggestions[0][0] == "tvxq"


def test_without_aliases_readings_still_find_names_in_other_scripts(catalog):
    names, listeners, _ = catalog
    plain = ArtistMatcher(names, listeners)  # a bundle written before the aliases column
    assert plain.search("korol i shut", SHOWN)[0].name == "Король и Шут"
    assert "東方神起" not in [m.name for m in plain.search("tvxq", SHOWN)]  # an alias, from data


def test_the_bundle_suggests_by_alias_and_says_which(fast_bundle):
    assert fast_bundle.search_suggestions("tvxq", 3)[0] == ("동방신기", "TVXQ!")
    assert fast_bundle.search_artists("ayumi hamasaki")[0] == "浜崎あゆみ"
    assert "aliases" in fast_bundle.catalog.columns


def test_a_bundle_written_before_the_aliases_column_still_loads(fast_bundle_dir, tmp_path):
    import json
    import shutil

    import recommenders
    from recommenders.artifacts import CATALOG, MANIFEST, write_manifest

    old = tmp_path / "old"
    shutil.copytree(fast_bundle_dir, old)
    catalog = pd.read_parquet(old / CATALOG)
    catalog.drop(columns="aliases").to_parquet(old / CATALOG)
    fields = json.loads((old / MANIFEST).read_text())
    write_manifest(old, {k: v for k, v in fields.items() if k not in {"files", "format_version"}})
    bundle = recommenders.load(old)
    assert "aliases" not in bundle.catalog.columns
    assert bundle.search_artists("korol i shut")[0] == "Король и Шут"  # readings need no column
    assert bundle.search_suggestions("Radiohead", 1) == [("Radiohead", None)]
