"""Load and validate the raw Last.fm hetrec2011-lastfm-2k files into typed DataFrames.

Everything downstream trusts these tables, so every problem in a raw file is reported here, once,
as a `DataValidationError` naming the file, the 1-based line number and what was wrong. Checks are
vectorised over whole columns; the offending line is looked up only after a check has failed.

The real files have quirks that are *not* errors and must keep loading: tagged artists missing
from artists.dat, names differing only in case, empty picture URLs, tag dates back to 1956 and
friendships listed in both directions.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from recommenders.errors import DataValidationError
from recommenders.storage import sha256_file

DATASET_DIR = "hetrec2011-lastfm-2k"
SPOTIFY_SEED = Path("spotify") / "spotify_artist_genres.csv"

# Last.fm tag dates before this year predate the service's tagging and are kept but suspect.
FIRST_PLAUSIBLE_TAG_YEAR = 2005
# Outside this range a year is a corrupted value, not an odd one (the real data starts at 1956).
YEAR_RANGE = (1900, 2100)


@dataclass(frozen=True)
class LastfmData:
    """The five raw tables, typed and validated (RangeIndex, snake_case columns).

    artists: artist_id, name, url, picture_url (NA when missing)  (17,632 rows)
    tags: tag_id, tag  (11,946 rows)
    user_artists: user_id, artist_id, weight (listening count >= 1)  (92,834 rows)
    user_friends: user_id, friend_id (each friendship in both directions)  (25,434 rows)
    user_tagged_artists: user_id, artist_id, tag_id, day, month, year  (186,478 rows)
    """

    artists: pd.DataFrame
    tags: pd.DataFrame
    user_artists: pd.DataFrame
    user_friends: pd.DataFrame
    user_tagged_artists: pd.DataFrame


@dataclass(frozen=True)
class _FileSpec:
    """How one raw file looks: its name, encoding, header and the columns we rename it to."""

    filename: str
    encoding: str
    header: tuple[str, ...]
    columns: tuple[str, ...]
    int_columns: tuple[str, ...]


_SPECS: dict[str, _FileSpec] = {
    "artists": _FileSpec(
        "artists.dat",
        "utf-8",
        ("id", "name", "url", "pictureURL"),
        ("artist_id", "name", "url", "picture_url"),
        ("artist_id",),
    ),
    "tags": _FileSpec(
        "tags.dat", "iso-8859-1", ("tagID", "tagValue"), ("tag_id", "tag"), ("tag_id",)
    ),
    "user_artists": _FileSpec(
        "user_artists.dat",
        "ascii",
        ("userID", "artistID", "weight"),
        ("user_id", "artist_id", "weight"),
        ("user_id", "artist_id", "weight"),
    ),
    "user_friends": _FileSpec(
        "user_friends.dat",
        "ascii",
        ("userID", "friendID"),
        ("user_id", "friend_id"),
        ("user_id", "friend_id"),
    ),
    "user_tagged_artists": _FileSpec(
        "user_taggedartists.dat",
        "ascii",
        ("userID", "artistID", "tagID", "day", "month", "year"),
        ("user_id", "artist_id", "tag_id", "day", "month", "year"),
        ("user_id", "artist_id", "tag_id", "day", "month", "year"),
    ),
}

_INTEGER = r"-?[0-9]{1,18}"  # 18 digits always fit in int64
_INTEGER_BYTES = np.zeros(256, dtype=bool)
_INTEGER_BYTES[np.frombuffer(b"0123456789-\t\r\n", dtype=np.uint8)] = True
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def load_dataset(data_dir: Path) -> LastfmData:
    """Read and validate `data_dir/hetrec2011-lastfm-2k/*.dat`.

    Raises DataValidationError (file, line, problem) on a missing file, a wrong header, a row with
    the wrong number of fields, a non-integer, a non-positive id or count, a duplicate key, a
    reference to an unknown artist or tag, or an impossible date.
    """
    directory = Path(data_dir) / DATASET_DIR
    tables = {key: _read_table(directory, spec) for key, spec in _SPECS.items()}
    artists, tags = tables["artists"], tables["tags"]
    user_artists, friends = tables["user_artists"], tables["user_friends"]
    tagged = tables["user_tagged_artists"]

    _check_positive(artists, "artists", ["artist_id"])
    _check_not_empty(artists, "artists", ["name", "url"])
    _check_unique(artists, "artists", ["artist_id"])
    artists["picture_url"] = artists["picture_url"].mask(artists["picture_url"] == "")

    _check_positive(tags, "tags", ["tag_id"])
    _check_not_empty(tags, "tags", ["tag"])
    _check_unique(tags, "tags", ["tag_id"])

    _check_positive(user_artists, "user_artists", ["user_id", "artist_id", "weight"])
    _check_unique(user_artists, "user_artists", ["user_id", "artist_id"])
    _check_known(user_artists, "user_artists", "artist_id", artists["artist_id"], "artists")

    _check_positive(friends, "user_friends", ["user_id", "friend_id"])
    _check_unique(friends, "user_friends", ["user_id", "friend_id"])

    _check_positive(tagged, "user_tagged_artists", ["user_id", "artist_id", "tag_id"])
    _check_unique(tagged, "user_tagged_artists", ["user_id", "artist_id", "tag_id"])
    _check_known(tagged, "user_tagged_artists", "tag_id", tags["tag_id"], "tags")
    _check_dates(tagged)
    # Tagged artists missing from artists.dat (390 in the real data) are kept on purpose.

    return LastfmData(artists, tags, user_artists, friends, tagged)


def implausible_tag_dates(user_tagged_artists: pd.DataFrame) -> pd.Series:
    """Flag tag rows dated before Last.fm tagging existed (5 real rows, back to 1956).

    Returns a bool Series aligned with the input (n_rows,); callers decide whether to drop them.
    """
    return user_tagged_artists["year"] < FIRST_PLAUSIBLE_TAG_YEAR


def file_sha256(data_dir: Path) -> dict[str, str]:
    """SHA-256 of each raw input file, keyed by POSIX path relative to `data_dir`.

    Goes into the bundle manifest so a bundle records exactly which data built it. The Spotify
    seed is included when present; a missing Last.fm file is an error.
    """
    data_dir = Path(data_dir)
    paths = [Path(DATASET_DIR) / spec.filename for spec in _SPECS.values()]
    for relative in paths:
        if not (data_dir / relative).is_file():
            raise DataValidationError(f"{relative}: file is missing (looked in {data_dir})")
    if (data_dir / SPOTIFY_SEED).is_file():
        paths.append(SPOTIFY_SEED)
    digests = {}
    for relative in sorted(paths):
        digests[relative.as_posix()] = sha256_file(data_dir / relative)
    return digests


def _fail(spec: _FileSpec, line: int | None, problem: str) -> DataValidationError:
    """Build the one error format: '<file>, line <n>: <problem>'."""
    where = spec.filename if line is None else f"{spec.filename}, line {line}"
    return DataValidationError(f"{where}: {problem}")


def _line_of(mask: pd.Series | np.ndarray) -> int:
    """1-based file line of the first True row (line 1 is the header)."""
    return int(np.flatnonzero(np.asarray(mask))[0]) + 2


def _read_table(directory: Path, spec: _FileSpec) -> pd.DataFrame:
    """Read one file after checking presence, header, field counts and encoding."""
    path = directory / spec.filename
    if not path.is_file():
        raise _fail(spec, None, f"file is missing (looked in {directory})")
    raw = path.read_bytes()
    header_end = raw.find(b"\n")
    header_bytes = raw if header_end < 0 else raw[:header_end]
    found = tuple(header_bytes.rstrip(b"\r").decode(spec.encoding, "replace").split("\t"))
    if found != spec.header:
        raise _fail(
            spec,
            1,
            f"wrong header: expected {'<TAB>'.join(spec.header)!r}, found {'<TAB>'.join(found)!r}",
        )
    _check_field_counts(raw, spec)
    try:
        raw.decode(spec.encoding)
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise _fail(spec, line, f"bytes are not valid {spec.encoding}: {error.reason}") from None

    return _parse(raw, spec)


def _parse(raw: bytes, spec: _FileSpec) -> pd.DataFrame:
    """Parse the body; integer columns are checked strictly ("2.0", " 2" or "+2" are rejected).

    Fast path: an all-integer file whose bytes are only digits, '-', tabs and newlines is parsed
    straight to int64. Otherwise (or if that fails) columns are read as text and each integer
    column is matched against a strict pattern, which also finds the offending line.
    """
    options = {
        "sep": "\t",
        "header": None,
        "skiprows": 1,
        "names": list(spec.columns),
        "encoding": spec.encoding,
        "quoting": csv.QUOTE_NONE,
        "keep_default_na": False,
        "na_filter": False,
        "skip_blank_lines": False,
        "engine": "c",
    }
    if spec.int_columns == spec.columns and _only_integer_bytes(raw):
        try:
            return pd.read_csv(io.BytesIO(raw), dtype="int64", **options)
        except (ValueError, OverflowError):
            pass  # e.g. an empty field or "1-2": the text path below says where
    frame = pd.read_csv(io.BytesIO(raw), dtype=str, **options)
    for column in spec.int_columns:
        text = frame[column]
        bad = ~text.str.fullmatch(_INTEGER)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise _fail(
                spec,
                row + 2,
                f"{column} must be an integer of at most 18 digits, found {text.iloc[row]!r}",
            )
        frame[column] = text.astype("int64")
    return frame


def _only_integer_bytes(raw: bytes) -> bool:
    """True when everything after the header is digits, '-', tabs or line breaks."""
    body = np.frombuffer(raw, dtype=np.uint8)[raw.find(b"\n") + 1 :]
    return bool(_INTEGER_BYTES[body].all())


def _check_field_counts(raw: bytes, spec: _FileSpec) -> None:
    """Every line must hold exactly len(header) tab-separated fields (catches truncated rows).

    Counts tabs per line with numpy over the raw bytes, so it costs a few milliseconds.
    """
    buffer = np.frombuffer(raw, dtype=np.uint8)
    line_ends = np.flatnonzero(buffer == ord("\n"))
    if len(buffer) and buffer[-1] != ord("\n"):
        line_ends = np.append(line_ends, len(buffer))  # last line has no newline
    tabs = np.flatnonzero(buffer == ord("\t"))
    tabs_before_end = np.searchsorted(tabs, line_ends)
    tabs_per_line = np.diff(tabs_before_end, prepend=0)
    bad = np.flatnonzero(tabs_per_line != len(spec.header) - 1)
    if len(bad):
        line = int(bad[0]) + 1
        fields = int(tabs_per_line[bad[0]]) + 1
        raise _fail(
            spec,
            line,
            f"expected {len(spec.header)} tab-separated fields, found {fields} "
            "(truncated or malformed row)",
        )
    if len(line_ends) < 2:
        raise _fail(spec, None, "file has a header but no data rows")


def _check_positive(frame: pd.DataFrame, key: str, columns: list[str]) -> None:
    """Ids and listening counts are >= 1."""
    for column in columns:
        bad = frame[column] < 1
        if bad.any():
            line = _line_of(bad)
            value = frame[column].iloc[line - 2]
            raise _fail(_SPECS[key], line, f"{column} must be >= 1, found {value}")


def _check_not_empty(frame: pd.DataFrame, key: str, columns: list[str]) -> None:
    """Names, URLs and tag texts are required."""
    for column in columns:
        bad = frame[column] == ""
        if bad.any():
            raise _fail(_SPECS[key], _line_of(bad), f"{column} is empty")


def _check_unique(frame: pd.DataFrame, key: str, columns: list[str]) -> None:
    """A key appears once; the message points at the repeat and at the first occurrence."""
    repeated = frame.duplicated(columns)
    if repeated.any():
        line = _line_of(repeated)
        values = frame[columns].iloc[line - 2]
        same = (frame[columns] == values).all(axis=1)
        first = _line_of(same)
        shown = ", ".join(f"{c}={v}" for c, v in values.items())
        raise _fail(_SPECS[key], line, f"duplicate key {shown} (first on line {first})")


def _check_known(frame: pd.DataFrame, key: str, column: str, known: pd.Series, other: str) -> None:
    """Foreign keys must exist in the table they refer to."""
    bad = ~frame[column].isin(known)
    if bad.any():
        line = _line_of(bad)
        value = frame[column].iloc[line - 2]
        raise _fail(_SPECS[key], line, f"{column} {value} is not in {_SPECS[other].filename}")


def _check_dates(tagged: pd.DataFrame) -> None:
    """day/month/year must form a real calendar date with a year in YEAR_RANGE."""
    spec = _SPECS["user_tagged_artists"]
    day, month, year = (tagged[c].to_numpy() for c in ("day", "month", "year"))
    low, high = YEAR_RANGE
    checks = [
        ((month < 1) | (month > 12), "month must be 1..12"),
        ((year < low) | (year > high), f"year must be {low}..{high}"),
    ]
    for bad, problem in checks:
        if bad.any():
            line = _line_of(bad)
            raise _fail(spec, line, f"{problem}, found {tagged.iloc[line - 2].to_dict()}")
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    last_day = _DAYS_IN_MONTH[month - 1] + ((month == 2) & leap)
    bad = (day < 1) | (day > last_day)
    if bad.any():
        line = _line_of(bad)
        row = tagged.iloc[line - 2]
        raise _fail(
            spec,
            line,
            f"day {row['day']} does not exist in {row['year']}-{row['month']:02d} "
            "(day must be 1..days in that month)",
        )


TOP_TAGS = 10


def top_tags(data: LastfmData, n: int = TOP_TAGS, only: Collection[str] | None = None) -> pd.Series:
    """artist_id → list of its ``n`` most given tag names (by distinct users, ties by tag name);
    ``only``: count just these tags (e.g. the genre vocabulary), so junk never takes a place."""
    tags = data.tags if only is None else data.tags[data.tags["tag"].isin(list(only))]
    tagged = data.user_tagged_artists.merge(tags, on="tag_id", how="inner")
    counts = tagged.groupby(["artist_id", "tag"])["user_id"].nunique().rename("users").reset_index()
    counts = counts.sort_values(["artist_id", "users", "tag"], ascending=[True, False, True])
    return counts.groupby("artist_id").head(n).groupby("artist_id")["tag"].agg(list)
