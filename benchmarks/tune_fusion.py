"""How the default (fusion) model's weights are chosen: new listeners of the VALIDATION split only.

    python -m benchmarks.tune_fusion [--splits 0 1 2]   # → benchmarks/results/tune_fusion.json

The validation splits are the cold-start protocol inside the training users of seeds 0, 1 and 2
(``recommenders.cold_start.validation_split``), their held-out users drawn only from users that no
benchmark seed holds out (``test_users``): no setting is chosen on a user the benchmark reports on.
One split holds ~300 users, ~75 of them niche, too few to tell
settings apart (a first search on seed 0 alone chose weights whose niche lift was 1.35 there and
1.03 on the test users), so the figures are pooled over the three splits. Per split, the members
(a 2-network softmax and SVD) are fitted once on its training users; every weight setting is then
served from one validation bundle through ``Bundle.recommend`` (names in, as a visitor) and scored
with the *validation* probe sets (``recommenders.probes``: other artists and pairs than the test
sets). EASE, the niche target's peer, is fitted there too with its validation-chosen λ.

Rule: among the settings that meet every target on validation, for both variants (with and
without play counts) — niche NDCG@10 ≥ 1.1 × EASE's, niche popularity lift ≤ 1.5, genre probe
share ≥ 0.85, intruders ≤ 0.1 per genre-pair list with ≥ 90 % of lists clean, and NDCG@10 at
least the previous default's — the best mean NDCG@10.
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np
import torch

from benchmarks import results
from benchmarks.cold_start import ProbeSets, bundle_tops, training_bundle, training_catalog
from benchmarks.peers import make_peer
from benchmarks.tuning import ROOT, tune_peers
from recommenders.cold_start import (
    cold_start_split,
    per_user_metrics,
    segments,
    test_users,
    validation_split,
)
from recommenders.evaluation import tags_by_column
from recommenders.models.fusion import FusionConfig, FusionModel
from recommenders.models.softmax import SoftmaxConfig, SoftmaxModel
from recommenders.models.svd import SVDModel
from recommenders.pipeline import process_data

PREVIOUS = FusionConfig(
    svd_weight=0.15, popularity_weight=0.05, relative_weight=0.0, genre_weight=0.0
)  # the default before this search
GRID = {
    "svd_weight": (0.15, 0.3),
    "popularity_weight": (0.05, 0.1, 0.2),
    "relative_weight": (0.0, 0.05, 0.1),
    "genre_weight": (1.0,),
}
VARIANTS = {"with_counts": True, "without_counts": False}
TARGETS = {"niche_vs_ease": 0.10, "lift_niche": 1.5, "probe_share": 0.85,
           "intruders": 0.1, "clean_lists": 0.9}  # fmt: skip


def measure(bundle, name: str, val, niche: np.ndarray, probes) -> dict:
    """One split's raw validation figures of one model of the bundle (both variants)."""
    out: dict = {}
    for label, counts in VARIANTS.items():
        values = per_user_metrics(bundle_tops(bundle, name, val, counts), val)
        out[label] = {
            "ndcg": float(values["ndcg"].mean()),
            "ndcg_niche": float(values["ndcg"][niche].mean()),
            "lift_niche": float(np.nanmedian(values["popularity_lift"][niche])),
        }
    if name != "ease":
        scores = probes.scores(bundle, name)
        out["probe_share"] = float(scores["probe_share"].mean())
        out["intruders"] = float(scores["pair_intruders"].mean())
        out["clean_lists"] = float(np.mean(scores["pair_intruders"] == 0))
        out["eclectic_served"] = float(scores["eclectic_served"].mean())
        out["eclectic_orphans"] = float(np.nanmean(scores["eclectic_orphans"]))
    return out


