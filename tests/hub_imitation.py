"""A small local imitation of the Hugging Face Hub's HTTP endpoints, for tests.

The REAL huggingface_hub code talks to it (``HF_ENDPOINT`` / ``endpoint=``); nothing goes online.
Two origins, like the real Hub: the hub itself (API, /resolve, git-LFS batch, commit) and a "CDN"
that receives and serves LFS bodies (the hub answers 302 to it). Model repos ("ns/name") and
Space repos (kept as "spaces/ns/name", reached under /api/spaces/ and /spaces/); no datasets.
The server part is stdlib only; the ``hub_imitation`` pytest fixture points huggingface_hub at it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import pytest

LFS_SUFFIXES = (".parquet", ".safetensors", ".npz", ".npy")
LFS_MIN_SIZE = 1_000_000  # bytes: bigger files are LFS whatever their name
SAMPLE = 512  # bytes of a file that preupload sends, and the imitation looks at for binary
BINARY_REFUSED = (
    "Your push was rejected because it contains binary files. Please use "
    "https://huggingface.co/docs/hub/xet to store binary files."
)
TREE_PAGE_SIZE = 3
GITATTRIBUTES = b"".join(
    b"*%s filter=lfs diff=lfs merge=lfs -text\n" % s.encode() for s in LFS_SUFFIXES
)
HTML_502 = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
NO_AUTH = "Invalid username or password."
HF_FLAGS = {"HF_HUB_DISABLE_TELEMETRY": True, "HF_HUB_DISABLE_XET": True, "HF_HUB_OFFLINE": False}
HF_UNSET = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_OIDC_RESOURCE", "TRANSFORMERS_OFFLINE")


def is_lfs(path: str, size: int, head: bytes = b"") -> bool:
    """Whether the imitation stores this file in LFS: by name, by size, or because it is binary
    (a NUL byte in its first bytes, git's test), as the Hub, which refuses binary files outside
    LFS/Xet. ``head``: the file's first bytes (preupload's 512-byte sample)."""
    return path.endswith(LFS_SUFFIXES) or size > LFS_MIN_SIZE or b"\0" in head[:SAMPLE]


def git_blob_sha(data: bytes) -> str:
    """The git object id of a blob with this content."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_entry(path: str, data: bytes, xet: bool = False) -> dict:
    """The /tree entry of one file, LFS metadata included (``xetHash`` when Xet is on)."""
    entry = {"type": "file", "path": path, "size": len(data), "oid": git_blob_sha(data)}
    if is_lfs(path, len(data), data):
        pointer = (
            f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256(data)}\n"
            f"size {len(data)}\n"
        ).encode()
        entry["oid"] = git_blob_sha(pointer)
        entry["lfs"] = {"oid": sha256(data), "size": len(data), "pointerSize": len(pointer)}
        if xet:
            entry["xetHash"] = sha256(b"xet" + data)
    return entry


@dataclass
class Faults:
    """Misbehaviours a test switches on; all off by default (see the brief of each field)."""

    api_status: int | None = None  # every /api/ request answers this status, JSON error body
    api_html_502: bool = False  # every /api/ request answers 502 with an HTML body
    yaml_html_502: bool = False  # only POST /api/validate-yaml answers the HTML 502
    reject_model_card: bool = False  # POST /api/validate-yaml answers 400 "invalid metadata"
    lfs_upload_status: int | None = None  # the CDN answers this to LFS PUTs
    cut_body: set[str] = field(default_factory=set)  # next GET of these paths stops half-way
    flip_byte: dict[str, int] = field(default_factory=dict)  # serve byte 0 XOR 0xFF, N times
    xet: bool = False  # LFS files are announced as Xet files; the Xet storage is unreachable
    slow_seconds: float = 0.0  # every request sleeps this long before answering
    slow_files_seconds: float = 0.0  # only /resolve/ (file) requests sleep this long


@dataclass
class _Repo:
    private: bool
    branches: dict[str, str]  # branch -> commit sha
    commits: set[str] = field(default_factory=set)  # every commit sha of this repo


