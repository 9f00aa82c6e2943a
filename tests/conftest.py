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


@pytest.fixture(scope="session")
def fast_bundle_dir(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete bundle built once per session with the --fast settings (all models, one
    evaluation seed). Set RECOMMENDERS_TEST_BUNDLE to a prebuilt one to skip the build."""
    import os

    prebuilt = os.environ.get("RECOMMENDERS_TEST_BUNDLE")
    if prebuilt:
        return Path(prebuilt)
    from recommenders.pipeline import BuildConfig, build

    out = tmp_path_factory.mktemp("bundle") / "artifacts"
    build(BuildConfig(fast=True), data_dir, out, cache_dir=out.parent / "spotify-cache")
    return out


@pytest.fixture(scope="session")
def fast_bundle(fast_bundle_dir: Path):
    """The session bundle, loaded once. Treat it as read-only."""
    import recommenders

    return recommenders.load(fast_bundle_dir)
