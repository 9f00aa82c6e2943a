"""The final table: one row per artist, spellings that differ only by case, spacing or Unicode
form merged (`recommenders.text.normalise`: "ＲＥＤ" is "RED"). Accents are kept (the catalog
matcher folds them)."""

from __future__ import annotations

import unicodedata
from collections import Counter

import numpy as np
import pandas as pd

from recommenders.text import normalise


def _merge_spellings(plays: Counter[str | None]) -> pd.DataFrame:
    """One row per artist: spellings with the same `normalise` key (case, spacing, Unicode
    compatibility forms) are summed under the most played one (ties: the first by code point)."""
    by_spelling: dict[str, int] = {}
    for name, count in plays.items():
        if not name or count <= 0:
            continue
        spelling = " ".join(unicodedata.normalize("NFC", name).split())
        if spelling:
            by_spelling[spelling] = by_spelling.get(spelling, 0) + count
    groups: dict[str, list[tuple[str, int]]] = {}
    for spelling, count in by_spelling.items():
        groups.setdefault(normalise(spelling), []).append((spelling, count))
    rows: list[tuple[str, int]] = []
    for variants in groups.values():
        best = min(variants, key=lambda variant: (-variant[1], variant[0]))[0]
        rows.append((best, sum(count for _, count in variants)))
    rows.sort(key=lambda row: (-row[1], row[0]))
    return pd.DataFrame(
        {
            "artist": pd.Series([name for name, _ in rows], dtype="str"),
            "plays": np.array([count for _, count in rows], dtype=np.int64),
        }
    )
