"""Gradio's per-session copy of the page config, built only for the components a session uses.

Gradio makes a ``SessionState`` for every new session (each browser tab, each API call without a
session, each MCP call) and, in it, the config of EVERY component of the page (``config_values``:
about 190 here, ~13 ms of CPU) just in case the visitor later asks for a deep link. A Discover
request reads and writes the config of its ten inputs and outputs only. ``LazySessionState``
keeps the same mapping but fills each entry on first use, from the block the session had at its
start (exactly what Gradio would have stored); anything that reads the whole mapping (a deep
link) gets every entry, in the page's order.

This replaces a class inside Gradio, which no public API offers: it is kept because the numbers
say so (benchmarks/results/load_app.json: without it a browser visit costs 2.5-3.5× the no-op
app's server CPU, an API or MCP call 3.5-6×; docs/GRADIO_UPSTREAM.md proposes the public option
that would make it unnecessary). So that a Gradio upgrade cannot silently break it,
``install()`` first PROVES it on the running Gradio: it runs the same events through Gradio's
own ``process_api`` on a small demo with an eager and a lazy session and compares everything a
session exposes (the outputs, the state, the deep-link listing). Any difference or error and
sessions stay Gradio's own (eager: slower, never wrong). ``RECOMMENDERS_EAGER_SESSIONS=1``
turns it off.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

import gradio as gr
from gradio.state_holder import SessionState

_ABSENT = object()
# Modules that make sessions and hold their own name for the class.
SESSION_MAKERS = ("gradio.state_holder", "gradio.route_utils", "gradio.mcp")
OFF_SWITCH = "RECOMMENDERS_EAGER_SESSIONS"


class LazyConfigs(dict):
    """{block id: config} whose entries are computed from ``pending`` on first access.

    Gradio touches it from the event loop, but the deep-link route reads it from a worker
    thread: a lock keeps an entry from being built twice or read half-made."""

    def __init__(self, blocks_config: Any, pending: dict[int, Any]) -> None:
        super().__init__()
        self._blocks_config = blocks_config
        self._pending = pending  # block id → the block the session started with
        self._order = list(pending)  # the page's order, which a full listing keeps
        self._lock = threading.Lock()

    def _build(self, key: int) -> Any:
        with self._lock:
            if dict.__contains__(self, key):  # built meanwhile by another thread
                return dict.__getitem__(self, key)
            block = self._pending.get(key, _ABSENT)
            if block is _ABSENT:
                raise KeyError(key)
            value = self._blocks_config.config_for_block(key, [], block)
            dict.__setitem__(self, key, value)
            del self._pending[key]  # after the entry exists: `in` is never wrong meanwhile
            return value

    def _ordered_keys(self) -> list[int]:
        """Every key, each entry built, in the page's order (entries added later after)."""
        for key in list(self._pending):
            self._build(key)
        known = set(self._order)
        keys = list(dict.keys(self))
        return [k for k in self._order if dict.__contains__(self, k)] + [
            k for k in keys if k not in known
        ]

    def __missing__(self, key: int) -> Any:
        return self._build(key)

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self._pending

    def get(self, key: int, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __setitem__(self, key: int, value: Any) -> None:
        with self._lock:
            dict.__setitem__(self, key, value)
            self._pending.pop(key, None)

    def __delitem__(self, key: int) -> None:
        with self._lock:
            if self._pending.pop(key, _ABSENT) is _ABSENT:
                dict.__delitem__(self, key)

    def pop(self, key: int, *default: Any) -> Any:
        if key in self._pending:
            self._build(key)
        with self._lock:
            return dict.pop(self, key, *default)

    def setdefault(self, key: int, default: Any = None) -> Any:
        if key in self:
            return self[key]
        self[key] = default
        return default

    def __len__(self) -> int:
        with self._lock:
            return dict.__len__(self) + len(self._pending)

    def __iter__(self) -> Iterator[int]:
        return iter(self._ordered_keys())

    def keys(self) -> list[int]:  # type: ignore[override]
        return self._ordered_keys()

    def values(self) -> list[Any]:  # type: ignore[override]
        return [dict.__getitem__(self, k) for k in self._ordered_keys()]

    def items(self) -> list[tuple[int, Any]]:  # type: ignore[override]
        return [(k, dict.__getitem__(self, k)) for k in self._ordered_keys()]

    def copy(self) -> dict[int, Any]:
        return dict(self.items())

    def __eq__(self, other: object) -> bool:
        return self.copy() == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self.copy())


