"""The floor for the load benchmark: a Gradio app whose softmax_recommend does nothing.

Same endpoint name, inputs, queue and server settings as app.py, so the load benchmark can show
how much of a request's latency is Gradio's own and how much is ours, side by side in one run.

    python benchmarks/noop_app.py --artifacts IGNORED --port 7861
"""

from __future__ import annotations

import argparse
import os

import gradio as gr


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
        gr.Button("go2").click(  # Discover's /recommend signature
            lambda p, m, k, t, n: {"picked": p},
            [picks, model, k, tags, penalty],
            out,
            api_name="recommend",
        )
    demo.queue(default_concurrency_limit=2, max_size=256)
    demo.launch(server_name=args.host, server_port=args.port, show_error=False)


if __name__ == "__main__":
    main()
