"""Two builds with the same seed give the same metrics, the same top-10 lists and the same model
files (every tensor of every weights.safetensors, every config.json); another seed is caught."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file

import recommenders
from recommenders.models import MODEL_NAMES
from recommenders.pipeline import BuildConfig, build

pytestmark = pytest.mark.slow

INPUTS = [
    {"liked": ["Radiohead", "Muse"]},
    {"liked": ["Britney Spears"]},
    {"liked": ["Metallica", "Iron Maiden", "Slayer"]},
    {"user_id": 2},
    {"user_id": 1001},
]
# Threaded float maths (BLAS, torch) may reorder sums; metrics agree to this absolute tolerance,
# model weights to these (another seed moves them by 1e-2 and more).
METRIC_TOLERANCE = 1e-6
WEIGHT_RTOL, WEIGHT_ATOL = 1e-5, 1e-6
SEEDED_MODELS = ["popularity", "clustering", "svd"]  # quick to fit; popularity has no seed


@pytest.fixture(scope="module")
def second_build(data_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("again") / "artifacts"
    build(BuildConfig(fast=True), data_dir, out, cache_dir=out.parent / "cache")
    return recommenders.load(out)


def test_same_seed_same_metrics(fast_bundle, second_build):
    first, second = fast_bundle.metrics, second_build.metrics
    assert set(first) == set(second) == set(MODEL_NAMES)
    for model in MODEL_NAMES:
        for metric in ("precision", "recall", "ndcg", "map", "coverage", "novelty"):
            assert first[model]["mean"][metric] == pytest.approx(
                second[model]["mean"][metric], abs=METRIC_TOLERANCE
            ), (model, metric)


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_same_seed_same_top_10(fast_bundle, second_build, model):
    for query in INPUTS:
        a = fast_bundle.recommend(model, k=10, **query)["artist_id"].tolist()
        b = second_build.recommend(model, k=10, **query)["artist_id"].tolist()
        assert a == b, (model, query)


@pytest.fixture(scope="module")
def other_seed_dir(data_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed1") / "artifacts"
    config = BuildConfig(fast=True, seed=1, evaluate=False, models=tuple(SEEDED_MODELS))
    build(config, data_dir, out, cache_dir=out.parent / "cache")
    return out


def model_differences(a: Path, b: Path, models: list[str]) -> list[str]:
    """What differs between the models' files of bundles ``a`` and ``b``: a config.json, a
    tensor of weights.safetensors beyond float rounding (NaN equals NaN), a missing tensor."""
    found = []
    for model in models:
        config = f"models/{model}/config.json"
        if json.loads((a / config).read_text()) != json.loads((b / config).read_text()):
            found.append(config)
        weights = f"models/{model}/weights.safetensors"
        mine, theirs = load_file(a / weights), load_file(b / weights)
        found += [
            f"{weights}: {name}"
            for name in sorted(set(mine) | set(theirs))
            if not same_tensor(mine.get(name), theirs.get(name))
        ]
    return found


def same_tensor(x: np.ndarray | None, y: np.ndarray | None) -> bool:
    if x is None or y is None or x.shape != y.shape or x.dtype != y.dtype:
        return False
    return bool(np.allclose(x, y, rtol=WEIGHT_RTOL, atol=WEIGHT_ATOL, equal_nan=True))


def test_same_seed_same_model_files(fast_bundle, second_build):
    files_a, files_b = fast_bundle.manifest["files"], second_build.manifest["files"]
    assert files_a.keys() == files_b.keys()
    # Data tables are byte-identical; model weights may differ only in float rounding.
    assert files_a["catalog.parquet"] == files_b["catalog.parquet"]
    assert files_a["interactions.safetensors"] == files_b["interactions.safetensors"]
    assert model_differences(fast_bundle.path, second_build.path, MODEL_NAMES) == []


def test_another_seed_is_caught_in_the_model_files(fast_bundle, other_seed_dir):
    found = model_differences(fast_bundle.path, other_seed_dir, SEEDED_MODELS)
    assert {f"models/{m}/config.json" for m in SEEDED_MODELS} <= set(found)  # the seed itself
    weights = {f.split("/")[1] for f in found if "weights.safetensors: " in f}
    assert weights == {"clustering", "svd"}  # learned from a seeded start; popularity is not
    assert "models/svd/weights.safetensors: qi" in found
