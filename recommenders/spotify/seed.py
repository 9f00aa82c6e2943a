"""The shipped offline seed: Spotify artist name → genres, read without evaluating any code."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from recommenders.errors import DataValidationError
from recommenders.text import accent_free, normalise

SEED_FILE = Path("spotify") / "spotify_artist_genres.csv"


def _parse_genres(text: str) -> list[str]:
    """A Python-literal list of strings, parsed without eval (json when possible: 5x faster)."""
    if text == "[]":
        return []
    if '"' not in text and "\\" not in text:
        value = json.loads(text.replace("'", '"'))
    else:
        value = ast.literal_eval(text)
    if not isinstance(value, list) or not all(isinstance(g, str) for g in value):
        raise ValueError("not a list of strings")
    return value


def read_seed(data_dir: Path) -> list[tuple[str, list[str]]]:
    """Every seed row as (Spotify name, genres), in file order; a bad row names its line."""
    path = Path(data_dir) / SEED_FILE
    if not path.is_file():
        raise DataValidationError(f"{path}: Spotify seed file is missing (expected {SEED_FILE}).")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if list(frame.columns) != ["artists", "genres"]:
        raise DataValidationError(
            f"{path}, line 1: header is {list(frame.columns)}, expected ['artists', 'genres']."
        )
    rows: list[tuple[str, list[str]]] = []
    for row, (artist, text) in enumerate(zip(frame["artists"], frame["genres"], strict=True)):
        try:
            rows.append((artist, _parse_genres(text)))
        except (ValueError, SyntaxError) as error:
            raise DataValidationError(
                f"{path}, line {row + 2}: genres {text[:60]!r} is not a list of strings "
                f"like \"['rock', 'indie']\" ({error})."
            ) from None
    return rows


def load_seed(data_dir: Path) -> dict[str, list[str]]:
    """Normalised artist name → Spotify genres (rows equal after normalising: union, file order)."""
    seed: dict[str, list[str]] = {}
    for artist, genres in read_seed(data_dir):
        merged = seed.setdefault(normalise(artist), [])
        merged.extend(g for g in genres if g not in merged)
    return seed


def seed_candidates(data_dir: Path) -> dict[str, list[list[str]]]:
    """Accent-folded name → the distinct genre lists of the seed rows with that name, leaving
    out rows whose genres belong to another artist (`borrowed_rows`).

    One entry means the name is unique in the seed (repeated identical rows count once); several
    mean different Spotify artists share the name, so a match on it cannot be trusted; none
    means the name's only rows describe someone else, which cannot be trusted either.
    """
    rows = read_seed(data_dir)
    borrowed = borrowed_rows(rows)
    candidates = candidates_from(row for i, row in enumerate(rows) if i not in borrowed)
    for index in borrowed:
        candidates.setdefault(accent_free(rows[index][0]), [])
    return candidates


def candidates_from(rows: Iterable[tuple[str, list[str]]]) -> dict[str, list[list[str]]]:
    """`seed_candidates` for these (name, genres) rows, taken as they are."""
    candidates: dict[str, list[list[str]]] = {}
    for artist, genres in rows:
        found = candidates.setdefault(accent_free(artist), [])
        if genres not in found:
            found.append(genres)
    return candidates


# Words that join an artist to a backing band: "Huey Lewis & The News" is Huey Lewis's act.
BAND_JOINS = frozenset({"&", "+", "and", "with", "y", "e", "et", "und", "feat", "featuring", "ft"})


def borrowed_rows(rows: Sequence[tuple[str, list[str]]]) -> dict[int, str]:
    """Seed rows carrying another artist's genres: row index → the name of that artist.

    The seed was made by searching Spotify for names, and a short name often found a longer one:
    its rows for "BoA", "múm", "Pink", "Creed" and "Nas" hold the exact genre lists of Boards of
    Canada, Mumford & Sons, Pink Floyd, Creedence Clearwater Revival and Lil Nas X. A row is
    borrowed when another row, under a different name, has the same genres (at least one) and
    that name's words begin with this name's words, in order ("boa" → BOArds of canada, "vince
    m" → james VINCEnt Mcmorrow, "talk talk" → TALKing heads), unless it is this same name plus
    a backing band ("Huey Lewis" → "Huey Lewis & The News", one act with one genre list).
    """
    by_genres: dict[tuple[str, ...], dict[str, list[int]]] = {}
    for index, (artist, genres) in enumerate(rows):
        if genres:
            same_genres = by_genres.setdefault(tuple(genres), {})
            same_genres.setdefault(accent_free(artist), []).append(index)
    borrowed: dict[int, str] = {}
    for names in by_genres.values():
        if len(names) < 2:
            continue
        for short, indices in names.items():
            owners = (n for n in names if _abbreviates(short, n) and not _same_act(short, n))
            owner = next(owners, None)
            if owner is not None:
                borrowed.update(dict.fromkeys(indices, rows[names[owner][0]][0]))
    return borrowed


def _words(key: str) -> list[str]:
    return re.findall(r"\w+|[&+]", key)


def _abbreviates(short: str, long: str) -> bool:
    """The distinct words of ``short`` begin words of ``long``, in order; the names differ."""
    wanted, words = list(dict.fromkeys(_words(short))), _words(long)
    if not wanted or short == long or wanted == words:
        return False
    found = 0
    for word in words:
        if found < len(wanted) and word.startswith(wanted[found]):
            found += 1
    return found == len(wanted)


def _same_act(short: str, long: str) -> bool:
    """``long`` is ``short`` plus a backing band: "huey lewis & the news"."""
    head, words = _words(short), _words(long)
    return len(words) > len(head) and words[: len(head)] == head and words[len(head)] in BAND_JOINS
