"""End to end in headless Chromium, one app launch shared by a desktop (1366×900) and a phone
(390×844) page: the first screen and its examples, typo-tolerant typeahead, errors that never
lock the picker, feedback that lasts the visit, every example chip, no placeholders before
results, every tab reachable on the phone, and a script-like artist name shown as text.

Screenshots go to a temporary folder, so running the suite never changes tracked files; set
REFRESH_SCREENSHOTS=1 to write them to docs/screenshots/ for the README."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

import pytest

from tests.app_server import EVIL_NAME, SEED_PICKS, evil_bundle, running_app
from tests.browser import watch_errors

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Debian's chromium; RECOMMENDERS_CHROMIUM names another build (tests/test_no_silent_skips.py
# points it at nothing to check that CI fails without a browser).
CHROMIUM = Path(os.environ.get("RECOMMENDERS_CHROMIUM", "/usr/bin/chromium"))
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SCREENSHOTS = (
    DOCS_SCREENSHOTS
    if os.environ.get("REFRESH_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "lastfm-recommender-screenshots"
)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
TIMEOUT_MS = 30_000
DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
EXAMPLES = ["Radiohead · Muse · Coldplay", "Britney Spears · Lady Gaga · Rihanna",
            "Metallica · Iron Maiden", "Daft Punk · Massive Attack"]  # fmt: skip
TYPEAHEAD = [("acdc", "AC/DC"), ("bjork", "Björk"), ("Legiao", "Legião Urbana"),
             ("Radiohed", "Radiohead"), ("Sigur Ros", "Sigur Rós"), ("beyonce", "Beyoncé"),
             ("Motorhead", "Motörhead")]  # fmt: skip


@contextlib.contextmanager
def app_in_chromium(bundle_dir: Path, log: Path, env: dict[str, str] | None = None):
    """The app on a free port of 127.0.0.1 and a headless Chromium: (browser, url), both
    stopped afterwards. Skips when Chromium or playwright is missing (fails under CI: conftest)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with (
        running_app(bundle_dir, log, env=env) as (url, _seconds, _pid),
        sync_api.sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser, url
        finally:
            browser.close()


def open_page(app, viewport: dict[str, int], **device):
    """A page of its own context (``device``: e.g. is_mobile, has_touch), Discover loaded."""
    browser, url = app
    page = watch_errors(browser.new_context(viewport=viewport, **device).new_page())
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url, wait_until="load")
    page.locator("#discover-picker input").wait_for()
    return page


@pytest.fixture(scope="module")
def app(fast_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    bundle_dir, _original = evil_bundle(fast_bundle_dir, tmp_path_factory.mktemp("e2e") / "b")
    with app_in_chromium(bundle_dir, tmp_path_factory.mktemp("e2elog") / "app.log") as app:
        yield app


def new_page(app, viewport):
    browser, url = app
    page = watch_errors(browser.new_page(viewport=viewport))
    page.set_default_timeout(TIMEOUT_MS)
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(url, wait_until="load")
    page.get_by_role("tab", name="Discover").wait_for()
    return page


@pytest.fixture(scope="module")
def desktop(app):
    page = new_page(app, DESKTOP)
    yield page
    page.close()


@pytest.fixture(scope="module")
def phone(app):
    page = new_page(app, PHONE)
    yield page
    page.close()


def reload(page) -> None:
    """A fresh visit (new session) with the first screen rendered: the page's address without
    the link to the last cards (ui/share.py), which would reopen them."""
    page.goto(page.url.split("?")[0], wait_until="load")
    page.locator("#discover-picker input").wait_for()


def visible(locator, seconds: float = 10.0):
    """The first visible match (components of hidden tabs stay in the DOM), waiting for it up to
    ``seconds``: a busy machine can take a moment to render a tab."""
    deadline = time.monotonic() + seconds
    while True:
        for item in locator.all():
            if item.is_visible():
                return item
        if time.monotonic() > deadline:
            raise AssertionError(f"no visible element for {locator}")
        time.sleep(0.1)


def open_tab(page, *names: str) -> None:
    for name in names:
        visible(page.get_by_role("tab", name=name, exact=True)).click()
    page.wait_for_timeout(300)


def titles(page) -> list[str]:
    """Visible card titles without their rank number."""
    found = page.locator(".artist-card:visible .title a, .artist-card:visible .title")
    names = [t.inner_text() for t in page.locator(".artist-card:visible .title").all()]
    assert found.count() >= len(names)
    return [n.lstrip("0123456789").strip() for n in names]


def wait_for_cards(page, not_first: str | None = None) -> None:
    page.locator(".artist-card:visible").first.wait_for()
    if not_first:
        page.wait_for_function(
            "n => { const t = [...document.querySelectorAll('.artist-card .title')]"
            ".filter(e => e.offsetParent !== null); return t.length && !t.some("
            "e => e.innerText.replace(/^\\d+/, '').trim() === n); }",
            arg=not_first,
        )


def type_in_picker(page, text: str, prefix: str = "discover") -> None:
    box = page.locator(f"#{prefix}-picker input")
    box.click()
    box.press_sequentially(text, delay=30)


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    from PIL import Image  # a 128-colour palette keeps the committed PNGs small

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128)
    small.save(path, optimize=True)


