"""Discover, the first tab: pick artists (or click an example) → artist cards from the bundle's
default model, refined with 👍 / "not for me" that last for the whole visit.

The cards are ONE gr.HTML block; its buttons carry data-action/data-artist and one listener
turns a click into one Gradio event, so a click redraws one string, not thirty components.
"""

from __future__ import annotations

import asyncio
from typing import Any

import gradio as gr
import pandas as pd

from recommenders.bundle import Bundle
from ui import (
    cards,
    checks,
    errors,
    export,
    history_panel,
    inputs,
    jump,
    privacy,
    session,
    share,
    taste,
    why_not_panel,
)

INTRO = (
    "**Find artists you'll like.** Type a few artists you enjoy (or click an example) and get "
    "recommendations learned from 1,892 Last.fm listeners; 👍 and *Not for me* refine them."
)
# A neighbour's "+ Add as a pick" (ui.jump) is a `select`: it changes the picker, then recommends.
ACTION_JS = (
    "element.addEventListener('click', (e) => { const b = e.target.closest('button[data-action]');"
    " if (!b) return; b.disabled = true;"
    " trigger(b.dataset.action === 'pick' ? 'select' : 'click',"
    " {action: b.dataset.action, artist: b.dataset.artist}); });"
)


# A request naming at most this many artists (picks, 👍 and "not for me"), each in at most this
# many characters, is answered on the server's event loop: a few ms of work, less CPU than the trip
# to a worker thread and back (which, under the GIL, would not run beside the loop anyway). Larger
# ones (a listening history, a long list, long names that need fuzzy matching) go to a worker
# thread, so that no request holds the loop up for long (the worst small one, twelve misspelt
# names, ~15 ms; two picks, 3 ms).
INLINE_ARTISTS = 12
INLINE_NAME_CHARS = 100


def runs_inline(picks: object, current: object) -> bool:
    """Whether a Discover request is small enough to answer on the event loop."""
    if picks is not None and not isinstance(picks, list):
        return False
    names = picks or []
    feedback = current if isinstance(current, dict) else {}
    artists = len(names) + len(feedback.get("like") or {}) + len(feedback.get("exclude") or {})
    return artists <= INLINE_ARTISTS and all(
        not isinstance(n, str) or len(n) <= INLINE_NAME_CHARS for n in names
    )


TAB = "discover"


def model_label(bundle: Bundle, model: str) -> str:
    return f"{model} (default)" if model == bundle.default_model else model


def recommend(
    bundle: Bundle,
    state: dict[str, Any],
    picks: list[str] | None,
    model: str,
    k: float,
    tags: list[str] | None,
    penalty: float,
) -> tuple[dict[str, Any], pd.DataFrame, taste.Unknown]:
    """Recommend for the picks plus the visit's 👍 artists, never the "not for me" ones (the
    controls' raw values, checked by ui.checks: the events skip Gradio's preprocessing). Picks
    the catalog lacks are left out and returned with their suggestions (ui.taste.forgiving);
    the picks used become the visit's taste."""
    model = checks.one_of(model, bundle.model_names, "'Recommended by'")
    results, used, unknown = taste.forgiving(
        bundle,
        lambda query: bundle.recommend(model, query),
        inputs.SOURCE_PICKS,
        picks,
        None,
        k,
        tags,
        penalty,
        state,
    )
    updated = taste.remember(state, TAB, inputs.SOURCE_PICKS, used)
    return session.remember_shown(updated, results), results, unknown


def outputs_for(
    bundle: Bundle,
    state: dict[str, Any],
    results: pd.DataFrame,
    model: str,
    k: float,
    unknown: taste.Unknown = (),
    **around: Any,
) -> tuple[Any, ...]:
    """(status, cards, session, feedback list, download) for a successful request.

    Plain values only, sent as they are (the events run with postprocess=False): a gr.update or
    gr.skip() makes Gradio build a new component and its config, and each postprocessed output
    costs a trip to a worker thread; together more than the recommendation itself. The download
    button is shown by CSS (ui.style) only while the cards box holds cards. ``unknown``: picks
    left out, shown with their "did you mean" above the cards; ``around``: the cards' ``after``
    and ``footer`` (ui.cards.cards_html)."""
    note = taste.unknown_html(list(unknown)) + errors.short_notice(results, k)
    if model != bundle.default_model:
        note += errors.info_html(f"Showing the {model} model's picks.")
    rows = cards.records(results)  # once for the cards and the CSV
    return (
        note,
        cards.cards_html(results, feedback=True, rows=rows, **around),
        state,
        session.session_html(state),
        export.file_data(export.export_csv(results, "recommendations", rows=rows)),
    )


# On an input error: no cards (so the CSS hides the download button), the rest unchanged.
BLANK = ("", gr.skip(), gr.skip(), gr.skip())


