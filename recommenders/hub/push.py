"""Push a verified bundle and its model card to a Hub model repo, in one commit.

The commit also deletes whatever an earlier bundle left in the repo (keeping README.md and
.gitattributes), so the repo always holds exactly one bundle. Tokens go straight to
huggingface_hub and are redacted from every message.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi, get_token

from recommenders.artifacts import MANIFEST, bundle_files, verify_bundle
from recommenders.errors import BundleError, RecommenderInputError
from recommenders.hub.failures import HubUnavailable, hub_failures
from recommenders.hub.repo_id import check_repo_id
from recommenders.model_card import build_model_card

log = logging.getLogger(__name__)

MODEL_CARD = "README.md"
KEPT_IN_REPO = {MODEL_CARD, ".gitattributes"}


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
    what = f"Pushing {bundle_dir} to the Hub repo {where} failed"
    try:
        with hub_failures(what, secret), warnings.catch_warnings():
            # huggingface_hub warns about every .parquet in a model repo: here they are meant
            warnings.filterwarnings("ignore", message=".*data file.*", category=UserWarning)
            repo_url = api.create_repo(repo_id, token=token, private=private, exist_ok=True)
            if revision is not None and revision != "main":
                api.create_branch(repo_id, branch=revision, token=token, exist_ok=True)
            present = api.list_repo_files(repo_id, revision=revision, token=token)
            stale = sorted(set(present) - {MANIFEST, *listed} - KEPT_IN_REPO)
            operations += [CommitOperationDelete(path_in_repo=name) for name in stale]
            api.create_commit(
                repo_id,
                operations,
                commit_message=f"Upload artifact bundle ({len(listed) + 1} files) and model card",
                commit_description=_description(manifest, stale),
                token=token,
                revision=revision,
            )
    except HubUnavailable as failure:
        raise BundleError(
            f"{what}: {failure}. Nothing changed in the repo (a commit is all or nothing); "
            "push again when the Hub answers."
        ) from None
    url = str(repo_url).rstrip("/")
    url = f"{url}/tree/{revision}" if revision else url
    log.info("Pushed %d files to %s (removed %d stale)", len(listed) + 2, url, len(stale))
    return url


def _description(manifest: dict, stale: list[str]) -> str:
    text = f"Bundle created {manifest.get('created_at', 'unknown')}."
    if stale:
        text += f" Removes {len(stale)} file(s) of the previous bundle: {', '.join(stale)}."
    return text


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
