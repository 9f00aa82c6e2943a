"""One taste per visit and picks that never block (ui/taste.py, ui/session.py), through the app's
own event handlers on the fast bundle (app.build_demo): what each tab shows when it opens after
Discover, an unknown pick beside the cards with its "did you mean", and Discover's "Why not?".
The browser side is tests/browser/test_one_taste.py."""

from __future__ import annotations

import asyncio
import html
import re
from types import SimpleNamespace
from typing import Any

import gradio as gr
import pandas as pd
import pytest

from recommenders.errors import RecommenderInputError
from recommenders.query import RecQuery
from ui import compare, session, taste

pytestmark = pytest.mark.slow

PICKS = ["Radiohead", "Muse"]
CONTROLS = [10, [], 0.0]  # k, tags, popularity penalty: each tab's defaults


@pytest.fixture(scope="module")
def demo(fast_bundle):
    import app

    return app.build_demo(fast_bundle)


def named(demo, api_name: str):
    (event,) = [f for f in demo.fns.values() if f.api_name == api_name]
    return event


def on_open(demo, label: str) -> list[Any]:
    """The events a click on the tab ``label`` runs."""
    (tab,) = [b for b in demo.blocks.values() if isinstance(b, gr.Tab) and b.label == label]
    return [f for f in demo.fns.values() if (tab._id, "select") in [tuple(t) for t in f.targets]]


def discover(demo, picks: list[str], visit: dict[str, Any], model: str = "fusion") -> tuple:
    return asyncio.run(named(demo, "recommend").fn(picks, model, *CONTROLS, visit))


def names_in(cards_html: str) -> list[str]:
    """The cards' artist names, in order (the title without its rank)."""
    titles = re.findall(r'<div class="title">(.*?)</div>', cards_html, re.S)
    unranked = [re.sub(r'<span class="rank">.*?</span>', "", t, flags=re.S) for t in titles]
    return [html.unescape(re.sub(r"<[^>]+>", "", t)).strip() for t in unranked]


def cards_of(fast_bundle, model: str, liked: list[Any], **fields: Any) -> list[str]:
    return fast_bundle.recommend(model, RecQuery.of(liked=liked, k=10, **fields))["name"].tolist()


def evt(**data: Any) -> gr.EventData:
    return gr.EventData(SimpleNamespace(), data)


# -- one unknown name no longer blocks ------------------------------------------------------------
def test_an_unknown_pick_shows_beside_the_cards_of_the_others(demo, fast_bundle) -> None:
    status, cards, visit, _feedback, download = discover(
        demo, ["Radiohed", "Muse"], session.new_session()
    )
    assert names_in(cards) == cards_of(fast_bundle, "fusion", ["Muse"])  # the cards, from Muse
    assert 'data-bad="Radiohed" data-good="Radiohead">Radiohead</button>' in status  # and beside
    assert "“Radiohed” is not in the 2011 catalog. Did you mean" in status
    assert "status error" not in status and download["path"].endswith(".csv")
    assert session.taste_picks(visit) == ["Muse"]
    # the click on "Radiohead": the picker is fixed, and the chained recommend runs with it
    fixed = taste.fix_pick(["Radiohed", "Muse"], evt(bad="Radiohed", good="Radiohead"))
    assert fixed == ["Radiohead", "Muse"]
    status, cards, visit, *_ = discover(demo, fixed, visit)
    assert status == "" and names_in(cards) == cards_of(fast_bundle, "fusion", PICKS)
    (then,) = [f for f in demo.fns.values() if f.api_name == "recommend_fixed"]
    assert then.fn is named(demo, "recommend").fn  # what the click chains


def test_a_name_nothing_resembles_can_be_removed_in_one_click(demo, fast_bundle) -> None:
    status, cards, *_ = discover(demo, ["Muse", "Zzqxv Qwpkj"], session.new_session())
    assert names_in(cards) == cards_of(fast_bundle, "fusion", ["Muse"])
    assert 'data-bad="Zzqxv Qwpkj" data-good="">Remove it</button>' in status
    assert taste.fix_pick(["Muse", "Zzqxv Qwpkj"], evt(bad="Zzqxv Qwpkj", good="")) == ["Muse"]


