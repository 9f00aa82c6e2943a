"""Push an artifact bundle to the Hugging Face Hub, and pull one back (then work offline).

The Hub is only a file store here: what makes a download trustworthy is the bundle's own
manifest, whose SHA-256 of every file is checked before anything is read. Every failure of the
Hub, its storage or the network becomes a ``BundleError`` that says what happened and what to do
(``failures``); a download falls back to the newest cached copy that verifies (``cache``).
Tokens are never printed, logged or written.
"""

from __future__ import annotations

from recommenders.hub.download import download_bundle
from recommenders.hub.push import MODEL_CARD, push_bundle
from recommenders.hub.repo_id import check_repo_id

__all__ = ["MODEL_CARD", "check_repo_id", "download_bundle", "push_bundle"]
