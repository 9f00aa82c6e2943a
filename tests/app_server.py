"""Helpers for tests that run the app: a bundle with a script-like artist name, a free port, and
`python app.py` as a subprocess on 127.0.0.1 that the test stops."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVIL_NAME = "<img src=x onerror=alert(1)>"
SEED_PICKS = ["Radiohead", "Muse"]


def evil_bundle(source: Path, out: Path) -> tuple[Path, str]:
    """A copy of ``source`` where the top softmax pick for SEED_PICKS is renamed EVIL_NAME.

    Returns the bundle folder and the artist's original name. The manifest hashes are rewritten
    so the copy loads like any bundle.
    """
    import pandas as pd

    import recommenders
    from recommenders.artifacts import CATALOG, write_manifest

    shutil.copytree(source, out)
    bundle = recommenders.load(out)
    top = bundle.recommend("softmax", liked=SEED_PICKS, k=1)
    artist_id, original = int(top["artist_id"].iat[0]), str(top["name"].iat[0])
    catalog = pd.read_parquet(out / CATALOG)
    catalog.loc[artist_id, "name"] = EVIL_NAME
    catalog.to_parquet(out / CATALOG)
    manifest = {k: v for k, v in bundle.manifest.items() if k not in ("files", "format_version")}
    write_manifest(out, manifest)
    return out, original


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 90.0) -> float:
    """Seconds until ``url`` answers 200; fails early if the process died."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"app exited with {process.returncode} before serving {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.02)  # fine steps: start-up times are compared to 1.3×
    raise TimeoutError(f"{url} did not answer 200 within {timeout} s")


@contextmanager
def running_app(
    bundle_dir: Path,
    log_path: Path | None = None,
    script: Path = ROOT / "app.py",
    *,
    env: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, float, int]]:
    """Start `python app.py --artifacts bundle_dir` (or another ``script`` taking the same
    arguments) on a free port; yields (url, start seconds, pid) and stops the process after.
    ``env``: extra environment variables for the app (e.g. GRADIO_TEMP_DIR), over os.environ."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115
    environment = {
        **os.environ,
        "GRADIO_ANALYTICS_ENABLED": "False",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, str(script), "--artifacts", str(bundle_dir), "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=environment,
    )
    try:
        seconds = wait_for_http(url, process)
        yield url, seconds, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log_path:
            log.close()
