"""Under CI a missing dependency fails the run instead of skipping (tests/conftest.py); outside CI
it is still a skip. Each case runs pytest in a subprocess: the real ranx cross-check with ranx
hidden, a real browser test with no Chromium, the accessibility test with no axe-core, and a
parametrized test with no parameters (as
tests/test_readme_results.py has while benchmarks/results/ holds no result file)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import in_ci

ROOT = Path(__file__).resolve().parents[1]
RANX_TEST = "tests/test_evaluation.py::test_our_metrics_match_ranx_on_the_same_rankings"
BROWSER_TEST = "tests/browser/test_data_lookup.py"
AXE_TEST = "tests/browser/test_accessibility.py::test_axe_finds_no_serious_violation"
EMPTY_PARAMETERS = """
from pathlib import Path

import pytest


@pytest.mark.parametrize("path", sorted(Path(__file__).parent.glob("results/*.json")))
def test_every_result_file(path):
    assert path.read_text()
"""


def run_pytest(
    args: list[str], env: dict[str, str], cwd: Path = ROOT, path: Path | None = None
) -> tuple[int, str, str]:
    """Exit code, last line and output of `python -m pytest -rA args` in a fresh process, with
    ``env`` over this environment minus CI, and ``path`` (if any) first on PYTHONPATH."""
    environment = {k: v for k, v in os.environ.items() if k != "CI"} | env
    environment["PYTHONPATH"] = os.pathsep.join(
        str(p) for p in (path, ROOT, os.environ.get("PYTHONPATH")) if p
    )
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = completed.stdout + completed.stderr
    lines = completed.stdout.strip().splitlines()
    return completed.returncode, (lines[-1] if lines else output), output


def counts(summary: str) -> dict[str, int]:
    """{"failed": 1, "error": 2, ...} from pytest's last line."""
    return {word.rstrip("s"): int(n) for n, word in re.findall(r"(\d+) (\w+)", summary)}


@pytest.fixture(scope="module")
def hidden_ranx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder that, first on PYTHONPATH, makes `import ranx` fail as if it were not installed."""
    shadow = tmp_path_factory.mktemp("no-ranx")
    (shadow / "ranx.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'ranx' (hidden by the test)\", name='ranx')\n"
    )
    return shadow


def test_ci_is_read_from_the_environment() -> None:
    assert in_ci({"CI": "true"}) and in_ci({"CI": "1"}) and in_ci({"CI": "True"})
    assert not in_ci({}) and not in_ci({"CI": "false"}) and not in_ci({"CI": ""})


def check(ci: bool, code: int, summary: str, output: str, reason: str) -> None:
    """Under CI: exit 1, nothing skipped, the skip turned into a failure naming ``reason``.
    Locally: exit 0, skipped with ``reason``."""
    found = counts(summary)
    if ci:
        assert code == 1 and "skipped" not in found and "passed" not in found, summary
        assert found.get("failed", 0) + found.get("error", 0) >= 1, summary
        assert "Skipped under CI, where every test must run" in output and reason in output
    else:
        assert code == 0 and found.get("skipped", 0) >= 1, summary
        assert "failed" not in found and "error" not in found, summary
        assert reason in output


@pytest.mark.slow
@pytest.mark.parametrize("ci", [True, False], ids=["CI", "local"])
def test_missing_ranx_fails_under_ci_and_skips_locally(hidden_ranx, ci: bool) -> None:
    ran = run_pytest([RANX_TEST], {"CI": "true"} if ci else {}, path=hidden_ranx)
    check(ci, *ran, reason="could not import 'ranx'")


@pytest.mark.slow
@pytest.mark.parametrize("ci", [True, False], ids=["CI", "local"])
def test_missing_chromium_fails_under_ci_and_skips_locally(fast_bundle_dir, ci: bool) -> None:
    env = {
        "RECOMMENDERS_CHROMIUM": str(ROOT / "no-such-chromium"),
        "RECOMMENDERS_TEST_BUNDLE": str(fast_bundle_dir),
        **({"CI": "true"} if ci else {}),
    }
    check(ci, *run_pytest([BROWSER_TEST], env), reason="no-such-chromium is absent")


@pytest.mark.slow
@pytest.mark.parametrize("ci", [True, False], ids=["CI", "local"])
def test_missing_axe_core_fails_under_ci_and_skips_locally(ci: bool) -> None:
    env = {"RECOMMENDERS_AXE": str(ROOT / "no-such-axe.min.js"), **({"CI": "true"} if ci else {})}
    check(ci, *run_pytest([AXE_TEST], env), reason="no-such-axe.min.js")


@pytest.mark.parametrize("ci", [True, False], ids=["CI", "local"])
def test_an_empty_parameter_set_fails_under_ci(tmp_path: Path, ci: bool) -> None:
    (tmp_path / "test_results.py").write_text(EMPTY_PARAMETERS)
    # The hooks as conftest.py defines them; tmp_path is outside tests/, so import them.
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_make_collect_report, pytest_runtest_makereport  "
        "# noqa: F401\n"
    )
    ran = run_pytest(
        ["--rootdir", str(tmp_path), str(tmp_path)], {"CI": "true"} if ci else {}, cwd=tmp_path
    )
    check(ci, *ran, reason="got empty parameter set")
