"""Listening from a card (ui/listen.py): with a Spotify id the card offers ▶ Play (Spotify's
embedded player, inserted by the page only when asked: the card holds no iframe and no embed
address) and the artist's Spotify page; without one, or with anything that is not a Spotify id,
plainly labelled searches on Spotify and YouTube. The ids come from the bundle: a bundle whose
enrichment came from recorded Spotify answers (tests/spotify_bundle.py) carries them through
``recommend`` into the cards."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote_plus

import pytest

from tests.spotify_bundle import SPOTIFY_IDS, spotify_bundle
from ui import card_script, cards, listen

MUSE = "12Chz98pHFMPJEknJQMWvI"
EVIL = "<img src=x onerror=alert(1)>"


def row(name: str = "Muse", spotify_id: object = None) -> dict:
    return {"artist_id": 190, "name": name, "rank": 1, "listeners": 400, "tags": ["rock"],
            "explanation": "because", "spotify_id": spotify_id}  # fmt: skip


def test_a_known_id_gives_play_on_demand_and_the_artist_page() -> None:
    card = cards.artist_card(row(spotify_id=MUSE), 0.5, feedback=True)
    assert f'data-local="play" data-spotify="{MUSE}"' in card and "▶ Play" in card
    assert f'href="https://open.spotify.com/artist/{MUSE}"' in card
    assert "<iframe" not in card and "embed" not in card  # nothing to load before the click
    assert "Search on YouTube" in card and "Search on Spotify" not in card


@pytest.mark.parametrize(
    "bad",
    [None, float("nan"), "abc", MUSE[:-1], MUSE + "x", MUSE[:-1] + '"', MUSE[:-2] + "<b",
     "javascript:alert(1)xxxxxx", 12345, "12Chz98pHFMPJEknJQMW/I"],
)  # fmt: skip
def test_without_a_well_formed_id_the_card_offers_labelled_searches(bad) -> None:
    card = cards.artist_card(row(EVIL, spotify_id=bad))
    assert 'data-local="play"' not in card and "open.spotify.com/artist/" not in card
    found = re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', card)
    links = {html.unescape(text): html.unescape(href) for href, text in found}
    spotify, youtube = links["Search on Spotify ↗"], links["Search on YouTube ↗"]
    assert spotify.startswith(listen.SPOTIFY_SEARCH) and youtube.startswith(listen.YOUTUBE_SEARCH)
    assert unquote_plus(youtube.removeprefix(listen.YOUTUBE_SEARCH)) == EVIL
    assert "<img" not in card


def test_the_page_script_builds_the_player_address_from_a_checked_id() -> None:
    assert "/^[0-9A-Za-z]{22}$/" in card_script.PAGE_JS  # the same rule as listen.SPOTIFY_ID
    assert f"frame.src = '{listen.EMBED}' + id" in card_script.PAGE_JS
    assert listen.SPOTIFY_ID.pattern == "[0-9A-Za-z]{22}"


@pytest.mark.slow
def test_a_bundle_enriched_from_recorded_answers_carries_ids_into_the_cards(
    fast_bundle_dir: Path, data_dir: Path, tmp_path: Path
) -> None:
    import recommenders

    bundle = recommenders.load(spotify_bundle(fast_bundle_dir, tmp_path / "b", data_dir))
    known = bundle.catalog.dropna(subset=["spotify_id"])
    assert dict(zip(known["name"], known["spotify_id"], strict=True)) == SPOTIFY_IDS
    assert (known["spotify_match"] == "trusted").all()
    table = bundle.recommend(bundle.default_model, liked=["Radiohead"], k=10)
    shown = cards.cards_html(table, feedback=True)
    with_id = table.dropna(subset=["spotify_id"])
    assert len(with_id) >= 1  # Muse and Sigur Rós are among Radiohead's neighbours
    for name, spotify_id in zip(with_id["name"], with_id["spotify_id"], strict=True):
        assert f'data-spotify="{spotify_id}" data-name="{html.escape(name)}"' in shown
    assert shown.count('data-local="play"') == len(with_id)
    assert shown.count("Search on Spotify ↗") == len(table) - len(with_id)
