"""The SVD map and the listening-history panel in headless Chromium, one app launch shared by a
desktop page (1366×900) and a phone page (390×844, mobile, touch):

- desktop: hovering a dot of the SVD map shows a tooltip headed by the artist's name, then its
  group, without the raw coordinates;
- phone: the map's axes, title and legend stay inside the screen, and a TAP on a dot writes the
  artist's name beside it (Vega shows tooltips on pointer moves only, which a tap never makes);
- phone: Discover's "Bring your listening history" opens, its upload control spans the panel
  with nothing covering its drop zone, a tap on it takes a Spotify export, and the summary and
  the cards follow; the page never scrolls sideways.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from tests.browser.test_e2e import (
    DESKTOP,
    PHONE,
    app_in_chromium,
    open_page,
    open_tab,
    shot,
    titles,
    visible,
)
from ui import svd

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HISTORY = Path(__file__).resolve().parents[1] / "fixtures" / "history"
EXPORT = HISTORY / "StreamingHistory_music_0.json"  # an account-data export, four artists
# most played first; Muse's one play (12 s) is a skip
MATCHED = ["Radiohead", "Король и Шут", "Sigur Rós", "宇多田ヒカル"]
# stroke colour → group, for the highlighted dots (the listener's and the recommended artists)
HIGHLIGHTED = {
    svd.colour_map(pd.DataFrame({"group": []}))[group]: group
    for group in (svd.YOURS, svd.RECOMMENDED)
}
DOTS = ".artist-map svg .role-mark path[aria-label]"  # each artist's dot (hidden tabs too)
NUMBER = re.compile(r"[-−]?\d+\.\d+")  # a raw coordinate such as −0.086


@pytest.fixture(scope="module")
def app(fast_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("phonemaplog") / "app.log"
    no_key = {"LASTFM_API_KEY": ""}  # the history panel looks the same whatever the machine has
    with app_in_chromium(fast_bundle_dir, log, env=no_key) as app:
        yield app


@pytest.fixture(scope="module")
def desktop(app):
    page = open_page(app, DESKTOP)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def phone(app):
    page = open_page(app, PHONE, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


def open_map(page) -> None:
    open_tab(page, "How it works", "SVD map")
    page.locator(".artist-map:visible svg.marks path[aria-label]").first.wait_for()
    visible(page.locator(".artist-map")).scroll_into_view_if_needed()


def lonely_highlighted_dot(page, skip: tuple[str, ...] = ()) -> dict:
    """The listener's or recommended dot (not named in ``skip``) farthest from any other dot, so
    the pointer or finger at its centre can only mean it: its name, stroke and centre in the
    viewport."""
    return page.evaluate(
        """([selector, strokes, skip]) => {
            const dots = [...document.querySelectorAll(selector)].filter(
                e => e.getBoundingClientRect().width > 0).map(e => {
                const r = e.getBoundingClientRect();
                return {name: e.getAttribute('aria-label'), stroke: e.getAttribute('stroke'),
                        x: r.left + r.width / 2, y: r.top + r.height / 2};
            });
            let best = null, far = -1;
            for (const d of dots.filter(d => strokes.includes(d.stroke)
                                             && !skip.includes(d.name))) {
                const near = Math.min(...dots.filter(o => o !== d)
                    .map(o => Math.hypot(o.x - d.x, o.y - d.y)));
                if (near > far) { far = near; best = {...d, gap: near}; }
            }
            return best;
        }""",
        [DOTS, list(HIGHLIGHTED), list(skip)],
    )


def inside(box: dict, outer: dict, slack: float = 1.0) -> bool:
    return (
        box["x"] >= outer["x"] - slack
        and box["y"] >= outer["y"] - slack
        and box["x"] + box["width"] <= outer["x"] + outer["width"] + slack
        and box["y"] + box["height"] <= outer["y"] + outer["height"] + slack
    )


def overlap(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def no_sideways_scroll(page) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner + 1, f"the page scrolls sideways: {width} > {inner}"


def test_map_tooltip_names_the_artist_first_without_coordinates(desktop) -> None:
    page = desktop
    open_map(page)
    dot = lonely_highlighted_dot(page)
    assert dot and dot["name"], "no highlighted dot on the map"
    page.mouse.move(dot["x"] - 40, dot["y"] - 40)
    page.mouse.move(dot["x"], dot["y"], steps=4)
    tip = page.locator("#vg-tooltip-element.visible")
    tip.wait_for()
    lines = [line.strip() for line in tip.inner_text().splitlines() if line.strip()]
    assert lines[0] == dot["name"], lines  # the name first, as the tooltip's heading
    assert tip.locator("h2").inner_text() == dot["name"]
    assert HIGHLIGHTED[dot["stroke"]] in " ".join(lines[1:])  # then its group
    assert not NUMBER.search(tip.inner_text()), lines  # no x/y values anywhere
    assert "taste factor" not in tip.inner_text()
    shot(page, "svd_map_tooltip")


def test_phone_map_keeps_both_axes_title_and_legend_on_screen(phone) -> None:
    page = phone
    open_map(page)
    block = visible(page.locator(".artist-map")).bounding_box()
    screen = {"x": 0, "y": block["y"], "width": PHONE["width"], "height": block["height"]}
    svg = page.locator(".artist-map:visible svg.marks").first
    for name in ("taste factor 1", "taste factor 2"):
        title = svg.locator(".role-axis-title text", has_text=name)
        assert title.count() == 1, name
        box = title.bounding_box()
        assert box and box["width"] > 0 and inside(box, block) and inside(box, screen), (name, box)
    labels = svg.locator(".role-axis-label text").all()
    assert len(labels) >= 6  # ticks on both axes
    for label in labels:
        box = label.bounding_box()
        assert box and inside(box, block) and inside(box, screen), (label.inner_html(), box)
    for text in svg.locator(".role-title text, .role-legend-label text").all():
        box = text.bounding_box()
        assert box and inside(box, screen), (text.inner_html(), box)  # nothing cut at the edge
    no_sideways_scroll(page)


def test_phone_tap_on_a_dot_writes_its_name(phone) -> None:
    page = phone
    open_map(page)
    block = visible(page.locator(".artist-map")).bounding_box()
    tapped: tuple[str, ...] = ()
    for _ in range(2):  # a second tap, on another dot, moves the name there
        dot = lonely_highlighted_dot(page, skip=tapped)
        tapped += (dot["name"],)
        page.touchscreen.tap(dot["x"], dot["y"])
        label = page.locator(".artist-map:visible .mark-text.role-mark text")
        page.wait_for_function(
            "([s, n]) => [...document.querySelectorAll(s)].some(t => t.textContent === n)",
            arg=[".artist-map .mark-text.role-mark text", dot["name"]],
        )
        assert label.count() == 1  # one name at a time
        box = label.bounding_box()
        assert box and inside(box, block) and box["x"] + box["width"] <= PHONE["width"]
        assert abs(box["y"] + box["height"] / 2 - dot["y"]) < 15  # beside the dot
        fill = label.evaluate("t => getComputedStyle(t).fill")
        assert fill not in ("none", "transparent"), fill
    shot(page, "phone_svd_map_tap")


def test_phone_history_upload_fills_the_picker_and_shows_cards(phone) -> None:
    page = phone
    open_tab(page, "Discover")
    header = visible(page.get_by_text("Bring your listening history"))
    header.scroll_into_view_if_needed()
    header.tap()
    upload = visible(page.locator("#history-upload"))
    upload.scroll_into_view_if_needed()
    panel = visible(page.locator("#history-panel")).bounding_box()
    box = upload.bounding_box()
    assert box and box["width"] >= 0.9 * panel["width"], (box, panel)  # spans the panel
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    zone = upload.locator("button.upload-container")
    zone_box = zone.bounding_box()
    label_box = upload.locator("label").first.bounding_box()  # floats over the zone's corner
    content = zone.locator(".wrap")  # icon, "Drop File Here", "- or -", "Click to Upload"
    assert "Drop File Here" in content.inner_text() and "Click to Upload" in content.inner_text()
    for part in (content, content.locator(".icon-wrap")):
        part_box = part.bounding_box()
        assert part_box and inside(part_box, zone_box), (part_box, zone_box)  # not cut off
        assert not overlap(part_box, label_box), (part_box, label_box)  # not under the label
    with page.expect_file_chooser() as chooser:
        zone.tap()  # the drop zone itself takes the file
    chooser.value.set_files(str(EXPORT))
    summary = page.locator(".history-summary:visible")
    summary.wait_for()
    assert "We found 4 artists; 4 are in this 2011 catalog" in summary.inner_text()
    page.locator(".artist-card:visible").first.wait_for()
    page.wait_for_function(
        "n => document.querySelectorAll('#discover-picker .token').length === n", arg=len(MATCHED)
    )
    tokens = [t.strip() for t in page.locator("#discover-picker .token").all_inner_texts()]
    assert tokens == MATCHED
    assert len(titles(page)) == 10 and not set(titles(page)) & set(MATCHED)
    assert not page.locator(".status.error:visible").count()
    summary_box = summary.bounding_box()
    assert summary_box and summary_box["x"] + summary_box["width"] <= PHONE["width"]
    for card in page.locator(".artist-card:visible").all():
        card_box = card.bounding_box()
        assert (
            card_box and card_box["x"] >= 0 and card_box["x"] + card_box["width"] <= PHONE["width"]
        )
    no_sideways_scroll(page)
    summary.scroll_into_view_if_needed()
    shot(page, "phone_history")
