"""The Hub model card (README.md) of an artifact bundle, written from its manifest alone.

Everything the card states (models, settings, seeds, data hashes, package versions, metrics) is
read from the manifest, so the card always describes the files it is uploaded with. Building it
needs no network and no template engine.
"""

from __future__ import annotations

import json
from typing import Any

from huggingface_hub import ModelCard, ModelCardData

from recommenders.models import DEFAULT_MODEL_ORDER

LIBRARY_NAME = "lastfm-recommenders"
TAGS = [
    "recommender-system",
    "music",
    "lastfm",
    "collaborative-filtering",
    "pytorch",
    "scikit-learn",
]
DATASET = "hetrec2011-lastfm-2k"
DATASET_URL = "https://grouplens.org/datasets/hetrec-2011/"
LICENSE_NAME = "hetrec2011-lastfm-non-commercial"
TABLE_METRICS = ["precision", "recall", "ndcg", "map", "coverage", "novelty"]
# Per-taste columns: NDCG for niche / mainstream listeners, their popularity lift, genre probes.
TASTE_METRICS = {
    "ndcg_niche": "NDCG niche",
    "ndcg_mainstream": "NDCG mainstream",
    "popularity_lift_niche": "popularity lift niche",
    "probe_share": "genre probe share",
}

MODEL_DESCRIPTIONS = {
    "popularity": (
        "Baseline: recommends the artists with the most listeners that the user does not know yet."
    ),
    "clustering": (
        "scikit-learn KMeans over TruncatedSVD user vectors (idf-weighted log listening counts); "
        "a user is softly assigned to the nearest clusters and gets the artists their members "
        "listen to."
    ),
    "svd": (
        "scikit-surprise SVD on implicit ratings (scaled log counts plus sampled negatives); a new "
        "listener is folded in by solving for their user vector from the artists they picked."
    ),
    "fusion": (
        "The default: the softmax network's and SVD's standardised scores mixed (SVD weight "
        "chosen on a validation split), minus a popularity term that is strongest for niche "
        "profiles, so niche listeners are not pulled to the mainstream."
    ),
    "softmax": (
        "PyTorch network: a multi-hot listening profile → hidden layer(s) → softmax over all "
        "artists, trained to reconstruct masked-out artists of each user (Mult-DAE); scoring "
        "runs in numpy on the saved weights."
    ),
}


def build_model_card(manifest: dict[str, Any], repo_id: str | None = None) -> ModelCard:
    """The model card for the bundle described by ``manifest`` (as written by write_manifest).

    ``repo_id`` only fills the usage snippet; without it the snippet says "user/repo".
    """
    names = list(manifest.get("models") or MODEL_DESCRIPTIONS)
    data = ModelCardData(
        library_name=LIBRARY_NAME,
        tags=list(TAGS),
        license="other",
        license_name=LICENSE_NAME,
        license_link=DATASET_URL,
        datasets=[DATASET],
    )
    body = "\n\n".join(
        [
            "# Last.fm artist recommenders",
            f"{_count(len(names))} music-artist recommender{'s' if len(names) > 1 else ''} "
            "trained on the Last.fm hetrec2011-lastfm-2k dataset "
            "(listening counts of 1,892 users for 17,632 artists, 2011), enriched with Spotify "
            "genres. The files form one artifact bundle: `manifest.json` records the SHA-256 of "
            "every other file, and nothing is a pickle (tables are parquet, weights safetensors, "
            "settings JSON).",
            _license_section(),
            _models_section(names),
            _usage_section(repo_id or "user/repo", _default_model(manifest, names)),
            _training_section(manifest),
            _evaluation_section(manifest),
            _limitations_section(),
            _citation_section(),
        ]
    )
    return ModelCard(f"---\n{data.to_yaml()}\n---\n\n{body}\n")


def _default_model(manifest: dict[str, Any], names: list[str]) -> str:
    """The model the bundle serves by default (older manifests do not record it)."""
    recorded = manifest.get("default_model")
    return recorded or next((m for m in DEFAULT_MODEL_ORDER if m in names), names[0])


def _license_section() -> str:
    return (
        "## License\n\n"
        "The code that produced these files is MIT-licensed, but the **data is for non-commercial "
        "use only** (hetrec2011-lastfm-2k terms, see "
        f"[GroupLens]({DATASET_URL})). These weights and tables are derived from it and inherit "
        "that restriction: do not use them commercially."
    )


def _models_section(names: list[str]) -> str:
    rows = [
        f"| `{name}` | {MODEL_DESCRIPTIONS.get(name, 'see the project source')} |" for name in names
    ]
    return "## Models\n\n| model | what it is |\n|---|---|\n" + "\n".join(rows)


def _usage_section(repo_id: str, model: str) -> str:
    return (
        "## Usage\n\n"
        "With this project's package installed (`pip install -r requirements.txt` in its repo):"
        "\n\n```python\n"
        "import recommenders\n\n"
        f'bundle = recommenders.load("{repo_id}")  # downloads once, then works offline\n'
        f'table = bundle.recommend("{model}", liked=["Radiohead", "Muse"], k=10)\n'
        'print(table[["rank", "name", "explanation"]])\n'
        f'print(bundle.similar_artists("{model}", "Radiohead", k=10)[["rank", "name"]])\n'
        "```\n\n"
        "Every file is checked against its SHA-256 in `manifest.json` before it is read."
    )


