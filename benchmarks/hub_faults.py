"""Each Hub fault against the local imitation of the Hub: what the user sees and how fast.

    python benchmarks/hub_faults.py     # → results/hub_faults.json, the README's Hub table

The real huggingface_hub (and hf_xet) run against tests/hub_imitation.py on 127.0.0.1; nothing
goes online. Each row starts from a fresh imitation holding bundle v1 and an empty cache, or a
cache filled by one good download ("cached"). Time: from the call to its result or message.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.results import load, machine, record  # noqa: E402
from recommenders import hub  # noqa: E402
from recommenders.errors import BundleError  # noqa: E402
from tests.hub_imitation import (  # noqa: E402
    HubImitation,
    point_huggingface_hub_at,
    small_bundle,
)

REPO = "alice/lastfm-recommenders"
TOKEN = "hf_BenchmarkToken0123456789abcdef"


class Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run(
    name: str, prepare: Callable, act: Callable, cached: bool = False
) -> tuple[str, str, float]:
    """One fault on a fresh imitation: (fault, what the user sees, seconds)."""
    folder = Path(tempfile.mkdtemp(prefix="hub-fault-"))
    site = HubImitation().start()
    warnings = Warnings()
    logging.getLogger("recommenders").addHandler(warnings)
    with pytest.MonkeyPatch.context() as patch:
        point_huggingface_hub_at(site, folder / "home", patch)
        site.valid_tokens.add(TOKEN)
        site.seed(REPO, small_bundle(folder / "v1", "v1"))
        small_bundle(folder / "v2", "v2")
        if cached:
            hub.download_bundle(REPO)
        prepare(site, patch, folder)
        warnings.messages.clear()
        started = time.perf_counter()
        try:
            result = act(folder)
            seen = " → ".join([*warnings.messages, f"then: {result}"])
        except BundleError as error:
            seen = f"BundleError: {error}"
        seconds = time.perf_counter() - started
    logging.getLogger("recommenders").removeHandler(warnings)
    site.stop()
    return name, seen, seconds


def pull(folder: Path) -> str:
    return (
        f"bundle {json.loads((hub.download_bundle(REPO) / 'manifest.json').read_text())['version']}"
    )


def push(folder: Path) -> str:
    return hub.push_bundle(folder / "v2", REPO, token=TOKEN)


def fault(**faults: object) -> Callable:
    def prepare(site: HubImitation, patch: pytest.MonkeyPatch, folder: Path) -> None:
        for key, value in faults.items():
            setattr(site.faults, key, value)

    return prepare


def xet(site: HubImitation, patch: pytest.MonkeyPatch, folder: Path) -> None:
    from huggingface_hub import constants

    patch.setattr(constants, "HF_HUB_DISABLE_XET", False)
    site.faults.xet = True
    site.seed(REPO, {**site.tree(REPO), "catalog.parquet": b"changed"})  # not in the cache


def stalled_files(site: HubImitation, patch: pytest.MonkeyPatch, folder: Path) -> None:
    site.seed(REPO, small_bundle(folder / "v3", "v3"))  # a new version to fetch
    site.faults.slow_files_seconds = 300.0


def offline(site: HubImitation, patch: pytest.MonkeyPatch, folder: Path) -> None:
    from huggingface_hub import constants

    patch.setattr(constants, "HF_HUB_OFFLINE", True)


def stopped(site: HubImitation, patch: pytest.MonkeyPatch, folder: Path) -> None:
    site.stop()


def bad_token(site: HubImitation, patch: pytest.MonkeyPatch, folder: Path) -> None:
    patch.setenv("HF_TOKEN", "hf_NotAValidToken")


def interrupted_update(site: HubImitation, patch: pytest.MonkeyPatch, folder: Path) -> None:
    from recommenders.hub.cache import repo_cache_folder

    new = site.seed(REPO, small_bundle(folder / "v3", "v3"))
    cache = repo_cache_folder(REPO)
    (cache / "refs" / "main").write_text(new)
    (cache / "snapshots" / new).mkdir()
    site.stop()


def flipped_cache(site: HubImitation, patch: pytest.MonkeyPatch, folder: Path) -> None:
    from recommenders.hub.cache import repo_cache_folder

    blob = next((repo_cache_folder(REPO) / "snapshots").glob("*/catalog.parquet")).resolve()
    blob.write_bytes(b"X" + blob.read_bytes()[1:])


SCENARIOS = [
    ("API 500, nothing cached", fault(api_status=500), pull, False),
    ("API 500, cached", fault(api_status=500), pull, True),
    ("API HTML 502, cached", fault(api_html_502=True), pull, True),
    ("bad token (401)", bad_token, pull, True),
    ("unknown repo", lambda *a: None, lambda f: hub.download_bundle("alice/nope"), False),
    ("unknown revision", lambda *a: None, lambda f: hub.download_bundle(REPO, "v9"), False),
    ("file cut mid-body", fault(cut_body={"catalog.parquet"}), pull, False),
    ("byte flipped once", fault(flip_byte={"catalog.parquet": 1}), pull, False),
    ("byte flipped every time", fault(flip_byte={"catalog.parquet": 9}), pull, False),
    ("cached file corrupted on disk", flipped_cache, pull, True),
    ("server gone, cached", stopped, pull, True),
    ("HF_HUB_OFFLINE=1, cached", offline, pull, True),
    ("server gone, nothing cached", stopped, pull, False),
    ("Hub stalls 90 s before answering, cached", fault(slow_seconds=90.0), pull, True),
    ("Hub stalls 90 s before answering, nothing cached", fault(slow_seconds=90.0), pull, False),
    ("file downloads stall 300 s, older copy cached", stalled_files, pull, True),
    ("update interrupted between ref and files", interrupted_update, pull, True),
    ("Xet storage unreachable, nothing cached", xet, pull, False),
    ("Xet storage unreachable, cached", xet, pull, True),
    ("push: model card rejected", fault(reject_model_card=True), push, False),
    ("push: HTML 502 from the card check", fault(yaml_html_502=True), push, False),
    ("push: LFS upload refused (403)", fault(lfs_upload_status=403), push, False),
]


def main() -> int:
    started = machine()
    rows = [run(*scenario) for scenario in SCENARIOS]
    found = [
        {"fault": name, "seen": seen.replace(str(Path(tempfile.gettempdir())), "…"), "seconds": t}
        for name, seen, t in rows
    ]
    record("hub_faults", {"rows": found}, started=started)
    print(readme_table())
    return 0


def readme_table() -> str:
    """One row per fault, from the committed result (messages cut at 220 characters)."""
    lines = ["| fault | what the user sees | time |", "|---|---|---|"]
    for row in load("hub_faults")["rows"]:
        text = row["seen"].replace("|", "\\|")
        cut = f"{text[:220]}…" if len(text) > 220 else text
        lines.append(f"| {row['fault']} | {cut} | {row['seconds']:.1f} s |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