class _NoBlocks:
    """The app as SessionState.__init__ reads it, but listing no block to build a config for."""

    def __init__(self, blocks: Any) -> None:
        self._blocks = blocks
        self.blocks: dict[int, Any] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._blocks, name)


def lazy_class(base: type) -> type:
    """``base`` (Gradio's SessionState) with ``config_values`` built per component on first use."""

    class Lazy(base):  # type: ignore[misc,valid-type]
        def __init__(self, blocks: Any) -> None:
            app = _NoBlocks(blocks)
            super().__init__(app)
            if any(value is app for value in vars(self).values()):  # a Gradio that keeps `blocks`
                super().__init__(blocks)
                return
            pending = {k: v for k, v in self.blocks_config.blocks.items() if k in blocks.blocks}
            self.config_values = LazyConfigs(self.blocks_config, pending)

    Lazy.__name__ = Lazy.__qualname__ = f"Lazy{base.__name__}"
    return Lazy


LazySessionState = lazy_class(SessionState)


def proof_demo() -> tuple[gr.Blocks, list[tuple[int, list[Any]]]]:
    """A small page and the events to run on it: (event id, inputs) in order. It has what the app
    uses: inputs, an output replaced by an update (new choices), plain outputs, a gr.State, and
    a component no event touches (built only when the whole mapping is read)."""
    with gr.Blocks() as demo:
        text = gr.Textbox("hello", label="text")
        with gr.Row():
            pick = gr.Dropdown(["a", "b"], value="a", label="pick", allow_custom_value=True)
            page = gr.HTML("<b>start</b>")
        gr.Markdown("untouched")
        visit = gr.State({"n": 0})
        go = gr.Button("go")

        def step(typed: str, picked: Any, current: dict) -> tuple[Any, ...]:
            count = current["n"] + 1
            update = gr.update(choices=[typed, "b"], value=typed)
            return update, f"<i>{typed} {picked} {count}</i>", {"n": count}

        go.click(step, [text, pick, visit], [pick, page, visit], api_name="step")
        go.click(lambda t: t.upper(), text, text, api_name="shout")
    ids = {fn.api_name: fn_id for fn_id, fn in demo.fns.items()}
    return demo, [(ids["step"], ["one", "a", None]), (ids["shout"], ["two"]),
                  (ids["step"], ["three", "one", None])]  # fmt: skip


def observed(demo: gr.Blocks, session: Any, events: list[tuple[int, list[Any]]]) -> str:
    """Everything a session shows after ``events``: each event's outputs, then the state values
    and the deep-link listing (``components``, what Gradio's /gradio_api/deep_link saves)."""

    async def run() -> list[Any]:
        return [
            (await demo.process_api(block_fn=fn_id, inputs=list(inputs), state=session))["data"]
            for fn_id, inputs in events
        ]

    outputs = _run_coroutine(run)
    states = {str(k): session[k] for k in demo.blocks if getattr(demo.blocks[k], "stateful", False)}
    # A component an update made during the run has a new id (a global counter): "new".
    listing = [
        {**entry, "id": entry.get("id") if entry.get("id") in demo.blocks else "new"}
        for entry in session.components
    ]
    return json.dumps([outputs, states, listing], sort_keys=True, default=repr)


def proven(base: type = SessionState) -> bool:
    """Whether a lazy ``base`` session behaves exactly as ``base`` itself on Gradio's own event
    path (see the module docstring); False on any difference or error."""
    try:
        demo, events = proof_demo()
        eager = observed(demo, base(demo), events)
        lazy_session = lazy_class(base)(demo)
        if dict.__len__(lazy_session.config_values) != 0:
            return False  # not lazy at all: nothing to gain
        return eager == observed(demo, lazy_session, events)
    except Exception:  # any failure: Gradio changed in a way this module does not know
        return False


def install() -> bool:
    """Make Gradio build new sessions lazily when that is proven on this Gradio; True when it
    now does (sessions stay Gradio's own otherwise, or with RECOMMENDERS_EAGER_SESSIONS=1)."""
    if os.environ.get(OFF_SWITCH, "").strip() not in ("", "0") or not proven():
        return False
    # Modules imported later (gradio.mcp, when MCP is on) take the class from state_holder.
    for name in SESSION_MAKERS:
        module = sys.modules.get(name)
        if getattr(module, "SessionState", None) in (SessionState, LazySessionState):
            module.SessionState = LazySessionState  # type: ignore[attr-defined]
    return True


def _run_coroutine(make: Any) -> Any:
    """Run ``make()`` to completion, also when this thread already runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, make()).result()
