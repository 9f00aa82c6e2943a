"""A loaded bundle reads each model from its verified files on first use (start-up reads only
what the first page needs), and listing or checking the models reads none."""

from __future__ import annotations

from recommenders.lazy import LazyMapping


def test_values_are_built_on_first_lookup_only_and_once():
    built: list[str] = []

    def make(name: str):
        return lambda: built.append(name) or name.upper()

    models = LazyMapping({"svd": make("svd"), "fusion": make("fusion")})
    assert list(models) == ["svd", "fusion"] and len(models) == 2
    assert "svd" in models and "ease" not in models
    assert built == []  # listing and `in` read nothing
    assert models["svd"] == "SVD" and models["svd"] == "SVD"
    assert built == ["svd"]


def test_a_bundle_serves_after_warm_up_with_every_model_read(fast_bundle_dir):
    import recommenders

    bundle = recommenders.load(fast_bundle_dir)
    assert bundle.default_model in bundle.model_names
    lazy = bundle._models
    assert not any(lazy._values[name]._build is None for name in lazy)  # none read yet
    bundle.warm_up()
    assert all(lazy._values[name]._build is None for name in lazy)
    assert len(bundle.recommend(bundle.default_model, liked=["Radiohead"], k=5)) == 5
