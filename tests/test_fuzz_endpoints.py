"""Every public endpoint of the running app (`python app.py`, one process), fed generated input:
valid values mixed with wrong types, None, empty and huge values, Unicode (right-to-left, emoji,
NUL), nested lists and dicts, numbers as text, NaN and infinities. Through REST
(/gradio_api/call/<api>, no session), gradio_client, MCP (the five tools) and the page's own
route for its events off the queue (/gradio_api/run/predict).

Every call must be accepted, or refused with a message that says what is accepted; never a
raw exception (a traceback in the server's log, or an error without a message), never an HTTP
500. Inputs come from hypothesis with a fixed seed (derandomize), a few hundred calls in all;
the last test prints how many calls each endpoint got and how they ended.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.app_server import SEED_PICKS, running_app

pytestmark = pytest.mark.slow

PICKS, USER = "Artists I pick", "An existing Last.fm user"
# A valid call of every named endpoint (the UI's and the five tools), in the API's order.
VALID: dict[str, list[Any]] = {
    "picker_search": [SEED_PICKS, "radiohed"],
    "history_upload": [None],  # no file: refused with a message (a real upload: test_privacy)
    "recommend": [SEED_PICKS, "fusion", 10, [], 0.0],
    "discover_why_not": ["Pink Floyd", SEED_PICKS, "fusion", 10, [], 0.0],
    "fix_pick": [["Radiohed"]],
    "compare_search": [[], "muse"],
    "compare": [PICKS, SEED_PICKS, None, 10, [], 0.0],
    "clustering_search": [[], "bjork"],
    "clustering_recommend": [USER, [], "2", 10, [], 0.0],
    "svd_search": [[], "acdc"],
    "svd_map": [10, [], 0.0],
    "svd_recommend": [PICKS, SEED_PICKS, None, 5, ["rock"], 0.5],
    "softmax_search": [[], "sigur ros"],
    "softmax_recommend": [SEED_PICKS, 10, [], 0.0],
    "explore_plots": [],
    "explore_search": [None, "lady"],
    "explore_lookup": ["Radiohead", "svd", 10],
    "recommend_artists": [SEED_PICKS, [120, 40], 10, None, ""],
    "similar_artists": ["Radiohead", 10, ""],
    "artist_info": ["Björk"],
    "search_artists": ["bjork", 10],
    "why_not": ["Pink Floyd", SEED_PICKS, [120, 40], 10, None, ""],
}
TOOLS = ("recommend_artists", "similar_artists", "artist_info", "search_artists", "why_not")
TOOL_PARAMETERS = {
    "recommend_artists": ["liked", "play_counts", "k", "tags", "model"],
    "similar_artists": ["artist", "k", "model"],
    "artist_info": ["artist"],
    "search_artists": ["query", "limit"],
    "why_not": ["artist", "liked", "play_counts", "k", "tags", "model"],
}
# Events off the queue that the page sends to /gradio_api/run/predict: a failure there is a 500.
PAGE_EVENTS = ("picker_search", "fix_pick", "svd_search", "explore_search")
EXAMPLES = {"rest": 4, "gradio_client": 3, "mcp": 8, "page": 5}
# Beside the generated calls, every parameter of every endpoint gets one value of each kind (the
# others valid), over REST: a kind hypothesis happens not to draw for a parameter is still tried.
KINDS = [None, True, -3.2e-50, 7, {"a": 1}, [[1], None], "x" * 100_000]

SPECIAL = [
    "", " ", "Radiohead", "radiohed", "abc", "nan", "NaN", "inf", "-inf", "-1", "0", "10",
    "0.5", "1e309", "\u202eRTL override\u202c", "עברי לידר", "😀🎧🎸", "a\x00b", "\x00",
    "<img src=x onerror=alert(1)>", PICKS, USER, "softmax", "like", "x" * 100_000,
]  # fmt: skip
HUGE = [["Radiohead"] * 5000, list(range(3000)), ["x" * 10_000] * 20, {"k": "v" * 50_000}]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(SPECIAL),
)
hostile = st.one_of(
    st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=8,
    ),
    st.sampled_from(HUGE),
)
SETTINGS = settings(
    derandomize=True,  # the same inputs on every run: a failure can be replayed
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GUIDANCE = re.compile(  # words of a message that says what is accepted
    r"e\.g\.|must|at most|one of|from \d|give|type |pick|accepted|whole number|did you mean|"
    r"check the spelling|such as",
    re.I,
)
RAW = re.compile(r"Traceback|\b\w+Error\b(?!:? ?[A-Z][a-z])|Exception|object has no attribute")
OUTCOMES: dict[str, Counter] = defaultdict(Counter)


# A listening-history upload: hostile content under a hostile name, uploaded as the page does
# (POST /gradio_api/upload) right before the call. (A path Gradio did not receive as an upload,
# or a value that is not a FileData, is refused by Gradio itself before any handler runs:
# test_a_file_gradio_did_not_receive_is_refused_before_the_handler.)
UPLOAD_NAMES = ["my_spotify_data.zip", "StreamingHistory0.json", "scrobbles.csv", "list.txt",
                "../../escape.txt", "😀.json", "a" * 200 + ".txt", "noextension"]  # fmt: skip
uploads = st.builds(
    lambda content, name: ("upload", content, name),
    st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=600).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.sampled_from([b"", b"\x00" * 64, b"Radiohead\t10\nMuse\t3\n", b"PK\x03\x04junk",
                         b'[{"artistName": 5, "msPlayed": "x"}]', b'{"a": [' * 500]),
    ),
    st.sampled_from(UPLOAD_NAMES),
)  # fmt: skip


def arguments(name: str) -> st.SearchStrategy[list[Any]]:
    """For each parameter, the valid value or a hostile one (one hostile at least)."""
    valid = VALID[name]
    if not valid:
        return st.just([])
    if name == "history_upload":
        return st.tuples(st.one_of(st.none(), uploads)).map(list)
    per_parameter = [st.one_of(st.just(v), hostile) for v in valid]
    return st.tuples(*per_parameter).map(list).filter(lambda a: a != valid) | st.just(valid)


# -- the app and the ways to call it --------------------------------------------------------------
class App:
    def __init__(self, url: str, log: Path) -> None:
        import httpx
        from gradio_client import Client

        self.url, self.log = url.rstrip("/"), log
        self.http = httpx.Client(timeout=120)
        self.client = Client(url, verbose=False, download_files=False)
        self.seen = 0  # log characters already read
        config = self.http.get(f"{self.url}/config").json()
        self.events = {d["api_name"]: d for d in config["dependencies"] if d.get("api_name")}

    def uploaded(self, args: list[Any]) -> list[Any]:
        """``args`` with each ("upload", content, name) uploaded and given as its FileData."""
        out = []
        for arg in args:
            if isinstance(arg, tuple) and arg[:1] == ("upload",):
                _upload, content, filename = arg
                files = {"files": (filename, content)}
                sent = self.http.post(f"{self.url}/gradio_api/upload", files=files)
                sent.raise_for_status()
                path = sent.json()[0]
                arg = {"path": path, "orig_name": filename, "meta": {"_type": "gradio.FileData"}}
            out.append(arg)
        return out

    def new_log(self) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        new, self.seen = text[self.seen :], len(text)
        return new

    def rest(self, name: str, args: list[Any]) -> tuple[int, str, Any]:
        """(HTTP status, "ok" / "error", outputs or message) of POST /gradio_api/call/<name>."""
        call = f"{self.url}/gradio_api/call/{name}"
        sent = self.http.post(call, content=dumps({"data": args}), headers=JSON)
        if sent.status_code != 200:
            return sent.status_code, "error", sent.text[:300]
        stream = self.http.get(f"{call}/{sent.json()['event_id']}")
        kind, data = last_event(stream.text)
        if kind == "complete":
            return stream.status_code, "ok", json.loads(data)
        error = json.loads(data) if data else None  # {"error": message, ...} or null
        return stream.status_code, "error", error.get("error") if isinstance(error, dict) else error

    def gradio_client(self, name: str, args: list[Any]) -> tuple[int, str, Any]:
        from gradio_client.exceptions import AppError

        try:
            outputs = self.client.predict(*args, api_name=f"/{name}")
        except AppError as exc:
            return 200, "error", exc.message if hasattr(exc, "message") else str(exc)
        return 200, "ok", list(outputs) if isinstance(outputs, tuple) else [outputs]

    def mcp(self, name: str, args: list[Any]) -> tuple[int, str, Any]:
        arguments = dict(zip(TOOL_PARAMETERS[name], args, strict=True))
        body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                "params": {"name": name, "arguments": arguments}}  # fmt: skip
        headers = {**JSON, "Accept": "application/json, text/event-stream"}
        answer = self.http.post(f"{self.url}/gradio_api/mcp/", content=dumps(body), headers=headers)
        if answer.status_code != 200:
            return answer.status_code, "error", answer.text[:300]
        _kind, data = last_event(answer.text)
        message = json.loads(data)
        if "error" in message:
            return 200, "error", message["error"].get("message")
        result = message["result"]
        text = " ".join(c.get("text", "") for c in result.get("content", []))
        return (
            200,
            "error" if result.get("isError") else "ok",
            text if result.get("isError") else [text],
        )

    def page(self, name: str, args: list[Any]) -> tuple[int, str, Any]:
        event = self.events[name]
        body = {"data": args, "event_data": None, "fn_index": event["id"],
                "trigger_id": event["targets"][0][0], "session_hash": "fuzzpage01"}  # fmt: skip
        answer = self.http.post(f"{self.url}/gradio_api/run/predict", content=dumps(body),
                                headers=JSON)  # fmt: skip
        payload = (
            answer.json()
            if answer.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        if answer.status_code != 200:
            return answer.status_code, "error", payload.get("error") or answer.text[:300]
        return 200, "ok", payload.get("data")


JSON = {"Content-Type": "application/json"}


def dumps(payload: Any) -> bytes:
    """JSON as Python writes it: NaN and Infinity as the bare tokens JavaScript's JSON lacks but
    Python's (and so Gradio's) parser reads."""
    return json.dumps(payload, allow_nan=True).encode()


def last_event(stream: str) -> tuple[str, str]:
    """(event name, data) of the last event of an SSE body."""
    kind, data = "", ""
    for line in stream.splitlines():
        if line.startswith("event:"):
            kind = line[6:].strip()
        elif line.startswith("data:"):
            data = line[5:].strip()
    if not kind:  # MCP answers carry one message event
        kind = "message"
    return kind, data


def status_text(outputs: Any) -> str:
    """The status HTML of a UI endpoint's outputs ('' when there is none)."""
    first = outputs[0] if isinstance(outputs, list) and outputs else outputs
    return first if isinstance(first, str) else ""


