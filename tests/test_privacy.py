"""A visitor's listening history leaves no trace on the server: after uploads through the API
(a Spotify export, a text list, and a file that fails to parse), no file under the app's Gradio
temp/cache folder or its system temp folder holds an uploaded artist or track name, and no line
of the app's log does."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.app_server import running_app

pytestmark = pytest.mark.slow

HISTORY = Path(__file__).parent / "fixtures" / "history"
UPLOADS = ["Streaming_History_Audio_2023-2024_0.json", "artists.txt", "lastfm_scrobbles.csv"]
# Distinctive names from those files (artists, a track, an album), matched or not.
SECRETS = ["Sigur Rós", "Hoppípolla", "Король и Шут", "宇多田ヒカル", "Crosby, Stills", "Maniacs"]
FAILING = "Zzyzx Privacy Probe"  # in a file that fails to parse (binary after the name)


def forms(name: str) -> list[bytes]:
    """The bytes a name could be stored as: UTF-8, JSON's ASCII escapes, UTF-16."""
    return [name.encode(), json.dumps(name)[1:-1].encode(), name.encode("utf-16-le")]


def files_holding(folder: Path, names: list[str]) -> list[tuple[str, str]]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [(str(path), n) for n in names if any(f in data for f in forms(n))]
    return found


def test_uploads_leave_no_names_in_temp_files_or_logs(
    fast_bundle_dir: Path, tmp_path: Path
) -> None:
    from gradio_client import Client, handle_file

    gradio_tmp, system_tmp, sources = tmp_path / "gradio", tmp_path / "tmp", tmp_path / "src"
    for folder in (gradio_tmp, system_tmp, sources):
        folder.mkdir()
    for name in UPLOADS:  # the client reads from here: outside the scanned folders
        shutil.copyfile(HISTORY / name, sources / name)
    bad = sources / "broken.txt"
    bad.write_bytes(f"{FAILING}\t3\n".encode() + bytes(range(256)) * 16)
    log = tmp_path / "app.log"
    env = {"GRADIO_TEMP_DIR": str(gradio_tmp), "TMPDIR": str(system_tmp)}
    with running_app(fast_bundle_dir, log, env=env) as (url, _seconds, _pid):
        client = Client(url, verbose=False, download_files=False)
        for name in UPLOADS:
            status, _summary, picks = client.predict(
                handle_file(str(sources / name)), api_name="/history_upload"
            )
            assert status == "" and picks, (name, status)  # the file was read and matched
        status, _summary, picks = client.predict(handle_file(str(bad)), api_name="/history_upload")
        assert "status error" in status and picks is None
        time.sleep(1.0)  # let any background work of the upload route finish
        assert files_holding(gradio_tmp, [*SECRETS, FAILING]) == []
        assert files_holding(system_tmp, [*SECRETS, FAILING]) == []
        leftovers = [p.name for p in gradio_tmp.rglob("*") if p.is_file() and p.stat().st_size]
        assert not set(leftovers) & {*UPLOADS, bad.name}, leftovers  # the uploads are gone
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Running on" in text or "127.0.0.1" in text  # the log is the app's
    for line in text.splitlines():
        assert not any(name in line for name in [*SECRETS, FAILING]), line
