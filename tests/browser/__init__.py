"""Shared by the browser tests: every page the helpers open (tests/browser/test_e2e.py's
``open_page`` and ``new_page``) records its console errors and uncaught page errors here, and
tests/browser/conftest.py fails the test during which one appeared."""

from __future__ import annotations

import contextlib
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
    return page


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
