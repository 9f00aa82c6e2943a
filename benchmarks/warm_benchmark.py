"""Trained users (the literature's protocol): every model and two peers on the same pair splits.

    python -m benchmarks.warm_benchmark            # seeds 0–2 → results/warm_benchmark.json
    python -m benchmarks.warm_benchmark --seeds 0 --models popularity softmax ease

Quality: the fixed protocol of recommenders.evaluation (random 80/20 split of user–artist pairs,
rank every artist not in training, @10), mean over seeds, including how each taste is served
(recommenders.taste: NDCG of niche / middle / mainstream users, median popularity lift of niche
users, genre-probe share, tag diversity and calibration; probes on each seed's training-split
model). Speed: fit seconds (median over seeds) and the latency of one recommendation (one profile
→ scores → top 10 excluding known → names), p50 and p99 over 300 requests, on models fitted to the
seed-0 training split.

EASE's λ is chosen first on the validation split carved from the seed-0 training part
(benchmarks.tuning.choose_ease_l2: 12 values, fitted on artists with ≥ 2 validation-training
listeners to afford the inverse), like our models' settings; implicit ALS keeps its defaults.
The app's visitors are new listeners: the headline is ``benchmarks.run_benchmark`` (cold start);
this table is for comparison with published results on this dataset.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from benchmarks.peers import EASE, ImplicitALS
from benchmarks.results import load, machine, record
from benchmarks.tuning import EASE_L2_GRID, choose_ease_l2
from recommenders.evaluation import evaluate_scorer, split_interactions
from recommenders.models import MODEL_NAMES, model_class
from recommenders.pipeline import BuildConfig, process_data
from recommenders.recommend import top_columns

ROOT = Path(__file__).resolve().parents[1]
PEERS = ("implicit_als", "ease")
LATENCY_REQUESTS = 300


def make(name: str, seed: int, ease_l2: float | None = None):
    if name == "implicit_als":
        return ImplicitALS(seed=seed)
    if name == "ease":
        return EASE(ease_l2)
    return model_class(name)(BuildConfig(seed=seed).model_config(name))


def latency_ms(model, split, names: np.ndarray, rng: np.random.Generator) -> tuple[float, float]:
    """p50 and p99 milliseconds of one profile → top-10 names, over LATENCY_REQUESTS requests."""
    train = split.train.matrix
    users = rng.choice(np.flatnonzero(np.diff(train.indptr) > 0), LATENCY_REQUESTS)
    timings = []
    for row in users:
        profile = train[row]
        start = time.perf_counter()
        scores = model.score(profile)[0]
        columns, _ = top_columns(scores, 10, exclude=profile.indices)
        _ = names[columns].tolist()
        timings.append((time.perf_counter() - start) * 1000)
    return float(np.percentile(timings, 50)), float(np.percentile(timings, 99))


def run(models: list[str], seeds: list[int]) -> dict[str, dict]:
    processed = process_data(ROOT / "data", spotify_live=False)
    names = processed.catalog["name"].to_numpy()
    results: dict[str, dict] = {}
    tuning: dict[str, object] = {}
    ease_l2 = None
    if "ease" in models:
        start = time.perf_counter()
        ease_l2, validation = choose_ease_l2(processed.interactions)
        tuning = {
            "ease_l2": ease_l2,
            "validation_ndcg": {str(k): v for k, v in validation.items()},
            "seconds": time.perf_counter() - start,
        }
    for name in models:
        runs, fits = [], []
        for seed in seeds:
            split = split_interactions(processed.interactions, seed=seed)
            model = make(name, seed, ease_l2)
            start = time.perf_counter()
            model.fit(split.train)
            fits.append(time.perf_counter() - start)
            runs.append(evaluate_scorer(model.score, split, catalog=processed.catalog))
            if seed == seeds[0]:
                p50, p99 = latency_ms(model, split, names, np.random.default_rng(0))
            print(
                f"{name} seed {seed}: NDCG@10 {runs[-1]['ndcg']:.4f} fit {fits[-1]:.1f} s",
                flush=True,
            )
        mean = {m: float(np.nanmean([r[m] for r in runs])) for m in runs[0]}
        results[name] = {
            **mean,
            "fit_seconds": statistics.median(fits),
            "latency_p50_ms": p50,
            "latency_p99_ms": p99,
            "runs": runs,
        }
        if name == "ease":
            results[name]["tuning"] = tuning
    return results


COLUMNS = [  # (header, key, format)
    ("P@10", "precision", ".4f"),
    ("R@10", "recall", ".4f"),
    ("NDCG@10", "ndcg", ".4f"),
    ("MAP@10", "map", ".4f"),
    ("NDCG niche", "ndcg_niche", ".4f"),
    ("NDCG middle", "ndcg_middle", ".4f"),
    ("NDCG mainstream", "ndcg_mainstream", ".4f"),
    ("pop. lift niche (median)", "popularity_lift_niche", ".2f"),
    ("pop. lift all (median)", "popularity_lift", ".2f"),
    ("probe share", "probe_share", ".3f"),
    ("diversity", "diversity", ".3f"),
    ("calibration KL", "calibration", ".3f"),
    ("coverage", "coverage", ".3f"),
    ("novelty (bits)", "novelty", ".2f"),
    ("fit s", "fit_seconds", ".1f"),
    ("latency p50 ms", "latency_p50_ms", ".2f"),
    ("latency p99 ms", "latency_p99_ms", ".2f"),
]


def label(name: str, result: dict) -> str:
    if name == "ease" and "tuning" in result:
        return f"EASE (λ = {result['tuning']['ease_l2']:g} from validation, peer)"
    if name == "implicit_als":
        return "implicit ALS (128 factors, peer)"
    return name


def markdown(results: dict[str, dict], seeds: list[int]) -> str:
    lines = [
        f"Mean of seeds {', '.join(map(str, seeds))} · fit = median seconds on the 80% split · "
        "latency = one profile → top 10 with names, in-process · segments = users by the median "
        "training listener count of their artists (niche ≤ 25th percentile, mainstream ≥ 75th) · "
        "popularity lift = mean log1p(listeners) of the top 10 minus that of the held-out "
        "artists · probe share = share of the top 10 carrying a top-5 tag of a single liked "
        f"genre artist ({len(EASE_L2_GRID)} λ values tried for EASE on validation)",
        "",
        "| model | " + " | ".join(header for header, _, _ in COLUMNS) + " |",
        "|---" * (len(COLUMNS) + 1) + "|",
    ]
    for name, r in sorted(results.items(), key=lambda item: -item[1]["ndcg"]):
        cells = [format(r[key], fmt) if key in r else "–" for _, key, fmt in COLUMNS]
        lines.append(f"| {label(name, r)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="*", default=[*MODEL_NAMES, *PEERS])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    args = parser.parse_args()
    started = machine()
    found = run(args.models, args.seeds)
    record("warm_benchmark", {"seeds": args.seeds, "models": found}, started=started)
    print(markdown(found, args.seeds))


def readme_table() -> str:
    """The trained-users table (this protocol), from the committed result."""
    found = load("warm_benchmark")
    return markdown(found["models"], found["seeds"])


if __name__ == "__main__":
    main()
