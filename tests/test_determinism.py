"""Two builds with the same seed give the same metrics and the same top-10 lists."""

from __future__ import annotations

import pytest

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
# Threaded float maths (BLAS, torch) may reorder sums; metrics agree to this absolute tolerance.
METRIC_TOLERANCE = 1e-6


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


def test_same_seed_same_model_files(fast_bundle, second_build):
    files_a, files_b = fast_bundle.manifest["files"], second_build.manifest["files"]
    same = [name for name in files_a if files_a[name] == files_b.get(name)]
    # Data tables are byte-identical; model weights may differ only in float rounding.
    assert "catalog.parquet" in same and "interactions.safetensors" in same
