"""Clustering tab: how k was chosen, what each cluster of listeners plays, and which cluster(s)
a listener falls into with the recommendations that follow."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from recommenders.bundle import Bundle
from recommenders.query import RecQuery
from ui import cards, charts, errors, export, inputs, taste

MODEL = "clustering"
TAB = "clustering"
TOP_ARTISTS = 8
TOP_TAGS = 5
LISTENERS = "listeners"  # the cluster table's column: how many listeners a cluster holds


def cluster_summary(bundle: Bundle) -> pd.DataFrame:
    """The cluster table as shown: one row per cluster, names and tags as text."""
    return bundle.cluster_table(top_n=TOP_ARTISTS).drop(columns="top_artist_ids")


def size_bins(summary: pd.DataFrame) -> pd.DataFrame:
    """How many clusters have how many listeners (binned): readable for any k, unlike one bar
    per cluster."""
    edges = [0, 10, 25, 50, 100, 200, 400, 10**6]
    names = ["1–10", "11–25", "26–50", "51–100", "101–200", "201–400", "over 400"]
    binned = pd.cut(summary[LISTENERS], edges, labels=names)
    counts = binned.value_counts().reindex(names, fill_value=0)
    table = pd.DataFrame({"listeners per cluster": names, "clusters": counts.to_numpy()})
    return table[table["clusters"].cumsum() > 0]  # no empty bins before the first real one


def choice_text(choice: dict[str, Any], n_users: int) -> str:
    """Why k is what it is, consistent with the silhouette chart shown beside it."""
    chosen, best = choice.get("chosen"), choice.get("silhouette_best")
    text = (
        f"K-means groups the {n_users:,} listeners into **{chosen} clusters** of similar taste; "
        "a listener is placed in the nearest cluster(s) and gets what those listeners play. "
    )
    if best is not None and best != chosen:
        return text + (
            f"k = {chosen} was chosen because its recommendations best predicted what held-out "
            f"listeners played (NDCG@10), not by the silhouette, which peaks at k = {best}: the "
            "silhouette only measures how well separated the clusters are, not how good their "
            "recommendations are."
        )
    return text + f"k = {chosen} ({choice.get('rule', 'fixed')}); the charts show the search."


def build(bundle: Bundle, state: gr.State | None = None, tabs: list[gr.Tab] = ()) -> None:
    """The tab's layout and events (inside a gr.Blocks / gr.Tab context); with the visit's
    ``state``, selecting one of ``tabs`` opens it with the visit's taste (ui.taste.follow)."""
    if MODEL not in bundle.model_names:
        gr.HTML(cards.notice("The clustering model is not in this bundle."))
        return
    experiment, choice = bundle.k_experiment()
    gr.Markdown(choice_text(choice, bundle.n_users))
    summary = cluster_summary(bundle)
    with gr.Row(elem_classes="stack-on-phone"):
        if not experiment.empty:
            gr.LinePlot(
                experiment[["k", "silhouette"]].dropna(),
                x="k",
                y="silhouette",
                title="Silhouette vs k (cluster separation)",
                y_lim=[0, None],
                height=260,
            )
            gr.LinePlot(
                experiment[["k", "inertia"]].dropna(),
                x="k",
                y="inertia",
                title="Inertia vs k (the elbow)",
                y_lim=[0, None],
                height=260,
            )
        bins = size_bins(summary)
        gr.Plot(
            charts.bar_chart(
                bins, "listeners per cluster", "clusters", title="Cluster sizes",
                subtitle="how many clusters have this many listeners", value_title="clusters",
                number_format="d",
            ),
            show_label=False, elem_classes="bar-chart",
        )  # fmt: skip
    gr.Dataframe(
        summary,
        label="What each cluster listens to",
        interactive=False,
        wrap=True,
        # widths in px, not %: on a phone, 8% of the screen squeezed "cluster" to one letter per
        # line; the table scrolls sideways there instead
        column_widths=["90px", "100px", "560px", "320px"],
        max_height=420,
        elem_classes="readable-table",
    )

    gr.Markdown("### Which cluster are you?")
    source, picker, user = inputs.source_inputs(bundle, "clustering")
    events = inputs.example_chips(picker, inputs.EXAMPLE_PICKS[1:3], source)
    events += inputs.user_chips(source, picker, user, bundle)
    status = errors.live_html("status-box", js=errors.FIX_JS)
    go = gr.Button("Assign and recommend", variant="primary", elem_id="clustering-go")
    with gr.Accordion("Options", open=False):
        k, tags, penalty = inputs.controls(bundle, "clustering")
    assigned = gr.Dataframe(
        label="Your nearest clusters", interactive=False, wrap=True, visible=False,
        elem_classes="readable-table",
    )  # fmt: skip
    result_cards = errors.live_html("cards-box", elem_id="clustering-results")
    download = gr.DownloadButton("Download CSV", visible=False, size="sm")

    with_state = [state] if state is not None else []

    @errors.guarded(
        gr.update(visible=False), "", gr.update(visible=False), *[gr.skip()] * len(with_state)
    )
    def on_recommend(
        source: str,
        picks: list[str] | None,
        user_id: object,
        k: float,
        tags: list[str] | None,
        penalty: float,
        visit: dict[str, Any] | None = None,
    ) -> tuple[Any, ...]:
        def work(query: RecQuery) -> tuple[pd.DataFrame, pd.DataFrame]:
            return bundle.cluster_assignment(query), bundle.recommend(MODEL, query)

        (clusters, results), used, unknown = taste.forgiving(
            bundle, work, source, picks, user_id, k, tags, penalty, visit
        )
        note = taste.feedback_note(visit) if source == inputs.SOURCE_PICKS else ""
        clusters = clusters.drop(columns="top_artist_ids")
        return (
            taste.unknown_html(unknown) + note + errors.short_notice(results, k),
            gr.update(
                value=clusters.rename(columns={"listeners": "listeners in cluster"}), visible=True
            ),
            cards.cards_html(results),
            gr.update(value=export.export_csv(results, "clustering_recommendations"), visible=True),
            *([taste.remember(visit, TAB, source, used)] if with_state else []),
        )

    outputs = [status, assigned, result_cards, download, *with_state]
    run = {
        "fn": on_recommend,
        "inputs": [source, picker, user, k, tags, penalty, *with_state],
        "outputs": outputs,
        "concurrency_id": "recommend",
        "preprocess": False,  # the raw values, checked by inputs.visit_query (ui.checks)
    }
    go.click(**run, api_name="clustering_recommend")
    for event in events:
        event.then(**run, api_name="clustering_example", api_visibility="private")
    taste.wire_fixes(status, picker, run, TAB)
    if state is not None and tabs:
        taste.follow(
            bundle, tabs, TAB, state, picker, source, [k, tags, penalty], outputs,
            lambda picks, visit, *values: on_recommend(
                inputs.SOURCE_PICKS, picks, None, *values, visit
            ),
        )  # fmt: skip
