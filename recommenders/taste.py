"""How every taste is served, not only the average one: pure metrics over top-k lists.

An average NDCG hides the listeners a discovery app exists for (a black-metal fan who gets The
Beatles first). These metrics split users by how mainstream their training history is and look at
what the lists contain:

- segments: a user's *typicality* is the median training listener count of their training artists;
  niche = at or below the 25th percentile of typicality over users, mainstream = at or above the
  75th, middle = the rest (thresholds from the training matrix only).
- popularity lift: mean log1p(training listeners) of the top k minus that of the user's held-out
  artists; 0 = as mainstream as what they really played, > 0 = pulled to the mainstream.
- diversity (intra-list): mean over pairs of the top k of 1 − cosine similarity of the artists'
  binary Last.fm tag vectors (catalog top tags); pairs with an untagged artist are skipped.
- calibration: Steck's (2018) calibration KL(p ‖ q̃) between the tag mix p of the training profile
  (artists weighted by log count, each spreading weight 1 evenly over its tags) and the tag mix q
  of the list (each tagged artist weight 1), with q̃ = (1 − α) q + α p, α = 0.01; 0 = perfectly
  calibrated, log(1/α) ≈ 4.6 = the list shares no tag with the profile.
- probes: for each of a fixed list of genre tags, a little-known artist (8–60 listeners) whose top
  tag it is; a new user who liked only that artist should get artists carrying its top 5 tags.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from recommenders.interactions import Interactions
from recommenders.ranking import PAD, top_k

SEGMENTS = ("niche", "middle", "mainstream")
CALIBRATION_ALPHA = 0.01
# Genre tags (not eras, countries or "female vocalists") that are the top tag of at least one
# artist with 8–60 listeners in hetrec2011-lastfm-2k; one probe artist each.
GENRE_TAGS = (
    "electronic", "pop", "hip-hop", "classic rock", "dance", "punk", "ambient", "new wave",
    "rnb", "post-hardcore", "metalcore", "progressive rock", "country", "hard rock", "folk",
    "experimental", "idm", "jazz", "heavy metal", "soul", "power metal", "industrial",
    "trip-hop", "pop punk", "melodic death metal", "thrash metal", "gothic metal", "ebm",
    "blues", "death metal", "mpb", "black metal", "post-rock", "britpop", "post-punk",
    "classical", "reggae", "grunge", "shoegaze", "k-pop",
)  # fmt: skip
PROBE_LISTENERS = (8, 60)
PROBE_TAGS = 5


def training_listeners(train: sp.spmatrix) -> np.ndarray:
    """(n_artists,) number of training users per artist: the only popularity a model could see."""
    return np.diff(sp.csc_matrix(train).indptr).astype(np.float64)


def user_typicality(train: sp.spmatrix) -> np.ndarray:
    """(n_users,) median training listener count of each user's training artists (NaN if none)."""
    train = sp.csr_matrix(train)
    listeners = training_listeners(train)
    out = np.full(train.shape[0], np.nan)
    for row in range(train.shape[0]):
        columns = train.indices[train.indptr[row] : train.indptr[row + 1]]
        if len(columns):
            out[row] = np.median(listeners[columns])
    return out


def segment_users(train: sp.spmatrix) -> np.ndarray:
    """(n_users,) "niche" / "middle" / "mainstream" by typicality quartiles; "" without history."""
    typicality = user_typicality(train)
    known = np.isfinite(typicality)
    labels = np.full(len(typicality), "", dtype=object)
    if not known.any():
        return labels
    low, high = np.quantile(typicality[known], [0.25, 0.75])
    labels[known] = "middle"
    labels[known & (typicality >= high)] = "mainstream"
    labels[known & (typicality <= low)] = "niche"  # wins when the quartiles coincide
    return labels


def by_segment(values: np.ndarray, segments: np.ndarray, reduce=np.nanmean) -> dict[str, float]:
    """``reduce`` of the per-user ``values`` within each segment (NaN for an empty segment)."""
    out = {}
    for segment in SEGMENTS:
        chosen = values[segments == segment]
        chosen = chosen[np.isfinite(chosen)]
        out[segment] = float(reduce(chosen)) if len(chosen) else float("nan")
    return out


