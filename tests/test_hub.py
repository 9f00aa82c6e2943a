"""Push to / pull from the Hub: the REAL huggingface_hub against a local imitation of the Hub.

tests/hub_imitation.py answers the Hub's HTTP endpoints on 127.0.0.1 (API, resolve with a
redirect to a second "CDN" origin, LFS upload, commit), so every call here runs the library's
own code; nothing is mocked in huggingface_hub and nothing goes online. Faults: test_hub_faults.py.
"""

from __future__ import annotations

import json
import logging
import warnings
from pathlib import Path
from typing import Any

import pytest
from huggingface_hub import ModelCard

import build_artifacts
import recommenders
from recommenders import hub
from recommenders.artifacts import MANIFEST, write_manifest
from recommenders.errors import BundleError, RecommenderInputError
from recommenders.hub.cache import repo_cache_folder
from recommenders.loading import HUB_REPO_ENV, HUB_REVISION_ENV, app_bundle_source
from recommenders.model_card import TAGS, build_model_card
from recommenders.models import MODEL_NAMES
from tests.hub_imitation import HubImitation, hub_imitation  # noqa: F401

TOKEN = "hf_TestSecretToken0123456789abcdef"
REPO = "alice/lastfm-recommenders"


# -- fixtures ----------------------------------------------------------------------------------
def realistic_manifest() -> dict[str, Any]:
    """A manifest shaped like pipeline.build writes, with distinct metrics per model."""
    metrics = {}
    for i, name in enumerate(["popularity", "clustering", "svd", "softmax"]):
        mean = {
            "precision": 0.06 + i * 0.011,
            "recall": 0.07 + i * 0.012,
            "ndcg": 0.0834 + i * 0.0213,
            "map": 0.038 + i * 0.01,
            "coverage": 0.0015 + i * 0.05,
            "novelty": 2.43 + i * 0.7,
            "mean_listeners": 354.5 - i * 40,
            "fit_seconds": 0.01 + i,
        }
        std = {m: 0.001 * (i + 1) for m in mean if m != "fit_seconds"}
        metrics[name] = {"k": 10, "seeds": [0, 1, 2], "mean": mean, "std": std, "runs": []}
    return {
        "created_at": "2026-11-27T02:43:13+00:00",
        "config": {"seed": 0, "fast": False, "evaluate": True, "eval_seeds": [0, 1, 2], "k": 10},
        "model_configs": {"softmax": {"hidden": 256, "epochs": 20, "seed": 0}},
        "seed": 0,
        "models": list(metrics),
        "data_hashes": {"hetrec2011-lastfm-2k/user_artists.dat": "00" * 32},
        "package_versions": {"python": "3.11.7", "torch": "2.13.0+cpu"},
        "spotify_coverage": {"artists_with_genres_share": 0.248, "rows_with_genres_share": 0.678},
        "metrics": metrics,
        "format_version": 1,
    }


@pytest.fixture()
def tiny_bundle(tmp_path: Path) -> Path:
    """A hand-made bundle folder: a few files and a real manifest (not loadable as a Bundle)."""
    directory = tmp_path / "tiny"
    (directory / "models" / "popularity").mkdir(parents=True)
    (directory / "exploration").mkdir()
    (directory / "catalog.parquet").write_bytes(b"catalog bytes")
    (directory / "interactions.safetensors").write_bytes(b"interaction bytes")
    (directory / "models" / "popularity" / "config.json").write_text("{}")
    (directory / "models" / "popularity" / "weights.safetensors").write_bytes(b"weights")
    (directory / "exploration" / "users.parquet").write_bytes(b"users")
    manifest = realistic_manifest()
    del manifest["format_version"]
    write_manifest(directory, manifest)
    return directory


@pytest.fixture(scope="session")
def real_bundle(fast_bundle_dir: Path) -> Path:
    """The session's bundle, built like `build_artifacts.py --fast` (every model)."""
    return fast_bundle_dir


@pytest.fixture()
def hub_site(hub_imitation: HubImitation, monkeypatch: pytest.MonkeyPatch) -> HubImitation:  # noqa: F811
    """The imitation, accepting TOKEN, which is also in HF_TOKEN (as after `hf auth login`)."""
    hub_imitation.valid_tokens.add(TOKEN)
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    return hub_imitation