class _Fail(Exception):
    """An HTTP error answer: message (X-Error-Message, JSON "error"), X-Error-Code, more JSON."""

    def __init__(self, status: int, message: str, code: str | None = None, headers=None, **more):
        super().__init__(message)
        self.status, self.message, self.code = status, message, code
        self.headers, self.more = headers or {}, more


class HubImitation:
    """Local imitation of the Hub (API, resolve, LFS, commit) plus a second 'CDN' origin."""

    def __init__(self) -> None:
        self.endpoint = ""  # "http://127.0.0.1:<port>" of the hub origin, after start()
        self.cdn = ""  # "http://127.0.0.1:<port2>" of the origin that serves LFS bodies
        self.xet_cas = ""  # a URL where nothing listens, announced as the Xet storage
        self.valid_tokens: set[str] = {"hf_good_token"}
        self.requests: list[tuple[str, str]] = []  # (method, path without query), both origins
        self.log: list[tuple[str, str, str, int]] = []  # (origin, method, path, status) answered
        self.faults = Faults()
        self.repos: dict[str, _Repo] = {}
        self.commits: dict[str, dict[str, bytes]] = {}  # commit sha -> {path: bytes}
        self.dates: dict[str, str] = {}  # commit sha -> ISO date
        self.lfs: dict[str, bytes] = {}  # sha256 -> body, what the CDN holds
        self.lfs_commits: list[tuple[str, str]] = []  # (repo, path) committed as LFS pointers
        self._lock = threading.RLock()
        self._servers: list[_Server] = []

    # -- life cycle ---------------------------------------------------------------------------
    def start(self) -> HubImitation:
        """Listen on two free ports of 127.0.0.1, each served by a daemon thread."""
        self._servers = [_Server(self, "hub"), _Server(self, "cdn")]
        self.endpoint, self.cdn = (f"http://127.0.0.1:{s.server_port}" for s in self._servers)
        with socket.socket() as probe:  # a port nobody listens on once the socket is closed
            probe.bind(("127.0.0.1", 0))
            self.xet_cas = f"http://127.0.0.1:{probe.getsockname()[1]}"
        for server in self._servers:
            threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        """Shut both servers down (idempotent); their ports then refuse connections."""
        servers, self._servers = self._servers, []
        for server in servers:
            server.shutdown()
            server.server_close()

    # -- state --------------------------------------------------------------------------------
    def seed(
        self,
        repo_id: str,
        files: dict[str, bytes],
        branch: str = "main",
        private: bool = False,
        message: str = "seed",
    ) -> str:
        """Create the repo if needed; ``files`` become the whole tree of ``branch``. The sha."""
        with self._lock:
            if repo_id not in self.repos:
                self._create_repo(repo_id, private)
            return self._commit(repo_id, branch, files, message)

    def tree(self, repo_id: str, revision: str = "main") -> dict[str, bytes]:
        """The files at a branch or commit of the repo."""
        with self._lock:
            return dict(self.commits[self._resolve(self.repos[repo_id], revision)])

    def head(self, repo_id: str, branch: str = "main") -> str:
        """The commit sha of the branch."""
        return self.repos[repo_id].branches[branch]

    def _create_repo(self, repo_id: str, private: bool) -> None:
        self.repos[repo_id] = _Repo(private=private, branches={})
        self._commit(repo_id, "main", {".gitattributes": GITATTRIBUTES}, "initial commit")

    def _commit(self, repo_id: str, branch: str, files: dict[str, bytes], message: str) -> str:
        """Make ``files`` the tree of a new commit on ``branch``: content-addressed sha."""
        with self._lock:
            repo = self.repos[repo_id]
            blobs = {path: git_blob_sha(data) for path, data in sorted(files.items())}
            parent = repo.branches.get(branch)
            content = json.dumps({"parent": parent, "message": message, "tree": blobs})
            sha = hashlib.sha1(content.encode()).hexdigest()
            self.commits[sha] = dict(files)
            self.dates.setdefault(sha, time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()))
            repo.branches[branch] = sha
            repo.commits.add(sha)
            for path, data in files.items():
                if is_lfs(path, len(data), data):
                    self.lfs[sha256(data)] = data
            return sha

    @staticmethod
    def _resolve(repo: _Repo, revision: str) -> str:
        if revision in repo.branches:
            return repo.branches[revision]
        if revision in repo.commits:
            return revision
        raise _Fail(404, f"Invalid rev id: {revision}", "RevisionNotFound")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, hub: HubImitation, origin: str):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hub, self.origin = hub, origin