def popularity_lift(top: np.ndarray, relevant: sp.spmatrix, listeners: np.ndarray) -> np.ndarray:
    """(n,) mean log1p(listeners) of each row's list minus that of its relevant (held-out) items.

    top: (n × k) columns (-1 = padding); relevant: (n × n_artists); NaN where either is empty.
    """
    log_listeners = np.log1p(listeners)
    valid = top != PAD
    listed = np.where(valid, log_listeners[np.where(valid, top, 0)], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        list_mean = listed.sum(axis=1) / valid.sum(axis=1)
    relevant = sp.csr_matrix(relevant)
    n_relevant = np.diff(relevant.indptr)
    held_out = sp.csr_matrix(
        (log_listeners[relevant.indices], relevant.indices, relevant.indptr), shape=relevant.shape
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        held_out_mean = np.asarray(held_out.sum(axis=1)).ravel() / n_relevant
    return list_mean - held_out_mean


def tag_matrix(artist_tags: Sequence[Sequence[str]]) -> sp.csr_matrix:
    """(n_artists × n_tags) binary: row c marks the tags of column c (vocabulary sorted by name)."""
    vocabulary = {tag: i for i, tag in enumerate(sorted({t for tags in artist_tags for t in tags}))}
    rows, cols = [], []
    for row, tags in enumerate(artist_tags):
        for tag in set(tags):
            rows.append(row)
            cols.append(vocabulary[tag])
    return sp.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(artist_tags), len(vocabulary))
    )


def _row_normalised(matrix: sp.csr_matrix, norm: str) -> sp.csr_matrix:
    matrix = sp.csr_matrix(matrix, dtype=np.float64)
    if norm == "l2":
        size = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    else:
        size = np.asarray(matrix.sum(axis=1)).ravel()
    scale = np.divide(1.0, size, out=np.zeros_like(size), where=size > 0)
    return sp.csr_matrix(sp.diags(scale) @ matrix)


def intra_list_diversity(top: np.ndarray, tags: sp.csr_matrix) -> np.ndarray:
    """(n,) mean 1 − cosine(tag vectors) over pairs of each list; NaN with < 2 tagged artists."""
    unit = _row_normalised(tags, "l2")
    tagged = (np.diff(unit.indptr) > 0)[np.where(top != PAD, top, 0)] & (top != PAD)
    safe = np.where(top != PAD, top, 0)
    total = np.zeros(len(top))
    pairs = np.zeros(len(top))
    for i in range(top.shape[1]):
        for j in range(i + 1, top.shape[1]):
            cosine = np.asarray(unit[safe[:, i]].multiply(unit[safe[:, j]]).sum(axis=1)).ravel()
            both = tagged[:, i] & tagged[:, j]
            total += np.where(both, 1.0 - cosine, 0.0)
            pairs += both
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(pairs > 0, total / pairs, np.nan)


def calibration_kl(
    top: np.ndarray,
    profiles: sp.spmatrix,
    tags: sp.csr_matrix,
    alpha: float = CALIBRATION_ALPHA,
    batch: int = 256,
) -> np.ndarray:
    """(n,) Steck's KL(p ‖ (1 − α) q + α p) of profile tag mix p vs list tag mix q (see module).

    profiles: (n × n_artists) training rows (weights = log counts); NaN where p has no tags.
    """
    per_artist = _row_normalised(tags, "sum")
    profiles = sp.csr_matrix(profiles)
    n = len(top)
    valid = top != PAD
    listed = sp.csr_matrix(
        (np.ones(valid.sum()), (np.nonzero(valid)[0], top[valid])), shape=profiles.shape
    )
    p_all = _row_normalised(profiles @ per_artist, "sum")
    q_all = _row_normalised(listed @ per_artist, "sum")
    out = np.full(n, np.nan)
    for start in range(0, n, batch):
        p = p_all[start : start + batch].toarray()
        q = q_all[start : start + batch].toarray()
        smoothed = (1 - alpha) * q + alpha * p
        with np.errstate(invalid="ignore", divide="ignore"):
            terms = np.where(p > 0, p * np.log(p / smoothed), 0.0)
        has_profile = p.sum(axis=1) > 0
        out[start : start + batch] = np.where(has_profile, terms.sum(axis=1), np.nan)
    return out