def listed_files(bundle: Path) -> set[str]:
    return {MANIFEST, *json.loads((bundle / MANIFEST).read_text())["files"]}


def bundle_bytes(bundle: Path) -> dict[str, bytes]:
    return {name: (bundle / name).read_bytes() for name in listed_files(bundle)}


def downloads(site: HubImitation) -> list[str]:
    """Repo paths asked for, in order (one HEAD /resolve per download, LFS bodies or not)."""
    fetched = [path for method, path in site.requests if method == "HEAD" and "/resolve/" in path]
    return [path.split("/resolve/", 1)[1].split("/", 1)[1] for path in fetched]


# -- push --------------------------------------------------------------------------------------
def test_push_uploads_exactly_the_bundle_and_card_in_one_commit(hub_site, tiny_bundle):
    url = hub.push_bundle(tiny_bundle, REPO, private=True, revision="v1")

    tree = hub_site.tree(REPO, "v1")
    assert set(tree) == listed_files(tiny_bundle) | {"README.md", ".gitattributes"}
    assert {n: tree[n] for n in listed_files(tiny_bundle)} == bundle_bytes(tiny_bundle)
    assert ModelCard(tree["README.md"].decode()).data.to_dict()["license"] == "other"
    commits = [p for m, p in hub_site.requests if m == "POST" and "/commit/" in p]
    assert commits == [f"/api/models/{REPO}/commit/v1"]
    assert url == f"{hub_site.endpoint}/{REPO}/tree/v1"
    assert hub_site.repos[REPO].private
    assert hub_site.tree(REPO, "main") == {".gitattributes": hub_site.tree(REPO)[".gitattributes"]}


def test_push_to_main_is_public_by_default_and_creates_no_branch(hub_site, tiny_bundle):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        url = hub.push_bundle(tiny_bundle, REPO)
    assert not [w for w in caught if issubclass(w.category, UserWarning)]  # no parquet noise
    assert not hub_site.repos[REPO].private
    assert set(hub_site.repos[REPO].branches) == {"main"}
    assert not [p for m, p in hub_site.requests if "/branch/" in p]
    assert url == f"{hub_site.endpoint}/{REPO}"


def test_push_skips_files_missing_from_the_manifest(hub_site, tiny_bundle, caplog):
    (tiny_bundle / "notes.txt").write_text("not part of the bundle")
    hub.push_bundle(tiny_bundle, REPO)
    assert "notes.txt" not in hub_site.tree(REPO)
    assert "notes.txt" in caplog.text


def test_push_over_an_older_bundle_removes_its_files_in_the_same_commit(hub_site, tiny_bundle):
    stale = {
        "models/softmax/weights.safetensors": b"old weights" * 1000,
        "models/softmax/config.json": b"{}",
        "notes/old.txt": b"old",
    }
    hub_site.seed(REPO, {**stale, "README.md": b"# old card", ".gitattributes": b"*.x lfs\n"})
    before = len(hub_site.repos[REPO].commits)

    hub.push_bundle(tiny_bundle, REPO)

    tree = hub_site.tree(REPO)
    assert set(tree) == listed_files(tiny_bundle) | {"README.md", ".gitattributes"}
    assert tree[".gitattributes"] == b"*.x lfs\n"  # kept as it was
    assert tree["README.md"] != b"# old card"  # replaced by the new card
    assert len(hub_site.repos[REPO].commits) == before + 1  # one commit: adds and deletes


def test_tampered_bundle_is_refused_before_contacting_the_hub(hub_site, tiny_bundle):
    (tiny_bundle / "models" / "popularity" / "weights.safetensors").write_bytes(b"tampered")
    with pytest.raises(BundleError, match="weights.safetensors"):
        hub.push_bundle(tiny_bundle, REPO)
    assert hub_site.requests == []


def test_token_is_never_printed_logged_or_written(hub_site, tiny_bundle, tmp_path, capfd, caplog):
    caplog.set_level(logging.DEBUG)
    before = bundle_bytes(tiny_bundle)
    hub.push_bundle(tiny_bundle, REPO, token=TOKEN, revision="dev")

    out, err = capfd.readouterr()
    assert TOKEN not in out + err
    assert TOKEN not in caplog.text
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
    assert bundle_bytes(tiny_bundle) == before
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
    assert all(TOKEN.encode() not in data for data in hub_site.tree(REPO, "dev").values())


