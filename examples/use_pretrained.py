"""Use a pretrained bundle from a script: top-10 recommendations and similar artists.

    python examples/use_pretrained.py                    # the local artifacts/ folder
    python examples/use_pretrained.py alice/lastfm-recs  # a Hub repo (downloaded once, cached)
    python examples/use_pretrained.py alice/lastfm-recs v1   # a branch, tag or commit

Needs the network only the first time a Hub bundle is used.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

import recommenders  # noqa: E402
from recommenders.errors import BundleError, RecommenderInputError  # noqa: E402

LIKED = ["Radiohead", "Muse"]


def main(argv: list[str]) -> int:
    source = argv[1] if len(argv) > 1 else str(ROOT / "artifacts")
    revision = argv[2] if len(argv) > 2 else None
    try:
        bundle = recommenders.load(source, revision=revision)
    except (BundleError, RecommenderInputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    model = bundle.default_model  # what the app serves; any of bundle.model_names works

    picks = bundle.recommend(model, liked=LIKED, k=10)
    print(f"Top 10 from {model!r} for someone who likes {' + '.join(LIKED)}:")
    print(picks[["rank", "name", "explanation"]].to_string(index=False))

    similar = bundle.similar_artists(model, LIKED[0], k=10)
    print(f"\nArtists similar to {LIKED[0]} ({model!r}):")
    print(similar[["rank", "name", "listeners"]].to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
