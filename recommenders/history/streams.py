"""Spotify streaming histories (JSON lists of streams), decoded with msgspec.

Only the two fields used per stream are decoded (about 5× faster than orjson, which builds every
field of every record). Two kinds exist: Account data `StreamingHistory*.json` (`artistName`,
`msPlayed`) and Extended `Streaming_History_Audio_*.json` / `endsong_*.json`
(`master_metadata_album_artist_name`, `ms_played`); the first record tells which.
"""

from __future__ import annotations

from collections import Counter

import msgspec

import recommenders.history.limits as limits
from recommenders.history.limits import HistoryFileError


class _ExtendedStream(msgspec.Struct):
    """One stream of an Extended streaming history; only the two fields used are decoded."""

    artist: str | None = msgspec.field(default=None, name="master_metadata_album_artist_name")
    ms_played: int | float = msgspec.field(default=0, name="ms_played")


class _AccountStream(msgspec.Struct):
    """One stream of an Account data streaming history (podcasts have no artistName)."""

    artist: str | None = msgspec.field(default=None, name="artistName")
    ms_played: int | float = msgspec.field(default=0, name="msPlayed")


_EXTENDED_DECODER = msgspec.json.Decoder(list[_ExtendedStream])
_ACCOUNT_DECODER = msgspec.json.Decoder(list[_AccountStream])


def _looks_like_streams(head: bytes | bytearray) -> bool:
    head = bytes(head[: limits.PEEK_BYTES])
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"[") and (
        _stream_decoder(head) is not None
    )


def _stream_decoder(head: bytes) -> msgspec.json.Decoder | None:
    """The decoder for the kind of streams whose first record starts `head`, if any."""
    if b'"ms_played"' in head:
        return _EXTENDED_DECODER
    if b'"msPlayed"' in head:
        return _ACCOUNT_DECODER
    return None


def _count_streams(
    body: bytes | bytearray | memoryview, plays: Counter[str | None], where: str
) -> None:
    """Add the plays ≥ 30 s of one JSON list of streams (either Spotify kind)."""
    if body[:3] == b"\xef\xbb\xbf":
        body = memoryview(body)[3:]
    decoder = _stream_decoder(bytes(body[: limits.PEEK_BYTES]))
    if decoder is None:
        if bytes(body).strip() == b"[]":
            return
        try:
            msgspec.json.decode(body)
        except msgspec.DecodeError as error:
            raise HistoryFileError(f"The JSON in {where} is malformed or truncated") from error
        except RecursionError:  # thousands of nested brackets: not an export
            raise HistoryFileError(f"The JSON in {where} is nested too deeply") from None
        raise HistoryFileError(
            f"The JSON in {where} is not a Spotify streaming history (its first record has no "
            "msPlayed or ms_played)"
        )
    try:
        streams = decoder.decode(body)
    except msgspec.ValidationError as error:
        raise HistoryFileError(
            f"The JSON in {where} is not a Spotify streaming history ({error})"
        ) from error
    except msgspec.DecodeError as error:
        raise HistoryFileError(f"The JSON in {where} is malformed or truncated") from error
    except RecursionError:
        raise HistoryFileError(f"The JSON in {where} is nested too deeply") from None
    # Counter.update counts in C; podcasts and audiobooks (no artist) are counted under None
    # and dropped at the end.
    min_play_ms = limits.MIN_PLAY_MS
    plays.update(stream.artist for stream in streams if stream.ms_played >= min_play_ms)
