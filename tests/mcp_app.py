"""A minimal Gradio app with the MCP tools and one UI event, for tests/test_mcp.py (not app.py).

python tests/mcp_app.py --artifacts BUNDLE_DIR --port PORT [--no-mcp]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gradio as gr

import recommenders
from ui import mcp_tools


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--artifacts", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--no-mcp", action="store_true")
    args = parser.parse_args()
    bundle = recommenders.load(args.artifacts)
    with gr.Blocks(title="MCP tools test app") as demo:
        # One ordinary UI event, like the app's tabs have: it must not show up as an MCP tool.
        name, out = gr.Textbox(label="name"), gr.Textbox(label="echo")
        name.submit(lambda text: text, name, out, api_name="echo")
        mcp_tools.register(bundle)
    mcp_tools.only_tools_in_mcp(demo)
    demo.launch(
        server_name="127.0.0.1",
        server_port=args.port,
        show_error=False,
        mcp_server=mcp_tools.mcp_enabled(args.no_mcp),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
