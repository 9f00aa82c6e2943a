"""Why new listeners score differently from trained users: the two protocols, taken apart.

    python -m benchmarks.protocol_gap [--seed 0] [--models fusion ease]  # results/protocol_gap.json

The README used to report the *warm* protocol (a random 80/20 split of user–artist pairs: every
scored user was trained on with the rest of their artists); every visitor of the app is a *new*
listener (``recommenders.cold_start``). One step at a time, on the same held-out users:

1. warm: the pair split, all users (what the README reported);
2. trained: the cold-start split's held-out users, but their GIVEN artists are in training (the
   same users and relevant artists as 3; only "was this listener trained on" differs);
3. cold: the cold-start protocol (the given artists are not in training).

Also: how many of a held-out user's given artists the training users never played (a model can
learn nothing about them), by segment; and the genre probe share on the 40 hand-picked genres of
the old benchmark against every genre (≥ 100) with bootstrap intervals over genres.
"""

from __future__ import annotations

import argparse

import numpy as np
import scipy.sparse as sp
import torch

from benchmarks import results
from benchmarks.peers import EASE
from benchmarks.tuning import ROOT
from recommenders import probes as probe_sets
from recommenders.cold_start import cold_start_split, per_user_metrics, segments
from recommenders.evaluation import evaluate_scorer, split_interactions, tags_by_column
from recommenders.interactions import Interactions
from recommenders.models import model_class
from recommenders.pipeline import BuildConfig, process_data
from recommenders.ranking import top_k
from recommenders.taste import training_listeners

OLD_GENRES = (
    "electronic", "pop", "hip-hop", "classic rock", "dance", "punk", "ambient", "new wave",
    "rnb", "post-hardcore", "metalcore", "progressive rock", "country", "hard rock", "folk",
    "experimental", "idm", "jazz", "heavy metal", "soul", "power metal", "industrial",
    "trip-hop", "pop punk", "melodic death metal", "thrash metal", "gothic metal", "ebm",
    "blues", "death metal", "mpb", "black metal", "post-rock", "britpop", "post-punk",
    "classical", "reggae", "grunge", "shoegaze", "k-pop",
)  # fmt: skip


def make(name: str, seed: int, train: Interactions, tags):
    if name == "ease":
        return EASE(100.0).fit(train)
    return model_class(name)(BuildConfig(seed=seed).model_config(name)).fit(train, artist_tags=tags)


def held_out_scores(model, split, k: int = 10) -> dict[str, np.ndarray]:
    given = split.given_flat()
    tops = [
        top_k(model.score(given[i : i + 256]), k, exclude=given[i : i + 256])
        for i in range(0, given.shape[0], 256)
    ]
    return per_user_metrics(np.vstack(tops), split, k)


def summary(values: dict[str, np.ndarray], segment: np.ndarray) -> dict[str, float]:
    niche = segment == "niche"
    return {
        "ndcg": float(values["ndcg"].mean()),
        "ndcg_niche": float(values["ndcg"][niche].mean()),
        "popularity_lift_niche": float(np.nanmedian(values["popularity_lift"][niche])),
    }


def unseen_given(split) -> dict[str, float]:
    """Share of the held-out users' given artists with no training listener, by segment."""
    listeners = training_listeners(split.train.matrix)
    segment = segments(split)
    given = split.given
    shares = np.array(
        [
            np.mean(listeners[given.indices[given.indptr[r] : given.indptr[r + 1]]] == 0)
            for r in range(given.shape[0])
        ]
    )
    return {s: float(shares[segment == s].mean()) for s in ("niche", "middle", "mainstream")}


def genre_bootstrap(shares: np.ndarray, n: int = 1000) -> list[float]:
    rng = np.random.default_rng(0)
    draws = [shares[rng.integers(0, len(shares), len(shares))].mean() for _ in range(n)]
    return [float(x) for x in np.percentile(draws, [2.5, 97.5])]


def probe_spread(model, train: Interactions, catalog) -> dict:
    """Single-artist probe share on the old 40 genres and on every genre (scorer level)."""
    probes = probe_sets.genre_probes(catalog, "test")
    shares = []
    for probe in probes:
        profile = train.profile_from_artists(list(probe.artist_ids))
        top = top_k(model.score(profile), 10, exclude=profile)[0]
        shares.append(probe_sets.tag_share(train.artist_ids[top[top >= 0]], probe, catalog))
    shares = np.array(shares)
    old = np.array([p.genre in OLD_GENRES for p in probes])
    chosen = {"all_genres": np.ones(len(probes), bool), "old_40": old, "other_genres": ~old}
    return {
        label: {
            "n": int(m.sum()),
            "mean": float(shares[m].mean()),
            "ci": genre_bootstrap(shares[m]),
        }
        for label, m in chosen.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--models", nargs="+", default=["fusion", "ease"])
    args = parser.parse_args(argv)
    started = results.machine()
    torch.set_num_threads(2)
    processed = process_data(ROOT / "data", spotify_live=False)
    inter, catalog = processed.interactions, processed.catalog
    tags = tags_by_column(catalog, inter.artist_ids)
    split = cold_start_split(inter, seed=args.seed)
    segment = segments(split)
    trained = Interactions(
        sp.vstack([split.train.matrix, split.given]).tocsr(),
        np.concatenate([split.train.user_ids, split.user_ids]),
        split.train.artist_ids,
    )
    warm_split = split_interactions(inter, seed=args.seed)
    out: dict = {"seed": args.seed, "unseen_given_artists": unseen_given(split), "models": {}}
    for name in args.models:
        warm = evaluate_scorer(make(name, args.seed, warm_split.train, tags).score, warm_split)
        row = {
            "warm": {key: warm[key] for key in ("ndcg", "ndcg_niche", "popularity_lift_niche")},
            "trained": summary(
                held_out_scores(make(name, args.seed, trained, tags), split), segment
            ),
        }
        cold_model = make(name, args.seed, split.train, tags)
        row["cold"] = summary(held_out_scores(cold_model, split), segment)
        row["probes"] = probe_spread(cold_model, split.train, catalog)
        out["models"][name] = row
        print(name, row, flush=True)
    results.record("protocol_gap", out, started=started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def readme_table() -> str:
    """The decomposition table and the probe spread, from the committed result."""
    found = results.load("protocol_gap")
    lines = [
        "| model | protocol | NDCG@10 | NDCG niche | niche popularity lift |",
        "|---|---|---|---|---|",
    ]
    steps = {"warm": "trained users, pair split (the old headline)",
             "trained": "held-out users, their given artists trained on",
             "cold": "held-out users, new listeners (the app)"}  # fmt: skip
    for model, row in found["models"].items():
        for step, text in steps.items():
            r = row[step]
            lines.append(f"| {model} | {text} | {r['ndcg']:.4f} | {r['ndcg_niche']:.4f} | "
                         f"{r['popularity_lift_niche']:.2f} |")  # fmt: skip
    unseen = found["unseen_given_artists"]
    lines += [
        "",
        "Given artists that no training user played (a model knows nothing of them): "
        + ", ".join(f"{s} {v:.0%}" for s, v in unseen.items())
        + f" (seed {found['seed']}).",
        "",
        "| model | genre probe share: the old 40 genres | the other genres | all |",
        "|---|---|---|---|",
    ]
    for model, row in found["models"].items():
        p = row["probes"]
        cells = [
            f"{p[g]['mean']:.3f} ({p[g]['ci'][0]:.3f}–{p[g]['ci'][1]:.3f}, n={p[g]['n']})"
            for g in ("old_40", "other_genres", "all_genres")
        ]
        lines.append(f"| {model} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
