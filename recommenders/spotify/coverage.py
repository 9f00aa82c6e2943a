"""How much of the catalog and of the listening the Spotify step covers (for the build report)."""

from __future__ import annotations

import pandas as pd


def coverage(enriched: pd.DataFrame, user_artists: pd.DataFrame) -> dict[str, float | int]:
    """Counts and shares of artists and listening rows Spotify covers.

    enriched: output of `enrich` (index artist_id); user_artists: rows with an `artist_id` column.
    "matched" = a believed Spotify match (seed row or API match, even with no genres);
    "ambiguous" = a name match rejected as a collision (only when `spotify_match` is present);
    "with_genres" = at least one genre, which is what the app can show. Listening rows of artists
    missing from `enriched` count as not covered.
    """
    if "spotify_match" in enriched:
        matched = enriched["spotify_match"].eq("trusted").fillna(False).astype(bool)
        ambiguous = enriched["spotify_match"].eq("ambiguous").fillna(False).astype(bool)
    else:
        matched = enriched["spotify_source"].notna()
        ambiguous = None
    flags = {"matched": matched, "with_genres": enriched["spotify_genres"].map(len).gt(0)}
    if ambiguous is not None:
        flags["ambiguous"] = ambiguous
    listened = user_artists["artist_id"]
    n_artists, n_rows = len(enriched), len(listened)
    result: dict[str, float | int] = {"artists": n_artists, "rows": n_rows}
    for name, flag in flags.items():
        rows = listened.map(flag).fillna(False).astype(bool)
        for key, count, total in (
            (f"artists_{name}", int(flag.sum()), n_artists),
            (f"rows_{name}", int(rows.sum()), n_rows),
        ):
            result[key] = count
            result[f"{key}_share"] = count / total if total else 0.0
    return result
