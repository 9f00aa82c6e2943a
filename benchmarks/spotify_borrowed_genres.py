"""How many catalog artists lose genres that belonged to someone else (issue 17, item 6).

    python -m benchmarks.spotify_borrowed_genres [--seed 0] [--examples 20]

The Spotify seed carries rows whose genres are another artist's (BoA → Boards of Canada's,
múm → Mumford & Sons'): `recommenders.spotify.seed.borrowed_rows` finds them. This runs the
offline enrichment (seed only, no cache, no network) over all 17,632 Last.fm artists twice, with
every seed row ("before") and without the borrowed ones ("after", what the build now uses), and
records the number of artists whose Spotify genres changed with seeded random examples to
benchmarks/results/spotify_borrowed_genres.json.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.results import load, machine, record
from recommenders.data import load_dataset, top_tags
from recommenders.spotify.enrich import assemble
from recommenders.spotify.seed import borrowed_rows, candidates_from, read_seed, seed_candidates

ROOT = Path(__file__).resolve().parents[1]
NAME = "spotify_borrowed_genres"


def genres_before_and_after(data_dir: Path) -> pd.DataFrame:
    """artist_id → name, genres_before, genres_after, match_before, match_after (offline)."""
    data = load_dataset(data_dir)
    names = data.artists.set_index("artist_id")["name"]
    tags = top_tags(data).reindex(names.index)
    tag_lists = [list(t) if isinstance(t, list) else [] for t in tags]
    queries = [str(n) for n in names]
    rows = read_seed(data_dir)
    before = assemble(names.index, queries, tag_lists, candidates_from(rows), {})
    after = assemble(names.index, queries, tag_lists, seed_candidates(data_dir), {})
    return pd.DataFrame(
        {
            "name": names,
            "genres_before": before["spotify_genres"],
            "genres_after": after["spotify_genres"],
            "match_before": before["spotify_match"],
            "match_after": after["spotify_match"],
        }
    )


def changed_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The artists whose Spotify genres differ between before and after."""
    differs = [a != b for a, b in zip(table["genres_before"], table["genres_after"], strict=True)]
    return table[differs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--examples", type=int, default=20)
    args = parser.parse_args(argv)
    started = machine()
    table = genres_before_and_after(args.data_dir)
    changed = changed_rows(table)
    rng = np.random.default_rng(args.seed)
    picked = sorted(rng.choice(len(changed), min(args.examples, len(changed)), replace=False))
    examples = [_example(artist_id, row) for artist_id, row in changed.iloc[picked].iterrows()]
    seed_rows = read_seed(args.data_dir)
    data: dict[str, Any] = {
        "artists": len(table),
        "seed_rows": len(seed_rows),
        "borrowed_seed_rows": len(borrowed_rows(seed_rows)),
        "changed_artists": len(changed),
        "lost_genres": int(sum(not g for g in changed["genres_after"])),
        "gained_genres": int(sum(not g for g in changed["genres_before"])),
        "with_genres_before": int(sum(bool(g) for g in table["genres_before"])),
        "with_genres_after": int(sum(bool(g) for g in table["genres_after"])),
        "examples_seed": args.seed,
        "examples": examples,
    }
    record(NAME, data, started)
    print(summary())
    return 0


def _example(artist_id: int, row: pd.Series) -> dict[str, Any]:
    return {
        "artist_id": int(artist_id),
        "name": row["name"],
        "before": list(row["genres_before"]),
        "after": list(row["genres_after"]),
    }


def summary() -> str:
    """The recorded count and examples as markdown (for notes and the README)."""
    found = load(NAME)
    lines = [
        f"{found['changed_artists']:,} of {found['artists']:,} artists changed Spotify genres "
        f"({found['lost_genres']:,} lost borrowed genres, {found['gained_genres']:,} gained "
        f"their own); {found['borrowed_seed_rows']:,} of {found['seed_rows']:,} seed rows "
        f"carry another artist's genres. Artists with genres: {found['with_genres_before']:,} "
        f"→ {found['with_genres_after']:,}.",
        "",
        "| artist | before | after |",
        "|---|---|---|",
    ]
    for example in found["examples"]:
        before = ", ".join(example["before"]) or "—"
        after = ", ".join(example["after"]) or "—"
        lines.append(f"| {example['name']} | {before} | {after} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