def test_first_screen_says_what_to_do_and_has_no_placeholders(desktop) -> None:
    page = desktop
    assert page.get_by_text("Find artists you'll like.").is_visible()
    assert page.get_by_role("tab", name="Discover").get_attribute("aria-selected") == "true"
    shot(page, "discover_first_screen")
    for tab in (["Discover"], ["Compare"], ["How it works", "Clustering"],
                ["How it works", "SVD map"], ["How it works", "Softmax"], ["Data"]):  # fmt: skip
        open_tab(page, *tab)
        assert not page.get_by_role("button", name="Download CSV").locator("visible=true").count()
        assert not page.locator(".artist-card:visible").count()
        headers = [h.inner_text().strip() for h in page.locator("th:visible").all()]
        assert not {"1", "2", "3"} <= set(headers), (tab, headers)  # Gradio's empty table


def test_example_click_shows_cards_with_feedback_inside(desktop) -> None:
    page = desktop
    open_tab(page, "Discover")
    visible(page.get_by_role("button", name=EXAMPLES[0])).click()
    wait_for_cards(page)
    cards = page.locator(".artist-card:visible")
    assert cards.count() == 10
    first = cards.first
    assert first.locator("button[data-action=like]").is_visible()  # inside the card
    assert "of 1,892 listeners in 2011" in first.inner_text()
    assert "100% match" in first.inner_text()
    assert visible(page.get_by_role("button", name="Download CSV"))
    shot(page, "discover_results")


@pytest.mark.parametrize(("typed", "expected"), TYPEAHEAD)
def test_typeahead_tolerates_typos_and_accents(desktop, typed: str, expected: str) -> None:
    page = desktop
    open_tab(page, "Discover")
    type_in_picker(page, typed)
    option = page.locator("li.item:visible", has_text=expected).first
    option.wait_for()
    option.click()
    page.keyboard.press("Escape")
    tokens = page.locator("#discover-picker .token").all_inner_texts()
    assert any(expected in t for t in tokens), tokens
    page.locator("#discover-picker .token-remove").last.click()  # leave the picker as it was


def test_error_never_locks_the_picker_and_suggestions_fix_it(desktop) -> None:
    page = desktop
    reload(page)
    box = page.locator("#discover-picker input")
    box.click()
    box.fill("Radiohed")  # typed and entered as is: not a catalog name
    box.press("Enter")
    page.keyboard.press("Escape")
    visible(page.get_by_role("button", name="Recommend", exact=True)).click()
    error = page.locator(".status.error:visible")
    error.wait_for()
    assert "Unknown artist" in error.inner_text()
    assert not page.locator(".artist-card:visible").count()  # no stale cards beside the error
    page.wait_for_timeout(500)
    picker = page.locator("#discover-picker")
    assert "Error" not in picker.inner_text()  # no red badge over the typed text
    box.click()
    box.press_sequentially("Muse", delay=30)  # the picker still takes input
    assert box.input_value() == "Muse"
    box.fill("")
    page.keyboard.press("Escape")
    error.locator("button.suggest", has_text="Radiohead").click()  # one click fixes it
    wait_for_cards(page)
    assert not page.locator(".status.error:visible").count()  # cleared by the next action
    tokens = page.locator("#discover-picker .token").all_inner_texts()
    assert any("Radiohead" in t for t in tokens) and not any("Radiohed" in t for t in tokens)


def test_not_for_me_survives_a_new_recommend_and_can_be_undone(desktop) -> None:
    page = desktop
    reload(page)
    visible(page.get_by_role("button", name=EXAMPLES[0])).click()
    wait_for_cards(page)
    first = titles(page)[0]
    page.locator(".artist-card:visible button[data-action=exclude]").first.click()
    wait_for_cards(page, not_first=first)
    visible(page.get_by_role("button", name="Recommend", exact=True)).click()
    page.wait_for_timeout(1000)
    wait_for_cards(page, not_first=first)
    assert first not in titles(page)
    listed = page.locator(".feedback-list:visible")
    assert first in listed.inner_text()
    liked = titles(page)[0]
    page.locator(".artist-card:visible button[data-action=like]").first.click()
    wait_for_cards(page, not_first=liked)
    assert liked in listed.inner_text()
    listed.locator(f"button[aria-label='Undo {first}']").click()
    page.wait_for_function(
        "n => ![...document.querySelectorAll('.feedback-list')].some(e => "
        "e.offsetParent !== null && e.innerText.includes('Not for me'))",
        arg=first,
    )


