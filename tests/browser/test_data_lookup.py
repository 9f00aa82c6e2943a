"""The Data tab's artist lookup in headless Chromium (one app launch, desktop 1366×900): its
picker searches the server like Discover's (typos and accents forgiven), and a chosen artist
gives the artist card and its similar artists."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app_server import running_app
from tests.browser.test_e2e import ARGS, CHROMIUM, DESKTOP, TIMEOUT_MS, open_tab, shot, visible

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OFFERED = [("radiohed", "Radiohead"), ("bjork", "Björk"), ("sigur ros", "Sigur Rós")]


@pytest.fixture(scope="module")
def page(fast_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    log = tmp_path_factory.mktemp("lookuplog") / "app.log"
    with running_app(fast_bundle_dir, log) as (url, _s, _pid), sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport=DESKTOP)
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url, wait_until="load")
        page.locator("#discover-picker input").wait_for()
        open_tab(page, "Data")
        yield page
        browser.close()


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
    box = type_artist(page, "radiohed")
    option = page.locator("li.item:visible", has_text="Radiohead").first
    option.wait_for()
    option.click()
    page.wait_for_function(  # the box then shows the name, not the match's "· radiohed" label
        "() => document.querySelector('#explore-picker input').value === 'Radiohead'"
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
    assert box.input_value() == "Radiohead"
    shot(page, "data_lookup")
