"""Explanations are true: every number on a card is recomputed here from the raw listening data,
no card carries filler, and a share resting on fewer than 5 people is never a percentage."""

from __future__ import annotations

import re

import numpy as np
import pytest
import scipy.sparse as sp

from recommenders.explain import MIN_SHARE_LISTENERS, Explainer, explanation_text

SHARE = re.compile(r"^(\d+)% of the ([\d,]+) listeners of (.+) also listen to (.+)$")
COUNT = re.compile(r"(\d+) of the ([\d,]+) listeners? of (.+) also listen to (.+)$")
TAGS = re.compile(
    r"^(.+) — like (.+?)(?:; (\d+) of its ([\d,]+) listeners? plays? both)?(?:; .*)?$"
)
FILLER = ("Fits the taste", "your picks suggest")
INPUTS = [
    ["Carpathian Forest"],
    ["MALICE MIZER"],
    ["Miles Davis", "John Coltrane"],
    ["Radiohead", "Muse", "Placebo"],
    ["Legião Urbana", "Titãs"],
]


@pytest.fixture(scope="module")
def listeners_of(lastfm_data):
    """artist name → set of user ids, from the raw user_artists table."""
    names = lastfm_data.artists.set_index("artist_id")["name"]
    table = lastfm_data.user_artists.assign(name=lambda t: t["artist_id"].map(names))
    return table.groupby("name")["user_id"].agg(set).to_dict()


def test_reasons_on_a_tiny_matrix() -> None:
    # users × artists: artists 0 and 1 share 5 listeners, 0 and 2 share 1; 3 shares only a tag
    rows = [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 6]
    cols = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 3]
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(7, 4))
    explainer = Explainer(matrix, [["rock", "indie"], ["rock"], ["jazz"], ["Indie"]])
    names = ["A", "B", "C", "D"]
    reasons = explainer.reasons(np.array([0]), np.array([1, 2, 3]))
    texts = [
        explanation_text(names[c], r, names, 9, 7)
        for c, r in zip([1, 2, 3], reasons, strict=True)
    ]
    assert texts[0] == "83% of the 6 listeners of A also listen to B"
    assert texts[1] == "1 of the 6 listeners of A also listen to C"
    assert texts[2] == "Indie — like A"
    lonely = explainer.reasons(np.array([2]), np.array([3]))[0]
    assert explanation_text("D", lonely, names, 1, 7).startswith("No listener or tag links it")


@pytest.mark.slow
@pytest.mark.parametrize("liked", INPUTS, ids=lambda x: "+".join(x))
def test_every_card_of_every_model_is_true(fast_bundle, listeners_of, liked) -> None:
    for model in fast_bundle.model_names:
        results = fast_bundle.recommend(model, liked=liked, k=10)
        for recommended, text in zip(results["name"], results["explanation"], strict=True):
            assert not any(f in text for f in FILLER), text
            share, count, tags = SHARE.match(text), COUNT.search(text), TAGS.match(text)
            if share:
                percent, n, source, target = share.groups()
                both = len(listeners_of[source] & listeners_of[target])
                assert source in liked and target == recommended
                assert int(n.replace(",", "")) == len(listeners_of[source])
                assert both >= MIN_SHARE_LISTENERS, text
                assert int(percent) == max(1, round(100 * both / len(listeners_of[source])))
            elif count:
                k, n, source, target = count.groups()
                assert source in liked and target == recommended
                assert int(k) == len(listeners_of[source] & listeners_of[target]) < 5, text
            elif tags:
                shared, source, k, _n = tags.groups()
                assert source in liked
                if k is not None:
                    both = len(listeners_of[source] & listeners_of[recommended])
                    assert int(k) == both < MIN_SHARE_LISTENERS
                mine = {t.casefold() for t in fast_bundle.artist_info(recommended)["tags"]}
                theirs = {t.casefold() for t in fast_bundle.artist_info(source)["tags"]}
                assert {t.casefold() for t in shared.split(", ")} <= mine & theirs
            else:
                assert text.startswith("No listener or tag links it"), text
                for source in liked:
                    assert not listeners_of[source] & listeners_of.get(recommended, set())
