"""Faults injected into real processes: a build step killed with SIGKILL loses nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from recommenders import spotify

ROOT = Path(__file__).resolve().parents[1]
N_ARTISTS = 300

# A stand-in for spotipy.Spotify (50 ms per search, as over a network) in a child process that
# enriches N_ARTISTS names and is killed part-way through.
CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import pandas as pd
    from recommenders import spotify

    class SlowSpotify:
        def search(self, q, type, limit):
            time.sleep(0.05)
            name = q.removeprefix('artist:"').removesuffix('"')
            return {"artists": {"items": [{
                "id": "id-" + name, "name": name, "genres": ["fake"], "popularity": 5,
                "followers": {"total": 50}, "images": [],
                "external_urls": {"spotify": "https://open.spotify.com/artist/x"}}]}}

        def artists(self, ids):
            raise AssertionError("search results are complete")

    n = int(sys.argv[3])
    names = pd.Series([f"Band {i}" for i in range(n)], index=range(1, n + 1))
    spotify.enrich(names, Path(sys.argv[1]), Path(sys.argv[2]), client=SlowSpotify())
    """
)


class RecordingSpotify:
    """Finds every name instantly and records what was searched."""

    def __init__(self) -> None:
        self.searched: list[str] = []

    def search(self, q: str, type: str, limit: int) -> dict[str, Any]:
        name = q.removeprefix('artist:"').removesuffix('"')
        self.searched.append(name)
        item = {
            "id": "id-" + name,
            "name": name,
            "genres": ["fake"],
            "popularity": 5,
            "followers": {"total": 50},
            "images": [],
            "external_urls": {},
        }
        return {"artists": {"items": [item]}}

    def artists(self, ids: list[str]) -> dict[str, Any]:
        raise AssertionError("search results are complete")


@pytest.mark.slow
def test_enrichment_killed_with_sigkill_resumes_and_loses_no_fetched_row(tmp_path, monkeypatch):
    monkeypatch.delenv("SPOTIPY_CLIENT_ID", raising=False)
    data = tmp_path / "data"
    (data / "spotify").mkdir(parents=True)
    (data / "spotify" / "spotify_artist_genres.csv").write_text("artists,genres\n", "utf-8")
    cache_dir = tmp_path / "cache"
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    child = subprocess.Popen(
        [sys.executable, str(script), str(data), str(cache_dir), str(N_ARTISTS)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    cache_file = cache_dir / spotify.CACHE_FILE
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if cache_file.exists() and cache_file.read_bytes().count(b"\n") >= 30:
            break
        assert child.poll() is None, "the child finished or died before it could be killed"
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL

    lines = cache_file.read_bytes().split(b"\n")
    complete = [json.loads(line) for line in lines[:-1]]  # the last piece may be torn
    fetched = {record["query"]: record for record in complete}
    assert 30 <= len(fetched) < N_ARTISTS

    rerun = RecordingSpotify()
    names = pd.Series([f"Band {i}" for i in range(N_ARTISTS)], index=range(1, N_ARTISTS + 1))
    enriched = spotify.enrich(names, data, cache_dir, client=rerun)

    assert not set(rerun.searched) & set(fetched), (
        "names fetched before the kill were fetched again"
    )
    assert set(rerun.searched) | set(fetched) == set(names)
    assert (enriched["spotify_source"] == "api").all()
    after = {r["query"]: r for r in map(json.loads, cache_file.read_text().splitlines())}
    for query, record in fetched.items():
        assert after[query] == record, f"the cached record for {query} changed"
