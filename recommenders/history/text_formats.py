"""One uploaded file that is not a zip: a JSON list of streams, a Last.fm scrobble CSV
(headerless `artist,album,track,date` or with an artist column) or a text list, one artist per
line with an optional play count. The kind is recognised by content, never by file name."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterator

import recommenders.history.limits as limits
from recommenders.history.limits import HistoryFileError
from recommenders.history.streams import _count_streams

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Header spellings of an artist / play-count column, compared lower-case without punctuation.
ARTIST_HEADERS = frozenset(
    {
        "artist",
        "artists",
        "artistname",
        "artistnames",
        "albumartist",
        "mastermetadataalbumartistname",
    }
)
COUNT_HEADERS = frozenset({"plays", "playcount", "count", "scrobbles", "listens"})
SCROBBLE_MIN_FIELDS = 3  # artist,album,track[,date]
TEXT_LIST_LINE = re.compile(r"(?P<name>.*?)\s*[\t,;]\s*(?P<count>\d+)\s*")
NUMBER_LIKE = re.compile(r"[\d\s.,:;/+\-]*")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BINARY_SAMPLE_CHARS = 1024**2
MAX_CONTROL_SHARE = 0.01


def _count_file(data: bytes, plays: Counter[str | None]) -> str:
    """Recognise a single JSON / CSV / text file by its content and add its plays."""
    text, encoding = _decode_text(data)
    start = text.lstrip()[:1]
    if not start:
        raise HistoryFileError("The file is empty (only blank space)")
    if start in "[{":
        body = data.removeprefix(b"\xef\xbb\xbf") if encoding == "utf-8" else text.encode()
        _count_streams(body, plays, where="the file")
        return "spotify"
    if start == "<":
        raise HistoryFileError("The file looks like HTML or XML, not a listening history")
    _count_text_table(text, plays)
    return "text"


def _decode_text(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (with or without BOM), UTF-16 with BOM, else latin-1.
    Refuses binary data."""
    encoding = "utf-8"
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            text = data[3:].decode("utf-8")
        elif data.startswith(UTF16_BOMS):
            text, encoding = data.decode("utf-16"), "utf-16"
        elif b"\x00" in data[:BINARY_SAMPLE_CHARS]:
            raise HistoryFileError("The file is binary data, not text")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text, encoding = data.decode("latin-1"), "latin-1"
    except UnicodeDecodeError as error:
        raise HistoryFileError("The file's text encoding is broken") from error
    sample = text[:BINARY_SAMPLE_CHARS]
    if len(CONTROL_CHARS.findall(sample)) > MAX_CONTROL_SHARE * len(sample):
        raise HistoryFileError("The file is binary data, not text")
    return text, encoding


def _count_text_table(text: str, plays: Counter[str | None]) -> None:
    """A scrobble CSV (headered or `artist,album,track,date`) or a one-artist-per-line list."""
    lines = [line for line in text.splitlines() if line.strip()]
    delimiter = "\t" if "\t" in lines[0] else ","
    rows = list(csv.reader(lines, delimiter=delimiter))
    header = [_header_key(field) for field in rows[0]]
    artist_column = next((i for i, key in enumerate(header) if key in ARTIST_HEADERS), None)
    if artist_column is not None:
        count_column = next((i for i, key in enumerate(header) if key in COUNT_HEADERS), None)
        counted = _headered_rows(rows[1:], artist_column, count_column)
    elif sum(len(row) >= SCROBBLE_MIN_FIELDS for row in rows) >= 0.9 * len(rows):
        counted = ((row[0], 1, number) for number, row in enumerate(rows, start=1))
    else:
        counted = _text_list_rows(lines)
    names: list[str] = []
    for name, count, line in counted:
        name = name.strip()
        if not name or count == 0:
            continue
        if len(name) > limits.MAX_ARTIST_NAME_CHARS:
            raise HistoryFileError(
                f"Line {line} is {len(name)} characters long; an artist name has at most "
                f"{limits.MAX_ARTIST_NAME_CHARS}"
            )
        names.append(name)
        plays[name] += count
    numeric = sum(NUMBER_LIKE.fullmatch(name) is not None for name in names)
    if names and numeric > len(names) / 2:
        raise HistoryFileError("The file holds numbers where artist names are expected")


def _header_key(field: str) -> str:
    return re.sub(r"[\W_]+", "", field.removeprefix("\ufeff")).lower()


def _headered_rows(
    rows: list[list[str]], artist_column: int, count_column: int | None
) -> Iterator[tuple[str, int, int]]:
    for number, row in enumerate(rows, start=2):
        if len(row) <= artist_column:
            continue
        count = 1
        if count_column is not None and len(row) > count_column:
            count = _play_count(row[count_column], number)
        yield row[artist_column], count, number


def _text_list_rows(lines: list[str]) -> Iterator[tuple[str, int, int]]:
    for number, line in enumerate(lines, start=1):
        match = TEXT_LIST_LINE.fullmatch(line)
        if match:
            yield match["name"].strip().strip('"'), _play_count(match["count"], number), number
        else:
            yield line.strip().strip('"'), 1, number


def _play_count(text: str, line: int) -> int:
    text = text.strip()
    if not text.isdigit() or not text.isascii():
        raise HistoryFileError(f"Line {line} has a play count that is not a whole number")
    count = int(text)
    if count > limits.MAX_PLAY_COUNT:
        raise HistoryFileError(
            f"Line {line} has a play count above {limits.MAX_PLAY_COUNT:,}; "
            "counts are plays of one artist"
        )
    return count
