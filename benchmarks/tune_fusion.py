"""How the default (fusion) model's weights are chosen: new listeners of the VALIDATION split only.

    python -m benchmarks.tune_fusion          # → benchmarks/results/tune_fusion.json

The validation split is the cold-start protocol inside the seed-0 training users
(``recommenders.cold_start.validation_split``): its held-out users are never the benchmark's. The
members (a 2-network softmax and SVD) are fitted once on its training users; every weight setting
is then served from one validation bundle through ``Bundle.recommend`` (names in, as a visitor)
and scored with the *validation* probe sets (``recommenders.probes``: other artists and pairs than
the test sets). EASE, the niche target's peer, is fitted there too with its validation-chosen λ.

Rule: among the settings that meet every target on validation, for both variants (with and
without play counts) — niche NDCG@10 ≥ 1.1 × EASE's, niche popularity lift ≤ 1.5, genre probe
share ≥ 0.85, intruders ≤ 0.1 per genre-pair list with ≥ 90 % of lists clean, and NDCG@10 at
least the previous default's — the best mean NDCG@10.
"""

from __future__ import annotations

import itertools
import time

import numpy as np
import torch

from benchmarks import results
from benchmarks.cold_start import ProbeSets, bundle_tops, training_bundle, training_catalog
from benchmarks.peers import make_peer
from benchmarks.tuning import ROOT, tune_peers
from recommenders.cold_start import cold_start_split, per_user_metrics, segments, validation_split
from recommenders.evaluation import tags_by_column
from recommenders.models.fusion import FusionConfig, FusionModel
from recommenders.models.softmax import SoftmaxConfig, SoftmaxModel
from recommenders.models.svd import SVDModel
from recommenders.pipeline import process_data

PREVIOUS = FusionConfig(
    svd_weight=0.15, popularity_weight=0.05, relative_weight=0.0, genre_weight=0.0
)  # the default before this search
GRID = {
    "svd_weight": (0.15, 0.2, 0.3),
    "popularity_weight": (0.1, 0.2, 0.3),
    "relative_weight": (0.05, 0.1, 0.15),
    "genre_weight": (0.0, 1.0),
}
TARGETS = {"niche_vs_ease": 0.10, "lift_niche": 1.5, "probe_share": 0.85,
           "intruders": 0.1, "clean_lists": 0.9}  # fmt: skip


def measure(bundle, name: str, val, niche: np.ndarray, ease_niche: dict, probes) -> dict:
    """Validation figures of one model of the bundle (both variants; probes once)."""
    out: dict = {}
    for label, counts in (("with_counts", True), ("without_counts", False)):
        values = per_user_metrics(bundle_tops(bundle, name, val, counts), val)
        out[label] = {
            "ndcg": float(values["ndcg"].mean()),
            "niche_vs_ease": float(values["ndcg"][niche].mean() / ease_niche[label] - 1),
            "lift_niche": float(np.nanmedian(values["popularity_lift"][niche])),
        }
    scores = probes.scores(bundle, name)
    out["probe_share"] = float(scores["probe_share"].mean())
    out["intruders"] = float(scores["pair_intruders"].mean())
    out["clean_lists"] = float(np.mean(scores["pair_intruders"] == 0))
    out["eclectic_served"] = float(scores["eclectic_served"].mean())
    out["eclectic_orphans"] = float(np.nanmean(scores["eclectic_orphans"]))
    return out


def meets(m: dict, floor: float) -> bool:
    variants = [m["with_counts"], m["without_counts"]]
    return (
        all(v["niche_vs_ease"] >= TARGETS["niche_vs_ease"] for v in variants)
        and all(v["lift_niche"] <= TARGETS["lift_niche"] for v in variants)
        and all(v["ndcg"] >= floor for v in variants)
        and m["probe_share"] >= TARGETS["probe_share"]
        and m["intruders"] <= TARGETS["intruders"]
        and m["clean_lists"] >= TARGETS["clean_lists"]
    )


