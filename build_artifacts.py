"""Build the artifact bundle: data → Spotify enrichment → fit all models → evaluate → artifacts/.

    python build_artifacts.py                 # full build with evaluation (a few minutes)
    python build_artifacts.py --fast          # small settings, one evaluation seed (< 1 minute)
    python build_artifacts.py --push-to-hub USER/REPO [--private] [--revision BRANCH]
    python build_artifacts.py --push-only --push-to-hub USER/REPO   # push the bundle in --out

Spotify: with SPOTIPY_CLIENT_ID / SPOTIPY_CLIENT_SECRET set, artists missing from the offline
seed are looked up live and cached under data/spotify/cache/ (a rerun resumes); without them the
offline seed is used.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from tqdm import tqdm

from recommenders.errors import BundleError, DataValidationError, RecommenderInputError
from recommenders.models import MODEL_NAMES
from recommenders.pipeline import BuildConfig, build

ROOT = Path(__file__).resolve().parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data", help="dataset folder")
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts", help="bundle folder")
    parser.add_argument("--fast", action="store_true", help="small settings for tests and demos")
    parser.add_argument("--seed", type=int, default=0, help="seed of every model (default 0)")
    parser.add_argument("--skip-eval", action="store_true", help="no offline evaluation")
    parser.add_argument(
        "--models", nargs="+", choices=MODEL_NAMES, default=MODEL_NAMES, help="models to build"
    )
    parser.add_argument("--spotify-cache", type=Path, default=None, help="Spotify answers cache")
    parser.add_argument(
        "--offline", action="store_true", help="never call the Spotify API, even with credentials"
    )
    parser.add_argument("--push-to-hub", metavar="USER/REPO", help="upload the bundle to the Hub")
    parser.add_argument("--private", action="store_true", help="create the Hub repo as private")
    parser.add_argument("--revision", default=None, help="Hub branch to push to")
    parser.add_argument(
        "--push-only", action="store_true", help="push the bundle already in --out, no build"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    if args.push_only and not args.push_to_hub:
        parser.error("--push-only needs --push-to-hub USER/REPO")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.push_to_hub:
        from recommenders.hub import check_repo_id

        try:
            check_repo_id(args.push_to_hub)  # fail in seconds, not after a whole build
        except RecommenderInputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.quiet and args.push_to_hub:
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
    if args.push_only:
        return push(args)
    config = BuildConfig(
        seed=args.seed,
        fast=args.fast,
        evaluate=not args.skip_eval,
        models=tuple(args.models),
        spotify_live=False if args.offline else None,
    )

    def stage(description: str, total: int) -> tqdm:
        return tqdm(total=total, desc=description, disable=args.quiet, file=sys.stderr)

    try:
        manifest = build(config, args.data_dir, args.out, args.spotify_cache, stage=stage)
    except (DataValidationError, BundleError, RecommenderInputError) as exc:
        print(f"error: {exc}\nNothing was written to {args.out}.", file=sys.stderr)
        return 2
    print(
        f"Wrote {args.out} ({len(manifest['files'])} files) in {manifest['timings']['total']:.1f} s"
    )
    for name, result in manifest["metrics"].items():
        mean = result["mean"]
        print(
            f"  {name:<11} NDCG@10 {mean['ndcg']:.4f}  P@10 {mean['precision']:.4f}  "
            f"R@10 {mean['recall']:.4f}  coverage {mean['coverage']:.3f}"
        )
    return push(args) if args.push_to_hub else 0


def push(args: argparse.Namespace) -> int:
    """Push the bundle in ``args.out``; on failure say how to retry without rebuilding."""
    from recommenders.hub import push_bundle

    try:
        url = push_bundle(args.out, args.push_to_hub, private=args.private, revision=args.revision)
    except (BundleError, RecommenderInputError) as exc:
        retry = f"python build_artifacts.py --push-only --push-to-hub {args.push_to_hub}"
        retry += f" --out {args.out}" if args.out != ROOT / "artifacts" else ""
        retry += f" --revision {args.revision}" if args.revision else ""
        retry += " --private" if args.private else ""
        print(
            f"error: {exc}\nThe bundle is still in {args.out}; to push it without rebuilding: "
            f"{retry}",
            file=sys.stderr,
        )
        return 2
    print(f"Pushed to {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
