"""The load generators of benchmarks/load_app.py, one per way the app is used.

- ``gradio_client``: the official client, one session per client (heavy on the client's CPU).
- ``rest``: Gradio's REST API (POST /gradio_api/call/<api>, then the event stream), one session
  per client reused for every request: light on the CPU, so the load steals little from the app.
- ``browser``: what a visitor's browser does (seen in Chromium): each visit has a fresh
  session_hash, loads the page (GET /), opens the heartbeat stream, then presses Recommend
  ``per_visit`` times through the queue (POST /gradio_api/queue/join with fn_index and
  trigger_id, then the SSE stream /gradio_api/queue/data) and leaves (the heartbeat closes).
- ``api``: the documented tools over REST with no session (/gradio_api/call/<tool>), as a script
  would call them; the five tools in turn.
- ``mcp``: the five tools through the MCP endpoint (/gradio_api/mcp/, streamable HTTP,
  JSON-RPC ``tools/call``), as an AI assistant calls them.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

PICKS = [["Radiohead", "Muse"], ["Britney Spears", "Rihanna"], ["Metallica"], ["Daft Punk"]]
# UI endpoints: positional arguments from (picks, k).
ENDPOINTS = {
    "recommend": lambda picks, k: (picks, "softmax", k, [], 0.0),  # Discover (the front door)
    "softmax_recommend": lambda picks, k: (picks, k, [], 0.0),
    "svd_recommend": lambda picks, k: ("Artists I pick", picks, None, k, [], 0.0),
    "compare": lambda picks, k: ("Artists I pick", picks, None, k, [], 0.0),
}
# The five tools (ui/mcp_tools.py), called in turn: name → (parameters, arguments from picks).
TOOLS = [
    ("recommend_artists", ("liked", "play_counts", "k", "tags", "model"),
     lambda picks: [picks, None, 10, None, ""]),
    ("similar_artists", ("artist", "k", "model"), lambda picks: [picks[0], 10, ""]),
    ("artist_info", ("artist",), lambda picks: [picks[0]]),
    ("search_artists", ("query", "limit"), lambda picks: [picks[0][:5].lower(), 10]),
    ("why_not", ("artist", "liked", "play_counts", "k", "tags", "model"),
     lambda picks: ["The Beatles", picks, None, 10, None, ""]),
]  # fmt: skip
KINDS = ("gradio_client", "rest", "browser", "api", "mcp")


def _http() -> Any:
    import httpx

    return httpx.Client(timeout=60)


def _read_call_stream(http: Any, call: str, event_id: str) -> str:
    stream = http.get(f"{call}/{event_id}")
    stream.raise_for_status()
    if "event: error" in stream.text:
        raise RuntimeError(stream.text[-300:])
    return stream.text


class RestClient:
    """One session per client, as one browser tab has, reused for every request."""

    def __init__(self, url: str, endpoint: str) -> None:
        self.url, self.endpoint, self.http = url.rstrip("/"), endpoint, _http()
        self.session_hash = uuid.uuid4().hex

    def request(self, number: int) -> None:
        args = ENDPOINTS[self.endpoint](PICKS[number % len(PICKS)], 10)
        call = f"{self.url}/gradio_api/call/{self.endpoint}"
        event = self.http.post(call, json={"data": list(args), "session_hash": self.session_hash})
        event.raise_for_status()
        _read_call_stream(self.http, call, event.json()["event_id"])


class GradioClient:
    def __init__(self, url: str, endpoint: str) -> None:
        from gradio_client import Client

        self.endpoint = endpoint
        self.client = Client(url, verbose=False, download_files=False)

    def request(self, number: int) -> None:
        args = ENDPOINTS[self.endpoint](PICKS[number % len(PICKS)], 10)
        self.client.predict(*args, api_name=f"/{self.endpoint}")


class ApiClient:
    """The tools over REST without a session: each call is a new session to Gradio."""

    def __init__(self, url: str, endpoint: str) -> None:
        self.url, self.http = url.rstrip("/"), _http()

    def request(self, number: int) -> None:
        name, _parameters, make = TOOLS[number % len(TOOLS)]
        call = f"{self.url}/gradio_api/call/{name}"
        event = self.http.post(call, json={"data": make(PICKS[number % len(PICKS)])})
        event.raise_for_status()
        _read_call_stream(self.http, call, event.json()["event_id"])


class McpClient:
    """JSON-RPC ``tools/call`` over streamable HTTP (Gradio's MCP server is stateless)."""

    def __init__(self, url: str, endpoint: str) -> None:
        self.url, self.http = url.rstrip("/") + "/gradio_api/mcp/", _http()
        self.headers = {"Accept": "application/json, text/event-stream"}

    def request(self, number: int) -> None:
        name, parameters, make = TOOLS[number % len(TOOLS)]
        arguments = dict(zip(parameters, make(PICKS[number % len(PICKS)]), strict=True))
        body = {
            "jsonrpc": "2.0",
            "id": number,
            "method": "tools/call",
            "params": {"name": name, "arguments": arguments},
        }
        response = self.http.post(self.url, json=body, headers=self.headers)
        response.raise_for_status()
        text = response.text
        if '"isError":true' in text or '"error"' in text[:200]:
            raise RuntimeError(text[:300])


class BrowserClient:
    """Visits as a browser makes them: page, heartbeat, ``per_visit`` Recommends, leave."""

    def __init__(self, url: str, endpoint: str, per_visit: int = 2) -> None:
        self.url, self.endpoint, self.http = url.rstrip("/"), endpoint, _http()
        self.per_visit = per_visit
        dependency = endpoint_dependency(self.http, self.url, endpoint)
        self.fn_index = dependency["id"]
        self.trigger_id = dependency["targets"][0][0]
        self.inputs = len(dependency["inputs"])
        self.sent = 0

    def request(self, number: int) -> None:
        """One request; every ``per_visit``-th starts a new visit (the others reuse it)."""
        if self.sent % self.per_visit == 0:
            self.leave()
            self.visit()
        self.sent += 1
        args = list(ENDPOINTS[self.endpoint](PICKS[number % len(PICKS)], 10))
        body = {
            "data": args + [None] * (self.inputs - len(args)),  # gr.State inputs: null
            "event_data": None,
            "fn_index": self.fn_index,
            "trigger_id": self.trigger_id,
            "session_hash": self.session_hash,
        }
        self.http.post(f"{self.url}/gradio_api/queue/join?", json=body).raise_for_status()
        stream = f"{self.url}/gradio_api/queue/data?session_hash={self.session_hash}"
        with self.http.stream("GET", stream) as events:
            for line in events.iter_lines():
                if line.startswith("data:") and "process_completed" in line:
                    if not json.loads(line[5:]).get("success"):
                        raise RuntimeError(line[:300])
                    break

    def visit(self) -> None:
        self.session_hash = uuid.uuid4().hex[:11]  # the page makes an 11-character hash
        page = self.http.get(f"{self.url}/")
        page.raise_for_status()
        heartbeat = f"{self.url}/gradio_api/heartbeat/{self.session_hash}"
        self.heartbeat = self.http.stream("GET", heartbeat)
        next(self.heartbeat.__enter__().iter_lines())  # "data: ALIVE": the visit is on

    def leave(self) -> None:
        heartbeat = getattr(self, "heartbeat", None)
        if heartbeat is not None:
            heartbeat.__exit__(None, None, None)  # the tab closes
            self.heartbeat = None

    def close(self) -> None:
        self.leave()


def endpoint_dependency(http: Any, url: str, api_name: str) -> dict[str, Any]:
    """The page config's event for ``api_name`` (its fn_index, trigger and inputs)."""
    config = http.get(f"{url}/config")
    config.raise_for_status()
    for dependency in config.json()["dependencies"]:
        if dependency.get("api_name") == api_name:
            return dependency
    raise LookupError(f"no event named {api_name!r} in {url}/config")


CLIENTS = {
    "gradio_client": GradioClient,
    "rest": RestClient,
    "browser": BrowserClient,
    "api": ApiClient,
    "mcp": McpClient,
}


def make_clients(url: str, clients: int, kind: str, endpoint: str) -> list[Any]:
    return [CLIENTS[kind](url, endpoint) for _ in range(clients)]
