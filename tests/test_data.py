"""recommenders.data on the real files (counts, dtypes, quirks) and on corrupted copies."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from recommenders.data import (
    DATASET_DIR,
    LastfmData,
    file_sha256,
    implausible_tag_dates,
    load_dataset,
)
from recommenders.errors import DataValidationError

EXPECTED_COLUMNS = {
    "artists": ["artist_id", "name", "url", "picture_url"],
    "tags": ["tag_id", "tag"],
    "user_artists": ["user_id", "artist_id", "weight"],
    "user_friends": ["user_id", "friend_id"],
    "user_tagged_artists": ["user_id", "artist_id", "tag_id", "day", "month", "year"],
}
STRING_COLUMNS = {"name", "url", "picture_url", "tag"}


def test_row_counts_match_the_published_dataset(lastfm_data: LastfmData) -> None:
    assert len(lastfm_data.artists) == 17_632
    assert len(lastfm_data.tags) == 11_946
    assert len(lastfm_data.user_artists) == 92_834
    assert len(lastfm_data.user_friends) == 25_434
    assert len(lastfm_data.user_tagged_artists) == 186_478
    assert lastfm_data.user_artists["user_id"].nunique() == 1_892
    assert lastfm_data.user_artists["weight"].min() == 1
    assert lastfm_data.user_artists["weight"].max() == 352_698


@pytest.mark.parametrize("field", list(EXPECTED_COLUMNS))
def test_columns_dtypes_and_index(lastfm_data: LastfmData, field: str) -> None:
    frame = getattr(lastfm_data, field)
    assert list(frame.columns) == EXPECTED_COLUMNS[field]
    assert isinstance(frame.index, pd.RangeIndex)
    for column in frame.columns:
        if column in STRING_COLUMNS:
            assert pd.api.types.is_string_dtype(frame[column]), column
        else:
            assert frame[column].dtype == "int64", column


def test_known_quirks_load_without_error(lastfm_data: LastfmData) -> None:
    artists, tagged = lastfm_data.artists, lastfm_data.user_tagged_artists
    unnamed = set(tagged["artist_id"]) - set(artists["artist_id"])
    assert len(unnamed) == 390
    assert tagged["artist_id"].isin(unnamed).sum() == 1_538
    assert artists["picture_url"].isna().sum() == 444
    assert not (artists["picture_url"] == "").any()
    assert artists["name"].str.lower().duplicated().any()  # case-only variants survive
    pairs = lastfm_data.user_friends
    friends = set(zip(pairs["user_id"], pairs["friend_id"], strict=True))
    assert all((b, a) in friends for a, b in friends)


def test_names_keep_quotes_ampersands_and_scripts(lastfm_data: LastfmData) -> None:
    names = lastfm_data.artists.set_index("artist_id")["name"]
    assert names[1686] == '"Weird Al" Yankovic'
    assert names[2906] == "Royce da 5'9\""
    assert names[39] == "Sopor Aeternus & The Ensemble of Shadows"
    assert names[201] == "Ленинград"
    assert names[374] == "宇多田ヒカル"
    assert names[1098] == "Björk"


def test_tags_are_decoded_as_latin1(lastfm_data: LastfmData) -> None:
    tags = lastfm_data.tags.set_index("tag_id")["tag"]
    assert tags[4571] == "rock français"
    assert tags[7982] == "fußball"
    assert tags[2863] == "tropicália"
    assert not tags.str.contains("Ã").any()  # no UTF-8 bytes misread as latin-1


def test_implausible_tag_dates_are_kept_and_flagged(lastfm_data: LastfmData) -> None:
    tagged = lastfm_data.user_tagged_artists
    flags = implausible_tag_dates(tagged)
    assert flags.sum() == 5
    assert tagged.loc[flags, "year"].min() == 1956
    assert (tagged.loc[~flags, "year"] >= 2005).all()


def test_file_sha256_covers_every_raw_file(data_dir: Path, tmp_path: Path) -> None:
    digests = file_sha256(data_dir)
    assert set(digests) == {
        f"{DATASET_DIR}/artists.dat",
        f"{DATASET_DIR}/tags.dat",
        f"{DATASET_DIR}/user_artists.dat",
        f"{DATASET_DIR}/user_friends.dat",
        f"{DATASET_DIR}/user_taggedartists.dat",
        "spotify/spotify_artist_genres.csv",
    }
    assert all(len(d) == 64 for d in digests.values())
    copy = tmp_path / "data"
    shutil.copytree(data_dir / DATASET_DIR, copy / DATASET_DIR)
    tags = copy / DATASET_DIR / "tags.dat"
    tags.write_bytes(tags.read_bytes() + b"99999\tnew tag\r\n")
    changed = file_sha256(copy)
    assert "spotify/spotify_artist_genres.csv" not in changed  # optional seed absent
    assert changed[f"{DATASET_DIR}/tags.dat"] != digests[f"{DATASET_DIR}/tags.dat"]
    assert changed[f"{DATASET_DIR}/artists.dat"] == digests[f"{DATASET_DIR}/artists.dat"]


def test_lf_line_endings_load_the_same(data_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(data_dir / DATASET_DIR, copy / DATASET_DIR)
    for path in (copy / DATASET_DIR).glob("*.dat"):
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n"))
    original, converted = load_dataset(data_dir), load_dataset(copy)
    for field in EXPECTED_COLUMNS:
        pd.testing.assert_frame_equal(getattr(converted, field), getattr(original, field))


# --- corrupted copies -----------------------------------------------------------------------

Lines = list[bytes]


def _set_field(line_no: int, field: int, value: bytes) -> Callable[[Lines], int]:
    """Replace one tab-separated field on a 1-based line; returns the line that is wrong."""

    def corrupt(lines: Lines) -> int:
        body, ending = _split_ending(lines[line_no - 1])
        fields = body.split(b"\t")
        fields[field] = value
        lines[line_no - 1] = b"\t".join(fields) + ending
        return line_no

    return corrupt


def _copy_field_from_previous(line_no: int, fields: int) -> Callable[[Lines], int]:
    """Make a line repeat the key (first `fields` fields) of the line before it."""

    def corrupt(lines: Lines) -> int:
        previous = _split_ending(lines[line_no - 2])[0].split(b"\t")
        body, ending = _split_ending(lines[line_no - 1])
        current = body.split(b"\t")
        current[:fields] = previous[:fields]
        lines[line_no - 1] = b"\t".join(current) + ending
        return line_no

    return corrupt


def _truncate_last_line(lines: Lines) -> int:
    """Cut the last line just before its last tab, as an interrupted download would."""
    last = lines[-1]
    lines[-1] = last[: last.rindex(b"\t")]
    return len(lines)


def _wrong_header(lines: Lines) -> int:
    body, ending = _split_ending(lines[0])
    lines[0] = body.replace(b"\t", b",") + ending
    return 1


def _blank_line(line_no: int) -> Callable[[Lines], int]:
    def corrupt(lines: Lines) -> int:
        lines.insert(line_no - 1, b"\r\n")
        return line_no

    return corrupt


def _split_ending(line: bytes) -> tuple[bytes, bytes]:
    stripped = line.rstrip(b"\r\n")
    return stripped, line[len(stripped) :]


FILES = [
    "artists.dat",
    "tags.dat",
    "user_artists.dat",
    "user_friends.dat",
    "user_taggedartists.dat",
]

CORRUPTIONS = [
    *[pytest.param(f, _wrong_header, "wrong header", id=f"{f}-header") for f in FILES],
    *[pytest.param(f, _truncate_last_line, "fields", id=f"{f}-truncated") for f in FILES],
    pytest.param("artists.dat", _set_field(7, 0, b"seven"), "integer", id="artists-id-text"),
    pytest.param("tags.dat", _set_field(40, 0, b"4.0"), "integer", id="tags-id-float"),
    pytest.param("user_artists.dat", _set_field(12, 2, b"1x"), "integer", id="ua-weight-text"),
    pytest.param("user_artists.dat", _set_field(30, 2, b""), "integer", id="ua-weight-empty"),
    pytest.param("user_friends.dat", _set_field(9, 1, b"1-2"), "integer", id="uf-friend-text"),
    pytest.param(
        "user_taggedartists.dat", _set_field(500, 5, b"20 09"), "integer", id="uta-year-text"
    ),
    pytest.param("user_artists.dat", _set_field(100, 2, b"-5"), ">= 1", id="ua-negative-weight"),
    pytest.param("user_artists.dat", _set_field(101, 2, b"0"), ">= 1", id="ua-zero-weight"),
    pytest.param("user_friends.dat", _set_field(20, 1, b"0"), ">= 1", id="uf-zero-id"),
    pytest.param("artists.dat", _set_field(15, 0, b"-3"), ">= 1", id="artists-negative-id"),
    pytest.param(
        "user_artists.dat", _set_field(50, 1, b"999999"), "not in artists.dat", id="ua-unknown"
    ),
    pytest.param(
        "user_taggedartists.dat", _set_field(77, 2, b"999999"), "not in tags.dat", id="uta-tag"
    ),
    pytest.param("artists.dat", _copy_field_from_previous(20, 1), "duplicate", id="artists-dup"),
    pytest.param("tags.dat", _copy_field_from_previous(300, 1), "duplicate", id="tags-dup"),
    pytest.param("user_artists.dat", _copy_field_from_previous(5, 2), "duplicate", id="ua-dup"),
    pytest.param("user_friends.dat", _copy_field_from_previous(8, 2), "duplicate", id="uf-dup"),
    pytest.param(
        "user_taggedartists.dat", _copy_field_from_previous(3, 3), "duplicate", id="uta-dup"
    ),
    pytest.param("user_taggedartists.dat", _set_field(60, 4, b"13"), "month", id="uta-month"),
    pytest.param("user_taggedartists.dat", _set_field(61, 3, b"0"), "day", id="uta-day-zero"),
    pytest.param("user_friends.dat", _blank_line(4), "fields", id="uf-blank-line"),
    pytest.param("artists.dat", _set_field(11, 1, b"\xff\xfe"), "utf-8", id="artists-bad-utf8"),
    pytest.param("artists.dat", _set_field(12, 1, b""), "name is empty", id="artists-no-name"),
]


@pytest.fixture
def data_copy(data_dir: Path, tmp_path: Path) -> Path:
    """A writable copy of the dataset directory for one corruption."""
    copy = tmp_path / "data"
    shutil.copytree(data_dir / DATASET_DIR, copy / DATASET_DIR)
    return copy


@pytest.mark.parametrize(("filename", "corrupt", "problem"), CORRUPTIONS)
def test_corrupted_file_names_file_line_and_problem(
    data_copy: Path, filename: str, corrupt: Callable[[Lines], int], problem: str
) -> None:
    path = data_copy / DATASET_DIR / filename
    lines = path.read_bytes().splitlines(keepends=True)
    bad_line = corrupt(lines)
    path.write_bytes(b"".join(lines))
    with pytest.raises(DataValidationError) as caught:
        load_dataset(data_copy)
    message = str(caught.value)
    assert message.startswith(f"{filename}, line {bad_line}:"), message
    assert problem.lower() in message.lower(), message


@pytest.mark.parametrize("filename", FILES)
def test_missing_file_is_named(data_copy: Path, filename: str) -> None:
    (data_copy / DATASET_DIR / filename).unlink()
    with pytest.raises(DataValidationError, match=rf"{filename}.*missing"):
        load_dataset(data_copy)


def test_impossible_calendar_date_is_rejected(data_copy: Path) -> None:
    path = data_copy / DATASET_DIR / "user_taggedartists.dat"
    lines = path.read_bytes().splitlines(keepends=True)
    _set_field(42, 3, b"30")(lines)
    _set_field(42, 4, b"2")(lines)
    path.write_bytes(b"".join(lines))
    with pytest.raises(DataValidationError, match=r"user_taggedartists.dat, line 42: day 30"):
        load_dataset(data_copy)


def test_wrong_header_says_expected_and_found(data_copy: Path) -> None:
    path = data_copy / DATASET_DIR / "user_artists.dat"
    path.write_bytes(path.read_bytes().replace(b"userID\tartistID", b"userID\tartist", 1))
    with pytest.raises(DataValidationError) as caught:
        load_dataset(data_copy)
    assert "expected 'userID<TAB>artistID<TAB>weight'" in str(caught.value)
    assert "found 'userID<TAB>artist<TAB>weight'" in str(caught.value)
