"""No dead constants: every module-level UPPER_CASE name of the package is read somewhere in the
project (a constant nobody reads documents something that is no longer true)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["recommenders"]  # ui/ joins once its own dead constants are gone (issue 19, item 12)
READERS = ["recommenders", "ui", "benchmarks", "tests", "examples", "app.py", "build_artifacts.py"]
CONSTANT = re.compile(r"[A-Z][A-Z0-9_]*")


def python_files(root: Path, names: list[str]) -> list[Path]:
    paths = [root / name for name in names]
    return sorted(p for path in paths for p in ([path] if path.is_file() else path.rglob("*.py")))


def module_constants(path: Path) -> list[str]:
    names = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        names += [t.id for t in targets if isinstance(t, ast.Name) and CONSTANT.fullmatch(t.id)]
    return names


def unread_constants(root: Path, checked: list[str], readers: list[str]) -> list[str]:
    """``module: NAME`` for each constant whose name appears only once (its assignment)."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in python_files(root, readers))
    return [
        f"{path.relative_to(root).as_posix()}: {name}"
        for path in python_files(root, checked)
        for name in module_constants(path)
        if len(re.findall(rf"\b{name}\b", text)) <= 1
    ]


def test_every_package_constant_is_read_somewhere() -> None:
    assert unread_constants(ROOT, CHECKED, READERS) == []


def test_the_check_finds_a_dead_constant(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("USED = 1\nDEAD: int = 2\nlower = 3\n")
    (tmp_path / "pkg" / "b.py").write_text("from pkg.a import USED\n")
    assert unread_constants(tmp_path, ["pkg"], ["pkg"]) == ["pkg/a.py: DEAD"]
