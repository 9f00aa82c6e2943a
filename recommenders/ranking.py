"""The one top-k of the project: offline metrics and served lists rank with the same rule.

Rule: only finite scores of allowed, non-excluded columns are candidates; higher score first,
ties broken by the lower column index. Rows with fewer than k candidates are padded with -1.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

PAD = -1


def top_k(
    scores: np.ndarray,
    k: int,
    exclude: sp.spmatrix | np.ndarray | None = None,
    allowed: np.ndarray | None = None,
) -> np.ndarray:
    """(n × k) int64 column indices of each row's best candidates, best first, -1 padded.

    scores: (n × n_artists). exclude: (n × n_artists) sparse, a stored entry = never return that
    column for that row (known or disliked artists), or a 1-D array of columns excluded for
    every row (cheaper for one served profile). allowed: if given, the only candidate columns
    for every row (a tag filter, applied before taking k).
    """
    values = np.array(scores, dtype=np.float64, ndmin=2)  # a copy we may mask
    n, n_columns = values.shape
    values[~np.isfinite(values)] = -np.inf
    if allowed is not None:
        keep = np.zeros(n_columns, dtype=bool)
        keep[np.asarray(allowed, dtype=np.int64)] = True
        values[:, ~keep] = -np.inf
    if exclude is not None and sp.issparse(exclude):
        coo = sp.coo_matrix(exclude)
        values[coo.row, coo.col] = -np.inf
    elif exclude is not None and len(exclude):
        values[:, np.asarray(exclude, dtype=np.int64)] = -np.inf
    out = np.full((n, k), PAD, dtype=np.int64)
    if k <= 0 or n == 0 or n_columns == 0:
        return out
    # The k-th best value per row; everything at least as good is a candidate (ties included),
    # then an exact (score desc, column asc) sort of those few picks the k.
    kk = min(k, n_columns)
    kth = np.partition(values, n_columns - kk, axis=1)[:, n_columns - kk]
    rows, cols = np.nonzero((values >= kth[:, None]) & np.isfinite(values))
    vals = values[rows, cols]
    order = np.lexsort((cols, -vals, rows))
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(rows, np.arange(n))
    rank = np.arange(len(rows)) - starts[rows]
    keep = rank < k
    out[rows[keep], rank[keep]] = cols[keep]
    return out
