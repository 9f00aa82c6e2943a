"""Popularity baseline: everyone gets the artists with the most listeners."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

import numpy as np
import scipy.sparse as sp

from recommenders.interactions import Interactions
from recommenders.models.base import ArtistTags, ModelConfig, Recommender


@dataclass
class PopularityConfig(ModelConfig):
    """No settings: the baseline ranks by listener count (ties by total log plays)."""


class PopularityModel(Recommender[PopularityConfig]):
    name = "popularity"
    Config = PopularityConfig

    def fit(self, interactions: Interactions, artist_tags: ArtistTags = None) -> Self:
        self._remember_shape(interactions)
        listeners = interactions.listeners.astype(np.float64)
        plays = np.asarray(interactions.matrix.sum(axis=0)).ravel()
        # Tie-break by plays with a weight too small to reorder different listener counts.
        self.popularity_ = (listeners + plays / (plays.max() + 1.0)).astype(np.float32)
        return self

    def score(self, profiles: sp.csr_matrix) -> np.ndarray:
        profiles = self._check_profiles(profiles)
        return np.tile(self.popularity_, (profiles.shape[0], 1))

    def similar(self, column: int) -> np.ndarray:
        return self.popularity_.copy()

    def _arrays(self) -> dict[str, np.ndarray]:
        return {"popularity": self.popularity_}

    def _restore(self, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
        self.popularity_ = arrays["popularity"]
