"""The caps an upload must stay under, the tuning sizes of the readers, and the one error type.

Every other module of the package reads these constants as `limits.NAME` at call time, so a
test (or a deployment) that sets `recommenders.history.limits.NAME` changes the limit everywhere.
The copies re-exported by `recommenders.history` are for reading only: setting them changes
nothing.
"""

from __future__ import annotations

from recommenders.errors import RecommenderInputError

MAX_UPLOAD_BYTES = 100 * 1024**2  # the raw upload, zip or not
MAX_ZIP_UNCOMPRESSED_BYTES = 1024**3  # all members read, counted as they are inflated
MAX_MEMBER_BYTES = 200 * 1024**2  # one member (Spotify's own are ~12 MB)
MAX_ZIP_MEMBERS = 2_000
MAX_COMPRESSION_RATIO = 200  # inflated / compressed, checked once a member passes...
RATIO_CHECK_MIN_BYTES = 1024**2  # ...this size (small JSON legitimately compresses well)
MIN_PLAY_MS = 30_000  # Spotify counts a stream as a play from 30 s on
MAX_ARTIST_NAME_CHARS = 300
MAX_PLAY_COUNT = 10**9  # per line of a text list
READ_CHUNK_BYTES = 1024**2
INFLATE_STEP_BYTES = 16 * 1024  # compressed bytes per step: at most ~16 MB out before a check
PEEK_BYTES = 4096  # enough for the first record of a streaming history

ACCEPTED = (
    "Accepted: a Spotify data export (my_spotify_data.zip, StreamingHistory*.json or "
    "Streaming_History_Audio_*.json), a Last.fm scrobble CSV (artist,album,track,date rows or a "
    "header with an artist column), or a text list with one artist per line, optionally followed "
    "by a tab or comma and a play count."
)


class HistoryFileError(RecommenderInputError):
    """An uploaded history is empty, damaged, hostile or of an unknown kind.

    The message says what was wrong and lists the accepted formats.
    """

    def __init__(self, problem: str) -> None:
        super().__init__(f"{problem}. {ACCEPTED}")
