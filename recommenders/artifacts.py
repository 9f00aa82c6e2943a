"""The bundle's on-disk format: layout, manifest, SHA-256 checks, atomic write, format version.

A bundle is a folder:

    manifest.json                 format version, config, seeds, data hashes, package versions,
                                  metrics, timings, and the SHA-256 of every other file
    catalog.parquet               the artist table (recommenders.catalog)
    interactions.safetensors      the users × artists matrix with its id maps
    exploration/*.parquet         small tables behind the exploration plots
    models/<name>/config.json     each model's settings and learned scalars
    models/<name>/weights.safetensors

Nothing in it is a pickle, and every file's hash is checked before anything is read. The layout
is written (``write_bundle``, by the pipeline) and read (``read_bundle``, by the Bundle and so
the hub's downloads) here and nowhere else.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from recommenders.catalog import read_catalog
from recommenders.errors import BundleError
from recommenders.interactions import Interactions
from recommenders.lazy import LazyMapping
from recommenders.models import MODEL_NAMES, model_class
from recommenders.models.base import Recommender
from recommenders.storage import sha256_file

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CATALOG = "catalog.parquet"
INTERACTIONS = "interactions.safetensors"
EXPLORATION = "exploration"
MODELS = "models"


@dataclass
class BundleContents:
    """What a bundle holds, in memory: the writer's input and the reader's output."""

    catalog: pd.DataFrame
    interactions: Interactions
    models: Mapping[str, Recommender]
    exploration: dict[str, pd.DataFrame] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)


# -- manifest and hashes -----------------------------------------------------------------------
def bundle_files(directory: Path) -> list[str]:
    """Relative POSIX paths of every file in the bundle but the manifest, sorted."""
    directory = Path(directory)
    return sorted(
        p.relative_to(directory).as_posix()
        for p in directory.rglob("*")
        if p.is_file() and p.name != MANIFEST
    )


def write_manifest(directory: Path, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Add the format version and every file's SHA-256 to ``fields`` and write the manifest."""
    directory = Path(directory)
    manifest = {
        **fields,
        "format_version": FORMAT_VERSION,
        "files": {name: sha256_file(directory / name) for name in bundle_files(directory)},
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str))
    return manifest


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest, after checking the format version (not the file hashes)."""
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise BundleError(f"{path} is missing: {directory} is not an artifact bundle.")
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise BundleError(f"{path} is not valid JSON ({exc}); rebuild or re-download it.") from exc
    version = manifest.get("format_version") if isinstance(manifest, dict) else None
    if version != FORMAT_VERSION:
        raise BundleError(
            f"{path} has bundle format version {version!r}; this code reads version "
            f"{FORMAT_VERSION} only. Rebuild the bundle with build_artifacts.py or upgrade."
        )
    if not isinstance(manifest.get("files"), dict):
        raise BundleError(f"{path} lists no files; rebuild the bundle.")
    return manifest


def verify_bundle(directory: Path, files: Iterable[str] | None = None) -> dict[str, Any]:
    """Check the manifest and the SHA-256 of ``files`` (default: all listed) before any read."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    listed = manifest["files"]
    for name in files if files is not None else listed:
        if name not in listed:
            raise BundleError(
                f"{directory / name} is not listed in {MANIFEST}; rebuild the bundle."
            )
        path = directory / name
        if not path.is_file():
            raise BundleError(f"{path} is missing from the bundle.")
        if sha256_file(path) != listed[name]:
            raise BundleError(
                f"{path} does not match the SHA-256 in {MANIFEST}: the file is truncated or was "
                "modified. Rebuild or re-download the bundle."
            )
    return manifest


# -- write -------------------------------------------------------------------------------------
def write_bundle(out: Path, contents: BundleContents) -> dict[str, Any]:
    """Write ``contents`` as a bundle at ``out`` atomically; returns the manifest written.

    ``contents.manifest`` holds the build's own fields (config, metrics, timings, ...); the
    format version and file hashes are added here.
    """

    def fill(directory: Path) -> dict[str, Any]:
        contents.catalog.to_parquet(directory / CATALOG)
        contents.interactions.save(directory / INTERACTIONS)
        (directory / EXPLORATION).mkdir()
        for name, table in contents.exploration.items():
            table.to_parquet(directory / EXPLORATION / f"{name}.parquet", index=False)
        for name, model in contents.models.items():
            model.save(directory / MODELS / name)
        return {**contents.manifest, "models": list(contents.models)}

    return write_atomically(out, fill)


def write_atomically(out: Path, fill: Callable[[Path], Mapping[str, Any]]) -> dict[str, Any]:
    """Build a bundle in a temporary sibling folder and swap it in only when complete.

    ``fill(tmp_dir)`` writes the files and returns the manifest fields; a failure or interruption
    leaves any existing bundle at ``out`` untouched. The swap is two renames (old bundle aside,
    new one in); if the second fails, the old bundle is renamed back before the error goes on.
    """
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        manifest = write_manifest(tmp, fill(tmp))
        verify_bundle(tmp)
        _swap_in(tmp, out)
        return manifest
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _swap_in(new: Path, out: Path) -> None:
    """Rename ``new`` to ``out``; an existing ``out`` is deleted only once ``new`` is in place."""
    if not out.exists():
        os.replace(new, out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.replace(out, old)
    try:
        os.replace(new, out)
    except BaseException:
        os.replace(old, out)  # the previous bundle back where it was
        raise
    shutil.rmtree(old, ignore_errors=True)


# -- read --------------------------------------------------------------------------------------
def read_bundle(directory: Path, models: Iterable[str] | None = None) -> BundleContents:
    """Verify every file's hash, then read the bundle (optionally only some models)."""
    directory = Path(directory)
    manifest = verify_bundle(directory)
    names = list(models) if models is not None else manifest.get("models", MODEL_NAMES)
    missing = [n for n in names if n not in manifest.get("models", names)]
    if missing:
        raise BundleError(
            f"The bundle in {directory} has no model {', '.join(map(repr, missing))}; it holds "
            f"{', '.join(manifest.get('models', []))}."
        )
    try:
        catalog = read_catalog(directory / CATALOG)
        interactions = Interactions.load(directory / INTERACTIONS)
        exploration = {
            Path(name).stem: pd.read_parquet(directory / name)
            for name in manifest["files"]
            if name.startswith(f"{EXPLORATION}/") and name.endswith(".parquet")
        }
    except (OSError, ValueError, KeyError) as exc:
        raise BundleError(f"Cannot read the bundle in {directory}: {exc}") from exc
    # Each model is read from its verified files when first used (Bundle.warm_up reads them all
    # once the app answers): a start-up reads only what the first page needs.
    fitted = LazyMapping(
        {name: partial(model_class(name).load, directory / MODELS / name) for name in names}
    )
    return BundleContents(catalog, interactions, fitted, exploration, manifest)
