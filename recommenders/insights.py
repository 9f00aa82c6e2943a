"""What the "how it works" views show about a model, as tables keyed by artist id.

The clustering view needs its clusters and the k experiment, the SVD view its artist map. These
functions turn model internals (matrix columns, fitted arrays) into plain tables so that the UI
never sees a column index or a fitted attribute.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

CLUSTER_TOP_TAGS = 5
MAP_GROUPS = 8  # most common main tags get their own colour group, the rest are "other"


def cluster_table(model: Any, catalog: pd.DataFrame, top_n: int = 8) -> pd.DataFrame:
    """One row per cluster: cluster, listeners (members), top_artist_ids, top artists (names),
    top tags (most common among its top artists' first three tags)."""
    ids = catalog.index.to_numpy()
    names, tags = catalog["name"].to_numpy(), catalog["tags"].to_numpy()
    rows = []
    for summary in model.cluster_summaries(top_n=top_n):
        columns = summary["top_columns"]
        tag_counts = Counter(t for c in columns for t in list(tags[c])[:3])
        rows.append(
            {
                "cluster": int(summary["cluster"]),
                "listeners": int(summary["size"]),
                "top_artist_ids": [int(ids[c]) for c in columns],
                "top artists": ", ".join(str(names[c]) for c in columns),
                "top tags": ", ".join(t for t, _n in tag_counts.most_common(CLUSTER_TOP_TAGS)),
            }
        )
    return pd.DataFrame(rows)


def cluster_assignment(model: Any, profile: sp.csr_matrix, table: pd.DataFrame) -> pd.DataFrame:
    """The profile's nearest clusters (nearest first) with their weight and ``table``'s rows."""
    nearest, weights = model.assign(profile)
    rows = table.set_index("cluster").loc[nearest[0]].reset_index()
    rows.insert(1, "weight", weights[0].astype(float).round(3))
    return rows


def k_experiment(model: Any) -> pd.DataFrame:
    """(k, silhouette, inertia) rows of the k experiment; empty when the model kept none."""
    found = model.k_experiment()
    return pd.DataFrame({key: found[key] for key in ("k", "silhouette", "inertia")})


def artist_map(model: Any, catalog: pd.DataFrame) -> pd.DataFrame:
    """Every mapped artist: artist_id, x, y, name, group (main tag or "other"), listeners.

    Artists the model could not place (too rarely heard) are left out. Groups: the MAP_GROUPS
    most common main tags among the 2,000 most listened mapped artists.
    """
    xy = np.asarray(model.embedding_2d(), dtype=np.float64)
    main_tag = [
        (list(t) or list(g) or ["untagged"])[0]
        for t, g in zip(catalog["tags"], catalog["spotify_genres"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "artist_id": catalog.index.to_numpy(),
            "x": xy[:, 0].round(4),
            "y": xy[:, 1].round(4),
            "name": catalog["name"].to_numpy(),
            "group": main_tag,
            "listeners": catalog["listeners"].to_numpy(),
        }
    )
    frame = frame[np.isfinite(xy).all(axis=1)]
    common = frame.nlargest(2000, "listeners")["group"].value_counts().index[:MAP_GROUPS]
    frame["group"] = frame["group"].where(frame["group"].isin(common), "other")
    return frame.reset_index(drop=True)
