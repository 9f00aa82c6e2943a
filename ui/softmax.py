"""How it works · Softmax: what the network does, and its list for some picks with each pick's
match relative to the top one (raw scores are log-probabilities and mean little to a reader)."""

from __future__ import annotations

from typing import Any

import gradio as gr

from recommenders.bundle import Bundle
from ui import cards, errors, export, inputs, taste

MODEL = "softmax"
TAB = "softmax"


def build(bundle: Bundle, state: gr.State | None = None, tabs: list[gr.Tab] = ()) -> None:
    """The tab's layout and events (inside a gr.Blocks / gr.Tab context); with the visit's
    ``state``, selecting one of ``tabs`` opens it with the visit's taste (ui.taste.follow)."""
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
    status = errors.live_html("status-box", js=errors.FIX_JS)
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

    with_state = [state] if state is not None else []

    @errors.guarded(
        gr.update(visible=False), "", gr.update(visible=False), *[gr.skip()] * len(with_state)
    )
    def on_recommend(
        picks: list[str] | None,
        k: float,
        tags: list[str] | None,
        penalty: float,
        visit: dict[str, Any] | None = None,
    ) -> tuple[Any, ...]:
        results, used, unknown = taste.forgiving(
            bundle,
            lambda query: bundle.recommend(MODEL, query),
            inputs.SOURCE_PICKS,
            picks,
            None,
            k,
            tags,
            penalty,
            visit,
        )
        note = taste.unknown_html(unknown) + taste.feedback_note(visit)
        return (
            note + errors.short_notice(results, k),
            gr.update(value=cards.score_frame(results), visible=not results.empty),
            cards.cards_html(results),
            gr.update(value=export.export_csv(results, "softmax_recommendations"), visible=True),
            *([taste.remember(visit, TAB, inputs.SOURCE_PICKS, used)] if with_state else []),
        )

    outputs = [status, bars, result_cards, download, *with_state]
    run = {
        "fn": on_recommend,
        "inputs": [picker, k, tags, penalty, *with_state],
        "outputs": outputs,
        "concurrency_id": "recommend",
        "preprocess": False,  # the raw values, checked by inputs.visit_query (ui.checks)
    }
    go.click(**run, api_name="softmax_recommend")
    for event in example_events:
        event.then(**run, api_name="softmax_example", api_visibility="private")
    taste.wire_fixes(status, picker, run, TAB)
    if state is not None and tabs:
        taste.follow(
            bundle, tabs, TAB, state, picker, None, [k, tags, penalty], outputs,
            lambda picks, visit, *values: on_recommend(picks, *values, visit),
        )  # fmt: skip
