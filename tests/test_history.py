"""read_history on hand-written exports of every accepted kind, and on bad or hostile uploads
(zip bombs, path traversal, truncation) built in tmp_path. Limits are monkeypatched small on
`recommenders.history.limits`, where every reader looks them up at call time."""

from __future__ import annotations

import io
import json
import logging
import random
import shutil
import struct
import unicodedata
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from recommenders.errors import RecommenderInputError
from recommenders.history import HistoryFileError, limits, read_history, zipped

FIXTURES = Path(__file__).parent / "fixtures" / "history"
ACCOUNT = FIXTURES / "StreamingHistory_music_0.json"
PODCASTS = FIXTURES / "StreamingHistory_podcast_0.json"
EXTENDED = FIXTURES / "Streaming_History_Audio_2023-2024_0.json"
ENDSONG = FIXTURES / "endsong_0.json"


def as_dict(table: pd.DataFrame) -> dict[str, int]:
    return dict(zip(table["artist"], table["plays"], strict=True))


def make_zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return path


def streams(n: int, artist: str = "Muse", ms: int = 200_000) -> bytes:
    """n Extended-history streams of one artist, as Spotify writes them."""
    record = {"ts": "2024-01-01T00:00:00Z", "ms_played": ms}
    record["master_metadata_album_artist_name"] = artist
    return json.dumps([record] * n, indent=4).encode()


# ---------------------------------------------------------------------------------------------
# formats


def test_account_data_counts_plays_of_30_seconds_and_merges_case() -> None:
    table = read_history(ACCOUNT)
    assert list(table.columns) == ["artist", "plays"]
    assert table["plays"].dtype == np.int64
    assert pd.api.types.is_string_dtype(table["artist"])
    # Radiohead: 284 s, 383 s, "radiohead" at exactly 30 s; the 29.999 s stream is no play.
    # 宇多田ヒカル's 0 ms stream and Muse's 12 s skip are no plays either.
    assert as_dict(table) == {"Radiohead": 3, "Король и Шут": 2, "宇多田ヒカル": 1, "Sigur Rós": 1}
    assert list(table["artist"]) == ["Radiohead", "Король и Шут", "Sigur Rós", "宇多田ヒカル"]
    assert isinstance(table.index, pd.RangeIndex)


def test_extended_history_skips_podcasts_and_short_streams() -> None:
    table = read_history(EXTENDED)
    # Sigur Rós: two full plays and one 0 ms skip; the podcast has no artist;
    # Muse's 29,999 ms skip is no play but MUSE's full play is, under the only played spelling.
    assert as_dict(table) == {"Sigur Rós": 2, "宇多田ヒカル": 1, "MUSE": 1}


def test_old_endsong_files_merge_spacing_variants() -> None:
    assert as_dict(read_history(ENDSONG)) == {"Король и Шут": 2}


def test_podcast_only_history_has_no_music_plays() -> None:
    with pytest.raises(HistoryFileError, match="no music plays of at least 30 seconds"):
        read_history(PODCASTS)


def test_spotify_zip_sums_both_kinds_and_ignores_other_members(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "my_spotify_data.zip",
        {
            "Spotify Account Data/": b"",
            "Spotify Account Data/StreamingHistory_music_0.json": ACCOUNT.read_bytes(),
            "Spotify Account Data/StreamingHistory_podcast_0.json": PODCASTS.read_bytes(),
            "Spotify Account Data/Userdata.json": (FIXTURES / "Userdata.json").read_bytes(),
            "Spotify Account Data/Playlist1.json": (FIXTURES / "Playlist1.json").read_bytes(),
            "Spotify Extended Streaming History/Streaming_History_Audio_2023-2024_0.json": (
                EXTENDED.read_bytes()
            ),
            "Spotify Extended Streaming History/endsong_0.json": ENDSONG.read_bytes(),
            "Spotify Extended Streaming History/ReadMeFirst.pdf": b"%PDF-1.4 not json",
            "__MACOSX/Spotify Account Data/._Playlist1.json": b"\x00\x05\x16\x07\x00\x02",
        },
    )
    expected = {"Radiohead": 3, "Король и Шут": 4, "Sigur Rós": 3, "宇多田ヒカル": 2, "MUSE": 1}
    assert as_dict(read_history(archive)) == expected
    # the same bytes as bytes and as an open file
    assert as_dict(read_history(archive.read_bytes())) == expected
    with archive.open("rb") as handle:
        assert as_dict(read_history(handle)) == expected


