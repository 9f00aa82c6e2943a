"""One visit in headless Chromium, at 1366×900 and at 390×844 (mobile, touch), typing key by key:

- Discover with one name the catalog lacks: the cards of the other picks AND that name with its
  "did you mean" appear together; one click on the suggestion recommends again with it;
- the 👍 on a card and the picks are the taste of every tab: Compare, Clustering, SVD map and
  Softmax open with them in their picker and their results (the same lists the bundle gives);
- "Why not …?" under the cards: an expected artist, typed and entered, gets the bundle's own
  answer for the cards' request; a misspelt one gets its suggestion as a button.

Any console error or page error fails the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommenders.query import RecQuery
from tests.browser.test_e2e import (
    DESKTOP,
    PHONE,
    app_in_chromium,
    open_page,
    open_tab,
    shot,
    visible,
    wait_for_cards,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def app(fast_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("tastelog") / "app.log"
    with app_in_chromium(fast_bundle_dir, log) as app:
        yield app


@pytest.fixture(params=["desktop", "phone"])
def page(app, request):
    device = {"is_mobile": True, "has_touch": True} if request.param == "phone" else {}
    page = open_page(app, DESKTOP if request.param == "desktop" else PHONE, **device)
    page.problems = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.viewport_name = request.param  # type: ignore[attr-defined]
    yield page
    page.context.close()


def tokens(page, prefix: str) -> list[str]:
    found = page.locator(f"#{prefix}-picker .token").all_inner_texts()
    return [t.strip() for t in found]


def pick(page, prefix: str, typed: str, name: str) -> None:
    """Type ``typed`` key by key into a picker and choose ``name`` from what it offers."""
    box = page.locator(f"#{prefix}-picker input")
    box.click()
    box.press_sequentially(typed, delay=40)
    options = page.locator("li.item:visible", has_text=name)
    options.first.wait_for()
    labels = [t.strip() for t in options.all_inner_texts()]
    options.nth(next(i for i, t in enumerate(labels) if t.startswith(name))).click()


# The visible cards' names: each title without its rank (a name may begin with digits).
NAMES_JS = (
    "() => [...document.querySelectorAll('.artist-card .title')]"
    ".filter(e => e.offsetParent !== null).map(e => { const c = e.cloneNode(true);"
    " c.querySelector('.rank')?.remove(); return c.textContent.trim(); })"
)


def shown_names(page) -> list[str]:
    return page.evaluate(NAMES_JS)


def cards_now(page, expected: list[str]) -> None:
    """Wait until the visible cards are ``expected``, in order."""
    try:
        page.wait_for_function(
            f"names => JSON.stringify(({NAMES_JS})()) === JSON.stringify(names)",
            arg=expected,
            timeout=20_000,
        )
    except Exception as error:  # say what was shown instead
        raise AssertionError(f"cards {shown_names(page)}, expected {expected}") from error


def listed(bundle, model: str, liked: list) -> list[str]:
    return bundle.recommend(model, RecQuery.of(liked=liked, k=10))["name"].tolist()


def test_one_visit_one_taste_on_every_tab(page, fast_bundle) -> None:
    model = fast_bundle.default_model
    pick(page, "discover", "Muse", "Muse")
    box = page.locator("#discover-picker input")
    box.press_sequentially("Radiohedd", delay=40)  # not a catalog name: entered as typed
    box.press("Enter")
    page.keyboard.press("Escape")
    assert tokens(page, "discover") == ["Muse", "Radiohedd"]
    visible(page.get_by_role("button", name="Recommend", exact=True)).click()

    # the cards of Muse and, beside them, the unknown name with its suggestion
    cards_now(page, listed(fast_bundle, model, ["Muse"]))
    notice = visible(page.locator(".status.unknown-picks"))
    assert "“Radiohedd” is not in the 2011 catalog" in notice.inner_text()
    assert not page.locator(".status.error:visible").count()
    shot(page, f"unknown_pick_{page.viewport_name}")
    notice.get_by_role("button", name="Radiohead").click()  # one click: recommend again with it
    cards_now(page, listed(fast_bundle, model, ["Muse", "Radiohead"]))
    assert tokens(page, "discover") == ["Muse", "Radiohead"]
    assert not page.locator(".status.unknown-picks:visible").count()

    # 👍 on the first card: the taste is the picks and that artist
    first = shown_names(page)[0]
    liked = fast_bundle.resolve_artists([first])[0]
    page.locator(".artist-card:visible button[data-action=like]").first.click()
    taste = ["Muse", "Radiohead", liked]
    cards_now(page, listed(fast_bundle, model, taste))

    open_tab(page, "Compare")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#compare-picker .token')].length === 2"
    )
    assert tokens(page, "compare") == ["Muse", "Radiohead"]
    visible(page.locator(".status.info", has_text="From your visit"))
    assert f"with your 👍 {first}" in visible(page.locator(".status.info")).inner_text()
    page.wait_for_function(
        "names => { const cells = [...document.querySelectorAll('[role=gridcell]')]"
        ".filter(c => c.offsetParent !== null).map(c => c.innerText.trim());"
        " return names.every(n => cells.includes(n)); }",
        arg=listed(fast_bundle, "svd", taste)[:3],
        timeout=20_000,
    )
    for tab, prefix, tab_model in (
        ("Clustering", "clustering", "clustering"),
        ("SVD map", "svd", "svd"),
        ("Softmax", "softmax", "softmax"),
    ):
        open_tab(page, "How it works", tab)
        cards_now(page, listed(fast_bundle, tab_model, taste))
        assert tokens(page, prefix) == ["Muse", "Radiohead"], tab
        if prefix == "svd":  # its map: the taste's artists and cards
            page.locator(".artist-map:visible .marks").first.wait_for()
    shot(page, f"taste_softmax_{page.viewport_name}")

    # new picks on Softmax (an example chip) are the taste too: Discover opens with them
    visible(page.get_by_role("button", name="Metallica · Iron Maiden", exact=True)).click()
    metal = ["Metallica", "Iron Maiden"]
    cards_now(page, listed(fast_bundle, "softmax", [*metal, liked]))
    open_tab(page, "Discover")
    cards_now(page, listed(fast_bundle, model, [*metal, liked]))
    assert tokens(page, "discover") == metal
    assert not page.problems, page.problems


def test_why_not_answers_under_the_cards(page, fast_bundle) -> None:
    model = fast_bundle.default_model
    pick(page, "discover", "Radiohead", "Radiohead")
    page.keyboard.press("Escape")
    visible(page.get_by_role("button", name="Recommend", exact=True)).click()
    wait_for_cards(page)

    box = page.locator("#whynot-box textarea, #whynot-box input").first
    box.click()
    box.press_sequentially("Pink Floyd", delay=40)
    box.press("Enter")
    expected = fast_bundle.why_not(model, "Pink Floyd", liked=["Radiohead"], k=10)
    answer = page.locator(f".why-not[data-reason={expected.reason}]")
    answer.wait_for()
    assert answer.inner_text().strip() == expected.message
    answer.scroll_into_view_if_needed()
    shot(page, f"why_not_{page.viewport_name}")

    box.fill("")
    box.press_sequentially("Pink Floid", delay=40)
    visible(page.get_by_role("button", name="Why not?", exact=True)).click()
    typo = page.locator(".why-not[data-reason=unknown]")
    typo.wait_for()
    assert "No artist in the 2011 Last.fm data has “Pink Floid”." in typo.inner_text()
    typo.get_by_role("button", name="Pink Floyd").click()  # one click asks again
    page.locator(f".why-not[data-reason={expected.reason}]").wait_for()
    assert not page.problems, page.problems
