"""The package as a user gets it: a wheel built from pyproject.toml, installed into a fresh venv
outside the checkout, must import every public name and serve a recommendation from there.

The venv sees this test venv's third-party packages (a .pth line naming its site-packages) but
not the checkout: the interpreter runs isolated (-I: no cwd, no PYTHONPATH) from tmp_path.
Everything is local: the wheel is built without build isolation and installed with --no-index.
"""

from __future__ import annotations

import json
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
HISTORY = ROOT / "tests" / "fixtures" / "history" / "StreamingHistory_music_0.json"
# What a build leaves behind, or never belongs in a source tree copy.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "artifacts", "build", "dist", "*.egg-info", "__pycache__", "*_cache"
)

# Runs inside the fresh venv: every public name, one recommendation, one history file.
USE_THE_INSTALLED_PACKAGE = """
import importlib.util, json, sys
import recommenders

bundle_dir, history = sys.argv[1:3]
names = sorted(set(recommenders.__all__) | set(recommenders._LAZY))
found = {name: type(getattr(recommenders, name)).__name__ for name in names}
bundle = recommenders.load(bundle_dir)
top = bundle.recommend(bundle.default_model, liked=["Radiohead", "Muse"], k=5)
plays = recommenders.read_history(history)
sys.modules["sudachipy"] = None  # the Japanese readings come from the shipped table
found_by_reading = bundle.search_artists("tokyo jihen", limit=3)
print(json.dumps({
    "file": recommenders.__file__,
    "path": sys.path,
    "checkout_modules": [m for m in ("ui", "app", "build_artifacts", "benchmarks")
                         if importlib.util.find_spec(m)],
    "names": found,
    "top": top["name"].tolist(),
    "history_artists": len(plays),
    "tokyo_jihen": found_by_reading,
}))
"""


def build_wheel(source: Path, out: Path) -> Path:
    """``pip wheel`` of a copy of ``source`` (a build writes build/ and *.egg-info in place)."""
    tree = out / "source"
    shutil.copytree(source, tree, ignore=NOT_SOURCES)
    command = [sys.executable, "-m", "pip", "wheel", str(tree), "--no-deps", "-q"]
    command += ["--no-build-isolation", "--no-index", "--wheel-dir", str(out / "wheel")]
    subprocess.run(command, check=True, cwd=out)
    (wheel,) = (out / "wheel").glob("*.whl")
    return wheel


def fresh_venv(where: Path) -> Path:
    """A venv whose only view of third-party packages is this venv's site-packages; its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True)
    python = where / "bin" / "python"
    own = subprocess.run(
        [str(python), "-I", "-c", "import site; print(site.getsitepackages()[0])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    outer = [p for p in site.getsitepackages() if Path(p).is_dir()]
    Path(own, "test-venv-packages.pth").write_text("\n".join(outer) + "\n")
    return python


def test_the_wheel_ships_every_subpackage_and_serves_outside_the_checkout(
    tmp_path: Path, fast_bundle_dir: Path
) -> None:
    wheel = build_wheel(ROOT, tmp_path)
    python = fresh_venv(tmp_path / "venv")
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    subprocess.run([*install, "--no-deps", "--no-index", str(wheel)], check=True, cwd=tmp_path)
    run = subprocess.run(
        [str(python), "-I", "-B", "-c", USE_THE_INSTALLED_PACKAGE,
         str(fast_bundle_dir), str(HISTORY)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(seen["file"]).is_relative_to(tmp_path / "venv")
    assert not [p for p in seen["path"] if p in ("", ".") or Path(p).resolve() == ROOT]
    assert seen["checkout_modules"] == []  # the checkout itself is out of sight
    import recommenders

    assert set(seen["names"]) == set(recommenders.__all__) | set(recommenders._LAZY)
    assert len(seen["top"]) == 5 and not {"Radiohead", "Muse"} & set(seen["top"])
    assert seen["history_artists"] > 0
    assert seen["tokyo_jihen"][0] == "東京事変"
    shipped = {n for n in zipfile.ZipFile(wheel).namelist() if ".dist-info/" not in n}
    package = ROOT / "recommenders"
    sources = {p.relative_to(ROOT).as_posix() for p in package.rglob("*.py")}
    data = {f"recommenders/{name}" for name in ("japanese_readings.tsv", "tag_blocklist.txt")}
    # every module of the library and the data files it reads, nothing else (no ui, tests)
    assert shipped == sources | data
