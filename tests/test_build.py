"""build_artifacts.py: the command line, and that a failed build never damages a good bundle."""

from __future__ import annotations

import os
import shutil

import pytest

import build_artifacts
import recommenders
from recommenders.artifacts import verify_bundle
from recommenders.artifacts import write_atomically as write_bundle_atomically
from recommenders.storage import sha256_file


def _tree_hashes(folder):
    return {
        p.relative_to(folder).as_posix(): sha256_file(p) for p in folder.rglob("*") if p.is_file()
    }


@pytest.mark.slow
def test_cli_builds_a_loadable_bundle(data_dir, tmp_path, capsys):
    out = tmp_path / "artifacts"
    code = build_artifacts.main(
        [
            "--fast",
            "--models",
            "popularity",
            "--out",
            str(out),
            "--quiet",
            "--offline",
            "--spotify-cache",
            str(tmp_path / "cache"),
            "--data-dir",
            str(data_dir),
        ]
    )
    assert code == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    bundle = recommenders.load(out)
    assert bundle.model_names == ["popularity"]
    assert "popularity" in bundle.metrics


def test_a_corrupted_raw_file_stops_the_build_before_anything_is_written(
    data_dir, tmp_path, capsys
):
    broken = tmp_path / "data"
    shutil.copytree(data_dir, broken)
    path = broken / "hetrec2011-lastfm-2k" / "user_artists.dat"
    lines = path.read_bytes().split(b"\n")
    lines[10] = b"2\t51\t-5\r"
    path.write_bytes(b"\n".join(lines))
    out = tmp_path / "artifacts"
    out.mkdir()
    (out / "keep.txt").write_text("a good bundle lives here")
    before = _tree_hashes(out)

    code = build_artifacts.main(
        ["--fast", "--out", str(out), "--quiet", "--offline", "--data-dir", str(broken)]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "user_artists.dat" in err and "line 11" in err
    assert "Nothing was written" in err
    assert _tree_hashes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["artifacts", "data"]


def test_an_interrupted_write_keeps_the_previous_bundle(tmp_path):
    out = tmp_path / "artifacts"

    def good(directory):
        (directory / "a.txt").write_text("first")
        return {"note": "first"}

    write_bundle_atomically(out, good)
    before = _tree_hashes(out)

    def interrupted(directory):
        (directory / "a.txt").write_text("half-written")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_bundle_atomically(out, interrupted)
    assert _tree_hashes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["artifacts"]


@pytest.mark.slow
def test_a_failed_swap_puts_the_previous_bundle_back(fast_bundle_dir, tmp_path, monkeypatch):
    """The swap is two renames: old bundle aside, new one in. Failing exactly the second one
    must leave the old bundle at ``out``, loadable, and no hidden folder beside it."""
    out = tmp_path / "artifacts"
    shutil.copytree(fast_bundle_dir, out)
    before = _tree_hashes(out)
    real_replace, calls = os.replace, []

    def second_rename_fails(source, target):
        calls.append((os.fspath(source), os.fspath(target)))
        if len(calls) == 2:
            raise OSError(28, "No space left on device (simulated)")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", second_rename_fails)
    with pytest.raises(OSError, match="simulated"):
        write_bundle_atomically(out, lambda d: (d / "new.txt").write_text("new") and {})
    monkeypatch.undo()

    assert calls[0][0] == str(out.resolve()) and calls[1][1] == str(out.resolve())
    assert _tree_hashes(out) == before
    verify_bundle(out)
    assert recommenders.load(out).model_names == recommenders.load(fast_bundle_dir).model_names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["artifacts"]


def test_a_successful_write_replaces_the_bundle_whole(tmp_path):
    out = tmp_path / "artifacts"
    write_bundle_atomically(out, lambda d: (d / "old.txt").write_text("x") and {})
    write_bundle_atomically(out, lambda d: (d / "new.txt").write_text("y") and {})
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["artifacts"]


def test_a_bad_hub_repo_id_fails_before_building(tmp_path, capsys):
    out = tmp_path / "artifacts"
    code = build_artifacts.main(["--push-to-hub", "not a repo id", "--out", str(out)])
    assert code == 2
    assert "repo" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--seed", "abc"], "invalid int value"),
        (["--models", "deep-magic"], "invalid choice"),
        (["--no-such-flag"], "unrecognized arguments"),
    ],
)
def test_bad_command_lines_exit_2_with_a_usage_message(argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        build_artifacts.main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err
