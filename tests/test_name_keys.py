"""The name keys (recommenders.text), Latin readings of other scripts (recommenders.romanise)
and the aliases the data gives (recommenders.aliases)."""

from __future__ import annotations

import pytest

from recommenders.aliases import KNOWN_AS, artist_aliases, tag_aliases
from recommenders.romanise import readings
from recommenders.text import accent_free, compact, fold, typing_key, typing_keys_of_query


@pytest.mark.parametrize(
    ("one", "other"),
    [("ガゼット", "カセット"), ("バンド", "ハンド"), ("ポルノ", "ホルノ"), ("Йо", "Ио")],
)
def test_voicing_marks_and_cyrillic_short_i_are_letters_not_accents(one, other):
    assert accent_free(one) != accent_free(other)
    assert fold(one) != fold(other)


@pytest.mark.parametrize(
    ("name", "key"),
    [("Sigur Rós", "sigur ros"), ("Άννα Βισση", "αννα βισση"), ("Ёлка", "елка"),
     ("동방신기", "동방신기"), ("ＲＥＤ", "red"), ("Björk", "bjork")],
)  # fmt: skip
def test_accent_free_drops_accents_of_latin_and_greek_and_the_dots_of_yo(name, key):
    assert accent_free(name) == key


def test_every_key_of_a_hangul_input_method_is_a_prefix_of_the_finished_name():
    name = typing_key("소녀시대")
    for state in ["ㅅ", "소", "손", "소녀", "소녀ㅅ", "소녀시", "소녀싣", "소녀시대"]:
        assert name.startswith(typing_key(state)), state
    assert typing_key("과").startswith(typing_key("고"))  # ㅘ is typed ㅗ then ㅏ
    assert typing_key("닭") == typing_key("달ㄱ")  # a double final is two keys


def test_kana_keys_ignore_the_kana_script_and_keep_voicing_marks():
    assert typing_key("ぎるがめ") == typing_key("ギルガメ")
    assert typing_key("ギルガメッシュ").startswith(typing_key("キ"))  # ギ is キ + a mark
    assert not typing_key("カセット").startswith(typing_key("ガ"))
    assert typing_keys_of_query("ぎるがめっs")[-1] == typing_key("ぎるがめっ")  # romaji pending


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("東方神起", {"Touhou Shinki", "Toho Shinki"}),
        ("浜崎あゆみ", {"Hamazaki Ayumi", "Ayumi Hamazaki"}),
        ("坂本龍一", {"Sakamoto Ryuichi", "Ryuichi Sakamoto"}),
        ("いきものがかり", {"Ikimonogakari"}),
        ("ギルガメッシュ", {"Girugamesshu"}),
        ("アンジェラ・アキ", {"Anjera Aki"}),
        ("동방신기", {"Dongbangsingi", "Dongbangshingi"}),
        ("소녀시대", {"Sonyeosidae", "Sonyeoshidae"}),
        ("Король и Шут", {"Korol' i Shut"}),
        ("Άννα Βισση", {"Anna Vissi"}),
        ("Μιχάλης Χατζηγιάννης", {"Michalis Chatzigiannis", "Mihalis Hatzigiannis"}),
        ("王菲", {"Wang Fei"}),
    ],
)
def test_readings_spell_names_the_way_people_type_them(name, expected):
    assert expected <= set(readings([name])[0].latin)


def test_readings_skip_latin_names_and_scripts_written_without_vowels():
    assert all(not r.latin for r in readings(["Radiohead", "Björk", "עברי לידר", "عمر دياب"]))


def test_cyrillic_ch_is_not_greek_chi():
    assert readings(["Черная Экономика"])[0].latin == ("Chernaya Ekonomika",)


def test_japanese_names_also_get_their_kana_reading():
    assert readings(["東方神起"])[0].kana == ("とうほうしんき",)


@pytest.fixture(scope="module")
def names(lastfm_data):
    return lastfm_data.artists.set_index("artist_id")["name"]


def test_tags_that_spell_a_name_are_its_aliases(lastfm_data, names):
    found = {(names[i], tag) for i, tag in tag_aliases(lastfm_data, names)}
    assert {
        ("浜崎あゆみ", "ayumi hamasaki"),
        ("安室奈美恵", "namie amuro"),
        ("倖田來未", "koda kumi"),
        ("モーニング娘。", "morning musume"),
        ("Red Hot Chili Peppers", "rhcp"),
        ("System of a Down", "soad"),
        ("30 Seconds to Mars", "30stm"),
    } <= found
    # tags about one artist that do not spell it: albums, nicknames, genres, other people
    tags = {tag for _, tag in found}
    for wrong in ["king of pop", "bionic", "circus", "xtina", "love metal", "kurt cobain",
                  "linda perry", "dancing queen", "pirate metal", "friday"]:  # fmt: skip
        assert wrong not in tags


def test_no_alias_is_a_catalog_name_and_every_reviewed_name_is_in_the_catalog(lastfm_data, names):
    assert set(KNOWN_AS) <= set(names)
    aliases = artist_aliases(lastfm_data, names)
    keys = {compact(fold(n)) for n in names}
    assert not [a for each in aliases for a in each if compact(fold(a)) in keys]
    assert "TVXQ!" in aliases[names[names == "東方神起"].index[0]]