def mean_ndcg(m: dict) -> float:
    return (m["with_counts"]["ndcg"] + m["without_counts"]["ndcg"]) / 2


def main() -> int:
    started = results.machine()
    torch.set_num_threads(2)
    processed = process_data(ROOT / "data", spotify_live=False)
    val = validation_split(cold_start_split(processed.interactions, seed=0))
    catalog = training_catalog(processed, val.train.user_ids)
    tags = tags_by_column(catalog, val.train.artist_ids)
    ease_settings, _ = tune_peers(processed, ["ease"])
    clock = time.perf_counter()
    members = {
        "softmax": SoftmaxModel(SoftmaxConfig(n_models=PREVIOUS.softmax_networks)).fit(val.train),
        "svd": SVDModel().fit(val.train),
    }
    ease = make_peer("ease", ease_settings["ease"]).fit(val.train)
    print(f"members and EASE fitted in {time.perf_counter() - clock:.0f} s", flush=True)
    settings = {"previous": PREVIOUS}
    for values in itertools.product(*GRID.values()):
        config = FusionConfig(**dict(zip(GRID, values, strict=True)))
        settings[",".join(f"{k}={v}" for k, v in zip(GRID, values, strict=True))] = config
    models = {
        name: FusionModel.from_members(members, val.train, config, artist_tags=tags)
        for name, config in settings.items()
    }
    bundle = training_bundle(val, {**models, "ease": ease}, catalog)
    niche = segments(val) == "niche"
    ease_niche = {
        label: float(
            per_user_metrics(bundle_tops(bundle, "ease", val, c), val)["ndcg"][niche].mean()
        )
        for label, c in (("with_counts", True), ("without_counts", False))
    }
    probes = ProbeSets.build(processed, "validation")
    table = {}
    for name in settings:
        table[name] = measure(bundle, name, val, niche, ease_niche, probes)
        print(name, table[name], flush=True)
    floor = min(
        table["previous"]["with_counts"]["ndcg"], table["previous"]["without_counts"]["ndcg"]
    )
    eligible = [n for n in settings if n != "previous" and meets(table[n], floor)]
    chosen = max(eligible or list(settings), key=lambda n: mean_ndcg(table[n]))
    print(f"\n{len(eligible)} settings meet every target; chosen: {chosen}")
    results.record(
        "tune_fusion",
        {
            "rule": __doc__.split("Rule: ", 1)[1].strip(),
            "targets": TARGETS,
            "ease_validation_settings": ease_settings["ease"],
            "ease_validation_niche_ndcg": ease_niche,
            "validation_users": int(val.given.shape[0]),
            "probe_counts": {
                "single": len(probes.single),
                "pairs": len(probes.pairs),
                "eclectic": len(probes.eclectic),
            },
            "settings": {n: vars(c) for n, c in settings.items()},
            "validation": table,
            "eligible": eligible,
            "chosen": chosen,
        },
        started=started,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def readme_line() -> str:
    """How the default's weights were chosen, from the committed search."""
    found = results.load("tune_fusion")
    chosen, table = found["chosen"], found["validation"]

    def ndcg(name: str) -> str:
        return "/".join(f"{table[name][v]['ndcg']:.4f}" for v in ("with_counts", "without_counts"))

    weights = ", ".join(f"{k.replace('_weight', '')} {v:g}" for k, v in
                        (p.split("=") for p in chosen.split(",")) for v in [float(v)])  # fmt: skip
    counts = found["probe_counts"]
    return (
        f"Chosen on the validation split ({found['validation_users']} held-out training users; "
        f"{counts['single']} genre probes, {counts['pairs']} genre pairs and "
        f"{counts['eclectic']} eclectic sets of the validation role): {weights}. "
        f"{len(found['eligible'])} of {len(table) - 1} settings met every target there; "
        f"validation NDCG@10 (with / without play counts) {ndcg(chosen)}, against "
        f"{ndcg('previous')} for the previous weights (`python -m benchmarks.tune_fusion`)."
    )
