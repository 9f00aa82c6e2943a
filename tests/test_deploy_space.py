"""The Space deploy of docs/HUB.md, run as written (the `hf` command line, in a subprocess)
against the local imitation of the Hub: what the Space needs arrives, binary files go through
LFS (the imitation, like the Hub, refuses them otherwise), nothing excluded arrives, and a
redeploy removes what was deleted locally."""

from __future__ import annotations

import base64
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.hub_imitation import HubImitation, hub_imitation  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTED_SPACE = "you/lastfm-demo"
SPACE = "alice/lastfm-demo"
TOKEN = "hf_good_token"
# What a working copy accumulates and a Space must never get.
JUNK = {
    "artifacts/manifest.json": b"{}",
    "artifacts-fast/models/svd/weights.safetensors": b"\0weights",
    ".venv/bin/python": b"#!",
    ".env": b"HF_TOKEN=hf_secret_of_the_developer\n",
    "recommenders/__pycache__/bundle.cpython-311.pyc": b"\0pyc",
    "ui/__pycache__/cards.cpython-311.pyc": b"\0pyc",
    "data/spotify/cache/answers.jsonl": b'{"name": "a live answer"}\n',
}
NEVER = ("artifacts", ".venv/", ".env", "tests/", "benchmarks/", "examples/", "data/spotify/cache/")


def documented_commands() -> list[list[str]]:
    """The `hf repos create` and `hf upload` lines of docs/HUB.md's deploy section, for SPACE."""
    section = (ROOT / "docs" / "HUB.md").read_text().split("## Deploy the Space", 1)[1]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0].replace("\\\n", " ")
    lines = [line.split("#", 1)[0] for line in block.splitlines()]
    commands = [shlex.split(line) for line in lines if line.startswith(("hf repos", "hf upload"))]
    assert [c[:2] for c in commands] == [["hf", "repos"], ["hf", "upload"]], block
    return [[SPACE if arg == DOCUMENTED_SPACE else arg for arg in c] for c in commands]


def run_documented(hub: HubImitation, checkout: Path, home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING"))}
    env |= {"HF_ENDPOINT": hub.endpoint, "HF_TOKEN": TOKEN, "HF_HOME": str(home),
            "HF_HUB_DISABLE_XET": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}  # fmt: skip
    hf = Path(sys.executable).with_name("hf")
    for command in documented_commands():
        done = subprocess.run([str(hf), *command[1:]], cwd=checkout, env=env,
                              capture_output=True, text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr


def readme_links(readme: str) -> set[str]:
    """Local files the README links to or shows (docs/..., relative links)."""
    targets = re.findall(r"\]\(([^)#\s]+)\)", readme)
    return {t for t in targets if not t.startswith(("http:", "https:", "mailto:"))}


def not_source(folder: str, names: list[str]) -> set[str]:
    """What the copy leaves out: this checkout's own builds, caches and environment."""
    skipped = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache"}
    if Path(folder) == ROOT:
        skipped |= {n for n in names if n.startswith(("artifacts", ".artifacts"))}
    if Path(folder) == ROOT / "data" / "spotify":
        skipped.add("cache")
    return skipped & set(names)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of this checkout's files plus the JUNK a working copy gathers."""
    tree = tmp_path / "checkout"
    shutil.copytree(ROOT, tree, ignore=not_source)
    for name, data in JUNK.items():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_bytes(data)
    return tree


def test_the_documented_deploy_uploads_what_the_space_needs_and_nothing_else(
    hub_imitation: HubImitation,  # noqa: F811
    checkout: Path,
    tmp_path: Path,
) -> None:
    run_documented(hub_imitation, checkout, tmp_path / "hf_home")
    tree = hub_imitation.tree(f"spaces/{SPACE}")

    needed = {"app.py", "requirements.txt", "README.md"}
    needed |= {p.relative_to(ROOT).as_posix() for d in ("recommenders", "ui")
               for p in (ROOT / d).rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}  # fmt: skip (data files too)
    needed |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*")
               if p.is_file() and "cache" not in p.parts}  # fmt: skip
    readme = tree["README.md"].decode()
    needed |= readme_links(readme)
    assert {"recommenders/history/__init__.py", "recommenders/hub/push.py"} <= needed
    assert needed <= set(tree), sorted(needed - set(tree))
    assert tree["app.py"] == (ROOT / "app.py").read_bytes()
    front = yaml.safe_load(readme.split("---\n", 2)[1])
    assert (front["sdk"], front["app_file"]) == ("gradio", "app.py")

    arrived_junk = [p for p in tree if p.startswith(NEVER) or "__pycache__" in p]
    assert arrived_junk == []
    assert set(tree) - needed - {".gitattributes"} <= {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*") if p.is_file()
    }  # what else arrived is docs/

    binary = {p for p, data in tree.items() if b"\0" in data[:512]}
    assert {p for p in binary if p.endswith(".png")} >= {
        p for p in readme_links(readme) if p.endswith(".png")
    }
    via_lfs = {path for repo, path in hub_imitation.lfs_commits if repo == f"spaces/{SPACE}"}
    assert binary and binary <= via_lfs  # every binary file went up as an LFS object
    assert "app.py" not in via_lfs and "README.md" not in via_lfs


def test_a_redeploy_leaves_exactly_the_current_files(
    hub_imitation: HubImitation,  # noqa: F811
    checkout: Path,
    tmp_path: Path,
) -> None:
    (checkout / "recommenders" / "obsolete.py").write_text("GONE = True\n")
    run_documented(hub_imitation, checkout, tmp_path / "hf_home")
    assert "recommenders/obsolete.py" in hub_imitation.tree(f"spaces/{SPACE}")
    (checkout / "recommenders" / "obsolete.py").unlink()
    run_documented(hub_imitation, checkout, tmp_path / "hf_home")  # the same command again
    tree = hub_imitation.tree(f"spaces/{SPACE}")
    assert "recommenders/obsolete.py" not in tree
    assert "app.py" in tree and ".gitattributes" in tree


def test_the_imitation_refuses_a_binary_file_outside_lfs(hub_imitation: HubImitation) -> None:  # noqa: F811
    """What makes the LFS check above meaningful: a PNG committed as a regular file is refused,
    as the Hub refuses it (and so a plain git push of this repository)."""
    hub_imitation.seed(f"spaces/{SPACE}", {"app.py": b"print()\n"})
    png = (ROOT / "docs" / "screenshots" / "discover_results.png").read_bytes()
    lines = [
        {"key": "header", "value": {"summary": "a screenshot, not through LFS"}},
        {"key": "file", "value": {"path": "shot.png", "encoding": "base64",
                                  "content": base64.b64encode(png).decode()}},
    ]  # fmt: skip
    request = urllib.request.Request(
        f"{hub_imitation.endpoint}/api/spaces/{SPACE}/commit/main",
        data="\n".join(json.dumps(line) for line in lines).encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/x-ndjson"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 400 and "binary files" in refused.value.read().decode()
    assert "shot.png" not in hub_imitation.tree(f"spaces/{SPACE}")
