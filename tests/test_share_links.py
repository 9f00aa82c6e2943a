"""Links that reopen Discover's cards (ui/share.py), on the real (fast) bundle and Discover's own
events, without a browser: the link written after Recommend opens, in a new visit, the same
picks, feedback, options and cards; nothing of an uploaded history goes in it; hostile links
(HTML, huge, bad UTF-8, wrong types, unknown ids) open to a clear, escaped message and never an
exception. The browser side (the address bar, "copy link", a new browser): tests/browser."""

from __future__ import annotations

import asyncio
import html
import re
from typing import Any
from urllib.parse import parse_qsl, quote

import gradio as gr
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.requests import Request

from recommenders.errors import RecommenderInputError
from ui import discover, session, share

pytestmark = pytest.mark.slow

EVIL = "<img src=x onerror=alert(1)>"
PICKS = ["Radiohead", "Björk"]


@pytest.fixture(scope="module")
def events(fast_bundle) -> dict[str, Any]:
    """Discover's events by api name (the functions Gradio calls)."""
    with gr.Blocks() as demo:
        discover.build(fast_bundle)
    return {f.api_name: f for f in demo.fns.values() if f.api_name}


def page_request(query: str) -> gr.Request:
    """The request of an event sent from a page whose address holds ``query`` (Gradio's page
    sends the address's query with each event: gr.Request.query_params)."""
    scope = {"type": "http", "method": "POST", "path": "/gradio_api/queue/join",
             "query_string": query.encode("latin-1"), "headers": []}  # fmt: skip
    return gr.Request(request=Request(scope))


def recommend(events, picks, model="fusion", k=10, tags=None, penalty=0.0, visit=None) -> tuple:
    fn = events["recommend"].fn
    return asyncio.run(fn(picks, model, k, tags or [], penalty, visit or session.new_session()))


def open_link(events, query: str, visit: dict | None = None, data: dict | None = None) -> tuple:
    """(picker, model, k, tags, penalty, status, cards, state, feedback, download)."""
    evt = gr.EventData(None, data or {})
    fn = events["open_link"].fn
    return asyncio.run(fn(visit or session.new_session(), page_request(query), evt))


def shared_query(cards_html: str) -> str:
    found = re.search(r'class="share-bar" data-share="([^"]*)"', cards_html)
    assert found, "no link under the cards"
    return html.unescape(found.group(1))


def card_titles(cards_html: str) -> list[str]:
    return re.findall(r'<div class="title"><span class="rank">\d+</span>(?:<a [^>]*>)?([^<]*)',
                      cards_html)  # fmt: skip


def test_a_link_reopens_the_same_picks_feedback_options_and_cards(events, fast_bundle) -> None:
    first = recommend(events, PICKS)
    shown = card_titles(first[1])
    liked, disliked = fast_bundle.resolve_artists([shown[0], shown[1]])
    visit = {**first[2], "like": {liked: shown[0]}, "exclude": {disliked: shown[1]}}
    _status, cards, _state, feedback, _csv = recommend(
        events, PICKS, model="svd", k=20, tags=["rock"], penalty=0.25, visit=visit
    )
    query = shared_query(cards)
    radiohead, bjork = fast_bundle.resolve_artists(PICKS)
    assert dict(parse_qsl(query)) == {
        "a": f"{radiohead},{bjork}", "l": str(liked), "x": str(disliked), "m": "svd",
        "k": "20", "t": "rock", "pp": "0.25",
    }  # fmt: skip
    # a new visit (another browser): nothing but the link
    picker, model, k, tags, penalty, status2, cards2, state2, feedback2, _ = open_link(
        events, query
    )
    assert (picker, model, k, tags, penalty) == (PICKS, "svd", 20, ["rock"], 0.25)
    assert card_titles(cards2) == card_titles(cards) and len(card_titles(cards2)) == 20
    assert state2["like"] == {liked: shown[0]} and state2["exclude"] == {disliked: shown[1]}
    assert feedback2 == feedback and "status error" not in status2
    assert shared_query(cards2) == query  # the reopened cards carry the same link


def test_a_link_holds_only_what_differs_from_the_defaults(events, fast_bundle) -> None:
    cards = recommend(events, PICKS)[1]
    radiohead, bjork = fast_bundle.resolve_artists(PICKS)
    assert shared_query(cards) == f"a={radiohead},{bjork}"


def test_nothing_of_an_uploaded_history_goes_in_a_link(events) -> None:
    plays = {"Radiohead": 120, "Björk": 40}
    visit = session.with_history(session.new_session(), plays)
    cards = recommend(events, list(plays), visit=visit)[1]
    assert "artist-card" in cards and "data-share" not in cards
    assert share.NO_LINK_NOTE in html.unescape(cards)


