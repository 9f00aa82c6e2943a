"""Benchmark results as committed files, and the README blocks made from them.

Every benchmark ends with ``record(name, data)``: ``benchmarks/results/<name>.json`` then holds
the command that wrote it, when, on what machine (cores, load average before and after, commit),
and the figures themselves, per run or per seed so that the spread is there to see.

The README's figures sit between markers, each naming the function that renders it::

    <!-- results: run_benchmark.readme_table -->
    | model | ... |   (generated: benchmarks.run_benchmark.readme_table() → markdown)
    <!-- /results -->

``python -m benchmarks.results`` rewrites every block from the committed files;
``python -m benchmarks.results --check`` (and tests/test_readme_results.py) fails when a block
differs from what the files give, so no figure in the README can drift from its evidence.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import re
import shlex
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- results: ([\w.]+) -->\n)(.*?)(<!-- /results -->)", re.S)


def command_line() -> str:
    """The command as it was typed (``python -m benchmarks.x --flag``), for the record."""
    argv = getattr(sys, "orig_argv", None) or [sys.executable, *sys.argv]
    return shlex.join(["python", *argv[1:]])


def machine() -> dict[str, Any]:
    """What the figures were measured on: noisy-machine context for every result file."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=ROOT,
                capture_output=True,
                text=True,
            ).stdout.strip()
        )
    except OSError:
        commit, dirty = "", False
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "commit": commit + ("+changes" if dirty else ""),
    }


def record(name: str, data: dict[str, Any], started: dict[str, Any] | None = None) -> Path:
    """Write ``benchmarks/results/<name>.json``: the command, the machine, then ``data``.

    ``started``: ``machine()`` taken when the run began, so the load average before and after
    both appear."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    payload = {
        "command": command_line(),
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine_at_start": started or machine(),
        "machine_at_end": machine(),
        **data,
    }
    path = RESULTS_DIR / f"{name}.json"
    partial = path.with_suffix(".json.part")
    partial.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path


def load(name: str) -> dict[str, Any]:
    """A committed result file, by name (``benchmark`` → benchmarks/results/benchmark.json)."""
    return json.loads((RESULTS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def render(target: str) -> str:
    """The markdown a block's ``module.function`` gives (module under ``benchmarks``)."""
    module_name, function = target.rsplit(".", 1)
    text = getattr(importlib.import_module(f"benchmarks.{module_name}"), function)()
    return text if text.endswith("\n") else text + "\n"


def refreshed(text: str) -> str:
    """``text`` with every results block rendered again from the committed files."""
    return BLOCK.sub(lambda m: m.group(1) + render(m.group(2)) + m.group(4), text)


def stale_blocks(text: str) -> list[str]:
    """The targets of blocks whose content differs from what the committed files give."""
    return [m.group(2) for m in BLOCK.finditer(text) if m.group(3) != render(m.group(2))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="README blocks from benchmarks/results/")
    parser.add_argument("--check", action="store_true", help="only report stale blocks")
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    if args.check:
        stale = stale_blocks(text)
        for target in stale:
            print(f"stale README block: {target} (run `python -m benchmarks.results`)")
        return 1 if stale else 0
    args.readme.write_text(refreshed(text), encoding="utf-8")
    print(f"{len(BLOCK.findall(text))} blocks written from {RESULTS_DIR.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
