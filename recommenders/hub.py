"""Push an artifact bundle to the Hugging Face Hub, and pull one back (then work offline).

The Hub is only a file store here: what makes a download trustworthy is the bundle's own
manifest, whose SHA-256 of every file ``artifacts.read_bundle`` checks before reading anything.
Tokens are never printed, logged or written: they go straight to huggingface_hub, and every error
message built here has them redacted.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from huggingface_hub import CommitOperationAdd, HfApi, get_token, snapshot_download
from huggingface_hub.errors import (
    HFValidationError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.utils import validate_repo_id

from recommenders.artifacts import FILE_PATTERNS, MANIFEST, bundle_files, verify_bundle
from recommenders.errors import BundleError, RecommenderInputError
from recommenders.model_card import build_model_card

try:  # the HTTP client of huggingface_hub 2.x; its errors are not OSErrors
    from httpx2 import HTTPError as _HttpError
except ImportError:  # pragma: no cover - other huggingface_hub versions raise OSErrors
    _HttpError = OSError

log = logging.getLogger(__name__)

MODEL_CARD = "README.md"
HUB_ERRORS: tuple[type[BaseException], ...] = (OSError, _HttpError, HFValidationError)


def check_repo_id(repo_id: object, source: str = "repo id") -> str:
    """``repo_id`` if it is a valid Hub model id "user/repo", else RecommenderInputError."""
    text = repo_id.strip() if isinstance(repo_id, str) else repo_id
    problem = None
    if not isinstance(text, str) or text.count("/") != 1:
        problem = "it must have exactly one '/'"
    else:
        try:
            validate_repo_id(text)
        except HFValidationError as exc:
            problem = str(exc)
    if problem is not None:
        raise RecommenderInputError(
            f"Invalid Hugging Face {source} {repo_id!r} ({problem}): expected 'user/repo' with "
            "letters, digits, '-', '_' or '.' (no '--' or '..'), e.g. 'alice/lastfm-recommenders'."
        )
    return text


# -- push --------------------------------------------------------------------------------------
def push_bundle(
    bundle_dir: str | os.PathLike,
    repo_id: str,
    private: bool = False,
    revision: str | None = None,
    token: str | None = None,
) -> str:
    """Upload a verified bundle plus its model card to a Hub model repo in one commit.

    Creates the repo (``private`` only applies when it is created) and the branch ``revision``
    when missing. ``token``: else HF_TOKEN, else the saved ``hf auth login``. Returns the URL of
    the repo (of the branch when ``revision`` is given).
    """
    repo_id = check_repo_id(repo_id)
    bundle_dir = Path(bundle_dir)
    manifest = verify_bundle(bundle_dir)
    listed = sorted(manifest["files"])
    extra = sorted(set(bundle_files(bundle_dir)) - set(listed))
    if extra:
        log.warning("Not uploading files absent from %s: %s", MANIFEST, ", ".join(extra))
    card = build_model_card(manifest, repo_id=repo_id)
    operations = [
        CommitOperationAdd(path_in_repo=name, path_or_fileobj=bundle_dir / name)
        for name in [MANIFEST, *listed]
    ]
    operations.append(
        CommitOperationAdd(path_in_repo=MODEL_CARD, path_or_fileobj=str(card).encode())
    )
    secret = _resolve_token(token)
    api = HfApi()
    where = f"{repo_id}@{revision}" if revision else repo_id
    with _hub_errors(f"Pushing {bundle_dir} to the Hub repo {where} failed", secret):
        repo_url = api.create_repo(repo_id, token=token, private=private, exist_ok=True)
        if revision is not None and revision != "main":
            api.create_branch(repo_id, branch=revision, token=token, exist_ok=True)
        api.create_commit(
            repo_id,
            operations,
            commit_message=f"Upload artifact bundle ({len(listed) + 1} files) and model card",
            commit_description=f"Bundle created {manifest.get('created_at', 'unknown')}.",
            token=token,
            revision=revision,
        )
    url = str(repo_url).rstrip("/")
    url = f"{url}/tree/{revision}" if revision else url
    log.info("Pushed %d files to %s", len(operations), url)
    return url


def _resolve_token(token: str | None) -> str:
    """The token huggingface_hub will use, only to fail early and to redact it from errors."""
    if token is not None:
        if not token.strip():
            raise RecommenderInputError("token= is empty: pass a Hugging Face token or None.")
        return token
    try:
        found = get_token()
    except Exception as exc:  # e.g. a failed OIDC exchange; its message holds no token
        raise BundleError(f"Cannot read a Hugging Face token ({type(exc).__name__}).") from None
    if not found:
        raise BundleError(
            "No Hugging Face token: run `hf auth login`, or set HF_TOKEN to a token with write "
            "access, or pass token=."
        )
    return found


@contextlib.contextmanager
def _hub_errors(what: str, secret: str) -> Iterator[None]:
    """Turn Hub/network failures into a BundleError whose message cannot contain ``secret``."""
    try:
        yield
    except HUB_ERRORS as exc:
        detail = str(exc).replace(secret, "***") if secret else str(exc)
        raise BundleError(f"{what}: {type(exc).__name__}: {detail}") from None


# -- pull --------------------------------------------------------------------------------------
def download_bundle(
    repo_id: str, revision: str | None = None, cache_dir: str | os.PathLike | None = None
) -> Path:
    """The local folder of a Hub bundle: downloaded, or from the cache when offline.

    Only the files a bundle needs are fetched (artifacts.FILE_PATTERNS); the caller verifies their
    hashes. Raises BundleError when the Hub is unreachable and nothing is cached.
    """
    repo_id = check_repo_id(repo_id)
    where = f"{repo_id!r}" + (f" at revision {revision!r}" if revision else "")
    kwargs = {
        "repo_id": repo_id,
        "revision": revision,
        "cache_dir": cache_dir,
        "allow_patterns": FILE_PATTERNS,
    }
    try:
        return Path(snapshot_download(**kwargs))
    except RevisionNotFoundError:
        raise BundleError(
            f"The Hub repo {repo_id!r} has no revision {revision!r}: pass an existing branch, tag "
            "or commit (or none for main)."
        ) from None
    except RepositoryNotFoundError as exc:  # also gated repos
        raise BundleError(
            f"The Hub repo {repo_id!r} was not found or you have no access to it "
            f"({type(exc).__name__}). Check the id; for a private repo run `hf auth login` or "
            "set HF_TOKEN."
        ) from None
    except HUB_ERRORS as exc:
        first = exc
    try:
        path = Path(snapshot_download(**kwargs, local_files_only=True))
    except HUB_ERRORS:
        raise BundleError(
            f"Cannot get the bundle {where}: the Hugging Face Hub is unreachable "
            f"({type(first).__name__}) and the local cache has no copy. It needs the network once "
            f'to download {repo_id!r}: on a connected machine run `python -c "import '
            f"recommenders; recommenders.load('{repo_id}')\"` (it fills the Hugging Face cache, "
            "HF_HOME, which you can copy), or pass the path of a local bundle folder instead."
        ) from None
    log.warning("Hub unreachable (%s); using the cached copy of %s", type(first).__name__, where)
    return path
