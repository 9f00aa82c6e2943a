"""Gradio's per-session copy of the page config, built only for the components a session uses.

Gradio makes a ``SessionState`` for every new session (each browser tab, each API client with
its own session_hash, each MCP call) and, in it, the config of EVERY component of the page
(``config_values``: about 190 here, ~14 ms of CPU) just in case the visitor later asks for a
deep link. A Discover request reads and writes the config of its ten inputs and outputs only.
``LazySessionState`` keeps the same mapping but fills each entry on first use, from the block
the session had at its start (exactly what Gradio would have stored); anything that reads the
whole mapping (a deep link) gets every entry, in the page's order.

``install()`` (called by app.build_demo) swaps it in where Gradio makes sessions; it does nothing
when Gradio's SessionState no longer looks as expected (sessions are then built eagerly).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from typing import Any

from gradio import state_holder
from gradio.state_holder import SessionState

_ABSENT = object()
# Modules that make sessions and hold their own name for the class.
SESSION_MAKERS = ("gradio.state_holder", "gradio.route_utils", "gradio.mcp")


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


class LazySessionState(SessionState):
    """A SessionState whose ``config_values`` are built per component on first use."""

    def __init__(self, blocks: Any) -> None:
        app = _NoBlocks(blocks)
        super().__init__(app)
        if any(value is app for value in vars(self).values()):  # a Gradio that keeps `blocks`
            super().__init__(blocks)
            return
        pending = {k: v for k, v in self.blocks_config.blocks.items() if k in blocks.blocks}
        self.config_values = LazyConfigs(self.blocks_config, pending)


def compatible() -> bool:
    """Whether Gradio's SessionState is the one this was written against (Gradio 6)."""
    needed = ("_update_value_in_config", "_update_config", "components", "__setitem__")
    return all(hasattr(SessionState, name) for name in needed) and hasattr(
        state_holder, "StateHolder"
    )


def install() -> bool:
    """Make Gradio build new sessions lazily; True when it now does."""
    if not compatible():
        return False
    # Modules imported later (gradio.mcp, when MCP is on) take the class from state_holder.
    for name in SESSION_MAKERS:
        module = sys.modules.get(name)
        if getattr(module, "SessionState", None) in (SessionState, LazySessionState):
            module.SessionState = LazySessionState  # type: ignore[attr-defined]
    return True
