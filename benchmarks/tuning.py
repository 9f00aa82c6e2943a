"""What the tune_* scripts share: the real interactions and one measurement of a config.

--where val:   fit on 80 % of the seed-0 training part, score its held-out 20 % (validation; the
               seed-0 test pairs are never seen while tuning).
--where test:  fit on the seed-0 training part, score the seed-0 test pairs.
--where test3: the fixed protocol, mean over seeds 0, 1, 2.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from recommenders.data import load_dataset
from recommenders.evaluation import Split, evaluate_model, evaluate_scorer, split_interactions
from recommenders.interactions import Interactions

ROOT = Path(__file__).resolve().parents[1]
WHERE = ["val", "test", "test3"]
VALIDATION_SEED = 100


def load_interactions(data_dir: Path = ROOT / "data") -> Interactions:
    return Interactions.from_user_artists(load_dataset(data_dir).user_artists)


# EASE's λ search for the benchmark peer: 12 values (our models each had 10-40 validation fits).
# The inverse is O(n³) in artists (≈ 80 s on the 13k artists of a training part), so the search
# fits EASE on the artists with ≥ EASE_TUNING_MIN_LISTENERS training listeners (≈ 5k, a few
# seconds per λ); the chosen λ is then used for the full peer.
EASE_L2_GRID = (25.0, 50.0, 100.0, 200.0, 300.0, 500.0, 750.0, 1000.0, 1500.0, 2000.0, 3000.0,
                5000.0)  # fmt: skip
EASE_TUNING_MIN_LISTENERS = 2


def validation_split(inter: Interactions) -> Split:
    """80/20 of the seed-0 training pairs: tuning never sees the seed-0 test pairs."""
    return split_interactions(split_interactions(inter, seed=0).train, seed=VALIDATION_SEED)


def validate(model: Any, split: Split, catalog: pd.DataFrame | None = None) -> dict[str, float]:
    """Fit on the validation split's training part and return every metric of
    ``recommenders.evaluation.evaluate_scorer`` (accuracy, segments, lift, and with the catalog
    diversity, calibration, probe share) plus fit seconds: how to score a candidate model."""
    start = time.perf_counter()
    model.fit(split.train)
    fit_seconds = time.perf_counter() - start
    return {**evaluate_scorer(model.score, split, catalog=catalog), "fit_seconds": fit_seconds}


def choose_ease_l2(
    inter: Interactions,
    grid: Sequence[float] = EASE_L2_GRID,
    min_listeners: int = EASE_TUNING_MIN_LISTENERS,
) -> tuple[float, dict[float, float]]:
    """EASE's λ with the best validation NDCG@10 (ties → smaller λ), and NDCG for every λ."""
    from benchmarks.peers import EASE

    split = validation_split(inter)
    ndcg = {}
    for l2 in grid:
        ndcg[l2] = validate(EASE(l2, min_listeners=min_listeners), split)["ndcg"]
        print(f"EASE validation λ = {l2:g}: NDCG@10 {ndcg[l2]:.4f}", flush=True)
    best = max(grid, key=lambda l2: (ndcg[l2], -l2))
    return best, ndcg


def measure(make_model: Callable[[], Any], inter: Interactions, where: str) -> dict[str, float]:
    """Metrics of one config on the chosen split (see the module docstring)."""
    if where == "test3":
        return evaluate_model(make_model, inter, seeds=(0, 1, 2))["mean"]
    split = validation_split(inter) if where == "val" else split_interactions(inter, seed=0)
    start = time.perf_counter()
    model = make_model().fit(split.train)
    fit_seconds = time.perf_counter() - start
    return {**evaluate_scorer(model.score, split), "fit_seconds": fit_seconds}


def report(where: str, label: str, m: dict[str, float]) -> None:
    print(
        f"{where} {label}: P@10 {m['precision']:.4f} R@10 {m['recall']:.4f} "
        f"NDCG@10 {m['ndcg']:.4f} cov {m['coverage']:.3f} fit {m['fit_seconds']:.1f}s",
        flush=True,
    )


# -- peers for the cold-start benchmark: the same validation split as our models ------------
PEER_GRIDS: dict[str, list[dict]] = {
    "ease": [{"l2": l2} for l2 in EASE_L2_GRID],
    "rp3beta": [{"alpha": a, "beta": b} for a in (0.5, 0.75, 1.0) for b in (0.0, 0.2, 0.35, 0.5)],
    "implicit_als": [
        {"factors": f, "regularization": r, "alpha": a}
        for f in (64, 128, 256)
        for r in (0.01, 0.1)
        for a in (1.0, 10.0)
    ],
}


def tune_peers(processed: Any, names: Sequence[str]) -> tuple[dict[str, dict], dict[str, Any]]:
    """Each peer's settings with the best validation NDCG@10 (mean of with and without play
    counts) on the cold-start validation split of seed 0 (validation users: users no benchmark
    seed holds out), through ``Bundle.recommend``; and the
    whole table. EASE is tried on artists with ≥ 2 validation-training listeners (the inverse
    is O(n³)); the chosen λ is used on every artist."""
    from benchmarks.cold_start import bundle_tops, training_bundle, training_catalog
    from benchmarks.peers import make_peer
    from recommenders.cold_start import (
        cold_start_split,
        per_user_metrics,
        test_users,
        validation_split,
    )

    never = test_users(processed.interactions)
    val = validation_split(cold_start_split(processed.interactions, seed=0), never=never)
    catalog = training_catalog(processed, val.train.user_ids)
    chosen, table = {}, {}
    for name in names:
        rows = []
        for params in PEER_GRIDS[name]:
            tried = (
                {**params, "min_listeners": EASE_TUNING_MIN_LISTENERS} if name == "ease" else params
            )
            model = make_peer(name, tried).fit(val.train)
            bundle = training_bundle(val, {name: model}, catalog)
            ndcg = float(
                np.mean(
                    [
                        per_user_metrics(bundle_tops(bundle, name, val, counts), val)["ndcg"].mean()
                        for counts in (True, False)
                    ]
                )
            )
            rows.append({"params": params, "validation_ndcg": ndcg})
            print(f"tune {name} {params}: validation NDCG@10 {ndcg:.4f}", flush=True)
        best = max(rows, key=lambda r: r["validation_ndcg"])
        chosen[name], table[name] = best["params"], rows
    return chosen, table
