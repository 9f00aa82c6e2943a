"""Probe sets: small, fixed tastes that a new listener could bring, and what a good list for each
looks like. Every set is split into *validation* probes (model choices are made on them) and
*test* probes (only reported), never sharing an artist or a pair.

- genre probes: one little-known artist (8–60 listeners) whose top genre tag is the genre, given
  alone; a good list carries one of its top 5 tags (``probe_share``).
- genre pairs: the two most listened artists of a genre (test) or the next two (validation),
  given together; a good list is on genre and has no *intruder*, one of the most listened artists
  of the whole catalog that shares no top-5 tag with the pair (The Beatles for Miles Davis +
  John Coltrane).
- eclectic sets: three well-known artists of unrelated tastes (no shared top tag, few shared
  listeners: Slayer + Norah Jones + Daft Punk); a good list serves each of them, with at least one
  artist from each pick's own listener neighbourhood, and few artists from nobody's.

Tags are the catalog's ``tags`` column (genre tags, ranked), so the probes follow the vocabulary.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from recommenders.ranking import PAD

PROBE_LISTENERS = (8, 60)
PAIR_MIN_LISTENERS = 20
ECLECTIC_MIN_LISTENERS = 40
ECLECTIC_MAX_JACCARD = 0.02
ECLECTIC_USES = 2
ECLECTIC_SETS = 40
PROBE_TAGS = 5
POPULAR_INTRUDERS = 30
NEIGHBOURHOOD = 50
ROLES = ("validation", "test")


@dataclass(frozen=True)
class Probe:
    """Artists given together as a new listener's whole taste; ``tags`` what they stand for."""

    genre: str
    artist_ids: tuple[int, ...]
    names: tuple[str, ...]
    tags: frozenset[str]


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, got {role!r}")


def _by_top_tag(catalog: pd.DataFrame, low: int, high: int | None = None) -> dict[str, list[int]]:
    """genre → offered artist ids whose top tag it is (listeners in range), most listened first."""
    listeners = catalog["listeners"]
    chosen = catalog[(listeners >= low) & ((listeners <= high) if high is not None else True)]
    if "offered" in chosen.columns:
        chosen = chosen[chosen["offered"].astype(bool)]
    chosen = chosen[chosen["tags"].map(len) > 0]
    order = np.lexsort((chosen.index.to_numpy(), -chosen["listeners"].to_numpy()))
    groups: dict[str, list[int]] = {}
    for artist_id, tags in zip(chosen.index[order], chosen["tags"].iloc[order], strict=True):
        groups.setdefault(str(tags[0]), []).append(int(artist_id))
    return groups


def _probe(catalog: pd.DataFrame, genre: str, ids: list[int]) -> Probe:
    tags = frozenset(t for i in ids for t in list(catalog.at[i, "tags"])[:PROBE_TAGS])
    names = tuple(str(catalog.at[i, "name"]) for i in ids)
    return Probe(genre=genre, artist_ids=tuple(ids), names=names, tags=tags)


def genre_probes(catalog: pd.DataFrame, role: str = "test") -> list[Probe]:
    """One little-known artist per genre: the most listened in range (test) or the next one
    (validation), so the two sets never share an artist. Sorted by genre."""
    _check_role(role)
    index = 0 if role == "test" else 1
    groups = _by_top_tag(catalog, *PROBE_LISTENERS)
    return [
        _probe(catalog, genre, [ids[index]])
        for genre, ids in sorted(groups.items())
        if len(ids) > index
    ]


def genre_pairs(catalog: pd.DataFrame, role: str = "test") -> list[Probe]:
    """Two artists of one genre (top tag, ≥ PAIR_MIN_LISTENERS listeners): the two most listened
    (test) or the next two (validation). Sorted by genre."""
    _check_role(role)
    start = 0 if role == "test" else 2
    groups = _by_top_tag(catalog, PAIR_MIN_LISTENERS)
    return [
        _probe(catalog, genre, ids[start : start + 2])
        for genre, ids in sorted(groups.items())
        if len(ids) >= start + 2
    ]


