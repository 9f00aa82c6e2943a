"""End to end in headless Chromium: every tab renders and answers, thumbs-up refines the softmax
list, and a script-like artist name shows as text.

Screenshots go to a temporary folder, so running the suite never changes tracked files; set
REFRESH_SCREENSHOTS=1 to write them to docs/screenshots/ for the README."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.app_server import EVIL_NAME, SEED_PICKS, evil_bundle, running_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SCREENSHOTS = (
    DOCS_SCREENSHOTS
    if os.environ.get("REFRESH_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "lastfm-recommender-screenshots"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def page(fast_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    bundle_dir, _original = evil_bundle(fast_bundle_dir, tmp_path_factory.mktemp("e2e") / "b")
    log = tmp_path_factory.mktemp("e2elog") / "app.log"
    with running_app(bundle_dir, log) as (url, _seconds, _pid), sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(TIMEOUT_MS)
        page.dialogs = []  # type: ignore[attr-defined]
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.goto(url, wait_until="load")
        page.get_by_role("tab", name="Explore").wait_for()
        yield page
        browser.close()


def visible(locator):
    """The first visible match (components of hidden tabs stay in the DOM)."""
    for item in locator.all():
        if item.is_visible():
            return item
    raise AssertionError(f"no visible element for {locator}")


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    page.wait_for_timeout(300)


def pick(page, names: list[str]) -> None:
    box = visible(page.get_by_label("Artists you like"))
    for name in names:
        box.click()
        box.fill(name)
        box.press("Enter")
    page.keyboard.press("Escape")


def wait_until_gone(page, name: str) -> None:
    """Wait until no card title ends with ``name`` (the cards re-render after feedback)."""
    page.wait_for_function(  # only visible cards: other tabs keep theirs in the DOM
        "name => ![...document.querySelectorAll('.artist-card .title')]"
        ".some(t => t.offsetParent !== null && t.innerText.endsWith(name))",
        arg=name,
    )


def shot(page, name: str, top=None) -> None:
    """A 1280×800 screenshot, scrolled so that ``top`` (a locator) starts the view."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if top is not None:
        top.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    from PIL import Image  # a 128-colour palette keeps the committed PNGs small

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128)
    small.save(path, optimize=True)


def test_explore_shows_numbers_plots_and_an_artist(page) -> None:
    open_tab(page, "Explore")
    page.locator(".headline:visible").first.wait_for()
    page.locator("img[src*='plot_0']:visible").first.wait_for()
    shot(page, "explore")
    box = visible(page.get_by_label("Artist", exact=True))
    box.click()
    box.fill("Radiohead")
    box.press("Enter")
    visible(page.get_by_role("button", name="Look up")).click()
    page.locator(".artist-card:visible", has_text="Radiohead").first.wait_for()
    page.get_by_text("Similar artists").first.wait_for()
    shot(page, "explore_lookup", visible(page.get_by_role("button", name="Look up")))


def test_clustering_assigns_picks(page) -> None:
    open_tab(page, "Clustering")
    pick(page, ["Britney Spears", "Rihanna"])
    visible(page.get_by_role("button", name="Assign and recommend")).click()
    page.locator(".artist-card:visible").first.wait_for()
    shot(page, "clustering", visible(page.get_by_role("button", name="Assign and recommend")))


def test_svd_map_and_recommendations(page) -> None:
    open_tab(page, "Collaborative filtering (SVD)")
    pick(page, ["Daft Punk"])
    visible(page.get_by_role("button", name="Recommend", exact=True)).click()
    page.locator(".artist-card:visible").first.wait_for()
    page.wait_for_timeout(800)  # the Vega plot draws after the data arrives
    shot(page, "svd", visible(page.get_by_role("button", name="Download CSV")))


def test_softmax_cards_thumbs_up_and_escaping(page) -> None:
    open_tab(page, "Softmax")
    pick(page, SEED_PICKS)
    visible(page.get_by_role("button", name="Recommend", exact=True)).click()
    titles = page.locator(".artist-card:visible .title")
    titles.first.wait_for()
    # The renamed artist (the top pick) shows its name as text; nothing was injected.
    assert any(EVIL_NAME in t.inner_text() for t in titles.all())
    assert page.locator("img[src='x']").count() == 0
    assert page.dialogs == []
    first = titles.first.inner_text().split(". ", 1)[1]
    shot(page, "softmax", visible(page.get_by_text("How many artists (k)")))

    visible(page.get_by_role("button", name="👍 More like this")).click()
    wait_until_gone(page, first)
    assert page.locator(".artist-card:visible .title").count() >= 1
    # the thumbs-up artist joined the liked list shown in the picker
    page.locator(".token:visible", has_text=first).first.wait_for()

    second = page.locator(".artist-card:visible .title").first.inner_text().split(". ", 1)[1]
    visible(page.get_by_role("button", name="Not for me")).click()
    page.get_by_text(f"Not for me: {second}").first.wait_for()
    wait_until_gone(page, second)
    assert page.locator(".artist-card:visible .title").count() >= 1

    with page.expect_download() as download:
        visible(page.get_by_role("button", name="Download CSV")).click()
    text = Path(download.value.path()).read_text()
    assert text.startswith("rank,artist_id,name,score") and second not in text
    assert page.locator("img[src='x']").count() == 0
    assert page.dialogs == []


def test_compare_renders_tables(page) -> None:
    open_tab(page, "Compare")
    pick(page, SEED_PICKS)
    visible(page.get_by_role("button", name="Compare all models")).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('th')].some(t => t.innerText.includes('softmax'))"
    )
    shot(page, "compare", visible(page.get_by_role("button", name="Compare all models")))
    shot(page, "evaluation", visible(page.get_by_text("Offline evaluation", exact=False)))