REPO = r"(?P<repo>[^/]+/[^/]+)"
API = r"/api/(?P<api>models|spaces)/"  # a Space's API paths say spaces, a model's models
SPACE = r"(?:(?P<space>spaces)/)?"  # git and file paths of a Space start with spaces/
ROUTES = {  # origin -> [(methods, path regex on the still-quoted path, handler method)]
    "hub": [
        ("GET", rf"{API}{REPO}(?:/revision/(?P<rev>[^/]+))?", "repo_info"),
        ("GET", rf"{API}{REPO}/tree/(?P<rev>[^/]+)(?:/(?P<path>.*))?", "tree"),
        ("GET", rf"{API}{REPO}/xet-(?:read|write)-token/(?P<rev>[^/]+)", "xet_token"),
        ("POST", rf"{API}{REPO}/preupload/(?P<rev>[^/]+)", "preupload"),
        ("POST", rf"{API}{REPO}/commit/(?P<rev>[^/]+)", "commit"),
        ("POST", rf"{API}{REPO}/branch/(?P<branch>[^/]+)", "branch"),
        ("POST", r"/api/repos/create", "create_repo"),
        ("POST", r"/api/validate-yaml", "validate_yaml"),
        ("POST", rf"/{SPACE}{REPO}\.git/info/lfs/objects/batch", "lfs_batch"),
        ("POST", rf"/{SPACE}{REPO}\.git/info/lfs/objects/verify", "lfs_verify"),
        ("HEAD GET", rf"/{SPACE}{REPO}/resolve/(?P<rev>[^/]+)/(?P<path>.+)", "resolve"),
    ],
    "cdn": [
        ("HEAD GET", r"/lfs/(?P<oid>[0-9a-f]{64})", "cdn_get"),
        ("PUT", r"/lfs/(?P<oid>[0-9a-f]{64})", "cdn_put"),
    ],
}


