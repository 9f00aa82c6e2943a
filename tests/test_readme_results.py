"""Every figure block in the README is what the committed result files give
(benchmarks/results.py renders each block from benchmarks/results/*.json)."""

from __future__ import annotations

import json

import pytest

from benchmarks import results


def test_every_readme_block_matches_its_committed_results():
    text = results.README.read_text(encoding="utf-8")
    assert results.stale_blocks(text) == [], "run `python -m benchmarks.results`"


@pytest.mark.parametrize("path", sorted(results.RESULTS_DIR.glob("*.json")), ids=lambda p: p.name)
def test_every_result_file_says_which_command_wrote_it(path):
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["command"].startswith("python ")
    assert payload["recorded_at"]
    assert payload["machine_at_start"]["cpus"] >= 1


def test_a_changed_figure_is_caught(tmp_path, monkeypatch):
    """The check is not vacuous: a block with one digit changed is reported stale."""
    monkeypatch.setattr(results, "RESULTS_DIR", tmp_path)
    results.RESULTS_DIR.mkdir(exist_ok=True)
    (tmp_path / "probe.json").write_text(json.dumps({"value": 0.2702}))
    monkeypatch.setattr(
        results, "render", lambda target: f"{results.load('probe')['value']:.4f}\n"
    )
    fresh = "a\n<!-- results: x.y -->\n0.2702\n<!-- /results -->\nb\n"
    assert results.stale_blocks(fresh) == []
    assert results.stale_blocks(fresh.replace("0.2702", "0.2703")) == ["x.y"]
    assert results.refreshed(fresh.replace("0.2702", "9")) == fresh
