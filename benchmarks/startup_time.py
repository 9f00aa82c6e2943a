"""Start-up time of the app against a bare Gradio app, side by side on the same machine.

    python benchmarks/startup_time.py --artifacts BUNDLE --runs 5   # → results/startup_time.json

Starts `python app.py --artifacts ...` and benchmarks/noop_app.py (the same Gradio, no bundle,
no models: the floor) alternately, ``--runs`` times each, each on a free port (127.0.0.1), and
measures the seconds from the process start to the first HTTP 200 of GET /. Alternating means a
busy spell of a shared machine hits both alike. Prints each run, the medians and the ratio
app / bare (target ≤ 1.3). The interpreter and its environment are the same as for a real start
(PYTHONDONTWRITEBYTECODE included), so byte-compiling the project counts as it does in a Space.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.results import machine, record  # noqa: E402
from tests.app_server import running_app  # noqa: E402

SERVERS = {"app": ROOT / "app.py", "bare Gradio app": ROOT / "benchmarks" / "noop_app.py"}
TARGET_RATIO = 1.3


def start_seconds(script: Path, artifacts: Path) -> float:
    """Seconds from the process start to the first HTTP 200 (the process is stopped after)."""
    with running_app(artifacts, script=script) as (_url, seconds, _pid):
        return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--artifacts", type=Path, default=ROOT / "artifacts", help="bundle")
    parser.add_argument("--runs", type=int, default=3, help="starts of each server (≥ 3)")
    args = parser.parse_args(argv)
    started = machine()
    times: dict[str, list[float]] = {name: [] for name in SERVERS}
    for run in range(args.runs):
        # Alternate which one goes first, so neither always starts on a warmer page cache.
        order = list(SERVERS) if run % 2 == 0 else list(reversed(SERVERS))
        for name in order:
            times[name].append(start_seconds(SERVERS[name], args.artifacts))
            print(f"run {run + 1}: {name} {times[name][-1]:.2f} s", flush=True)

    app, bare = (statistics.median(times[name]) for name in SERVERS)
    print("\n| server | starts | median s | min s | max s |\n|---|---|---|---|---|")
    for name, values in times.items():
        print(
            f"| {name} | {len(values)} | {statistics.median(values):.2f} | "
            f"{min(values):.2f} | {max(values):.2f} |"
        )
    ratio = app / bare
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    print(f"\napp / bare Gradio app: {ratio:.2f}× ({verdict} the ≤ {TARGET_RATIO}× target)")
    manifest = json.loads((args.artifacts / "manifest.json").read_text())
    record(
        "startup_time",
        {
            "bundle": {"fast": manifest.get("config", {}).get("fast")},
            "target_ratio": TARGET_RATIO,
            "seconds": times,
            "median": {"app": app, "bare": bare, "ratio": ratio},
        },
        started=started,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
