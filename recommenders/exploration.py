"""Data exploration for the app's Explore tab: small summary tables and headline numbers.

The tables are computed once from the raw data at build time and stored in the artifact bundle as
parquet, so the app can draw every exploration plot without re-parsing the raw files. They hold
plain int64 / float64 / str columns only, so a parquet round trip gives them back exactly.
`headline_stats` works from these tables alone, so it runs the same on a freshly built dataset
and on a loaded bundle.
"""

from __future__ import annotations

import math

import pandas as pd

from recommenders.data import LastfmData
from recommenders.errors import BundleError

# Share of the most played artists whose share of all plays `headline_stats` reports.
TOP_ARTIST_FRACTION = 0.01

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "users": (
        "user_id",
        "n_artists",
        "total_plays",
        "n_friends",
        "n_tag_assignments",
        "n_tags_given",
    ),
    "artists": ("artist_id", "listeners", "plays", "n_tags", "n_tag_assignments", "n_taggers"),
    "tags": ("tag_id", "tag", "n_artists", "n_users", "n_assignments"),
    "tag_years": ("year", "n_assignments"),
}


def exploration_tables(data: LastfmData) -> dict[str, pd.DataFrame]:
    """The four small tables the exploration plots need, keyed by name (see TABLE_COLUMNS).

    users (one row per user, ~1.9k): listening rows, plays, friends, tag rows, distinct tags.
    artists (one row per artist of artists.dat, ~17.6k): listeners, plays, distinct tags, tag rows,
      distinct taggers. Tag rows about artists missing from artists.dat are not counted here.
    tags (one row per tag of tags.dat, ~12k): distinct artists, distinct users, tag rows (all rows,
      including those about artists missing from artists.dat).
    tag_years (one row per year present): tag rows dated that year, implausible years included.
    """
    return {
        "users": _user_table(data),
        "artists": _artist_table(data),
        "tags": _tag_table(data),
        "tag_years": _tag_year_table(data),
    }


def _counts(frame: pd.DataFrame, key: str, index: pd.Index, distinct: str | None = None) -> list:
    """Rows (or distinct `distinct` values) per `key`, aligned to `index`, 0 when absent."""
    grouped = frame.groupby(key)
    counts = grouped.size() if distinct is None else grouped[distinct].nunique()
    return counts.reindex(index, fill_value=0).astype("int64").to_numpy()


def _user_table(data: LastfmData) -> pd.DataFrame:
    """Per-user activity; users are every id seen in any of the three user files."""
    ids = pd.Index(
        sorted(
            set(data.user_artists["user_id"])
            | set(data.user_friends["user_id"])
            | set(data.user_tagged_artists["user_id"])
        ),
        dtype="int64",
        name="user_id",
    )
    listening, tagged = data.user_artists, data.user_tagged_artists
    plays = listening.groupby("user_id")["weight"].sum().reindex(ids, fill_value=0)
    return pd.DataFrame(
        {
            "user_id": ids.to_numpy(),
            "n_artists": _counts(listening, "user_id", ids),
            "total_plays": plays.astype("int64").to_numpy(),
            "n_friends": _counts(data.user_friends, "user_id", ids),
            "n_tag_assignments": _counts(tagged, "user_id", ids),
            "n_tags_given": _counts(tagged, "user_id", ids, distinct="tag_id"),
        }
    )


def _artist_table(data: LastfmData) -> pd.DataFrame:
    """Per-artist listening and tagging counts for every artist of artists.dat, sorted by id."""
    ids = pd.Index(sorted(data.artists["artist_id"]), dtype="int64", name="artist_id")
    listening, tagged = data.user_artists, data.user_tagged_artists
    plays = listening.groupby("artist_id")["weight"].sum().reindex(ids, fill_value=0)
    return pd.DataFrame(
        {
            "artist_id": ids.to_numpy(),
            "listeners": _counts(listening, "artist_id", ids),
            "plays": plays.astype("int64").to_numpy(),
            "n_tags": _counts(tagged, "artist_id", ids, distinct="tag_id"),
            "n_tag_assignments": _counts(tagged, "artist_id", ids),
            "n_taggers": _counts(tagged, "artist_id", ids, distinct="user_id"),
        }
    )


def _tag_table(data: LastfmData) -> pd.DataFrame:
    """Per-tag usage for every tag of tags.dat (unused tags get zeros), sorted by tag_id."""
    tags = data.tags.sort_values("tag_id")
    ids = pd.Index(tags["tag_id"], dtype="int64", name="tag_id")
    tagged = data.user_tagged_artists
    return pd.DataFrame(
        {
            "tag_id": ids.to_numpy(),
            "tag": tags["tag"].astype("str").to_numpy(),
            "n_artists": _counts(tagged, "tag_id", ids, distinct="artist_id"),
            "n_users": _counts(tagged, "tag_id", ids, distinct="user_id"),
            "n_assignments": _counts(tagged, "tag_id", ids),
        }
    )


