"""Push to / pull from the Hub with huggingface_hub mocked at its boundary: nothing goes online.

HfApi methods are replaced on the class (they record their calls), and snapshot_download by a fake
that copies a local "remote repo" folder into a fake cache, honouring allow_patterns.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

import httpx2
import pytest
from huggingface_hub import HfApi, ModelCard
from huggingface_hub.errors import (
    HfHubHTTPError,
    LocalEntryNotFoundError,
    OfflineModeIsEnabled,
    RepositoryNotFoundError,
)
from huggingface_hub.hf_api import RepoUrl
from huggingface_hub.utils import filter_repo_objects

import recommenders
from recommenders import hub
from recommenders.artifacts import MANIFEST, write_manifest
from recommenders.errors import BundleError, RecommenderInputError
from recommenders.loading import HUB_REPO_ENV, HUB_REVISION_ENV, app_bundle_source
from recommenders.model_card import TAGS, build_model_card
from recommenders.models import MODEL_NAMES

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


class FakeHub:
    """Records the HfApi calls push_bundle makes; ``fail`` makes create_commit raise it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple, dict]] = []
        self.fail: BaseException | None = None

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FakeHub:
        def create_repo(api: HfApi, repo_id: str, **kwargs: Any) -> RepoUrl:
            self.calls.append(("create_repo", (repo_id,), kwargs))
            return RepoUrl(f"https://huggingface.co/{repo_id}")

        def create_branch(api: HfApi, repo_id: str, **kwargs: Any) -> None:
            self.calls.append(("create_branch", (repo_id,), kwargs))

        def create_commit(api: HfApi, repo_id: str, operations: Any, **kwargs: Any) -> None:
            self.calls.append(("create_commit", (repo_id, list(operations)), kwargs))
            if self.fail is not None:
                raise self.fail

        def upload_anything(api: HfApi, *args: Any, **kwargs: Any) -> None:
            raise AssertionError("push_bundle must upload with create_commit only")

        monkeypatch.setattr(HfApi, "create_repo", create_repo)
        monkeypatch.setattr(HfApi, "create_branch", create_branch)
        monkeypatch.setattr(HfApi, "create_commit", create_commit)
        monkeypatch.setattr(HfApi, "upload_folder", upload_anything)
        monkeypatch.setattr(HfApi, "upload_file", upload_anything)
        return self

    def named(self, name: str) -> list[tuple[tuple, dict]]:
        return [(args, kwargs) for call, args, kwargs in self.calls if call == name]


@pytest.fixture()
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> FakeHub:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    return FakeHub().install(monkeypatch)


class FakeSnapshots:
    """Stands in for snapshot_download: a local folder is the remote repo, ``cache`` the cache.

    ``online=False`` makes online calls raise like huggingface_hub does when offline.
    """

    def __init__(self, remote: Path, cache: Path, online: bool = True) -> None:
        self.remote, self.cache, self.online = remote, cache, online
        self.calls: list[dict[str, Any]] = []

    @property
    def snapshot(self) -> Path:
        return self.cache / "models--alice--lastfm-recommenders" / "snapshots" / "0123abcd"

    def __call__(self, repo_id: str, **kwargs: Any) -> str:
        self.calls.append({"repo_id": repo_id, **kwargs})
        if kwargs.get("local_files_only"):
            if not self.snapshot.is_dir():
                raise LocalEntryNotFoundError("Cannot find an appropriate cached snapshot folder")
            return str(self.snapshot)
        if not self.online:
            raise OfflineModeIsEnabled("Cannot reach https://huggingface.co: offline mode is on")
        names = [p.relative_to(self.remote).as_posix() for p in self.remote.rglob("*")]
        names = [n for n in names if (self.remote / n).is_file()]
        for name in filter_repo_objects(names, allow_patterns=kwargs.get("allow_patterns")):
            target = self.snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.remote / name, target)
        return str(self.snapshot)


