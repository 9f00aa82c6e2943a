"""Where a bundle comes from: a folder or a Hub repo id, and for the app, which one to use.

``recommenders.load`` is this module's ``load``. ``app_bundle_source`` is the one place that
decides which bundle the app serves: the --artifacts argument, else ./artifacts/, else the Hub
repo in RECOMMENDERS_HUB_REPO, else none: then the app builds one, the full models by default,
the small test bundle only when asked (``fast_requested``), into ``app_build_dir``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from recommenders.artifacts import MANIFEST
from recommenders.bundle import Bundle
from recommenders.errors import BundleError, RecommenderInputError

HUB_REPO_ENV = "RECOMMENDERS_HUB_REPO"
HUB_REVISION_ENV = "RECOMMENDERS_HUB_REVISION"
FAST_ENV = "RECOMMENDERS_FAST"  # "1": the app builds the small test bundle, not the full models
SPACE_STORAGE = Path("/data")  # a Space's persistent storage, mounted there when it has some
SPACE_ENV = "SPACE_ID"  # set by Hugging Face on a Space ("user/space")
YES, NO = ("1", "true", "yes"), ("", "0", "false", "no")


def load(
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
    if not path.exists() and str(path_or_repo).count("/") == 1:
        from recommenders.hub import download_bundle  # huggingface_hub only when needed

        return Bundle.from_directory(download_bundle(str(path_or_repo), revision), models=models)
    raise BundleError(
        f"{str(path_or_repo)!r} is neither a bundle folder nor a Hugging Face repo id like "
        "'user/repo'. Build one with `python build_artifacts.py` or pass a Hub repo id."
    )


def app_bundle_source(
    explicit: str | None, default_dir: Path, environ: Mapping[str, str] | None = None
) -> tuple[str, str | None] | None:
    """(folder or repo id, revision) the app should load, or None when there is no bundle yet.

    Order: ``explicit`` (the --artifacts argument), then ``default_dir`` when it holds a
    bundle, then RECOMMENDERS_HUB_REPO (with RECOMMENDERS_HUB_REVISION), set on a Space.
    """
    if explicit:
        return explicit, None
    if (Path(default_dir) / MANIFEST).is_file():
        return str(default_dir), None
    environ = os.environ if environ is None else environ
    repo = environ.get(HUB_REPO_ENV, "").strip()
    if not repo:
        return None
    from recommenders.hub import check_repo_id

    revision = environ.get(HUB_REVISION_ENV, "").strip() or None
    return check_repo_id(repo, source=f"repo id in ${HUB_REPO_ENV}"), revision


def fast_requested(flag: bool = False, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the app should build the small --fast test bundle: the --fast flag, or
    RECOMMENDERS_FAST=1 (a Space has no command line). The full models otherwise."""
    environ = os.environ if environ is None else environ
    value = environ.get(FAST_ENV, "").strip().lower()
    if value not in YES + NO:
        raise RecommenderInputError(
            f"${FAST_ENV} is {value!r}: use 1 (build the small test bundle) or 0 / unset "
            "(build the full models)."
        )
    return flag or value in YES


def app_build_dir(
    root: Path,
    fast: bool,
    environ: Mapping[str, str] | None = None,
    storage: Path | None = None,
) -> Path:
    """Where the app builds the bundle it needs: on a Space (SPACE_ID set) whose persistent
    storage is mounted at /data, there, so a restart reuses it; else next to app.py (``root``).
    The test bundle has a folder of its own: it never stands in for the full models later."""
    environ = os.environ if environ is None else environ
    storage = SPACE_STORAGE if storage is None else Path(storage)
    on_space = bool(environ.get(SPACE_ENV)) and storage.is_dir() and os.access(storage, os.W_OK)
    return (storage if on_space else Path(root)) / ("artifacts-fast" if fast else "artifacts")
