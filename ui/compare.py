"""Compare tab: one input through every model side by side, how much their lists overlap, and
the offline evaluation recorded in the bundle."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from recommenders.bundle import Bundle
from recommenders.query import RecQuery
from ui import cards, charts, errors, export, inputs, taste

RANKING_METRICS = {"precision": "P", "recall": "R", "ndcg": "NDCG", "map": "MAP"}
OTHER_METRICS = {
    "coverage": "coverage",
    "novelty": "novelty",
    "mean_listeners": "mean listeners",
    "fit_seconds": "fit time (s)",
}
QUALITY = ("precision", "recall", "ndcg")
TAB = "compare"


def metric_labels(k: int) -> dict[str, str]:
    """Column labels for the recorded metrics, at the k they were measured at (e.g. NDCG@10)."""
    return {**{key: f"{name}@{k}" for key, name in RANKING_METRICS.items()}, **OTHER_METRICS}


def metrics_k(metrics: dict[str, Any]) -> int:
    """The k the build evaluated at (the same for every model)."""
    return int(next(iter(metrics.values()), {}).get("k", 10))


def side_by_side(lists: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """rank × model table of artist names (empty cells where a list is shorter)."""
    depth = max((len(t) for t in lists.values()), default=0)
    table = pd.DataFrame({"rank": range(1, depth + 1)})
    for model, results in lists.items():
        names = results["name"].tolist()
        table[model] = names + [""] * (depth - len(names))
    return table


def jaccard(lists: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """model × model Jaccard similarity of the recommended artist sets (1 on the diagonal)."""
    sets = {m: set(t["artist_id"].tolist()) for m, t in lists.items()}
    rows = []
    for a, left in sets.items():
        row: dict[str, Any] = {"model": a}
        for b, right in sets.items():
            union = left | right
            row[b] = round(len(left & right) / len(union), 3) if union else 1.0
        rows.append(row)
    return pd.DataFrame(rows)


def metrics_table(metrics: dict[str, Any]) -> pd.DataFrame:
    """One row per model: mean (± std when several seeds) of each offline metric."""
    labels = metric_labels(metrics_k(metrics))
    rows = []
    for model, result in metrics.items():
        mean, std = result.get("mean", {}), result.get("std", {})
        row: dict[str, Any] = {"model": model}
        for key, label in labels.items():
            if key in mean:
                value = float(mean[key])
                spread = float(std.get(key, 0.0) or 0.0)
                row[label] = f"{value:.4g}" + (f" ± {spread:.2g}" if spread > 0 else "")
        row["seeds"] = len(result.get("runs", [])) or len(result.get("seeds", []))
        rows.append(row)
    return pd.DataFrame(rows)


def metrics_long(metrics: dict[str, Any], keys: tuple[str, ...]) -> pd.DataFrame:
    """(model, metric, value) rows, one per model and recorded metric among ``keys``."""
    labels = metric_labels(metrics_k(metrics))
    rows = [
        (model, labels[key], float(result["mean"][key]))
        for model, result in metrics.items()
        for key in keys
        if key in result.get("mean", {})
    ]
    return pd.DataFrame(rows, columns=["model", "metric", "value"])


def metric_charts(metrics: dict[str, Any]) -> list[Any]:
    """Accuracy (a group of bars per metric, one bar per model), catalog coverage and novelty:
    every model in the same colour on all three."""
    k, models = metrics_k(metrics), list(metrics)
    quality = metrics_long(metrics, QUALITY)
    one = {"category": "model", "value": "value", "categories": models, "colour_by": "model",
           "groups": models}  # fmt: skip
    return [
        charts.bar_chart(
            quality, "metric", "value", title=f"Accuracy at {k}",
            subtitle="held-out listening; higher is better", value_title="score",
            categories=list(dict.fromkeys(quality["metric"])), group="model", groups=models,
        ),
        charts.bar_chart(
            metrics_long(metrics, ("coverage",)), **one, title="Catalog coverage",
            subtitle="share of all artists recommended to someone", value_title="share",
        ),
        charts.bar_chart(
            metrics_long(metrics, ("novelty",)), **one, title="Novelty",
            subtitle="higher = less mainstream", value_title="bits", number_format=".2f",
        ),
    ]  # fmt: skip


def compare(bundle: Bundle, query: RecQuery) -> dict[str, pd.DataFrame]:
    """Every model's list for the same query."""
    return {model: bundle.recommend(model, query) for model in bundle.model_names}