def eclectic_sets(
    catalog: pd.DataFrame, matrix: sp.spmatrix, role: str = "test", size: int = 3
) -> list[Probe]:
    """Sets of ``size`` well-known artists (≥ ECLECTIC_MIN_LISTENERS listeners) of unrelated
    tastes: different top tags, no shared top-5 tag, at most ECLECTIC_MAX_JACCARD of their
    listeners shared. Each genre's most listened artist is a test candidate and its second a
    validation one, so the roles never share an artist; sets are formed greedily (genres from
    the largest), each artist in at most ECLECTIC_USES sets, at most ECLECTIC_SETS sets."""
    _check_role(role)
    groups = _by_top_tag(catalog, ECLECTIC_MIN_LISTENERS)
    position = 0 if role == "test" else 1
    ordered = sorted(groups.items(), key=lambda g: (-len(g[1]), g[0]))
    pool = [ids[position] for _genre, ids in ordered if len(ids) > position]
    listeners_of = sp.csc_matrix(sp.csr_matrix(matrix) > 0)
    column = {a: int(c) for a, c in zip(pool, np.searchsorted(catalog.index, pool), strict=True)}
    users = {a: set(listeners_of[:, column[a]].indices) for a in pool}
    tags = {a: set(list(catalog.at[a, "tags"])[:PROBE_TAGS]) for a in pool}

    def unrelated(a: int, b: int) -> bool:
        shared = len(users[a] & users[b]) / max(len(users[a] | users[b]), 1)
        return not (tags[a] & tags[b]) and shared <= ECLECTIC_MAX_JACCARD

    sets: list[list[int]] = []
    uses = dict.fromkeys(pool, 0)
    for combo in itertools.combinations(pool, size):
        if len(sets) == ECLECTIC_SETS:
            break
        if any(uses[a] >= ECLECTIC_USES for a in combo):
            continue
        if all(unrelated(a, b) for a, b in itertools.combinations(combo, 2)):
            sets.append(list(combo))
            for a in combo:
                uses[a] += 1
    return [
        _probe(catalog, "+".join(str(catalog.at[a, "tags"][0]) for a in chosen), chosen)
        for chosen in sets
    ]


# -- what a list for a probe is worth ---------------------------------------------------------
def tag_share(top_ids: np.ndarray, probe: Probe, catalog: pd.DataFrame) -> float:
    """Share of the k places (padding counts as a miss) holding an artist that carries one of
    the probe's tags in its top 5."""
    k = len(top_ids)
    hits = sum(
        bool(probe.tags & set(list(catalog.at[int(a), "tags"])[:PROBE_TAGS]))
        for a in top_ids
        if a != PAD
    )
    return hits / k if k else float("nan")


def popular_artists(catalog: pd.DataFrame, n: int = POPULAR_INTRUDERS) -> set[int]:
    """The ``n`` most listened offered artists (ties → lower id)."""
    offered = catalog[catalog["offered"].astype(bool)] if "offered" in catalog else catalog
    order = np.lexsort((offered.index.to_numpy(), -offered["listeners"].to_numpy()))
    return {int(a) for a in offered.index[order[:n]]}


def intruders(top_ids: np.ndarray, probe: Probe, catalog: pd.DataFrame, popular: set[int]) -> int:
    """How many listed artists are among the most listened and share no top-5 tag with the
    probe's artists."""
    return sum(
        int(a) in popular and not (probe.tags & set(list(catalog.at[int(a), "tags"])[:PROBE_TAGS]))
        for a in top_ids
        if a != PAD
    )


def neighbourhood(matrix: sp.spmatrix, column: int, n: int = NEIGHBOURHOOD) -> set[int]:
    """The ``n`` columns most associated with ``column`` by their listeners' Jaccard overlap
    (at least 2 shared listeners; itself excluded; ties → lower column): the artist's own
    listener neighbourhood, not merely the most popular artists, whom everybody shares."""
    binary = sp.csr_matrix(sp.csr_matrix(matrix) > 0, dtype=np.float32)
    users = sp.csc_matrix(binary)[:, column].indices
    shared = np.asarray(binary[users].sum(axis=0)).ravel()
    listeners = np.asarray(binary.sum(axis=0)).ravel()
    jaccard = shared / np.maximum(listeners + len(users) - shared, 1)
    jaccard[shared < 2] = 0.0
    jaccard[column] = 0.0
    order = np.lexsort((np.arange(len(jaccard)), -jaccard))
    return {int(c) for c in order[:n] if jaccard[c] > 0}


def eclectic_scores(
    top_columns: np.ndarray, pick_columns: list[int], neighbourhoods: dict[int, set[int]]
) -> tuple[float, float]:
    """(share of picks with ≥ 1 listed artist from their neighbourhood, share of listed artists
    in no pick's neighbourhood)."""
    listed = [int(c) for c in top_columns if c != PAD]
    served = [any(c in neighbourhoods[p] for c in listed) for p in pick_columns]
    orphans = [not any(c in neighbourhoods[p] for p in pick_columns) for c in listed]
    return float(np.mean(served)), float(np.mean(orphans)) if orphans else float("nan")
