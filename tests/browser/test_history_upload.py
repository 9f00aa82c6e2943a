"""Discover's "Bring your listening history" in headless Chromium (one app launch, desktop
1366×900): a Spotify export gives the summary, the cards and a picker holding the matched
artists; a bad file then gets one clear message and leaves the picker and the cards alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_e2e import (
    DESKTOP,
    app_in_chromium,
    open_page,
    shot,
    titles,
    visible,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "history"
EXPORT = EXPORT / "Streaming_History_Audio_2023-2024_0.json"
MATCHED = ["Sigur Rós", "Muse", "宇多田ヒカル"]  # most played first


@pytest.fixture(scope="module")
def page(fast_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("historylog") / "app.log"
    no_key = {"LASTFM_API_KEY": ""}  # the no-key note is shown whatever the machine has
    with app_in_chromium(fast_bundle_dir, log, env=no_key) as app:
        yield open_page(app, DESKTOP)


def tokens(page) -> list[str]:
    return [t.strip() for t in page.locator("#discover-picker .token").all_inner_texts()]


def upload(page, path: Path) -> None:
    page.locator("#history-upload input[type=file]").set_input_files(str(path))


def test_an_export_fills_the_picker_and_shows_cards(page) -> None:
    visible(page.get_by_text("Bring your listening history")).click()
    assert visible(page.get_by_text("by Last.fm username is not available")).is_visible()  # no key
    upload(page, EXPORT)
    summary = page.locator(".history-summary:visible")
    summary.wait_for()
    assert "We found 3 artists; 3 are in this 2011 catalog" in summary.inner_text()
    page.locator(".artist-card:visible").first.wait_for()
    page.wait_for_function(
        "n => document.querySelectorAll('#discover-picker .token').length === n", arg=len(MATCHED)
    )
    assert tokens(page) == MATCHED
    assert len(titles(page)) == 10 and not set(titles(page)) & set(MATCHED)
    assert not page.locator(".status.error:visible").count()
    shot(page, "discover_history")


def test_a_bad_file_gets_one_message_and_the_cards_stay(page, tmp_path: Path) -> None:
    page.locator(".artist-card:visible").first.wait_for()
    before_cards, before_picks = titles(page), tokens(page)
    bad = tmp_path / "my_spotify_data.csv"
    bad.write_text("1,2,3,4\n5,6,7,8\n9,10,11,12\n")
    upload(page, bad)
    error = page.locator(".status.error:visible")
    error.wait_for()
    page.wait_for_timeout(1000)  # let any (wrong) follow-up event land before checking
    assert error.count() == 1
    assert "numbers where artist names are expected" in error.inner_text()
    assert titles(page) == before_cards and tokens(page) == before_picks
    assert "Error" not in page.locator("#discover-picker").inner_text()  # no red badge
    assert not page.locator(".toast-body:visible").count()  # no Gradio error toast
