"""Discover's "Bring your listening history": an uploaded export or a Last.fm username becomes
the picks (most played first, weighted by plays), then the usual Recommend runs.

The chain is three steps so that a bad file changes nothing but the status: (1) read and match
the history (an input error becomes the status, and the picks to apply stay empty); (2) put the
picks into the picker and clear the upload (never fails, so the picker never gets an error
badge); (3) in the page, press Recommend when there were picks. Step 3 clicks the tab's own
button because the cards, options and their recommend handler are built after this panel.

Privacy: an upload is read once and its temporary copy deleted at once (even when reading
fails); the counts live only in the visit's session state, deleted after ui/privacy.py's time;
nothing here logs an artist name.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from recommenders import history
from recommenders.bundle import Bundle
from recommenders.errors import RecommenderInputError
from recommenders.history import HistoryFileError, read_history
from recommenders.lastfm import API_KEY_ENV, fetch_top_artists
from ui import errors, inputs, privacy, session

MAX_PICKS = 50  # the most played matched artists that go into the picker
GRADIO_UPLOAD_DIR = re.compile(r"[0-9a-f]{64}")  # Gradio keeps each upload in <sha256>/<name>
INTRO = (
    "Upload a **Spotify data export** (`my_spotify_data.zip`, or its `StreamingHistory*.json`, "
    "`Streaming_History_Audio_*.json` or `endsong_*.json`), a **Last.fm scrobble CSV**, or a "
    "**text list** with one artist per line (optionally a tab or comma and a play count), at "
    "most 100 MB. Your most played artists that this 2011 catalog knows fill the picker, "
    "weighted by plays. " + privacy.notice()
)
# What the visitor can do when this server has no Last.fm API key (how a host sets one: README)
NO_KEY_NOTE = (
    "Loading a profile by Last.fm username is not available on this server: upload a Last.fm "
    "scrobble CSV or a Spotify export above instead."
)


def lastfm_enabled() -> bool:
    return bool(os.environ.get(API_KEY_ENV, "").strip())


def read_upload(path: str | os.PathLike[str] | None) -> pd.DataFrame:
    """The history in Gradio's temporary copy of an upload, which is deleted right after
    reading, whether or not it could be read (the visitor's file must not outlive the call)."""
    if path is None:
        raise HistoryFileError("No file was uploaded")
    try:
        size = os.path.getsize(path) if os.path.isfile(path) else 0
        limit = history.limits.MAX_UPLOAD_BYTES  # read at call time: tests and hosts may lower it
        if size > limit:
            raise HistoryFileError(
                f"The file is {size / 1024**2:.0f} MB; at most {limit / 1024**2:.0f} MB is accepted"
            )
        return read_history(path)
    finally:
        forget_upload(path)


def forget_upload(path: str | os.PathLike[str]) -> None:
    """Delete the upload, and Gradio's per-upload folder once it is empty."""
    upload = Path(path)
    try:
        upload.unlink(missing_ok=True)
        if GRADIO_UPLOAD_DIR.fullmatch(upload.parent.name):
            upload.parent.rmdir()
    except OSError:
        pass  # already gone, or the folder holds another upload of the same content


def apply_history(
    bundle: Bundle, current: dict[str, Any], table: pd.DataFrame
) -> tuple[str, str, dict[str, Any], list[str]]:
    """(status, summary, session, picks) for a history read from a file or Last.fm."""
    found = bundle.match_history(table)
    if found.matched.empty:
        raise RecommenderInputError(
            f"{found.summary()} None of these artists is in this 2011 catalog, so there is "
            "nothing to start from; pick a few artists by hand instead."
        )
    kept = found.matched.head(MAX_PICKS)
    plays = {str(n): int(p) for n, p in zip(kept["name"], kept["plays"], strict=True)}
    text = summary_html(found.summary(), len(plays), len(found.matched))
    return "", text, session.with_history(current, plays), list(plays)


def summary_html(summary: str, kept: int, matched: int) -> str:
    """The match summary plus what went into the picker (escaped: it holds visitor names)."""
    if kept < matched:
        note = f"Your {kept} most played of them are now in the picker"
    else:
        note = f"{'All ' + str(kept) + ' are' if kept > 1 else 'It is'} now in the picker"
    note += (
        ", weighted by your plays. Remove or add artists like any pick (an added one counts "
        "like a typical artist of your history), then press Recommend again."
    )
    return (
        f'<div class="status info history-summary" role="status">{html.escape(summary)} '
        f"{html.escape(note)}</div>"
    )


def picker_update(bundle: Bundle, picks: Any) -> tuple[Any, None]:
    """(picker, upload) after step 1: the new picks when there are some; the upload cleared."""
    if not isinstance(picks, list) or not picks:
        return gr.skip(), None
    names = [p for p in picks if isinstance(p, str)]
    choices = list(dict.fromkeys([*names, *inputs.top_artist_names(bundle)]))
    return gr.update(value=names, choices=[(n, n) for n in choices]), None


def press_js(button: gr.Button) -> str:
    """Step 3 in the page: press the tab's Recommend button when step 1 sent picks."""
    label = json.dumps(str(button.value))
    return (
        "(picks) => { if (Array.isArray(picks) && picks.length) {"
        " const row = document.querySelector('#discover-picker')?.closest('.picker-row');"
        f" const go = [...(row ?? document).querySelectorAll('button')]"
        f".find((b) => b.innerText.trim() === {label}); go?.click(); }} return null; }}"
    )


BLANK = (gr.skip(), gr.skip(), None)  # summary, session, picks: unchanged after an error


def build(
    bundle: Bundle, picker: gr.Dropdown, state: gr.State, status: gr.HTML, go: gr.Button
) -> None:
    """The panel's inputs and events (inside Discover's accordion)."""
    gr.Markdown(INTRO)
    upload = gr.File(
        label="Your listening history", file_count="single", type="filepath",
        elem_id="history-upload", height=120,
    )  # fmt: skip
    username = load = None
    if lastfm_enabled():
        with gr.Row(elem_classes="stack-on-phone"):
            username = gr.Textbox(
                label="…or your Last.fm username", placeholder="e.g. rj", max_length=40,
                elem_id="history-lastfm-user",
            )  # fmt: skip
            load = gr.Button("Use my Last.fm profile", scale=0, min_width=180)
    else:
        gr.Markdown(NO_KEY_NOTE, elem_classes="history-no-key")
    summary = errors.live_html("history-summary-box")
    pending = gr.JSON(value=None, visible=False)
    outputs = [status, summary, state, pending]

    @errors.guarded(*BLANK)
    def on_upload(path: str | None, current: dict[str, Any]) -> tuple[Any, ...]:
        return apply_history(bundle, current, read_upload(path))

    @errors.guarded(*BLANK)
    def on_lastfm(name: str | None, current: dict[str, Any]) -> tuple[Any, ...]:
        return apply_history(bundle, current, fetch_top_artists(name or ""))

    def on_picks(picks: Any) -> tuple[Any, None]:
        return picker_update(bundle, picks)

    def chain(event: Any, fn: Any, source: Any, api_name: str, visibility: str) -> None:
        event(
            fn, [source, state], outputs, api_name=api_name, api_visibility=visibility,
            concurrency_id="history", concurrency_limit=1,
        ).then(
            on_picks, [pending], [picker, upload], api_name=f"{api_name}_picks",
            api_visibility="private", queue=False, show_progress="hidden",
        ).then(None, [pending], [pending], js=press_js(go))  # fmt: skip

    chain(upload.upload, on_upload, upload, "history_upload", "undocumented")
    if username is not None and load is not None:
        chain(load.click, on_lastfm, username, "history_lastfm", "undocumented")
        chain(username.submit, on_lastfm, username, "history_lastfm_submit", "private")
