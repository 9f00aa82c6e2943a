"""Spotify export zips: the streaming-history members, read under a byte budget.

A zip is untrusted: the member count, member names (no path traversal), compression method and
encryption are checked up front; then each `.json` member is inflated in small steps with
`zlib-ng` (about 2× faster than the stdlib zlib behind `zipfile`) and counted as it comes, since
the sizes in the zip headers can lie. A reader thread inflates the next member while the previous
one is decoded (inflating releases the GIL).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from zlib_ng import zlib_ng

import recommenders.history.limits as limits
from recommenders.history.limits import HistoryFileError
from recommenders.history.streams import _count_streams, _looks_like_streams

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # zip local file header, before name and extra field


def _count_zip(source: Path | bytes, plays: Counter[str | None]) -> str:
    """Add the plays of every streaming-history member; the members are inflated one at a time
    by a reader thread while the previous one is decoded."""
    try:
        archive = zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise HistoryFileError("The zip archive is damaged or truncated") from error
    with archive:
        members = _json_members(archive)
        budget = _ZipBudget()
        found = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="history-zip") as reader:
            pending: tuple[zipfile.ZipInfo, Future[bytearray | None]] | None = None
            for info in [*members, None]:
                upcoming = None
                if info is not None:
                    upcoming = (info, reader.submit(_read_member, source, info, budget))
                if pending is not None:
                    body = pending[1].result()
                    if body is not None:
                        found += 1
                        where = f"zip member {_short(pending[0].filename)}"
                        _count_streams(body, plays, where=where)
                pending = upcoming
    if not found:
        raise HistoryFileError(
            "The zip holds no Spotify streaming history (StreamingHistory*.json or "
            "Streaming_History_Audio_*.json)"
        )
    return "spotify"


def _json_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The `.json` members, after refusing archives that are hostile as a whole."""
    infos = archive.infolist()
    if len(infos) > limits.MAX_ZIP_MEMBERS:
        raise HistoryFileError(
            f"The zip has {len(infos)} members; at most {limits.MAX_ZIP_MEMBERS} are accepted"
        )
    for info in infos:
        if _unsafe_member_name(info.filename):
            raise HistoryFileError(
                "The zip contains a member whose name points outside the archive "
                f"({_short(info.filename)}); it is refused"
            )
    members = [
        info for info in infos if not info.is_dir() and info.filename.lower().endswith(".json")
    ]
    declared = sum(info.file_size for info in members)
    if declared > limits.MAX_ZIP_UNCOMPRESSED_BYTES:
        raise HistoryFileError(_zip_too_big())
    for info in members:
        if info.flag_bits & 0x1:
            raise HistoryFileError("The zip is password-protected; upload it without a password")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise HistoryFileError(
                "The zip uses a compression method other than deflate; re-zip it with a "
                "standard tool"
            )
    return members


def _unsafe_member_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\"))
        or "\x00" in name
        or re.match(r"[A-Za-z]:", name) is not None
        or ".." in parts
    )


class _ZipBudget:
    """Counts the bytes really inflated, whatever the zip headers claim."""

    def __init__(self) -> None:
        self.total = 0

    def spend(self, member_bytes: int, new_bytes: int, compressed_bytes: int) -> None:
        """Account for `new_bytes` more inflated bytes of a member that has inflated
        `member_bytes` from its first `compressed_bytes` so far."""
        self.total += new_bytes
        if self.total > limits.MAX_ZIP_UNCOMPRESSED_BYTES:
            raise HistoryFileError(_zip_too_big())
        if member_bytes > limits.MAX_MEMBER_BYTES:
            raise HistoryFileError(
                f"A zip member inflates to more than {limits.MAX_MEMBER_BYTES / 1024**2:.0f} MB; "
                "it is refused"
            )
        ratio_exceeded = member_bytes > limits.MAX_COMPRESSION_RATIO * max(1, compressed_bytes)
        if member_bytes > limits.RATIO_CHECK_MIN_BYTES and ratio_exceeded:
            raise HistoryFileError(
                "A zip member inflates more than "
                f"{limits.MAX_COMPRESSION_RATIO}× (a zip bomb?); it is refused"
            )


def _zip_too_big() -> str:
    return (
        "The zip inflates to more than "
        f"{limits.MAX_ZIP_UNCOMPRESSED_BYTES / 1024**3:.0f} GB of JSON; it is refused"
    )


def _read_member(
    source: Path | bytes, info: zipfile.ZipInfo, budget: _ZipBudget
) -> bytearray | None:
    """The member's bytes if it is a streaming history, else None (inflated no further than the
    first step). Inflates in small steps and stops as soon as a limit is passed."""
    raw = _raw_member(source, info)
    stored = info.compress_type == zipfile.ZIP_STORED
    inflater = zlib_ng.decompressobj(-zlib_ng.MAX_WBITS)  # raw deflate, as in zip members
    body = bytearray()
    crc = 0
    peeked = False
    step_bytes = limits.INFLATE_STEP_BYTES
    try:
        for start in range(0, len(raw), step_bytes):
            step = raw[start : start + step_bytes]
            chunk = step if stored else inflater.decompress(step)
            body += chunk
            crc = zlib_ng.crc32(chunk, crc)
            budget.spend(len(body), len(chunk), start + len(step))
            if not peeked and len(body) >= limits.PEEK_BYTES:
                peeked = True
                if not _looks_like_streams(body):
                    return None
    except zlib_ng.error as error:
        raise HistoryFileError(_damaged_member(info)) from error
    if not _looks_like_streams(body):
        return None
    if (not stored and not inflater.eof) or crc != info.CRC or len(body) != info.file_size:
        raise HistoryFileError(_damaged_member(info))
    return body


def _raw_member(source: Path | bytes, info: zipfile.ZipInfo) -> bytes | memoryview:
    """The member's stored (compressed) bytes, found through its local header."""
    if isinstance(source, Path):
        with source.open("rb") as handle:
            handle.seek(info.header_offset)
            header = handle.read(LOCAL_HEADER.size)
            if len(header) == LOCAL_HEADER.size and header.startswith(b"PK\x03\x04"):
                handle.seek(info.header_offset + LOCAL_HEADER.size + _extra_length(header))
                return handle.read(info.compress_size)
    else:
        header = source[info.header_offset : info.header_offset + LOCAL_HEADER.size]
        if len(header) == LOCAL_HEADER.size and header.startswith(b"PK\x03\x04"):
            start = info.header_offset + LOCAL_HEADER.size + _extra_length(header)
            return memoryview(source)[start : start + info.compress_size]
    raise HistoryFileError(_damaged_member(info))


def _extra_length(header: bytes) -> int:
    """Bytes of file name and extra field between a local header and the member's data."""
    fields = LOCAL_HEADER.unpack(header)
    return fields[-2] + fields[-1]


def _damaged_member(info: zipfile.ZipInfo) -> str:
    return f"The zip member {_short(info.filename)} is damaged or truncated"


def _short(name: str) -> str:
    """A member name safe to quote in a message: its last part, printable, at most 60 chars."""
    last = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or name
    return repr(last[:60])
