"""New listeners through the public API: the cold-start protocol run through ``Bundle.recommend``.

The protocol is ``recommenders.cold_start``: users held out of training give 80 % of their artists
and are scored on the rest. Here every model is fitted on the training users and put in a Bundle
whose catalog is rebuilt from the training users alone (listeners, tags, cleaning: nothing of a
held-out user leaks), and each held-out user's artists are given **by name** to
``Bundle.recommend(model, liked=...)``, with play counts (``{name: plays}``) and without
(``[names]``), exactly as a visitor or a script would.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from unittest import mock

import numpy as np
import pandas as pd

from recommenders import interests, probes
from recommenders.artifacts import BundleContents
from recommenders.bundle import Bundle
from recommenders.catalog import SPOTIFY_COLUMNS, build_catalog
from recommenders.cold_start import ColdStartSplit
from recommenders.pipeline import Processed
from recommenders.probes import Probe
from recommenders.ranking import PAD

K = 10


def training_catalog(processed: Processed, user_ids: np.ndarray) -> pd.DataFrame:
    """The catalog as a build on these users alone would make it (same Spotify enrichment)."""
    data = processed.data
    trained = dataclasses.replace(
        data,
        user_artists=data.user_artists[data.user_artists["user_id"].isin(user_ids)],
        user_tagged_artists=data.user_tagged_artists[
            data.user_tagged_artists["user_id"].isin(user_ids)
        ],
    )
    return build_catalog(trained, processed.catalog[SPOTIFY_COLUMNS])


def training_bundle(
    split: ColdStartSplit, models: Mapping[str, object], catalog: pd.DataFrame
) -> Bundle:
    """A Bundle of models fitted on ``split.train``, served from the training users' catalog
    (``training_catalog``)."""
    contents = BundleContents(
        catalog=catalog, interactions=split.train, models=dict(models), manifest={}
    )
    return Bundle(contents)


def liked_for(bundle: Bundle, split: ColdStartSplit, row: int, with_counts: bool) -> object:
    """What a held-out user gives: their given artists by name, with plays or as a plain list."""
    given = split.given
    columns = given.indices[given.indptr[row] : given.indptr[row + 1]]
    names = bundle.catalog["name"].to_numpy()[columns].tolist()
    if not with_counts:
        return names
    plays = np.rint(np.expm1(given.data[given.indptr[row] : given.indptr[row + 1]]))
    return dict(zip(names, np.maximum(plays, 1).astype(int).tolist(), strict=True))


def bundle_tops(
    bundle: Bundle, model: str, split: ColdStartSplit, with_counts: bool, k: int = K
) -> np.ndarray:
    """(n_held × k) matrix columns of each held-out user's list from ``Bundle.recommend``."""
    artist_ids = bundle.catalog.index.to_numpy()
    out = np.full((split.given.shape[0], k), PAD, dtype=np.int64)
    for row in range(split.given.shape[0]):
        liked = liked_for(bundle, split, row, with_counts)
        ids = bundle.recommend(model, liked=liked, k=k)["artist_id"].to_numpy()
        out[row, : len(ids)] = np.searchsorted(artist_ids, ids)
    return out


def probe_tops(bundle: Bundle, model: str, probes: list[Probe], k: int = K) -> list[np.ndarray]:
    """Each probe's list (artist ids) when its artists are given by name, and nothing else."""
    return [
        bundle.recommend(model, liked=list(probe.names), k=k)["artist_id"].to_numpy()
        for probe in probes
    ]


@dataclass
class ProbeSets:
    """The fixed probe sets of one role (see recommenders.probes), with what scoring them
    needs: the catalog they were drawn from, the popular artists, each pick's neighbourhood."""

    catalog: pd.DataFrame
    single: list[Probe]
    pairs: list[Probe]
    eclectic: list[Probe]
    popular: set[int]
    neighbourhoods: dict[int, set[int]]

    @classmethod
    def build(cls, processed: Processed, role: str) -> ProbeSets:
        catalog, matrix = processed.catalog, processed.interactions.matrix
        eclectic = probes.eclectic_sets(catalog, matrix, role)
        columns = {
            a: int(np.searchsorted(catalog.index, a)) for p in eclectic for a in p.artist_ids
        }
        return cls(
            catalog=catalog,
            single=probes.genre_probes(catalog, role),
            pairs=probes.genre_pairs(catalog, role),
            eclectic=eclectic,
            popular=probes.popular_artists(catalog),
            neighbourhoods={a: probes.neighbourhood(matrix, c) for a, c in columns.items()},
        )

    def scores(self, bundle: Bundle, model: str) -> dict[str, np.ndarray]:
        """Per-probe values: single share, pair share, pair intruders, eclectic served and
        orphan shares (one array each, one value per probe)."""
        catalog = self.catalog
        single = [
            probes.tag_share(t, p, catalog)
            for p, t in zip(self.single, probe_tops(bundle, model, self.single), strict=True)
        ]
        pair_tops = probe_tops(bundle, model, self.pairs)
        pair_share = [
            probes.tag_share(t, p, catalog) for p, t in zip(self.pairs, pair_tops, strict=True)
        ]
        pair_intruders = [
            probes.intruders(t, p, catalog, self.popular)
            for p, t in zip(self.pairs, pair_tops, strict=True)
        ]
        served, orphans = self._eclectic(bundle, model)
        with mock.patch.object(interests, "MAX_INTERESTS", 1):  # the same picks, one blended list
            served_once, orphans_once = self._eclectic(bundle, model)
        return {
            "probe_share": np.array(single),
            "pair_share": np.array(pair_share),
            "pair_intruders": np.array(pair_intruders, dtype=float),
            "eclectic_served": served,
            "eclectic_orphans": orphans,
            "eclectic_served_one_list": served_once,
            "eclectic_orphans_one_list": orphans_once,
        }

    def _eclectic(self, bundle: Bundle, model: str) -> tuple[np.ndarray, np.ndarray]:
        """Per eclectic set: the share of its picks served, the share of orphan cards."""
        column_of = {a: i for i, a in enumerate(self.catalog.index)}
        served, orphans = [], []
        for probe, top in zip(self.eclectic, probe_tops(bundle, model, self.eclectic), strict=True):
            hoods = {column_of[a]: self.neighbourhoods[a] for a in probe.artist_ids}
            listed = np.array([column_of[int(a)] for a in top])
            s, o = probes.eclectic_scores(listed, list(hoods), hoods)
            served.append(s)
            orphans.append(o)
        return np.array(served), np.array(orphans)