def build(bundle: Bundle, tab: gr.Tab | None = None) -> tuple[gr.State, gr.Dropdown]:
    """The tab's layout and events; returns the visit's session state and the picker. Selecting
    ``tab`` brings it up to the visit's taste when another tab changed it (ui.taste.follow)."""
    gr.Markdown(INTRO, elem_classes="intro")
    # Deleted by Gradio STATE_TTL seconds after the last action that changed it (ui/privacy.py).
    state = gr.State(
        session.new_session(), time_to_live=privacy.STATE_TTL, delete_callback=session.forget
    )
    with gr.Row(elem_classes="picker-row"):
        picker = inputs.searchable_picker(bundle, "discover", api_name="picker_search")
        go = gr.Button(
            "Recommend", variant="primary", scale=0, min_width=130, elem_id="discover-go"
        )
    example_events = inputs.example_chips(picker, inputs.EXAMPLE_PICKS)
    status = errors.live_html("status-box", js=errors.FIX_JS)
    model = gr.Radio(
        [(model_label(bundle, m), m) for m in bundle.model_names],
        value=bundle.default_model,
        label="Recommended by",
        info="The same picks through another model (Compare shows them side by side).",
        elem_classes="model-radio",
    )
    # -- "Bring your listening history" (ui/history_panel.py): fills the picker and presses `go`.
    with gr.Accordion("Bring your listening history", open=False, elem_id="history-panel"):
        history_panel.build(bundle, picker, state, status, go)
    with gr.Accordion("Options: how many, tags, fewer mainstream", open=False):
        k, tags, penalty = inputs.controls(bundle, "discover")
    feedback = errors.live_html("feedback-box", js=ACTION_JS)
    result_cards = errors.live_html(
        "cards-box", js=ACTION_JS + share.LINK_JS + jump.FOCUS_JS, elem_id="discover-results"
    )
    download = gr.DownloadButton("Download CSV", size="sm", elem_id="discover-csv")
    why_not_panel.build(bundle, [picker, model, k, tags, penalty, state])
    outputs = [status, result_cards, state, feedback, download]
    controls = [picker, model, k, tags, penalty]

    @errors.guarded(*BLANK)
    def respond(
        picks: list[str] | None,
        model: str,
        k: float,
        tags: list[str] | None,
        penalty: float,
        current: dict[str, Any],
        action: dict[str, Any] | None = None,
    ) -> tuple[Any, ...]:
        """The outputs for the controls (after a card or list button's ``action``)."""
        if action is not None:
            current = session.apply_action(current, action["action"], action["artist"])
        updated, results, unknown = recommend(bundle, current, picks, model, k, tags, penalty)
        link = share.link_query(bundle, picks, model, k, tags, penalty, updated)
        return outputs_for(
            bundle,
            updated,
            results,
            model,
            k,
            unknown,
            after=jump.after_action(bundle, action, model, updated, picks),
            footer=share.share_bar(link),
        )

    async def answer(*args: Any) -> tuple[Any, ...]:
        # a "similar to this" panel costs a second model pass (~10-20 ms): never on the loop
        if runs_inline(args[0], args[5]) and not jump.asks_for_panel(args[6:]):
            return respond(*args)
        return await asyncio.to_thread(respond, *args)

    async def on_recommend(
        picks: list[str] | None,
        model: str,
        k: float,
        tags: list[str] | None,
        penalty: float,
        current: dict[str, Any],
    ) -> tuple[Any, ...]:
        return await answer(picks, model, k, tags, penalty, current)

    async def on_action(
        picks: list[str] | None,
        model: str,
        k: float,
        tags: list[str] | None,
        penalty: float,
        current: dict[str, Any],
        evt: gr.EventData,
    ) -> tuple[Any, ...]:
        action = taste.event_fields(evt, "action", "artist")
        return await answer(picks, model, k, tags, penalty, current, action)

    # Gradio reads a handler's type hints on every call, to find its gr.EventData parameter;
    # hints kept as text (``from __future__ import annotations``) are evaluated again each time.
    on_recommend.__annotations__ = {}
    on_action.__annotations__ = {"evt": gr.EventData}
    run = {
        "fn": on_recommend,
        "inputs": [*controls, state],
        "outputs": outputs,
        "preprocess": False,  # ui.checks instead: no worker-thread trip per input
        "postprocess": False,
    }
    go.click(**run, api_name="recommend", concurrency_id="recommend")
    hidden = {"api_visibility": "private", "concurrency_id": "recommend"}
    model.input(**run, api_name="recommend_by_model", **hidden)
    for event in example_events:
        event.then(**run, api_name="recommend_example", **hidden)
    gr.on(
        [result_cards.click, feedback.click],  # a card's 👍 / Not for me, a list's ✕
        on_action,
        [*controls, state],
        outputs,
        api_name="discover_feedback",
        api_visibility="private",
        preprocess=False,
        postprocess=False,
        concurrency_id="recommend",
        show_progress="hidden",
    )
    status.click(
        taste.fix_pick, [picker], [picker], api_name="fix_pick", queue=False,
        show_progress="hidden",
    ).then(**run, api_name="recommend_fixed", **hidden)  # fmt: skip
    if tab is not None:
        taste.follow(
            bundle, [tab], TAB, state, picker, None, [model, k, tags, penalty], outputs,
            lambda picks, current, *values: respond(picks, *values, current),
            postprocess=False,
        )  # fmt: skip

    def add_pick(picks: list[str] | None, evt: gr.EventData) -> list[str]:
        """A neighbour's "+ Add as a pick" (ui.jump): its catalog name joins the picks."""
        return jump.add_pick(bundle, picks, taste.event_fields(evt, "action", "artist"))

    add_pick.__annotations__ = {"evt": gr.EventData}
    result_cards.select(
        add_pick,
        [picker],
        [picker],
        api_name="add_pick",
        queue=False,
        show_progress="hidden",
        api_visibility="private",
    ).then(**run, api_name="recommend_added", **hidden)
    share.wire(bundle, result_cards, controls, state, outputs, answer)
    return state, picker