def test_push_without_any_token_says_how_to_log_in(hub_site, tiny_bundle, monkeypatch):
    monkeypatch.delenv("HF_TOKEN")
    with pytest.raises(BundleError, match="hf auth login"):
        hub.push_bundle(tiny_bundle, REPO)
    assert hub_site.requests == []


@pytest.mark.parametrize("bad", ["no-slash", "a/b/c", "alice/bad--name", "alice/", " ", 42])
def test_invalid_repo_ids_are_refused_with_the_accepted_form(hub_site, tiny_bundle, bad):
    with pytest.raises(RecommenderInputError, match="user/repo"):
        hub.push_bundle(tiny_bundle, bad)
    with pytest.raises(RecommenderInputError, match="user/repo"):
        hub.download_bundle(bad)
    assert hub_site.requests == []


# -- model card --------------------------------------------------------------------------------
def test_model_card_metadata_parses_and_table_has_every_models_ndcg():
    manifest = realistic_manifest()
    text = str(build_model_card(manifest, repo_id=REPO))
    data = ModelCard(text).data.to_dict()
    assert data["license"] == "other" and data["license_name"] and data["license_link"]
    assert set(TAGS) <= set(data["tags"])
    assert data["library_name"] and data["datasets"]
    rows = {
        line.split("|")[1].strip(" `"): line for line in text.splitlines() if line.startswith("| `")
    }
    for name, result in manifest["metrics"].items():
        assert f"{result['mean']['ndcg']:.4f}" in rows[name].split("|")[4]
    for needle in ["non-commercial", "Cantador", "RecSys 2011", "80/20", "@10", "1,892", "2011"]:
        assert needle in text
    assert f'recommenders.load("{REPO}")' in text and 'recommend("softmax"' in text
    assert manifest["data_hashes"]["hetrec2011-lastfm-2k/user_artists.dat"] in text
    assert "2.13.0+cpu" in text


def test_model_card_of_a_build_without_evaluation_says_so():
    manifest = {**realistic_manifest(), "metrics": {}, "models": ["popularity"]}
    text = str(build_model_card(manifest))
    assert "without offline evaluation" in text
    assert "| `softmax`" not in text and "| `popularity`" in text
    assert 'recommend("popularity"' in text


@pytest.mark.parametrize("quiet", [False, True])
def test_quiet_silences_the_hub_progress_bars(hub_site, tiny_bundle, capfd, quiet):
    from huggingface_hub.utils import enable_progress_bars

    argv = ["--push-only", "--push-to-hub", REPO, "--out", str(tiny_bundle)]
    try:
        assert build_artifacts.main([*argv, "--quiet"] if quiet else argv) == 0
    finally:
        enable_progress_bars()
    out, err = capfd.readouterr()
    assert f"Pushed to {hub_site.endpoint}/{REPO}" in out
    assert ("Upload" in err) is not quiet  # huggingface_hub's bars go to stderr
    if quiet:
        assert err.strip() == ""


def test_a_failed_push_says_how_to_push_again_without_rebuilding(hub_site, tiny_bundle, capfd):
    hub_site.faults.api_status = 403
    argv = ["--push-only", "--push-to-hub", REPO, "--out", str(tiny_bundle), "--revision", "v2"]
    assert build_artifacts.main(argv) == 2
    err = capfd.readouterr().err
    assert "403" in err and "write access" in err and TOKEN not in err
    assert f"--push-only --push-to-hub {REPO} --out {tiny_bundle} --revision v2" in err


# -- pull --------------------------------------------------------------------------------------
def test_download_reads_the_manifest_first_and_fetches_exactly_its_files(hub_site, tiny_bundle):
    stale = {"models/softmax/weights.safetensors": b"w" * 50_000, "old/notes.txt": b"x"}
    hub_site.seed(REPO, {**bundle_bytes(tiny_bundle), **stale, "README.md": b"# card"})

    path = hub.download_bundle(REPO)

    got = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
    assert got == listed_files(tiny_bundle)
    assert downloads(hub_site)[0] == MANIFEST
    assert sorted(downloads(hub_site)) == sorted(listed_files(tiny_bundle))
    assert path.parent.parent == repo_cache_folder(REPO)
    assert (repo_cache_folder(REPO) / "refs" / "main").read_text() == hub_site.head(REPO)