def remote_repo(bundle: Path, tmp_path: Path) -> Path:
    """A copy of ``bundle`` as it sits on the Hub: plus the card and .gitattributes."""
    remote = tmp_path / "remote"
    shutil.copytree(bundle, remote)
    (remote / "README.md").write_text(
        str(build_model_card(json.loads((bundle / MANIFEST).read_text())))
    )
    (remote / ".gitattributes").write_text("*.safetensors filter=lfs diff=lfs merge=lfs -text\n")
    return remote


def listed_files(bundle: Path) -> set[str]:
    return {MANIFEST, *json.loads((bundle / MANIFEST).read_text())["files"]}


# -- push --------------------------------------------------------------------------------------
def test_push_uploads_exactly_the_bundle_and_card_in_one_commit(fake_hub, tiny_bundle):
    url = hub.push_bundle(tiny_bundle, REPO, private=True, revision="v1")

    (repo_call,) = fake_hub.named("create_repo")
    assert repo_call[0] == (REPO,)
    assert repo_call[1]["private"] is True and repo_call[1]["exist_ok"] is True
    (branch_call,) = fake_hub.named("create_branch")
    assert branch_call[1]["branch"] == "v1" and branch_call[1]["exist_ok"] is True
    (commit,) = fake_hub.named("create_commit")
    (repo_id, operations), kwargs = commit
    assert repo_id == REPO and kwargs["revision"] == "v1"
    paths = [op.path_in_repo for op in operations]
    assert len(paths) == len(set(paths))
    assert set(paths) == listed_files(tiny_bundle) | {"README.md"}
    for op in operations:
        if op.path_in_repo != "README.md":
            assert (
                Path(op.path_or_fileobj).read_bytes()
                == (tiny_bundle / op.path_in_repo).read_bytes()
            )
    card = next(op.path_or_fileobj for op in operations if op.path_in_repo == "README.md")
    assert ModelCard(card.decode()).data.to_dict()["license"] == "other"
    assert url == f"https://huggingface.co/{REPO}/tree/v1"


def test_push_to_main_is_public_by_default_and_creates_no_branch(fake_hub, tiny_bundle):
    url = hub.push_bundle(tiny_bundle, REPO)
    assert fake_hub.named("create_repo")[0][1]["private"] is False
    assert not fake_hub.named("create_branch")
    assert fake_hub.named("create_commit")[0][1]["revision"] is None
    assert url == f"https://huggingface.co/{REPO}"


def test_push_skips_files_missing_from_the_manifest(fake_hub, tiny_bundle, caplog):
    (tiny_bundle / "notes.txt").write_text("not part of the bundle")
    hub.push_bundle(tiny_bundle, REPO)
    (_, operations), _ = fake_hub.named("create_commit")[0]
    assert "notes.txt" not in {op.path_in_repo for op in operations}
    assert "notes.txt" in caplog.text


def test_tampered_bundle_is_refused_before_contacting_the_hub(fake_hub, tiny_bundle):
    (tiny_bundle / "models" / "popularity" / "weights.safetensors").write_bytes(b"tampered")
    with pytest.raises(BundleError, match="weights.safetensors"):
        hub.push_bundle(tiny_bundle, REPO)
    assert fake_hub.calls == []


