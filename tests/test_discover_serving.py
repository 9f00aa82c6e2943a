"""How Discover's Recommend is served cheaply without changing its answers: sessions that build a
component's config only when used (ui/lazy_sessions.py, installed only when proven on the running
Gradio), Gradio's input checks done in the handler (no thread trip per input), and small requests
answered on the event loop while large ones go to a worker thread."""

from __future__ import annotations

import asyncio
import html
import inspect
import threading
from typing import Any

import gradio as gr
import pandas as pd
import pytest
from gradio import state_holder
from gradio.state_holder import SessionState

from recommenders.query import RecQuery
from ui import discover, lazy_sessions, session


def small_demo() -> gr.Blocks:
    with gr.Blocks() as demo:
        box = gr.Textbox("hello", label="box")
        with gr.Row():
            gr.Dropdown(["a", "b"], value="a", label="pick")
            gr.HTML("<b>hi</b>")
        gr.State({"x": 1})
        gr.Button("go").click(lambda s: s, box, box)
    return demo


def test_a_lazy_session_holds_what_gradios_own_holds() -> None:
    demo = small_demo()
    eager, lazy = SessionState(demo), lazy_sessions.LazySessionState(demo)
    assert dict.__len__(lazy.config_values) == 0  # nothing built at the start
    ids = list(eager.config_values)
    for state in (eager, lazy):
        state._update_value_in_config(ids[1], "typed")
        state[ids[2]] = gr.Dropdown(["a", "b", "c"], value="c", label="pick", render=False)
    assert len(lazy.config_values) == len(eager.config_values)
    assert ids[1] in lazy.config_values and 10**9 not in lazy.config_values
    assert lazy.config_values.get(10**9, "none") == "none"
    assert list(lazy.components) == list(eager.components)  # a deep link: same, same order


def test_install_makes_every_new_session_lazy(monkeypatch) -> None:
    monkeypatch.delenv(lazy_sessions.OFF_SWITCH, raising=False)
    assert lazy_sessions.proven()  # on the Gradio installed here
    assert lazy_sessions.install() and lazy_sessions.install()  # twice is harmless
    holder = state_holder.StateHolder()
    holder.set_blocks(small_demo())
    assert isinstance(holder["a-session"], lazy_sessions.LazySessionState)


def renamed_gradio() -> type:
    """Gradio's SessionState as it would be if a release renamed ``config_values``: the same
    source with the attribute renamed. It has every method the old names-only check looked for."""
    source = inspect.getsource(state_holder).replace("config_values", "component_configs")
    namespace: dict[str, Any] = {}
    exec(compile(source, "renamed_state_holder.py", "exec"), namespace)
    return namespace["SessionState"]


def test_a_gradio_that_stores_session_configs_elsewhere_is_refused() -> None:
    renamed = renamed_gradio()
    for name in ("_update_value_in_config", "_update_config", "components", "__setitem__"):
        assert hasattr(renamed, name)  # what `compatible()` checked: it would have passed
    demo, events = lazy_sessions.proof_demo()
    eager = lazy_sessions.observed(demo, renamed(demo), events)
    lazy = lazy_sessions.observed(demo, lazy_sessions.lazy_class(renamed)(demo), events)
    assert eager != lazy  # a deep link would list only what the visit touched
    assert not lazy_sessions.proven(renamed)


def test_the_off_switch_keeps_gradios_own_sessions(monkeypatch) -> None:
    monkeypatch.setenv(lazy_sessions.OFF_SWITCH, "1")
    assert not lazy_sessions.install()


@pytest.mark.parametrize(
    ("picks", "feedback", "inline"),
    [
        (["Radiohead", "Muse"], {}, True),
        (None, {}, True),
        ([f"a{i}" for i in range(discover.INLINE_ARTISTS)], {}, True),
        ([f"a{i}" for i in range(discover.INLINE_ARTISTS + 1)], {}, False),
        (["a"], {"like": {i: "x" for i in range(discover.INLINE_ARTISTS)}}, False),
        (["x" * (discover.INLINE_NAME_CHARS + 1)], {}, False),
        ("Radiohead", {}, False),  # not a list: whatever it is, not on the loop
    ],
)
def test_only_small_requests_run_on_the_event_loop(picks, feedback, inline) -> None:
    current = {**session.new_session(), **feedback}
    assert discover.runs_inline(picks, current) is inline


class ThreadSpy:
    """The real bundle, noting the thread each recommend() runs in."""

    def __init__(self, bundle: Any) -> None:
        self.bundle, self.threads = bundle, []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.bundle, name)

    def recommend(self, model: str, query: RecQuery) -> pd.DataFrame:
        self.threads.append(threading.get_ident())
        return self.bundle.recommend(model, query)


def test_recommend_checks_inputs_as_gradio_does_on_the_loop_or_in_a_thread(fast_bundle) -> None:
    spy = ThreadSpy(fast_bundle)
    with gr.Blocks() as demo:
        discover.build(spy)
    (event,) = [f for f in demo.fns.values() if f.api_name == "recommend"]
    assert event.preprocess is False and event.postprocess is False  # plain values both ways

    async def call(picks: list[str], k: object = 10, penalty: object = 0.0) -> tuple:
        loop = threading.get_ident()
        outputs = await event.fn(picks, "softmax", k, [], penalty, session.new_session())
        return outputs, spy.threads[-1] == loop

    outputs, on_loop = asyncio.run(call(["Radiohead", "Muse"]))
    assert on_loop and "artist-card" in outputs[1] and outputs[4]["path"].endswith(".csv")
    many = fast_bundle.top_artists(discover.INLINE_ARTISTS + 5)
    outputs, on_loop = asyncio.run(call(many))
    assert not on_loop and "artist-card" in outputs[1]
    # Gradio's own checks stand in the handler (ui.checks), as messages beside the inputs
    status, *_ = asyncio.run(call(["Radiohead"], k=7))[0]
    assert "How many artists must be one of 5, 10, 15, 20, 30, 50; got 7" in status
    status, *_ = asyncio.run(call(["Radiohead"], penalty=2.0))[0]
    assert "popularity penalty must be a number from 0 to 1; got 2.0" in status
    status, *_ = asyncio.run(call(["Radiohed"]))[0]
    assert "Did you mean" in status  # an input error is still the status, not an exception


@pytest.mark.parametrize(
    ("picks", "penalty", "expected"),
    [  # what the events used to do with them: nine one-letter artists, [] and a TypeError
        ("Radiohead", 0.0, "must be a list of names, e.g. ['Radiohead', 'Muse']; got str"),
        (["Radiohead", 3, None], 0.0, "must be names given as text"),
        (["Radiohead"], "abc", "must be a number from 0 to 1; got 'abc'"),
        (["Radiohead"], "0.5", "must be a number from 0 to 1; got '0.5'"),
        (["Radiohead"], float("nan"), "must be a number from 0 to 1; got nan"),
    ],
)
def test_discover_refuses_what_gradio_would_and_says_what_is_accepted(
    fast_bundle, picks, penalty, expected
) -> None:
    with gr.Blocks() as demo:
        discover.build(fast_bundle)
    (event,) = [f for f in demo.fns.values() if f.api_name == "recommend"]
    status, *rest = asyncio.run(event.fn(picks, "softmax", 10, [], penalty, session.new_session()))
    assert "status error" in status and expected in html.unescape(status)
    assert rest[0] == ""  # no cards beside the error
