"""`python -m recommenders.spotify DATA`: enrich every artist and print the coverage as JSON.

Live when SPOTIPY_CLIENT_ID and SPOTIPY_CLIENT_SECRET are set (unless --offline). --samples N
also prints N random rejected ("ambiguous") and N random kept seed matches with their seed genres
and top Last.fm tags, to check the collision rule by eye.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import pandas as pd

from recommenders.spotify.coverage import coverage
from recommenders.spotify.enrich import enrich
from recommenders.spotify.seed import seed_candidates
from recommenders.text import accent_free


def match_samples(
    enriched: pd.DataFrame,
    names: pd.Series,
    tags: pd.Series,
    candidates: dict[str, list[list[str]]],
    verdict: str,
    n: int,
    seed: int = 0,
) -> pd.DataFrame:
    """n random seed-sourced artists with this spotify_match verdict (seeded, sorted by name)."""
    chosen = enriched.index[
        enriched["spotify_match"].eq(verdict).fillna(False)
        & enriched["spotify_source"].eq("seed").fillna(False)
    ]
    picked = pd.Series(chosen).sample(min(n, len(chosen)), random_state=seed)
    rows = [
        {
            "name": names[i],
            "seed genres": " | ".join(
                ", ".join(g) or "[]" for g in candidates.get(accent_free(names[i]), [])
            ),
            "top Last.fm tags": ", ".join(tags.get(i, [])[:6]),
        }
        for i in picked
    ]
    return pd.DataFrame(rows).sort_values("name", key=lambda s: s.str.casefold())


def main(argv: list[str] | None = None) -> None:
    """CLI entry point (see the module docstring)."""
    from recommenders.data import load_dataset, top_tags

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "data_dir", type=Path, help="folder with hetrec2011-lastfm-2k/ and spotify/"
    )
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--offline", action="store_true", help="never call the Web API")
    parser.add_argument(
        "--samples", type=int, default=0, metavar="N", help="print N rejected and N kept matches"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed of --samples")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    data = load_dataset(args.data_dir)
    names = data.artists.set_index("artist_id")["name"]
    tags = top_tags(data)
    enriched = enrich(
        names, args.data_dir, args.cache_dir, live=False if args.offline else None, tags=tags
    )
    print(json.dumps(coverage(enriched, data.user_artists), indent=2))
    if args.samples:
        candidates = seed_candidates(args.data_dir)
        with pd.option_context("display.max_colwidth", 90, "display.width", 250):
            for verdict, title in (("ambiguous", "rejected"), ("trusted", "kept")):
                table = match_samples(
                    enriched, names, tags, candidates, verdict, args.samples, args.seed
                )
                print(f"\n{len(table)} random {title} seed matches (seed {args.seed}):")
                print(table.to_string(index=False))
