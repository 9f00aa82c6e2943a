"""What music fans expect from a card, in headless Chromium at 1366×900 and 390×844 (mobile,
touch), used as a person would (names typed key by key, taps on the phone, looking at what is in
the viewport), one app launch on a bundle whose Spotify enrichment came from recorded Spotify
answers (tests/spotify_bundle.py: Muse, Beyoncé and Sigur Rós have Spotify ids):

- jump: "Similar to this" opens that artist's neighbours right under the card, with the
  bundle's reasons, in view; "+ Add as a pick" makes one a pick and the cards follow;
- share: after Recommend the address holds the picks, 👍, "not for me" and options; "copy link"
  copies it; a new browser opening it shows the same picks, feedback and cards; hostile links
  open with a clear message, never an error page or injected markup;
- listen: no request reaches Spotify until ▶ Play, which then loads Spotify's embedded player
  for that artist (blocked here by a route: nothing downloads); cards without an id offer
  labelled searches.

Any console error or page error fails a test. Screenshots: tests/browser/test_e2e.shot."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from tests.browser.test_e2e import DESKTOP, PHONE, app_in_chromium, shot, titles, visible
from tests.spotify_bundle import SPOTIFY_IDS, spotify_bundle
from ui import share

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EVIL = "<img src=x onerror=alert(1)>"
OUTSIDE = re.compile(r"^https://(open\.spotify\.com|i\.scdn\.co)/")
# What the route answers instead of Spotify: the page must look the same with nothing fetched.
PLAYER_STAND_IN = (
    "<!doctype html><body style='margin:0;height:100vh;display:grid;place-items:center;"
    "background:#1db954;color:#fff;font:600 14px sans-serif'>Spotify's player (not fetched: "
    "offline test)</body>"
)


def picture() -> bytes:
    """A 64×64 PNG standing in for Spotify's artist pictures (not fetched either)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 64), (29, 185, 84)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def bundle_dir(fast_bundle_dir: Path, data_dir: Path, tmp_path_factory) -> Path:
    return spotify_bundle(fast_bundle_dir, tmp_path_factory.mktemp("spotify") / "b", data_dir)


@pytest.fixture(scope="module")
def bundle(bundle_dir: Path):
    import recommenders

    return recommenders.load(bundle_dir)


@pytest.fixture(scope="module")
def app(bundle_dir: Path, tmp_path_factory):
    with app_in_chromium(bundle_dir, tmp_path_factory.mktemp("jsl") / "app.log") as app:
        yield app


def visit(app, viewport: dict, link: str = ""):
    """A new browser (context) opening the app's address + ``link``, watched: its console and
    page errors, its dialogs and every request that left 127.0.0.1."""
    browser, url = app
    phone = viewport == PHONE
    context = browser.new_context(
        viewport=viewport, is_mobile=phone, has_touch=phone,
        permissions=["clipboard-read", "clipboard-write"],
    )  # fmt: skip
    image = picture()

    def stand_in(route) -> None:
        if "/embed/" in route.request.url:
            route.fulfill(status=200, content_type="text/html", body=PLAYER_STAND_IN)
        else:
            route.fulfill(status=200, content_type="image/png", body=image)

    context.route(OUTSIDE, stand_in)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.problems, page.outside, page.dialogs = [], [], []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: not r.url.startswith(url) and page.outside.append(r.url))
    page.goto(url + link, wait_until="load")
    page.locator("#discover-picker input").wait_for()
    return page


def press(page, locator) -> None:
    """A tap on the phone, a click on the desktop."""
    if page.viewport_size == PHONE:
        locator.tap()
    else:
        locator.click()


def pick_by_typing(page, names: list[str]) -> None:
    box = page.locator("#discover-picker input")
    for name in names:
        press(page, box)
        box.press_sequentially(name, delay=40)
        press(page, page.locator("li.item:visible", has_text=name).first)
    page.keyboard.press("Escape")


def grid(page) -> str:
    """The cards as they are now ("" before any)."""
    return page.evaluate(
        "() => (document.querySelector('.cards-box .card-grid') || {outerHTML: ''}).outerHTML"
    )


def wait_for_new_cards(page, before: str) -> None:
    """Until the cards differ from ``before`` (``grid(page)`` earlier) and no button waits for an
    answer (a pressed card button is disabled until the new cards replace it)."""
    page.wait_for_function(
        "b => { const g = document.querySelector('.cards-box .card-grid');"
        " return g && g.querySelector('.artist-card') && g.outerHTML !== b"
        " && !g.querySelector('button:disabled'); }",
        arg=before,
    )


def recommend(page) -> None:
    before = grid(page)
    press(page, visible(page.get_by_role("button", name="Recommend", exact=True)))
    wait_for_new_cards(page, before)


def tokens(page) -> list[str]:
    return [t.strip() for t in page.locator("#discover-picker .token").all_inner_texts()]


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    view = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] < view["height"] and box["x"] >= 0


def link_of(page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(page.url).query))


def done(page) -> None:
    assert not page.problems, page.problems
    assert not page.dialogs and page.locator("img[src='x']").count() == 0
    page.context.close()


