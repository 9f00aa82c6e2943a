"""The default recommender: the softmax network and SVD fused, corrected for new listeners.

Softmax is the most accurate model on average but pulls niche listeners toward the mainstream;
SVD serves niche tastes and single-artist profiles better. Their per-profile standardised scores
are mixed (``svd_weight``), then three corrections keep the mainstream from crowding out a
listener's own taste, each on the standardised log listener count (``popularity_z``):

- adaptive (``popularity_weight``): the popularity term, scaled by how mainstream the profile
  itself is: a listener of famous artists keeps famous recommendations, a niche listener gets
  the correction at full strength;
- relative (``relative_weight``): what is more popular than the profile's own artists (by more
  than ``relative_margin``) is pulled down in proportion, for every listener;
- genre (``genre_weight``): a popular artist sharing no top-5 genre tag with any liked artist
  (The Beatles for Miles Davis + John Coltrane) is pulled down; it needs the artists' tags at
  fit time (``artist_tags``), and is off without them.

The weights were chosen on the cold-start validation split (benchmarks/tune_fusion.py).
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
from recommenders.models.base import ArtistTags, ModelConfig, Recommender
from recommenders.models.softmax import SoftmaxConfig, SoftmaxModel
from recommenders.models.svd import SVDConfig, SVDModel

MEMBERS: dict[str, type[Recommender]] = {"softmax": SoftmaxModel, "svd": SVDModel}


@dataclass
class FusionConfig(ModelConfig):
    """Mixing weights, chosen on the cold-start validation split (benchmarks/tune_fusion.py,
    benchmarks/results/tune_fusion.json): the best validation NDCG@10 among the settings that
    meet every "every taste" target there."""

    svd_weight: float = 0.15  # 0 = softmax only, 1 = svd only
    popularity_weight: float = 0.2  # standardised log-listeners subtracted (× mainstream factor)
    adaptive: bool = True  # scale the popularity term down for mainstream profiles
    relative_weight: float = 0.1  # × how much more popular than the profile's own artists
    relative_margin: float = 0.5  # popularity z above the profile's mean that goes unpunished
    genre_weight: float = 1.0  # × positive popularity z of artists sharing no genre tag
    softmax_networks: int = 2  # averaged softmax networks (+0.002 validation NDCG for 2)
    fast_members: bool = False  # members with their fast() settings (tests, --fast builds)

    POSITIVE_INTS: ClassVar[tuple[str, ...]] = ("softmax_networks",)
    NON_NEGATIVE: ClassVar[tuple[str, ...]] = (
        "popularity_weight", "relative_weight", "relative_margin", "genre_weight",
    )  # fmt: skip

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
        self.genres_: sp.csr_matrix | None = None  # artists × genre tags (top 5), binary
        self._prefitted = dict(prefitted or {})

    @classmethod
    def from_members(
        cls,
        members: dict[str, Recommender],
        interactions: Interactions,
        config: FusionConfig,
        artist_tags: ArtistTags = None,
    ) -> FusionModel:
        """A fusion of already fitted members (tuning tries many weights on one fit)."""
        model = cls(config)
        model._remember_shape(interactions)
        model.members_ = dict(members)
        model.popularity_z_ = _popularity_z(interactions)
        model.genres_ = genre_matrix(artist_tags, interactions.n_artists)
        return model

    def fit(self, interactions: Interactions, artist_tags: ArtistTags = None) -> Self:
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
        self.genres_ = genre_matrix(artist_tags, interactions.n_artists)
        return self

    def score(self, profiles: sp.csr_matrix) -> np.ndarray:
        profiles = self._check_profiles(profiles)
        w = self.config.svd_weight
        mixed = (1 - w) * _row_z(self.members_["softmax"].score(profiles))
        mixed += w * _row_z(self.members_["svd"].score(profiles))
        mean_z = self._mean_popularity(profiles)
        beta = self.config.popularity_weight * self._mainstream_factor(mean_z)
        mixed -= beta[:, None] * self.popularity_z_[None, :]
        if self.config.relative_weight:
            above = self.popularity_z_[None, :] - mean_z[:, None] - self.config.relative_margin
            mixed -= self.config.relative_weight * np.maximum(above, 0.0)
        if self.config.genre_weight and self.genres_ is not None:
            popular = np.maximum(self.popularity_z_, 0.0)[None, :]
            mixed -= self.config.genre_weight * self._off_genre(profiles) * popular
        return mixed.astype(np.float32)

    def _mean_popularity(self, profiles: sp.csr_matrix) -> np.ndarray:
        """(n,) the play-weighted mean popularity z of each profile's artists."""
        totals = np.asarray(profiles.sum(axis=1)).ravel()
        return (profiles @ self.popularity_z_) / np.maximum(totals, 1e-9)

    def _off_genre(self, profiles: sp.csr_matrix) -> np.ndarray:
        """(n × n_artists) True where an artist has genre tags and shares none with the
        profile's artists (False for every artist when the profile's artists have none).
        Through the tag → artists index: a few array writes per profile, no sparse product."""
        genres, by_tag = self.genres_, self._artists_by_tag()
        tagged = np.diff(genres.indptr) > 0
        off = np.zeros((profiles.shape[0], genres.shape[0]), dtype=bool)
        for row in range(profiles.shape[0]):
            liked = profiles.indices[profiles.indptr[row] : profiles.indptr[row + 1]]
            rows = [genres.indices[genres.indptr[c] : genres.indptr[c + 1]] for c in liked]
            tags = np.unique(np.concatenate(rows)) if rows else np.zeros(0, np.int64)
            if len(tags) == 0:
                continue
            shared = np.zeros(genres.shape[0], dtype=bool)
            for tag in tags:
                shared[by_tag.indices[by_tag.indptr[tag] : by_tag.indptr[tag + 1]]] = True
            off[row] = tagged & ~shared
        return off

    def _artists_by_tag(self) -> sp.csc_matrix:
        """The genre matrix by column (tag → its artists), built once per loaded model."""
        if getattr(self, "_by_tag", None) is None or self._by_tag.shape != self.genres_.shape:
            self._by_tag = sp.csc_matrix(self.genres_)
        return self._by_tag

    def _mainstream_factor(self, mean_z: np.ndarray) -> np.ndarray:
        """How much of the popularity correction a profile gets: 1 - z / 2 clipped to [0, 1], with
        z the play-weighted mean popularity z-score of its artists. Profiles of well-known
        artists (z ≥ 2) get none (about three in four of the dataset's listeners); a single
        little-known artist such as Carpathian Forest gets 0.85."""
        if not self.config.adaptive:
            return np.ones(len(mean_z))
        return np.clip(1.0 - mean_z / 2.0, 0.0, 1.0)

    # -- persistence: the members' numbers under a name prefix, in one weights file -------------
    def _arrays(self) -> dict[str, np.ndarray]:
        arrays = {"popularity_z": self.popularity_z_.astype(np.float64)}
        if self.genres_ is not None:
            arrays["genres.indptr"] = self.genres_.indptr.astype(np.int64)
            arrays["genres.indices"] = self.genres_.indices.astype(np.int64)
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
        self.genres_ = None
        if "genres.indptr" in arrays:  # bundles before the genre term have none
            indices = arrays["genres.indices"]
            data = np.ones(len(indices), dtype=np.float32)
            n_tags = int(indices.max()) + 1 if len(indices) else 0
            shape = (len(arrays["genres.indptr"]) - 1, n_tags)
            self.genres_ = sp.csr_matrix((data, indices, arrays["genres.indptr"]), shape=shape)
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


GENRE_TAGS = 5  # top tags of an artist compared by the genre term


def genre_matrix(artist_tags: ArtistTags, n_artists: int) -> sp.csr_matrix | None:
    """(n_artists × n_tags) binary: each column's top GENRE_TAGS tags (casefolded); None
    without tags."""
    if artist_tags is None:
        return None
    if len(artist_tags) != n_artists:
        raise ValueError(f"artist_tags has {len(artist_tags)} entries for {n_artists} artists")
    vocabulary: dict[str, int] = {}
    indptr, indices = [0], []
    for tags in artist_tags:
        own = {
            vocabulary.setdefault(str(t).casefold(), len(vocabulary))
            for t in list(tags)[:GENRE_TAGS]
        }
        indices += sorted(own)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(n_artists, max(len(vocabulary), 1)))
