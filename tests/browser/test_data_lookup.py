"""The Data tab's artist lookup in headless Chromium (one app launch, desktop 1366×900): its
picker searches the server like Discover's (typos and accents forgiven), and a chosen artist
gives the artist card and its similar artists. (The picker is a multi-select that keeps its
latest pick: ui.inputs.artist_picker.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_e2e import DESKTOP, app_in_chromium, open_page, open_tab, shot, visible

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OFFERED = [("radiohed", "Radiohead"), ("bjork", "Björk"), ("sigur ros", "Sigur Rós")]


@pytest.fixture(scope="module")
def page(fast_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("lookuplog") / "app.log"
    with app_in_chromium(fast_bundle_dir, log) as app:
        page = open_page(app, DESKTOP)
        open_tab(page, "Data")
        yield page


def type_artist(page, text: str):
    """Type ``text`` into the lookup's box (emptied first); returns the box."""
    box = visible(page.locator("#explore-picker input"))
    box.click()
    box.fill("")
    box.press_sequentially(text, delay=30)
    return box


@pytest.mark.parametrize(("typed", "expected"), OFFERED)
def test_the_lookup_offers_catalog_names_for_typos_and_missing_accents(page, typed, expected):
    type_artist(page, typed)
    page.locator("li.item:visible", has_text=expected).first.wait_for()
    page.keyboard.press("Escape")


def test_a_typo_then_a_pick_looks_up_the_artist_and_similar_ones(page) -> None:
    type_artist(page, "radiohed")
    option = page.locator("li.item:visible", has_text="Radiohead").first
    option.wait_for()
    option.click()
    page.wait_for_function(  # the box then holds the name, not a match's label with a hint
        "() => [...document.querySelectorAll('#explore-picker .token')]"
        ".map(t => t.innerText.trim()).join('|') === 'Radiohead'"
    )
    visible(page.get_by_role("button", name="Look up", exact=True)).click()
    card = page.locator(".artist-card:visible").first
    card.wait_for()
    assert card.locator(".title").inner_text().strip() == "Radiohead"
    names = page.locator(".block:visible", has_text="Similar artists").locator(
        "[role=row].virtual-row [data-col='1']"
    )
    names.first.wait_for()
    similar = [n.strip() for n in names.all_inner_texts()]
    assert len(similar) >= 5 and "Radiohead" not in similar, similar  # others, not itself
    assert not page.locator(".status.error:visible").count()
    assert page.locator("#explore-picker .token").all_inner_texts() == ["Radiohead"]
    shot(page, "data_lookup")
