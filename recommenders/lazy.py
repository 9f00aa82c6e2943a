"""A value built on first use, once, even when several threads ask for it at the same time.

The app answers its first HTTP request before the parts of a bundle the first page does not need
(the typo-tolerant name index, the co-listening index) are built; they are built by the first
search or recommendation, or by ``Bundle.warm_up`` right after the server is up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
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


class LazyMapping(Mapping[str, T]):
    """A mapping whose values are built on first lookup (each once, thread-safe): a bundle's
    models are read from their verified files when first asked for, or by ``Bundle.warm_up``."""

    def __init__(self, builders: Mapping[str, Callable[[], T]]) -> None:
        self._values = {key: Lazy(build) for key, build in builders.items()}

    def __getitem__(self, key: str) -> T:
        return self._values[key].get()

    def __contains__(self, key: object) -> bool:  # Mapping's own would build the value
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)