def _training_section(manifest: dict[str, Any]) -> str:
    config = manifest.get("config", {})
    lines = [
        "## Training",
        "",
        f"- Built: {manifest.get('created_at', 'unknown')}; bundle format version "
        f"{manifest.get('format_version', 'unknown')}.",
        f"- Seed of every model: {manifest.get('seed', config.get('seed', 'unknown'))}; "
        f"fast settings: {config.get('fast', 'unknown')}.",
        "- Build settings: " + _json_inline(config),
    ]
    for name, model_config in (manifest.get("model_configs") or {}).items():
        lines.append(f"- `{name}` settings: {_json_inline(model_config)}")
    hashes = manifest.get("data_hashes") or {}
    if hashes:
        lines += ["", "Input data (SHA-256):", "", "| file | sha256 |", "|---|---|"]
        lines += [f"| `{path}` | `{digest}` |" for path, digest in sorted(hashes.items())]
    versions = manifest.get("package_versions") or {}
    if versions:
        lines += ["", "Package versions: " + ", ".join(f"{k} {v}" for k, v in versions.items())]
    coverage = manifest.get("spotify_coverage") or {}
    if "artists_with_genres_share" in coverage and "rows_with_genres_share" in coverage:
        lines += [
            "",
            f"Spotify genres are known for {coverage['artists_with_genres_share']:.1%} of the "
            f"artists, covering {coverage['rows_with_genres_share']:.1%} of the listening rows.",
        ]
    return "\n".join(lines)


def _evaluation_section(manifest: dict[str, Any]) -> str:
    metrics = manifest.get("metrics") or {}
    head = "## Evaluation\n\n"
    if not metrics:
        return head + "This build was made without offline evaluation (`--skip-eval`)."
    k = next((r.get("k") for r in metrics.values() if isinstance(r, dict) and "k" in r), 10)
    seeds = sorted({s for r in metrics.values() for s in r.get("seeds", [])})
    protocol = (
        f"Protocol: a random 80/20 split of the user–artist pairs; for every user with a test "
        f"pair, all artists they did not listen to in training are ranked and the top {k} are "
        f"scored (binary relevance). Values are the mean ± standard deviation over "
        f"{len(seeds)} split seed(s) ({', '.join(map(str, seeds))}). Coverage is the share of the "
        "catalogue recommended to anyone; novelty is the mean self-information of the "
        "recommended artists (higher = less mainstream)."
    )
    taste = [m for m in TASTE_METRICS if any(m in r.get("mean", {}) for r in metrics.values())]
    header = "| model | " + " | ".join(f"{m}@{k}" for m in TABLE_METRICS[:4])
    header += " | " + " | ".join([*TABLE_METRICS[4:], *(TASTE_METRICS[m] for m in taste)]) + " |"
    lines = [header, "|---" * (len(TABLE_METRICS) + len(taste) + 1) + "|"]
    for name, result in metrics.items():
        mean, std = result.get("mean", {}), result.get("std", {})
        cells = [_mean_std(mean.get(m), std.get(m)) for m in [*TABLE_METRICS, *taste]]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return head + protocol + "\n\n" + "\n".join(lines)


def _limitations_section() -> str:
    return (
        "## Limitations and biases\n\n"
        "- The data is a 2011 snapshot: nothing released since exists in the catalogue, and tastes "
        "reflect that year.\n"
        "- 1,892 users, mostly young and European Last.fm users; recommendations reflect their "
        "tastes, not a general population's.\n"
        "- Popularity bias: collaborative models favour artists many users listen to; the default "
        "`fusion` model corrects for it on niche profiles, and the `popularity_penalty` option of "
        "`recommend` restricts lists to less listened artists.\n"
        "- Spotify genres and links were matched by artist name and can be wrong for artists with "
        "common or ambiguous names; a quarter of the artists have no Spotify match.\n"
        "- Offline metrics on a random split reward predicting what users already listened to; "
        "they say little about discovery or satisfaction."
    )


def _citation_section() -> str:
    return (
        "## Dataset and citation\n\n"
        f"[hetrec2011-lastfm-2k]({DATASET_URL}), released for the 2nd Workshop on Information "
        "Heterogeneity and Fusion in Recommender Systems (HetRec 2011), free for non-commercial "
        "use. Please cite the Last.fm website (http://www.last.fm) and:\n\n"
        "> Iván Cantador, Peter Brusilovsky, Tsvi Kuflik. *2nd Workshop on Information "
        "Heterogeneity and Fusion in Recommender Systems (HetRec 2011).* Proceedings of the 5th "
        "ACM Conference on Recommender Systems (RecSys 2011).\n\n"
        "```bibtex\n"
        "@inproceedings{hetrec2011,\n"
        "  author = {Cantador, Iv\\'{a}n and Brusilovsky, Peter and Kuflik, Tsvi},\n"
        "  title = {2nd Workshop on Information Heterogeneity and Fusion in Recommender Systems "
        "(HetRec 2011)},\n"
        "  booktitle = {Proceedings of the 5th ACM Conference on Recommender Systems},\n"
        "  series = {RecSys 2011},\n"
        "  year = {2011},\n"
        "  publisher = {ACM},\n"
        "}\n"
        "```"
    )


def _count(n: int) -> str:
    words = ["No", "One", "Two", "Three", "Four", "Five", "Six"]
    return words[n] if n < len(words) else str(n)


def _mean_std(mean: Any, std: Any) -> str:
    if not isinstance(mean, int | float):
        return "–"
    return f"{mean:.4f} ± {std:.4f}" if isinstance(std, int | float) else f"{mean:.4f}"


def _json_inline(value: Any) -> str:
    return "`" + json.dumps(value, sort_keys=True, default=str) + "`"