# -- jump ------------------------------------------------------------------------------------
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_similar_to_this_shows_neighbours_under_the_card_and_adds_one(app, bundle, viewport):
    page = visit(app, viewport)
    pick_by_typing(page, ["Radiohead"])
    recommend(page)
    card = page.locator(".cards-box .artist-card").first
    card.scroll_into_view_if_needed()
    first = titles(page)[0]
    press(page, card.get_by_role("button", name="Similar to this"))
    panel = page.locator(".cards-box .similar-panel")
    panel.wait_for()
    assert in_view(page, panel.locator("header"))  # the visitor sees it open
    assert (
        page.evaluate(  # right under the card: the next element of the grid
            "() => document.querySelector('.cards-box .artist-card').nextElementSibling.className"
        )
        == "similar-panel"
    )
    expected = bundle.similar_artists(bundle.default_model, first, k=8)
    names, reasons = panel.locator(".who b"), panel.locator(".who small")
    shown = list(zip(names.all_inner_texts(), reasons.all_inner_texts(), strict=True))
    assert shown == list(zip(expected["name"], expected["explanation"], strict=True))
    assert "Similar to" in panel.locator("header").inner_text() and first in panel.inner_text()
    shot(page, f"jump_{'phone' if viewport == PHONE else 'desktop'}")
    # "+ Add as a pick": that artist joins the picks, the cards follow without it
    add = panel.get_by_role("button", name=re.compile("^Add .* to your picks$")).first
    added = add.get_attribute("aria-label").removeprefix("Add ").removesuffix(" to your picks")
    press(page, add)
    page.wait_for_function(  # the picks, then the cards for them (without the panel)
        "n => [...document.querySelectorAll('#discover-picker .token')].some("
        "t => t.innerText.trim() === n) && !document.querySelector('.cards-box .similar-panel')"
        " && document.querySelector('.cards-box .artist-card')",
        arg=added,
    )
    assert tokens(page) == ["Radiohead", added] and added not in titles(page)
    assert not page.locator(".cards-box .similar-panel").count()
    assert link_of(page)["a"] == ",".join(map(str, bundle.resolve_artists(["Radiohead", added])))
    done(page)


def test_hide_closes_the_panel_without_a_request(app) -> None:
    page = visit(app, DESKTOP)
    press(page, visible(page.get_by_role("button", name="Daft Punk · Massive Attack")))
    page.locator(".cards-box .artist-card").first.wait_for()
    card = page.locator(".cards-box .artist-card").nth(1)
    card.get_by_role("button", name="Similar to this").click()
    page.locator(".cards-box .similar-panel").wait_for()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.locator(".similar-panel").get_by_role("button", name=re.compile("^Hide artists")).click()
    assert not page.locator(".cards-box .similar-panel").count() and requests == []
    toggle = card.get_by_role("button", name="Similar to this")  # back, focused, usable again
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.innerText") == "Similar to this"
    page.keyboard.press("Enter")  # the keyboard opens it again
    page.locator(".cards-box .similar-panel").wait_for()
    done(page)


# -- share -----------------------------------------------------------------------------------
def test_a_copied_link_opens_the_same_cards_in_a_new_browser(app, bundle) -> None:
    page = visit(app, DESKTOP)
    pick_by_typing(page, ["Radiohead", "Björk"])
    recommend(page)
    liked, unwanted = titles(page)[:2]
    before = grid(page)
    page.locator(".cards-box .artist-card button[data-action=like]").first.click()
    wait_for_new_cards(page, before)
    before = grid(page)
    card = page.locator(".cards-box .artist-card", has_text=unwanted)
    card.get_by_role("button", name="Not for me").click()
    wait_for_new_cards(page, before)
    before = grid(page)
    page.get_by_role("radio", name="svd").click()
    wait_for_new_cards(page, before)
    link = link_of(page)
    ids = bundle.resolve_artists
    picked, liked_id, unwanted_id = ids(["Radiohead", "Björk"]), ids([liked]), ids([unwanted])
    expected = {"a": f"{picked[0]},{picked[1]}", "l": str(liked_id[0]), "x": str(unwanted_id[0])}
    assert link == {**expected, "m": "svd"}
    copy = page.get_by_role("button", name="Copy link to these cards")
    copy.scroll_into_view_if_needed()
    copy.click()
    page.get_by_text("Link copied").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.url
    shown, feedback = titles(page), page.locator(".feedback-list").inner_text()
    said = page.locator(".status-box .status").all_inner_texts()  # "Showing the svd model's…"
    # another browser, on a phone: the same picks, feedback, model and cards
    other = visit(app, PHONE, "?" + urlsplit(copied).query)
    other.locator(".cards-box .artist-card").first.wait_for()
    assert tokens(other) == ["Radiohead", "Björk"] and titles(other) == shown
    assert other.locator(".feedback-list").inner_text() == feedback
    assert other.get_by_role("radio", name="svd").is_checked()
    assert other.locator(".status-box .status").all_inner_texts() == said  # nothing more
    other.locator(".cards-box .artist-card").first.scroll_into_view_if_needed()
    assert in_view(other, other.locator(".cards-box .artist-card").first)
    shot(other, "shared_link_phone")
    assert link_of(other) == link
    done(other)
    done(page)


