"""The headline benchmark: every model and three tuned peers, for NEW listeners, in one run.

    python -m benchmarks.run_benchmark                     # seeds 0 1 2 → results/cold_start.json
    python -m benchmarks.run_benchmark --seeds 0 --models fusion ease --bootstrap 200

Every visitor of the app is a listener the models never saw, so the headline is the cold-start
protocol (``recommenders.cold_start``): 20 % of the users are held out of training, each gives
80 % of their artists **by name through ``Bundle.recommend``** (benchmarks/cold_start.py), with
and without play counts, and is scored on the rest. Per seed, every model and peer is fitted on
the same training users and served from the same training bundle. Reported: accuracy @10, NDCG
per niche / middle / mainstream segment, the median popularity lift, tag diversity and
calibration, and the probe sets of ``recommenders.probes`` (test roles): single-artist genre
probes, genre pairs (on-genre share, intruders), eclectic sets (each pick served, orphan cards);
with 95 % bootstrap intervals over users (and over probes), resampled within each seed.

Peers (EASE, RP3beta, implicit ALS) get the same kind of tuning as our models: a grid chosen on
the validation split carved from the seed-0 training users (``benchmarks.tuning``). The older
protocol (random 80/20 split of pairs, trained users) is ``benchmarks.warm_benchmark``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from benchmarks import results
from benchmarks.cold_start import ProbeSets, bundle_tops, training_bundle, training_catalog
from benchmarks.peers import PEER_LABELS, make_peer
from benchmarks.tune_fusion import PREVIOUS
from benchmarks.tuning import tune_peers
from recommenders import taste
from recommenders.cold_start import cold_start_split, per_user_metrics, segments
from recommenders.evaluation import beyond_accuracy, tags_by_column
from recommenders.models import MODEL_NAMES, model_class
from recommenders.models.fusion import FusionModel
from recommenders.pipeline import BuildConfig, process_data

ROOT = Path(__file__).resolve().parents[1]
PEERS = ("ease", "rp3beta", "implicit_als")
BEFORE = "fusion_before"  # the default model with the weights it had before this benchmark
VARIANTS = {"with_counts": True, "without_counts": False}
LATENCY_REQUESTS = 300
USER_METRICS = ("precision", "recall", "ndcg", "map")


def fit_models(
    names: list[str], train, seed: int, peer_settings: dict, artist_tags
) -> tuple[dict, dict]:
    """Every model fitted on ``train`` (ours with the training catalog's genre tags); fusion
    reuses the SVD fitted here (as the build does)."""
    fitted, seconds = {}, {}
    for name in names:
        start = time.perf_counter()
        if name == BEFORE:  # the previous default weights on the same fitted members
            fitted[name] = FusionModel.from_members(
                fitted["fusion"].members_, train, PREVIOUS.with_seed(seed), artist_tags
            )
        elif name in PEERS:
            fitted[name] = make_peer(name, peer_settings.get(name, {}), seed).fit(train)
        else:
            cls = model_class(name)
            config = BuildConfig(seed=seed).model_config(name)
            given = {r: fitted[r] for r in cls.reuses if r in fitted}
            model = cls(config, prefitted=given) if given else cls(config)
            fitted[name] = model.fit(train, artist_tags=artist_tags)
        seconds[name] = time.perf_counter() - start
        print(f"  fit {name}: {seconds[name]:.1f} s", flush=True)
    return fitted, seconds


def user_values(bundle, model: str, split, segment: np.ndarray, tags, with_counts: bool) -> dict:
    """Per-user arrays for one model and variant (segments applied later)."""
    top = bundle_tops(bundle, model, split, with_counts)
    values = per_user_metrics(top, split)
    values["diversity"] = taste.intra_list_diversity(top, tags)
    values["calibration"] = taste.calibration_kl(top, split.given_profiles(with_counts), tags)
    beyond = beyond_accuracy(top, split.train.matrix)
    return {**values, "segment": segment, "coverage": beyond["coverage"],
            "novelty": beyond["novelty"]}  # fmt: skip


def latency_ms(bundle, model: str, split, rng: np.random.Generator) -> list[float]:
    """Milliseconds of ``Bundle.recommend(model, liked=5 names, k=10)`` for held-out users."""
    names = bundle.catalog["name"].to_numpy()
    given = split.given
    timings = []
    for row in rng.choice(given.shape[0], LATENCY_REQUESTS):
        columns = given.indices[given.indptr[row] : given.indptr[row + 1]]
        liked = names[rng.choice(columns, min(5, len(columns)), replace=False)].tolist()
        start = time.perf_counter()
        bundle.recommend(model, liked=liked, k=10)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def run(models: list[str], seeds: list[int], n_bootstrap: int = 1000) -> dict:
    torch.set_num_threads(2)
    processed = process_data(ROOT / "data", spotify_live=False)
    test_probes = ProbeSets.build(processed, "test")
    peer_settings, tuning = tune_peers(processed, [m for m in models if m in PEERS])
    per_seed: dict[str, list[dict]] = {m: [] for m in models}
    for seed in seeds:
        print(f"seed {seed}", flush=True)
        split = cold_start_split(processed.interactions, seed=seed)
        catalog = training_catalog(processed, split.train.user_ids)
        artist_tags = tags_by_column(catalog, split.train.artist_ids)
        fitted, seconds = fit_models(models, split.train, seed, peer_settings, artist_tags)
        bundle = training_bundle(split, fitted, catalog)
        tags = taste.tag_matrix(artist_tags)
        segment = segments(split)
        for name in models:
            row = {
                v: user_values(bundle, name, split, segment, tags, wc) for v, wc in VARIANTS.items()
            }
            row["probes"] = test_probes.scores(bundle, name)
            row["fit_seconds"] = seconds[name]
            if seed == seeds[0]:
                row["latency_ms"] = latency_ms(bundle, name, split, np.random.default_rng(0))
            per_seed[name].append(row)
            ndcg = {v: float(np.mean(row[v]["ndcg"])) for v in VARIANTS}
            print(f"  {name}: NDCG@10 {ndcg}", flush=True)
        del bundle, fitted
    summary = {
        name: summarise(rows, per_seed.get("ease"), n_bootstrap) for name, rows in per_seed.items()
    }
    return {
        "protocol": "cold start: 20% of users held out, each gives 80% of their artists by name "
        "through Bundle.recommend (with and without play counts), k=10",
        "seeds": seeds,
        "peer_tuning": tuning,
        "probe_counts": {
            "single": len(test_probes.single),
            "pairs": len(test_probes.pairs),
            "eclectic": len(test_probes.eclectic),
        },
        "models": summary,
    }


# -- summaries with bootstrap intervals ----------------------------------------------------------
BOOTSTRAP = 1000


def _user_stat(metric: str, segment: str | None):
    """The statistic of a per-user metric over (a segment of) the users: mean, or the median
    for the popularity lift (robust to a few extreme users, as before)."""
    reduce = np.nanmedian if metric == "popularity_lift" else np.nanmean

    def stat(row: dict, index: np.ndarray) -> float:
        values, seg = np.asarray(row[metric])[index], row["segment"][index]
        chosen = values if segment is None else values[seg == segment]
        return float(reduce(chosen)) if np.isfinite(chosen).any() else float("nan")

    return stat


def bootstrap(rows: list[dict], stat, size_of, n: int, paired: list | None = None):
    """(mean over seeds, per-seed values, 95 % interval): resampling ``size_of(row)`` items
    (users or probes) with replacement within each seed; with ``paired`` rows (the peer's), the
    statistic is stat(row, idx) / stat(peer, idx) − 1 on the SAME resampled items."""

    def value(row, other, index):
        v = stat(row, index)
        return v / stat(other, index) - 1 if other is not None else v

    others = paired or [None] * len(rows)
    per_seed = [value(r, o, np.arange(size_of(r))) for r, o in zip(rows, others, strict=True)]
    rng = np.random.default_rng(0)
    draws = []
    for _ in range(n):
        draws.append(
            np.mean(
                [
                    value(r, o, rng.integers(0, size_of(r), size_of(r)))
                    for r, o in zip(rows, others, strict=True)
                ]
            )
        )
    low, high = np.nanpercentile(draws, [2.5, 97.5])
    return {"mean": float(np.mean(per_seed)), "per_seed": per_seed, "ci": [float(low), float(high)]}


def summarise(rows: list[dict], ease_rows: list[dict] | None, n: int) -> dict:
    """Per metric: mean over seeds, per-seed values and a 95 % bootstrap interval."""
    out: dict = {"fit_seconds": [r["fit_seconds"] for r in rows]}
    users = lambda r: len(r["ndcg"])  # noqa: E731
    for variant in VARIANTS:
        seeds = [r[variant] for r in rows]
        block = {}
        for metric in (*USER_METRICS, "diversity", "calibration", "popularity_lift"):
            block[metric] = bootstrap(seeds, _user_stat(metric, None), users, n)
        for segment in taste.SEGMENTS:
            block[f"ndcg_{segment}"] = bootstrap(seeds, _user_stat("ndcg", segment), users, n)
        niche_lift = _user_stat("popularity_lift", "niche")
        block["popularity_lift_niche"] = bootstrap(seeds, niche_lift, users, n)
        if ease_rows is not None:
            niche = _user_stat("ndcg", "niche")
            peer = [r[variant] for r in ease_rows]
            block["ndcg_niche_vs_ease"] = bootstrap(seeds, niche, users, n, paired=peer)
        for metric in ("coverage", "novelty"):
            values = [s[metric] for s in seeds]
            block[metric] = {"mean": float(np.mean(values)), "per_seed": values}
        out[variant] = block
    probe_rows = [r["probes"] for r in rows]
    out["probes"] = {}
    for metric in probe_rows[0]:
        size = lambda r, m=metric: len(r[m])  # noqa: E731
        mean = lambda r, i, m=metric: float(np.nanmean(r[m][i]))  # noqa: E731
        out["probes"][metric] = bootstrap(probe_rows, mean, size, n)
    clean = lambda r, i: float(np.mean(r["pair_intruders"][i] == 0))  # noqa: E731
    size = lambda r: len(r["pair_intruders"])  # noqa: E731
    out["probes"]["pair_lists_without_intruders"] = bootstrap(probe_rows, clean, size, n)
    if "latency_ms" in rows[0]:
        timings = rows[0]["latency_ms"]
        out["latency_ms"] = {
            "p50": float(np.percentile(timings, 50)),
            "p99": float(np.percentile(timings, 99)),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", default=[*MODEL_NAMES, BEFORE, *PEERS])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--bootstrap", type=int, default=BOOTSTRAP)
    parser.add_argument("--name", default="cold_start", help="result file name")
    args = parser.parse_args(argv)
    started = results.machine()
    path = results.record(args.name, run(args.models, args.seeds, args.bootstrap), started=started)
    print(f"wrote {path}")
    return 0


# -- README blocks, rendered from the committed result (benchmarks/results.py) -----------------
LABELS = {
    **PEER_LABELS,
    "fusion": "**fusion** (default)",
    BEFORE: "fusion, previous weights",
}
TARGET_LIFT, TARGET_PROBE, TARGET_NICHE, TARGET_INTRUDERS, TARGET_CLEAN = 1.5, 0.85, 0.10, 0.1, 0.9


def _ci(cell: dict, fmt: str = ".4f") -> str:
    low, high = cell["ci"]
    return f"{cell['mean']:{fmt}} ({low:{fmt}}–{high:{fmt}})"


def readme_table(name: str = "cold_start", variant: str = "without_counts") -> str:
    """The headline: every model and peer for new listeners giving names only."""
    found = results.load(name)
    head = ("| model | NDCG@10 | P@10 | R@10 | NDCG niche | NDCG mainstream | niche pop. lift "
            "| genre probe share | intruders per pair list | pair lists clean | eclectic picks "
            "served (one list → per taste) | cards from no pick's taste (one list → per taste) "
            "| fit s | p50 / p99 ms |")  # fmt: skip
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    order = sorted(found["models"], key=lambda m: -found["models"][m][variant]["ndcg"]["mean"])
    for model in order:
        r = found["models"][model]
        v, p = r[variant], r["probes"]
        latency = r.get("latency_ms", {})
        cells = [
            LABELS.get(model, model), _ci(v["ndcg"]), f"{v['precision']['mean']:.4f}",
            f"{v['recall']['mean']:.4f}", _ci(v["ndcg_niche"]),
            f"{v['ndcg_mainstream']['mean']:.4f}", _ci(v["popularity_lift_niche"], ".2f"),
            _ci(p["probe_share"], ".3f"), f"{p['pair_intruders']['mean']:.2f}",
            f"{p['pair_lists_without_intruders']['mean']:.0%}",
            f"{p['eclectic_served_one_list']['mean']:.0%} → {p['eclectic_served']['mean']:.0%}",
            f"{p['eclectic_orphans_one_list']['mean']:.0%} → {p['eclectic_orphans']['mean']:.0%}",
            f"{np.median(r['fit_seconds']):.1f}",
            f"{latency.get('p50', float('nan')):.2f} / {latency.get('p99', float('nan')):.2f}",
        ]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    counts = found["probe_counts"]
    lines.append("")
    lines.append(
        f"Seeds {', '.join(map(str, found['seeds']))}; 95 % bootstrap intervals in brackets; "
        f"{counts['single']} genre probes, {counts['pairs']} genre pairs, "
        f"{counts['eclectic']} eclectic sets (test roles)."
    )
    return "\n".join(lines)


def readme_play_counts(name: str = "cold_start") -> str:
    found = results.load(name)
    lines = ["| model | NDCG@10 with play counts | without | change |", "|---|---|---|---|"]
    for model, r in found["models"].items():
        with_counts = r["with_counts"]["ndcg"]["mean"]
        without = r["without_counts"]["ndcg"]["mean"]
        lines.append(f"| {LABELS.get(model, model)} | {with_counts:.4f} | {without:.4f} | "
                     f"{with_counts - without:+.4f} |")  # fmt: skip
    return "\n".join(lines)


def _verdict(value: float, ci: list[float], target: float, at_most: bool) -> str:
    ok = value <= target if at_most else value >= target
    inside = ci[0] <= target <= ci[1]
    if ok:
        return "met, within the spread (interval crosses the target)" if inside else "met"
    return "missed"


def readme_targets(name: str = "cold_start") -> str:
    """Each "every taste" target for the default model, both variants, with its interval."""
    found = results.load(name)
    fusion, before = found["models"]["fusion"], found["models"].get(BEFORE)
    lines = ["| target | variant | default model (`fusion`) | verdict |", "|---|---|---|---|"]
    for variant, label in (("without_counts", "names"), ("with_counts", "names + plays")):
        v = fusion[variant]
        if before is not None:
            floor = before[variant]["ndcg"]["mean"]
            lines.append(
                f"| NDCG@10 ≥ the previous weights' {floor:.4f} | {label} | {_ci(v['ndcg'])} | "
                f"{_verdict(v['ndcg']['mean'], v['ndcg']['ci'], floor, False)} |"
            )
        lead = v["ndcg_niche_vs_ease"]
        lines.append(
            f"| niche NDCG@10 ≥ EASE's + {TARGET_NICHE:.0%} | {label} | "
            f"{lead['mean']:+.1%} ({lead['ci'][0]:+.1%}–{lead['ci'][1]:+.1%}) | "
            f"{_verdict(lead['mean'], lead['ci'], TARGET_NICHE, False)} |"
        )
        lift = v["popularity_lift_niche"]
        lines.append(
            f"| niche popularity lift ≤ {TARGET_LIFT} | {label} | {_ci(lift, '.2f')} | "
            f"{_verdict(lift['mean'], lift['ci'], TARGET_LIFT, True)} |"
        )
    p = fusion["probes"]
    rows = [
        (f"genre probe share ≥ {TARGET_PROBE}", p["probe_share"], TARGET_PROBE, False, ".3f"),
        (f"intruders ≤ {TARGET_INTRUDERS} per pair list", p["pair_intruders"], TARGET_INTRUDERS,
         True, ".2f"),
        (f"pair lists without intruders ≥ {TARGET_CLEAN:.0%}", p["pair_lists_without_intruders"],
         TARGET_CLEAN, False, ".2f"),
    ]  # fmt: skip
    for text, cell, target, at_most, fmt in rows:
        lines.append(
            f"| {text} | single artists / pairs | {_ci(cell, fmt)} | "
            f"{_verdict(cell['mean'], cell['ci'], target, at_most)} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
