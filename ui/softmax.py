"""Softmax tab: pick artists → a grid of cards with thumbs up / "not for me" that refine the list.

The visitor's liked and excluded artists live in a per-visitor ``gr.State`` (a plain dict), so
feedback only changes this visit.
"""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from recommenders.bundle import Bundle
from ui import cards, errors, export, inputs

MODEL = "softmax"
CARDS_PER_ROW = 4


def new_session() -> dict[str, Any]:
    return {"liked": [], "excluded": [], "results": [], "k": inputs.DEFAULT_K}


def recommend(
    bundle: Bundle,
    session: dict[str, Any],
    k: float,
    tags: list[str] | None,
    penalty: float,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Recommend for the session's liked/excluded lists; returns the new session and results."""
    query = inputs.make_query(
        inputs.SOURCE_PICKS, session["liked"], None, k, tags, penalty, session["excluded"]
    )
    results = bundle.recommend(MODEL, query)
    updated = {**session, "results": results.to_dict("records"), "k": int(k)}
    return updated, results


def apply_feedback(session: dict[str, Any], artist: str, verdict: str) -> dict[str, Any]:
    """Thumbs up adds ``artist`` to the liked list; "not for me" adds it to the excluded list."""
    liked = [a for a in session["liked"] if a != artist]
    excluded = [a for a in session["excluded"] if a != artist]
    if verdict == "like":
        liked.append(artist)
    elif verdict == "dislike":
        excluded.append(artist)
    else:
        raise ValueError(f"verdict must be 'like' or 'dislike', got {verdict!r}")
    return {**session, "liked": liked, "excluded": excluded}


def _outputs(session: dict[str, Any], results: pd.DataFrame) -> tuple[Any, ...]:
    excluded = session["excluded"]
    status = cards.notice(f"Not for me: {', '.join(excluded)}") if excluded else cards.notice("")
    return (
        session,
        list(session["liked"]),
        cards.score_frame(results),
        export.export_csv(results, "softmax_recommendations"),
        status,
    )


def build(bundle: Bundle) -> None:
    """The tab's layout and events (inside a gr.Blocks / gr.Tab context)."""
    if MODEL not in bundle.model_names:
        gr.HTML(cards.notice("The softmax model is not in this bundle."))
        return
    gr.Markdown(
        "A small neural network reads the artists you like and scores every artist in the "
        "catalog (a softmax over 17,632 artists). Use 👍 to add an artist to your list and "
        "'not for me' to hide it: the list updates at once."
    )
    session = gr.State(new_session())
    with gr.Row():
        picker = inputs.artist_picker(bundle)
        go = gr.Button("Recommend", variant="primary", scale=0, min_width=140)
    inputs.wire_search(bundle, picker, "softmax_search")
    gr.Examples(inputs.EXAMPLE_PICKS, inputs=[picker], label="Examples (one click)")
    k, tags, penalty = inputs.controls(bundle)
    status = gr.HTML()

    @gr.render(inputs=[session])
    def show_cards(current: dict[str, Any]) -> None:
        records = current["results"]
        if not records:
            if current["liked"]:
                gr.HTML(cards.notice("No artist matched: widen the tag filter."))
            return
        for start in range(0, len(records), CARDS_PER_ROW):
            with gr.Row(equal_height=True):
                for row in records[start : start + CARDS_PER_ROW]:
                    with gr.Column(min_width=220):
                        gr.HTML(cards.artist_card(row))
                        with gr.Row():
                            up = gr.Button("👍 More like this", size="sm", min_width=60)
                            down = gr.Button(
                                "Not for me", size="sm", variant="secondary", min_width=60
                            )
                    for button, verdict in ((up, "like"), (down, "dislike")):
                        button.click(
                            _feedback_handler(bundle, str(row["name"]), verdict),
                            [session, k, tags, penalty],
                            outputs,
                            api_name="softmax_feedback",
                            api_visibility="private",
                            concurrency_id="recommend",
                        )

    bars = gr.BarPlot(
        x="artist", y="score", title="Scores", x_label_angle=-40, height=320, sort="x"
    )
    download = gr.DownloadButton("Download CSV", value=None)

    @errors.friendly
    def on_recommend(
        picks: list[str] | None, k: float, tags: list[str] | None, penalty: float
    ) -> tuple[Any, ...]:
        start = {**new_session(), "liked": [p for p in picks or [] if p and p.strip()]}
        updated, results = recommend(bundle, start, k, tags, penalty)
        errors.warn_if_short(results, k)
        return _outputs(updated, results)

    outputs = [session, picker, bars, download, status]
    go.click(
        on_recommend,
        [picker, k, tags, penalty],
        outputs,
        api_name="softmax_recommend",
        concurrency_id="recommend",
    )


def _feedback_handler(bundle: Bundle, artist: str, verdict: str) -> Any:
    @errors.friendly
    def on_feedback(
        current: dict[str, Any], k: float, tags: list[str] | None, penalty: float
    ) -> tuple[Any, ...]:
        updated, results = recommend(
            bundle, apply_feedback(current, artist, verdict), k, tags, penalty
        )
        return _outputs(updated, results)

    return on_feedback