HISTORY = Path(__file__).resolve().parents[1] / "fixtures" / "history"


def test_an_uploaded_history_never_reaches_the_address(app) -> None:
    """Picks typed before the upload made a link; the history's cards leave none behind."""
    page = visit(app, DESKTOP)
    pick_by_typing(page, ["Radiohead"])
    recommend(page)
    assert "a" in link_of(page)
    visible(page.get_by_text("Bring your listening history")).click()
    before = grid(page)
    upload = page.locator("#history-upload input[type=file]")
    upload.set_input_files(str(HISTORY / "Streaming_History_Audio_2023-2024_0.json"))
    wait_for_new_cards(page, before)
    assert tokens(page) == ["Sigur Rós", "Muse", "宇多田ヒカル"]  # the history's artists
    assert not set(link_of(page)) & set(share.KEYS) and urlsplit(page.url).query == ""
    assert "No link for recommendations shaped by an uploaded listening history" in (
        page.locator(".cards-box .share-bar").inner_text()
    )
    done(page)


@pytest.mark.parametrize(
    ("link", "said"),
    [
        ("?n=" + quote(EVIL), "Unknown artist '<img src=x onerror=alert(1)>'"),
        ("?a=99999999,abc", "names no artist to recommend from"),
        ("?a=%FF%FE&m=%3Cscript%3E", "not readable text (UTF-8)"),
        ("?a=" + "1," * 3000, "too long to open"),
        ("?a=" + "1," * 40_000, "too long to open (80,002 characters"),  # Gradio's page: 500
        ("?a=154&k=abc&pp=9", "number of artists must be one of 5, 10, 15, 20, 30, 50; got 'abc'"),
    ],
    ids=["html-name", "unknown-ids", "not-utf8", "huge", "giant", "wrong-types"],
)
def test_hostile_links_open_with_a_clear_message(app, link: str, said: str) -> None:
    page = visit(app, PHONE, link)
    status = page.locator(".status-box .status").first
    status.wait_for()
    assert said in status.inner_text()
    status.scroll_into_view_if_needed()
    assert in_view(page, status)
    assert page.locator("script:text('alert')").count() == 0
    if "k=abc" in link:  # the usable rest of the link still gives cards
        page.locator(".cards-box .artist-card").first.wait_for()
        assert tokens(page) == ["Radiohead"]
    else:
        assert not page.locator(".cards-box .artist-card").count()
    if "1,1," in link:  # dropped from the address: later requests do not carry it
        assert "a=" not in page.url and "link_too_long" not in page.url
    # the page still works: an example gives cards
    press(page, visible(page.get_by_role("button", name="Metallica · Iron Maiden")))
    page.wait_for_function(
        "() => [...document.querySelectorAll('#discover-picker .token')].length === 2"
    )
    page.wait_for_function("() => !document.querySelector('.status-box .status.error')")
    page.locator(".cards-box .artist-card").first.wait_for()
    done(page)


# -- listen ----------------------------------------------------------------------------------
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_play_loads_spotifys_player_only_when_asked(app, bundle, viewport) -> None:
    page = visit(app, viewport)
    pick_by_typing(page, ["Radiohead"])
    recommend(page)
    shown = titles(page)
    playable = [n for n in shown if n in SPOTIFY_IDS]
    assert playable, shown  # Muse and Sigur Rós are among Radiohead's neighbours
    assert not [u for u in page.outside if "open.spotify.com" in u]  # nothing yet
    assert not page.locator("iframe").count()
    without = next(n for n in shown if n not in SPOTIFY_IDS)
    other = page.locator(".cards-box .artist-card", has_text=without)
    search = other.get_by_role("link", name=re.compile("^Search on Spotify for"))
    assert search.inner_text() == "Search on Spotify ↗"
    assert search.get_attribute("href").startswith("https://open.spotify.com/search/")
    youtube = other.get_by_role("link", name=re.compile("^Search on YouTube for"))
    assert youtube.get_attribute("href").startswith("https://www.youtube.com/results?")
    card = page.locator(".cards-box .artist-card", has_text=playable[0])
    button = card.get_by_role("button", name=f"Play {playable[0]} on Spotify")
    button.scroll_into_view_if_needed()
    press(page, button)
    frame = card.locator("iframe")
    frame.wait_for()
    embed = f"https://open.spotify.com/embed/artist/{SPOTIFY_IDS[playable[0]]}"
    assert frame.get_attribute("src") == embed
    page.wait_for_timeout(500)
    assert [u for u in page.outside if "open.spotify.com" in u] == [embed]  # that one only
    frame.scroll_into_view_if_needed()
    assert in_view(page, frame)
    shot(page, f"player_{'phone' if viewport == PHONE else 'desktop'}")
    press(page, card.get_by_role("button", name=f"Play {playable[0]} on Spotify"))  # closes
    assert not card.locator("iframe").count()
    done(page)
