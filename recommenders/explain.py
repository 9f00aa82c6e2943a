"""Why an artist is recommended, from co-listening counts: the same for every model."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


class CoListening:
    """Who listens to what, as a binary artists × users matrix (CSR rows = artists)."""

    def __init__(self, matrix: sp.csr_matrix) -> None:
        """matrix: users × artists interactions (nonzero = listened)."""
        self.by_artist = sp.csr_matrix((sp.csc_matrix(matrix) > 0).T, dtype=np.float32)
        self.listeners = np.diff(self.by_artist.indptr)

    def best_reasons(
        self, liked: np.ndarray, recommended: np.ndarray
    ) -> list[tuple[int, float] | None]:
        """For each recommended column, the liked column whose listeners most often also listen
        to it, and that share (0..1); None when no listener of a liked artist does.

        liked, recommended: column indices.
        """
        if len(liked) == 0 or len(recommended) == 0:
            return [None] * len(recommended)
        both = (self.by_artist[liked] @ self.by_artist[recommended].T).toarray()
        share = both / np.maximum(self.listeners[liked], 1)[:, None]
        best = share.argmax(axis=0)
        return [
            (int(liked[b]), float(share[b, j])) if share[b, j] > 0 else None
            for j, b in enumerate(best)
        ]


def explanation_text(
    recommended_name: str, reason: tuple[str, float] | None, listeners: int
) -> str:
    """A sentence such as "62% of Muse listeners also listen to Placebo" (plain text)."""
    if reason is None:
        return f"Fits the taste your picks suggest ({listeners:,} listeners in the dataset)"
    liked_name, share = reason
    percent = max(1, round(share * 100))
    return f"{percent}% of {liked_name} listeners also listen to {recommended_name}"
