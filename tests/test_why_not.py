"""Bundle.why_not (recommenders/why_not.py): every reason on a real case of the fast bundle, the
rank checked against recommend() itself, and every number it states recomputed from the raw
Last.fm files (who listens to what), never taken from the code under test."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.sparse as sp

from recommenders.errors import RecommenderInputError
from recommenders.query import RecQuery
from recommenders.whole_list import Scored
from recommenders.why_not import BELOW_THE_LIST, REASONS, explain_absence

pytestmark = pytest.mark.slow

ROCK = ["Radiohead", "Muse", "Coldplay"]
ECLECTIC = ["Slayer", "Norah Jones", "Daft Punk"]  # three interests (recommenders.interests)


@pytest.fixture(scope="module")
def listeners_of(lastfm_data):
    """name → the set of user ids who listen to it, from user_artists.dat."""
    ids = lastfm_data.artists.set_index("name")["artist_id"]
    users = lastfm_data.user_artists.groupby("artist_id")["user_id"].agg(set)

    def of(name: str) -> set[int]:
        return users[int(ids[name])]

    return of


def taste_of(listeners_of, liked: list[str]) -> set[int]:
    return set().union(*(listeners_of(n) for n in liked))


def query(liked=ROCK, **fields) -> RecQuery:
    return RecQuery.of(liked=liked, **{"k": 10, **fields})


def with_k(q: RecQuery, k: int) -> RecQuery:
    return RecQuery(**{**q.__dict__, "k": k})


def below(fast_bundle, model: str, q: RecQuery, reason: str, tried: int = 100):
    """A real artist of ranks k+1..``tried`` whose answer has ``reason`` (the first found)."""
    deeper = fast_bundle.recommend(model, with_k(q, tried))["name"].tolist()
    for name in deeper[q.k :]:
        answer = fast_bundle.why_not(model, name, q)
        if answer.reason == reason:
            return answer
    raise AssertionError(f"no {reason} case among ranks {q.k + 1}-{tried} of {model}")


# -- where it ranks -------------------------------------------------------------------------------
@pytest.mark.parametrize("model", ["fusion", "svd", "softmax", "clustering", "popularity"])
@pytest.mark.parametrize("liked", [ROCK, ECLECTIC], ids=["one taste", "three interests"])
def test_the_rank_is_where_recommend_would_put_it(fast_bundle, model, liked) -> None:
    q = query(liked)
    deeper = fast_bundle.recommend(model, with_k(q, 60))
    for position in (1, 10, 11, 25, 60):
        name = deeper["name"].iat[position - 1]
        answer = fast_bundle.why_not(model, name, q)
        assert answer.rank == position, (name, answer)
        assert (answer.reason == "recommended") == (position <= q.k)
        assert answer.reason in REASONS
        shorter = fast_bundle.recommend(model, with_k(q, position))
        assert shorter["name"].iat[-1] == name  # recommend with k = rank ends with it
    offered = fast_bundle.catalog["offered"]
    liked_offered = offered.loc[fast_bundle.resolve_artists(liked)]
    assert answer.candidates == offered.sum() - liked_offered.sum()  # every other shown artist


def test_a_card_is_recommended_at_its_place(fast_bundle) -> None:
    cards = fast_bundle.recommend("fusion", query())
    answer = fast_bundle.why_not("fusion", cards["name"].iat[2], query())
    assert (answer.reason, answer.rank) == ("recommended", 3)
    assert answer.message == f"{cards['name'].iat[2]} is in your list, as card #3."


# -- the reasons that keep an artist out ----------------------------------------------------------
def test_an_unknown_name_is_an_answer_with_suggestions(fast_bundle) -> None:
    typo = fast_bundle.why_not("fusion", "Radiohed", query(["Muse"]))
    assert typo.reason == "unknown" and typo.rank is None and "Radiohead" in typo.suggestions
    assert "No artist in the 2011 Last.fm data has “Radiohed”" in typo.message
    nothing = fast_bundle.why_not("fusion", "Zzqxv Qwpkj", query(["Muse"]))
    assert nothing.reason == "unknown" and nothing.suggestions == ()
    assert "newer than 2011" in nothing.message
    assert fast_bundle.why_not("fusion", 10**9, query(["Muse"])).reason == "unknown"


@pytest.mark.parametrize("artist", [None, "", "   ", 3.5, ["Muse"], True])
def test_no_artist_is_an_input_error_that_says_what_is_accepted(fast_bundle, artist) -> None:
    with pytest.raises(RecommenderInputError, match="Name the artist you expected as text"):
        fast_bundle.why_not("fusion", artist, query())


def test_a_bad_request_is_refused_as_recommend_refuses_it(fast_bundle) -> None:
    with pytest.raises(RecommenderInputError, match="Radiohed"):
        fast_bundle.why_not("fusion", "Muse", query(["Radiohed"]))
    with pytest.raises(RecommenderInputError, match="Unknown model"):
        fast_bundle.why_not("nope", "Muse", query())


def test_liked_artists_and_a_users_own_artists(fast_bundle, lastfm_data) -> None:
    answer = fast_bundle.why_not("fusion", "Muse", query())
    assert answer.reason == "liked" and "one of the artists you started from" in answer.message
    plays = lastfm_data.user_artists[lastfm_data.user_artists.user_id == 2]
    top = plays.nlargest(1, "weight")["artist_id"].iat[0]
    name = lastfm_data.artists.set_index("artist_id").loc[top, "name"]
    answer = fast_bundle.why_not("fusion", name, RecQuery.of(user_id=2))
    assert answer.reason == "liked"
    assert answer.message.startswith(f"Last.fm user 2 already listens to {name}")


def test_not_for_me_is_excluded(fast_bundle) -> None:
    top = fast_bundle.recommend("fusion", query())["name"].iat[0]
    answer = fast_bundle.why_not("fusion", top, query(exclude=[top]))
    assert answer.reason == "excluded" and "“not for me”" in answer.message


def test_junk_names_are_hidden_with_the_kind_of_junk(fast_bundle) -> None:
    catalog = fast_bundle.catalog
    credit = catalog[catalog["junk_reason"] == "collaboration"].nlargest(1, "listeners")
    answer = fast_bundle.why_not("fusion", int(credit.index[0]), query())
    assert answer.reason == "junk" and answer.rank is None
    assert (
        "a credit of several artists" in answer.message and credit["name"].iat[0] in answer.message
    )


def test_a_duplicate_spelling_answers_with_its_main_spelling(fast_bundle) -> None:
    catalog = fast_bundle.catalog
    clean = catalog["junk_reason"].isna() & (catalog["same_as"] != catalog.index)
    duplicate = catalog[clean].nlargest(1, "listeners")
    main = catalog.loc[int(duplicate["same_as"].iat[0]), "name"]
    answer = fast_bundle.why_not("fusion", int(duplicate.index[0]), query())
    main_answer = fast_bundle.why_not("fusion", main, query())
    assert answer.reason == "duplicate" and answer.rank == main_answer.rank
    assert f"another spelling of {main}" in answer.message
    assert answer.message.endswith(main_answer.message)


def test_the_tag_filter_names_the_artists_tags_and_its_unfiltered_place(fast_bundle) -> None:
    q = query(["Radiohead"], tags=["jazz"])
    unfiltered = fast_bundle.recommend("fusion", query(["Radiohead"]))
    outsider = next(
        row for row in unfiltered.itertuples() if "jazz" not in [*row.tags, *row.spotify_genres]
    )
    answer = fast_bundle.why_not("fusion", outsider.name, q)
    assert answer.reason == "tag_filter" and answer.filters == ("tag",)
    assert answer.rank_unfiltered == outsider.rank
    assert f"Your tag/genre filter (jazz) leaves {outsider.name} out" in answer.message
    assert f"it would be card #{outsider.rank}" in answer.message


def test_the_popularity_filter_gives_the_range_and_the_raw_listener_count(
    fast_bundle, listeners_of
) -> None:
    q = query(["Radiohead"], popularity_penalty=0.5)
    low, high = fast_bundle.listener_range(0.5)
    top = fast_bundle.recommend("fusion", query(["Radiohead"]))["name"].iat[0]
    listeners = len(listeners_of(top))
    assert listeners > high  # the case: a card that the setting leaves out
    answer = fast_bundle.why_not("fusion", top, q)
    assert answer.reason == "popularity_filter" and answer.rank_unfiltered == 1
    assert f"allows artists with {low:,} to {high:,} listeners; {top} has {listeners:,}" in (
        answer.message
    )
    both = fast_bundle.why_not("fusion", top, query(["Radiohead"], tags=["jazz"],
                                                    popularity_penalty=0.5))  # fmt: skip
    assert both.filters == ("tag", "popularity") and both.reason == "tag_filter"


def test_an_artist_the_model_cannot_score_is_no_candidate(fast_bundle) -> None:
    """No shipped model gives non-finite scores: the rule is checked on one request whose score
    for one artist is made NaN, as a model without an opinion would give."""
    from recommenders.why_not import Serving

    q = query(["Muse"])
    ids = fast_bundle.resolve_artists(["Muse", "Radiohead"])
    columns = [int(fast_bundle.catalog.index.get_loc(i)) for i in ids]
    n = len(fast_bundle.catalog)
    profile = sp.csr_matrix(([1.0], ([0], [columns[0]])), shape=(1, n))
    scores = np.linspace(1, 0, n)[None, :]
    scores[0, columns[1]] = np.nan
    scored = Scored("softmax", q, profile, [profile.indices], scores, np.zeros(0, np.int64))
    serving = fast_bundle._serving
    assert isinstance(serving, Serving)
    answer = explain_absence(serving, scored, "Radiohead")
    assert answer.reason == "not_scored" and answer.rank is None


# -- the reasons below the list, recomputed from the raw listening data --------------------------
def last_card(fast_bundle, model: str, q: RecQuery) -> str:
    return fast_bundle.recommend(model, q)["name"].iat[-1]


def test_fewer_listeners_for_the_popularity_model(fast_bundle, listeners_of) -> None:
    answer = below(fast_bundle, "popularity", query(), "fewer_listeners")
    last = last_card(fast_bundle, "popularity", query())
    mine, theirs = len(listeners_of(answer.artist)), len(listeners_of(last))
    assert answer.last_card == last and mine <= theirs
    assert f"it has {mine:,} against {theirs:,} for the last card, {last}" in answer.message


@pytest.mark.parametrize(
    ("model", "reason"),
    [
        ("fusion", "few_shared_listeners"),
        ("svd", "lower_audience_share"),
        ("svd", "scored_lower"),
    ],
)
def test_shared_listeners_are_counted_from_the_raw_data(
    fast_bundle, listeners_of, model, reason
) -> None:
    q = query()
    answer = below(fast_bundle, model, q, reason)
    last = last_card(fast_bundle, model, q)
    taste = taste_of(listeners_of, ROCK)
    mine, theirs = listeners_of(answer.artist), listeners_of(last)
    shared, last_shared = len(mine & taste), len(theirs & taste)
    assert answer.last_card == last and answer.taste_listeners == len(taste)
    assert (answer.audience.listeners, answer.audience.shared) == (len(mine), shared)
    assert (answer.last_card_audience.listeners, answer.last_card_audience.shared) == (
        len(theirs),
        last_shared,
    )
    fewer = shared < last_shared
    smaller_share = shared / len(mine) < last_shared / len(theirs)
    assert reason != "few_shared_listeners" or fewer
    assert reason != "lower_audience_share" or (not fewer and smaller_share)
    assert reason != "scored_lower" or (not fewer and not smaller_share)
    assert answer.score <= answer.last_card_score  # truly below it
    assert f"card #{answer.rank:,} of {answer.candidates:,} (your list shows 10)" in answer.message
    if reason == "few_shared_listeners":
        assert f"Of the {len(taste):,} people who listen to your artists" in answer.message
    else:
        percent = round(100 * shared / len(mine))
        assert f"{shared:,} of {len(mine):,} ({percent}%) of its listeners" in answer.message


def test_no_shared_listener(fast_bundle, listeners_of, lastfm_data) -> None:
    taste = taste_of(listeners_of, ["Radiohead"])
    users = lastfm_data.user_artists.groupby("artist_id")["user_id"].agg(set)
    offered = fast_bundle.catalog["offered"]
    apart = [a for a, u in users.items() if not u & taste and offered.get(a, False)]
    loner = max(apart, key=lambda a: (len(users[a]), -a))  # the most listened such artist
    answer = fast_bundle.why_not("fusion", int(loner), query(["Radiohead"]))
    assert answer.reason == "no_shared_listeners" and answer.audience.shared == 0
    assert f"none of the {len(taste):,} people who listen to your artists" in answer.message


def test_three_interests_compare_with_the_last_card_of_the_same_interest(
    fast_bundle, listeners_of
) -> None:
    q = query(ECLECTIC)
    cards = fast_bundle.recommend("fusion", q)
    answer = below(fast_bundle, "fusion", q, "few_shared_listeners")
    down_to_it = fast_bundle.recommend("fusion", with_k(q, answer.rank))
    interest = list(down_to_it["because"].iat[-1])  # the interest its card would serve
    same = cards[[list(b) == interest for b in cards["because"]]]
    assert answer.last_card == same["name"].iat[-1]
    taste = taste_of(listeners_of, interest)
    assert answer.taste_listeners == len(taste)
    assert f"people who listen to {' and '.join(interest)}," in answer.message


def test_every_reason_below_the_list_is_documented_and_answers_are_plain_data(fast_bundle):
    import recommenders.why_not as why_not

    for reason in REASONS:
        assert f"``{reason}``" in why_not.__doc__
    answer = below(fast_bundle, "svd", query(), "lower_audience_share")
    plain = answer.as_dict()
    assert plain["reason"] in BELOW_THE_LIST and isinstance(plain["audience"], dict)
    assert json.loads(json.dumps(plain)) == plain  # plain JSON values
