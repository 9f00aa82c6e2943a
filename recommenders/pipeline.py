"""The build: raw data → enrichment → catalog → fit every model → evaluate → bundle.

``build_artifacts.py`` is a thin command line over ``build``; tests call it directly.
"""

from __future__ import annotations

import dataclasses
import logging
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from recommenders.artifacts import MANIFEST, BundleContents, write_bundle
from recommenders.catalog import build_catalog, top_tags
from recommenders.data import LastfmData, file_sha256, load_dataset
from recommenders.evaluation import evaluate_model, tags_by_column
from recommenders.interactions import Interactions
from recommenders.models import DEFAULT_MODEL_ORDER, MODEL_NAMES, model_class
from recommenders.models.base import ModelConfig

log = logging.getLogger(__name__)

PACKAGES = [
    "numpy", "pandas", "scipy", "scikit-learn", "scikit-surprise", "torch", "safetensors",
    "pyarrow", "rapidfuzz", "spotipy", "huggingface-hub", "gradio",
]  # fmt: skip


@dataclass
class BuildConfig:
    """Everything that decides what a build produces; written into the manifest."""

    seed: int = 0
    fast: bool = False
    evaluate: bool = True
    eval_seeds: tuple[int, ...] = (0, 1, 2)
    k: int = 10
    models: tuple[str, ...] = tuple(MODEL_NAMES)
    spotify_live: bool | None = None

    def model_config(self, name: str) -> ModelConfig:
        """The model's config: fast() settings in fast mode, with the build seed."""
        config_class = model_class(name).Config
        return (config_class.fast() if self.fast else config_class()).with_seed(self.seed)


@dataclass
class Processed:
    """The processed data the bundle is made of."""

    data: LastfmData
    catalog: pd.DataFrame
    interactions: Interactions
    exploration: dict[str, pd.DataFrame]
    spotify_coverage: dict[str, Any]


Progress = Callable[[str], None]


def process_data(
    data_dir: Path, cache_dir: Path | None = None, spotify_live: bool | None = None
) -> Processed:
    """Load + validate the raw files, enrich with Spotify, build the catalog and the matrix."""
    from recommenders.exploration import exploration_tables
    from recommenders.spotify import coverage, enrich

    data = load_dataset(data_dir)
    names = data.artists.set_index("artist_id")["name"]
    spotify = enrich(names, data_dir, cache_dir=cache_dir, live=spotify_live, tags=top_tags(data))
    catalog = build_catalog(data, spotify)
    interactions = Interactions.from_user_artists(data.user_artists, catalog.index)
    return Processed(
        data=data,
        catalog=catalog,
        interactions=interactions,
        exploration=exploration_tables(data),
        spotify_coverage=coverage(spotify, data.user_artists),
    )


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def build(
    config: BuildConfig,
    data_dir: Path,
    out: Path,
    cache_dir: Path | None = None,
    stage: Callable[[str, int], Any] | None = None,
) -> dict[str, Any]:
    """Run the whole build and write the bundle to ``out`` atomically; returns the manifest.

    ``stage(description, total)`` returns a progress object with ``update()`` (e.g. a tqdm bar);
    by default progress is only logged.
    """
    stage = stage or _log_stage
    timings: dict[str, float] = {}
    started = time.perf_counter()

    bar = stage("data: load, validate, enrich, catalog", 1)
    t = time.perf_counter()
    processed = process_data(data_dir, cache_dir, config.spotify_live)
    timings["data"] = time.perf_counter() - t
    bar.update()

    metrics: dict[str, Any] = {}
    if config.evaluate:
        seeds = config.eval_seeds[:1] if config.fast else config.eval_seeds
        bar = stage(
            f"evaluate: {len(config.models)} models × {len(seeds)} seeds", len(config.models)
        )
        per_seed: dict[str, list] = {}  # fitted models other models reuse, one per seed
        reused = {r for name in config.models for r in model_class(name).reuses}
        for name in config.models:
            t = time.perf_counter()
            per_seed[name] = []
            metrics[name] = evaluate_model(
                _maker(name, config.model_config(name), per_seed),
                processed.interactions,
                seeds=seeds,
                k=config.k,
                catalog=processed.catalog,
                keep=per_seed[name] if name in reused else None,
            )
            timings[f"evaluate_{name}"] = time.perf_counter() - t
            bar.update()

    fitted = {}
    artist_tags = tags_by_column(processed.catalog, processed.interactions.artist_ids)
    bar = stage("fit on all data", len(config.models))
    for name in config.models:
        t = time.perf_counter()
        fitted[name] = _new_model(name, config.model_config(name), fitted)
        fitted[name].fit(processed.interactions, artist_tags=artist_tags)
        timings[f"fit_{name}"] = time.perf_counter() - t
        bar.update()

    timings["total"] = time.perf_counter() - started
    contents = BundleContents(
        catalog=processed.catalog,
        interactions=processed.interactions,
        models=fitted,
        exploration=processed.exploration,
        manifest={
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "config": _jsonable(config),
            "model_configs": {n: dataclasses.asdict(m.config) for n, m in fitted.items()},
            "seed": config.seed,
            "default_model": next((m for m in DEFAULT_MODEL_ORDER if m in fitted), None),
            "data_hashes": file_sha256(data_dir),
            "package_versions": package_versions(),
            "spotify_coverage": processed.spotify_coverage,
            "metrics": metrics,
            "timings": {k: round(v, 3) for k, v in timings.items()},
        },
    )
    bar = stage("write bundle", 1)
    manifest = write_bundle(out, contents)
    bar.update()
    return manifest