def test_a_neighbour_or_feedback_change_rewrites_the_link(events, fast_bundle) -> None:
    visit = recommend(events, PICKS)[2]
    shown = list(visit["shown"])
    evt = gr.EventData(None, {"action": "exclude", "artist": str(shown[0])})
    fn = events["discover_feedback"].fn
    cards = asyncio.run(fn(PICKS, "fusion", 10, [], 0.0, visit, evt))[1]
    assert dict(parse_qsl(shared_query(cards)))["x"] == str(shown[0])


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("a=" + ",".join(["1"] * 2000), "too long to open"),
        ("a=99999999,abc,-1,1e3", "no artist to recommend from"),
        ("a=%FF%FE", "not readable text (UTF-8)"),
        ("l=" + quote(EVIL), "no artist to recommend from"),
        ("m=fusion&k=10", "no artist to recommend from"),
    ],
)
def test_a_link_that_cannot_open_says_why_and_changes_nothing(events, query, said) -> None:
    status, *others = open_link(events, query)[5:]
    controls = open_link(events, query)[:5]
    assert "status error" in status and said in html.unescape(status)
    assert all(value == gr.skip() for value in [*controls, *others])  # nothing else changes
    assert "<img" not in status


@pytest.mark.parametrize(
    ("query", "said", "picker", "options"),
    [
        ("a=154,99999999&m=evil", ["1 picked artist id(s)", "'99999999'", "model must be one of",
                                   "got 'evil'"], ["Radiohead"], ("fusion", 10, [], 0.0)),
        ("a=154&k=7&pp=2&t=" + quote("rock\nindie"), ["number of artists must be one of",
         "got 7", "popularity penalty must be a number from 0 to 1; got 2"], ["Radiohead"],
         ("fusion", 10, ["rock", "indie"], 0.0)),
        ("a=154&k=abc&pp=0.5%3Cb%3E", ["got 'abc'", "got '0.5<b>'"], ["Radiohead"],
         ("fusion", 10, [], 0.0)),
        ("a=154&m=%FF", ["model are not readable text"], ["Radiohead"], ("fusion", 10, [], 0.0)),
    ],
)  # fmt: skip
def test_refused_parts_of_a_link_are_left_out_and_said(events, query, said, picker, options):
    got_picker, *got_options, status, cards, _state, _feedback, _csv = open_link(events, query)
    assert got_picker == picker and tuple(got_options) == options
    assert "artist-card" in cards  # the usable rest still gives cards
    text = html.unescape(status)
    assert "Opened from a link." in text
    for part in said:
        assert part in text, (part, text)
    assert "<b>" not in status


def test_a_hostile_name_in_a_link_is_text_in_the_message(events) -> None:
    picker, *_options, status, _cards, state, _feedback, _csv = open_link(
        events, "n=" + quote(EVIL) + "&l=154"
    )
    assert picker == [EVIL]
    # an unknown pick does not block (the cards come from the link's 👍); it is named, as text
    assert "unknown-picks" in status and "The cards below come from your other artists" in status
    assert html.escape(EVIL) in status and EVIL not in status
    assert state["like"] == {154: "Radiohead"}  # the link's 👍 stays for the fixed request


def test_a_link_dropped_by_the_page_for_its_length_is_said(events) -> None:
    *_controls, status, _cards, _state, _feedback, _csv = open_link(
        events, "", data={"too_long": 9000}
    )
    assert "too long to open (9,000 characters" in html.unescape(status)


def test_without_a_link_the_event_changes_nothing(events) -> None:
    outputs = open_link(events, "__theme=dark")
    assert outputs[5] == "" and all(o == gr.skip() for i, o in enumerate(outputs) if i != 5)


params = st.dictionaries(
    st.sampled_from([*share.KEYS, "zz"]),
    st.one_of(st.text(max_size=40), st.sampled_from(["154", "154,190", "1e9", "\ufffd", EVIL,
                                                     "0.5", "10", "", ",,,", "x" * 3000])),
    max_size=6,
)  # fmt: skip


@settings(derandomize=True, database=None, deadline=None, max_examples=150,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(params)
def test_any_link_is_read_or_refused_with_a_message(fast_bundle, params) -> None:
    try:
        opened = share.read_link(fast_bundle, params)
    except RecommenderInputError as exc:
        assert str(exc)
        return
    assert opened.picks or opened.like
    assert opened.model in fast_bundle.model_names and opened.k in (5, 10, 15, 20, 30, 50)
    assert 0 <= opened.penalty <= 1
    assert "<img" not in share.notes_html(opened.notes)


def test_a_page_address_too_long_for_gradio_is_redirected_with_its_length() -> None:
    """Past 65,536 characters Gradio's page route answers a bare 500 (httpx: "URL too long");
    the guard sends the browser to the page marked with the length, which the page reports."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    page = Route("/", lambda request: PlainTextResponse(f"page {len(request.url.query)}"))
    app = Starlette(routes=[page], middleware=[Middleware(share.LongLinkGuard)])
    client = TestClient(app)
    query = "a=" + "1," * 10_000  # 20 kB (a test client cannot send Gradio's 64 kB either)
    answer = client.get("/?" + query, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/?link_too_long={len(query)}"
    assert client.get("/?a=154,190").text == "page 9"  # a real link passes untouched
    assert client.post("/?" + query).status_code == 405  # only page loads are redirected
