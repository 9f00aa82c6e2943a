"""The layering rules of docs/ARCHITECTURE.md, checked on the source: no import circle anywhere,
the UI talks only to the Bundle (and a few presentation modules), model code knows nothing of
Gradio, and no module grows past 400 lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    *sorted((ROOT / "recommenders").rglob("*.py")),
    *sorted((ROOT / "ui").rglob("*.py")),
    ROOT / "app.py",
    ROOT / "build_artifacts.py",
]
MAX_LINES = 400
# What ui/ may import from the package: the Bundle and its query, errors, and the modules that
# present a bundle's tables or read a visitor's files. Never recommenders.models.
UI_MAY_IMPORT = {
    "recommenders",
    "recommenders.bundle",
    "recommenders.query",
    "recommenders.errors",
    "recommenders.exploration",
    "recommenders.plots",
    "recommenders.history",
    "recommenders.lastfm",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every project module ``path`` imports, at any depth of the file (lazy imports count)."""
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else None
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = (package or module_name(path)).split(".")
                base = ".".join(anchor[: len(anchor) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in SOURCES}
    return {
        name: {m for m in imports_of(path) if m in modules and m != name}
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in sorted(graph):
        if state.get(start):
            continue
        path, stack = [start], [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph[nxt])))
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_circle_anywhere(graph) -> None:
    assert find_cycle(graph) is None, f"import circle: {' -> '.join(find_cycle(graph))}"


def test_ui_imports_only_the_bundle_side_of_the_package(graph) -> None:
    for name, imported in graph.items():
        if name.startswith("ui"):
            package = {m for m in imported if m.startswith("recommenders")}
            assert package <= UI_MAY_IMPORT, f"{name} imports {sorted(package - UI_MAY_IMPORT)}"


def test_package_never_imports_the_ui_or_gradio() -> None:
    for path in SOURCES:
        if module_name(path).startswith("recommenders"):
            imported = imports_of(path)
            assert not {m for m in imported if m.split(".")[0] in {"ui", "app", "gradio"}}, path


def test_ui_uses_no_model_internals() -> None:
    # e.g. model.k_grid_ (numpy's own trailing-underscore names such as np.bool_ are fine)
    fitted_attribute = re.compile(r"(?<!\bnp)\.\w*[a-z0-9]_\b(?!\()")
    for path in [*sorted((ROOT / "ui").rglob("*.py")), ROOT / "app.py"]:
        text = path.read_text(encoding="utf-8")
        assert "recommenders.models" not in text, path
        assert "bundle.model(" not in text, path
        assert "interactions" not in text, path
        assert not fitted_attribute.search(text), (path, fitted_attribute.search(text))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_over_the_line_limit(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines"
