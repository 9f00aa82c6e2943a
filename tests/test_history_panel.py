"""Discover's "Bring your listening history" handlers without a server: fixture exports become
weighted picks, every kind of bad file gets one clear status and changes nothing, the temporary
upload is deleted whether or not it could be read, and Last.fm answers are replayed (no network).
"""

from __future__ import annotations

import html
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd
import pytest
import responses
from responses import matchers

from recommenders import lastfm
from recommenders.history import limits
from recommenders.query import RecQuery
from ui import discover, history_panel, inputs, session

HISTORY = Path(__file__).parent / "fixtures" / "history"
LASTFM = Path(__file__).parent / "fixtures" / "lastfm"
KEY = "0123456789abcdef0123456789abcdef"
EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True)
def no_environment_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see a developer's real key."""
    monkeypatch.delenv(lastfm.API_KEY_ENV, raising=False)


def handlers(bundle: Any) -> dict[str, Any]:
    """The Discover tab's event functions by api_name (the real ones, as Gradio calls them)."""
    with gr.Blocks() as demo:
        discover.build(bundle)
    return {fn.api_name: fn.fn for fn in demo.fns.values() if fn.api_name}


@pytest.fixture(scope="module")
def fns(fast_bundle) -> dict[str, Any]:
    return handlers(fast_bundle)


def upload_copy(tmp_path: Path, source: Path | bytes, name: str = "upload.json") -> Path:
    """A stand-in for Gradio's temporary copy of an upload (<sha256>/<name>)."""
    folder = tmp_path / ("a" * 64)
    folder.mkdir(exist_ok=True)
    path = folder / name
    if isinstance(source, Path):
        shutil.copyfile(source, path)
    else:
        path.write_bytes(source)
    return path


