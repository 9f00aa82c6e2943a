"""Japanese readings are data: the committed table (recommenders/japanese_readings.tsv) is what
Sudachi gives for the catalog (tools.japanese_readings, a development tool), and search reads
the table without the dictionary being installed."""

from __future__ import annotations

import sys

import pytest

from recommenders import romanise
from recommenders.matching import ArtistMatcher
from recommenders.romanise import readings
from tools.japanese_readings import TABLE, catalog_japanese_names, table_text


def test_the_committed_table_is_what_sudachi_gives_for_the_catalog():
    """Fails when the table, the dataset, the tool or the pinned Sudachi versions drift apart:
    rewrite it with `python -m tools.japanese_readings`."""
    assert table_text(catalog_japanese_names()) == TABLE.read_text(encoding="utf-8")


@pytest.fixture
def without_sudachi(monkeypatch):
    """Importing sudachipy (or its dictionary) fails, as on a Space that installs
    requirements.txt only."""
    for module in ("sudachipy", "sudachidict_core"):
        monkeypatch.setitem(sys.modules, module, None)


def test_search_reads_japanese_names_without_the_dictionary(lastfm_data, without_sudachi):
    names = lastfm_data.artists.set_index("artist_id")["name"]
    listeners = lastfm_data.user_artists.groupby("artist_id").size()
    matcher = ArtistMatcher(names, listeners)  # builds the search index, as Bundle.warm_up does
    assert matcher.search("tokyo jihen", 1)[0].name == "東京事変"
    assert matcher.search("hikaru utada", 1)[0].name == "宇多田ヒカル"
    assert matcher.search("とうほうしんき", 1)[0].name == "東方神起"  # its kana reading
    assert {"Hamazaki Ayumi", "Ayumi Hamazaki"} <= set(readings(["浜崎あゆみ"])[0].latin)


def test_names_in_kana_read_the_same_without_the_table(monkeypatch):
    """The dictionary adds nothing to a name without kanji: a bundle built from other data
    reads its kana names as the table reads the catalog's."""
    kana_names = [n for n in romanise._table() if "CJK" not in romanise.scripts_of(n)]
    assert len(kana_names) >= 40
    with_table = readings(kana_names)
    monkeypatch.setattr(romanise, "_table", dict)
    assert readings(kana_names) == with_table


def test_a_name_with_kanji_outside_the_table_gets_no_japanese_reading(without_sudachi):
    assert "米津玄師" not in romanise._table()
    assert readings(["米津玄師"])[0].latin == ("Mi Jinxuanshi",)  # anyascii's pinyin only
    assert readings(["米津玄師"])[0].kana == ()
    assert readings(["あいみょん"])[0].latin == ("Aimyon",)  # kana need no dictionary
    assert readings(["椎名林檎とハゲ"])[0] == romanise.Readings()  # no half reading