def judge(app: App, channel: str, name: str, args: list[Any]) -> None:
    """Call once; count the outcome; fail on a raw exception, a 500 or a mute refusal."""
    status, kind, payload = getattr(app, channel)(name, app.uploaded(args))
    logged = app.new_log()
    where = f"{channel} /{name} {short(args)}"
    assert status < 500, f"{where}: HTTP {status}: {payload}"
    assert "Traceback" not in logged, f"{where}: the server logged\n{logged[-3000:]}"
    if kind == "ok" and "status error" not in status_text(payload):
        OUTCOMES[f"{channel} /{name}"]["accepted"] += 1
        return
    message = payload if kind == "error" else status_text(payload)
    assert isinstance(message, str) and message.strip(), f"{where}: refused without a message"
    if not message.startswith("Input validation error:"):  # the MCP library's schema check
        assert len(message) <= 2000, f"{where}: a {len(message):,}-character message"
    assert not RAW.search(message), f"{where}: a raw exception as the message: {message[:300]}"
    assert GUIDANCE.search(message), (
        f"{where}: the message does not say what is accepted: {message[:300]}"
    )
    OUTCOMES[f"{channel} /{name}"]["refused with a message"] += 1


def short(args: list[Any]) -> str:
    text = repr(args)
    return text if len(text) < 300 else text[:300] + "…"


