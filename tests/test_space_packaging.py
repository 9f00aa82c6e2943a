"""The Hugging Face Space packaging: README front matter, app file, and runtime requirements."""

from __future__ import annotations

import ast
import sys
from importlib import metadata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_SOURCES = ["app.py", "build_artifacts.py", "ui", "recommenders"]


def front_matter() -> dict:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n"), "README.md must start with the Space's YAML front matter"
    return yaml.safe_load(text.split("---\n", 2)[1])


def requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(_canonical(line.split("==")[0].split(">=")[0].split("[")[0]))
    return names


def _canonical(name: str) -> str:
    return name.strip().lower().replace("_", "-").replace(".", "-")


def runtime_imports() -> set[str]:
    """Top-level module names imported anywhere in the code the Space runs."""
    files = []
    for source in RUNTIME_SOURCES:
        path = ROOT / source
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    modules = set()
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules


def test_front_matter_has_what_a_gradio_space_needs():
    meta = front_matter()
    for field in (
        "title",
        "emoji",
        "sdk",
        "sdk_version",
        "app_file",
        "license",
        "short_description",
        "python_version",
    ):
        assert meta.get(field), f"front matter lacks {field}"
    assert meta["sdk"] == "gradio"
    assert meta["sdk_version"] == metadata.version("gradio")
    assert str(meta["python_version"]) == "3.11"
    assert len(meta["short_description"]) <= 60  # the Hub's limit
    assert (ROOT / meta["app_file"]).is_file()


def test_the_space_installs_the_pinned_gradio_and_the_cpu_torch():
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    assert f"gradio=={front_matter()['sdk_version']}" in lines
    # PyPI's Linux torch is the CUDA build (GBs of nvidia-* wheels): the CPU build and its index
    assert "torch==2.13.0+cpu" in lines
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines


@pytest.mark.parametrize("module", sorted(runtime_imports()))
def test_every_runtime_import_is_in_requirements(module):
    local = {"recommenders", "ui", "app", "build_artifacts"}
    if module in local or module in sys.stdlib_module_names or module == "__future__":
        return
    distributions = metadata.packages_distributions().get(module, [])
    assert distributions, f"{module} is imported but no installed distribution provides it"
    required = requirement_names(ROOT / "requirements.txt")
    assert any(_canonical(d) in required for d in distributions), (
        f"{module} (from {distributions}) is imported by the app but not in requirements.txt"
    )


@pytest.mark.slow
def test_the_readme_python_snippet_runs_as_written(fast_bundle_dir):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = next(
        block.split("```", 1)[0]
        for block in text.split("```python\n")[1:]
        if "recommenders.load(" in block
    )
    code = snippet.replace(
        'recommenders.load("artifacts")', f"recommenders.load({str(fast_bundle_dir)!r})"
    )
    assert code != snippet, "the README snippet no longer loads the local artifacts folder"
    exec(compile(code, "README.md", "exec"), {})