def test_stored_zip_members_are_read_too(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "a.zip", {"x/StreamingHistory0.json": ACCOUNT.read_bytes()},
                       method=zipfile.ZIP_STORED)  # fmt: skip
    assert read_history(archive)["plays"].sum() == 7


def test_format_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    renamed = tmp_path / "upload.bin"
    shutil.copy(EXTENDED, renamed)
    assert as_dict(read_history(renamed)) == as_dict(read_history(EXTENDED))


def test_headerless_lastfm_scrobbles_count_one_play_per_row() -> None:
    table = read_history(FIXTURES / "lastfm_scrobbles.csv")
    assert as_dict(table) == {
        "Radiohead": 3,
        "Crosby, Stills, Nash & Young": 1,
        "Король и Шут": 1,
        "宇多田ヒカル": 1,
        "Sigur Rós": 1,
    }


def test_headered_scrobble_export_uses_its_artist_column() -> None:
    table = read_history(FIXTURES / "lastfm_headered.csv")
    assert as_dict(table) == {"Radiohead": 2, "Король и Шут": 1, "宇多田ヒカル": 1}


@pytest.mark.parametrize("header", ["artist", "Artist", "artist_name", "Artist Name", "artistName"])
def test_artist_column_spellings(header: str) -> None:
    text = f"track,{header},album\nAirbag,Radiohead,OK Computer\nHysteria,Muse,Absolution\n"
    text += "Karma Police,Radiohead,OK Computer\n"
    assert as_dict(read_history(text.encode())) == {"Radiohead": 2, "Muse": 1}


def test_headered_csv_with_a_play_count_column() -> None:
    text = "Artist,Playcount\nRadiohead,120\nMuse,40\n"
    assert as_dict(read_history(text.encode())) == {"Radiohead": 120, "Muse": 40}


def test_text_list_with_optional_counts() -> None:
    table = read_history(FIXTURES / "artists.txt")
    assert as_dict(table) == {
        "Radiohead": 120,
        "Muse": 42,  # "Muse, 40" + "muse\t2", under the most played spelling
        "Король и Шут": 15,
        "Sigur Rós": 7,
        "10,000 Maniacs": 3,
        "Björk": 1,
        "Crosby, Stills, Nash & Young": 1,
        "宇多田ヒカル": 1,
    }
    # most played first, ties by name
    assert list(table["artist"][-4:]) == sorted(table["artist"][-4:])


