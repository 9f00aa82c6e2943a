"""One module per model; this registry maps model names to their classes, imported lazily
(torch and surprise are slow to import and only some callers need them)."""

from __future__ import annotations

from importlib import import_module

from recommenders.errors import RecommenderInputError

MODEL_CLASSES = {
    "popularity": "recommenders.models.popularity:PopularityModel",
    "clustering": "recommenders.models.clustering:ClusteringModel",
    "svd": "recommenders.models.svd:SVDModel",
    "softmax": "recommenders.models.softmax:SoftmaxModel",
    "fusion": "recommenders.models.fusion:FusionModel",
}
MODEL_NAMES = list(MODEL_CLASSES)
# The model the app's main flow serves: the first of these a bundle holds.
DEFAULT_MODEL_ORDER = ("fusion", "softmax", "svd", "clustering", "popularity")


def model_class(name: str) -> type:
    """The Recommender subclass registered under ``name``."""
    if name not in MODEL_CLASSES:
        raise RecommenderInputError(
            f"Unknown model {name!r}: accepted are {', '.join(MODEL_NAMES)}."
        )
    module_name, class_name = MODEL_CLASSES[name].split(":")
    return getattr(import_module(module_name), class_name)
