"""Name keys shared by every module that compares artist names (one definition, one behaviour)."""

from __future__ import annotations

import unicodedata


def normalise(name: str) -> str:
    """NFKC + casefold + collapsed whitespace: the key for case-insensitive exact matching."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def accent_free(name: str) -> str:
    """`normalise` without accents (NFKD, combining marks dropped): "Sigur Ros" == "Sigur Rós"."""
    decomposed = unicodedata.normalize("NFKD", normalise(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
