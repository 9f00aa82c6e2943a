"""What a Hugging Face Space downloads to install requirements.txt: before → after the CPU torch.

    python -m benchmarks.space_install [--before e86eeed] [--torch-wheel /opt/wheels/torch-...whl]

For each requirements file, runs pip the way a Space's stock pip would see it: `pip install
--dry-run --ignore-installed --report`, `--isolated` (this machine's pip config, find-links and
constraints ignored), `--index-url https://pypi.org/simple`, CPython 3.11 on manylinux x86_64
(`--python-version 3.11 --platform manylinux_2_28_x86_64` and the older manylinux tags,
`--only-binary=:all:`). pip's report names each file; its size comes from PyPI's JSON simple API
(PEP 691).

BEFORE is requirements.txt at ``--before`` (plain `torch==2.13.0`). AFTER is today's file, with
one substitution: its PyTorch CPU index (download.pytorch.org, not reachable from this machine)
is replaced by a folder holding only this machine's copy of the wheel that index serves
(``--torch-wheel``), whose size is taken from that file; the result says so.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from benchmarks.results import ROOT, load, machine, record

NAME = "space_install"
BEFORE_REVISION = "e86eeed"  # the last commit with `torch==2.13.0` and no CPU index
PYTORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
TORCH_WHEEL = Path("/opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl")
PYPI = "https://pypi.org/simple"
# The torch wheels are manylinux_2_28; pip (23.x) does not widen a manylinux_2_x tag by itself.
PLATFORMS = [f"manylinux_2_{minor}_x86_64" for minor in range(28, 4, -1)] + [
    "manylinux2014_x86_64",
    "manylinux2010_x86_64",
    "manylinux1_x86_64",
]

PIP_AS_ON_A_SPACE = (
    "install --isolated --disable-pip-version-check --dry-run --ignore-installed --quiet "
    f"--index-url {PYPI} --python-version 3.11 --only-binary=:all:"
).split()


def is_gpu_only(name: str) -> bool:
    """CUDA libraries and the GPU compiler that PyPI's torch pulls in; useless on a CPU Space."""
    name = canonical(name)
    return name.startswith(("nvidia-", "cuda-")) or name == "triton"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def space_report(requirements: Path, workdir: Path) -> dict[str, Any]:
    """pip's --report for installing ``requirements`` on a Space (nothing is installed)."""
    report = workdir / f"{requirements.stem}.report.json"
    command = [sys.executable, "-m", "pip", *PIP_AS_ON_A_SPACE, "--report", str(report)]
    command += [option for tag in PLATFORMS for option in ("--platform", tag)]
    # pip < 24 takes --platform only with --target; --dry-run writes nothing there
    command += ["--target", str(workdir / "target"), "-r", str(requirements)]
    subprocess.run(command, check=True)
    return json.loads(report.read_text())


