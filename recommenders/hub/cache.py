"""The local Hugging Face cache of a bundle repo: where it is, and its last good copy.

Layout (huggingface_hub's): ``<cache>/models--user--repo/{refs/<revision>, snapshots/<commit>/}``.
A download records ``refs/<revision>`` only once every file of the commit has arrived and
verified, so a ref never points at a half-written snapshot; still, a cache written by other
tools may, so the fallback checks hashes and walks back to the newest snapshot that verifies.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from huggingface_hub import constants
from huggingface_hub.file_download import repo_folder_name

from recommenders.artifacts import MANIFEST, verify_bundle
from recommenders.errors import BundleError

log = logging.getLogger(__name__)

DEFAULT_REVISION = "main"


def repo_cache_folder(repo_id: str, cache_dir: str | os.PathLike | None = None) -> Path:
    """The folder huggingface_hub caches ``repo_id`` in (it may not exist yet)."""
    root = Path(cache_dir) if cache_dir is not None else Path(constants.HF_HUB_CACHE)
    return root / repo_folder_name(repo_id=repo_id, repo_type="model")


def record_ref(folder: Path, revision: str | None, commit: str) -> None:
    """Point ``refs/<revision>`` at ``commit`` atomically (after its files verified)."""
    name = revision or DEFAULT_REVISION
    if name == commit:
        return
    ref = folder / "refs" / name
    ref.parent.mkdir(parents=True, exist_ok=True)
    temporary = ref.with_name(f".{ref.name}.tmp")
    temporary.write_text(commit)
    temporary.replace(ref)


def last_good_snapshot(folder: Path, revision: str | None) -> tuple[Path, str] | None:
    """(snapshot folder, commit) of the newest cached copy that verifies, or None.

    The commit ``refs/<revision>`` names comes first. For the default branch the other
    snapshots follow, newest download first (an interrupted update must not hide the complete
    copy before it). A named branch or a commit only ever falls back to its own snapshot, so
    the cache never serves a different revision than the one asked for.
    """
    snapshots = folder / "snapshots"
    if not snapshots.is_dir():
        return None
    name = revision or DEFAULT_REVISION
    ref = folder / "refs" / name
    candidates: list[Path] = []
    if ref.is_file():
        candidates.append(snapshots / ref.read_text().strip())
    elif (snapshots / name).is_dir():  # the revision is a commit hash
        candidates.append(snapshots / name)
    if name == DEFAULT_REVISION:
        others = [p for p in snapshots.iterdir() if p.is_dir() and p not in candidates]
        candidates += sorted(others, key=_downloaded_at, reverse=True)
    for snapshot in candidates:
        try:
            verify_bundle(snapshot)
        except BundleError as problem:
            log.info("Cached snapshot %s is not usable: %s", snapshot.name[:7], problem)
            continue
        return snapshot, snapshot.name
    return None


def _downloaded_at(snapshot: Path) -> float:
    """When the snapshot's manifest arrived (its link's own time, not the shared blob's)."""
    manifest = snapshot / MANIFEST
    return manifest.lstat().st_mtime if os.path.lexists(manifest) else 0.0
