"""Do play counts help a new listener? NDCG@10 for held-out users with and without their counts.

    python -m benchmarks.cold_start [--seeds 0 1 2] [--models fusion softmax svd ...] [--fast]

Protocol: 20 % of the users are held out and every model is fitted on the others. Each held-out
user gives 80 % of their artists (at least one), as a new listener would; the other 20 % are the
relevant items. The same given artists are ranked twice: *with counts*, each artist weighted by
log1p(plays) as in training (what `liked={name: plays}` and an uploaded history do), and
*without*, every artist at the typical weight (what a plain list does). Mean over seeds.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.sparse as sp
import torch

from benchmarks.tuning import load_interactions
from recommenders.evaluation import per_user_ranking_metrics
from recommenders.interactions import Interactions
from recommenders.models import MODEL_NAMES, model_class
from recommenders.ranking import top_k

HELD_OUT_USERS = 0.2
GIVEN_SHARE = 0.8


def cold_start_split(inter: Interactions, seed: int):
    """(training interactions, given-with-counts rows, given-flat rows, relevant rows)."""
    rng = np.random.default_rng(seed)
    n_users = inter.n_users
    held = np.zeros(n_users, dtype=bool)
    held[rng.choice(n_users, int(HELD_OUT_USERS * n_users), replace=False)] = True
    matrix = inter.matrix.tocsr()
    train = Interactions(matrix[~held], inter.user_ids[~held], inter.artist_ids)
    given_rows, flat_rows, relevant_rows = [], [], []
    for row in np.flatnonzero(held):
        columns = matrix[row].indices
        values = matrix[row].data
        if len(columns) < 2:
            continue
        order = rng.permutation(len(columns))
        n_given = max(1, round(GIVEN_SHARE * len(columns)))
        given, relevant = order[:n_given], order[n_given:]
        if len(relevant) == 0:
            continue
        given_rows.append((columns[given], values[given]))
        flat_rows.append((columns[given], np.full(n_given, train.typical_value)))
        relevant_rows.append((columns[relevant], np.ones(len(relevant))))
    shape = (len(given_rows), inter.n_artists)
    return train, *(_rows(r, shape) for r in (given_rows, flat_rows, relevant_rows))


def _rows(rows: list[tuple[np.ndarray, np.ndarray]], shape: tuple[int, int]) -> sp.csr_matrix:
    indptr = np.cumsum([0, *(len(c) for c, _v in rows)])
    indices = np.concatenate([c for c, _v in rows])
    data = np.concatenate([v for _c, v in rows]).astype(np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=shape)


def ndcg(model, profiles: sp.csr_matrix, relevant: sp.csr_matrix, k: int = 10) -> float:
    tops = [
        top_k(model.score(profiles[i : i + 256]), k, exclude=profiles[i : i + 256])
        for i in range(0, profiles.shape[0], 256)
    ]
    _, per_user = per_user_ranking_metrics(np.vstack(tops), relevant, k)
    return float(per_user["ndcg"].mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--models", nargs="+", default=list(MODEL_NAMES))
    parser.add_argument("--fast", action="store_true", help="the models' fast() settings")
    args = parser.parse_args()
    torch.set_num_threads(2)
    inter = load_interactions()
    results: dict[str, list[tuple[float, float]]] = {m: [] for m in args.models}
    for seed in args.seeds:
        train, weighted, flat, relevant = cold_start_split(inter, seed)
        for name in args.models:
            config_class = model_class(name).Config
            config = (config_class.fast() if args.fast else config_class()).with_seed(seed)
            started = time.perf_counter()
            model = model_class(name)(config).fit(train)
            with_counts, without = ndcg(model, weighted, relevant), ndcg(model, flat, relevant)
            results[name].append((with_counts, without))
            print(
                f"seed {seed} {name}: with counts {with_counts:.4f}, without {without:.4f} "
                f"({time.perf_counter() - started:.0f} s, {weighted.shape[0]} users)",
                flush=True,
            )
    print(f"\n| model | NDCG@10 with play counts | without | change |  (seeds {args.seeds})")
    print("|---|---|---|---|")
    for name, runs in results.items():
        with_counts, without = np.mean(runs, axis=0)
        print(f"| {name} | {with_counts:.4f} | {without:.4f} | {with_counts - without:+.4f} |")


if __name__ == "__main__":
    main()