def test_download_of_a_revision_uses_that_branch(hub_site, tiny_bundle):
    files = bundle_bytes(tiny_bundle)
    hub_site.seed(REPO, {**files, "catalog.parquet": b"not the same"}, branch="main")
    commit = hub_site.seed(REPO, files, branch="v1")
    path = hub.download_bundle(REPO, revision="v1")
    assert path.name == commit
    assert (path / "catalog.parquet").read_bytes() == files["catalog.parquet"]


def test_a_file_that_differs_from_its_manifest_is_refused_naming_it(hub_site, tiny_bundle):
    files = {**bundle_bytes(tiny_bundle), "interactions.safetensors": b"evil bytes"}
    hub_site.seed(REPO, files)
    with pytest.raises(BundleError, match="interactions.safetensors") as caught:
        recommenders.load(REPO)
    assert str(repo_cache_folder(REPO)) in str(caught.value) and "rm -rf" in str(caught.value)
    assert downloads(hub_site).count("interactions.safetensors") == 2  # tried once more


def test_an_unknown_format_version_is_refused(hub_site, tiny_bundle):
    files = bundle_bytes(tiny_bundle)
    manifest = json.loads(files[MANIFEST])
    hub_site.seed(
        REPO, {**files, MANIFEST: json.dumps({**manifest, "format_version": 99}).encode()}
    )
    with pytest.raises(BundleError, match="format version 99"):
        recommenders.load(REPO)


@pytest.mark.slow
def test_build_push_and_load_round_trip_gives_identical_recommendations(
    hub_site, real_bundle, capfd
):
    """build --fast (the session bundle) → build_artifacts.py --push-only → recommenders.load."""
    argv = ["--push-only", "--push-to-hub", REPO, "--out", str(real_bundle)]
    assert build_artifacts.main(argv) == 0
    assert "Pushed to" in capfd.readouterr().out

    from_hub = recommenders.load(REPO)
    local = recommenders.load(real_bundle)
    assert from_hub.path.parent.parent == repo_cache_folder(REPO)
    assert from_hub.model_names == local.model_names == MODEL_NAMES
    for model in MODEL_NAMES:
        for kwargs in [{"liked": ["Radiohead", "Muse"]}, {"user_id": 2}]:
            expected = local.recommend(model, k=10, **kwargs)
            got = from_hub.recommend(model, k=10, **kwargs)
            assert got.equals(expected) and len(got) == 10


# -- Space settings ----------------------------------------------------------------------------
def test_app_bundle_source_from_env(tmp_path):
    none_here = tmp_path / "no-bundle"
    assert app_bundle_source(None, none_here, {}) is None
    assert app_bundle_source(None, none_here, {HUB_REPO_ENV: "  "}) is None
    assert app_bundle_source(None, none_here, {HUB_REPO_ENV: REPO}) == (REPO, None)
    env = {HUB_REPO_ENV: f" {REPO} ", HUB_REVISION_ENV: "v2"}
    assert app_bundle_source(None, none_here, env) == (REPO, "v2")
    with pytest.raises(RecommenderInputError, match=HUB_REPO_ENV):
        app_bundle_source(None, none_here, {HUB_REPO_ENV: "not a repo"})


def test_app_bundle_source_reads_the_process_environment(monkeypatch, tmp_path):
    monkeypatch.setenv(HUB_REPO_ENV, REPO)
    monkeypatch.delenv(HUB_REVISION_ENV, raising=False)
    assert app_bundle_source(None, tmp_path) == (REPO, None)


@pytest.mark.slow
def test_example_script_prints_ten_recommendations_and_similar_artists(real_bundle, capsys):
    import runpy

    script = Path(__file__).resolve().parents[1] / "examples" / "use_pretrained.py"
    main = runpy.run_path(str(script))["main"]
    assert main(["use_pretrained.py", str(real_bundle)]) == 0
    out = capsys.readouterr().out
    top, similar = out.split("Artists similar to Radiohead")
    bundle = recommenders.load(real_bundle)
    model = bundle.default_model
    for name in bundle.recommend(model, liked=["Radiohead", "Muse"], k=10)["name"]:
        assert name in top
    for name in bundle.similar_artists(model, "Radiohead", k=10)["name"]:
        assert name in similar
    assert len(similar.strip().splitlines()) == 12  # title, header, 10 rows
    assert main(["use_pretrained.py", "not a bundle"]) == 2