class _Handler(BaseHTTPRequestHandler):
    """One request on either origin. HTTP/1.0: one request per connection, none pooled."""

    server: _Server
    timeout = 30
    route = ""  # the path without its query, set for each request

    @property
    def hub(self) -> HubImitation:
        return self.server.hub

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def send_response(self, code: int, message: str | None = None) -> None:
        self.hub.log.append((self.server.origin, self.command, self.route, code))
        super().send_response(code, message)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self.route, self.query = url.path, parse_qs(url.query)
        self.hub.requests.append((self.command, self.route))
        self.body = self._read_body()
        auth = self.headers.get("Authorization", "")
        self.token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else None
        try:
            time.sleep(self.hub.faults.slow_seconds)
            if "/resolve/" in self.route:
                time.sleep(self.hub.faults.slow_files_seconds)
            self._route()
        except _Fail as fail:
            self._error(fail)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test): nothing to answer
        except Exception as exc:  # a bug of the imitation: say so rather than hang up
            self._error(_Fail(500, f"Hub imitation bug: {exc!r}"))

    do_HEAD = do_POST = do_PUT = do_GET

    def _route(self) -> None:
        hub, faults = self.hub, self.hub.faults
        api = self.server.origin == "hub" and self.route.startswith("/api/")
        yaml = self.route == "/api/validate-yaml"
        if (api and faults.api_html_502) or (yaml and faults.yaml_html_502):
            return self._send(502, HTML_502, {"Content-Type": "text/html"})
        if api and faults.api_status:
            raise _Fail(faults.api_status, f"Imitated server error {faults.api_status}")
        if self.token is not None and self.token not in hub.valid_tokens:
            raise _Fail(401, "Invalid credentials in Authorization header")
        for methods, pattern, name in ROUTES[self.server.origin]:
            match = re.fullmatch(pattern, self.route)
            if match and self.command in methods.split():
                args = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
                if "spaces" in (args.pop("api", None), args.pop("space", None)):
                    args["repo"] = f"spaces/{args['repo']}"  # how the imitation keeps a Space
                return getattr(self, name)(**args)
        raise _Fail(404, f"Not found: {self.command} {self.route}")

    # -- HTTP plumbing ------------------------------------------------------------------------
    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b";")[0], 16)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()  # the CRLF after each chunk (and after the last, empty one)
            if size == 0:
                return b"".join(chunks)

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None, cut=False) -> None:
        """Answer; ``cut``: announce the whole body but send half of it, then hang up."""
        headers = {"Content-Type": "application/json", **(headers or {})}
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body[: len(body) // 2] if cut else body)

    def _json(self, obj: object, status: int = 200, headers: dict | None = None) -> None:
        self._send(status, json.dumps(obj).encode(), headers)

    def _error(self, fail: _Fail) -> None:
        headers = {"X-Error-Message": fail.message, **fail.headers}
        if fail.code:
            headers["X-Error-Code"] = fail.code
        self._json({"error": fail.message, **fail.more}, fail.status, headers)

    def _repo(self, repo_id: str, write: bool = False) -> _Repo:
        """The repo, if this request may read it (or write to it); else the Hub's error."""
        repo = self.hub.repos.get(repo_id)
        if repo is None:
            raise _Fail(404, "Repository not found", "RepoNotFound")
        if (write or repo.private) and self.token not in self.hub.valid_tokens:
            raise _Fail(401, NO_AUTH, "RepoNotFound")
        return repo

    def _serve_body(self, path: str, data: bytes, headers: dict) -> None:
        """Answer GET/HEAD with ``data``, honouring Range and the cut_body / flip_byte faults."""
        hub, faults = self.hub, self.hub.faults
        status, cut = 200, False
        if self.command == "GET":
            with hub._lock:
                if data and faults.flip_byte.get(path, 0) > 0:
                    faults.flip_byte[path] -= 1
                    data = bytes([data[0] ^ 0xFF]) + data[1:]
                cut = path in faults.cut_body
                faults.cut_body.discard(path)
        headers = {"Content-Type": "application/octet-stream", "Accept-Ranges": "bytes", **headers}
        wanted = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if wanted:
            start, size = int(wanted[1]), len(data)
            end = min(int(wanted[2] or size - 1), size - 1)
            if start > end:
                return self._send(416, b"", {"Content-Range": f"bytes */{size}"})
            status, data = 206, data[start : end + 1]
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        self._send(status, data, headers, cut=cut)

    # -- hub: API -----------------------------------------------------------------------------
    def repo_info(self, repo: str, rev: str = "main") -> None:
        hub = self.hub
        with hub._lock:
            info = self._repo(repo)
            sha = hub._resolve(info, rev)
            files = hub.commits[sha]
        siblings = [{"rfilename": path} for path in sorted(files)]
        self._json({
            "_id": sha[:24], "id": repo.removeprefix("spaces/"), "modelId": repo,
            "author": repo.removeprefix("spaces/").split("/")[0],
            "sha": sha, "lastModified": hub.dates[sha], "createdAt": hub.dates[sha],
            "private": info.private, "disabled": False, "gated": False, "downloads": 0,
            "likes": 0, "tags": [], "siblings": siblings, "spaces": [],
            "usedStorage": sum(len(d) for d in files.values()),
        })  # fmt: skip

    def tree(self, repo: str, rev: str, path: str = "") -> None:
        hub = self.hub
        with hub._lock:
            sha = hub._resolve(self._repo(repo), rev)
            files = hub.commits[sha]
        prefix = f"{path.strip('/')}/" if path.strip("/") else ""
        recursive = self.query.get("recursive", ["false"])[0].lower() == "true"
        entries: dict[str, dict] = {}
        for name, data in files.items():
            if not name.startswith(prefix):
                continue
            parts = name[len(prefix) :].split("/")
            depth = len(parts) if recursive else 1
            for i in range(1, min(depth, len(parts) - 1) + 1):  # the folders on the way
                folder = prefix + "/".join(parts[:i])
                oid = hashlib.sha1(f"{sha}:{folder}".encode()).hexdigest()
                entries[folder] = {"type": "directory", "path": folder, "size": 0, "oid": oid}
            if recursive or len(parts) == 1:
                entries[name] = file_entry(name, data, xet=hub.faults.xet)
        if prefix and not entries:
            raise _Fail(404, f"{path} does not exist on {rev}", "EntryNotFound")
        cursor = int(self.query.get("cursor", ["0"])[0])
        page = [entries[k] for k in sorted(entries)][cursor : cursor + TREE_PAGE_SIZE]
        headers = {}
        if cursor + TREE_PAGE_SIZE < len(entries):
            query = {k: v[0] for k, v in self.query.items()} | {"cursor": cursor + TREE_PAGE_SIZE}
            headers["Link"] = f'<{hub.endpoint}{self.route}?{urlencode(query)}>; rel="next"'
        self._json(page, headers=headers)

    def xet_token(self, repo: str, rev: str) -> None:
        hub = self.hub
        self._repo(repo)
        token, expires = "xet_imitation_token", int(time.time()) + 3600
        headers = {"X-Xet-Cas-Url": hub.xet_cas, "X-Xet-Access-Token": token}
        headers["X-Xet-Token-Expiration"] = str(expires)
        self._json({"casUrl": hub.xet_cas, "accessToken": token, "exp": expires}, headers=headers)

    def create_repo(self) -> None:
        hub = self.hub
        if self.token not in hub.valid_tokens:
            raise _Fail(401, NO_AUTH)
        payload = json.loads(self.body)
        kind = payload.get("type", "model")
        if kind not in ("model", "space"):
            raise _Fail(400, "The imitation has model and Space repos only")
        if kind == "space" and not payload.get("sdk"):
            raise _Fail(400, "sdk is required for a Space: gradio, docker or static")
        repo_id = f"{payload.get('organization') or 'imitation-user'}/{payload['name']}"
        repo_id = f"spaces/{repo_id}" if kind == "space" else repo_id
        url = f"{hub.endpoint}/{repo_id}"
        with hub._lock:
            if repo_id in hub.repos:
                raise _Fail(409, f"You already created this {kind} repo", url=url)
            hub._create_repo(repo_id, payload.get("visibility") == "private")
        self._json({"url": url, "name": repo_id, "id": hashlib.sha1(url.encode()).hexdigest()[:24]})

    def branch(self, repo: str, branch: str) -> None:
        hub = self.hub
        with hub._lock:
            info = self._repo(repo, write=True)
            if branch in info.branches:
                raise _Fail(409, "Reference already exists")
            start = json.loads(self.body or b"{}").get("startingPoint") or "main"
            info.branches[branch] = hub._resolve(info, start)
        self._json({})

    def validate_yaml(self) -> None:
        if self.hub.faults.reject_model_card:
            message = '"license" must be one of [apache-2.0, mit, openrail, other, ...]'
            return self._json({"errors": [{"message": message}], "warnings": []}, 400)
        self._json({"errors": [], "warnings": []})

    def preupload(self, repo: str, rev: str) -> None:
        hub = self.hub
        with hub._lock:
            files = hub.commits[hub._resolve(self._repo(repo, write=True), rev)]
        answer = []
        for item in json.loads(self.body)["files"]:
            path, size = item["path"], item["size"]
            sample = base64.b64decode(item.get("sample", ""))
            mode = "lfs" if is_lfs(path, size, sample) else "regular"
            entry = {"path": path, "uploadMode": mode, "shouldIgnore": False}
            if path in files:  # what the library compares with its local oid to skip no-ops
                data = files[path]
                entry["oid"] = sha256(data) if mode == "lfs" else git_blob_sha(data)
            answer.append(entry)
        self._json({"files": answer, "commitOid": None})

    def commit(self, repo: str, rev: str) -> None:
        hub = self.hub
        lines = [json.loads(line) for line in self.body.splitlines() if line.strip()]
        with hub._lock:
            info = self._repo(repo, write=True)
            if rev not in info.branches:
                raise _Fail(404, f"Invalid rev id: {rev}", "RevisionNotFound")
            files, summary = dict(hub.commits[info.branches[rev]]), "commit"
            for line in lines:
                key, value = line["key"], line["value"]
                if key == "header":
                    summary = value["summary"]
                elif key == "file":
                    data = base64.b64decode(value["content"])
                    if b"\0" in data[:SAMPLE]:
                        raise _Fail(400, BINARY_REFUSED)
                    files[value["path"]] = data
                elif key == "lfsFile" and value["oid"] in hub.lfs:
                    files[value["path"]] = hub.lfs[value["oid"]]
                    hub.lfs_commits.append((repo, value["path"]))
                elif key == "lfsFile":
                    raise _Fail(422, f"LFS object {value['oid']} was never uploaded")
                elif key == "deletedFile" and value["path"] in files:
                    del files[value["path"]]
                elif key == "deletedFolder":
                    folder = value["path"].rstrip("/") + "/"
                    files = {p: d for p, d in files.items() if not p.startswith(folder)}
                else:
                    message = f"A file with this name doesn't exist: {value.get('path')}"
                    raise _Fail(404, message, "EntryNotFound")
            sha = hub._commit(repo, rev, files, summary)
        self._json({
            "success": True, "commitOid": sha, "commitUrl": f"{hub.endpoint}/{repo}/commit/{sha}",
            "commitMessage": summary, "hookOutput": "", "pullRequestUrl": None,
        })  # fmt: skip

    # -- hub: git-LFS batch API -----------------------------------------------------------------
    def lfs_batch(self, repo: str) -> None:
        hub = self.hub
        self._repo(repo, write=True)
        objects = []
        for obj in json.loads(self.body)["objects"]:
            answer = {"oid": obj["oid"], "size": obj["size"], "authenticated": True}
            if obj["oid"] not in hub.lfs:  # only "basic": never Xet, never multipart
                verify = f"{hub.endpoint}/{repo}.git/info/lfs/objects/verify"
                answer["actions"] = {
                    "upload": {"href": f"{hub.cdn}/lfs/{obj['oid']}", "expires_in": 900},
                    "verify": {"href": verify, "expires_in": 900},
                }
            objects.append(answer)
        body = {"transfer": "basic", "objects": objects, "hash_algo": "sha256"}
        self._json(body, headers={"Content-Type": "application/vnd.git-lfs+json"})

    def lfs_verify(self, repo: str) -> None:
        self._repo(repo, write=True)
        obj = json.loads(self.body)
        data = self.hub.lfs.get(obj["oid"])
        if data is None or len(data) != obj["size"]:
            raise _Fail(404, f"LFS object {obj['oid']} not found")
        self._json({"success": True})

    # -- hub: downloads -------------------------------------------------------------------------
    def resolve(self, repo: str, rev: str, path: str) -> None:
        hub = self.hub
        with hub._lock:
            sha = hub._resolve(self._repo(repo), rev)
            data = hub.commits[sha].get(path)
        headers = {"X-Repo-Commit": sha}
        if data is None:
            raise _Fail(404, "Entry not found", "EntryNotFound", headers)
        if not is_lfs(path, len(data), data):
            return self._serve_body(path, data, {**headers, "ETag": f'"{git_blob_sha(data)}"'})
        oid = sha256(data)
        headers |= {
            "ETag": f'"{oid}"',
            "X-Linked-Etag": f'"{oid}"',
            "X-Linked-Size": f"{len(data)}",
        }
        headers["Location"] = f"{hub.cdn}/lfs/{oid}?{urlencode({'path': path})}"
        if hub.faults.xet:
            kind, repo_id = ("spaces", repo[7:]) if repo.startswith("spaces/") else ("models", repo)
            link = f"{hub.endpoint}/api/{kind}/{repo_id}/xet-read-token/{sha}"
            headers |= {"X-Xet-Hash": file_entry(path, data, xet=True)["xetHash"]}
            headers["Link"] = f'<{link}>; rel="xet-auth"'
        self._send(302, b"", headers)

    # -- CDN ----------------------------------------------------------------------------------
    def cdn_get(self, oid: str) -> None:
        data = self.hub.lfs.get(oid)
        if data is None:
            raise _Fail(404, "NoSuchKey")
        self._serve_body(self.query.get("path", [oid])[0], data, {"ETag": f'"{oid}"'})

    def cdn_put(self, oid: str) -> None:
        hub = self.hub
        status = hub.faults.lfs_upload_status
        if status is None and sha256(self.body) != oid:
            status = 400
        if status is not None:
            xml = f"<?xml version='1.0'?><Error><Code>Imitated{status}</Code></Error>".encode()
            return self._send(status, xml, {"Content-Type": "application/xml"})
        hub.lfs[oid] = self.body
        self._send(200, b"", {"ETag": f'"{oid}"'})


def small_bundle(folder: Path, version: str) -> dict[str, bytes]:
    """Write a small valid bundle (LFS and regular files) whose bytes differ by ``version``."""
    from recommenders.artifacts import write_manifest

    (folder / "models" / "popularity").mkdir(parents=True)
    (folder / "catalog.parquet").write_bytes(f"catalog {version} ".encode() * 2000)
    (folder / "interactions.safetensors").write_bytes(f"plays {version} ".encode() * 3000)
    (folder / "models" / "popularity" / "config.json").write_text(json.dumps({"v": version}))
    write_manifest(folder, {"models": ["popularity"], "version": version})
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}  # fmt: skip


