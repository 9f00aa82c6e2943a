"""Which bundle a fresh `python app.py` serves: with no bundle and no Hub repo, the full models,
built once (evaluation skipped) and reused on later starts; the small --fast test bundle only
when asked for, and then the page says so. The build itself is replaced by a copy of the
session's bundle: what is checked is what the app asks the pipeline for, and where."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

import app
from recommenders import loading, pipeline
from recommenders.errors import RecommenderInputError
from tests.app_server import running_app

SPACE = "alice/lastfm-demo"


@pytest.fixture
def fresh_clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """app.py as in a fresh clone: no artifacts/, no Hub repo, no test bundle asked, no Space."""
    monkeypatch.setattr(app, "ROOT", tmp_path / "clone")
    for name in ("RECOMMENDERS_HUB_REPO", "RECOMMENDERS_HUB_REVISION", "RECOMMENDERS_FAST",
                 "SPACE_ID"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "clone"


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch, fast_bundle_dir: Path) -> list:
    """Every (BuildConfig, out) the app asks pipeline.build for; each "build" copies the
    session's bundle to ``out``."""
    calls = []

    def build(config, data_dir, out, cache_dir=None, stage=None):
        calls.append((config, Path(out)))
        stage("fit on all data", 1).update()
        shutil.copytree(fast_bundle_dir, out)
        return {}

    monkeypatch.setattr(pipeline, "build", build)
    return calls


def test_a_fresh_clone_builds_the_full_models_once_and_says_so(fresh_clone, builds, capsys):
    app.load_bundle(None)
    [(config, out)] = builds
    assert (config.fast, config.evaluate) == (False, False)  # full models, evaluation skipped
    assert out == fresh_clone / "artifacts"
    log = capsys.readouterr().out
    for words in ("full models once", "evaluation skipped", "minutes", str(out)):
        assert words in log, log
    app.load_bundle(None)
    assert len(builds) == 1  # a later start loads what the first one built


@pytest.mark.parametrize("asked_by", ["--fast", "RECOMMENDERS_FAST=1"])
def test_the_test_bundle_only_when_asked_and_never_in_place_of_the_full_one(
    fresh_clone, builds, monkeypatch, asked_by
):
    if asked_by != "--fast":
        monkeypatch.setenv(loading.FAST_ENV, "1")
    app.load_bundle(None, fast=asked_by == "--fast")
    monkeypatch.delenv(loading.FAST_ENV, raising=False)
    app.load_bundle(None)  # the next start, not asked: the full models, in their own folder
    assert [(c.fast, out.name) for c, out in builds] == [
        (True, "artifacts-fast"),
        (False, "artifacts"),
    ]


def test_a_wrong_fast_setting_is_refused_with_what_is_accepted(fresh_clone, builds, monkeypatch):
    monkeypatch.setenv(loading.FAST_ENV, "maybe")
    with pytest.raises(RecommenderInputError, match=r"RECOMMENDERS_FAST is 'maybe': use 1"):
        app.load_bundle(None)
    assert builds == []


def test_on_a_space_with_persistent_storage_the_build_lands_there(
    fresh_clone, builds, monkeypatch, tmp_path_factory
):
    storage = tmp_path_factory.mktemp("data")
    monkeypatch.setattr(loading, "SPACE_STORAGE", storage)
    monkeypatch.setenv(loading.SPACE_ENV, SPACE)
    app.load_bundle(None)
    app.load_bundle(None)  # a restart: the bundle in /data is reused
    assert [out for _, out in builds] == [storage / "artifacts"]


def test_the_build_folder_is_the_storage_only_on_a_space(tmp_path):
    root, storage = tmp_path / "app", tmp_path / "data"
    on_space = {loading.SPACE_ENV: SPACE}
    assert loading.app_build_dir(root, False, on_space, storage) == root / "artifacts"  # none
    storage.mkdir()
    assert loading.app_build_dir(root, False, {}, storage) == root / "artifacts"  # not a Space
    assert loading.app_build_dir(root, False, on_space, storage) == storage / "artifacts"
    assert loading.app_build_dir(root, True, on_space, storage) == storage / "artifacts-fast"


def test_only_a_fast_bundle_gets_the_note(fast_bundle):
    assert "--fast" in app.fast_bundle_note(fast_bundle)

    config = {**fast_bundle.manifest["config"], "fast": False}
    full = SimpleNamespace(manifest={**fast_bundle.manifest, "config": config})
    assert app.fast_bundle_note(full) is None
    assert app.fast_bundle_note(SimpleNamespace(manifest={})) is None  # no recorded config


@pytest.mark.slow
def test_the_page_of_a_fast_bundle_shows_the_note(fast_bundle_dir):
    with (
        running_app(fast_bundle_dir) as (url, _seconds, _pid),
        urllib.request.urlopen(f"{url}config") as response,
    ):
        components = json.load(response)["components"]
    notes = [c["props"] for c in components if c["props"].get("elem_id") == "fast-bundle-note"]
    assert len(notes) == 1 and "less accurate" in notes[0]["value"], notes
