"""How the softmax model's hyper-parameters were chosen: one command per measurement.

    python -m benchmarks.tune_softmax --where val '{"hidden": 600}' '{"hidden": 300}'
    python -m benchmarks.tune_softmax --where test3 '{}'

--where val:   fit on 80 % of the seed-0 training part, score its held-out 20 % (validation; the
               seed-0 test pairs are never seen while tuning).
--where test:  fit on the seed-0 training part, score the seed-0 test pairs.
--where test3: the fixed protocol, mean over seeds 0, 1, 2.
Each argument is a JSON dict of SoftmaxConfig overrides of the defaults.

Recorded (NDCG@10; EASE λ=200 on the same validation split: 0.1741, λ=100: 0.1752):
  val, binary in/out, hidden 600, 20 epochs                        0.1827
  val, hidden 200, 40 epochs, input ≥2 listeners (binary)          0.1841
    + log-count input                                              0.1857
    + log-count target                                             0.1902   (no skip)
    80 epochs (binary) 0.1666; 25 epochs 0.1843; hidden 400 0.1810; second tanh layer 200
    0.1726; lr 2e-3 0.1857; batch 64 0.1864; dropout 0.3 0.1867 / 0.65 0.1916; softmax
    over ≥1-listener artists 0.1845 (binary); ≥3 0.1882; weight decay 1e-5 0.1800;
    2 averaged networks 0.1912 (twice the cost)
  + item-item skip (EASE on ≥5-listener artists, weight 5)         0.1967   (default)
    skip weight 2/10/20: 0.1947/0.1954/0.1915; skip λ 100: 0.1957; ≥3 listeners 0.1966;
    epochs 50: 0.1948; dropout 0.65: 0.1966
  test seed 0: default 0.2715, without skip 0.2634 (EASE 0.2405)
  test3 (seeds 0-2): default P@10 0.2056 R@10 0.2099 NDCG@10 0.2676; without skip 0.2589
"""

from __future__ import annotations

import argparse
import json

import torch

from benchmarks.tuning import WHERE, load_interactions, measure, report
from recommenders.models.softmax import SoftmaxConfig, SoftmaxModel


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--where", choices=WHERE, default="val")
    parser.add_argument("configs", nargs="*", default=["{}"])
    args = parser.parse_args()
    torch.set_num_threads(2)
    inter = load_interactions()
    for text in args.configs:
        cfg = SoftmaxConfig(**json.loads(text))
        report(args.where, text, measure(lambda cfg=cfg: SoftmaxModel(cfg), inter, args.where))


if __name__ == "__main__":
    main()
