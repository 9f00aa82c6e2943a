"""The popularity control has a useful range over all of 0–1: five evenly spaced settings give
five different lists whose median listener count falls steadily, and even the strongest setting
recommends artists with enough listeners (≥ 5) for an explanation to rest on."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from recommenders.query import CEILING_AT_ONE, MIN_LISTENERS, listener_range

SETTINGS = [0.0, 0.25, 0.5, 0.75, 1.0]
INPUTS = [
    ["Radiohead", "Muse", "Placebo"],
    ["Britney Spears", "Rihanna"],
    ["Metallica", "Iron Maiden"],
]


def test_the_listener_ceiling_falls_evenly_on_a_log_scale() -> None:
    assert listener_range(0.0, 1000) is None
    ranges = [listener_range(p, 1000) for p in SETTINGS[1:]]
    assert all(low == MIN_LISTENERS for low, _high in ranges)
    highs = np.log([high for _low, high in ranges])
    assert ranges[-1][1] == CEILING_AT_ONE
    # even steps on a log scale (up to rounding to whole listeners)
    assert np.allclose(np.diff(highs), np.diff(highs)[0], atol=0.05)


@pytest.mark.slow
@pytest.mark.parametrize("model", ["softmax", "svd"])
@pytest.mark.parametrize("liked", INPUTS, ids=lambda x: "+".join(x))
def test_five_settings_five_lists_falling_median(fast_bundle, liked, model) -> None:
    lists = [
        fast_bundle.recommend(model, liked=liked, k=10, popularity_penalty=p) for p in SETTINGS
    ]
    names = [tuple(table["name"]) for table in lists]
    assert len(set(names)) == len(SETTINGS), "two settings gave the same list"
    medians = [float(np.median(table["listeners"])) for table in lists]
    assert all(a > b for a, b in pairwise(medians)), medians
    for p, table in zip(SETTINGS[1:], lists[1:], strict=True):
        low, high = fast_bundle.listener_range(p)
        assert len(table) == 10
        assert table["listeners"].between(low, high).all()
        assert table["listeners"].min() >= MIN_LISTENERS
