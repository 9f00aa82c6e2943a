"""Every taste served by the default model as the app serves it (full settings, not --fast): a
niche listener who names one artist gets that artist's genre, not the mainstream."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PROBES = ["Carpathian Forest", "MALICE MIZER"]  # Norwegian black metal; visual kei
MAINSTREAM = {"The Beatles", "Lady Gaga", "Madonna", "Michael Jackson", "Pink Floyd", "Muse"}


@pytest.fixture(scope="module")
def served(data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """A bundle holding only the default model, fitted with its full settings (about 30 s)."""
    import recommenders
    from recommenders.models import DEFAULT_MODEL_ORDER
    from recommenders.pipeline import BuildConfig, build

    out = tmp_path_factory.mktemp("served") / "bundle"
    config = BuildConfig(models=(DEFAULT_MODEL_ORDER[0],), evaluate=False, spotify_live=False)
    build(config, data_dir, out, cache_dir=out.parent / "cache")
    bundle = recommenders.load(out)
    assert bundle.default_model == DEFAULT_MODEL_ORDER[0]
    return bundle


@pytest.mark.parametrize("artist", PROBES)
def test_a_niche_artist_alone_gets_its_own_genre(served, artist) -> None:
    wanted = {t.casefold() for t in served.artist_info(artist)["tags"][:5]}
    results = served.recommend(served.default_model, liked=[artist], k=10)
    sharing = [bool(wanted & {t.casefold() for t in tags}) for tags in results["tags"]]
    assert sum(sharing) >= 6, list(zip(results["name"], sharing, strict=True))
    assert results["name"].iat[0] not in MAINSTREAM
