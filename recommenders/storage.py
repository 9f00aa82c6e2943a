"""How numbers and files are stored: file checksums, and sparse matrices as plain arrays.

The one place for both, so the bundle format, the data hashes and every model that saves a
sparse matrix agree byte for byte (safetensors holds dense arrays only; no pickle anywhere).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import scipy.sparse as sp


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in blocks."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def csr_to_arrays(matrix: sp.csr_matrix, prefix: str = "") -> dict[str, np.ndarray]:
    """A CSR matrix as float32 data + int64 indices/indptr arrays, named ``{prefix}data`` etc."""
    return {
        f"{prefix}data": np.ascontiguousarray(matrix.data, dtype=np.float32),
        f"{prefix}indices": np.ascontiguousarray(matrix.indices, dtype=np.int64),
        f"{prefix}indptr": np.ascontiguousarray(matrix.indptr, dtype=np.int64),
    }


def csr_from_arrays(
    arrays: dict[str, np.ndarray], shape: tuple[int, int], prefix: str = ""
) -> sp.csr_matrix:
    """Inverse of ``csr_to_arrays``."""
    return sp.csr_matrix(
        (arrays[f"{prefix}data"], arrays[f"{prefix}indices"], arrays[f"{prefix}indptr"]),
        shape=shape,
    )