def pooled(per_split: list[dict], ease: list[dict]) -> dict:
    """Figures over the validation splits: means of the splits' values; the niche lead is the
    mean niche NDCG over EASE's mean niche NDCG, minus 1."""
    out: dict = {}
    for label in VARIANTS:
        mine = [m[label] for m in per_split]
        peer = np.mean([e[label]["ndcg_niche"] for e in ease])
        out[label] = {
            "ndcg": float(np.mean([m["ndcg"] for m in mine])),
            "niche_vs_ease": float(np.mean([m["ndcg_niche"] for m in mine]) / peer - 1),
            "lift_niche": float(np.mean([m["lift_niche"] for m in mine])),
        }
    for key in ("probe_share", "intruders", "clean_lists", "eclectic_served", "eclectic_orphans"):
        out[key] = float(np.mean([m[key] for m in per_split]))
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


def settings_grid() -> dict[str, FusionConfig]:
    settings = {"previous": PREVIOUS}
    for values in itertools.product(*GRID.values()):
        config = FusionConfig(**dict(zip(GRID, values, strict=True)))
        settings[",".join(f"{k}={v}" for k, v in zip(GRID, values, strict=True))] = config
    return settings


def one_split(processed, seed: int, settings: dict, ease_params: dict, probes) -> dict:
    """Every setting's raw figures on the validation split of ``seed``'s training users."""
    never = test_users(processed.interactions)
    val = validation_split(cold_start_split(processed.interactions, seed=seed), never=never)
    catalog = training_catalog(processed, val.train.user_ids)
    tags = tags_by_column(catalog, val.train.artist_ids)
    clock = time.perf_counter()
    members = {
        "softmax": SoftmaxModel(
            SoftmaxConfig(n_models=PREVIOUS.softmax_networks).with_seed(seed)
        ).fit(val.train),
        "svd": SVDModel(SVDModel.Config().with_seed(seed)).fit(val.train),
    }
    ease = make_peer("ease", ease_params).fit(val.train)
    print(f"split {seed}: members and EASE fitted in {time.perf_counter() - clock:.0f} s")
    models = {
        name: FusionModel.from_members(members, val.train, config.with_seed(seed), tags)
        for name, config in settings.items()
    }
    bundle = training_bundle(val, {**models, "ease": ease}, catalog)
    niche = segments(val) == "niche"
    found = {name: measure(bundle, name, val, niche, probes) for name in [*settings, "ease"]}
    return {"users": int(val.given.shape[0]), "figures": found}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--splits", nargs="+", type=int, default=[0, 1, 2])
    args = parser.parse_args()
    started = results.machine()
    torch.set_num_threads(2)
    processed = process_data(ROOT / "data", spotify_live=False)
    ease_settings, _ = tune_peers(processed, ["ease"])
    probes = ProbeSets.build(processed, "validation")
    settings = settings_grid()
    splits = [one_split(processed, s, settings, ease_settings["ease"], probes) for s in args.splits]
    ease = [split["figures"]["ease"] for split in splits]
    table = {name: pooled([split["figures"][name] for split in splits], ease) for name in settings}
    for name, figures in table.items():
        print(name, figures, flush=True)
    floor = min(table["previous"][v]["ndcg"] for v in VARIANTS)
    eligible = [n for n in settings if n != "previous" and meets(table[n], floor)]
    chosen = max(eligible or list(settings), key=lambda n: mean_ndcg(table[n]))
    print(f"\n{len(eligible)} settings meet every target; chosen: {chosen}")
    results.record(
        "tune_fusion",
        {
            "rule": __doc__.split("Rule: ", 1)[1].strip(),
            "targets": TARGETS,
            "ease_validation_settings": ease_settings["ease"],
            "validation_splits": args.splits,
            "validation_users": sum(split["users"] for split in splits),
            "probe_counts": {
                "single": len(probes.single),
                "pairs": len(probes.pairs),
                "eclectic": len(probes.eclectic),
            },
            "settings": {n: vars(c) for n, c in settings.items()},
            "validation": table,
            "per_split": splits,
            "eligible": eligible,
            "chosen": chosen,
        },
        started=started,
    )
    return 0


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


if __name__ == "__main__":
    raise SystemExit(main())
