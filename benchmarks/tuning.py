"""What the tune_* scripts share: the real interactions and one measurement of a config.

--where val:   fit on 80 % of the seed-0 training part, score its held-out 20 % (validation; the
               seed-0 test pairs are never seen while tuning).
--where test:  fit on the seed-0 training part, score the seed-0 test pairs.
--where test3: the fixed protocol, mean over seeds 0, 1, 2.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from recommenders.data import load_dataset
from recommenders.evaluation import evaluate_model, evaluate_scorer, split_interactions
from recommenders.interactions import Interactions

ROOT = Path(__file__).resolve().parents[1]
WHERE = ["val", "test", "test3"]
VALIDATION_SEED = 100


def load_interactions(data_dir: Path = ROOT / "data") -> Interactions:
    return Interactions.from_user_artists(load_dataset(data_dir).user_artists)


def measure(make_model: Callable[[], Any], inter: Interactions, where: str) -> dict[str, float]:
    """Metrics of one config on the chosen split (see the module docstring)."""
    if where == "test3":
        return evaluate_model(make_model, inter, seeds=(0, 1, 2))["mean"]
    split = split_interactions(inter, seed=0)
    if where == "val":
        split = split_interactions(split.train, seed=VALIDATION_SEED)
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
