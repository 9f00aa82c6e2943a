"""The raw upload: a path, bytes or a binary file object, checked for size before it is read."""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

import recommenders.history.limits as limits
from recommenders.history.limits import HistoryFileError


def _checked_path(source: str | os.PathLike[str]) -> Path:
    path = Path(source)
    if not path.is_file():
        raise HistoryFileError(f"No file at {path.name!r}")
    size = path.stat().st_size
    if size > limits.MAX_UPLOAD_BYTES:
        raise HistoryFileError(_too_big(size))
    if size == 0:
        raise HistoryFileError("The file is empty (0 bytes)")
    return path


def _bytes_of(source: bytes | IO[bytes]) -> bytes:
    """The upload's bytes, read no further than one byte past the size limit."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif hasattr(source, "read"):
        parts: list[bytes] = []
        size = 0
        while size <= limits.MAX_UPLOAD_BYTES:
            part = source.read(min(limits.READ_CHUNK_BYTES, limits.MAX_UPLOAD_BYTES + 1 - size))
            if isinstance(part, str):
                raise HistoryFileError("The file was opened in text mode; open it in binary mode")
            if not part:
                break
            parts.append(part)
            size += len(part)
        data = b"".join(parts)
    else:
        raise HistoryFileError(
            f"Cannot read a history from a {type(source).__name__}; pass a path, bytes or a "
            "binary file object"
        )
    if len(data) > limits.MAX_UPLOAD_BYTES:
        raise HistoryFileError(_too_big(len(data)))
    if not data:
        raise HistoryFileError("The file is empty (0 bytes)")
    return data


def _too_big(size: int) -> str:
    return (
        f"The file is {size / 1024**2:.0f} MB or more; at most "
        f"{limits.MAX_UPLOAD_BYTES / 1024**2:.0f} MB is accepted"
    )