@pytest.mark.parametrize(
    ("encode", "label"),
    [
        (lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8 with BOM"),
        (lambda text: text.encode("utf-16"), "utf-16 with BOM"),
        (lambda text: text.encode("utf-16-be").join([b"\xfe\xff", b""]), "utf-16-be with BOM"),
    ],
)
def test_text_encodings(encode, label: str) -> None:
    text = (FIXTURES / "artists.txt").read_text(encoding="utf-8")
    assert as_dict(read_history(encode(text))) == as_dict(read_history(text.encode())), label


def test_latin1_text_falls_back_without_losing_accents() -> None:
    table = read_history("Björk\t3\nSigur Rós\n".encode("latin-1"))
    assert as_dict(table) == {"Björk": 3, "Sigur Rós": 1}


def test_json_with_bom_or_in_utf16(tmp_path: Path) -> None:
    expected = as_dict(read_history(ACCOUNT))
    with_bom = b"\xef\xbb\xbf" + ACCOUNT.read_bytes()
    assert as_dict(read_history(with_bom)) == expected
    utf16 = ACCOUNT.read_text(encoding="utf-8").encode("utf-16")
    assert as_dict(read_history(utf16)) == expected
    archive = make_zip(tmp_path / "a.zip", {"StreamingHistory0.json": with_bom})
    assert as_dict(read_history(archive)) == expected


def test_variants_merge_by_case_spacing_and_normal_form_but_not_accents() -> None:
    decomposed = unicodedata.normalize("NFD", "Sigur Rós")
    text = f"Sigur Rós\t5\n{decomposed}\t1\nSIGUR  RÓS\t1\nSigur Ros\t2\n"
    assert as_dict(read_history(text.encode())) == {"Sigur Rós": 7, "Sigur Ros": 2}


def test_full_width_and_kana_spellings_merge_by_the_shared_name_key() -> None:
    # One key for names everywhere (recommenders.text.normalise): compatibility forms merge,
    # kana voicing marks stay letters (ガゼット is not カセット).
    text = "ＲＥＤ\t3\nRED\t1\nｶﾞｾﾞｯﾄ\t1\nガゼット\t2\nカセット\t4\n"
    assert as_dict(read_history(text.encode())) == {"カセット": 4, "ＲＥＤ": 4, "ガゼット": 3}


def test_ties_keep_the_first_spelling_by_code_point() -> None:
    table = read_history(b"muse\t2\nMuse\t2\nMUSE\t2\n")
    assert as_dict(table) == {"MUSE": 6}


def test_source_kinds_agree(tmp_path: Path) -> None:
    expected = as_dict(read_history(ACCOUNT))
    assert as_dict(read_history(str(ACCOUNT))) == expected
    assert as_dict(read_history(ACCOUNT.read_bytes())) == expected
    assert as_dict(read_history(bytearray(ACCOUNT.read_bytes()))) == expected
    assert as_dict(read_history(io.BytesIO(ACCOUNT.read_bytes()))) == expected


def test_artist_names_are_never_logged(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    caplog.set_level(logging.DEBUG)
    read_history(ACCOUNT)
    read_history(FIXTURES / "artists.txt")
    with pytest.raises(HistoryFileError) as error:
        read_history(b"Radiohead\t12345678901\n")
    assert caplog.records  # something was logged, but no name
    for name in ("Radiohead", "Король", "宇多田", "Sigur", "Björk"):
        assert name not in caplog.text
        assert name not in str(error.value)


# ---------------------------------------------------------------------------------------------
# bad input: one error type, a message that says what was wrong and what is accepted


def expect_error(source, fragment: str) -> HistoryFileError:
    with pytest.raises(HistoryFileError) as caught:
        read_history(source)
    message = str(caught.value)
    assert fragment.lower() in message.lower(), message
    assert "Accepted:" in message
    assert isinstance(caught.value, RecommenderInputError)
    assert isinstance(caught.value, ValueError)
    return caught.value


def test_zero_byte_file(tmp_path: Path) -> None:
    empty = tmp_path / "StreamingHistory0.json"
    empty.write_bytes(b"")
    expect_error(empty, "empty")
    expect_error(b"", "empty")
    expect_error(io.BytesIO(b""), "empty")
    expect_error(b" \n\t\r\n", "empty")


def test_missing_path_and_wrong_source_type(tmp_path: Path) -> None:
    expect_error(tmp_path / "nope.json", "no file")
    expect_error(tmp_path, "no file")
    expect_error(12345, "cannot read a history from a int")
    expect_error(io.StringIO("Radiohead"), "binary mode")


@pytest.mark.parametrize(
    "body",
    [
        b'[{"endTime": "2024-01-05 21:14", "artistName": "Muse", "msPlayed": 40000}',
        b'[{"endTime": "2024-01-05 21:14", "artistName": "Muse", "msPl',
        b"[{'artistName': 'Muse', 'msPlayed': 40000}]",
        b'{"playlists": [',
    ],
)
def test_malformed_or_truncated_json(body: bytes) -> None:
    expect_error(body, "malformed or truncated")


@pytest.mark.parametrize("body", [b'{"a": [' * 5000, b"[" * 100_000])
def test_json_nested_thousands_deep_is_a_clear_error(body: bytes) -> None:
    expect_error(body, "nested too deeply")


@pytest.mark.parametrize(
    "body",
    [
        (FIXTURES / "Userdata.json").read_bytes(),
        (FIXTURES / "Playlist1.json").read_bytes(),
        b'[{"endTime": "2024-01-05 21:14", "trackName": "Airbag"}]',
        b"[1, 2, 3]",
        b'[{"artistName": "Muse", "msPlayed": "forty seconds"}]',
        b'[{"artistName": 42, "msPlayed": 40000}]',
        b'[{"ms_played": 40000, "master_metadata_album_artist_name": ["Muse"]}]',
    ],
)
def test_json_of_another_shape(body: bytes) -> None:
    expect_error(body, "not a Spotify streaming history")


def test_empty_json_list_has_no_plays() -> None:
    expect_error(b"[]", "no music plays")


def test_binary_data() -> None:
    noise = random.Random(0).randbytes(4096)
    expect_error(noise, "binary")
    expect_error(b"\x89PNG\r\n\x1a\n" + noise, "binary")
    expect_error(bytes(range(1, 32)) * 10, "binary")


def test_csv_of_only_numbers() -> None:
    expect_error(b"1,2,3,4\n5,6,7,8\n9,10,11,12\n", "numbers where artist names")
    expect_error(b"12\n34\n56\n", "numbers where artist names")


def test_html_and_prose_are_refused() -> None:
    expect_error(b"<!DOCTYPE html><html><body>Not found</body></html>", "HTML")
    expect_error(("word " * 100).encode(), "at most 300")


def test_bad_counts_in_a_text_list() -> None:
    expect_error(b"Artist,Plays\nMuse,lots\n", "line 2")
    expect_error(b"Radiohead\t12345678901\n", "above 1,000,000,000")


def test_headered_csv_without_rows_lists_no_artists() -> None:
    expect_error(b"artist,album,track\n", "lists no artists")


def test_upload_size_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(limits, "MAX_UPLOAD_BYTES", 1000)
    body = ACCOUNT.read_bytes()
    assert len(body) > 1000
    big = tmp_path / "StreamingHistory0.json"
    big.write_bytes(body)
    expect_error(big, "at most")
    expect_error(body, "at most")
    expect_error(io.BytesIO(body), "at most")
    assert read_history(b"Muse\t3\n")["plays"].tolist() == [3]


def test_file_like_is_not_read_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_UPLOAD_BYTES", 1000)
    endless = io.BytesIO(b"Muse\n" * 100_000)
    expect_error(endless, "at most")
    assert endless.tell() <= 1001


def test_public_names_stay_importable_from_the_package() -> None:
    import recommenders.history as package

    for name in package.__all__:
        assert hasattr(package, name), name
    for name in ("MAX_UPLOAD_BYTES", "MAX_ZIP_UNCOMPRESSED_BYTES", "MAX_MEMBER_BYTES",
                 "MAX_ZIP_MEMBERS", "ACCEPTED", "HistoryFileError"):  # fmt: skip
        assert getattr(package, name) is getattr(limits, name), name


# ---------------------------------------------------------------------------------------------
# hostile and damaged zips


def test_zip_path_traversal_is_refused(tmp_path: Path) -> None:
    for name in ("../../etc/passwd", "/etc/passwd", "a/../../b.json", "..\\..\\evil.json",
                 "C:/Windows/evil.json"):  # fmt: skip
        archive = make_zip(
            tmp_path / "evil.zip",
            {"Spotify Account Data/StreamingHistory0.json": ACCOUNT.read_bytes(), name: b"x"},
        )
        expect_error(archive, "outside the archive")


def test_zip_bomb_is_stopped_by_the_compression_ratio(tmp_path: Path) -> None:
    # A streaming history that inflates ~1000:1 (3 MB of blank space), over the 200:1 cap.
    body = streams(1)[:-1] + b" " * 3 * 1024**2 + b"]"
    archive = make_zip(tmp_path / "bomb.zip", {"StreamingHistory0.json": body})
    assert archive.stat().st_size < 50_000
    expect_error(archive, "zip bomb")


def test_zip_bomb_with_a_huge_declared_size(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(limits, "MAX_ZIP_UNCOMPRESSED_BYTES", 1024**2)
    archive = make_zip(tmp_path / "big.zip", {"StreamingHistory0.json": streams(20_000)})
    expect_error(archive, "inflates to more than")


def test_total_uncompressed_limit_counts_every_member(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    one = streams(200)
    members = {f"StreamingHistory{i}.json": one for i in range(5)}
    archive = make_zip(tmp_path / "many.zip", members)
    assert read_history(archive)["plays"].tolist() == [1000]
    monkeypatch.setattr(limits, "MAX_ZIP_UNCOMPRESSED_BYTES", 4 * len(one))
    expect_error(archive, "inflates to more than")


def test_budget_stops_reading_as_soon_as_a_limit_is_passed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The byte count is of inflated data, whatever the header says: the limit trips while
    reading even when the declared sizes are under it."""
    archive = make_zip(tmp_path / "a.zip", {"StreamingHistory0.json": streams(3000)})
    budget = zipped._ZipBudget()
    monkeypatch.setattr(limits, "MAX_ZIP_UNCOMPRESSED_BYTES", 300_000)
    with zipfile.ZipFile(archive) as opened:
        info = opened.infolist()[0]
    assert info.file_size > 300_000
    with pytest.raises(HistoryFileError, match="inflates to more than"):
        zipped._read_member(archive, info, budget)
    # one inflate step (16 KB in) past the limit at most
    assert 300_000 < budget.total <= 300_000 + 1032 * limits.INFLATE_STEP_BYTES


def test_member_size_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(limits, "MAX_MEMBER_BYTES", 100_000)
    archive = make_zip(tmp_path / "a.zip", {"StreamingHistory0.json": streams(1000)})
    expect_error(archive, "member inflates to more than")


def test_too_many_members(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(limits, "MAX_ZIP_MEMBERS", 10)
    members = {f"Playlist{i}.json": b"{}" for i in range(11)}
    expect_error(make_zip(tmp_path / "a.zip", members), "at most 10")


def test_lying_zip_header_is_caught(tmp_path: Path) -> None:
    """A member whose headers claim 100 bytes but which inflates to far more."""
    archive = make_zip(tmp_path / "liar.zip", {"StreamingHistory0.json": streams(500)})
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as opened:
        real = opened.infolist()[0].file_size
    packed = struct.pack("<I", real)
    assert data.count(packed) == 2  # local header and central directory
    data = data.replace(packed, struct.pack("<I", 100))
    expect_error(bytes(data), "damaged or truncated")


def test_zip_bomb_is_stopped_early_whatever_its_name(tmp_path: Path) -> None:
    """64 MB of zeros is refused after a few MB inflated, not after the member is read."""
    archive = make_zip(tmp_path / "a.zip", {"StreamingHistory0.json": b"[" + b"0" * 64 * 1024**2})
    budget = zipped._ZipBudget()
    with zipfile.ZipFile(archive) as opened:
        info = opened.infolist()[0]
    with pytest.raises(HistoryFileError, match="zip bomb"):
        zipped._read_member(archive, info, budget)
    assert budget.total < 32 * 1024**2


def test_corrupted_member_data(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "a.zip", {"StreamingHistory0.json": streams(300)})
    with zipfile.ZipFile(archive) as opened:
        info = opened.infolist()[0]
    data = bytearray(archive.read_bytes())
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle : middle + 8] = bytes(8 * [0xFF])
    expect_error(bytes(data), "damaged or truncated")


def test_truncated_zip(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "a.zip", {"StreamingHistory0.json": ACCOUNT.read_bytes()})
    body = archive.read_bytes()
    expect_error(body[: len(body) // 2], "damaged or truncated")
    expect_error(b"PK\x03\x04" + b"\x00" * 20, "damaged or truncated")


def test_truncated_json_inside_a_zip(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "a.zip", {"StreamingHistory0.json": ACCOUNT.read_bytes()[:-40]})
    expect_error(archive, "malformed or truncated")


def test_zip_without_streaming_history(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "a.zip",
        {
            "Spotify Account Data/Userdata.json": (FIXTURES / "Userdata.json").read_bytes(),
            "Spotify Account Data/Playlist1.json": (FIXTURES / "Playlist1.json").read_bytes(),
        },
    )
    expect_error(archive, "no Spotify streaming history")
    expect_error(make_zip(tmp_path / "empty.zip", {}), "no Spotify streaming history")


def test_zip_with_only_skips(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "a.zip", {"StreamingHistory0.json": streams(50, ms=29_999)})
    expect_error(archive, "no music plays of at least 30 seconds")


def test_encrypted_and_exotic_compression_are_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "a.zip", {"StreamingHistory0.json": ACCOUNT.read_bytes()},
                       method=zipfile.ZIP_BZIP2)  # fmt: skip
    expect_error(archive, "compression method")
    data = bytearray(make_zip(tmp_path / "b.zip", {"a.json": b"[]"}).read_bytes())
    # set the "encrypted" flag bit in the local and central headers
    data[6] |= 1
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 1
    expect_error(bytes(data), "password")
