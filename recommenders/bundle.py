"""The Bundle: a loaded artifact bundle and everything the app and scripts ask of it.

Everything outside the package (the Gradio UI, examples, your scripts) talks to this object
only. It answers in artist ids, names and tables; matrix columns and fitted model attributes
stay inside. The file format lives in ``recommenders.artifacts``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

import recommenders.insights as insights
from recommenders.artifacts import BundleContents, read_bundle
from recommenders.errors import BundleError, RecommenderInputError
from recommenders.explain import Explainer, explanation_text
from recommenders.filters import ArtistFilters
from recommenders.history_matching import (
    HistoryMatch,
    check_history,
    is_history,
    liked_from,
    match_history,
)
from recommenders.interests import Interests, interleave, split_profile
from recommenders.lazy import Lazy
from recommenders.models import DEFAULT_MODEL_ORDER
from recommenders.models.base import Recommender
from recommenders.names import ArtistNames
from recommenders.query import (
    MAX_LIKED,
    RecQuery,
    check_k,
    check_penalty,
    check_user_id,
)
from recommenders.recommend import top_columns
from recommenders.whole_list import Scored
from recommenders.why_not import Serving, WhyNot, explain_absence

RESULT_COLUMNS = [
    "rank",
    "artist_id",
    "name",
    "score",
    "explanation",
    "listeners",
    "plays",
    "tags",
    "spotify_genres",
    "lastfm_url",
    "spotify_url",
    "spotify_id",  # the page's "play" control embeds Spotify's player by it (ui/listen.py)
    "image_url",
    "because",
]


class Bundle:
    """A loaded bundle: the catalog, the interactions, the fitted models, and what serves them.

    Public API: ``model_names``, ``default_model``, ``catalog``, ``metrics``, ``recommend``,
    ``similar_artists``, ``search_artists``, ``search_suggestions``, ``top_artists``,
    ``resolve_artists``, ``artist_info``, ``match_history``, ``user_history``,
    ``listener_artists``, ``known_labels``, ``why_not``, and the "how it works" tables
    ``cluster_table``, ``cluster_assignment``, ``k_experiment``, ``artist_map``.
    """

    def __init__(self, contents: BundleContents, path: Path | None = None) -> None:
        catalog, interactions = contents.catalog, contents.interactions
        if not np.array_equal(catalog.index.to_numpy(), interactions.artist_ids):
            raise BundleError("catalog and interactions disagree on the artist ids; rebuild.")
        self.manifest = contents.manifest
        self.catalog = catalog
        self.exploration = contents.exploration
        self.path = path
        self._interactions = interactions
        self._models: Mapping[str, Recommender] = contents.models
        offered = catalog["offered"] if "offered" in catalog.columns else None
        aliases = catalog["aliases"] if "aliases" in catalog.columns else None  # older bundles
        self._names = ArtistNames(catalog["name"], catalog["listeners"], offered, aliases)
        # Junk names and duplicate spellings are never recommended (see recommenders.cleaning).
        hidden = ~offered.to_numpy(bool) if offered is not None else np.zeros(len(catalog), bool)
        self._hidden = np.flatnonzero(hidden)
        tags = catalog["tags"]
        self._explainer = Lazy(lambda: Explainer(interactions.matrix, tags.tolist()))
        self._interests = Lazy(lambda: Interests(interactions.matrix, tags.tolist()))
        self._filters = ArtistFilters(catalog)

    def warm_up(self) -> None:
        """Build now what is otherwise built on first use (the models, read from their verified
        files; name search; explanations): call it once the app answers, so the first visitor
        does not wait for it."""
        for name in self.model_names:
            self.model(name)
        self._names.warm_up()
        self._explainer.get()
        self._interests.get()

    @classmethod
    def from_directory(cls, directory: Path, models: Iterable[str] | None = None) -> Bundle:
        """Verify every file's hash, then read the bundle (optionally only some models)."""
        return cls(read_bundle(Path(directory), models), path=Path(directory))

    # -- what the bundle holds -------------------------------------------------------------------
    @property
    def model_names(self) -> list[str]:
        return list(self._models)

    @property
    def default_model(self) -> str:
        """The model the app's main flow uses (the build may name one in its manifest)."""
        chosen = self.manifest.get("default_model")
        if chosen in self._models:
            return chosen
        return next((m for m in DEFAULT_MODEL_ORDER if m in self._models), self.model_names[0])

    @property
    def metrics(self) -> dict[str, Any]:
        """Offline evaluation results recorded at build time (model → mean/std/runs)."""
        return self.manifest.get("metrics", {})

    @property
    def user_ids(self) -> np.ndarray:
        """The Last.fm user ids with listening data (sorted)."""
        return self._interactions.user_ids

    @property
    def n_users(self) -> int:
        return self._interactions.n_users

    def model(self, name: str) -> Recommender:
        """The fitted model (for scripts that need the raw scores; the app never does)."""
        if name not in self._models:
            raise RecommenderInputError(
                f"Unknown model {name!r}: accepted are {', '.join(self._models)}."
            )
        return self._models[name]

    # -- names -----------------------------------------------------------------------------------
    def resolve_artists(self, liked: Iterable[object] | object) -> list[int]:
        """Artist ids for names or ids (see ArtistNames.resolve)."""
        return self._names.resolve(liked)

    def top_artists(self, limit: int = 200) -> list[str]:
        """The most listened artists' names (junk names and duplicate spellings left out)."""
        listeners = self.catalog["listeners"].to_numpy(np.int64).copy()
        listeners[self._hidden] = -1  # never offered: after every other artist, then cut
        order = np.argsort(-listeners, kind="stable")[:limit]  # ties: catalog order
        return self.catalog["name"].to_numpy()[order[listeners[order] >= 0]].tolist()

    def search_artists(self, query: str, limit: int = 20) -> list[str]:
        """Catalog names that best match what someone is typing, for pickers."""
        return self._names.search(query, limit)

    def search_suggestions(self, query: str, limit: int = 20) -> list[tuple[str, str | None]]:
        """``search_artists`` as (name, known as): the alias or Latin reading that matched
        ("tvxq" → ("東方神起", "TVXQ!")), None when the name itself did."""
        return [(m.name, m.known_as) for m in self._names.search_matches(query, limit)]

    def match_history(self, history: object) -> HistoryMatch:
        """Match a listening history (``read_history``'s table, or {name: plays}) to the catalog:
        ``.matched`` (artist_id, name, plays, given) can be passed as ``liked=``; ``.unmatched``
        lists what this 2011 catalog does not have; ``.summary()`` says both in one sentence."""
        table = check_history(history)
        return match_history(table, self._names.match_many(table["artist"].tolist()))

    # -- recommending ----------------------------------------------------------------------------
    def recommend(
        self,
        model: str,
        query: RecQuery | None = None,
        *,
        liked: object = None,
        user_id: object = None,
        k: object = 10,
        tags: str | Iterable[str] | None = None,
        popularity_penalty: object = 0.0,
        exclude: Iterable[object] = (),
    ) -> pd.DataFrame:
        """Top-k artists for a query: new-listener picks (``liked``, optionally with play
        counts) or an existing Last.fm user (``user_id``).

        Give a ``RecQuery``, or its fields as keywords (a thin wrapper over ``RecQuery.of``):
        ``tags`` keeps only artists with one of these Last.fm tags or Spotify genres (applied
        before taking k); ``popularity_penalty`` in [0, 1] keeps only less listened artists: 0 =
        any, else 5 or more listeners and at most a ceiling falling evenly on a log scale from the
        most listened artist to 10 listeners at 1 (see ``listener_range``);
        ``exclude`` lists artists never to return, e.g. ones marked "not for me".
        A listening history (``read_history``'s table: ``artist`` names and ``plays``) is matched
        like ``match_history``: artists this 2011 catalog lacks are left out with a
        ``HistoryLeftOut`` warning, and ``result.attrs["history"]`` holds the ``HistoryMatch``
        (``.unmatched``, ``.summary()``). Lists and {name: plays} mappings stay strict: an
        unknown name is refused with "did you mean" suggestions.
        Returns a DataFrame sorted by rank (columns RESULT_COLUMNS).
        """
        recommender = self.model(model)
        left_out = None
        if query is None:
            if is_history(liked):
                liked, left_out = self._history_liked(liked)
            query = RecQuery.of(liked, user_id, k, tags, popularity_penalty, exclude)
        profile = self._profile(query)
        known = np.union1d(profile.indices, self._hidden)
        if query.exclude:
            known = np.union1d(known, self._excluded(query))
        allowed = self._filters.allowed(query.tags, query.popularity_penalty)
        columns, final, origin = self._ranked(recommender, profile, query.k, known, allowed)
        result = self._result(columns, final, reasons_from=profile.indices, because=origin)
        if left_out is not None:
            result.attrs["history"] = left_out
        return result

    def _ranked(
        self,
        recommender: Recommender,
        profile: sp.csr_matrix,
        k: int,
        known: np.ndarray,
        allowed: np.ndarray | None,
    ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray] | None]:
        """The k best columns and their scores; for liked artists of unrelated tastes (see
        ``recommenders.interests``) one list per interest, interleaved, and for each card the
        interest (liked columns) it came from (None when there is one interest)."""
        groups = self._interests.get().groups(profile.indices, profile.data)
        if len(groups) == 1:
            columns, final = top_columns(recommender.score(profile)[0], k, known, allowed)
            return columns, final, None
        scores = recommender.score(split_profile(profile, groups))
        lists = [top_columns(row, k, known, allowed)[0] for row in scores]
        columns, origin = interleave(lists, k)
        return columns, scores[origin, columns], [groups[i] for i in origin]

    def why_not(
        self, model: str, artist: object, query: RecQuery | None = None, **fields: Any
    ) -> WhyNot:
        """Where ``artist`` ranks for a request (a RecQuery, or ``recommend``'s keywords) and the
        true reason it is not higher; see ``recommenders.why_not`` for each reason. Bad input
        (an unknown pick, a bad k) raises as ``recommend`` does; an unknown ``artist`` is an
        answer (reason "unknown", with suggestions)."""
        recommender = self.model(model)
        if query is None:
            if is_history(fields.get("liked")):  # matched as recommend matches it
                fields["liked"], _found = self._history_liked(fields["liked"])
            query = RecQuery.of(**fields)
        profile = self._profile(query)
        groups = self._interests.get().groups(profile.indices, profile.data)
        rows = profile if len(groups) == 1 else split_profile(profile, groups)
        scored = Scored(
            model, query, profile, groups, recommender.score(rows), self._excluded(query)
        )
        return explain_absence(self._serving, scored, artist)

    @cached_property
    def _serving(self) -> Serving:
        explainer = self._explainer.get()
        return Serving(self._names, self.catalog, self._filters, explainer, self._hidden)

    def _excluded(self, query: RecQuery) -> np.ndarray:
        """Columns of the artists the request excludes ("not for me")."""
        ids = self.resolve_artists(list(query.exclude)) if query.exclude else []
        return self._columns_of(ids)

    def _history_liked(self, history: pd.DataFrame) -> tuple[pd.DataFrame, HistoryMatch]:
        """A listening history given as ``liked``: matched like ``match_history``, what the
        catalog lacks said in a HistoryLeftOut warning (``history_matching.liked_from``)."""
        found = self.match_history(history)
        return liked_from(found, MAX_LIKED), found

    def similar_artists(self, model: str, artist: object, k: int = 10) -> pd.DataFrame:
        """The k artists most similar to one artist, by the model's own notion of similarity."""
        recommender = self.model(model)
        k = check_k(k)
        column = self._columns_of([self._names.resolve_one(artist)])
        never = np.union1d(column, self._hidden)
        columns, final = top_columns(recommender.similar(int(column[0])), k, never)
        return self._result(columns, final, reasons_from=column)

    def artist_info(self, artist: object) -> dict[str, Any]:
        """One artist's catalog entry: artist_id, name, listeners, plays, tags, genres, links."""
        artist_id = self._names.resolve_one(artist)
        return {"artist_id": artist_id, **self.catalog.loc[artist_id].to_dict()}

    def user_history(self, user_id: int | str, limit: int = 50) -> pd.DataFrame:
        """An existing user's artists, most played first: id, name, plays, listeners, tags."""
        profile = self._interactions.profile_for_user(check_user_id(user_id))
        return self._artists_table(profile, limit)

    def listener_artists(self, query: RecQuery, limit: int = 50) -> pd.DataFrame:
        """The artists a query starts from (a user's history or the liked artists), as
        ``user_history``; plays are the given counts, or empty for unweighted picks."""
        if query.user_id is not None:
            return self.user_history(query.user_id, limit)
        table = self._artists_table(self._profile(query), limit)
        if query.plays is None:
            table["plays"] = pd.array([pd.NA] * len(table), dtype="Int64")
        return table

    def known_labels(self, min_artists: int = 5) -> list[str]:
        """Tags/genres carried by at least ``min_artists`` artists, most common first."""
        return self._filters.known_labels(min_artists)

    # -- how it works ----------------------------------------------------------------------------
    def cluster_table(self, top_n: int = 8) -> pd.DataFrame:
        """The clustering model's clusters: size, top artists (ids and names), top tags."""
        return insights.cluster_table(self.model("clustering"), self.catalog, top_n)

    def cluster_assignment(self, query: RecQuery) -> pd.DataFrame:
        """The query's nearest clusters with their weights and what those clusters play."""
        model = self.model("clustering")
        return insights.cluster_assignment(model, self._profile(query), self._cluster_summary)

    def k_experiment(self) -> tuple[pd.DataFrame, dict[str, Any]]:
        """The clustering k experiment: (k, silhouette, inertia) rows and how k was chosen."""
        found = self.model("clustering").k_experiment()
        choice = {key: found[key] for key in ("silhouette_best", "chosen", "rule")}
        return insights.k_experiment(self.model("clustering")), choice

    def artist_map(self) -> pd.DataFrame:
        """The SVD model's 2-D artist map: artist_id, x, y, name, group, listeners."""
        return self._artist_map

    # -- internals -------------------------------------------------------------------------------
    def _profile(self, query: RecQuery) -> sp.csr_matrix:
        """The query as a row of the users × artists matrix."""
        if query.user_id is not None:
            return self._interactions.profile_for_user(query.user_id)
        ids = self._names.resolve_each(query.liked)
        return self._interactions.profile_from_artists(ids, query.plays)

    def _columns_of(self, artist_ids: Iterable[int]) -> np.ndarray:
        return self._interactions.artist_columns(artist_ids)

    def _artists_table(self, profile: sp.csr_matrix, limit: int) -> pd.DataFrame:
        order = np.argsort(-profile.data, kind="stable")[:limit]
        columns = profile.indices[order]
        table = self.catalog.iloc[columns][["name", "listeners", "tags"]].reset_index()
        table.insert(2, "plays", np.rint(np.expm1(profile.data[order])).astype(np.int64))
        return table

    def listener_range(self, popularity_penalty: float) -> tuple[int, int] | None:
        """(fewest, most) listeners allowed at a popularity setting; None = no limit."""
        return self._filters.listener_range(check_penalty(popularity_penalty))

    @cached_property
    def _cluster_summary(self) -> pd.DataFrame:
        return self.cluster_table()

    @cached_property
    def _artist_map(self) -> pd.DataFrame:
        return insights.artist_map(self.model("svd"), self.catalog)

    def _result(
        self,
        columns: np.ndarray,
        scores: np.ndarray,
        reasons_from: np.ndarray,
        because: list[np.ndarray] | None = None,
    ) -> pd.DataFrame:
        """The result table for ranked columns; built from numpy columns (pandas row selection
        costs more than the whole model on this hot path). ``because``: per card, the liked
        columns of the interest it serves (the ``because`` column: their names, else [])."""
        table = {name: values[columns] for name, values in self._result_columns.items()}
        names = self._result_columns["name"]
        table["because"] = (
            [[] for _ in columns]
            if because is None
            else [names[group].tolist() for group in because]
        )
        reasons = self._explainer.get().reasons(np.asarray(reasons_from), columns)
        n_users = self.n_users
        table["explanation"] = [
            explanation_text(name, reason, names, int(listeners), n_users)
            for name, reason, listeners in zip(
                table["name"], reasons, table["listeners"], strict=True
            )
        ]
        table["rank"] = np.arange(1, len(columns) + 1)
        table["score"] = np.asarray(scores, dtype=np.float64)
        if table.keys() >= set(RESULT_COLUMNS):  # in order, freshly made: no reindex, no copy
            return pd.DataFrame({c: table[c] for c in RESULT_COLUMNS}, copy=False)
        return pd.DataFrame(table, columns=RESULT_COLUMNS)  # an older catalog: missing as NaN

    @cached_property
    def _result_columns(self) -> dict[str, np.ndarray]:
        """Catalog columns shown in results, as numpy arrays indexed by matrix column."""
        shown = [c for c in RESULT_COLUMNS if c in self.catalog.columns]
        columns = {c: self.catalog[c].to_numpy() for c in shown}
        columns["artist_id"] = self.catalog.index.to_numpy()
        return columns
