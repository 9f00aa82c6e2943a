"""The default recommender: the softmax network and SVD fused, with a popularity correction.

Softmax is the most accurate model on average but pulls niche listeners toward the mainstream;
SVD serves niche tastes and single-artist profiles better. Their per-profile standardised scores
are mixed (``svd_weight``) and a popularity term is subtracted (``popularity_weight`` times the
standardised log listener count), scaled by how mainstream the profile itself is when
``adaptive``: a listener of famous artists keeps famous recommendations, a niche listener gets
the correction at full strength. The weights were chosen on the validation split
(benchmarks/tune_fusion.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np
import scipy.sparse as sp

from recommenders.errors import RecommenderInputError
from recommenders.interactions import Interactions
from recommenders.models.base import ModelConfig, Recommender
from recommenders.models.softmax import SoftmaxConfig, SoftmaxModel
from recommenders.models.svd import SVDConfig, SVDModel

MEMBERS: dict[str, type[Recommender]] = {"softmax": SoftmaxModel, "svd": SVDModel}


@dataclass
class FusionConfig(ModelConfig):
    """Mixing weights (chosen on the validation split, see benchmarks/tune_fusion.py)."""

    svd_weight: float = 0.15  # 0 = softmax only, 1 = svd only
    popularity_weight: float = 0.05  # standardised log-listeners subtracted (× mainstream factor)
    adaptive: bool = True  # scale the popularity term down for mainstream profiles
    softmax_networks: int = 2  # averaged softmax networks (+0.002 validation NDCG for 2)
    fast_members: bool = False  # members with their fast() settings (tests, --fast builds)

    POSITIVE_INTS: ClassVar[tuple[str, ...]] = ("softmax_networks",)
    NON_NEGATIVE: ClassVar[tuple[str, ...]] = ("popularity_weight",)

    def check(self) -> None:
        if not 0.0 <= self.svd_weight <= 1.0:
            raise RecommenderInputError(f"svd_weight must be in [0, 1], got {self.svd_weight!r}.")

    @classmethod
    def fast(cls) -> Self:
        return cls(fast_members=True)


class FusionModel(Recommender[FusionConfig]):
    name = "fusion"
    Config = FusionConfig
    reuses = ("svd",)  # the build's own SVD has the same settings: no second fit

    def __init__(
        self,
        config: FusionConfig | None = None,
        prefitted: Mapping[str, Recommender] | None = None,
    ) -> None:
        """prefitted: members already fitted on the same interactions; one is used only when
        its config is exactly the one this fusion would fit (same settings, same seed)."""
        super().__init__(config)
        self.members_: dict[str, Recommender] = {}
        self.popularity_z_: np.ndarray | None = None
        self._prefitted = dict(prefitted or {})

    @classmethod
    def from_members(
        cls, members: dict[str, Recommender], interactions: Interactions, config: FusionConfig
    ) -> FusionModel:
        """A fusion of already fitted members (tuning tries many weights on one fit)."""
        model = cls(config)
        model._remember_shape(interactions)
        model.members_ = dict(members)
        model.popularity_z_ = _popularity_z(interactions)
        return model

    def fit(self, interactions: Interactions) -> Self:
        self._remember_shape(interactions)
        configs: dict[str, ModelConfig] = {
            "softmax": SoftmaxConfig(n_models=self.config.softmax_networks),
            "svd": SVDConfig(),
        }
        self.members_ = {}
        for name, member_class in MEMBERS.items():
            config = member_class.Config.fast() if self.config.fast_members else configs[name]
            config = config.with_seed(self.config.seed)
            given = self._prefitted.get(name)
            if given is not None and given.config == config and given.n_artists_ == self.n_artists_:
                self.members_[name] = given
            else:
                self.members_[name] = member_class(config).fit(interactions)
        self._prefitted = {}
        self.popularity_z_ = _popularity_z(interactions)
        return self

    def score(self, profiles: sp.csr_matrix) -> np.ndarray:
        profiles = self._check_profiles(profiles)
        w = self.config.svd_weight
        mixed = (1 - w) * _row_z(self.members_["softmax"].score(profiles))
        mixed += w * _row_z(self.members_["svd"].score(profiles))
        beta = self.config.popularity_weight * self._mainstream_factor(profiles)
        mixed -= beta[:, None] * self.popularity_z_[None, :]
        return mixed.astype(np.float32)

    def _mainstream_factor(self, profiles: sp.csr_matrix) -> np.ndarray:
        """How much of the popularity correction a profile gets: 1 - z / 2 clipped to [0, 1], with
        z the play-weighted mean popularity z-score of its artists. Profiles of well-known
        artists (z ≥ 2) get none (about three in four of the dataset's listeners); a single
        little-known artist such as Carpathian Forest gets 0.85."""
        if not self.config.adaptive:
            return np.ones(profiles.shape[0])
        totals = np.asarray(profiles.sum(axis=1)).ravel()
        mean_z = (profiles @ self.popularity_z_) / np.maximum(totals, 1e-9)
        return np.clip(1.0 - mean_z / 2.0, 0.0, 1.0)

    # -- persistence: the members' numbers under a name prefix, in one weights file -------------
    def _arrays(self) -> dict[str, np.ndarray]:
        arrays = {"popularity_z": self.popularity_z_.astype(np.float64)}
        for name, member in self.members_.items():
            arrays.update({f"{name}.{k}": v for k, v in member._arrays().items()})
        return arrays

    def _meta(self) -> dict[str, Any]:
        return {
            name: {"config": dataclasses.asdict(member.config), "state": member._meta()}
            for name, member in self.members_.items()
        }

    def _restore(self, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
        self.popularity_z_ = arrays["popularity_z"].astype(np.float64)
        self.members_ = {}
        for name, member_class in MEMBERS.items():
            member = member_class(member_class.Config(**state[name]["config"]))
            member.n_artists_, member.typical_value_ = self.n_artists_, self.typical_value_
            prefix = f"{name}."
            own = {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
            member._restore(own, state[name]["state"])
            self.members_[name] = member


def _popularity_z(interactions: Interactions) -> np.ndarray:
    values = np.log1p(interactions.listeners.astype(np.float64))
    return (values - values.mean()) / max(values.std(), 1e-9)


def _row_z(scores: np.ndarray) -> np.ndarray:
    """Each row standardised over its finite entries; non-finite entries become -inf."""
    scores = np.asarray(scores, dtype=np.float64)
    finite = np.isfinite(scores)
    if finite.all():  # the usual case: plain mean and std (nan-aware versions cost 3x)
        mean = scores.mean(axis=1, keepdims=True)
        std = scores.std(axis=1, keepdims=True)
        return (scores - mean) / np.where(std > 0, std, 1.0)
    safe = np.where(finite, scores, np.nan)
    mean = np.nanmean(safe, axis=1, keepdims=True)
    std = np.nanstd(safe, axis=1, keepdims=True)
    z = (safe - mean) / np.where(std > 0, std, 1.0)
    return np.where(finite, z, -np.inf)
