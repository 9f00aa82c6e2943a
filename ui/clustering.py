"""Clustering tab: how k was chosen, what each cluster of listeners plays, and which cluster(s)
a listener falls into with the recommendations that follow."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from recommenders.bundle import Bundle
from ui import cards, errors, export, inputs

MODEL = "clustering"
TOP_ARTISTS = 8
TOP_TAGS = 5


def cluster_summary(bundle: Bundle) -> pd.DataFrame:
    """The cluster table as shown: one row per cluster, names and tags as text."""
    table = bundle.cluster_table(top_n=TOP_ARTISTS).drop(columns="top_artist_ids")
    return table.rename(columns={"listeners": "listeners in cluster"})


def build(bundle: Bundle) -> None:
    """The tab's layout and events (inside a gr.Blocks / gr.Tab context)."""
    if MODEL not in bundle.model_names:
        gr.HTML(cards.notice("The clustering model is not in this bundle."))
        return
    experiment, choice = bundle.k_experiment()
    gr.Markdown(
        f"K-means groups the {bundle.n_users:,} listeners into **{choice['chosen']} clusters** "
        "of similar taste; a listener is placed in the nearest cluster(s) and gets what those "
        "listeners play."
    )
    summary = cluster_summary(bundle)
    with gr.Row():
        if not experiment.empty:
            gr.LinePlot(
                experiment[["k", "silhouette"]].dropna(),
                x="k",
                y="silhouette",
                title="Silhouette vs k (higher is better)",
                height=260,
            )
            gr.LinePlot(
                experiment[["k", "inertia"]].dropna(),
                x="k",
                y="inertia",
                title="Inertia vs k (the elbow)",
                height=260,
            )
        else:
            gr.HTML(cards.notice("This model kept no k experiment."))
        sizes = summary[["cluster", "listeners in cluster"]].assign(
            cluster=lambda t: t["cluster"].map(lambda c: f"cluster {c:02d}")
        )
        gr.BarPlot(sizes, x="cluster", y="listeners in cluster", title="Cluster sizes", height=260)
    gr.Dataframe(summary, label="What each cluster listens to", interactive=False, wrap=True)

    gr.Markdown("### Which cluster are you?")
    source, picker, user = inputs.source_inputs(bundle)
    inputs.wire_search(bundle, picker, "clustering_search")
    gr.Examples(
        [[inputs.SOURCE_PICKS, p, None] for p in inputs.EXAMPLE_PICKS[1:3]]
        + [[inputs.SOURCE_USER, [], 2]],
        inputs=[source, picker, user],
        label="Examples (one click)",
    )
    k, tags, penalty = inputs.controls(bundle)
    go = gr.Button("Assign and recommend", variant="primary")
    assigned = gr.Dataframe(label="Your nearest clusters", interactive=False, wrap=True)
    result_cards = gr.HTML()
    download = gr.DownloadButton("Download CSV", value=None)

    @errors.friendly
    def on_recommend(
        source: str,
        picks: list[str] | None,
        user_id: object,
        k: float,
        tags: list[str] | None,
        penalty: float,
    ) -> tuple[Any, ...]:
        query = inputs.make_query(source, picks, user_id, k, tags, penalty)
        clusters = bundle.cluster_assignment(query).drop(columns="top_artist_ids")
        results = bundle.recommend(MODEL, query)
        errors.warn_if_short(results, k)
        return (
            clusters.rename(columns={"listeners": "listeners in cluster"}),
            cards.cards_html(results),
            export.export_csv(results, "clustering_recommendations"),
        )

    go.click(
        on_recommend,
        [source, picker, user, k, tags, penalty],
        [assigned, result_cards, download],
        api_name="clustering_recommend",
        concurrency_id="recommend",
    )
