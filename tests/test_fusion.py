"""The default model's corrections for new listeners (recommenders.models.fusion), on a tiny
hand-made catalog where the right answer is known."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from recommenders.interactions import Interactions
from recommenders.models.fusion import FusionConfig, FusionModel


class Fixed:
    """A member that scores every profile the same way."""

    def __init__(self, scores: list[float]) -> None:
        self.scores = np.asarray(scores, dtype=np.float32)

    def score(self, profiles):
        return np.tile(self.scores, (profiles.shape[0], 1))


# artists: 0 jazz (liked), 1 jazz and popular, 2 pop and popular, 3 pop and little known
LISTENERS = [3, 9, 9, 1]
TAGS = [["jazz"], ["jazz", "bebop"], ["pop"], ["pop"]]


def interactions() -> Interactions:
    dense = np.zeros((10, 4), dtype=np.float32)
    for column, n in enumerate(LISTENERS):
        dense[:n, column] = 1.0
    return Interactions(sp.csr_matrix(dense), np.arange(10), np.arange(4))


def fusion(tags, **weights) -> FusionModel:
    members = {"softmax": Fixed([0, 1, 1, 0.5]), "svd": Fixed([0, 1, 1, 0.5])}
    config = FusionConfig(popularity_weight=0.0, relative_weight=0.0, **weights)
    return FusionModel.from_members(members, interactions(), config, artist_tags=tags)


LIKED_JAZZ = sp.csr_matrix(np.array([[1.0, 0, 0, 0]], dtype=np.float32))


def test_a_popular_artist_of_another_genre_is_pulled_below_one_of_the_listeners_genre():
    plain = fusion(TAGS, genre_weight=0.0).score(LIKED_JAZZ)[0]
    gated = fusion(TAGS, genre_weight=1.0).score(LIKED_JAZZ)[0]
    assert plain[1] == plain[2]  # the members cannot tell jazz from pop
    assert gated[1] == plain[1]  # popular and on genre: untouched
    assert gated[2] < gated[1]  # popular and off genre: pulled down
    assert gated[3] == plain[3]  # off genre but not popular: untouched


def test_without_tags_the_genre_term_is_off():
    assert np.array_equal(
        fusion(None, genre_weight=1.0).score(LIKED_JAZZ), fusion(None).score(LIKED_JAZZ)
    )


def test_an_untagged_profile_gets_no_genre_correction():
    untagged = [[], ["jazz"], ["pop"], ["pop"]]
    assert np.array_equal(
        fusion(untagged, genre_weight=1.0).score(LIKED_JAZZ),
        fusion(untagged, genre_weight=0.0).score(LIKED_JAZZ),
    )


def test_the_relative_term_pulls_down_what_is_more_popular_than_the_profile():
    config = {"genre_weight": 0.0, "relative_margin": 0.0}
    plain = fusion(TAGS, **config).score(LIKED_JAZZ)[0]
    members = {"softmax": Fixed([0, 1, 1, 0.5]), "svd": Fixed([0, 1, 1, 0.5])}
    relative = FusionModel.from_members(
        members, interactions(), FusionConfig(popularity_weight=0.0, relative_weight=1.0,
                                              genre_weight=0.0, relative_margin=0.0), TAGS
    ).score(LIKED_JAZZ)[0]  # fmt: skip
    assert relative[1] < plain[1] and relative[3] == plain[3]


def test_genres_survive_save_and_load(tmp_path):
    from recommenders.models.softmax import SoftmaxConfig, SoftmaxModel
    from recommenders.models.svd import SVDConfig, SVDModel

    inter = interactions()
    members = {
        "softmax": SoftmaxModel(SoftmaxConfig.fast()).fit(inter),
        "svd": SVDModel(SVDConfig.fast()).fit(inter),
    }
    model = FusionModel.from_members(members, inter, FusionConfig(), artist_tags=TAGS)
    model.save(tmp_path)
    loaded = FusionModel.load(tmp_path)
    assert (loaded.genres_ != model.genres_).nnz == 0
    assert np.allclose(loaded.score(LIKED_JAZZ), model.score(LIKED_JAZZ))


def test_the_defaults_are_the_setting_tuning_chose():
    """FusionConfig's weights are the ones benchmarks/tune_fusion.py chose on validation and
    recorded; a hand edit of either shows here."""
    import json
    from pathlib import Path

    recorded = Path(__file__).resolve().parents[1] / "benchmarks/results/tune_fusion.json"
    chosen = json.loads(recorded.read_text())["chosen"]
    weights = dict(part.split("=") for part in chosen.split(","))
    defaults = FusionConfig()
    assert {name: getattr(defaults, name) for name in weights} == {
        name: float(value) for name, value in weights.items()
    }