def _tag_year_table(data: LastfmData) -> pd.DataFrame:
    """Tag rows per year, sorted by year (the real data has 5 rows dated 1956-1979)."""
    counts = data.user_tagged_artists.groupby("year").size().sort_index()
    return pd.DataFrame(
        {
            "year": counts.index.to_numpy(dtype="int64"),
            "n_assignments": counts.to_numpy(dtype="int64"),
        }
    )


def check_tables(tables: dict[str, pd.DataFrame]) -> None:
    """Raise BundleError unless every table of TABLE_COLUMNS is there with its columns: the
    tables come from a bundle, so a gap is broken bundle content, not bad input."""
    missing_tables = [name for name in TABLE_COLUMNS if name not in tables]
    if missing_tables:
        raise BundleError(
            f"exploration tables {missing_tables} are missing; expected {list(TABLE_COLUMNS)}"
        )
    for name, columns in TABLE_COLUMNS.items():
        missing = [c for c in columns if c not in tables[name].columns]
        if missing:
            raise BundleError(
                f"exploration table {name!r} lacks columns {missing}; expected {list(columns)}"
            )


def headline_stats(tables: dict[str, pd.DataFrame]) -> dict[str, int | float]:
    """Headline numbers of the dataset, from the exploration tables alone (JSON-ready values).

    density = listening rows / (users * artists); friendships are undirected (each is listed in
    both directions in user_friends, so rows / 2); top_1pct_play_share is the share of all plays
    that goes to the ceil(1%) most played artists.
    """
    check_tables(tables)
    users, artists, tags = tables["users"], tables["artists"], tables["tags"]
    n_users, n_artists = len(users), len(artists)
    rows = int(users["n_artists"].sum())
    plays = artists["plays"].sort_values(ascending=False)
    n_top = max(1, math.ceil(TOP_ARTIST_FRACTION * n_artists))
    total_plays = int(plays.sum())
    assignments = int(tags["n_assignments"].sum())
    top_share = float(plays.iloc[:n_top].sum() / total_plays) if total_plays else 0.0
    return {
        "users": n_users,
        "artists": n_artists,
        "listening_rows": rows,
        "density": rows / (n_users * n_artists) if n_users and n_artists else 0.0,
        "total_plays": total_plays,
        "median_artists_per_user": float(users["n_artists"].median()),
        "median_listeners_per_artist": float(artists["listeners"].median()),
        "tags": len(tags),
        "tags_used": int((tags["n_assignments"] > 0).sum()),
        "tag_assignments": assignments,
        "tag_assignments_unknown_artists": assignments - int(artists["n_tag_assignments"].sum()),
        "friendships": int(users["n_friends"].sum()) // 2,
        "median_friends_per_user": float(users["n_friends"].median()),
        "top_1pct_artists": n_top,
        "top_1pct_play_share": top_share,
    }


HEADLINE_LABELS: dict[str, str] = {
    "users": "Users",
    "artists": "Artists",
    "listening_rows": "Listening rows (user, artist, plays)",
    "density": "Density of the user × artist matrix",
    "total_plays": "Plays (total listening count)",
    "median_artists_per_user": "Median artists per user",
    "median_listeners_per_artist": "Median listeners per artist",
    "tags": "Tags",
    "tags_used": "Tags used at least once",
    "tag_assignments": "Tag assignments (user, artist, tag)",
    "tag_assignments_unknown_artists": "Tag assignments to artists missing from artists.dat",
    "friendships": "Friendships (undirected)",
    "median_friends_per_user": "Median friends per user",
    "top_1pct_artists": "Top 1% of artists (by plays)",
    "top_1pct_play_share": "Share of plays going to the top 1% of artists",
}


def headline_table(stats: dict[str, int | float]) -> pd.DataFrame:
    """The stats as a two-column (statistic, value) table of display strings, for the app."""
    rows = []
    for key, value in stats.items():
        if key == "density":
            text = f"{value:.4%}"
        elif key.endswith("share"):
            text = f"{value:.1%}"
        elif isinstance(value, float) and not value.is_integer():
            text = f"{value:,.1f}"
        else:
            text = f"{int(value):,}"
        rows.append((HEADLINE_LABELS.get(key, key), text))
    return pd.DataFrame(rows, columns=["statistic", "value"])
