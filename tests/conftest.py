"""Fixtures shared by the whole suite: where the shipped dataset lives, loaded once."""

from pathlib import Path

import pytest

from recommenders.data import LastfmData, load_dataset


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The repository's data/ folder (raw Last.fm files + Spotify seed)."""
    return Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="session")
def lastfm_data(data_dir: Path) -> LastfmData:
    """The real dataset, parsed once per session (about 0.2 s). Treat it as read-only."""
    return load_dataset(data_dir)
