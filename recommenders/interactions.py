"""The users × artists matrix and the only place that maps dataset ids to matrix indices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from safetensors.numpy import load_file, save_file

from recommenders.errors import RecommenderInputError
from recommenders.storage import csr_from_arrays, csr_to_arrays


@dataclass(frozen=True)
class Interactions:
    """Listening data as a sparse matrix with stable id maps.

    matrix: CSR (n_users × n_artists), float32, log1p(listening count); zero means "not listened".
    user_ids: (n_users,) int64, sorted; row r is Last.fm user ``user_ids[r]``.
    artist_ids: (n_artists,) int64, sorted; column c is Last.fm artist ``artist_ids[c]``.
    """

    matrix: sp.csr_matrix
    user_ids: np.ndarray
    artist_ids: np.ndarray

    @classmethod
    def from_user_artists(
        cls, user_artists: pd.DataFrame, artist_ids: Iterable[int] | None = None
    ) -> Interactions:
        """Build from a (user_id, artist_id, weight) table.

        ``artist_ids`` fixes the columns (e.g. the whole catalog, so a split keeps every column);
        by default they are the artists that appear in the table.
        """
        users = np.unique(user_artists["user_id"].to_numpy(np.int64))
        if artist_ids is None:
            artists = np.unique(user_artists["artist_id"].to_numpy(np.int64))
        else:
            artists = np.unique(np.fromiter(artist_ids, dtype=np.int64))
        rows = np.searchsorted(users, user_artists["user_id"].to_numpy(np.int64))
        cols = np.searchsorted(artists, user_artists["artist_id"].to_numpy(np.int64))
        if len(cols) and (
            cols.max() >= len(artists)
            or np.any(artists[cols] != user_artists["artist_id"].to_numpy(np.int64))
        ):
            raise ValueError("user_artists refers to artists outside the given artist_ids")
        values = np.log1p(user_artists["weight"].to_numpy(np.float64)).astype(np.float32)
        matrix = sp.csr_matrix((values, (rows, cols)), shape=(len(users), len(artists)))
        matrix.sum_duplicates()
        matrix.sort_indices()
        return cls(matrix=matrix, user_ids=users, artist_ids=artists)

    @property
    def n_users(self) -> int:
        return self.matrix.shape[0]

    @property
    def n_artists(self) -> int:
        return self.matrix.shape[1]

    @cached_property
    def typical_value(self) -> float:
        """Median log count: the weight given to an artist a new user picks."""
        return float(np.median(self.matrix.data)) if self.matrix.nnz else 1.0

    def user_row(self, user_id: int) -> int:
        """Row index of a Last.fm user id; RecommenderInputError if the user is unknown."""
        user_id = _as_int(user_id, "user_id")
        row = int(np.searchsorted(self.user_ids, user_id))
        if row >= len(self.user_ids) or self.user_ids[row] != user_id:
            raise RecommenderInputError(
                f"Unknown user_id {user_id}: accepted are the {len(self.user_ids)} Last.fm "
                f"user ids from {self.user_ids[0]} to {self.user_ids[-1]} that have listening data."
            )
        return row

    def artist_columns(self, artist_ids: Iterable[int]) -> np.ndarray:
        """Column indices (int64) of artist ids; RecommenderInputError naming any unknown id."""
        ids = np.asarray([_as_int(a, "artist id") for a in artist_ids], dtype=np.int64)
        cols = np.searchsorted(self.artist_ids, ids)
        cols_clipped = np.minimum(cols, len(self.artist_ids) - 1)
        unknown = ids[self.artist_ids[cols_clipped] != ids]
        if len(unknown):
            raise RecommenderInputError(
                f"Unknown artist id(s) {unknown[:5].tolist()}: accepted are the "
                f"{len(self.artist_ids)} artist ids of the catalog."
            )
        return cols

    def profile_for_user(self, user_id: int) -> sp.csr_matrix:
        """The user's own row (1 × n_artists)."""
        return self.matrix[self.user_row(user_id)]

    def profile_from_artists(
        self, artist_ids: Iterable[int], plays: Iterable[float] | None = None
    ) -> sp.csr_matrix:
        """A new user's row (1 × n_artists), on the training scale.

        Without ``plays`` each artist gets ``typical_value`` (the median log count); with plays
        (one positive count per artist) each gets log1p(plays), as in training. Repeated artists
        add up their plays.
        """
        cols = self.artist_columns(artist_ids)
        if plays is None:
            cols = np.unique(cols)
            values = np.full(len(cols), self.typical_value, dtype=np.float64)
        else:
            counts = np.asarray(list(plays), dtype=np.float64)
            if counts.shape != cols.shape or not np.all(counts > 0):
                raise RecommenderInputError("plays must hold one positive count per artist.")
            cols, inverse = np.unique(cols, return_inverse=True)
            values = np.log1p(np.bincount(inverse, weights=counts, minlength=len(cols)))
        return sp.csr_matrix(
            (values.astype(np.float32), (np.zeros(len(cols), dtype=np.int64), cols)),
            shape=(1, self.n_artists),
        )

    @cached_property
    def listeners(self) -> np.ndarray:
        """(n_artists,) number of users who listened to each artist (computed once)."""
        return np.diff(self.matrix.tocsc().indptr)

    def save(self, path: Path) -> None:
        """Write as safetensors (CSR arrays + id maps): no pickle."""
        arrays = csr_to_arrays(self.matrix)
        save_file({**arrays, "user_ids": self.user_ids, "artist_ids": self.artist_ids}, str(path))

    @classmethod
    def load(cls, path: Path) -> Interactions:
        arrays = load_file(str(path))
        shape = (len(arrays["user_ids"]), len(arrays["artist_ids"]))
        matrix = csr_from_arrays(arrays, shape)
        return cls(matrix=matrix, user_ids=arrays["user_ids"], artist_ids=arrays["artist_ids"])


def _as_int(value: object, what: str) -> int:
    """Accept ints and integer-valued strings ("42"); anything else is a clear input error."""
    if isinstance(value, bool):
        raise RecommenderInputError(f"{what} must be an integer, got {value!r}.")
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise RecommenderInputError(f"{what} must be an integer, got {value!r}.")