def zip_bomb() -> bytes:
    """A 'Spotify export' whose one member inflates 64 MB of zeros from about 64 KB."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("StreamingHistory_music_0.json", "w") as member,
    ):
        for _ in range(64):
            member.write(b"\0" * 1024**2)
    return buffer.getvalue()


def traversal_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../StreamingHistory_music_0.json", (HISTORY /
                         "StreamingHistory_music_0.json").read_bytes())  # fmt: skip
    return buffer.getvalue()


BAD_FILES = {
    "zip bomb": zip_bomb,
    "path traversal zip": traversal_zip,
    "empty": lambda: b"",
    "numbers csv": lambda: b"1,2,3,4\n5,6,7,8\n9,10,11,12\n",
    "binary": lambda: bytes(range(256)) * 64,
    "malformed json": lambda: b'[{"endTime": "2024-01-01 10:00", "artistName": "Radiohead",',
    "truncated zip": lambda: traversal_zip()[:60],
    "podcasts only": lambda: (HISTORY / "StreamingHistory_podcast_0.json").read_bytes(),
}


def test_a_spotify_export_fills_the_picker_with_weighted_catalog_names(
    fns: dict[str, Any], fast_bundle: Any, tmp_path: Path
) -> None:
    path = upload_copy(tmp_path, HISTORY / "Streaming_History_Audio_2023-2024_0.json")
    status, summary, state, picks = fns["history_upload"](str(path), session.new_session())
    assert status == ""
    assert not path.exists() and not path.parent.exists()  # deleted right after reading
    assert picks == ["Sigur Rós", "Muse", "宇多田ヒカル"]  # catalog spellings, most played first
    assert session.history_plays(state) == {"Sigur Rós": 2, "Muse": 1, "宇多田ヒカル": 1}
    assert "We found 3 artists; 3 are in this 2011 catalog" in html.unescape(summary)
    assert "covering 100% of your plays" in summary and "All 3 are now in the picker" in summary
    picker, upload = fns["history_upload_picks"](picks)
    assert picker["value"] == picks and ("Muse", "Muse") in picker["choices"]
    assert upload is None  # the File component is cleared too


@pytest.mark.parametrize("name", sorted(HISTORY.glob("*")), ids=lambda p: p.name)
def test_every_fixture_gives_picks_or_one_clear_message(
    fns: dict[str, Any], tmp_path: Path, name: Path
) -> None:
    path = upload_copy(tmp_path, name, name.name)
    status, *rest = fns["history_upload"](str(path), session.new_session())
    assert not path.exists()
    if status:
        assert 'class="status error"' in status and "Accepted:" in status
        assert rest[2] is None
    else:
        assert rest[2], name


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_bad_file_gets_one_message_and_changes_nothing(
    fns: dict[str, Any], tmp_path: Path, kind: str
) -> None:
    path = upload_copy(tmp_path, BAD_FILES[kind](), "my_spotify_data.zip")
    before = session.with_history(session.new_session(), {"Radiohead": 9})
    status, summary, state, picks = fns["history_upload"](str(path), before)
    assert status.count('class="status error"') == 1 and "Traceback" not in status
    assert "Accepted:" in status  # says what would work
    assert summary == gr.skip()  # the last summary stays
    assert state == gr.skip() and picks is None  # no picks: the picker and cards stay as they were
    assert fns["history_upload_picks"](picks)[0] == gr.skip()
    assert not path.exists()  # deleted after a failed parse too


def test_an_upload_over_the_limit_is_refused_before_reading(
    fns: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_UPLOAD_BYTES", 1000)
    path = upload_copy(tmp_path, HISTORY / "Streaming_History_Audio_2023-2024_0.json")
    status, *_ = fns["history_upload"](str(path), session.new_session())
    assert "The file is 0 MB; at most 0 MB is accepted" in status
    assert not path.exists()


def test_no_file_and_no_catalog_artist_are_clear_messages(
    fns: dict[str, Any], tmp_path: Path
) -> None:
    status, *_ = fns["history_upload"](None, session.new_session())
    assert "No file was uploaded" in status
    unknown = upload_copy(tmp_path, f"Zzyzx Nonexistent Band\t5\n{EVIL}\t2\n".encode(), "a.txt")
    status, _summary, state, picks = fns["history_upload"](str(unknown), session.new_session())
    assert "None of these artists is in this 2011 catalog" in status
    assert EVIL not in status and html.escape(EVIL) in status  # a visitor's name is text
    assert state == gr.skip() and picks is None


def test_visitor_names_are_escaped_in_the_summary(fns: dict[str, Any], tmp_path: Path) -> None:
    path = upload_copy(tmp_path, f"Radiohead\t9\n{EVIL}\t3\n".encode(), "list.txt")
    _status, summary, _state, picks = fns["history_upload"](str(path), session.new_session())
    assert picks == ["Radiohead"]
    assert EVIL not in summary and html.escape(EVIL) in summary


def test_at_most_fifty_picks_and_the_summary_says_so(fast_bundle: Any) -> None:
    names = fast_bundle.top_artists(80)
    table = pd.DataFrame({"artist": names, "plays": range(1000, 1000 - len(names), -1)})
    _status, summary, state, picks = history_panel.apply_history(
        fast_bundle, session.new_session(), table
    )
    assert picks == names[: history_panel.MAX_PICKS]
    assert len(session.history_plays(state)) == 50 and "Your 50 most played" in summary


class SpyBundle:
    """Records the query discover.recommend builds (the real bundle answers)."""

    def __init__(self, bundle: Any) -> None:
        self.bundle, self.queries = bundle, []
        self.model_names = bundle.model_names

    def recommend(self, model: str, query: RecQuery) -> pd.DataFrame:
        self.queries.append(query)
        return self.bundle.recommend(model, query)


def test_play_counts_reach_the_query_as_weights(fast_bundle: Any) -> None:
    state = session.with_history(session.new_session(), {"Radiohead": 120, "Muse": 40, "Björk": 8})
    spy = SpyBundle(fast_bundle)
    # "Björk" was removed from the picker; "Coldplay" was added by hand: the median (40)
    discover.recommend(spy, state, ["Radiohead", "Muse", "Coldplay"], "softmax", 10, [], 0.0)
    query = spy.queries[-1]
    assert query.liked == ("Radiohead", "Muse", "Coldplay") and query.plays == (120, 40, 40)
    liked = session.apply_action({**state, "shown": {7: "X"}}, "like", 7)  # a 👍 also gets it
    made = inputs.make_query(inputs.SOURCE_PICKS, ["Radiohead"], None, 10, [], 0, extra_liked=[7],
                             plays=session.history_plays(liked))  # fmt: skip
    assert made.liked == ("Radiohead", 7) and made.plays == (120, 40)
    plain = inputs.make_query(inputs.SOURCE_PICKS, ["Radiohead"], None, 10, [], 0)
    assert plain.plays is None  # no history: picks count the same, as before


def lastfm_answer(period: str, fixture: str) -> None:
    responses.add(
        responses.POST,
        lastfm.API_URL,
        json=json.loads((LASTFM / fixture).read_text(encoding="utf-8")),
        match=[matchers.urlencoded_params_matcher(
            {"method": "user.gettopartists", "user": "rj", "period": period, "limit": "1000",
             "page": "1", "api_key": KEY, "format": "json"})],
    )  # fmt: skip


@responses.activate
def test_a_lastfm_username_gives_weighted_picks(
    fast_bundle: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(lastfm.API_KEY_ENV, KEY)
    fns = handlers(fast_bundle)
    lastfm_answer("overall", "topartists_overall.json")
    lastfm_answer("12month", "topartists_12month.json")
    status, summary, state, picks = fns["history_lastfm"]("rj", session.new_session())
    assert status == "" and picks[0] == "Radiohead"
    assert session.history_plays(state)["Radiohead"] == 2431
    assert "Fontaines D.C." in summary  # not in the 2011 catalog: listed as not found
    assert KEY not in summary


def test_without_a_key_the_panel_says_what_the_visitor_can_do(fast_bundle: Any) -> None:
    with gr.Blocks() as demo:
        discover.build(fast_bundle)
    assert "history_lastfm" not in {fn.api_name for fn in demo.fns.values()}
    notes = [str(b.value) for b in demo.blocks.values() if isinstance(b, gr.Markdown)]
    assert any("not available on this server: upload" in n for n in notes)
    # how a host sets the key is the README's business, not the visitor's
    assert not any("LASTFM_API_KEY" in n or "Variables and secrets" in n for n in notes)


def test_a_key_removed_after_start_gives_one_clear_message(
    fast_bundle: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(lastfm.API_KEY_ENV, KEY)
    fns = handlers(fast_bundle)
    monkeypatch.delenv(lastfm.API_KEY_ENV)
    status, _summary, state, picks = fns["history_lastfm"]("rj", session.new_session())
    assert "needs an API key" in status and "LASTFM_API_KEY" in status
    assert state == gr.skip() and picks is None


@responses.activate
def test_lastfm_failures_are_one_message(fast_bundle: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lastfm.API_KEY_ENV, KEY)
    fns = handlers(fast_bundle)
    lastfm_answer("overall", "error_6_user_not_found.json")
    status, _summary, _state, picks = fns["history_lastfm"]("rj", session.new_session())
    assert status.count("status error") == 1 and "no Last.fm user of that name" in status
    assert picks is None
    status, *_ = fns["history_lastfm"]("<b>x</b>", session.new_session())
    assert "is not a Last.fm username" in status and "<b>" not in status


def test_press_js_clicks_only_when_there_are_picks() -> None:
    js = history_panel.press_js(gr.Button("Recommend", render=False))
    assert '"Recommend"' in js and "picks.length" in js and js.rstrip().endswith("}")
