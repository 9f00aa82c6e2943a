"""The floor for the load benchmark: a Gradio app whose endpoints do nothing.

Same endpoint names, inputs, queue and server settings as app.py (Discover's /recommend with its
session state, the five API tools off the queue, MCP on), so the load benchmark can show how
much of a request's cost is Gradio's own and how much is ours, side by side in one run.

    python benchmarks/noop_app.py --artifacts IGNORED --port 7861
"""

from __future__ import annotations

import argparse
import os

import gradio as gr


def recommend_artists(
    liked: list[str],
    play_counts: list[int] | None = None,
    k: int = 10,
    tags: list[str] | None = None,
    model: str = "",
) -> list[dict]:
    """Does nothing.

    Args:
        liked: liked.
        play_counts: counts.
        k: how many.
        tags: tags.
        model: model.
    """
    return [{"name": n} for n in liked]


def similar_artists(artist: str, k: int = 10, model: str = "") -> list[dict]:
    """Does nothing.

    Args:
        artist: artist.
        k: how many.
        model: model.
    """
    return [{"name": artist}]


def artist_info(artist: str) -> dict:
    """Does nothing.

    Args:
        artist: artist.
    """
    return {"name": artist}


def search_artists(query: str, limit: int = 10) -> list[str]:
    """Does nothing.

    Args:
        query: query.
        limit: how many.
    """
    return [query]


def why_not(
    artist: str,
    liked: list[str],
    play_counts: list[int] | None = None,
    k: int = 10,
    tags: list[str] | None = None,
    model: str = "",
) -> dict:
    """Does nothing.

    Args:
        artist: artist.
        liked: liked.
        play_counts: counts.
        k: how many.
        tags: tags.
        model: model.
    """
    return {"name": artist}


TOOLS = [recommend_artists, similar_artists, artist_info, search_artists, why_not]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--artifacts", help="ignored (same command line as app.py)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7861)
    args = parser.parse_args()
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "100")
    with gr.Blocks() as demo:
        picks = gr.Dropdown(multiselect=True, allow_custom_value=True)
        k, penalty = gr.Number(10), gr.Number(0.0)
        tags = gr.Dropdown(multiselect=True, allow_custom_value=True)
        out = gr.JSON()
        model = gr.Textbox()
        gr.Button("go").click(
            lambda p, k, t, n: {"picked": p},
            [picks, k, tags, penalty],
            out,
            api_name="softmax_recommend",
        )
        state = gr.State({})
        gr.Button("go2").click(  # Discover's /recommend signature
            lambda p, m, k, t, n, s: {"picked": p},
            [picks, model, k, tags, penalty, state],
            out,
            api_name="recommend",
        )
        for tool in TOOLS:  # the five API/MCP tools of ui/mcp_tools.py, doing nothing
            gr.api(tool, queue=False)
    demo.queue(default_concurrency_limit=2, max_size=256)
    demo.launch(server_name=args.host, server_port=args.port, show_error=False, mcp_server=True)


if __name__ == "__main__":
    main()