@pytest.fixture(scope="module")
def app(fast_bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("fuzz")
    log = folder / "app.log"
    (folder / "tmp").mkdir()
    env = {"GRADIO_TEMP_DIR": str(folder / "gradio"), "TMPDIR": str(folder / "tmp")}
    with running_app(fast_bundle_dir, log, env=env) as (url, _seconds, _pid):
        yield App(url, log)


def test_the_fuzzed_endpoints_are_every_named_endpoint(app: App) -> None:
    info = app.http.get(f"{app.url}/gradio_api/info", params={"all_endpoints": "true"}).json()
    assert {n.lstrip("/") for n in info["named_endpoints"]} == set(VALID)


CALLS = [
    *[("rest", name) for name in sorted(VALID)],
    *[("gradio_client", name) for name in sorted(VALID)],
    *[("mcp", name) for name in TOOLS],
    *[("page", name) for name in PAGE_EVENTS],
]


@pytest.mark.parametrize(("channel", "name"), CALLS)
def test_generated_input(app: App, channel: str, name: str) -> None:
    @settings(SETTINGS, max_examples=EXAMPLES[channel])
    @given(arguments(name))
    def check(args: list[Any]) -> None:
        judge(app, channel, name, args)

    check()


@pytest.mark.parametrize("name", sorted(n for n in VALID if VALID[n] and n != "history_upload"))
def test_every_parameter_gets_every_kind_of_value(app: App, name: str) -> None:
    for position in range(len(VALID[name])):
        for value in KINDS:
            args = list(VALID[name])
            args[position] = value
            judge(app, "rest", name, args)


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [  # the three cases of the issue, which today's checks refuse by name
        ("recommend", ["Radiohead", "fusion", 10, [], 0.0], "must be a list of names"),
        ("recommend", [["Radiohead", 7, None], "fusion", 10, [], 0.0], "given as text"),
        ("recommend", [SEED_PICKS, "fusion", 10, [], "abc"], "a number from 0 to 1"),
    ],
)
def test_the_issues_three_cases_are_refused_by_name(app: App, name, args, expected) -> None:
    _status, kind, outputs = app.rest(name, args)
    assert kind == "ok" and expected in status_text(outputs).replace("&#x27;", "'")
    judge(app, "rest", name, args)


