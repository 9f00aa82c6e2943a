"""Resolving typed names to artist ids: exact, case-insensitive when unambiguous, clear errors."""

from __future__ import annotations

import pandas as pd
import pytest

from recommenders.errors import RecommenderInputError
from recommenders.names import MAX_PICKED, ArtistNames


@pytest.fixture(scope="module")
def names():
    table = pd.Series(
        {
            1: "Radiohead",
            2: "Muse",
            3: "Musetta",
            4: "ДДТ",
            5: "ддт",
            6: "Beyoncé",
            7: "<img src=x onerror=alert(1)>",
            8: "1975",
            9: "AC/DC",
        }
    )
    listeners = pd.Series({i: 100 - i for i in table.index})
    return ArtistNames(table, listeners)


def test_exact_names_and_ids_resolve_in_order_without_duplicates(names):
    assert names.resolve(["Muse", 1, "Radiohead", "2"]) == [2, 1]


def test_case_insensitive_match_when_unambiguous(names):
    assert names.resolve(["radiohead", "  MUSE ", "beyoncé"]) == [1, 2, 6]


def test_case_only_variants_resolve_exactly_else_to_the_most_listened_spelling(names):
    assert names.resolve(["ДДТ"]) == [4]
    assert names.resolve(["ддт"]) == [5]
    assert names.resolve(["Ддт"]) == [4]  # 96 listeners against 95


def test_accents_punctuation_and_the_are_forgiven_but_typos_only_suggested(names):
    assert names.resolve(["Beyonce", "acdc", "ac-dc"]) == [6, 9]
    with pytest.raises(RecommenderInputError, match="Did you mean 'Radiohead'"):
        names.resolve(["Radiohed"])


def test_a_name_made_of_digits_is_a_name_first(names):
    assert names.resolve(["1975"]) == [8]


def test_unknown_and_near_miss_names_get_suggestions(names):
    with pytest.raises(RecommenderInputError, match=r"Unknown artist 'Radiohed'.*Radiohead"):
        names.resolve(["Radiohed"])


def test_every_problem_is_reported_at_once(names):
    with pytest.raises(RecommenderInputError) as info:
        names.resolve(["Nope One", "Muse", "Nope Two"])
    assert "Nope One" in str(info.value) and "Nope Two" in str(info.value)


def test_suggestions_are_data_on_the_error(names):
    with pytest.raises(RecommenderInputError) as info:
        names.resolve(["Radiohed"])
    assert info.value.suggestions == (("Radiohed", ("Radiohead",)),)
    assert hash(info.value.suggestions)  # immutable: tuples all the way down


def test_errors_without_a_near_miss_have_no_suggestions(names):
    assert RecommenderInputError("anything").suggestions == ()
    for bad in (["xq"], [12345], []):
        with pytest.raises(RecommenderInputError) as info:
            names.resolve(bad)
        assert info.value.suggestions == ()


def test_suggestions_survive_combining_problems_in_input_order(names):
    with pytest.raises(RecommenderInputError) as info:
        names.resolve(["Radiohed", "Muse", "xq", "Musee"])
    assert info.value.suggestions == (("Radiohed", ("Radiohead",)), ("Musee", ("Muse",)))
    typos = [f"Radiohed{i}" for i in range(7)]
    with pytest.raises(RecommenderInputError) as info:
        names.resolve(typos)
    assert "and 2 more" in str(info.value)  # the message shows five problems ...
    assert [typed for typed, _ in info.value.suggestions] == typos  # ... the data keeps all


@pytest.mark.parametrize("bad", [[], None, "", [3.5], [None], [["Muse"]]])
def test_empty_or_malformed_input_is_refused(names, bad):
    with pytest.raises(RecommenderInputError):
        names.resolve(bad)


def test_huge_selections_are_refused_with_the_limit(names):
    with pytest.raises(RecommenderInputError, match=str(MAX_PICKED)):
        names.resolve(["Muse"] * (MAX_PICKED + 1))


def test_script_like_names_are_plain_names(names):
    assert names.resolve(["<img src=x onerror=alert(1)>"]) == [7]


def test_search_puts_prefix_matches_first_then_fuzzy(names):
    assert names.search("mus")[:2] == ["Muse", "Musetta"]
    assert "Radiohead" in names.search("radiohed")
    assert names.search("") == []
    assert names.search("ac/") == ["AC/DC"]
