"""The one check of a Hub repo id, shared by push, pull and the app's configuration."""

from __future__ import annotations

from huggingface_hub.errors import HFValidationError
from huggingface_hub.utils import validate_repo_id

from recommenders.errors import RecommenderInputError


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
