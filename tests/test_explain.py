"""Explanations are true: every number and shared top tag on a card is recomputed here from the
raw data, a card that says nothing links it has truly no listener and no top tag in common with
any liked artist, no card carries filler, and a share resting on fewer than 5 people is never a
percentage."""

from __future__ import annotations

import re

import numpy as np
import pytest
import scipy.sparse as sp

from recommenders.explain import MIN_SHARE_LISTENERS, SHARED_TAGS, Explainer, explanation_text

SHARE = re.compile(r"^(\d+)% of the ([\d,]+) listeners of (.+) also listen to (.+)$")
COUNT = re.compile(r"(\d+) of the ([\d,]+) listeners? of (.+) also listen to (.+)$")
TAGS = re.compile(
    r"^(.+) — like (.+?)(?:; (\d+) of its ([\d,]+) listeners? plays? both)?(?:; .*)?$"
)
FILLER = ("Fits the taste", "your picks suggest")
NOTHING = "No listener or top tag in common with your artists in this 2011 data"
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


@pytest.fixture(scope="module")
def top_tags_of(lastfm_data) -> dict[str, set[str]]:
    """artist name → its SHARED_TAGS most given tags, casefolded, from the raw tables: ranked by
    the number of users who gave them, ties by tag name (recommenders.data.top_tags's rule)."""
    tagged = lastfm_data.user_tagged_artists.merge(lastfm_data.tags, on="tag_id")
    users = tagged.groupby(["artist_id", "tag"])["user_id"].nunique()
    ranked: dict[int, list[tuple[int, str]]] = {}
    for (artist, tag), n in users.items():
        ranked.setdefault(artist, []).append((-n, tag))
    names = lastfm_data.artists.set_index("artist_id")["name"]
    return {  # tags.dat also tags artists that artists.dat lacks: no card shows those
        names[artist]: {tag.casefold() for _, tag in sorted(tags)[:SHARED_TAGS]}
        for artist, tags in ranked.items()
        if artist in names.index
    }


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
    assert explanation_text("D", lonely, names, 1, 7).startswith(NOTHING)


def check_card(liked, recommended, text, listeners_of, top_tags_of) -> str:
    """Assert that ``text`` is true of ``recommended`` for ``liked``, from the raw data; returns
    which kind of reason it gives ("share", "count", "tags" or "nothing")."""
    assert not any(f in text for f in FILLER), text
    share, count, tags = SHARE.match(text), COUNT.search(text), TAGS.match(text)
    if share:
        percent, n, source, target = share.groups()
        both = len(listeners_of[source] & listeners_of[target])
        assert source in liked and target == recommended
        assert int(n.replace(",", "")) == len(listeners_of[source])
        assert both >= MIN_SHARE_LISTENERS, text
        assert int(percent) == max(1, round(100 * both / len(listeners_of[source])))
        return "share"
    if count:
        k, n, source, target = count.groups()
        assert source in liked and target == recommended
        assert int(k) == len(listeners_of[source] & listeners_of[target]) < 5, text
        return "count"
    if tags:
        shared, source, k, _n = tags.groups()
        assert source in liked
        if k is not None:
            both = len(listeners_of[source] & listeners_of[recommended])
            assert int(k) == both < MIN_SHARE_LISTENERS
        common = top_tags_of.get(recommended, set()) & top_tags_of.get(source, set())
        assert {t.casefold() for t in shared.split(", ")} <= common, text
        return "tags"
    assert text.startswith(NOTHING), text
    for source in liked:  # truly nothing: no listener of both, no top tag of both
        assert not listeners_of[source] & listeners_of.get(recommended, set()), (source, text)
        common = top_tags_of.get(source, set()) & top_tags_of.get(recommended, set())
        assert not common, (source, recommended, common)
    return "nothing"


@pytest.mark.slow
@pytest.mark.parametrize("liked", INPUTS, ids=lambda x: "+".join(x))
def test_every_card_of_every_model_is_true(fast_bundle, listeners_of, top_tags_of, liked) -> None:
    for model in fast_bundle.model_names:
        results = fast_bundle.recommend(model, liked=liked, k=10)
        for recommended, text in zip(results["name"], results["explanation"], strict=True):
            check_card(liked, recommended, text, listeners_of, top_tags_of)


@pytest.mark.slow
@pytest.mark.parametrize(("model", "liked"), [("popularity", ["Carpathian Forest"]),
                                              ("clustering", ["MALICE MIZER"])])  # fmt: skip
def test_nothing_links_it_is_said_and_true(fast_bundle, listeners_of, top_tags_of, model, liked):
    """Lists far from the liked artist, so the "nothing links it" branch is really checked."""
    results = fast_bundle.recommend(model, liked=liked, k=10)
    kinds = [
        check_card(liked, name, text, listeners_of, top_tags_of)
        for name, text in zip(results["name"], results["explanation"], strict=True)
    ]
    assert "nothing" in kinds, kinds
