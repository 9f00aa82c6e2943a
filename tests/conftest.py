"""Fixtures shared by the whole suite (where the shipped dataset lives, loaded once), and the rule
that under CI nothing is skipped.

Under CI (the CI environment variable set, as .ci/run and every CI service do) a skipped test is a
failed one: a missing Chromium, playwright or ranx, or a parametrized test left with no
parameters, must not turn a green run into one that checked less. Outside CI a skip stays a skip,
listed with its reason at the end of the run (``-ra``), so a contributor without Chromium can
still run everything else.
"""

import os
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


# -- under CI, a skip is a failure ---------------------------------------------------------------
def in_ci(environ=os.environ) -> bool:
    """CI=true (or any value but empty, 0, false, no), as CI services and .ci/run set it."""
    return environ.get("CI", "").strip().casefold() not in ("", "0", "false", "no")


def _fail_if_skipped_in_ci(report: pytest.TestReport | pytest.CollectReport) -> None:
    if not (report.skipped and in_ci()) or hasattr(report, "wasxfail"):
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    report.outcome = "failed"
    report.longrepr = (
        f"Skipped under CI, where every test must run ({reason}). Install what it needs "
        "(requirements-dev.txt, Debian's chromium) or give it something to test."
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    _fail_if_skipped_in_ci(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector):
    """A module skipped as a whole (importorskip at import, allow_module_level) counts too."""
    report = yield
    _fail_if_skipped_in_ci(report)
    return report
