"""The MCP tools (ui/mcp_tools.py): the functions on the fast bundle, their Gradio schemas, and a
round trip through the `mcp` client library against the real `python app.py` serving the fast
bundle: the tools listed, all five called, and a tool error."""

from __future__ import annotations

import ast
import asyncio
from collections.abc import Awaitable, Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import gradio as gr
import pytest

from recommenders.errors import RecommenderInputError
from tests.app_server import SEED_PICKS, running_app
from ui import mcp_tools

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PARAMETERS = {
    "recommend_artists": ["liked", "play_counts", "k", "tags", "model"],
    "similar_artists": ["artist", "k", "model"],
    "artist_info": ["artist"],
    "search_artists": ["query", "limit"],
    "why_not": ["artist", "liked", "play_counts", "k", "tags", "model"],
}
REQUIRED = {
    "recommend_artists": ["liked"],
    "similar_artists": ["artist"],
    "artist_info": ["artist"],
    "search_artists": ["query"],
    "why_not": ["artist", "liked"],
}


# -- without a bundle ----------------------------------------------------------------------------
def test_mcp_is_on_unless_the_flag_or_the_environment_turns_it_off() -> None:
    assert mcp_tools.mcp_enabled(False, {})
    assert mcp_tools.mcp_enabled(False, {"GRADIO_MCP_SERVER": "True"})
    assert not mcp_tools.mcp_enabled(True, {})
    for off in ("false", "False", "0", " off "):
        assert not mcp_tools.mcp_enabled(False, {"GRADIO_MCP_SERVER": off})


def test_the_space_pins_the_mcp_package_gradio_needs() -> None:
    pins = (ROOT / "requirements.txt").read_text()
    assert f"\nmcp=={metadata.version('mcp')}\n" in pins
    assert f"\npydantic=={metadata.version('pydantic')}\n" in pins


def test_tool_docstrings_give_one_line_per_parameter() -> None:
    """Gradio keeps only the first line of each Args: entry as the parameter's description."""
    source = (ROOT / "ui" / "mcp_tools.py").read_text(encoding="utf-8")
    functions = {
        node.name: node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.FunctionDef)
    }
    for name, parameters in SCHEMA_PARAMETERS.items():
        doc = ast.get_docstring(functions[name]) or ""
        args = doc.split("Args:")[1].split("Returns:")[0].strip().splitlines()
        assert [line.split(":")[0].strip() for line in args] == parameters


# -- the functions, on the fast bundle ------------------------------------------------------------
@pytest.fixture(scope="module")
def tools(fast_bundle) -> dict[str, Callable[..., Any]]:
    return mcp_tools.tools(fast_bundle)


@pytest.mark.slow
def test_recommend_artists_weighs_play_counts_and_never_returns_the_liked(
    tools, fast_bundle
) -> None:
    results = tools["recommend_artists"](SEED_PICKS, [300, 5], k=7)
    assert [r["rank"] for r in results] == list(range(1, 8))
    assert not {r["name"] for r in results} & set(SEED_PICKS)
    for row in results:
        assert row["name"] and row["explanation"]
        assert isinstance(row["score"], float) and isinstance(row["listeners"], int)
        assert all(isinstance(t, str) for t in row["tags"] + row["spotify_genres"])
    reversed_weights = tools["recommend_artists"](SEED_PICKS, [5, 300], k=7)
    assert [r["name"] for r in results] != [r["name"] for r in reversed_weights]
    assert tools["recommend_artists"](SEED_PICKS, None, k=7) == tools["recommend_artists"](
        SEED_PICKS, [], k=7, model=fast_bundle.default_model
    )


@pytest.mark.slow
def test_recommend_artists_honours_model_and_tags(tools, fast_bundle) -> None:
    results = tools["recommend_artists"](["Radiohead"], k=5, tags=["jazz"], model="svd")
    assert results and all(
        "jazz" in [t.casefold() for t in r["tags"] + r["spotify_genres"]] for r in results
    )
    expected = fast_bundle.recommend("svd", liked=["Radiohead"], k=5, tags="jazz")
    assert [r["name"] for r in results] == expected["name"].tolist()


@pytest.mark.slow
def test_similar_artists_search_and_info_are_plain_values(tools, fast_bundle) -> None:
    similar = tools["similar_artists"]("Radiohead", k=4)
    assert len(similar) == 4 and "Radiohead" not in {r["name"] for r in similar}
    assert tools["search_artists"]("bjork", limit=5)[0] == "Björk"
    assert len(tools["search_artists"]("the", limit=3)) == 3
    info = tools["artist_info"]("bjork")
    assert info["name"] == "Björk" and info["dataset_users"] == fast_bundle.n_users
    assert 0 < info["listeners"] <= info["dataset_users"]
    assert info["lastfm_url"].startswith("https://www.last.fm/music/")
    assert info["spotify_url"].startswith("https://open.spotify.com/")
    assert isinstance(info["tags"], list) and isinstance(info["spotify_genres"], list)


