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


# -- how long a visit's data stays: bounded, and as the visitor is told --------------------------
LIMITS = {  # short versions of ui/privacy.py's settings, so the test waits seconds
    "RECOMMENDERS_STATE_TTL": "3",
    "RECOMMENDERS_SESSION_CAPACITY": "4",
    "RECOMMENDERS_EXPORT_MAX_AGE": "12",  # longer than the visits take: the count bound acts
    "RECOMMENDERS_EXPORT_MAX_FILES": "4",
}
VISITS = 10


def csv_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.csv")] if folder.is_dir() else []


def upload(page, text: str) -> dict:
    """The file as the page uploads it (POST /gradio_api/upload), as the history panel's input."""
    sent = page.http.post(
        f"{page.url}/gradio_api/upload", files={"files": ("my_history.txt", text.encode())}
    )
    sent.raise_for_status()
    path = sent.json()[0]
    return {"path": path, "orig_name": "my_history.txt", "meta": {"_type": "gradio.FileData"}}


def session_kept(page) -> bool:
    """Whether Gradio still holds the visit's session (its deep-link route answers "" for a
    session it does not have; for one it has, it saves the page's values, which the caller
    deletes)."""
    answer = page.http.get(
        f"{page.url}/gradio_api/deep_link", params={"session_hash": page.session_hash}
    )
    answer.raise_for_status()
    return answer.json() != ""


def test_visits_leave_a_bounded_store_that_forgets_in_the_stated_time(
    fast_bundle, fast_bundle_dir: Path, tmp_path: Path
) -> None:
    """N visits upload a history (each with an artist the catalog does not know, which the
    summary lists) and get recommendations (a CSV each) and a 👍. Then the export folder holds at
    most EXPORT_MAX_FILES files and none after EXPORT_MAX_AGE, Gradio's session store only the
    SESSION_CAPACITY newest visits, and a visit's session dict (play counts, 👍) is gone after
    STATE_TTL seconds."""
    from tests.page_client import PageSession

    gradio_tmp, system_tmp = tmp_path / "gradio", tmp_path / "tmp"
    for folder in (gradio_tmp, system_tmp):
        folder.mkdir()
    env = {"GRADIO_TEMP_DIR": str(gradio_tmp), "TMPDIR": str(system_tmp), **LIMITS}
    exports = system_tmp / "lastfm-recommender-csv"
    artists = fast_bundle.top_artists(3 * VISITS)
    with running_app(fast_bundle_dir, tmp_path / "app.log", env=env) as (url, _seconds, _pid):
        visits = []
        for n in range(VISITS):
            page = PageSession(url)
            probe = f"Zzyzx Privacy Probe {n}"
            mine = artists[3 * n : 3 * n + 3]
            history = "".join(f"{a}\t{40 - i}\n" for i, a in enumerate(mine)) + f"{probe}\t9\n"
            done = page.call("history_upload", [upload(page, history), None])
            assert done["success"] and probe in done["output"]["data"][1]  # "not found: …"
            controls = [mine, fast_bundle.default_model, 10, [], 0, None]
            done = page.call("recommend", controls)
            assert done["success"] and "artist-card" in done["output"]["data"][1]
            liked = done["output"]["data"][1].split('data-action="like" data-artist="')[1]
            artist = liked.split('"')[0]
            done = page.call("discover_feedback", controls, {"action": "like", "artist": artist})
            assert "👍 Added" in done["output"]["data"][3]
            visits.append((page, controls))
        assert 0 < len(csv_files(exports)) <= int(LIMITS["RECOMMENDERS_EXPORT_MAX_FILES"])
        capacity = int(LIMITS["RECOMMENDERS_SESSION_CAPACITY"])
        assert not any(session_kept(page) for page, _ in visits[:-capacity])  # dropped whole
        time.sleep(int(LIMITS["RECOMMENDERS_EXPORT_MAX_AGE"]) + 2.5)  # > STATE_TTL too
        assert csv_files(exports) == []  # every CSV older than the stated age is gone
        last, controls = visits[-1]
        done = last.call("recommend", controls)  # the same session, after STATE_TTL
        assert done["success"] and done["output"]["data"][3] == ""  # no 👍 any more
        assert session_kept(last)  # (the probe can tell a kept session: it is not always "")
        shutil.rmtree(gradio_tmp / "deep_links", ignore_errors=True)
        assert files_holding(gradio_tmp, [f"Zzyzx Privacy Probe {n}" for n in range(VISITS)]) == []


def test_the_visitor_is_told_the_real_defaults(monkeypatch) -> None:
    import importlib

    from ui import privacy

    for name in LIMITS:
        monkeypatch.delenv(name, raising=False)
    defaults = importlib.reload(privacy)
    try:
        assert (defaults.STATE_TTL, defaults.SESSION_CAPACITY) == (3600, 1000)
        assert (defaults.EXPORT_MAX_AGE, defaults.EXPORT_MAX_FILES) == (3600, 1000)
        told = defaults.notice()
        assert "up to an hour after your last action" in told and "1,000 newer visits" in told
        assert "is deleted an hour after it was made" in told
        readme = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())
        assert told in readme  # the README quotes the page
    finally:
        importlib.reload(privacy)
