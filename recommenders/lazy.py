"""A value built on first use, once, even when several threads ask for it at the same time.

The app answers its first HTTP request before the parts of a bundle the first page does not need
(the typo-tolerant name index, the co-listening index) are built; they are built by the first
search or recommendation, or by ``Bundle.warm_up`` right after the server is up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    """``get()`` returns ``build()``'s result, computed by the first caller only."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build: Callable[[], T] | None = build
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        if self._build is not None:
            with self._lock:
                if self._build is not None:  # not built by another thread meanwhile
                    self._value = self._build()
                    self._build = None
        return self._value  # type: ignore[return-value]
