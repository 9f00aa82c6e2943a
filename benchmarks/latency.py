"""One recommendation through the public API, on the bundle a Space serves, every model.

    python -m benchmarks.latency --bundle artifacts [--requests 300]   # → results/latency.json

``Bundle.recommend(model, liked=[5 names], k=10)``: name resolution, scoring, interests, top-k,
names, tags, links and explanations, for 5 artists of a random real listener, p50 and p99 over
``--requests`` calls (the same queries for every model, models interleaved so a busy spell of a
shared machine hits them alike). Target for the default model: ≤ 5 ms p50.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from benchmarks.results import load, machine, record

TARGET_MS = 5.0


def queries(bundle, n: int, rng: np.random.Generator) -> list[list[str]]:
    """5 artists (names) of a random real listener per query."""
    out = []
    for row in rng.choice(bundle.n_users, n):
        names = bundle.user_history(int(bundle.user_ids[row]))["name"].to_numpy()
        out.append(names[rng.choice(len(names), min(5, len(names)), replace=False)].tolist())
    return out


def main(argv: list[str] | None = None) -> int:
    import recommenders

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bundle", type=Path, default=Path("artifacts"))
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args(argv)
    started = machine()
    bundle = recommenders.load(args.bundle)
    bundle.warm_up()
    asked = queries(bundle, args.requests, np.random.default_rng(0))
    timings: dict[str, list[float]] = {m: [] for m in bundle.model_names}
    for liked in asked:
        for model in bundle.model_names:
            start = time.perf_counter()
            bundle.recommend(model, liked=liked, k=10)
            timings[model].append((time.perf_counter() - start) * 1000)
    found = {
        m: {"p50": float(np.percentile(t, 50)), "p99": float(np.percentile(t, 99))}
        for m, t in timings.items()
    }
    record(
        "latency",
        {
            "bundle": {
                "default_model": bundle.default_model,
                "fast": bundle.manifest.get("config", {}).get("fast"),
            },
            "requests": args.requests,
            "target_ms": TARGET_MS,
            "ms": found,
        },
        started=started,
    )
    for model, cell in found.items():
        print(f"{model}: p50 {cell['p50']:.2f} ms, p99 {cell['p99']:.2f} ms")
    return 0


def readme_line() -> str:
    found = load("latency")
    default = found["bundle"]["default_model"]
    cell = found["ms"][default]
    others = ", ".join(f"{m} {c['p50']:.2f}" for m, c in found["ms"].items() if m != default)
    verdict = "met" if cell["p50"] <= found["target_ms"] else "missed"
    return (
        f"One recommendation on the full bundle (`{default}`, 5 liked names, explanations): "
        f"{cell['p50']:.2f} ms p50, {cell['p99']:.2f} ms p99 (target ≤ {found['target_ms']:g} ms "
        f"p50: {verdict}; other models p50 in ms: {others}; "
        f"load average {found['machine_at_start']['load_average'][0]} on "
        f"{found['machine_at_start']['cpus']} cores)."
    )


if __name__ == "__main__":
    raise SystemExit(main())
