"""How it works · Softmax: what the network does, and its list for some picks with each pick's
match relative to the top one (raw scores are log-probabilities and mean little to a reader)."""

from __future__ import annotations

from typing import Any

import gradio as gr

from recommenders.bundle import Bundle
from ui import cards, errors, export, inputs

MODEL = "softmax"


def build(bundle: Bundle) -> None:
    """The tab's layout and events (inside a gr.Blocks / gr.Tab context)."""
    if MODEL not in bundle.model_names:
        gr.HTML(cards.notice("The softmax model is not in this bundle."))
        return
    gr.Markdown(
        "A small neural network reads the artists you like and gives every one of the 17,632 "
        "artists a probability of being the next one you play (a softmax); the list is the most "
        "probable artists you do not know yet. The bars show each pick's probability relative "
        "to the top pick (100%)."
    )
    with gr.Row(elem_classes="picker-row"):
        picker = inputs.searchable_picker(bundle, "softmax")
        go = gr.Button("Recommend", variant="primary", scale=0, min_width=130, elem_id="softmax-go")
    example_events = inputs.example_chips(picker, inputs.EXAMPLE_PICKS)
    status = errors.live_html("status-box")
    with gr.Accordion("Options", open=False):
        k, tags, penalty = inputs.controls(bundle, "softmax")
    bars = gr.BarPlot(
        x="artist",
        y="match %",
        title="Match relative to the top pick (%)",
        x_label_angle=-40,
        y_lim=[0, 100],
        height=320,
        sort="x",
        visible=False,
    )
    result_cards = errors.live_html("cards-box", elem_id="softmax-results")
    download = gr.DownloadButton("Download CSV", visible=False, size="sm")

    @errors.guarded(gr.update(visible=False), "", gr.update(visible=False))
    def on_recommend(
        picks: list[str] | None, k: float, tags: list[str] | None, penalty: float
    ) -> tuple[Any, ...]:
        query = inputs.visit_query(inputs.SOURCE_PICKS, picks, None, k, tags, penalty)
        results = bundle.recommend(MODEL, query)
        return (
            errors.short_notice(results, k),
            gr.update(value=cards.score_frame(results), visible=not results.empty),
            cards.cards_html(results),
            gr.update(value=export.export_csv(results, "softmax_recommendations"), visible=True),
        )

    run = {
        "fn": on_recommend,
        "inputs": [picker, k, tags, penalty],
        "outputs": [status, bars, result_cards, download],
        "concurrency_id": "recommend",
        "preprocess": False,  # the raw values, checked by inputs.visit_query (ui.checks)
    }
    go.click(**run, api_name="softmax_recommend")
    for event in example_events:
        event.then(**run, api_name="softmax_example", api_visibility="private")
