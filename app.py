"""The Gradio Space: a thin UI over a recommenders Bundle; Discover first, then how it works.

    python app.py [--artifacts PATH_OR_HUB_REPO] [--fast] [--host 127.0.0.1] [--port 7860]
                  [--no-mcp]

It is also an MCP server (tools in ui/mcp_tools.py, at /gradio_api/mcp/) unless --no-mcp.

The bundle is loaded once at start-up from --artifacts, else ./artifacts/, else the Hub repo in
RECOMMENDERS_HUB_REPO (optional RECOMMENDERS_HUB_REVISION), else the pipeline builds the full
models once (evaluation skipped) into /data/artifacts on a Space with persistent storage, else
./artifacts/; with --fast or RECOMMENDERS_FAST=1 it builds the small test bundle instead, and the
page says so. See recommenders.loading.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr
from threadpoolctl import threadpool_limits

if TYPE_CHECKING:
    from recommenders.bundle import Bundle

ROOT = Path(__file__).resolve().parent
TITLE = "Last.fm artist recommender"
MAX_UPLOAD = "100mb"  # a listening-history export (recommenders.history.MAX_UPLOAD_BYTES)
RECOMMEND_CONCURRENCY = 2  # recommend calls take a few ms of numpy; more threads only contend


def load_bundle(artifacts: str | None, fast: bool = False) -> Bundle:
    """The Bundle to serve (see recommenders.loading.app_bundle_source); when there is none, the
    full models are built once, or the small test bundle when ``fast`` or RECOMMENDERS_FAST=1."""
    from recommenders.loading import app_build_dir, app_bundle_source, fast_requested, load
    from recommenders.pipeline import build_if_missing

    started = time.perf_counter()
    source = app_bundle_source(artifacts, ROOT / "artifacts")
    if source is None:
        fast = fast_requested(fast)
        out = app_build_dir(ROOT, fast)
        built = build_if_missing(out, ROOT / "data", say=lambda m: print(m, flush=True), fast=fast)
        source = (str(built), None)
    bundle = load(source[0], revision=source[1])
    print(f"Loaded bundle {source[0]} in {time.perf_counter() - started:.1f} s", flush=True)
    return bundle


def fast_bundle_note(bundle: Bundle) -> str | None:
    """The line the page shows when it serves the small --fast test bundle, else None."""
    if not bundle.manifest.get("config", {}).get("fast"):
        return None
    return (
        "⚠️ **Test bundle:** these models were built with the small `--fast` settings, so the "
        "recommendations are less accurate than the full models'."
    )


def build_demo(bundle: Bundle) -> gr.Blocks:
    """The whole app for one loaded bundle: Discover first (the product), then Compare, the
    models' "how it works" tabs and the data. Each tab lives in its own ui module; the SVD map
    and the exploration plots are built on the first visit of their tab, not at start-up."""
    from ui import clustering, compare, discover, explore, export, mcp_tools, softmax, svd

    export.serve_csv_files()
    # delete_cache: files a visitor uploaded or downloaded are removed within the hour (the
    # history panel already deletes an upload as soon as it is read).
    with gr.Blocks(title=TITLE, delete_cache=(900, 3600)) as demo:
        gr.HTML(f'<h1 class="app-title">🎧 {TITLE}</h1>')
        if note := fast_bundle_note(bundle):
            gr.Markdown(note, elem_id="fast-bundle-note")
        with gr.Tabs(elem_classes="main-tabs", overflow_behavior="wrap"):
            # One taste per visit: each tab gets the visit's state and the tabs whose opening
            # brings it up to that taste (ui.taste.follow); "How it works" opens its three.
            with gr.Tab("Discover", id="discover", elem_id="discover-tab") as discover_tab:
                state, _picker = discover.build(bundle, discover_tab)
            with gr.Tab("Compare", id="compare") as compare_tab:
                compare.build(bundle, state, [compare_tab])
            with (
                gr.Tab("How it works", id="how") as how_tab,
                gr.Tabs(overflow_behavior="wrap"),
            ):
                with gr.Tab("Clustering", id="clustering") as clustering_tab:
                    clustering.build(bundle, state, [how_tab, clustering_tab])
                with gr.Tab("SVD map", id="svd") as svd_tab:
                    svd.build(bundle, svd_tab, state, how_tab)
                with gr.Tab("Softmax", id="softmax") as softmax_tab:
                    softmax.build(bundle, state, [how_tab, softmax_tab])
            with gr.Tab("Data", id="data") as data_tab:
                explore.build(bundle, data_tab)
        gr.Markdown(
            "Data: Last.fm hetrec2011-lastfm-2k (GroupLens, non-commercial use): 1,892 users' "
            "listening in 2011; genres from a public Spotify snapshot.",
            elem_classes="footer-note",
        )
        mcp_tools.register(bundle)  # typed tools for API and MCP clients (no visible UI)
    mcp_tools.only_tools_in_mcp(demo)  # the UI's own endpoints stay callable, undocumented
    demo.queue(default_concurrency_limit=RECOMMEND_CONCURRENCY, max_size=256)
    return demo


def launch_options() -> dict[str, Any]:
    """Gradio 6 takes theme and css in launch(), not in gr.Blocks(): pass these to launch().
    Also how many visits Gradio remembers (ui/privacy.py), and no run history: it would save
    each run, an uploaded history's summary included, in the visitor's browser."""
    from starlette.middleware import Middleware

    from ui.card_script import PAGE_JS
    from ui.privacy import SESSION_CAPACITY
    from ui.share import LongLinkGuard
    from ui.style import CSS, theme

    return {
        "css": CSS,
        "js": PAGE_JS,  # card buttons the page answers itself (play, hide, copy link)
        "theme": theme(),
        "max_file_size": MAX_UPLOAD,
        "state_session_capacity": SESSION_CAPACITY,
        "run_history": False,
        # a page address too long for Gradio's page route opens the page with a message
        "app_kwargs": {"middleware": [Middleware(LongLinkGuard)]},
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=TITLE)
    parser.add_argument("--artifacts", default=None, help="bundle folder or Hub repo id")
    parser.add_argument(
        "--fast",
        action="store_true",
        help="with no bundle yet, build the small test bundle, not the full models "
        "(also: RECOMMENDERS_FAST=1)",
    )
    parser.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "7860")))
    parser.add_argument(
        "--no-mcp", action="store_true", help="no MCP server (also: GRADIO_MCP_SERVER=false)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # One request scores one profile: BLAS threads only contend with the server's own threads.
    threadpool_limits(1)
    # Gradio recomputes its queue analytics (a pandas groupby over up to 10,000 past events) after
    # every event by default: a third of the server's time under load. Refresh every 100 events.
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "100")
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "2000")
    from recommenders.errors import BundleError, RecommenderInputError

    try:
        bundle = load_bundle(args.artifacts, fast=args.fast)
    except (BundleError, RecommenderInputError) as exc:  # a message, not a traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2
    demo = build_demo(bundle)
    from ui import mcp_tools

    # The bundle and the page are ~440,000 Python objects that live as long as the process: out
    # of the garbage collector's sight, a full collection no longer walks them all (~0.2 s of CPU
    # every few hundred requests). No collection first: start-up leaves no cyclic garbage
    # (gc.collect() finds 0 objects here) and would cost 0.2 s of start-up.
    gc.freeze()
    demo.launch(
        server_name=args.host,
        server_port=args.port,
        show_error=False,
        mcp_server=mcp_tools.mcp_enabled(args.no_mcp),
        prevent_thread_lock=True,
        **launch_options(),
    )
    # The page is served already; build what the first search or click needs (~0.5 s).
    bundle.warm_up()
    from ui import lazy_sessions

    # Each new session then costs ~13 ms less CPU, once proven on this Gradio (~0.3 s; sessions
    # made before that are Gradio's own): see ui/lazy_sessions.py.
    if not lazy_sessions.install():
        print("Gradio sessions are built eagerly (lazy sessions off or not proven)", flush=True)
    gc.collect()  # the proof's small demo (cheap: the start-up objects are frozen already)
    gc.freeze()
    demo.block_thread()
    return 0


if __name__ == "__main__":
    sys.exit(main())