def taste_metrics(
    top: np.ndarray,
    train: sp.spmatrix,
    users: np.ndarray,
    relevant: sp.spmatrix,
    ndcg: np.ndarray,
    artist_tags: Sequence[Sequence[str]] | None = None,
) -> dict[str, float]:
    """Segment NDCG, popularity lift and (with tags by column) diversity and calibration.

    top: (len(users) × k) lists of the rows ``users`` of ``train``; relevant: their held-out
    rows; ndcg: their per-user NDCG. Lift is a median (robust to a few extreme users).
    """
    train = sp.csr_matrix(train)
    segments = segment_users(train)[users]
    out = {f"ndcg_{s}": v for s, v in by_segment(ndcg, segments).items()}
    lift = popularity_lift(top, relevant, training_listeners(train))
    out["popularity_lift"] = float(np.nanmedian(lift)) if np.isfinite(lift).any() else np.nan
    for segment, value in by_segment(lift, segments, np.median).items():
        out[f"popularity_lift_{segment}"] = value
    if artist_tags is not None:
        tags = tag_matrix(artist_tags)
        out["diversity"] = float(np.nanmean(intra_list_diversity(top, tags)))
        out["calibration"] = float(np.nanmean(calibration_kl(top, train[users], tags)))
    return out


@dataclass(frozen=True)
class Probe:
    """A little-known artist standing for one genre: ``tags`` are its top Last.fm tags."""

    genre: str
    artist_id: int
    name: str
    listeners: int
    tags: tuple[str, ...]


def probe_set(
    catalog: pd.DataFrame,
    genres: Sequence[str] = GENRE_TAGS,
    listeners: tuple[int, int] = PROBE_LISTENERS,
) -> list[Probe]:
    """One probe per genre whose top tag it is: most listeners in range, then lowest artist id."""
    low, high = listeners
    in_range = catalog[(catalog["listeners"] >= low) & (catalog["listeners"] <= high)]
    top_tag = in_range["tags"].map(lambda tags: tags[0] if len(tags) else None)
    probes = []
    for genre in genres:
        candidates = in_range[top_tag == genre]
        if candidates.empty:
            continue
        order = np.lexsort((candidates.index.to_numpy(), -candidates["listeners"].to_numpy()))
        artist_id = candidates.index[order[0]]
        row = candidates.loc[artist_id]
        probes.append(
            Probe(
                genre=genre,
                artist_id=int(artist_id),
                name=str(row["name"]),
                listeners=int(row["listeners"]),
                tags=tuple(row["tags"][:PROBE_TAGS]),
            )
        )
    return probes


def probe_detail(
    score: Callable[[sp.csr_matrix], np.ndarray],
    interactions: Interactions,
    catalog: pd.DataFrame,
    probes: Sequence[Probe],
    k: int = 10,
) -> pd.DataFrame:
    """One row per probe: its top k (names) and the share of them carrying a probe tag.

    The profile is a new user who liked only the probe artist (``profile_from_artists``); the
    probe artist itself is excluded, as the app does with liked artists.
    """
    tags_by_id = catalog["tags"]
    names_by_id = catalog["name"]
    rows = []
    for probe in probes:
        profile = interactions.profile_from_artists([probe.artist_id])
        columns = top_k(score(profile), k, exclude=profile)[0]
        ids = interactions.artist_ids[columns[columns != PAD]]
        wanted = set(probe.tags)
        matches = [bool(wanted & set(tags_by_id.get(a, []))) for a in ids]
        rows.append(
            {
                "genre": probe.genre,
                "artist": probe.name,
                "listeners": probe.listeners,
                "share": sum(matches) / k,
                "top": [str(names_by_id.get(a, a)) for a in ids],
            }
        )
    return pd.DataFrame(rows)


def probe_share(
    score: Callable[[sp.csr_matrix], np.ndarray],
    interactions: Interactions,
    catalog: pd.DataFrame,
    probes: Sequence[Probe],
    k: int = 10,
) -> float:
    """Mean over probes of the share of the top k carrying one of the probe artist's top tags."""
    if not probes:
        return float("nan")
    return float(probe_detail(score, interactions, catalog, probes, k)["share"].mean())
