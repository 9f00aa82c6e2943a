"""The "similar to this" panel of Discover's cards (ui/jump.py), with the real (fast) bundle
and Discover's own events: the panel opens in the same update right under the card, lists the
bundle's neighbours of that artist with the bundle's own reasons, never a "not for me" artist,
and "+ Add as a pick" adds exactly that artist to the picks (anything else sent leaves them as
they were)."""

from __future__ import annotations

import asyncio
import html
import re
import threading
from typing import Any

import gradio as gr
import pytest

from ui import cards, discover, jump, session

pytestmark = pytest.mark.slow

PICKS = ["Radiohead", "Muse"]


@pytest.fixture(scope="module")
def events(fast_bundle) -> dict[str, Any]:
    with gr.Blocks() as demo:
        discover.build(fast_bundle)
    return {f.api_name: f for f in demo.fns.values() if f.api_name}


def act(events, visit, action: str, artist: object, model: str = "fusion") -> tuple:
    evt = gr.EventData(None, {"action": action, "artist": artist})
    fn = events["discover_feedback"].fn
    return asyncio.run(fn(PICKS, model, 10, [], 0.0, visit, evt))


def first_visit(events) -> dict:
    fn = events["recommend"].fn
    return asyncio.run(fn(PICKS, "fusion", 10, [], 0.0, session.new_session()))[2]


def panel_of(cards_html: str) -> str:
    found = re.search(r'<section class="similar-panel".*?</section>', cards_html, re.S)
    assert found, "no panel"
    return found.group(0)


def neighbour_rows(panel: str) -> list[tuple[str, str]]:
    """(name, reason) of each neighbour, as the page shows them."""
    rows = re.findall(r'<div class="who"><b>([^<]*)</b><small>([^<]*)</small>', panel)
    return [(html.unescape(n), html.unescape(r)) for n, r in rows]


def test_the_panel_opens_under_its_card_with_the_bundles_neighbours_and_reasons(
    events, fast_bundle
) -> None:
    visit = first_visit(events)
    second = list(visit["shown"])[1]
    status, shown, _state, _feedback, _csv = act(events, visit, "similar", str(second))
    assert "status error" not in status
    expected = fast_bundle.similar_artists("fusion", second, k=jump.NEIGHBOURS)
    assert neighbour_rows(panel_of(shown)) == list(
        zip(expected["name"], expected["explanation"], strict=True)
    )
    # right after the second card, before the third; its button now hides the panel
    order = [m.group(0) for m in re.finditer(r'<article class="artist-card"|<section', shown)]
    assert order[:4] == ['<article class="artist-card"'] * 2 + ["<section", order[3]]
    card = shown[: shown.index("<section")].rsplit("<article", 1)[1]
    assert 'data-local="hide-similar"' in card and 'aria-expanded="true"' in card
    # the cards themselves are the same as before the click
    assert re.findall(r'data-action="like" data-artist="(\d+)"', shown) == [
        str(i) for i in visit["shown"]
    ]


def test_neighbours_already_picked_are_marked_and_not_for_me_ones_left_out(
    events, fast_bundle
) -> None:
    visit = first_visit(events)
    radiohead = fast_bundle.resolve_artists(["Radiohead"])[0]
    near = fast_bundle.similar_artists("fusion", radiohead, k=jump.NEIGHBOURS + 1)
    unwanted, picked = int(near["artist_id"].iat[0]), str(near["name"].iat[1])
    visit = act(events, visit, "exclude", str(unwanted))[2]
    panel = jump.panel_html(fast_bundle, "fusion", radiohead, visit, ["Radiohead", picked])
    assert [n for n, _ in neighbour_rows(panel)] == near["name"].tolist()[1:]
    item = panel[panel.index(f"<b>{html.escape(picked)}</b>") :].split("</li>")[0]
    assert "✓ In your picks" in item and "data-action" not in item
    assert panel.count('data-action="pick"') == jump.NEIGHBOURS - 1


def test_popularity_has_no_similarity_so_the_default_model_answers(fast_bundle) -> None:
    radiohead = fast_bundle.resolve_artists(["Radiohead"])[0]
    found = jump.neighbours(fast_bundle, "popularity", radiohead, session.new_session())
    expected = fast_bundle.similar_artists(fast_bundle.default_model, radiohead, jump.NEIGHBOURS)
    assert found["artist_id"].tolist() == expected["artist_id"].tolist()


def test_add_as_a_pick_adds_that_artist_and_nothing_else(events, fast_bundle) -> None:
    add = events["add_pick"].fn
    muse = fast_bundle.resolve_artists(["Sigur Rós"])[0]
    evt = gr.EventData(None, {"action": "pick", "artist": str(muse)})
    assert add(["Radiohead"], evt) == ["Radiohead", "Sigur Rós"]
    assert add(["Radiohead", "Sigur Rós"], evt) == ["Radiohead", "Sigur Rós"]  # once
    for hostile in [None, True, -1, "abc", "1" * 40, {"a": 1}, [1], "99999999", " 154"]:
        evt = gr.EventData(None, {"action": "pick", "artist": hostile})
        assert add(["Radiohead"], evt) == ["Radiohead"], hostile
    assert add(["Radiohead"], gr.EventData(None, {"action": "like", "artist": str(muse)})) == [
        "Radiohead"
    ]
    assert add("not a list", gr.EventData(None, {})) == []


def test_a_panel_for_an_artist_no_longer_shown_opens_at_the_top(fast_bundle) -> None:
    table = fast_bundle.recommend("fusion", liked=PICKS, k=3)
    panel = '<section class="similar-panel">x</section>'
    shown = cards.cards_html(table, feedback=True, after={999_999: panel})
    assert shown.startswith('<div class="card-grid"><section class="similar-panel">')


def test_a_hostile_similar_request_says_what_is_wrong(events) -> None:
    visit = first_visit(events)
    status, shown, *_ = act(events, visit, "similar", "99999999")
    assert "status error" in status and "Unknown artist id 99999999" in status
    for artist in ("abc", None, "-3", "<b>"):
        status, shown, *_ = act(events, visit, "similar", artist)
        assert "similar-panel" not in shown and "<b>" not in status


class ThreadSpy:
    """The real bundle, noting the thread each similar_artists() runs in."""

    def __init__(self, bundle: Any) -> None:
        self.bundle, self.threads = bundle, []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.bundle, name)

    def similar_artists(self, *args: Any, **kwargs: Any) -> Any:
        self.threads.append(threading.get_ident())
        return self.bundle.similar_artists(*args, **kwargs)


def test_a_panel_is_made_off_the_event_loop(fast_bundle) -> None:
    """A second model pass (10-20 ms on the full bundle) must not hold up the server's loop,
    where small Discover requests are answered (ui.discover.runs_inline)."""
    spy = ThreadSpy(fast_bundle)
    with gr.Blocks() as demo:
        discover.build(spy)
    fn = {f.api_name: f for f in demo.fns.values()}["discover_feedback"].fn
    evt = gr.EventData(None, {"action": "similar", "artist": "190"})

    async def call() -> bool:
        await fn(PICKS, "fusion", 10, [], 0.0, session.new_session(), evt)
        return spy.threads[-1] != threading.get_ident()

    assert asyncio.run(call())
