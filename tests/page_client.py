"""A client that talks to the app as its page does (requests seen in Chromium): one session_hash
per visit, events by fn_index and trigger_id with their event data, queued events through
POST /gradio_api/queue/join and the SSE stream /gradio_api/queue/data, the others through
POST /gradio_api/run/predict."""

from __future__ import annotations

import json
import uuid
from typing import Any


class PageSession:
    """One visit of the page at ``url`` (a fresh session_hash)."""

    def __init__(self, url: str, http: Any = None, session_hash: str | None = None) -> None:
        import httpx

        self.url = url.rstrip("/")
        self.http = http or httpx.Client(timeout=60)
        self.session_hash = session_hash or uuid.uuid4().hex[:11]
        self.events = {
            d["api_name"]: d
            for d in self.http.get(f"{self.url}/config").json()["dependencies"]
            if d.get("api_name")
        }

    def event(self, api_name: str) -> dict[str, Any]:
        return self.events[api_name]

    def call(
        self,
        api_name: str,
        data: list[Any],
        event_data: Any = None,
        trigger: int = 0,
    ) -> dict[str, Any]:
        """The event's final message: {"success": bool, "output": {"data": [...]}, ...}.
        ``trigger``: which of the event's targets fired it (its position)."""
        event = self.events[api_name]
        body = {
            "data": data,
            "event_data": event_data,
            "fn_index": event["id"],
            "trigger_id": event["targets"][trigger][0],
            "session_hash": self.session_hash,
        }
        if not event["queue"]:
            response = self.http.post(f"{self.url}/gradio_api/run/predict", json=body)
            payload = response.json()
            return {
                "success": response.status_code == 200,
                "output": payload,
                "status": response.status_code,
            }
        joined = self.http.post(f"{self.url}/gradio_api/queue/join?", json=body)
        joined.raise_for_status()
        stream = f"{self.url}/gradio_api/queue/data?session_hash={self.session_hash}"
        with self.http.stream("GET", stream) as events:
            for line in events.iter_lines():
                if line.startswith("data:"):
                    message = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        return message
        raise RuntimeError(f"{api_name}: the stream ended without a result")