def test_token_is_never_printed_logged_or_written(fake_hub, tiny_bundle, tmp_path, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    before = {p: p.read_bytes() for p in tiny_bundle.rglob("*") if p.is_file()}
    hub.push_bundle(tiny_bundle, REPO, token=TOKEN, revision="dev")

    for _, kwargs in fake_hub.named("create_repo") + fake_hub.named("create_commit"):
        assert kwargs["token"] == TOKEN  # it is used, only handed to huggingface_hub
    out, err = capsys.readouterr()
    assert TOKEN not in out + err
    assert TOKEN not in caplog.text
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
    after = {p: p.read_bytes() for p in tiny_bundle.rglob("*") if p.is_file()}
    assert after == before
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
    (_, operations), _ = fake_hub.named("create_commit")[0]
    card = next(op.path_or_fileobj for op in operations if op.path_in_repo == "README.md")
    assert TOKEN.encode() not in card


@pytest.mark.parametrize("passed", [TOKEN, None])
def test_hub_errors_do_not_leak_the_token(fake_hub, tiny_bundle, passed):
    request = httpx2.Request("POST", f"https://huggingface.co/api/models/{REPO}/commit/main")
    response = httpx2.Response(401, request=request)
    fake_hub.fail = HfHubHTTPError(f"401 Unauthorized: bad token {TOKEN}", response=response)
    with pytest.raises(BundleError) as caught:
        hub.push_bundle(tiny_bundle, REPO, token=passed)
    assert TOKEN not in str(caught.value)
    assert "401 Unauthorized" in str(caught.value) and REPO in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_push_without_any_token_says_how_to_log_in(fake_hub, tiny_bundle, monkeypatch):
    monkeypatch.delenv("HF_TOKEN")
    monkeypatch.setattr(hub, "get_token", lambda: None)
    with pytest.raises(BundleError, match="hf auth login"):
        hub.push_bundle(tiny_bundle, REPO)
    assert fake_hub.calls == []


@pytest.mark.parametrize("bad", ["no-slash", "a/b/c", "alice/bad--name", "alice/", " ", 42])
def test_invalid_repo_ids_are_refused_with_the_accepted_form(fake_hub, tiny_bundle, bad):
    with pytest.raises(RecommenderInputError, match="user/repo"):
        hub.push_bundle(tiny_bundle, bad)
    with pytest.raises(RecommenderInputError, match="user/repo"):
        hub.download_bundle(bad)
    assert fake_hub.calls == []


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


# -- pull --------------------------------------------------------------------------------------
def test_download_fetches_only_bundle_files(tmp_path, tiny_bundle, monkeypatch):
    fake = FakeSnapshots(remote_repo(tiny_bundle, tmp_path), tmp_path / "cache")
    monkeypatch.setattr(hub, "snapshot_download", fake)
    path = hub.download_bundle(REPO, revision="v1", cache_dir=tmp_path / "cache")
    got = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
    assert got == listed_files(tiny_bundle)
    (call,) = fake.calls
    assert call["repo_id"] == REPO and call["revision"] == "v1"
    assert call["cache_dir"] == tmp_path / "cache"


@pytest.mark.slow
def test_loading_from_the_hub_gives_the_same_recommendations(tmp_path, real_bundle, monkeypatch):
    fake = FakeSnapshots(remote_repo(real_bundle, tmp_path), tmp_path / "cache")
    monkeypatch.setattr(hub, "snapshot_download", fake)
    from_hub = recommenders.load(REPO)
    local = recommenders.load(real_bundle)
    assert from_hub.path == fake.snapshot
    assert from_hub.model_names == local.model_names == MODEL_NAMES
    for model in MODEL_NAMES:
        for kwargs in [{"liked": ["Radiohead", "Muse"]}, {"user_id": 2}]:
            expected = local.recommend(model, k=10, **kwargs)
            got = from_hub.recommend(model, k=10, **kwargs)
            assert got.equals(expected)
            assert len(got) == 10


def test_a_tampered_download_is_refused_naming_the_file(tmp_path, tiny_bundle, monkeypatch):
    remote = remote_repo(tiny_bundle, tmp_path)
    (remote / "interactions.safetensors").write_bytes(b"evil bytes")
    monkeypatch.setattr(hub, "snapshot_download", FakeSnapshots(remote, tmp_path / "cache"))
    with pytest.raises(BundleError, match="interactions.safetensors"):
        recommenders.load(REPO)


def test_an_unknown_format_version_is_refused(tmp_path, tiny_bundle, monkeypatch):
    remote = remote_repo(tiny_bundle, tmp_path)
    manifest = json.loads((remote / MANIFEST).read_text())
    (remote / MANIFEST).write_text(json.dumps({**manifest, "format_version": 99}))
    monkeypatch.setattr(hub, "snapshot_download", FakeSnapshots(remote, tmp_path / "cache"))
    with pytest.raises(BundleError, match="format version 99"):
        recommenders.load(REPO)


@pytest.mark.slow
def test_offline_loads_from_the_cache(tmp_path, real_bundle, monkeypatch, caplog):
    fake = FakeSnapshots(remote_repo(real_bundle, tmp_path), tmp_path / "cache")
    monkeypatch.setattr(hub, "snapshot_download", fake)
    expected = recommenders.load(REPO).recommend("popularity", liked=["Radiohead"], k=5)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    fake.online = False
    bundle = recommenders.load(REPO)
    assert bundle.recommend("popularity", liked=["Radiohead"], k=5).equals(expected)
    assert fake.calls[-1]["local_files_only"] is True
    assert "cached copy" in caplog.text


def test_offline_download_falls_back_to_the_cache(tmp_path, tiny_bundle, monkeypatch):
    fake = FakeSnapshots(remote_repo(tiny_bundle, tmp_path), tmp_path / "cache")
    monkeypatch.setattr(hub, "snapshot_download", fake)
    cached = hub.download_bundle(REPO)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    fake.online = False
    assert hub.download_bundle(REPO) == cached
    assert [c.get("local_files_only", False) for c in fake.calls] == [False, False, True]


def test_no_network_and_no_cache_explains_what_to_do(tmp_path, tiny_bundle, monkeypatch):
    fake = FakeSnapshots(remote_repo(tiny_bundle, tmp_path), tmp_path / "cache", online=False)
    monkeypatch.setattr(hub, "snapshot_download", fake)
    with pytest.raises(BundleError) as caught:
        recommenders.load(REPO)
    message = str(caught.value)
    assert REPO in message and "network once" in message and "local bundle folder" in message


def test_unknown_repo_is_a_bundle_error_naming_it(monkeypatch):
    def missing(repo_id: str, **kwargs: Any) -> str:
        response = httpx2.Response(404, request=httpx2.Request("GET", "https://huggingface.co"))
        raise RepositoryNotFoundError("404 Repository Not Found", response=response)

    monkeypatch.setattr(hub, "snapshot_download", missing)
    with pytest.raises(BundleError, match="alice/nope.*not found"):
        hub.download_bundle("alice/nope")


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


# -- the real snapshot_download, with huggingface_hub's own offline switch on --------------------
@pytest.fixture()
def hub_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """HF_HUB_OFFLINE as huggingface_hub reads it: every HTTP request raises before it is sent."""
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)


def fill_hub_cache(cache: Path, bundle: Path, revision: str = "main") -> Path:
    """Lay ``bundle`` out as huggingface_hub's cache does: refs/<revision> → snapshots/<commit>."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo_folder = cache / "models--alice--lastfm-recommenders"
    (repo_folder / "refs").mkdir(parents=True)
    (repo_folder / "refs" / revision).write_text(commit)
    snapshot = repo_folder / "snapshots" / commit
    shutil.copytree(bundle, snapshot)
    return snapshot


def test_real_snapshot_download_offline_uses_the_cache(tmp_path, tiny_bundle, hub_offline):
    snapshot = fill_hub_cache(tmp_path / "cache", tiny_bundle)
    assert hub.download_bundle(REPO, cache_dir=tmp_path / "cache") == snapshot


def test_real_snapshot_download_offline_without_cache_is_a_clear_error(
    tmp_path, tiny_bundle, hub_offline
):
    fill_hub_cache(tmp_path / "cache", tiny_bundle, revision="other")  # only another revision
    with pytest.raises(BundleError, match=r"network once to download 'alice/lastfm-recommenders'"):
        hub.download_bundle(REPO, cache_dir=tmp_path / "cache")