@pytest.mark.slow
def test_why_not_says_where_the_artist_ranks_and_why(tools, fast_bundle) -> None:
    answer = tools["why_not"]("Pink Floyd", SEED_PICKS, k=5)
    model = fast_bundle.default_model
    assert answer == fast_bundle.why_not(model, "Pink Floyd", liked=SEED_PICKS, k=5).as_dict()
    assert answer["reason"] not in ("unknown", "recommended") and answer["message"]
    weighted = tools["why_not"]("Pink Floyd", SEED_PICKS, [300, 5], k=5)
    listed = tools["recommend_artists"](SEED_PICKS, [300, 5], k=weighted["rank"])
    assert listed[-1]["name"] == "Pink Floyd"  # the same request as recommend_artists
    typo = tools["why_not"]("Pink Floid", SEED_PICKS)
    assert typo["reason"] == "unknown" and "Pink Floyd" in typo["suggestions"]
    assert tools["why_not"]("Pink Floyd", SEED_PICKS, tags=["jazz"])["reason"] == "tag_filter"


BAD_CALLS = [
    ("why_not", ("", SEED_PICKS), {}, "artist must be a name"),
    ("why_not", ("Muse", []), {}, "No artists given"),
    ("why_not", ("Muse", ["Radiohead"]), {"k": 101}, "k must be a whole number"),
    ("artist_info", ("Zzqxv Nonexistent",), {}, "Unknown artist"),
    ("recommend_artists", (["Radiohead"], [1, 2]), {}, "one play count per liked artist"),
    ("recommend_artists", (["Radiohead"], [0]), {}, "Play counts must be positive"),
    ("recommend_artists", ([],), {}, "No artists given"),
    ("recommend_artists", (["Muse"],), {"k": 0}, "k must be a whole number"),
    ("recommend_artists", (["Muse"],), {"model": "bogus"}, "Unknown model 'bogus'"),
    ("similar_artists", ("Muse",), {"k": 101}, "k must be a whole number"),
    ("search_artists", ("  ",), {}, "query is empty"),
    ("search_artists", ("bjork",), {"limit": 0}, "limit must be"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "args", "kwargs", "message"), BAD_CALLS)
def test_bad_input_is_a_gradio_error_with_the_plain_message(
    tools, name, args, kwargs, message
) -> None:
    with pytest.raises(gr.Error) as caught:
        tools[name](*args, **kwargs)
    assert message in str(caught.value)
    assert not str(caught.value).startswith(("'", '"'))  # not gr.Error's repr()
    assert caught.value.print_exception is False
    with pytest.raises(RecommenderInputError):
        tools[name].__wrapped__(*args, **kwargs)


@pytest.mark.slow
def test_register_adds_typed_endpoints_and_no_components(fast_bundle) -> None:
    with gr.Blocks() as demo:
        mcp_tools.register(fast_bundle)
    # Only gr.api's placeholders, which Gradio's frontend loads as invisible State components.
    assert {type(b).__name__ for b in demo.blocks.values()} == {"Api"}
    endpoints = demo.get_api_info()["named_endpoints"]
    assert set(endpoints) == {f"/{name}" for name in mcp_tools.TOOL_NAMES}
    for name, parameters in SCHEMA_PARAMETERS.items():
        assert [p["parameter_name"] for p in endpoints[f"/{name}"]["parameters"]] == parameters
    liked = endpoints["/recommend_artists"]["parameters"][0]["type"]
    assert liked == {"type": "array", "items": {"type": "string"}}


@pytest.mark.slow
def test_only_the_tools_stay_public_the_ui_events_become_undocumented(fast_bundle) -> None:
    with gr.Blocks() as demo:
        name, out = gr.Textbox(), gr.Textbox()
        name.submit(lambda text: text, name, out, api_name="echo")
        mcp_tools.register(fast_bundle)
    assert mcp_tools.only_tools_in_mcp(demo) == ["echo"]
    assert set(demo.get_api_info()["named_endpoints"]) == {f"/{n}" for n in mcp_tools.TOOL_NAMES}
    assert "/echo" in demo.get_api_info(all_endpoints=True)["named_endpoints"]


