"""The Hub imitation speaks the protocol the REAL huggingface_hub expects: every test here drives
huggingface_hub's own functions against it (nothing is monkeypatched in huggingface_hub but the
endpoint and cache locations, and nothing goes online)."""

import hashlib
import json
import os
import time
from pathlib import Path

import httpx2
import pytest
from huggingface_hub import (
    CommitOperationAdd,
    CommitOperationDelete,
    HfApi,
    constants,
    hf_hub_download,
    hf_hub_url,
    list_repo_files,
    snapshot_download,
)
from huggingface_hub.errors import (
    HfHubHTTPError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.hf_api import RepoFolder

from tests.hub_imitation import HubImitation, git_blob_sha, hub_imitation, sha256  # noqa: F401

TOKEN = "hf_good_token"
REPO = "user/data"
FILES = {
    "data/ratings.parquet": b"PAR1" + bytes(range(256)) * 40 + b"PAR1",
    "config.json": b'{"factors": 32}\n',
    "model.safetensors": b"".join(hashlib.sha256(b"%d" % i).digest() for i in range(10_000)),
    "README.md": b"# data\n",
    "sub/dir/notes.txt": b"notes\n",
}
LFS = ["data/ratings.parquet", "model.safetensors"]


@pytest.fixture
def hub(hub_imitation: HubImitation) -> HubImitation:  # noqa: F811
    """The imitation, with REPO seeded on main."""
    hub_imitation.seed(REPO, FILES)
    return hub_imitation


def test_fixture_points_huggingface_hub_at_the_imitation(hub: HubImitation) -> None:
    assert constants.ENDPOINT == os.environ["HF_ENDPOINT"] == hub.endpoint
    assert hf_hub_url(REPO, "config.json").startswith(f"{hub.endpoint}/{REPO}/resolve/main/")
    assert sorted(list_repo_files(REPO)) == sorted(FILES)  # the module-level HfApi instance too
    assert Path(hf_hub_download(REPO, "config.json")).is_relative_to(constants.HF_HUB_CACHE)


def test_repo_info_reports_the_branch_head(hub: HubImitation) -> None:
    api = HfApi(endpoint=hub.endpoint)
    info = api.repo_info(REPO, revision="main")
    assert info.sha == hub.head(REPO) and len(info.sha) == 40
    assert {s.rfilename for s in info.siblings} == set(FILES)
    assert info.private is False and info.last_modified is not None
    assert api.repo_info(REPO).sha == api.repo_info(REPO, revision=info.sha).sha == info.sha


def test_tree_is_listed_page_by_page(hub: HubImitation) -> None:
    api = HfApi(endpoint=hub.endpoint)
    assert sorted(api.list_repo_files(REPO)) == sorted(FILES)
    assert hub.requests.count(("GET", f"/api/models/{REPO}/tree/main")) > 1
    entries = {e.path: e for e in api.list_repo_tree(REPO, recursive=True)}
    assert isinstance(entries["sub/dir"], RepoFolder)
    for path in LFS:
        assert entries[path].lfs.sha256 == sha256(FILES[path])
        assert entries[path].size == len(FILES[path])
    assert entries["config.json"].lfs is None
    assert entries["config.json"].blob_id == git_blob_sha(FILES["config.json"])
    top = {"config.json", "README.md", "model.safetensors", "data", "sub"}
    assert {e.path for e in api.list_repo_tree(REPO)} == top  # not recursive


def test_downloads_are_byte_identical_and_lfs_bodies_come_from_the_cdn(hub: HubImitation) -> None:
    folder = Path(snapshot_download(REPO))
    assert folder.name == hub.head(REPO)
    for path, data in FILES.items():
        assert (folder / path).read_bytes() == data
    one = hf_hub_download(REPO, "model.safetensors", revision=hub.head(REPO), force_download=True)
    assert Path(one).read_bytes() == FILES["model.safetensors"]
    bodies = {(origin, path) for origin, method, path, status in hub.log if method == "GET"}
    assert {("cdn", f"/lfs/{sha256(FILES[p])}") for p in LFS} <= bodies
    assert not any(path.endswith(tuple(LFS)) for origin, path in bodies if origin == "hub")


def test_push_round_trip(hub_imitation: HubImitation, tmp_path: Path) -> None:  # noqa: F811
    hub, repo = hub_imitation, "user/pushed"
    api = HfApi(token=TOKEN)  # endpoint from the fixture, as in production code
    url = api.create_repo(repo, private=False, exist_ok=True)
    assert url == api.create_repo(repo, exist_ok=True) == f"{hub.endpoint}/{repo}"  # 409 handled
    api.create_branch(repo, branch="v1", exist_ok=True)
    api.create_branch(repo, branch="v1", exist_ok=True)  # 409 handled
    weights = tmp_path / "weights.npy"
    weights.write_bytes(FILES["model.safetensors"][:200_000])
    readme = b"---\nlicense: mit\ntags: [recommender]\n---\n# Pushed\n"
    first = api.create_commit(
        repo,
        [
            CommitOperationAdd("README.md", readme),
            CommitOperationAdd("weights.npy", weights),  # LFS, streamed from disk
            CommitOperationAdd("config.json", b"{}"),
            CommitOperationAdd("old/a.txt", b"a"),
        ],
        commit_message="push",
        revision="v1",
    )
    assert first.oid == hub.head(repo, "v1") != hub.head(repo, "main")
    expected = {"README.md": readme, "weights.npy": weights.read_bytes(), "config.json": b"{}"}
    assert hub.tree(repo, "v1") == {**hub.tree(repo, "main"), **expected, "old/a.txt": b"a"}
    oid = sha256(weights.read_bytes())
    for request in [
        ("POST", "/api/validate-yaml"),
        ("POST", f"/api/models/{repo}/preupload/v1"),
        ("POST", f"/{repo}.git/info/lfs/objects/batch"),
        ("PUT", f"/lfs/{oid}"),
        ("POST", f"/{repo}.git/info/lfs/objects/verify"),
        ("POST", f"/api/models/{repo}/commit/v1"),
    ]:
        assert request in hub.requests
    second = api.create_commit(
        repo,
        [
            CommitOperationDelete("config.json"),
            CommitOperationDelete("old/", is_folder=True),
            CommitOperationAdd("notes.txt", b"n"),
        ],
        commit_message="tidy",
        revision="v1",
    )
    assert second.oid == hub.head(repo, "v1") != first.oid
    assert set(hub.tree(repo, "v1")) == {".gitattributes", "README.md", "weights.npy", "notes.txt"}
    assert set(hub.tree(repo, first.oid)) > {"config.json", "old/a.txt"}  # old commits remain
    back = hf_hub_download(repo, "weights.npy", revision="v1")
    assert Path(back).read_bytes() == weights.read_bytes()


def test_private_repo_needs_a_valid_token(hub: HubImitation) -> None:
    hub.seed("user/secret", {"config.json": b"{}"}, private=True)
    with pytest.raises(RepositoryNotFoundError) as caught:
        HfApi().repo_info("user/secret")
    assert caught.value.response.status_code == 401
    with pytest.raises(RepositoryNotFoundError):
        hf_hub_download("user/secret", "config.json")
    assert HfApi(token=TOKEN).repo_info("user/secret").private is True
    assert Path(hf_hub_download("user/secret", "config.json", token=TOKEN)).read_bytes() == b"{}"


def test_writes_need_a_valid_token(hub: HubImitation) -> None:
    with pytest.raises(RepositoryNotFoundError) as caught:
        HfApi().create_commit(REPO, [CommitOperationAdd("x.txt", b"x")], commit_message="x")
    assert caught.value.response.status_code == 401
    with pytest.raises(HfHubHTTPError) as caught:
        HfApi().create_repo("user/new")
    assert caught.value.response.status_code == 401


def test_an_invalid_token_is_a_plain_401(hub: HubImitation) -> None:
    with pytest.raises(HfHubHTTPError) as caught:
        HfApi(token="hf_not_a_token").repo_info(REPO)
    assert not isinstance(caught.value, RepositoryNotFoundError)
    assert caught.value.response.status_code == 401
    assert "Invalid credentials in Authorization header" in str(caught.value)


def test_unknown_repo_revision_and_file(hub: HubImitation) -> None:
    with pytest.raises(RepositoryNotFoundError) as caught:
        HfApi().repo_info("user/nope")
    assert caught.value.response.status_code == 404
    with pytest.raises(RevisionNotFoundError):
        HfApi().repo_info(REPO, revision="nope")
    with pytest.raises(RevisionNotFoundError):
        hf_hub_download(REPO, "config.json", revision="nope")
    with pytest.raises(RemoteEntryNotFoundError):
        hf_hub_download(REPO, "nope.json")


@pytest.mark.parametrize("status", [500, 502])
def test_api_errors(hub: HubImitation, status: int) -> None:
    if status == 502:
        hub.faults.api_html_502 = True
    else:
        hub.faults.api_status = status
    with pytest.raises(HfHubHTTPError) as caught:
        HfApi().repo_info(REPO)
    assert caught.value.response.status_code == status
    assert "<html>" not in str(caught.value)  # the library drops HTML bodies from its messages
    hub.faults = type(hub.faults)()
    assert HfApi().repo_info(REPO).sha == hub.head(REPO)


README = CommitOperationAdd("README.md", b"---\nlicense: not-a-license\n---\n")


def test_model_card_faults(hub: HubImitation) -> None:
    api, before = HfApi(token=TOKEN), hub.head(REPO)
    hub.faults.yaml_html_502 = True
    with pytest.raises(json.JSONDecodeError):  # the library parses the body before the status
        api.create_commit(REPO, [README], commit_message="card")
    hub.faults.yaml_html_502 = False
    hub.faults.reject_model_card = True
    with pytest.raises(ValueError, match="Invalid metadata in README.md"):
        api.create_commit(REPO, [README], commit_message="card")
    assert hub.head(REPO) == before


def test_a_failed_lfs_upload_fails_the_commit(hub: HubImitation) -> None:
    hub.faults.lfs_upload_status = 403  # a 5xx would be retried with backoff (about 23 s)
    before = hub.head(REPO)
    with pytest.raises(RuntimeError, match="Error while uploading 'w.npy'") as caught:
        HfApi(token=TOKEN).create_commit(
            REPO, [CommitOperationAdd("w.npy", b"\x93NUMPY" * 100)], commit_message="w"
        )
    assert isinstance(caught.value.__cause__, HfHubHTTPError)
    assert caught.value.__cause__.response.status_code == 403
    assert hub.head(REPO) == before


@pytest.mark.parametrize("big", [True, False])
def test_a_cut_body_is_recovered(hub: HubImitation, big: bool) -> None:
    """The library resumes with ``Range`` only once it holds a whole 10 MiB read chunk: a body cut
    earlier is fetched again from the start."""
    path, data = (
        ("big.safetensors", bytes(range(256)) * (22 << 12)) if big else ("a.txt", b"ab" * 9)
    )
    hub.seed("user/cut", {path: data})
    hub.faults.cut_body = {path}
    assert Path(hf_hub_download("user/cut", path)).read_bytes() == data
    assert hub.faults.cut_body == set()
    statuses = [s for _, method, p, s in hub.log if method == "GET" and not p.startswith("/api/")]
    assert statuses == ([200, 206] if big else [200, 200])


def test_a_flipped_byte_goes_unnoticed_by_the_library(hub: HubImitation) -> None:
    good = FILES["model.safetensors"]
    hub.faults.flip_byte = {"model.safetensors": 1}
    bad = Path(hf_hub_download(REPO, "model.safetensors")).read_bytes()
    assert bad != good and bad[0] == good[0] ^ 0xFF and bad[1:] == good[1:]
    fixed = hf_hub_download(REPO, "model.safetensors", force_download=True)
    assert Path(fixed).read_bytes() == good and hub.faults.flip_byte == {"model.safetensors": 0}


@pytest.mark.timeout(120)
def test_xet_downloads_fail_inside_hf_xet(hub: HubImitation, monkeypatch) -> None:
    monkeypatch.setenv("HF_XET_CLIENT_RETRY_MAX_DURATION", "5s")
    monkeypatch.setenv("HF_XET_CLIENT_CONNECT_TIMEOUT", "2s")
    monkeypatch.setenv("HF_XET_CLIENT_RETRY_MAX_ATTEMPTS", "1")
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", False)
    hub.faults.xet = True
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="CAS Client Error") as caught:
        hf_hub_download(REPO, "model.safetensors")
    assert time.monotonic() - started < 60
    assert hub.xet_cas.split(":")[-1] in str(caught.value)  # it went for the dead storage
    assert ("GET", f"/api/models/{REPO}/xet-read-token/{hub.head(REPO)}") in hub.requests
    assert not any(origin == "cdn" for origin, *_ in hub.log)


def test_a_slow_hub_trips_client_timeouts(hub: HubImitation) -> None:
    hub.faults.slow_seconds = 0.5
    with pytest.raises(httpx2.ReadTimeout):
        HfApi().repo_info(REPO, timeout=0.1)


def test_chunked_request_bodies_are_read(hub: HubImitation) -> None:
    """huggingface_hub 2.4 always sends a Content-Length; other clients may stream chunks."""
    data = b"x" * 5000
    response = httpx2.put(f"{hub.cdn}/lfs/{sha256(data)}", content=iter([data[:10], data[10:]]))
    assert response.status_code == 200 and hub.lfs[sha256(data)] == data


def test_a_stopped_hub_refuses_connections(hub: HubImitation) -> None:
    hub.stop()
    hub.stop()  # idempotent (and the fixture stops it once more)
    with pytest.raises(httpx2.ConnectError):
        HfApi().repo_info(REPO)
