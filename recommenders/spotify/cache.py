"""Append-only JSON Lines cache of live look-ups: a killed run loses at most one torn line."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

logger = logging.getLogger("recommenders.spotify")

CACHE_SUBDIR = Path("spotify") / "cache"
CACHE_FILE = "artists.jsonl"
CACHE_VERSION = 1


class Cache:
    """Append-only JSON Lines of live look-ups, one record per Last.fm artist name queried.

    Record: {"v", "query", "fetched_at", "match"}; "match" is null when Spotify has no artist
    close enough, else {"id", "name", "url", "image_url", "genres", "popularity", "followers",
    "score"}. A later record for the same query wins. Every record is flushed and fsynced, so a
    killed run loses at most the line being written; that torn line is ignored on read and cut
    off before the next append.
    """

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / CACHE_FILE
        self._handle: Any = None

    def read(self) -> dict[str, dict[str, Any]]:
        """Query name → latest record; unreadable lines are skipped, never fatal."""
        records: dict[str, dict[str, Any]] = {}
        if not self.path.is_file():
            return records
        lines = self.path.read_bytes().split(b"\n")
        bad = 0
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                query = record["query"]
                if not isinstance(query, str) or "match" not in record:
                    raise ValueError("missing fields")
            except (ValueError, KeyError, TypeError):
                if number < len(lines):  # a torn last line is expected after a crash
                    bad += 1
                continue
            records[query] = record
        if bad:
            logger.warning("Ignored %d unreadable line(s) in %s.", bad, self.path)
        return records

    def append(self, query: str, match: dict[str, Any] | None) -> None:
        """Write one record durably (flush + fsync) before returning."""
        if self._handle is None:
            self._open()
        record = {
            "v": CACHE_VERSION,
            "query": query,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "match": match,
        }
        self._handle.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def _open(self) -> None:
        """Open for appending, first cutting a torn last line so it cannot swallow a record."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.is_file():
            data = self.path.read_bytes()
            if data and not data.endswith(b"\n"):
                with self.path.open("r+b") as handle:
                    handle.truncate(data.rfind(b"\n") + 1)
        self._handle = self.path.open("ab")

    def close(self) -> None:
        """Close the file (safe to call twice)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