# -- one served app, through the MCP client library ----------------------------------------------
@pytest.fixture(scope="module")
def mcp_url(fast_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """`python app.py --artifacts <fast bundle>` on a free port: its MCP endpoint."""
    log = tmp_path_factory.mktemp("mcplog") / "app.log"
    with running_app(fast_bundle_dir, log) as (url, _seconds, _pid):
        yield f"{url}gradio_api/mcp/"


def in_session(url: str, work: Callable[[Any], Awaitable[Any]]) -> Any:
    """Run ``work(session)`` in one MCP streamable-HTTP session (no proxy: loopback only)."""
    import httpx
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async def main() -> Any:
        timeout = httpx.Timeout(30, read=60)
        async with (
            httpx.AsyncClient(trust_env=False, timeout=timeout, follow_redirects=True) as http,
            streamable_http_client(url, http_client=http) as (read, write, _),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            return await work(session)

    return asyncio.run(main())


def text_of(result: Any) -> str:
    assert len(result.content) == 1 and result.content[0].type == "text"
    return result.content[0].text


@pytest.mark.slow
def test_mcp_client_lists_exactly_the_five_documented_tools(mcp_url: str) -> None:
    listed = in_session(mcp_url, lambda s: s.list_tools()).tools
    assert {t.name for t in listed} == set(mcp_tools.TOOL_NAMES)  # the UI event is not a tool
    for tool in listed:
        properties = tool.inputSchema["properties"]
        assert list(properties) == SCHEMA_PARAMETERS[tool.name]
        assert all(p.get("description") for p in properties.values()), tool.name
        assert tool.inputSchema["required"] == REQUIRED[tool.name]
        assert tool.description
    recommend = next(t for t in listed if t.name == "recommend_artists")
    assert recommend.inputSchema["properties"]["k"]["default"] == 10
    assert "softmax" in recommend.inputSchema["properties"]["model"]["description"]


def without_scores(answer: Any) -> Any:
    """A tool's answer with the float scores left out (the app scores on one BLAS thread, this
    process on several: the last bits may differ); see ``scores``."""
    if isinstance(answer, list) and answer and isinstance(answer[0], dict):
        return [{k: v for k, v in row.items() if k != "score"} for row in answer]
    return answer


def scores(answer: Any) -> list[float]:
    if isinstance(answer, list) and answer and isinstance(answer[0], dict):
        return [row["score"] for row in answer]
    return []


@pytest.mark.slow
def test_mcp_client_calls_every_tool_and_gets_what_the_bundle_gives(mcp_url: str, tools) -> None:
    calls = {
        "recommend_artists": {"liked": SEED_PICKS, "play_counts": [120, 40], "k": 6},
        "similar_artists": {"artist": "Radiohead", "k": 4},
        "artist_info": {"artist": "bjork"},
        "search_artists": {"query": "bjork", "limit": 5},
        "why_not": {"artist": "Pink Floyd", "liked": SEED_PICKS, "k": 5},
    }
    assert set(calls) == set(mcp_tools.TOOL_NAMES)

    async def work(session: Any) -> dict[str, Any]:
        return {name: await session.call_tool(name, arguments) for name, arguments in calls.items()}

    answers = in_session(mcp_url, work)
    for name, arguments in calls.items():
        assert not answers[name].isError, (name, text_of(answers[name]))
        served = ast.literal_eval(text_of(answers[name]))  # Gradio sends str(result): a repr
        assert without_scores(served) == without_scores(tools[name](**arguments)), name
        assert scores(served) == pytest.approx(scores(tools[name](**arguments)), rel=1e-5)
    recommended = ast.literal_eval(text_of(answers["recommend_artists"]))
    assert len(recommended) == 6 and not {r["name"] for r in recommended} & set(SEED_PICKS)
    assert all(r["name"] and r["explanation"] for r in recommended)
    assert len(ast.literal_eval(text_of(answers["similar_artists"]))) == 4
    assert ast.literal_eval(text_of(answers["artist_info"]))["name"] == "Björk"
    assert ast.literal_eval(text_of(answers["search_artists"]))[0] == "Björk"
    why = ast.literal_eval(text_of(answers["why_not"]))
    assert why["artist"] == "Pink Floyd" and why["rank"] > 5 and why["message"]


@pytest.mark.slow
def test_mcp_client_gets_a_tool_error_that_says_what_was_wrong(mcp_url: str) -> None:
    async def work(session: Any) -> tuple[Any, Any]:
        missing = await session.call_tool("artist_info", {"artist": "Zzqxv Nonexistent"})
        bad_k = await session.call_tool("recommend_artists", {"liked": ["Muse"], "k": 0})
        return missing, bad_k

    missing, bad_k = in_session(mcp_url, work)
    assert missing.isError and bad_k.isError
    assert text_of(missing).startswith("Unknown artist 'Zzqxv Nonexistent'.")
    assert "k must be a whole number" in text_of(bad_k)
    assert "Traceback" not in text_of(missing) + text_of(bad_k)
