"""Shared by the browser tests: every page the helpers open (tests/browser/test_e2e.py's
``open_page`` and ``new_page``) records its console errors and uncaught page errors here, and
tests/browser/conftest.py fails the test during which one appeared."""

from __future__ import annotations

import contextlib
import time
import weakref
from typing import Any

PROBLEMS: list[str] = []
PAGES: weakref.WeakSet[Any] = weakref.WeakSet()


def watch_errors(page: Any) -> Any:
    """Record ``page``'s console errors and page errors (call before it loads anything)."""
    PAGES.add(page)

    def on_console(message: Any) -> None:
        if message.type == "error":
            where = message.location or {}
            PROBLEMS.append(f"console error: {message.text} (at {where.get('url', '?')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: PROBLEMS.append(f"page error: {error}"))
    page.in_flight = set()  # type: ignore[attr-defined]  # Gradio queue requests not yet ended
    page.on("request", lambda request: _track(page, request, True))
    page.on("requestfinished", lambda request: _track(page, request, False))
    page.on("requestfailed", lambda request: _track(page, request, False))
    return page


def _track(page: Any, request: Any, started: bool) -> None:
    if "/gradio_api/" in request.url and "/heartbeat/" not in request.url:  # open all visit
        (page.in_flight.add if started else page.in_flight.discard)(request)


def settle(page: Any, seconds: float = 30.0, quiet: float = 0.5) -> None:
    """Waits until none of the page's Gradio requests has been in flight for ``quiet`` seconds
    (a page just loaded may be about to send its first events). A test that leaves or reloads
    the page calls it first: leaving mid-request aborts Gradio's event stream, which the page logs
    as an error, and a visitor's reload is not what such a test examines."""
    deadline = time.monotonic() + seconds
    calm_since = time.monotonic()
    while time.monotonic() - calm_since < quiet:
        if page.in_flight:
            calm_since = time.monotonic()
            if calm_since > deadline:
                urls = sorted(request.url for request in page.in_flight)
                raise AssertionError(f"requests still open after {seconds} s: {urls}")
        page.wait_for_timeout(50)


def take_problems() -> list[str]:
    """The errors recorded since the last call (pending events of open pages delivered first)."""
    for page in list(PAGES):
        if not page.is_closed():
            # a round trip: playwright hands over the events queued so far (a page closing or
            # navigating has nothing more to deliver)
            with contextlib.suppress(Exception):
                page.evaluate("0")
    found = PROBLEMS[:]
    PROBLEMS.clear()
    return found
