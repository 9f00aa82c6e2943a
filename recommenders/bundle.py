"""The artifact bundle: files on disk with a manifest of hashes, and the Bundle that serves them.

A bundle is a folder:

    manifest.json                 format version, config, seeds, data hashes, package versions,
                                  metrics, timings, and the SHA-256 of every other file
    catalog.parquet               the artist table (recommenders.catalog)
    interactions.safetensors      the users × artists matrix with its id maps
    exploration/*.parquet         small tables behind the exploration plots
    models/<name>/config.json     each model's settings and learned scalars
    models/<name>/weights.safetensors

Nothing in it is a pickle, and every file's hash is checked before anything is read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from recommenders.catalog import genre_and_tag_labels, read_catalog
from recommenders.errors import BundleError, RecommenderInputError
from recommenders.explain import CoListening, explanation_text
from recommenders.interactions import Interactions
from recommenders.models import MODEL_NAMES, model_class
from recommenders.names import ArtistNames
from recommenders.recommend import check_k, check_penalty, standardise, top_columns

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CATALOG = "catalog.parquet"
INTERACTIONS = "interactions.safetensors"
EXPLORATION = "exploration"
MODELS = "models"
REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
RESULT_COLUMNS = [
    "rank",
    "artist_id",
    "name",
    "score",
    "explanation",
    "listeners",
    "plays",
    "tags",
    "spotify_genres",
    "lastfm_url",
    "spotify_url",
    "image_url",
]


# -- files and hashes --------------------------------------------------------------------------
def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def bundle_files(directory: Path) -> list[str]:
    """Relative POSIX paths of every file in the bundle but the manifest, sorted."""
    directory = Path(directory)
    return sorted(
        p.relative_to(directory).as_posix()
        for p in directory.rglob("*")
        if p.is_file() and p.name != MANIFEST
    )


def write_manifest(directory: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Add the format version and every file's SHA-256 to ``manifest`` and write it."""
    directory = Path(directory)
    manifest = {
        **manifest,
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


def write_bundle_atomically(out: Path, fill: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
    """Build a bundle in a temporary sibling folder and swap it in only when complete.

    ``fill(tmp_dir)`` writes the files and returns the manifest fields; a failure or interruption
    leaves any existing bundle at ``out`` untouched.
    """
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        manifest = write_manifest(tmp, fill(tmp))
        verify_bundle(tmp)
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
        return manifest
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# -- loading -----------------------------------------------------------------------------------
def load_bundle(
    path_or_repo: str | os.PathLike,
    revision: str | None = None,
    models: Iterable[str] | None = None,
) -> Bundle:
    """Load a bundle from a local folder, or download it from a Hub repo id ("user/repo")."""
    path = Path(path_or_repo)
    if path.is_dir():
        if revision is not None:
            raise RecommenderInputError(
                "revision= only applies to Hub repo ids, not local folders."
            )
        return Bundle.from_directory(path, models=models)
    text = str(path_or_repo)
    if REPO_ID.match(text) and not path.exists():
        from recommenders.hub import download_bundle

        return Bundle.from_directory(download_bundle(text, revision=revision), models=models)
    raise BundleError(
        f"{text!r} is neither a bundle folder nor a Hugging Face repo id like 'user/repo'. "
        "Build one with `python build_artifacts.py` or pass a Hub repo id."
    )


class Bundle:
    """A loaded bundle: the catalog, the interactions, the fitted models, and what serves them.

    Public API: ``model_names``, ``catalog``, ``recommend``, ``similar_artists``,
    ``search_artists``, ``user_history``, ``metrics``.
    """

    def __init__(
        self,
        manifest: dict[str, Any],
        catalog: pd.DataFrame,
        interactions: Interactions,
        models: dict[str, Any],
        exploration: dict[str, pd.DataFrame] | None = None,
        path: Path | None = None,
    ) -> None:
        if not np.array_equal(catalog.index.to_numpy(), interactions.artist_ids):
            raise BundleError("catalog and interactions disagree on the artist ids; rebuild.")
        self.manifest = manifest
        self.catalog = catalog
        self.interactions = interactions
        self.models = models
        self.exploration = exploration or {}
        self.path = path
        self.names = ArtistNames(catalog["name"], catalog["listeners"])
        self.colistening = CoListening(interactions.matrix)
        self._popularity_z = standardise(np.log1p(catalog["listeners"].to_numpy(np.float64)))

    @classmethod
    def from_directory(cls, directory: Path, models: Iterable[str] | None = None) -> Bundle:
        """Verify every file's hash, then read the bundle (optionally only some models)."""
        directory = Path(directory)
        manifest = verify_bundle(directory)
        names = list(models) if models is not None else manifest.get("models", MODEL_NAMES)
        try:
            catalog = read_catalog(directory / CATALOG)
            interactions = Interactions.load(directory / INTERACTIONS)
            exploration = {
                Path(name).stem: pd.read_parquet(directory / name)
                for name in manifest["files"]
                if name.startswith(f"{EXPLORATION}/") and name.endswith(".parquet")
            }
        except (OSError, ValueError) as exc:
            raise BundleError(f"Cannot read the bundle in {directory}: {exc}") from exc
        fitted = {name: model_class(name).load(directory / MODELS / name) for name in names}
        return cls(manifest, catalog, interactions, fitted, exploration, path=directory)

    # -- queries ---------------------------------------------------------------------------------
    @property
    def model_names(self) -> list[str]:
        return list(self.models)

    @property
    def metrics(self) -> dict[str, Any]:
        """Offline evaluation results recorded at build time (model → mean/std/runs)."""
        return self.manifest.get("metrics", {})

    def model(self, name: str) -> Any:
        if name not in self.models:
            raise RecommenderInputError(
                f"Unknown model {name!r}: accepted are {', '.join(self.models)}."
            )
        return self.models[name]

    def resolve_artists(self, liked: Iterable[object] | object) -> list[int]:
        """Artist ids for names or ids (see ArtistNames.resolve)."""
        return self.names.resolve(liked)

    def search_artists(self, query: str, limit: int = 20) -> list[str]:
        return self.names.search(query, limit)

    def recommend(
        self,
        model: str,
        liked: Iterable[object] | object | None = None,
        user_id: int | str | None = None,
        k: int = 10,
        tags: str | Iterable[str] | None = None,
        popularity_penalty: float = 0.0,
        exclude: Iterable[object] = (),
    ) -> pd.DataFrame:
        """Top-k artists for new-user picks (``liked``) or an existing Last.fm user (``user_id``).

        ``tags``: keep only artists with one of these Last.fm tags or Spotify genres (applied
        before taking k). ``popularity_penalty`` in [0, 1] favours less mainstream artists.
        ``exclude``: artists (names or ids) never to return, e.g. ones marked "not for me".
        Returns a DataFrame sorted by rank (columns RESULT_COLUMNS).
        """
        recommender = self.model(model)
        k = check_k(k)
        penalty = check_penalty(popularity_penalty)
        if (liked is None) == (user_id is None):
            raise RecommenderInputError(
                "Give exactly one of liked=[artist names or ids] (a new listener) or "
                "user_id=<Last.fm user id> (an existing one)."
            )
        if user_id is not None:
            profile = self.interactions.profile_for_user(user_id)
        else:
            profile = self.interactions.profile_from_artists(self.resolve_artists(liked))
        known = profile.indices
        excluded = list(exclude)
        if excluded:
            known = np.union1d(
                known, self.interactions.artist_columns(self.resolve_artists(excluded))
            )
        allowed = self.filter_columns(tags)
        scores = recommender.score(profile)[0]
        columns, final = top_columns(scores, k, known, allowed, self._popularity_z, penalty)
        return self._result(columns, final, reasons_from=profile.indices)

    def similar_artists(self, model: str, artist: object, k: int = 10) -> pd.DataFrame:
        """The k artists most similar to one artist, by the model's own notion of similarity."""
        recommender = self.model(model)
        k = check_k(k)
        artist_id = self.names.resolve_one(artist)
        column = int(self.interactions.artist_columns([artist_id])[0])
        columns, final = top_columns(recommender.similar(column), k, np.array([column]))
        return self._result(columns, final, reasons_from=np.array([column]))

    def user_history(self, user_id: int | str, limit: int = 50) -> pd.DataFrame:
        """An existing user's artists, most played first (name, plays as log1p → count)."""
        profile = self.interactions.profile_for_user(user_id)
        order = np.argsort(-profile.data, kind="stable")[:limit]
        columns = profile.indices[order]
        table = self.catalog.iloc[columns][["name", "listeners", "tags"]].reset_index()
        table.insert(2, "plays", np.rint(np.expm1(profile.data[order])).astype(np.int64))
        return table

    def filter_columns(self, tags: str | Iterable[str] | None) -> np.ndarray | None:
        """Columns of artists carrying any of ``tags`` (Last.fm tag or Spotify genre)."""
        if tags is None:
            return None
        wanted = [tags] if isinstance(tags, str) else list(tags)
        wanted = [t.strip().casefold() for t in wanted if isinstance(t, str) and t.strip()]
        if not wanted:
            return None
        columns = [self._label_index.get(t) for t in wanted]
        found = [c for c in columns if c is not None]
        if not found:
            raise RecommenderInputError(
                f"No artist has the tag or genre {', '.join(map(repr, wanted))}. Try a common "
                "one such as 'rock', 'electronic', 'hip-hop' or 'indie'."
            )
        return np.unique(np.concatenate(found))

    def known_labels(self, min_artists: int = 5) -> list[str]:
        """Tags/genres carried by at least ``min_artists`` artists, most common first."""
        sizes = {label: len(cols) for label, cols in self._label_index.items()}
        return sorted((t for t, n in sizes.items() if n >= min_artists), key=lambda t: -sizes[t])

    @cached_property
    def _label_index(self) -> dict[str, np.ndarray]:
        """label → sorted catalog columns carrying it (built once, on first filter)."""
        index: dict[str, list[int]] = {}
        for column, labels in enumerate(genre_and_tag_labels(self.catalog)):
            for label in labels:
                index.setdefault(label, []).append(column)
        return {label: np.asarray(cols, dtype=np.int64) for label, cols in index.items()}

    def _result(
        self, columns: np.ndarray, scores: np.ndarray, reasons_from: np.ndarray
    ) -> pd.DataFrame:
        """The result table for ranked columns; built from numpy columns (pandas row selection
        costs more than the whole model on this hot path)."""
        table = {name: values[columns] for name, values in self._columns.items()}
        reasons = self.colistening.best_reasons(np.asarray(reasons_from), columns)
        names = self._columns["name"]
        table["explanation"] = [
            explanation_text(name, None if r is None else (names[r[0]], r[1]), int(listeners))
            for name, r, listeners in zip(table["name"], reasons, table["listeners"], strict=True)
        ]
        table["rank"] = np.arange(1, len(columns) + 1)
        table["score"] = np.asarray(scores, dtype=np.float64)
        return pd.DataFrame(table, columns=RESULT_COLUMNS)

    @cached_property
    def _columns(self) -> dict[str, np.ndarray]:
        """Catalog columns shown in results, as numpy arrays indexed by matrix column."""
        shown = [c for c in RESULT_COLUMNS if c in self.catalog.columns]
        columns = {c: self.catalog[c].to_numpy() for c in shown}
        columns["artist_id"] = self.catalog.index.to_numpy()
        return columns
