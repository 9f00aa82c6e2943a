"""The one protocol every recommender implements, so nothing downstream special-cases a model."""

from __future__ import annotations

import dataclasses
import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Generic, Self, TypeVar

import numpy as np
import scipy.sparse as sp
from safetensors.numpy import load_file, save_file

from recommenders.errors import BundleError, RecommenderInputError
from recommenders.interactions import Interactions

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "weights.safetensors"


@dataclass
class ModelConfig:
    """Settings every model shares: a seed, ``fast()`` settings for tests, and the common checks.

    Subclasses list their fields in POSITIVE_INTS (whole numbers ≥ 1), POSITIVE (> 0) and
    NON_NEGATIVE (≥ 0, or None for "use the default"); ``check`` adds model-specific rules.
    """

    seed: int = 0

    POSITIVE_INTS: ClassVar[tuple[str, ...]] = ()
    POSITIVE: ClassVar[tuple[str, ...]] = ()
    NON_NEGATIVE: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        for name in self.POSITIVE_INTS:
            value = getattr(self, name)
            if isinstance(value, bool) or not float(value).is_integer() or value < 1:
                raise RecommenderInputError(f"{name} must be a positive integer, got {value!r}.")
        for name in self.POSITIVE:
            if not getattr(self, name) > 0:
                raise RecommenderInputError(f"{name} must be > 0, got {getattr(self, name)!r}.")
        for name in self.NON_NEGATIVE:
            value = getattr(self, name)
            if value is not None and not value >= 0:
                raise RecommenderInputError(f"{name} must be ≥ 0, got {value!r}.")
        self.check()

    def check(self) -> None:
        """Model-specific rules beyond the shared ones (raise RecommenderInputError)."""

    @classmethod
    def fast(cls) -> Self:
        """Small settings for tests and ``--fast`` builds; by default the full settings."""
        return cls()

    def with_seed(self, seed: int) -> Self:
        return dataclasses.replace(self, seed=int(seed))


ConfigT = TypeVar("ConfigT", bound=ModelConfig)
ArtistTags = Sequence[Sequence[str]] | None  # per matrix column, best tag first


class Recommender(ABC, Generic[ConfigT]):
    """Base class: ``fit`` on interactions, ``score`` profiles, ``save``/``load`` without pickle.

    A profile is a row of the users × artists matrix (log1p counts): an existing user's own row or
    one built from the artists a new user picked. Every model scores both the same way.
    Subclasses set ``name`` and ``Config`` (their ModelConfig) and implement ``fit``, ``score``,
    ``_arrays`` and ``_restore``.
    """

    name: ClassVar[str]
    Config: ClassVar[type[ModelConfig]]
    # Models built from other models' fits list them here; the build then hands over the fitted
    # ones (``prefitted=``) instead of fitting them twice (see FusionModel).
    reuses: ClassVar[tuple[str, ...]] = ()

    def __init__(self, config: ConfigT | None = None) -> None:
        self.config = config if config is not None else self.Config()
        self.n_artists_: int | None = None
        self.typical_value_: float = 1.0

    # -- the protocol -------------------------------------------------------------------------
    @abstractmethod
    def fit(self, interactions: Interactions, artist_tags: ArtistTags = None) -> Self:
        """Learn from the whole matrix; returns self. ``artist_tags``: each column's genre tags,
        best first (the catalog's ``tags``), for models that use them; the others ignore it."""

    @abstractmethod
    def score(self, profiles: sp.csr_matrix) -> np.ndarray:
        """(n_profiles × n_artists) float32 scores, higher is better; known artists not removed."""

    def similar(self, column: int) -> np.ndarray:
        """(n_artists,) similarity of every artist to one artist column.

        By default: the scores of a profile holding only that artist. Models with item embeddings
        override this with an embedding similarity.
        """
        self._check_fitted()
        profile = sp.csr_matrix(
            ([self.typical_value_], ([0], [column])), shape=(1, self.n_artists_), dtype=np.float32
        )
        return self.score(profile)[0]

    # -- persistence ---------------------------------------------------------------------------
    def save(self, directory: Path) -> list[Path]:
        """Write ``config.json`` and ``weights.safetensors``; returns the files written."""
        self._check_fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        meta = {
            "model": self.name,
            "config": dataclasses.asdict(self.config),
            "n_artists": self.n_artists_,
            "typical_value": self.typical_value_,
            "state": self._meta(),
        }
        (directory / CONFIG_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True))
        arrays = {k: np.ascontiguousarray(v) for k, v in self._arrays().items()}
        save_file(arrays, str(directory / WEIGHTS_FILE))
        return [directory / CONFIG_FILE, directory / WEIGHTS_FILE]

    @classmethod
    def load(cls, directory: Path) -> Self:
        directory = Path(directory)
        try:
            meta = json.loads((directory / CONFIG_FILE).read_text())
            arrays = load_file(str(directory / WEIGHTS_FILE))
        except (OSError, ValueError) as exc:
            raise BundleError(f"Cannot read model files in {directory}: {exc}") from exc
        if meta.get("model") != cls.name:
            raise BundleError(
                f"{directory / CONFIG_FILE} holds a {meta.get('model')!r} model, "
                f"expected {cls.name!r}"
            )
        model = cls(cls.Config(**meta["config"]))
        model.n_artists_ = int(meta["n_artists"])
        model.typical_value_ = float(meta["typical_value"])
        model._restore(arrays, meta.get("state", {}))
        return model

    def _arrays(self) -> dict[str, np.ndarray]:
        """The learned numbers to save."""
        return {}

    def _meta(self) -> dict[str, Any]:
        """Learned settings (JSON-serialisable) to save beside the config."""
        return {}

    def _restore(self, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
        """Inverse of ``_arrays``/``_meta``; models without learned numbers keep this no-op."""

    # -- helpers -------------------------------------------------------------------------------
    def _remember_shape(self, interactions: Interactions) -> None:
        self.n_artists_ = interactions.n_artists
        self.typical_value_ = interactions.typical_value

    def _check_fitted(self) -> None:
        if self.n_artists_ is None:
            raise RuntimeError(f"{self.name} model is not fitted yet")

    def _check_profiles(self, profiles: sp.spmatrix) -> sp.csr_matrix:
        self._check_fitted()
        profiles = sp.csr_matrix(profiles, dtype=np.float32)
        if profiles.shape[1] != self.n_artists_:
            raise ValueError(
                f"profiles have {profiles.shape[1]} columns, "
                f"the model knows {self.n_artists_} artists"
            )
        return profiles
