"""The visitor's page speaks to the visitor (issue 18, item 5): no setup instructions for the
host, no script paths, no build flags; the popularity control in listeners; no "(0%)" of
listeners on a card. Read from the page's config, which holds every tab's text, hidden or not."""

from __future__ import annotations

import json
from typing import Any

import gradio as gr
import pytest

from ui import cards, clustering, compare, inputs

DEVELOPER_TEXT = ["LASTFM_API_KEY", "environment variable", "restarts the app", "benchmarks",
                  "tune_clustering", ".py", "--skip-eval", "Variables and secrets"]  # fmt: skip


def page_text(demo: gr.Blocks) -> str:
    return json.dumps(demo.get_config_file(), ensure_ascii=False, default=str)


class WithoutEvaluation:
    """The bundle as one built with --skip-eval serves it (no recorded metrics)."""

    def __init__(self, bundle: Any) -> None:
        self._bundle = bundle
        self.metrics: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._bundle, name)


@pytest.mark.slow
def test_the_page_holds_no_developer_text(fast_bundle, monkeypatch) -> None:
    import app

    monkeypatch.setenv("LASTFM_API_KEY", "")  # the panel then says the username is unavailable
    text = page_text(app.build_demo(fast_bundle))
    assert "Last.fm username is not available on this server" in text
    with gr.Blocks() as compare_alone:
        compare.build(WithoutEvaluation(fast_bundle))
    text += page_text(compare_alone)
    assert "no scores to show" in text
    found = [words for words in DEVELOPER_TEXT if words in text]
    assert not found, found


def test_why_k_was_chosen_names_no_script() -> None:
    text = clustering.choice_text({"chosen": 128, "silhouette_best": 48}, 1892)
    assert "NDCG@10" in text and "k = 48" in text
    assert not [words for words in DEVELOPER_TEXT if words in text]


def test_a_card_gives_a_share_of_listeners_only_from_one_percent() -> None:
    assert cards.listeners_text(9) == "9 of 1,892 listeners in 2011"  # not "(0%)"
    assert cards.listeners_text(412) == "412 of 1,892 listeners in 2011 (22%)"


@pytest.mark.slow
def test_the_popularity_control_speaks_in_listeners(fast_bundle) -> None:
    choices = inputs.popularity_choices(fast_bundle)
    assert [value for _label, value in choices] == list(inputs.POPULARITY_SETTINGS)
    users = f"{fast_bundle.n_users:,}"
    assert choices[0][0] == "any number of listeners"
    for label, value in choices[1:]:
        assert label == f"at most {fast_bundle.listener_range(value)[1]:,} of {users} listeners"
