"""The phone and the page (issue 18, items 1–5) in headless Chromium, one app launch shared by a
phone page (390×844, mobile, touch) and a desktop page (1366×900):

- results, the upload summary and every error come into view where the visitor is looking: the
  first card after a tapped example, an upload's error while the visitor is at the upload box, a
  typo's error whose place is at the bottom edge of the first screen;
- How it works on a phone: charts drawn (not empty boxes), table headers on one line, card
  buttons at least 44 px;
- the lookup's suggestions after an example: no stale names, no typed text in a label, no
  TypeError (any console error fails every browser test: tests/browser/conftest.py);
- Compare's and the clusters' charts readable at both sizes;
- the popularity control in listeners, applied without another press.

Run it on the bundle a Space serves with RECOMMENDERS_TEST_BUNDLE=<full bundle> (Compare's
charts need a bundle built with its evaluation; the --fast session bundle has one)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.browser import settle
from tests.browser.test_e2e import (
    DESKTOP,
    EXAMPLES,
    PHONE,
    app_in_chromium,
    open_page,
    open_tab,
    shot,
    titles,
    type_in_picker,
    visible,
    wait_for_cards,
)
from ui import clustering

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LISTENERS = re.compile(r"([\d,]+) of ([\d,]+) listeners")
ONE_LINE = 48  # px: a table header on one line (Gradio's header cell is ~37 px high)


@pytest.fixture(scope="module")
def app(fast_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("phonepagelog") / "app.log"
    with app_in_chromium(fast_bundle_dir, log, env={"LASTFM_API_KEY": ""}) as app:
        yield app


@pytest.fixture(scope="module")
def phone(app):
    page = open_page(app, PHONE, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def desktop(app):
    page = open_page(app, DESKTOP)
    yield page
    page.context.close()


def fresh(page) -> None:
    """A new visit, at the top of Discover (once the last one's requests have ended), at the bare
    address: a reload would keep the share link (?a=...) the last visit wrote and restore its
    taste."""
    settle(page)
    page.goto(page.url.split("?")[0].split("#")[0], wait_until="load")
    page.locator("#discover-picker input").wait_for()


def comes_into_view(page, locator, seconds: float = 5.0) -> dict:
    """Waits until the element lies inside the viewport (a smooth scroll takes a moment)."""
    height = page.evaluate("innerHeight")
    deadline = time.monotonic() + seconds
    while True:
        box = locator.bounding_box()
        if box and box["y"] >= -1 and box["y"] + box["height"] <= height + 1:
            return box
        if time.monotonic() > deadline:
            raise AssertionError(f"{locator} stays out of view: {box}, viewport height {height}")
        page.wait_for_timeout(100)


def out_of_view(page, locator) -> bool:
    box = locator.bounding_box()
    return bool(box) and (box["y"] + box["height"] <= 0 or box["y"] >= page.evaluate("innerHeight"))


# -- 1. results and errors come into view -----------------------------------------------------
def test_a_tapped_example_brings_the_first_card_into_view(phone) -> None:
    page = phone
    fresh(page)
    visible(page.get_by_role("button", name=EXAMPLES[0], exact=True)).tap()
    wait_for_cards(page)
    comes_into_view(page, page.locator(".artist-card:visible").first)
    shot(page, "phone_example_first_card")


def test_a_bad_upload_brings_its_message_into_view(phone, tmp_path: Path) -> None:
    page = phone
    fresh(page)
    header = visible(page.get_by_text("Bring your listening history"))
    header.scroll_into_view_if_needed()
    header.tap()
    upload = visible(page.locator("#history-upload"))
    upload.scroll_into_view_if_needed()
    status = visible(page.locator("#discover-tab .status-box"))
    assert out_of_view(page, status)  # the visitor looks at the upload box, far from the status
    bad = tmp_path / "StreamingHistory0.json"
    bad.write_text('[{"artistName": "Muse", "msPlayed": ', encoding="utf-8")  # cut short
    upload.locator("input[type=file]").set_input_files(str(bad))
    error = page.locator(".status.error:visible")
    error.wait_for()
    comes_into_view(page, error)
    shot(page, "phone_upload_error")


def test_a_typo_error_comes_into_view(phone) -> None:
    page = phone
    fresh(page)
    type_in_picker(page, "Radiohed")
    page.locator("#discover-picker input").press("Enter")
    page.keyboard.press("Escape")
    go = visible(page.locator("#discover-go"))
    status = visible(page.locator("#discover-tab .status-box"))
    # on a phone the message's place is at the bottom edge of the first screen, under the chips
    assert status.bounding_box()["y"] > page.evaluate("innerHeight") * 0.75
    go.tap()
    error = page.locator(".status.error:visible")
    error.wait_for()
    assert "Radiohead" in error.inner_text()  # its "did you mean"
    comes_into_view(page, error)


def test_an_uploaded_history_shows_its_summary_and_first_card(phone) -> None:
    page = phone
    fresh(page)
    header = visible(page.get_by_text("Bring your listening history"))
    header.scroll_into_view_if_needed()
    header.tap()
    upload = visible(page.locator("#history-upload"))
    upload.scroll_into_view_if_needed()
    history = Path(__file__).resolve().parents[1] / "fixtures" / "history"
    upload.locator("input[type=file]").set_input_files(str(history / "artists.txt"))
    summary = page.locator(".history-summary:visible")
    summary.wait_for()
    wait_for_cards(page)
    comes_into_view(page, page.locator(".artist-card:visible").first)
    comes_into_view(page, summary)
    shot(page, "phone_history_summary_and_cards")


# -- 2. How it works on a phone ---------------------------------------------------------------
def drawn_charts(page) -> list[dict]:
    """Each visible chart's drawing: its size and how many marks it holds."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.vega-embed svg.marks')]
            .filter(svg => svg.closest('.block')?.offsetParent !== null).map(svg => {
              const r = svg.getBoundingClientRect();
              const marks = svg.querySelectorAll(
                '.role-mark path, .role-mark line, .role-mark rect').length;
              return {width: r.width, height: r.height, left: r.left, right: r.right, marks};
            })"""
    )


def header_heights(page, table) -> dict[str, float]:
    return {
        th.inner_text().strip(): th.bounding_box()["height"]
        for th in table.locator("th").all()
        if th.is_visible()
    }


def test_clustering_charts_are_drawn_and_headers_stay_on_one_line_on_a_phone(phone) -> None:
    page = phone
    fresh(page)
    open_tab(page, "How it works", "Clustering")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.vega-embed svg.marks')]"
        ".filter(s => s.closest('.block')?.offsetParent !== null).length >= 3"
    )
    page.wait_for_timeout(500)
    charts = drawn_charts(page)
    assert len(charts) == 3, charts  # silhouette, inertia, cluster sizes
    for chart in charts:
        assert chart["height"] >= 150 and chart["marks"] > 0, chart  # not an empty white box
        assert chart["left"] >= 0 and chart["right"] <= PHONE["width"], chart
    table = visible(page.locator(".readable-table"))
    heights = header_heights(page, table)
    assert {"cluster", "listeners", "top artists", "top tags"} <= set(heights), heights
    assert max(heights.values()) <= ONE_LINE, heights  # no "c l u s t e r"
    table.scroll_into_view_if_needed()
    shot(page, "phone_clustering")


def test_the_svd_artist_table_keeps_its_headers_on_one_line_on_a_phone(phone) -> None:
    page = phone
    fresh(page)
    open_tab(page, "How it works", "SVD map")
    visible(page.get_by_role("button", name=EXAMPLES[0], exact=True)).tap()
    table = page.locator(".block:visible", has_text="The listener's artists")
    table = table.filter(has=page.locator("th")).last
    table.locator("th").first.wait_for()
    heights = header_heights(page, table)
    assert "listeners" in heights and max(heights.values()) <= ONE_LINE, heights


def test_card_buttons_and_example_chips_are_44_px_touch_targets_on_a_phone(phone) -> None:
    page = phone
    fresh(page)
    visible(page.get_by_role("button", name=EXAMPLES[1], exact=True)).tap()
    wait_for_cards(page)
    targets = page.locator(
        ".artist-card:visible button, #discover-tab .example-chips button:visible"
    ).all()
    assert len(targets) >= 20 + len(EXAMPLES)  # two per card, one per example
    for target in targets:
        box = target.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44, (target.inner_text(), box)


# -- 3. the lookup's suggestions ---------------------------------------------------------------
def options(page) -> list[str]:
    return [o.strip() for o in page.locator("li.item:visible").all_inner_texts()]


def test_lookup_suggestions_after_an_example_are_fresh_and_never_echo_the_typing(desktop) -> None:
    page = desktop
    fresh(page)
    open_tab(page, "Data")
    visible(page.get_by_role("button", name="Daft Punk", exact=True)).click()
    box = visible(page.locator("#explore-picker input"))
    for typed in ("radioh", "bjork", "radiohed"):
        box.click()
        box.fill("")
        box.press_sequentially(typed, delay=40)
        page.wait_for_timeout(800)  # every key's answer is in
        shown = options(page)
        assert shown, typed
        assert "Daft Punk" not in shown, (typed, shown)  # the pick is no suggestion
        if typed != "radiohed":  # a typo is the one match no spelling of the name shows
            assert not any(o.endswith(f"· {typed}") for o in shown), (typed, shown)
        page.keyboard.press("Escape")
    box.fill("")
    box.press_sequentially("bjork", delay=40)
    page.locator("li.item:visible", has_text="Björk").first.click()
    tokens = page.locator("#explore-picker .token")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#explore-picker .token')]"
        ".map(t => t.innerText.trim()).join('|') === 'Björk'"
    )
    box.press_sequentially("radiohead", delay=40)  # a second pick replaces the first
    page.locator("li.item:visible", has_text="Radiohead").first.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#explore-picker .token')]"
        ".map(t => t.innerText.trim()).join('|') === 'Radiohead'"
    )
    assert tokens.all_inner_texts() == ["Radiohead"]
    visible(page.get_by_role("button", name="Look up", exact=True)).click()
    card = page.locator(".artist-card:visible").first
    card.wait_for()
    assert card.locator(".title").inner_text().strip() == "Radiohead"


def test_a_fuzzy_pick_in_discover_leaves_the_plain_name(desktop) -> None:
    page = desktop
    fresh(page)
    type_in_picker(page, "bjork")
    option = page.locator("li.item:visible", has_text="Björk").first
    option.wait_for()
    assert option.inner_text().strip() == "Björk · Bjork"  # the name's spelling, not the typing
    option.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#discover-picker .token')]"
        ".map(t => t.innerText.trim()).join('|') === 'Björk'"
    )


# -- 4. charts to read at a glance -------------------------------------------------------------
def chart_texts(svg, role: str) -> list[dict]:
    return svg.evaluate(
        """(svg, role) => [...svg.querySelectorAll(`.${role} text`)].map(t => {
            const r = t.getBoundingClientRect();
            return {text: t.textContent, left: r.left, right: r.right, top: r.top,
                    bottom: r.bottom};
        })""",
        role,
    )


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["left"] < b["right"] and b["left"] < a["right"]
        and a["top"] < b["bottom"] and b["top"] < a["bottom"]
    ]  # fmt: skip


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_compare_charts_name_their_axes_keep_every_model_and_fit(
    request, fast_bundle, size: str
) -> None:
    if not fast_bundle.metrics:
        pytest.skip("this bundle was built without its evaluation: Compare shows no charts")
    page = request.getfixturevalue(size)
    width = (PHONE if size == "phone" else DESKTOP)["width"]
    fresh(page)
    open_tab(page, "Compare")
    charts = page.locator(".bar-chart:visible svg.marks")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.bar-chart svg.marks')]"
        ".filter(s => s.getBoundingClientRect().height > 100).length >= 3"
    )
    assert charts.count() == 3
    models = set(fast_bundle.model_names)
    axis_titles = []
    for svg in charts.all():
        svg.scroll_into_view_if_needed()
        box = svg.bounding_box()
        labels = chart_texts(svg, "role-axis-label")
        titles_ = chart_texts(svg, "role-title")
        axis_titles += [t["text"] for t in chart_texts(svg, "role-axis-title")]
        assert not overlapping(labels), overlapping(labels)
        for text in labels + titles_:  # nothing cut at the chart's or the screen's edge
            assert box["x"] - 1 <= text["left"] and text["right"] <= box["x"] + box["width"] + 1
            assert text["left"] >= 0 and text["right"] <= width, text
        bars = svg.locator(".mark-rect.role-mark path").count()
        assert bars >= len(models), bars
    legend = {t["text"] for t in chart_texts(charts.first, "role-legend-label")}
    assert legend == models  # every model, svd included
    assert axis_titles == ["score", "share", "bits"], axis_titles  # not "bar" / "value"
    charts.first.scroll_into_view_if_needed()
    shot(page, f"{size}_compare_charts")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_cluster_sizes_read_in_bucket_order(request, fast_bundle, size: str) -> None:
    page = request.getfixturevalue(size)
    fresh(page)
    open_tab(page, "How it works", "Clustering")
    chart = page.locator(".bar-chart:visible svg.marks").first
    chart.wait_for()
    page.wait_for_timeout(300)
    labels = sorted(chart_texts(chart, "role-axis-label"), key=lambda t: t["top"])
    buckets = clustering.size_bins(clustering.cluster_summary(fast_bundle))
    expected = buckets["listeners per cluster"].tolist()
    assert [t["text"] for t in labels if t["text"] in expected] == expected  # not as text
    assert not overlapping(labels), overlapping(labels)


# -- 5. the popularity control speaks in listeners and applies at once --------------------------
def test_the_popularity_control_applies_in_listeners_without_another_press(
    desktop, fast_bundle
) -> None:
    page = desktop
    fresh(page)
    visible(page.get_by_role("button", name=EXAMPLES[0], exact=True)).click()
    wait_for_cards(page)
    before = titles(page)
    visible(page.get_by_text("Options: how many, tags, fewer mainstream")).click()
    _low, ceiling = fast_bundle.listener_range(0.5)
    users = f"{fast_bundle.n_users:,}"
    label = f"at most {ceiling:,} of {users} listeners"
    visible(page.get_by_label(label, exact=True)).check()  # no Recommend press after it
    wait_for_cards(page, not_first=before[0])
    counts = []
    for card in page.locator(".artist-card:visible .reach").all_inner_texts():
        found = LISTENERS.search(card)
        assert found and found.group(2) == users, card
        counts.append(int(found.group(1).replace(",", "")))
        assert "(0%)" not in card
    assert counts and max(counts) <= ceiling, (ceiling, counts)
    assert titles(page) != before