@pytest.mark.parametrize(
    "value",
    [
        {"path": "/etc/passwd", "meta": {"_type": "gradio.FileData"}},
        {"path": "../../app.py", "meta": {"_type": "gradio.FileData"}},
        ["not", "a", "file"],
        "/etc/passwd",
    ],
)
def test_a_file_gradio_did_not_receive_is_refused_before_the_handler(app: App, value) -> None:
    """Gradio's own checks of a file input (the file must be one it received as an upload; the
    value a FileData) refuse these before our handler runs. Gradio logs the refusal with a
    traceback and, without show_error, sends no text: the one kind of refusal the app cannot
    word, counted apart (docs/GRADIO_UPSTREAM.md asks for an input error instead)."""
    status, kind, payload = app.rest("history_upload", [value])
    logged = app.new_log()
    assert status < 500 and kind == "error" and not payload  # refused, without text
    assert re.search(r"InvalidPathError|ValidationError", logged), logged[-2000:]
    assert "ui/history_panel.py" not in logged  # our handler never ran
    OUTCOMES["rest /history_upload"]["refused by Gradio before the handler"] += 1


def test_zz_report(app: App) -> None:
    """How many calls each endpoint got and how they ended (printed with -s; failures: 0, as
    every call above asserts)."""
    total = Counter()
    lines = [
        "",
        "| endpoint | calls | accepted | refused (message) | Gradio refused first | failures |",
        "|---|---|---|---|---|---|",
    ]
    for key in [*sorted(OUTCOMES), "all"]:
        counts = OUTCOMES[key] if key != "all" else total
        row = [counts["accepted"], counts["refused with a message"]]
        row.append(counts["refused by Gradio before the handler"])
        lines.append(f"| {key} | {sum(counts.values())} | " + " | ".join(map(str, row)) + " | 0 |")
        if key != "all":
            total.update(counts)
    print("\n".join(lines))
    assert sum(total.values()) >= 200 and total["accepted"] and total["refused with a message"]