def pypi_sizes(project: str) -> dict[str, int]:
    """{file name: bytes} of every file of a PyPI project (PEP 691 JSON simple API)."""
    request = urllib.request.Request(
        f"{PYPI}/{canonical(project)}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return {f["filename"]: int(f["size"]) for f in json.load(answer)["files"]}


def downloads(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per package pip would install: name, version, file, bytes, where it comes from."""
    rows = []
    for item in report["install"]:
        url = item["download_info"]["url"]
        rows.append(
            {
                "name": item["metadata"]["name"],
                "version": item["metadata"]["version"],
                "file": unquote(url.rsplit("/", 1)[1]),
                "url": url,
            }
        )
    remote = [row["name"] for row in rows if not row["url"].startswith("file:")]
    with ThreadPoolExecutor(8) as pool:
        sizes = dict(zip(remote, pool.map(pypi_sizes, remote), strict=True))
    for row in rows:
        if row["url"].startswith("file:"):
            path = Path(unquote(urlsplit(row["url"]).path))
            row |= {"bytes": path.stat().st_size, "source": "local copy (see note)"}
        else:
            row |= {"bytes": sizes[row["name"]][row["file"]], "source": "PyPI"}
    return sorted(rows, key=lambda row: -row["bytes"])


def summary(report: dict[str, Any]) -> dict[str, Any]:
    rows = downloads(report)
    gpu = [row for row in rows if is_gpu_only(row["name"])]
    torch = next(row for row in rows if canonical(row["name"]) == "torch")
    return {
        "pip": report["pip_version"],
        "packages": len(rows),
        "total_bytes": sum(row["bytes"] for row in rows),
        "torch": {k: torch[k] for k in ("version", "file", "bytes", "source")},
        "gpu_only_packages": len(gpu),
        "gpu_only_bytes": sum(row["bytes"] for row in gpu),
        "gpu_only": [f"{row['name']}=={row['version']}" for row in gpu],
        "per_package": [
            {k: row[k] for k in ("name", "version", "file", "bytes", "source")} for row in rows
        ],
    }


def offline_after(text: str, wheel: Path, folder: Path) -> str:
    """``text`` with its PyTorch CPU index swapped for a folder holding only ``wheel``."""
    line = f"--extra-index-url {PYTORCH_CPU_INDEX}"
    if line not in text.splitlines():
        raise SystemExit(f"requirements.txt has no `{line}` line: nothing to substitute")
    folder.mkdir()
    (folder / wheel.name).symlink_to(wheel)
    return text.replace(line, f"--find-links {folder}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default=BEFORE_REVISION, help="git revision of BEFORE")
    parser.add_argument("--torch-wheel", type=Path, default=TORCH_WHEEL, help="local +cpu wheel")
    args = parser.parse_args(argv)
    started = machine()
    old = subprocess.run(
        ["git", "show", f"{args.before}:requirements.txt"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    with tempfile.TemporaryDirectory(prefix="space-install-") as tmp:
        work = Path(tmp)
        before, after = work / "before.txt", work / "after.txt"
        before.write_text(old)
        now = (ROOT / "requirements.txt").read_text()
        after.write_text(offline_after(now, args.torch_wheel, work / "pytorch-cpu-index"))
        results = {}
        for label, requirements in (("before", before), ("after", after)):
            print(f"resolving {label} ...", flush=True)
            results[label] = summary(space_report(requirements, work))
    digest = hashlib.sha256(args.torch_wheel.read_bytes()).hexdigest()
    record(
        NAME,
        {
            "before_requirements": f"git show {args.before}:requirements.txt",
            "after_requirements": "requirements.txt",
            "platform": "CPython 3.11, manylinux_2_28_x86_64 and older manylinux tags, wheels only",
            "note": (
                "download.pytorch.org does not resolve from this machine: AFTER resolves torch "
                f"from a folder holding only {args.torch_wheel} (sha256 {digest}) in place of "
                f"{PYTORCH_CPU_INDEX}; its size is that file's. Every other size is PyPI's."
            ),
            "before": results["before"],
            "after": results["after"],
        },
        started,
    )
    print(readme_table())
    return 0


def _size(n: int) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def readme_table() -> str:
    """README block: packages and download size a Space installs, before → after."""
    data = load(NAME)
    rows = [
        "| requirements.txt | packages | download | torch wheel | CUDA-only packages |",
        "|---|---|---|---|---|",
    ]
    for label, what in (
        ("before", "`torch==2.13.0` from PyPI"),
        ("after", "`torch==2.13.0+cpu`, PyTorch CPU index"),
    ):
        run = data[label]
        gpu = (
            f"{run['gpu_only_packages']} ({_size(run['gpu_only_bytes'])})"
            if run["gpu_only_packages"]
            else "none"
        )
        rows.append(
            f"| {label}: {what} | {run['packages']} | {_size(run['total_bytes'])} | "
            f"{_size(run['torch']['bytes'])} | {gpu} |"
        )
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.exit(main())