def test_with_no_known_pick_left_the_strict_error_stays(demo, fast_bundle) -> None:
    status, cards, *_ = discover(demo, ["Radiohed"], session.new_session())
    assert "status error" in status and "Did you mean" in status and cards == ""
    with pytest.raises(RecommenderInputError) as refused:  # scripts and the API: strict
        fast_bundle.recommend("fusion", liked=["Radiohed", "Muse"])
    assert refused.value.suggestions[0][0] == "Radiohed"


@pytest.mark.parametrize("visit", [None, {}])
def test_with_nothing_left_and_no_session_the_strict_error_stays(fast_bundle, visit) -> None:
    with pytest.raises(RecommenderInputError, match="Radiohed"):
        taste.forgiving(
            fast_bundle, lambda q: fast_bundle.recommend("svd", q), "Artists I pick",
            ["Radiohed"], None, *CONTROLS, visit,
        )  # fmt: skip


def test_an_unknown_pick_beside_a_thumbs_up_recommends_from_the_thumbs_up(
    demo, fast_bundle
) -> None:
    _, cards, visit, *_ = discover(demo, PICKS, session.new_session())
    liked = fast_bundle.recommend("fusion", liked=PICKS, k=1)
    visit = session.apply_action(visit, "like", int(liked["artist_id"].iat[0]))
    status, cards, *_ = discover(demo, ["Radiohed"], visit)
    assert "Did you mean" in status and "status error" not in status
    assert names_in(cards) == cards_of(fast_bundle, "fusion", [int(liked["artist_id"].iat[0])])


def test_every_tab_forgives_an_unknown_pick(demo, fast_bundle) -> None:
    visit = session.new_session()
    out = named(demo, "compare").fn("Artists I pick", ["Muse", "Radiohed"], None, *CONTROLS, visit)
    assert 'data-good="Radiohead"' in out[0] and out[1]["visible"]
    assert out[1]["value"]["fusion"].tolist() == cards_of(fast_bundle, "fusion", ["Muse"])
    out = named(demo, "softmax_recommend").fn(["Muse", "Radiohed"], *CONTROLS, visit)
    assert 'data-good="Radiohead"' in out[0]
    assert names_in(out[2]) == cards_of(fast_bundle, "softmax", ["Muse"])


# -- one taste per visit --------------------------------------------------------------------------
def test_every_tab_opens_with_the_discover_picks_and_their_results(demo, fast_bundle) -> None:
    _, _, visit, *_ = discover(demo, PICKS, session.new_session())
    (opened,) = on_open(demo, "Compare")
    source, picker, _status, lists, _overlap, _csv, visit = opened.fn(visit, *CONTROLS)
    assert source == "Artists I pick" and picker["value"] == PICKS
    query = RecQuery.of(liked=PICKS, k=10)
    expected = compare.side_by_side(compare.compare(fast_bundle, query))
    pd.testing.assert_frame_equal(lists["value"], expected)
    assert opened.fn(visit, *CONTROLS) == gr.skip()  # shown already: no second request

    # "How it works" brings its three tabs up to the taste at once, each keeping the others'
    # marks (the events run in parallel on one session dict)
    opened_three = on_open(demo, "How it works")
    assert len(opened_three) == 3
    for event in opened_three:
        out = event.fn(visit, *CONTROLS)
        assert out[-1] is visit and picker_value(out) == PICKS
        cards = next(o for o in out if isinstance(o, str) and "card-grid" in o)
        model = "svd" if len(out) == 8 else "clustering" if len(out) == 7 else "softmax"
        assert names_in(cards) == cards_of(fast_bundle, model, PICKS), model
    for label in ("Clustering", "SVD map", "Softmax", "Compare"):
        for event in on_open(demo, label):
            assert event.fn(visit, *CONTROLS) == gr.skip(), label
    (back,) = on_open(demo, "Discover")
    assert back.fn(visit, "fusion", *CONTROLS) == gr.skip()


