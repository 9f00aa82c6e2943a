"""Clustering tab: how k was chosen, what each cluster of listeners plays, and which cluster(s)
a listener falls into with the recommendations that follow."""

from __future__ import annotations

from collections import Counter
from typing import Any

import gradio as gr
import pandas as pd

from ui import common

MODEL = "clustering"
TOP_ARTISTS = 8
TOP_TAGS = 5


def k_experiment(model: Any) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """(k, silhouette) and (k, inertia) frames from the model's k experiment, if it kept one."""
    grid = getattr(model, "k_grid_", None)
    if grid is None or len(grid) == 0:
        return None
    silhouette = pd.DataFrame({"k": grid, "silhouette": getattr(model, "k_silhouette_", None)})
    inertia = pd.DataFrame({"k": grid, "inertia": getattr(model, "k_inertia_", None)})
    return silhouette.dropna(), inertia.dropna()


def cluster_table(bundle: Any, top_n: int = TOP_ARTISTS) -> pd.DataFrame:
    """One row per cluster: size, its most shared artists and their most common tags."""
    model = bundle.model(MODEL)
    names = bundle.catalog["name"]
    rows = []
    for summary in model.cluster_summaries(top_n=top_n):
        columns = summary["top_columns"]
        tag_counts = Counter(t for c in columns for t in bundle.catalog["tags"].iat[c][:3])
        rows.append(
            {
                "cluster": summary["cluster"],
                "listeners in cluster": summary["size"],
                "top artists": ", ".join(names.iat[c] for c in columns),
                "top tags": ", ".join(t for t, _n in tag_counts.most_common(TOP_TAGS)),
            }
        )
    return pd.DataFrame(rows)


def assigned_clusters(
    bundle: Any, source: str, picks: list[str] | None, user_id: object, summary: pd.DataFrame
) -> pd.DataFrame:
    """The listener's nearest clusters with their weights and what those clusters play."""
    interactions = bundle.interactions
    if source == common.SOURCE_USER:
        profile = interactions.profile_for_user(common.parse_user_id(user_id))
    else:
        ids = bundle.resolve_artists(common.need_picks(picks))
        profile = interactions.profile_from_artists(ids)
    nearest, weights = bundle.model(MODEL).assign(profile)
    rows = summary.set_index("cluster").loc[nearest[0]].reset_index()
    rows.insert(1, "weight", weights[0].astype(float).round(3))
    return rows


def build(bundle: Any) -> None:
    """The tab's layout and events (inside a gr.Blocks / gr.Tab context)."""
    if MODEL not in bundle.model_names:
        gr.HTML(common.notice("The clustering model is not in this bundle."))
        return
    model = bundle.model(MODEL)
    gr.Markdown(
        f"K-means groups the 1,892 listeners into **{model.k_} clusters** of similar taste; a "
        "listener is placed in the nearest cluster(s) and gets what those listeners play."
    )
    summary = cluster_table(bundle)
    experiment = k_experiment(model)
    with gr.Row():
        if experiment is not None:
            gr.LinePlot(
                experiment[0],
                x="k",
                y="silhouette",
                title="Silhouette vs k (higher is better)",
                height=260,
            )
            gr.LinePlot(
                experiment[1], x="k", y="inertia", title="Inertia vs k (the elbow)", height=260
            )
        else:
            gr.HTML(common.notice("This model kept no k experiment."))
        sizes = summary[["cluster", "listeners in cluster"]].assign(
            cluster=lambda t: t["cluster"].map(lambda c: f"cluster {c:02d}")
        )
        gr.BarPlot(sizes, x="cluster", y="listeners in cluster", title="Cluster sizes", height=260)
    gr.Dataframe(summary, label="What each cluster listens to", interactive=False, wrap=True)

    gr.Markdown("### Which cluster are you?")
    source, picker, user = common.source_inputs(bundle)
    common.wire_search(bundle, picker, "clustering_search")
    gr.Examples(
        [[common.SOURCE_PICKS, p, None] for p in common.EXAMPLE_PICKS[1:3]]
        + [[common.SOURCE_USER, [], 2]],
        inputs=[source, picker, user],
        label="Examples (one click)",
    )
    k, tags, penalty = common.controls(bundle)
    go = gr.Button("Assign and recommend", variant="primary")
    assigned = gr.Dataframe(label="Your nearest clusters", interactive=False, wrap=True)
    cards = gr.HTML()
    download = gr.DownloadButton("Download CSV", value=None)

    @common.friendly
    def on_recommend(
        source: str,
        picks: list[str] | None,
        user_id: object,
        k: float,
        tags: list[str] | None,
        penalty: float,
    ) -> tuple[Any, ...]:
        clusters = assigned_clusters(bundle, source, picks, user_id, summary)
        results = common.recommend_from(bundle, MODEL, source, picks, user_id, k, tags, penalty)
        common.warn_if_short(results, k)
        return (
            clusters,
            common.cards_html(results),
            common.export_csv(results, "clustering_recommendations"),
        )

    go.click(
        on_recommend,
        [source, picker, user, k, tags, penalty],
        [assigned, cards, download],
        api_name="clustering_recommend",
        concurrency_id="recommend",
    )
