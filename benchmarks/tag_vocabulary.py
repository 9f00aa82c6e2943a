"""The genre vocabulary in numbers: how many tags it keeps, why the others go, random examples.

    python -m benchmarks.tag_vocabulary [--seed 0] [--examples 20]

Builds `recommenders.tag_vocabulary.tag_vocabulary` from the raw Last.fm files and records to
benchmarks/results/tag_vocabulary.json: its size, the number of tags dropped for each reason,
seeded random examples of kept tags, of dropped tags (any reason) and of tags dropped by the
reviewed blocklist rules although enough people use them, and how many artists keep at least
one tag on their card.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.results import load, machine, record
from recommenders.data import load_dataset, top_tags
from recommenders.tag_vocabulary import MIN_ARTISTS, MIN_USERS, TOO_FEW, genre_tags, tag_vocabulary

ROOT = Path(__file__).resolve().parents[1]
NAME = "tag_vocabulary"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--examples", type=int, default=20)
    args = parser.parse_args(argv)
    started = machine()
    data = load_dataset(args.data_dir)
    vocabulary = tag_vocabulary(data)
    rng = np.random.default_rng(args.seed)

    def sample(tags: list[str], with_reason: bool) -> list[Any]:
        picked = sorted(rng.choice(len(tags), min(args.examples, len(tags)), replace=False))
        chosen = [sorted(tags)[i] for i in picked]
        return [[t, vocabulary.dropped[t]] for t in chosen] if with_reason else chosen

    dropped = list(vocabulary.dropped)
    reviewed = [t for t, why in vocabulary.dropped.items() if why != TOO_FEW]
    artists = set(data.artists["artist_id"])
    raw, kept = top_tags(data), genre_tags(data, vocabulary=vocabulary.kept)
    record(
        NAME,
        {
            "tags": len(data.tags),
            "min_users": MIN_USERS,
            "min_artists": MIN_ARTISTS,
            "kept": len(vocabulary.kept),
            "dropped_by_reason": dict(Counter(vocabulary.dropped.values()).most_common()),
            "artists_with_a_tag_raw": len(set(raw.index) & artists),
            "artists_with_a_tag_kept": len(set(kept.index) & artists),
            "examples_seed": args.seed,
            "kept_examples": sample(sorted(vocabulary.kept), with_reason=False),
            "dropped_examples": sample(dropped, with_reason=True),
            "dropped_by_review_examples": sample(reviewed, with_reason=True),
        },
        started,
    )
    print(summary())
    return 0


def readme_line() -> str:
    """The README's one line on the vocabulary (a results block)."""
    found = load(NAME)
    return (
        f"{found['kept']:,} of the {found['tags']:,} Last.fm tags are kept "
        "(`python -m benchmarks.tag_vocabulary`).\n"
    )


def summary() -> str:
    """The recorded vocabulary as markdown (for notes and the README)."""
    found = load(NAME)
    reasons = "; ".join(f"{why}: {n:,}" for why, n in found["dropped_by_reason"].items())
    lines = [
        f"{found['kept']:,} of {found['tags']:,} tags kept (at least {found['min_users']} users "
        f"on at least {found['min_artists']} artists, and not blocklisted). Dropped — {reasons}. "
        f"Artists (of artists.dat) with at least one tag: {found['artists_with_a_tag_raw']:,} "
        f"raw → {found['artists_with_a_tag_kept']:,} genre.",
        "",
        f"Kept (random, seed {found['examples_seed']}): " + ", ".join(found["kept_examples"]),
        "",
        "Dropped (random): " + "; ".join(f"{t} ({why})" for t, why in found["dropped_examples"]),
        "",
        "Dropped by the review although enough people use them (random): "
        + "; ".join(f"{t} ({why})" for t, why in found["dropped_by_review_examples"]),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
