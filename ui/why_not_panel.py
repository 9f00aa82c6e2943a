"""Discover's "Why not …?": the visitor names an artist they expected, and the page says where it
ranks for the same request as the cards and the true reason it is not higher
(``Bundle.why_not``; each reason is defined in recommenders/why_not.py)."""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from recommenders.bundle import Bundle
from recommenders.errors import RecommenderInputError
from ui import checks, errors, inputs, taste

LABEL = "Expected an artist that is not here?"
INFO = "Name them (then Enter): where they rank for your picks, and why not higher."


def answer_html(
    bundle: Bundle,
    artist: object,
    picks: object,
    model: object,
    k: object,
    tags: object,
    penalty: object,
    visit: dict[str, Any] | None,
) -> str:
    """The answer for the cards' own request (picks that are not in the catalog left out, as
    for the cards), or the input error; a name the catalog lacks gets "did you mean" buttons."""
    try:
        if not isinstance(artist, str) or not artist.strip():
            raise RecommenderInputError(
                "Name the artist you expected first, e.g. 'Pink Floyd' (type a few letters and "
                f"pick); got {checks.shown(artist)}."
            )
        model = checks.one_of(model, bundle.model_names, "'Recommended by'")
        answer, _used, _unknown = taste.forgiving(
            bundle,
            lambda query: bundle.why_not(model, artist, query),
            inputs.SOURCE_PICKS,
            picks,
            None,
            k,
            tags,
            penalty,
            visit,
        )
    except RecommenderInputError as exc:
        return errors.error_html(str(exc), exc.suggestions)
    buttons = "".join(
        f'<button class="suggest" data-bad="{html.escape(answer.artist)}" '
        f'data-good="{html.escape(name)}">{html.escape(name)}</button>'
        for name in answer.suggestions[:3]
    )
    message = answer.message
    if buttons:  # the names as buttons, not also as words
        message = f"No artist in the 2011 Last.fm data has “{answer.artist}”."
        buttons = f'<div class="suggestions">Did you mean: {buttons}</div>'
    return (
        f'<div class="status info why-not" role="status" data-reason="{answer.reason}">'
        f"{html.escape(message)}{buttons}</div>"
    )


def build(bundle: Bundle, request: list[Any]) -> None:
    """The row under Discover's cards; ``request``: the cards' picker, model, k, tags, penalty
    and the visit's state, read when the visitor asks."""
    with gr.Row(elem_classes="picker-row why-not-row"):
        # A text box: a misspelt name gets its "did you mean" buttons in the answer.
        expected = gr.Textbox(
            label=LABEL, info=INFO, placeholder="e.g. Pink Floyd", max_lines=1,
            elem_id="whynot-box",
        )  # fmt: skip
        ask = gr.Button("Why not?", scale=0, min_width=130)
    answer = gr.HTML(js_on_load=errors.FIX_JS, elem_classes="why-not-box")

    def on_ask(
        artist: object,
        picks: object,
        model: object,
        k: object,
        tags: object,
        penalty: object,
        visit: dict[str, Any] | None,
    ) -> str:
        return answer_html(bundle, artist, picks, model, k, tags, penalty, visit)

    on_ask.__annotations__ = {}  # (Gradio reads a handler's hints on every call)

    run = {
        "fn": on_ask,
        "inputs": [expected, *request],
        "outputs": [answer],
        "preprocess": False,  # raw values, checked as the cards' are (ui.checks)
        "postprocess": False,
        "concurrency_id": "recommend",
    }
    gr.on([ask.click, expected.submit], **run, api_name="discover_why_not")

    def suggestion(evt: gr.EventData) -> str | None:
        """A "did you mean" click: that name becomes the expected artist (None: unchanged)."""
        good = taste.event_fields(evt, "good")["good"]
        return good if isinstance(good, str) and good else gr.skip()

    answer.click(
        suggestion, None, [expected], api_visibility="private", queue=False,
        show_progress="hidden",
    ).then(**run, api_name="why_not_fixed", api_visibility="private")  # fmt: skip
