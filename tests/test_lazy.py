"""Parts of a bundle built on first use: once, even when threads ask at the same time."""

from __future__ import annotations

import threading
import time

import pytest

from recommenders.lazy import Lazy


def test_a_lazy_value_is_built_once_by_the_first_caller() -> None:
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        time.sleep(0.05)  # long enough for the other threads to arrive meanwhile
        return {"built": len(calls)}

    lazy = Lazy(build)
    assert calls == []
    seen: list[dict[str, int]] = []
    threads = [threading.Thread(target=lambda: seen.append(lazy.get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1] and len(seen) == 8 and all(v is seen[0] for v in seen)


def test_a_failed_build_is_tried_again_by_the_next_caller() -> None:
    attempts: list[int] = []

    def build() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("first try fails")
        return 42

    lazy = Lazy(build)
    with pytest.raises(OSError, match="first try"):
        lazy.get()
    assert lazy.get() == 42 and len(attempts) == 2


def test_warm_up_builds_the_search_and_explanations_of_a_bundle(fast_bundle_dir) -> None:
    import recommenders

    bundle = recommenders.load(fast_bundle_dir)
    names, explainer = bundle._names._matcher, bundle._explainer
    assert names._build is not None and explainer._build is not None  # nothing built at load
    bundle.warm_up()
    assert names._build is None and explainer._build is None
    assert bundle.search_artists("radiohed")[0] == "Radiohead"
