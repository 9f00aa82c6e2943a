"""Pull a bundle from the Hub: the manifest first, then exactly the files it lists, verified.

Reading ``manifest.json`` first means files of an older bundle still in the repo are never
fetched, and every file is checked against its SHA-256 right away: a mismatch (a corrupting
proxy, a bad cached blob) is downloaded once more before it is reported. When the Hub or its
storage cannot deliver, the newest cached copy that verifies is used, with a warning.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from huggingface_hub import HfApi, constants, hf_hub_download

from recommenders.artifacts import MANIFEST, read_manifest
from recommenders.errors import BundleError
from recommenders.hub.cache import last_good_snapshot, record_ref, repo_cache_folder
from recommenders.hub.failures import HubUnavailable, hub_failures
from recommenders.hub.repo_id import check_repo_id
from recommenders.storage import sha256_file

log = logging.getLogger(__name__)

# hf_xet retries an unreachable storage server for up to 6 minutes by default; a visitor waiting
# for an app to start should get the cache or a clear message well within a minute. Set only
# when the user has not chosen their own values, and read by hf_xet when its session starts.
XET_BOUNDS = {
    "HF_XET_CLIENT_RETRY_MAX_DURATION": "20s",
    "HF_XET_CLIENT_RETRY_MAX_ATTEMPTS": "3",
    "HF_XET_CLIENT_CONNECT_TIMEOUT": "10s",
}

STALL_SECONDS = 30.0  # no byte for this long: the Hub has stopped answering, use the cache
POLL_SECONDS = 0.5


def download_bundle(
    repo_id: str, revision: str | None = None, cache_dir: str | os.PathLike | None = None
) -> Path:
    """The local folder of a verified Hub bundle: downloaded, or the last good cached copy.

    Raises BundleError when the repo, the revision or access is missing, when a file stays
    corrupt after a second download, or when the Hub cannot deliver and nothing cached verifies.
    """
    repo_id = check_repo_id(repo_id)
    where = f"{repo_id!r}" + (f" at revision {revision!r}" if revision else "")
    folder = repo_cache_folder(repo_id, cache_dir)
    for name, value in XET_BOUNDS.items():
        os.environ.setdefault(name, value)
    try:
        return _fetch(repo_id, revision, cache_dir, f"Cannot get the bundle {where}")
    except HubUnavailable as failure:
        reason = str(failure)
    cached = last_good_snapshot(folder, revision)
    if cached is None:
        raise BundleError(
            f"Cannot get the bundle {where}: {reason}, and the local cache ({folder}) has no "
            f"complete copy. It needs the network once to download {repo_id!r}: try again when "
            'the Hub answers, or on a connected machine run `python -c "import recommenders; '
            f"recommenders.load('{repo_id}')\"` and copy its Hugging Face cache (HF_HOME), or "
            "pass the path of a local bundle folder instead."
        )
    snapshot, commit = cached
    log.warning("%s; using the cached copy of %s (commit %s).", reason, where, commit[:7])
    return snapshot


def _fetch(repo_id: str, revision: str | None, cache_dir: object, what: str) -> Path:
    """Download the manifest and its files at one commit; re-fetch mismatches once."""
    with hub_failures(what):  # without a timeout a stalled Hub would hold the caller forever
        info = HfApi().repo_info(repo_id, revision=revision, timeout=constants.HF_HUB_ETAG_TIMEOUT)
        commit = info.sha
    if not commit:
        raise HubUnavailable("the Hub did not say which commit the revision is at")

    blobs = repo_cache_folder(repo_id, cache_dir) / "blobs"

    def fetch(name: str, again: bool = False) -> Path:
        with hub_failures(what):
            return Path(
                watched(
                    lambda: hf_hub_download(
                        repo_id, name, revision=commit, cache_dir=cache_dir, force_download=again
                    ),
                    blobs,
                )
            )

    snapshot = fetch(MANIFEST).parent
    listed = _listed_files(snapshot, lambda: fetch(MANIFEST, again=True))
    for name in listed:
        fetch(name)
    corrupt = _mismatched(snapshot, listed)
    if corrupt:
        log.warning("Downloading again (SHA-256 mismatch): %s", ", ".join(corrupt))
        fetch(MANIFEST, again=True)
        listed = _listed_files(snapshot, None)
        for name in _mismatched(snapshot, listed):
            fetch(name, again=True)
        corrupt = _mismatched(snapshot, listed)
    if corrupt:
        folder = repo_cache_folder(repo_id, cache_dir)
        raise BundleError(
            f"{what}: {corrupt[0]} does not match the SHA-256 in {MANIFEST} even after a "
            f"second download (commit {commit[:7]}): the copy on the Hub is damaged or "
            "something on the way alters it. Delete the cached copy "
            f"(`rm -rf '{folder}'`, or `hf cache delete`) and try again; if it persists, "
            "rebuild and push the bundle."
        )
    record_ref(repo_cache_folder(repo_id, cache_dir), revision, commit)
    return snapshot


def watched(download: Callable[[], str], blobs: Path, stall: float | None = None) -> str:
    """``download()``, given up when no byte arrives in ``blobs`` for ``stall`` seconds.

    huggingface_hub retries a file's metadata request with a 60 s timeout, five times, so a
    Hub that accepts connections but stops answering would hold the caller for minutes. A slow
    download that keeps moving is never cut. The abandoned call ends on its own, in a daemon
    thread; it never records the revision as downloaded.
    """
    stall = STALL_SECONDS if stall is None else stall
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["path"] = download()
        except BaseException as error:  # handed to the caller's thread as is
            outcome["error"] = error

    thread = threading.Thread(target=run, name="hub-download", daemon=True)
    thread.start()
    size, moved = -1, time.monotonic()
    while thread.is_alive():
        thread.join(timeout=POLL_SECONDS)
        now_size = _bytes_in(blobs)
        if now_size != size:
            size, moved = now_size, time.monotonic()
        elif time.monotonic() - moved > stall:
            raise TimeoutError(f"no data arrived for {stall:.0f} s")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return str(outcome["path"])


def _bytes_in(folder: Path) -> int:
    """Bytes in the cache's blobs, partial downloads included (they grow as data arrives)."""
    try:
        return sum(entry.stat().st_size for entry in os.scandir(folder) if entry.is_file())
    except FileNotFoundError:
        return 0


def _listed_files(snapshot: Path, refetch) -> dict[str, str]:
    """The manifest's {file: sha256}, downloading the manifest once more if it is unreadable."""
    try:
        manifest = read_manifest(snapshot)
    except BundleError:
        if refetch is None:
            raise
        refetch()
        manifest = read_manifest(snapshot)
    for name in manifest["files"]:
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or name == MANIFEST:
            raise BundleError(f"{MANIFEST} lists an invalid file name {name!r}; rebuild it.")
    return manifest["files"]


def _mismatched(snapshot: Path, listed: dict[str, str]) -> list[str]:
    """Listed files that are missing or whose SHA-256 differs from the manifest's."""
    return [
        name
        for name, digest in listed.items()
        if not (snapshot / name).is_file() or sha256_file(snapshot / name) != digest
    ]
