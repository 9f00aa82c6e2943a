"""Accessibility (issue 18, item 6) in headless Chromium, one app launch:

- axe-core finds no critical or serious violation on any tab, at 1366×900 and at 390×844 (mobile,
  touch), each tab showing results;
- the keyboard alone (no mouse, no tap) picks artists, recommends, gives a 👍 and a "not for me",
  and keeps its place in the list after each.

axe-core is the npm package, injected into the page; nothing is downloaded at test time: .ci/run
installs its pinned version into node_modules/ (gitignored), RECOMMENDERS_AXE names another
axe.min.js. Without it the axe tests skip, which fails under CI (tests/conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.test_e2e import (
    DESKTOP,
    EXAMPLES,
    PHONE,
    app_in_chromium,
    open_page,
    open_tab,
    shot,
    visible,
    wait_for_cards,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(os.environ.get("RECOMMENDERS_AXE") or ROOT / "node_modules/axe-core/axe.min.js")
TABS = [["Discover"], ["Compare"], ["How it works", "Clustering"], ["How it works", "SVD map"],
        ["How it works", "Softmax"], ["Data"]]  # fmt: skip
SERIOUS = ["critical", "serious"]
STEPS = 80  # Tab presses allowed to reach a control


@pytest.fixture(scope="module")
def app(fast_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("a11ylog") / "app.log"
    with app_in_chromium(fast_bundle_dir, log, env={"LASTFM_API_KEY": ""}) as app:
        yield app


@pytest.fixture(scope="session")
def axe() -> Path:
    """axe.min.js, checked before the bundle and the app start (session scope: set up first), a
    skip without it, or under CI a failure."""
    if not AXE.is_file():
        pytest.skip(
            f"axe-core is not at {AXE}: `npm install --no-save axe-core` at the repository root "
            "(as .ci/run does), or set RECOMMENDERS_AXE to an axe.min.js"
        )
    return AXE


@pytest.fixture(scope="module", params=["desktop", "phone"])
def page(app, request):
    device = {"is_mobile": True, "has_touch": True} if request.param == "phone" else {}
    page = open_page(app, PHONE if request.param == "phone" else DESKTOP, **device)
    page.size = request.param  # type: ignore[attr-defined]
    yield page
    page.context.close()


def show_results(page, tab: list[str]) -> None:
    """The tab as a visitor sees it after using it: its results (or drawings) on screen."""
    open_tab(page, *tab)
    if tab == ["Data"]:
        page.wait_for_function(  # the plots are drawn on the first visit
            "() => { const i = [...document.querySelectorAll('.plot-grid img')];"
            " return i.length > 0 && i.every(e => e.complete); }"
        )
        visible(page.get_by_role("button", name="Radiohead", exact=True)).click()
        visible(page.get_by_role("button", name="Look up", exact=True)).click()
        page.locator(".artist-card:visible").first.wait_for()
        page.wait_for_timeout(600)  # as below: the fade-in settles before colours are measured
        return
    visible(page.get_by_role("button", name=EXAMPLES[1], exact=True)).click()
    if tab == ["Compare"]:
        page.locator("#compare-results:visible th").first.wait_for()
    else:
        wait_for_cards(page)
    if tab[-1] == "SVD map":
        page.locator(".artist-map:visible svg.marks path[aria-label]").first.wait_for()
    page.wait_for_timeout(600)  # transitions and fades settle before colours are measured


def serious_violations(page, axe: Path) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(axe))
    return page.evaluate(
        """async (serious) => {
          const found = await axe.run(document, {resultTypes: ['violations']});
          return found.violations.filter(v => serious.includes(v.impact)).map(v =>
            `${v.impact} ${v.id} (${v.help}): ` + v.nodes.slice(0, 3).map(
              n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ')
            ).join(' | '));
        }""",
        SERIOUS,
    )


@pytest.mark.parametrize("tab", TABS, ids=lambda tab: tab[-1])
def test_axe_finds_no_serious_violation(axe: Path, page, tab: list[str]) -> None:
    show_results(page, tab)
    found = serious_violations(page, axe)
    assert not found, "\n".join(found)


# -- the keyboard alone --------------------------------------------------------------------------
FOCUSED_CARD = (  # the name on the card whose button has the focus
    "() => document.activeElement.closest('.artist-card').querySelector('.title')"
    ".innerText.replace(/^\\d+/, '').trim()"
)


def focused(page, condition: str) -> bool:
    script = f"() => {{ const e = document.activeElement; return !!e && ({condition}); }}"
    return page.evaluate(script)


def tab_to(page, condition: str) -> None:
    """Press Tab until the focused element meets ``condition`` (a JS expression over ``e``)."""
    for _ in range(STEPS):
        page.keyboard.press("Tab")
        if focused(page, condition):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


def test_the_keyboard_alone_picks_recommends_likes_and_refuses(app) -> None:
    page = open_page(app, DESKTOP)
    try:
        tab_to(page, "e.closest('#discover-picker') !== null && e.tagName === 'INPUT'")
        for typed, name in (("radiohead", "Radiohead"), ("bjork", "Björk")):
            page.keyboard.type(typed, delay=40)
            page.locator("li.item:visible", has_text=name).first.wait_for()
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
            page.wait_for_function(
                "n => [...document.querySelectorAll('#discover-picker .token')]"
                ".some(t => t.innerText.trim() === n)",
                arg=name,
            )
        tab_to(page, "e.id === 'discover-go'")
        page.keyboard.press("Enter")
        wait_for_cards(page)
        tab_to(page, "e.dataset.action === 'like'")
        liked = page.evaluate(FOCUSED_CARD)
        page.keyboard.press("Enter")
        listed = page.locator(".feedback-list:visible")
        listed.wait_for()
        page.wait_for_function(
            "n => document.querySelector('.feedback-list')?.innerText.includes(n)", arg=liked
        )
        # the focus stays in the list, on the button now in the pressed one's place
        page.wait_for_function("() => document.activeElement?.dataset?.action === 'like'")
        page.keyboard.press("Tab")
        assert focused(page, "e.dataset.action === 'exclude'")
        refused = page.evaluate(FOCUSED_CARD)
        page.keyboard.press("Enter")
        page.wait_for_function(
            "n => document.querySelector('.feedback-list')?.innerText.includes('Not for me')"
            " && document.querySelector('.feedback-list').innerText.includes(n)",
            arg=refused,
        )
        assert liked in listed.inner_text() and refused in listed.inner_text()
        shot(page, "keyboard_only_feedback")
    finally:
        page.context.close()