def picker_value(outputs: tuple) -> list[str]:
    return next(o["value"] for o in outputs if isinstance(o, dict) and "choices" in o)


def test_feedback_and_new_picks_on_any_tab_are_the_taste_everywhere(demo, fast_bundle) -> None:
    _, cards, visit, *_ = discover(demo, PICKS, session.new_session())
    first = fast_bundle.recommend("fusion", liked=PICKS, k=1)
    thumbs = int(first["artist_id"].iat[0])
    visit = session.apply_action(visit, "like", thumbs)  # 👍 on Discover's first card
    _, _, visit, *_ = discover(demo, PICKS, visit)
    (opened,) = on_open(demo, "Compare")
    out = opened.fn(visit, *CONTROLS)
    assert "From your visit: with your 👍 " + first["name"].iat[0] in html.unescape(out[2])
    assert out[3]["value"]["svd"].tolist() == cards_of(fast_bundle, "svd", [*PICKS, thumbs])
    # new picks on Softmax: Discover opens with them
    softmax = named(demo, "softmax_recommend")
    *_, visit = softmax.fn(["Metallica"], *CONTROLS, out[-1])
    (back,) = on_open(demo, "Discover")
    picker, _status, cards, visit, *_ = back.fn(visit, "fusion", *CONTROLS)
    assert picker["value"] == ["Metallica"]
    assert names_in(cards) == cards_of(fast_bundle, "fusion", ["Metallica", thumbs])


def test_an_existing_users_results_do_not_change_the_taste(demo) -> None:
    _, _, visit, *_ = discover(demo, PICKS, session.new_session())
    *_, after = named(demo, "compare").fn("An existing Last.fm user", [], "2", *CONTROLS, visit)
    assert session.taste_picks(after) == PICKS and session.behind(after, "compare")


def test_the_svd_map_tab_draws_the_example_map_once_without_a_taste(demo) -> None:
    visit = session.new_session()
    (opened,) = [f for f in on_open(demo, "SVD map") if f.api_name == "svd_map"]
    out = opened.fn(visit, *CONTROLS)
    assert out[6] is not None and '"Artist map"' in out[6].plot and out[-1] is visit
    assert opened.fn(visit, *CONTROLS) == gr.skip()  # drawn: the visitor's own map stays


def test_an_expired_session_forgets_the_taste() -> None:
    visit = session.with_picks(session.new_session(), PICKS)
    session.mark_showing(visit, "compare")
    picks, showing = visit["picks"], visit["showing"]
    session.forget(visit)
    assert visit == {} and picks == [] and showing == {}


# -- why not? -------------------------------------------------------------------------------------
def test_why_not_answers_for_the_cards_own_request(demo, fast_bundle) -> None:
    why = named(demo, "discover_why_not")
    _, _, visit, *_ = discover(demo, PICKS, session.new_session())
    answer = why.fn("Pink Floyd", ["Radiohed", *PICKS], "svd", *CONTROLS, visit)
    expected = fast_bundle.why_not("svd", "Pink Floyd", liked=PICKS, k=10)  # Radiohed left out
    assert html.escape(expected.message) in answer and f'data-reason="{expected.reason}"' in answer
    typo = why.fn("Pink Floid", PICKS, "fusion", *CONTROLS, visit)
    assert 'data-bad="Pink Floid" data-good="Pink Floyd"' in typo
    assert "No artist in the 2011 Last.fm data has “Pink Floid”." in html.unescape(typo)
    nothing = why.fn(None, PICKS, "fusion", *CONTROLS, visit)
    assert "status error" in nothing and "Name the artist you expected first" in nothing
