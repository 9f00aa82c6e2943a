"""How long the data pipeline takes on the full dataset, median of several runs.

    python -m benchmarks.processing_time [--runs 5]

Times load → validate → Spotify enrichment (offline seed + cache) → catalog → interactions →
exploration tables → parquet/safetensors on disk: everything the bundle needs before any model.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from recommenders.pipeline import process_data

ROOT = Path(__file__).resolve().parents[1]


def one_run(out: Path) -> float:
    start = time.perf_counter()
    processed = process_data(ROOT / "data", cache_dir=out / "cache", spotify_live=False)
    processed.catalog.to_parquet(out / "catalog.parquet")
    processed.interactions.save(out / "interactions.safetensors")
    for name, table in processed.exploration.items():
        table.to_parquet(out / f"{name}.parquet", index=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        times = [one_run(Path(tmp)) for _ in range(args.runs)]
    print(f"processing runs (s): {', '.join(f'{t:.2f}' for t in times)}")
    print(f"median {statistics.median(times):.2f} s over {args.runs} runs (target < 15 s)")


if __name__ == "__main__":
    main()