def _new_model(name: str, model_config: ModelConfig, fitted: dict[str, Any]) -> Any:
    """An unfitted model, handed the already fitted models it reuses (if any)."""
    cls = model_class(name)
    given = {r: fitted[r] for r in cls.reuses if r in fitted}
    return cls(model_config, prefitted=given) if given else cls(model_config)


def _maker(name: str, model_config: ModelConfig, per_seed: dict[str, list]) -> Any:
    """make_model for evaluate_model: each call takes the next seed's reused fits, in order."""
    queues = {r: iter(per_seed[r]) for r in model_class(name).reuses if per_seed.get(r)}
    return lambda: _new_model(name, model_config, {r: next(q) for r, q in queues.items()})


FULL_BUILD_MINUTES = "10–15"  # full models, no evaluation, 2 CPU cores (benchmarks/first_start.py)


def build_if_missing(
    out: Path, data_dir: Path, say: Callable[[str], Any] = print, fast: bool = False
) -> Path:
    """``out`` if it holds a bundle, else build one there (a fresh clone's ``python app.py``):
    the full models with evaluation skipped, or the small test settings when ``fast``.
    ``say`` tells the person waiting what is happening, how long it takes and where it goes."""
    out = Path(out)
    if (out / MANIFEST).is_file():
        return out
    if fast:
        config = BuildConfig(fast=True)
        say(
            f"No bundle found: building the small test bundle (--fast settings, lower quality "
            f"than the full models; a few minutes) into {out} ..."
        )
    else:
        config = BuildConfig(evaluate=False)
        say(
            f"No bundle found: building the full models once (evaluation skipped; about "
            f"{FULL_BUILD_MINUTES} minutes on 2 CPU cores) into {out}. Later starts load it "
            "from there."
        )

    class Stage:
        def __init__(self, description: str, total: int) -> None:
            say(f"  {description} ...")

        def update(self, n: int = 1) -> None:
            pass

    started = time.perf_counter()
    build(config, data_dir, out, stage=Stage)
    say(f"Bundle written to {out} in {(time.perf_counter() - started) / 60:.1f} minutes.")
    return out


def _jsonable(config: BuildConfig) -> dict[str, Any]:
    values = dataclasses.asdict(config)
    values["eval_seeds"] = list(config.eval_seeds)
    values["models"] = list(config.models)
    return values


class _LogStage:
    def __init__(self, description: str) -> None:
        self.description = description
        log.info("%s ...", description)

    def update(self, n: int = 1) -> None:
        log.debug("%s: +%d", self.description, n)


def _log_stage(description: str, total: int) -> _LogStage:
    return _LogStage(description)
