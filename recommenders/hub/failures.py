"""What went wrong with the Hub, in words a user can act on, and whether to try the cache.

huggingface_hub, its HTTP client (httpx2) and its storage client (hf_xet) each raise their own
exception types; this module is the one place that turns them into a sentence. A failure is
either *transient* (unreachable, timed out, 5xx, rate-limited, storage down: the last good
cached copy may be used) or *final* (token rejected, no access, repo or revision missing: the
user must change something, and a stale copy would hide that).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from urllib.parse import urlsplit

from huggingface_hub import constants
from huggingface_hub.errors import (
    HfHubHTTPError,
    LocalEntryNotFoundError,
    OfflineModeIsEnabled,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from recommenders.errors import BundleError

try:  # the HTTP client of huggingface_hub 2.x; its errors are not OSErrors
    from httpx2 import HTTPError as _HttpError
    from httpx2 import TimeoutException as _Timeout
except ImportError:  # pragma: no cover - other huggingface_hub versions raise OSErrors
    _HttpError = OSError
    _Timeout = TimeoutError

LOGIN_HINT = (
    "Run `hf auth login` again with a valid token, or set HF_TOKEN to one (for a public repo "
    "you can also unset HF_TOKEN)."
)


class HubUnavailable(Exception):
    """A transient failure: the Hub or its storage could not deliver now; a cache may serve."""


def describe(exc: BaseException) -> tuple[str, bool]:
    """(what happened, is it transient) for any exception raised while talking to the Hub."""
    if isinstance(exc, LocalEntryNotFoundError) and exc.__cause__ is not None:
        return describe(exc.__cause__)  # hf_hub_download wraps the network error it met
    if isinstance(exc, OfflineModeIsEnabled):
        return "HF_HUB_OFFLINE is set, so the Hub is not contacted", True
    if isinstance(exc, RevisionNotFoundError):
        return "the repo has no such revision (branch, tag or commit)", False
    if isinstance(exc, RepositoryNotFoundError):  # also private or gated repos without access
        return (
            "the repo does not exist or your token has no access to it (a private repo needs "
            "`hf auth login` or HF_TOKEN)",
            False,
        )
    if isinstance(exc, RemoteEntryNotFoundError):
        return "a file its manifest lists is missing from the repo (an incomplete push)", False
    if isinstance(exc, HfHubHTTPError) and exc.response is not None:
        status, reason = exc.response.status_code, exc.response.reason_phrase
        if not _from_the_hub(exc):  # e.g. a pre-signed storage URL that expired
            return f"the Hub's file storage answered {status} {reason or ''}".strip(), True
        return _describe_status(status, reason)
    if isinstance(exc, (_Timeout, TimeoutError)):
        return f"the Hub did not answer in time ({type(exc).__name__}: {exc})", True
    if isinstance(exc, json.JSONDecodeError):
        return "the Hub answered with a page that is not JSON (an outage or a proxy)", True
    if isinstance(exc, ValueError) and isinstance(exc.__cause__, HfHubHTTPError):
        return f"the Hub refused it: {_first_lines(exc)}", False  # e.g. invalid card metadata
    if isinstance(exc, RuntimeError) and isinstance(exc.__cause__, HfHubHTTPError):
        reason, transient = describe(exc.__cause__)  # e.g. an LFS upload the storage refused
        return f"{_first_lines(exc)} ({reason})", transient
    if isinstance(exc, RuntimeError):  # hf_xet reports storage failures as RuntimeError
        return f"the Hub's file storage (Xet) failed: {_first_lines(exc, 1)}", True
    if isinstance(exc, (_HttpError, OSError)):
        return f"the Hugging Face Hub is unreachable ({type(exc).__name__})", True
    return f"{type(exc).__name__}: {str(exc)[:200]}", False


def _from_the_hub(exc: HfHubHTTPError) -> bool:
    """Whether the failed request went to the Hub itself (not to its storage or a CDN)."""
    try:
        url = exc.response.request.url
    except (AttributeError, RuntimeError):  # a response built without its request
        return True
    hub = urlsplit(constants.ENDPOINT)
    return (url.host, url.port or 443) == (hub.hostname, hub.port or 443)


def _first_lines(exc: BaseException, count: int = 3) -> str:
    """The start of an exception's message, on one line and short enough to read."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    return " ".join(lines[:count])[:300]


def _describe_status(status: int, reason: str | None) -> tuple[str, bool]:
    said = f"{status} {reason or ''}".strip()
    if status == 401:
        return f"the Hub rejected the token ({said}). {LOGIN_HINT}", False
    if status == 403:
        return (
            f"the token is not allowed to do this ({said}): it needs write access to the repo "
            "(create a token with the 'write' role at https://huggingface.co/settings/tokens)",
            False,
        )
    if status == 429:
        return f"the Hub is rate-limiting requests ({said}); try again in a minute", True
    if status >= 500:
        return f"the Hub answered {said} (a server-side failure; try again later)", True
    return f"the Hub refused the request ({said})", False


def redact(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` replaced by *** (tokens must never reach a message or a log)."""
    return text.replace(secret, "***") if secret else text


@contextlib.contextmanager
def hub_failures(what: str, secret: str | None = None) -> Iterator[None]:
    """Final failures raise BundleError("<what>: <why>"); transient ones raise HubUnavailable."""
    try:
        yield
    except BundleError:
        raise
    except Exception as exc:  # every library error is translated; none escapes raw
        reason, transient = describe(exc)
        reason = redact(reason, secret)
        if transient:
            raise HubUnavailable(reason) from None
        raise BundleError(f"{what}: {reason}") from None
