"""How the softmax model's hyper-parameters were chosen: one command per measurement.

    python -m benchmarks.tune_softmax --where val '{"hidden": 600}' '{"hidden": 300}'
    python -m benchmarks.tune_softmax --where test3 '{}'

--where val:   fit on 80 % of the seed-0 training part, score its held-out 20 % (validation; the
               seed-0 test pairs are never seen while tuning).
--where test:  fit on the seed-0 training part, score the seed-0 test pairs.
--where test3: the fixed protocol, mean over seeds 0, 1, 2.
Each argument is a JSON dict of SoftmaxConfig overrides of the defaults.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd
import torch

from recommenders.evaluation import evaluate_model, evaluate_scorer, split_interactions
from recommenders.interactions import Interactions
from recommenders.models.softmax import SoftmaxConfig, SoftmaxModel


def load_interactions(data_dir: Path = Path("data")) -> Interactions:
    ua = pd.read_csv(data_dir / "hetrec2011-lastfm-2k/user_artists.dat", sep="\t").rename(
        columns={"userID": "user_id", "artistID": "artist_id"}
    )
    return Interactions.from_user_artists(ua)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--where", choices=["val", "test", "test3"], default="val")
    parser.add_argument("configs", nargs="*", default=["{}"])
    args = parser.parse_args()
    torch.set_num_threads(2)
    inter = load_interactions()
    for text in args.configs:
        cfg = SoftmaxConfig(**json.loads(text))
        if args.where == "test3":
            res = evaluate_model(lambda cfg=cfg: SoftmaxModel(cfg), inter, seeds=(0, 1, 2))
            m = res["mean"]
        else:
            split = split_interactions(inter, seed=0)
            if args.where == "val":
                split = split_interactions(split.train, seed=100)
            start = time.perf_counter()
            model = SoftmaxModel(cfg).fit(split.train)
            fit = time.perf_counter() - start
            m = evaluate_scorer(model.score, split)
            m["fit_seconds"] = fit
        print(
            f"{args.where} {text}: P@10 {m['precision']:.4f} R@10 {m['recall']:.4f} "
            f"NDCG@10 {m['ndcg']:.4f} cov {m['coverage']:.3f} fit {m['fit_seconds']:.1f}s",
            flush=True,
        )


if __name__ == "__main__":
    main()
