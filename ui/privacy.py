"""How long a visit's data stays on the server, and the sentence that tells the visitor.

Three places hold what a visitor picks or uploads, each bounded with Gradio's public means:

- the visit's session dict (play counts of an uploaded history, 👍 and "not for me"): a
  ``gr.State`` with ``time_to_live``: deleted ``STATE_TTL`` seconds after the last action that
  changed it (Gradio checks every second; a closed tab gets Gradio's own hour, the same);
- Gradio's per-session copy of the page's values (the picks, the history summary): kept for the
  ``SESSION_CAPACITY`` most recent sessions (``launch(state_session_capacity=...)``), the oldest
  dropped first (a REST call without a session counts as one, so it can come sooner); Gradio
  offers no time limit for these;
- the CSV of a result (ui/export.py): deleted ``EXPORT_MAX_AGE`` seconds after it was last
  made, at most ``EXPORT_MAX_FILES`` files at any time.

The upload itself is deleted as soon as it is read (ui/history_panel.py), and nothing from it
goes in a link: while a history shapes the cards the page's address holds none (ui/share.py).
The defaults are what ``NOTICE`` says; the environment variables exist so that a test can wait
seconds, not an hour.
"""

from __future__ import annotations

import os


def _setting(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else default


STATE_TTL = _setting("RECOMMENDERS_STATE_TTL", 3600)  # seconds
SESSION_CAPACITY = _setting("RECOMMENDERS_SESSION_CAPACITY", 1000)  # sessions
EXPORT_MAX_AGE = _setting("RECOMMENDERS_EXPORT_MAX_AGE", 3600)  # seconds
EXPORT_MAX_FILES = _setting("RECOMMENDERS_EXPORT_MAX_FILES", 1000)  # files


def notice() -> str:
    """What the visitor is told, from the settings in force."""
    return (
        "The file is deleted as soon as it is read and nothing from it is logged. The artists "
        f"found in it are kept in this server's memory: their play counts for up to "
        f"{_duration(STATE_TTL)} after your last action, the page's copy of your picks and of "
        f"this summary at most until {SESSION_CAPACITY:,} newer visits have come (or the app "
        "restarts). "
        "The CSV of your recommendations, which names the artists behind them, is deleted "
        f"{_duration(EXPORT_MAX_AGE)} after it was made. Nothing from the file goes in the page's "
        "address: no link is offered for these recommendations."
    )


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "an hour" if hours == 1 else f"{hours} hours"
    if seconds % 60 == 0:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds"
