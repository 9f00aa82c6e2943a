"""Time to the first page of a fresh clone: no bundle, no Hub repo → build → first HTTP 200.

    python -m benchmarks.first_start [--before e86eeed] [--runs 1]

Clones this repository into a temporary folder at ``--before`` (where `python app.py` built the
--fast test bundle, with its one-seed evaluation) and at HEAD (the full models, evaluation
skipped; and the test bundle on request, RECOMMENDERS_FAST=1), then starts `python app.py` in
each clone, alternately, and measures the seconds from the process start to the first HTTP 200
of GET /. Each start is a fresh clone: nothing built before. Spotify, Hub and Space variables
are removed from the app's environment, so the build reads only the clone's data/ (offline).
Minutes per start; the machine is shared, so the load average is recorded with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.results import ROOT, load, machine, record
from tests.app_server import free_port, wait_for_http

NAME = "first_start"
BEFORE_REVISION = "e86eeed"  # the last commit whose `python app.py` built the --fast bundle
OFFLINE = ("RECOMMENDERS_", "SPOTIPY_", "LASTFM_", "HF_TOKEN", "SPACE_ID")
BUILD_TIMEOUT = 3600.0


def scenarios(before: str) -> dict[str, dict[str, Any]]:
    """label → the clone's revision, the extra environment and what `python app.py` builds."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True, capture_output=True,
        text=True,
    ).stdout.strip()  # fmt: skip
    return {
        "before": {"revision": before, "env": {}, "builds": "the --fast test bundle"},
        "now": {"revision": head, "env": {}, "builds": "the full models, evaluation skipped"},
        "now, RECOMMENDERS_FAST=1": {
            "revision": head, "env": {"RECOMMENDERS_FAST": "1"},
            "builds": "the --fast test bundle, on request",
        },
    }  # fmt: skip


def first_page(revision: str, extra_env: dict[str, str], work: Path) -> dict[str, Any]:
    """Clone at ``revision``, start its app.py, wait for the first 200; the figures."""
    clone = Path(tempfile.mkdtemp(prefix="clone-", dir=work))
    subprocess.run(["git", "clone", "--quiet", "--shared", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", revision], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(OFFLINE)}
    env |= {"GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1", **extra_env}
    port = free_port()
    log_path = clone.with_suffix(".log")
    with open(log_path, "w") as log:
        app = subprocess.Popen(
            [sys.executable, "app.py", "--port", str(port)],
            cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            seconds = wait_for_http(f"http://127.0.0.1:{port}/", app, timeout=BUILD_TIMEOUT)
        finally:
            app.terminate()
            app.wait(timeout=30)
    built = [p.parent for p in clone.glob("artifacts*/manifest.json")]
    if len(built) != 1:
        raise RuntimeError(f"expected one bundle built in {clone}, found {built}")
    manifest = json.loads((built[0] / "manifest.json").read_text())
    return {
        "seconds_to_first_page": round(seconds, 1),
        "build_seconds": manifest["timings"]["total"],
        "bundle_folder": built[0].name,
        "config": manifest["config"],
        "log": log_path.read_text().splitlines()[:3],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default=BEFORE_REVISION, help="git revision of BEFORE")
    parser.add_argument("--runs", type=int, default=1, help="starts of each scenario")
    args = parser.parse_args(argv)
    started = machine()
    plan = scenarios(args.before)
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label in plan}
    with tempfile.TemporaryDirectory(prefix="first-start-") as tmp:
        for run in range(args.runs):
            order = list(plan) if run % 2 == 0 else list(reversed(plan))
            for label in order:
                t = time.perf_counter()
                result = first_page(plan[label]["revision"], plan[label]["env"], Path(tmp))
                result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
                runs[label].append(result)
                print(f"run {run + 1}: {label}: first page after "
                      f"{result['seconds_to_first_page']:.0f} s "
                      f"(wall {time.perf_counter() - t:.0f} s)", flush=True)  # fmt: skip
    record(NAME, {
        "scenarios": {
            label: {
                **plan[label],
                "median_seconds_to_first_page": statistics.median(
                    r["seconds_to_first_page"] for r in runs[label]
                ),
                "runs": runs[label],
            }
            for label in plan
        },
    }, started)  # fmt: skip
    print(readme_table())
    return 0


def readme_table() -> str:
    """README block: seconds from `python app.py` in a fresh clone to its first page."""
    data = load(NAME)
    rows = [
        "| `python app.py` in a fresh clone | builds | first page after | of which the build |",
        "|---|---|---|---|",
    ]
    for label, scenario in data["scenarios"].items():
        build = statistics.median(r["build_seconds"] for r in scenario["runs"])
        rows.append(
            f"| {label} (`{scenario['revision']}`) | {scenario['builds']} | "
            f"{scenario['median_seconds_to_first_page'] / 60:.1f} min | {build / 60:.1f} min |"
        )
    runs = {len(s["runs"]) for s in data["scenarios"].values()}
    load_avg = data["machine_at_start"]["load_average"][0]
    return "\n".join(rows) + (
        f"\n\n{'/'.join(map(str, sorted(runs)))} start(s) each (median) on 2 shared cores "
        f"(load average {load_avg:.1f} at the start).\n"
    )


if __name__ == "__main__":
    sys.exit(main())
