"""EASE item-item weights (Steck 2019): the softmax skip term and the benchmark peer."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def ease_weights(binary: sp.spmatrix, l2: float) -> np.ndarray:
    """(n_items × n_items) float32 B = I − P / diag(P) with P = (XᵀX + λI)⁻¹ and a zero diagonal.

    binary: (n_users × n_items) 0/1 matrix of the items to relate. Costs O(n_items³): keep the
    item set to a few thousand.
    """
    x = sp.csc_matrix(binary, dtype=np.float64)
    gram = (x.T @ x).toarray()
    gram[np.diag_indices_from(gram)] += l2
    p = np.linalg.inv(gram)
    weights = p / (-np.diag(p))
    weights[np.diag_indices_from(weights)] = 0.0
    return weights.astype(np.float32)
