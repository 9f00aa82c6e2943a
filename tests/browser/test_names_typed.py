"""Names in any alphabet, typed into Discover's picker in headless Chromium at desktop (1366×900)
and phone (390×844) sizes: romanised names and aliases typed key by key, and Hangul and kana
entered the way an input method does (each composed state in turn, with the key events Chromium
sends while composing). After each step the meant artist must be offered inside the viewport;
any console error or page error fails the test."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.browser.test_e2e import DESKTOP, PHONE, app_in_chromium, open_page, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# (typed key by key, the artist meant); prefixes are checked against the library's own search
ROMANISED = [("tvxq", "동방신기"), ("dong bang shin", "동방신기"), ("ayumi hamasaki", "浜崎あゆみ")]
# What an input method shows after each key (2-set Korean; Japanese romaji, then conversion).
COMPOSED = [
    ("동방신기", ["ㄷ", "도", "동", "동ㅂ", "동바", "동방", "동방ㅅ", "동방시", "동방신",
                 "동방신ㄱ", "동방신기"]),
    ("소녀시대", ["ㅅ", "소", "손", "소녀", "소녀ㅅ", "소녀시", "소녀싣", "소녀시대"]),
    ("東方神起", ["と", "とう", "とうほ", "とうほう", "とうほうし", "とうほうしん",
                 "とうほうしんき", "東方神起"]),
]  # fmt: skip
SHOWN = 12  # ui.inputs.search_choices


@pytest.fixture(scope="module")
def app(fast_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    log = tmp_path_factory.mktemp("nameslog") / "app.log"
    with app_in_chromium(fast_bundle_dir, log) as app:
        yield app


@pytest.fixture(scope="module", params=["desktop", "phone"])
def page(app, request):
    device = {"is_mobile": True, "has_touch": True} if request.param == "phone" else {}
    page = open_page(app, DESKTOP if request.param == "desktop" else PHONE, **device)
    page.problems = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.viewport_name = request.param  # type: ignore[attr-defined]
    yield page
    page.close()


def empty_picker(page):
    """The picker's box emptied and clicked, so its list opens as it does for a visitor."""
    box = page.locator("#discover-picker input")
    box.fill("")
    box.blur()
    box.click()
    return box


def offered_in_view(page, name: str, typed: str) -> str:
    """Waits until ``name`` is an option of the open list, inside the viewport; its label."""
    option = page.locator("li.item:visible", has_text=name).first
    try:
        option.wait_for(timeout=10_000)
    except Exception as error:  # say what was shown instead
        shown = page.locator("li.item:visible").all_inner_texts()
        raise AssertionError(f"{typed!r}: {name} not offered; shown {shown}") from error
    view = page.viewport_size
    deadline = time.monotonic() + 5
    while True:  # the list re-renders as answers arrive: read a settled option
        try:
            box, label = option.bounding_box(timeout=1_000), option.inner_text(timeout=1_000)
        except Exception:
            box, label = None, ""
        inside = bool(box) and (
            box["y"] >= 0
            and box["y"] + box["height"] <= view["height"]
            and box["x"] >= 0
            and box["x"] + box["width"] <= view["width"] + 1
        )
        if inside or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert inside, (typed, box, view)  # shown without scrolling: the visitor sees it
    return label.strip()


@pytest.mark.parametrize(("typed", "meant"), ROMANISED)
def test_romanised_names_and_aliases_typed_key_by_key_offer_the_artist(
    page, fast_bundle, typed, meant
):
    box = empty_picker(page)
    for end in range(1, len(typed) + 1):
        box.press_sequentially(typed[end - 1], delay=40)
        if meant in fast_bundle.search_artists(typed[:end], limit=SHOWN):
            label = offered_in_view(page, meant, typed[:end])
            assert typed[:end].strip().casefold() in label.casefold()  # Gradio's own filter
    assert fast_bundle.search_artists(typed, limit=SHOWN)[0] == meant
    assert page.locator("li.item:visible").first.inner_text().startswith(meant)
    shot(page, f"names_{page.viewport_name}_{typed.replace(' ', '_')}")
    assert not page.problems, page.problems


@pytest.mark.parametrize(("meant", "states"), COMPOSED)
def test_hangul_and_kana_composed_by_an_input_method_offer_the_artist_at_every_step(
    page, meant, states
):
    box = empty_picker(page)
    cdp = page.context.new_cdp_session(page)
    committed = ""
    for state in states:
        # An input method commits finished syllables and keeps the last one composing.
        if not state.startswith(committed):
            committed = ""
            box.fill("")
        if len(state) - 1 > len(committed):
            cdp.send("Input.insertText", {"text": state[len(committed) : -1]})
            committed = state[:-1]
        cdp.send("Input.imeSetComposition", {"text": state[-1], "selectionStart": 1,
                                             "selectionEnd": 1})  # fmt: skip
        cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Process",
                                            "windowsVirtualKeyCode": 229})  # fmt: skip
        assert box.input_value() == state
        offered_in_view(page, meant, state)
    cdp.send("Input.insertText", {"text": states[-1][len(committed) :]})  # the final commit
    assert box.input_value() == states[-1]
    cdp.detach()
    assert not page.problems, page.problems


@pytest.mark.parametrize("text", ["東方神起", "동방신기", "ayumi hamasaki"])
def test_text_that_arrives_without_key_events_is_searched_too(page, text):
    """Pasted or dictated text, some phone keyboards, and Playwright's typing of characters off
    a US keyboard put text in the box with an input event and no key events."""
    box = empty_picker(page)
    cdp = page.context.new_cdp_session(page)
    for end in range(1, len(text) + 1):
        cdp.send("Input.insertText", {"text": text[end - 1]})  # no keydown / keyup
    cdp.detach()
    assert box.input_value() == text
    offered_in_view(page, {"ayumi hamasaki": "浜崎あゆみ"}.get(text, text), text)
    assert not page.problems, page.problems