def combined_csv(lists: dict[str, pd.DataFrame]) -> str:
    frames = [t.assign(model=m) for m, t in lists.items()]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return export.export_csv(table, "compare_recommendations")


def build(bundle: Bundle, state: gr.State | None = None, tabs: list[gr.Tab] = ()) -> None:
    """The tab's layout and events (inside a gr.Blocks / gr.Tab context); with the visit's
    ``state``, selecting one of ``tabs`` opens it with the visit's taste (ui.taste.follow)."""
    gr.Markdown(
        "The same listener through every model. **Popularity** recommends what everyone "
        "listens to; **clustering** what listeners like you (your cluster) play; **SVD** "
        "follows latent taste factors; **softmax** is a network trained to reconstruct the "
        "artists masked out of a listener's profile, plus a learned artist-to-artist term. "
        "Your 👍 and *Not for me* from Discover apply here too."
    )
    source, picker, user = inputs.source_inputs(bundle, "compare")
    events = inputs.example_chips(picker, inputs.EXAMPLE_PICKS, source)
    events += inputs.user_chips(source, picker, user, bundle)
    status = errors.live_html("status-box", js=errors.FIX_JS)
    go = gr.Button("Compare all models", variant="primary", elem_id="compare-go")
    with gr.Accordion("Options", open=False):
        k, tags, penalty = inputs.controls(bundle, "compare")
    lists = gr.Dataframe(
        label="Recommendations side by side",
        interactive=False,
        wrap=True,
        visible=False,
        elem_id="compare-results",
    )
    overlap = gr.Dataframe(
        label="Overlap between the lists (Jaccard: shared / all artists)",
        interactive=False,
        visible=False,
    )
    download = gr.DownloadButton("Download CSV", visible=False, size="sm")

    gr.Markdown("### Offline evaluation (held-out listening, recorded at build time)")
    metrics = bundle.metrics
    if metrics:
        gr.Dataframe(metrics_table(metrics), label="Evaluation", interactive=False)
        with gr.Row(elem_classes="stack-on-phone"):
            for chart in metric_charts(metrics):
                gr.Plot(chart, show_label=False, elem_classes="bar-chart")
    else:
        gr.HTML(
            cards.notice(
                "The models this server loaded come without their offline evaluation, so "
                "there are no scores to show here."
            )
        )

    hidden = gr.update(visible=False)

    @errors.guarded(hidden, hidden, hidden, *([gr.skip()] if state else []))
    def on_compare(
        source: str,
        picks: list[str] | None,
        user_id: object,
        k: float,
        tags: list[str] | None,
        penalty: float,
        visit: dict[str, Any] | None = None,
    ) -> tuple[Any, ...]:
        results, used, unknown = taste.forgiving(
            bundle, lambda q: compare(bundle, q), source, picks, user_id, k, tags, penalty, visit
        )
        note = taste.feedback_note(visit) if source == inputs.SOURCE_PICKS else ""
        return (
            taste.unknown_html(unknown) + note,
            gr.update(value=side_by_side(results), visible=True),
            gr.update(value=jaccard(results), visible=True),
            gr.update(value=combined_csv(results), visible=True),
            *([taste.remember(visit, TAB, source, used)] if state else []),
        )

    outputs = [status, lists, overlap, download, *([state] if state else [])]
    run = {
        "fn": on_compare,
        "inputs": [source, picker, user, k, tags, penalty, *([state] if state else [])],
        "outputs": outputs,
        "concurrency_id": "recommend",
        "preprocess": False,  # the raw values, checked by inputs.visit_query (ui.checks)
    }
    go.click(**run, api_name="compare")
    for event in events:
        event.then(**run, api_name="compare_example", api_visibility="private")
    taste.wire_fixes(status, picker, run, TAB)
    if state is not None and tabs:
        taste.follow(
            bundle, tabs, TAB, state, picker, source, [k, tags, penalty], outputs,
            lambda picks, visit, *values: on_compare(
                inputs.SOURCE_PICKS, picks, None, *values, visit
            ),
        )  # fmt: skip
