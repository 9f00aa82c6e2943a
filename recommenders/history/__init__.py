"""Read a visitor's own listening history (a Spotify export or a Last.fm scrobble list).

`read_history(source)` turns an upload into one table of artists and play counts, so the rest of
the app can match it against the catalog without caring where it came from. The format is
recognised by content, never by file name (browsers and people rename files):

- a zip (`my_spotify_data.zip`): every `.json` member that is a streaming history of either kind
  (Account data `StreamingHistory*.json`, Extended `Streaming_History_Audio_*.json` /
  `endsong_*.json`), summed; other members (Userdata.json, Playlist1.json, a PDF) are ignored;
- a JSON list of streams of either kind;
- a Last.fm scrobble CSV, headerless `artist,album,track,date` or with an artist column: one row is
  one play (a `plays`/`playcount` column, when present, gives the count instead);
- a text list, one artist per line, optionally followed by a tab or comma and a play count.

A Spotify stream counts as a play when it lasted at least 30 s (Spotify's own rule); podcast and
audiobook streams have no artist and are skipped. Names that differ only by case, spacing or
Unicode normal form are merged under the most played spelling; accents are kept (the catalog
matcher folds them).

An upload is untrusted: size, zip members, compression ratio and total uncompressed bytes are
capped, zip members are read in a streaming way and counted as they come (the sizes in the zip
headers can lie), and anything wrong raises one `HistoryFileError`. Artist names are never logged.

Speed: a heavy listener's Extended history (1,000,000 streams, ~830 MB of indented JSON) must read
in a few seconds. `msgspec` decodes only the two fields used per stream; members are inflated with
`zlib-ng` by a reader thread while the previous member is decoded. See
benchmarks/history_speed.py.

The package, by concern (each module imports only those listed before it):

- `limits`: the caps and tuning sizes, the `ACCEPTED` text and `HistoryFileError`. The other
  modules read the caps as `limits.NAME` at call time, so to change one (in a test, say) set it
  on `recommenders.history.limits`; the copies re-exported here are for reading only;
- `upload`: the raw upload (a path, bytes or a binary file object) and its size cap;
- `streams`: Spotify JSON lists of streams, decoded with msgspec;
- `zipped`: Spotify export zips, read member by member under a byte budget;
- `text_formats`: one file that is not a zip: JSON, a scrobble CSV or a text list;
- `merge`: the final table, spellings merged;
- this module: `read_history`, which ties them together.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from typing import IO

import pandas as pd

from recommenders.history.limits import (
    ACCEPTED,
    INFLATE_STEP_BYTES,
    MAX_ARTIST_NAME_CHARS,
    MAX_COMPRESSION_RATIO,
    MAX_MEMBER_BYTES,
    MAX_PLAY_COUNT,
    MAX_UPLOAD_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_UNCOMPRESSED_BYTES,
    MIN_PLAY_MS,
    PEEK_BYTES,
    RATIO_CHECK_MIN_BYTES,
    READ_CHUNK_BYTES,
    HistoryFileError,
)
from recommenders.history.merge import _merge_spellings
from recommenders.history.text_formats import (
    ARTIST_HEADERS,
    BINARY_SAMPLE_CHARS,
    CONTROL_CHARS,
    COUNT_HEADERS,
    MAX_CONTROL_SHARE,
    NUMBER_LIKE,
    SCROBBLE_MIN_FIELDS,
    TEXT_LIST_LINE,
    UTF16_BOMS,
    _count_file,
)
from recommenders.history.upload import _bytes_of, _checked_path
from recommenders.history.zipped import LOCAL_HEADER, ZIP_MAGIC, _count_zip

__all__ = [
    "ACCEPTED",
    "ARTIST_HEADERS",
    "BINARY_SAMPLE_CHARS",
    "CONTROL_CHARS",
    "COUNT_HEADERS",
    "INFLATE_STEP_BYTES",
    "LOCAL_HEADER",
    "MAX_ARTIST_NAME_CHARS",
    "MAX_COMPRESSION_RATIO",
    "MAX_CONTROL_SHARE",
    "MAX_MEMBER_BYTES",
    "MAX_PLAY_COUNT",
    "MAX_UPLOAD_BYTES",
    "MAX_ZIP_MEMBERS",
    "MAX_ZIP_UNCOMPRESSED_BYTES",
    "MIN_PLAY_MS",
    "NUMBER_LIKE",
    "PEEK_BYTES",
    "RATIO_CHECK_MIN_BYTES",
    "READ_CHUNK_BYTES",
    "SCROBBLE_MIN_FIELDS",
    "TEXT_LIST_LINE",
    "UTF16_BOMS",
    "ZIP_MAGIC",
    "HistoryFileError",
    "read_history",
]

logger = logging.getLogger(__name__)


def read_history(source: str | os.PathLike[str] | bytes | IO[bytes]) -> pd.DataFrame:
    """Artists and play counts of an uploaded history: columns `artist` (str) and `plays`
    (int64 ≥ 1), one row per artist, most played first, ties by name.

    `source` is a path, the file's bytes, or a binary file-like object. Raises HistoryFileError.
    """
    plays: Counter[str | None] = Counter()
    if isinstance(source, (str, os.PathLike)):
        path = _checked_path(source)
        with path.open("rb") as handle:
            is_zip = handle.read(4) in ZIP_MAGIC
        kind = _count_zip(path, plays) if is_zip else _count_file(path.read_bytes(), plays)
    else:
        data = _bytes_of(source)
        kind = _count_zip(data, plays) if data[:4] in ZIP_MAGIC else _count_file(data, plays)
    plays.pop(None, None)  # podcast and audiobook streams
    table = _merge_spellings(plays)
    if table.empty:
        if kind == "spotify":
            raise HistoryFileError("The history has no music plays of at least 30 seconds")
        raise HistoryFileError("The file lists no artists")
    logger.info("read a %s history: %d artists, %d plays", kind, len(table), table.plays.sum())
    return table