def point_huggingface_hub_at(
    hub: HubImitation, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Make huggingface_hub talk to ``hub`` and keep its cache and token under ``home``.

    Xet is switched off (HF_HUB_DISABLE_XET): the library picks Xet itself whenever hf_xet is
    installed, and the imitation has no Xet storage; set ``constants.HF_HUB_DISABLE_XET = False``
    (monkeypatch) where the Xet path is wanted. No token is configured: pass one explicitly.
    """
    from huggingface_hub import constants, hf_api
    from huggingface_hub.utils import _cache_assets, _cache_manager

    paths = {"HF_HOME": home, "HF_HUB_CACHE": home / "hub", "HF_ASSETS_CACHE": home / "assets",
             "HF_XET_CACHE": home / "xet", "HF_TOKEN_PATH": home / "token"}  # fmt: skip
    for name, value in {**paths, **HF_FLAGS, "HF_ENDPOINT": hub.endpoint}.items():
        monkeypatch.setenv(name, str(int(value)) if isinstance(value, bool) else str(value))
    for name in HF_UNSET:
        monkeypatch.delenv(name, raising=False)
    # huggingface_hub read the environment once, at import: redo what it computed from it
    captured = {**{name: str(path) for name, path in paths.items()}, **HF_FLAGS}
    captured["HF_STORED_TOKENS_PATH"] = str(home / "stored_tokens")
    captured["ENDPOINT"] = hub.endpoint
    captured["HUGGINGFACE_CO_URL_TEMPLATE"] = (
        hub.endpoint + "/{repo_id}/resolve/{revision}/{filename}"
    )
    for name, value in captured.items():
        monkeypatch.setattr(constants, name, value)
    monkeypatch.setattr(hf_api.api, "endpoint", hub.endpoint)  # huggingface_hub.repo_info & co
    monkeypatch.setattr(_cache_manager, "HF_HUB_CACHE", captured["HF_HUB_CACHE"])
    monkeypatch.setattr(_cache_assets, "HF_ASSETS_CACHE", captured["HF_ASSETS_CACHE"])


@pytest.fixture
def hub_imitation(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """A started HubImitation that huggingface_hub talks to, with its own HF_HOME and cache."""
    hub = HubImitation().start()
    try:
        point_huggingface_hub_at(hub, tmp_path_factory.mktemp("hf_home"), monkeypatch)
        yield hub
    finally:
        hub.stop()