@pytest.mark.parametrize(
    ("tab", "chips"),
    [
        (["Discover"], EXAMPLES),
        (["Compare"], EXAMPLES[:1]),
        (["How it works", "Softmax"], EXAMPLES),
        (["How it works", "SVD map"], EXAMPLES[:2]),
        (["How it works", "Clustering"], EXAMPLES[1:3]),
    ],
)
def test_every_example_chip_gives_results(desktop, tab: list[str], chips: list[str]) -> None:
    page = desktop
    reload(page)  # a fresh visit: no feedback from other tests
    open_tab(page, *tab)
    for chip in chips:
        before = titles(page)[:1]
        visible(page.get_by_role("button", name=chip, exact=True)).click()
        if tab == ["Compare"]:
            page.wait_for_function(
                "() => [...document.querySelectorAll('th')]"
                ".some(t => t.offsetParent && t.innerText.includes('softmax'))"
            )
            continue
        wait_for_cards(page, not_first=before[0] if before else None)
        assert not page.locator(".status.error:visible").count()


def shown_results(page, tab: list[str]) -> str:
    """What the tab shows as results: the side-by-side lists (Compare) or the cards' titles."""
    if tab == ["Compare"]:  # Gradio's dataframe renders its body as grid cells
        return "\n".join(page.locator("[role=gridcell]:visible").all_inner_texts())
    return "\n".join(titles(page))


@pytest.mark.parametrize(
    "tab",
    [["How it works", "SVD map"], ["Compare"], ["How it works", "Clustering"]],
    ids=lambda tab: tab[-1],
)
def test_every_example_user_gives_results(desktop, fast_bundle, tab: list[str]) -> None:
    """One button per example user (ui.inputs.example_users), and each one shows new results."""
    from ui.inputs import example_users

    page = desktop
    reload(page)
    open_tab(page, *tab)
    expected = [f"Last.fm user {user_id}" for user_id in example_users(fast_bundle)]
    buttons = page.get_by_role("button", name="Last.fm user").locator("visible=true")
    assert [b.strip() for b in buttons.all_inner_texts()] == expected
    before = shown_results(page, tab)
    for label in expected:
        visible(page.get_by_role("button", name=label, exact=True)).click()
        deadline = time.monotonic() + 20
        while (shown := shown_results(page, tab)) in ("", before):
            assert time.monotonic() < deadline, f"{label} showed no new results in {tab}"
            page.wait_for_timeout(200)
        assert not page.locator(".status.error:visible").count(), label
        before = shown


def test_script_like_name_is_text(desktop) -> None:
    page = desktop
    reload(page)
    for name in SEED_PICKS:
        type_in_picker(page, name)
        page.locator("li.item:visible", has_text=name).first.click()
    page.keyboard.press("Escape")
    visible(page.get_by_role("button", name="Recommend", exact=True)).click()
    wait_for_cards(page)
    assert EVIL_NAME in titles(page)
    assert page.locator("img[src='x']").count() == 0 and page.dialogs == []


def test_phone_reaches_every_tab_without_the_overflow_menu(phone) -> None:
    page = phone
    for name in ("Discover", "Compare", "How it works", "Data"):
        tab = page.get_by_role("tab", name=name, exact=True)
        assert tab.is_visible(), name
        box = tab.bounding_box()
        assert box and box["x"] + box["width"] <= PHONE["width"], name
    picker = page.locator("#discover-picker").bounding_box()
    assert picker and picker["width"] > PHONE["width"] * 0.8  # full width, not squeezed
    visible(page.get_by_role("button", name=EXAMPLES[1])).click()
    wait_for_cards(page)
    shot(page, "phone_discover")
    open_tab(page, "How it works")
    for name in ("Clustering", "SVD map", "Softmax"):
        assert visible(page.get_by_role("tab", name=name, exact=True)).is_visible()
    open_tab(page, "SVD map")
    page.locator(".artist-map:visible .marks").first.wait_for()  # the Vega drawing (svg or canvas)
    open_tab(page, "Data")
    page.locator(".plot-grid img").first.wait_for()
    shot(page, "phone_data")
