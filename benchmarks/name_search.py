"""Names in any alphabet: does the picker's search find the artist people mean, at what cost?

    python -m benchmarks.name_search [--baseline REV] [--runs 3] [--rounds 10] [--record-as NAME]

On the real catalog (names, listeners, ``offered`` and ``aliases`` as the build writes them):
- ranks: 44 queries of our choosing (names in their own script, partly typed Hangul and kana,
  romanised readings, aliases from the tags, reviewed aliases) → the rank of the artist meant
  among the first 20 suggestions, before (REV's code) and after (this tree);
- false matches: the 244 real artists newer than the catalog (benchmarks.matching_speed) — how many
  ``match`` attaches (histories, Recommend; must stay 0) and how many get a first suggestion that
  claims the same name (score ≥ 95: same name, alias or reading);
- cost: index build, search latency p50/p99 over the matching benchmark's 50 typeahead queries
  plus these 44, RSS growth of the build, and the time to import the package — each measured in
  fresh worker processes, REV's and this tree's alternately (``--runs`` each), on one machine.
Writes benchmarks/results/name_search.json, the README block (``readme_table``), recorded with
``--baseline e86eeed`` (the code before names in other scripts); ``--record-as NAME`` writes
benchmarks/results/NAME.json instead, for a comparison with another baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOWN = 20

# (typed, kind, the artists meant: a set when two catalog entries are the same artist)
QUERIES: list[tuple[str, str, tuple[str, ...]]] = [
    ("동방신기", "own script", ("동방신기",)),
    ("소녀시대", "own script", ("소녀시대",)),
    ("いきものがかり", "own script", ("いきものがかり",)),
    ("東方神起", "own script", ("東方神起",)),
    ("Король и Шут", "own script", ("Король и Шут",)),
    ("ДДТ", "own script", ("ДДТ",)),
    ("Άννα Βισση", "own script", ("Άννα Βισση",)),
    ("Αννα Βισση", "own script", ("Άννα Βισση",)),
    ("동바", "partly typed", ("동방신기",)),
    ("손", "partly typed", ("소녀시대",)),
    ("티아", "partly typed", ("티아라",)),
    ("ぎるがめ", "partly typed", ("ギルガメッシュ",)),
    ("とうほうしんき", "partly typed", ("東方神起",)),
    ("浜崎", "partly typed", ("浜崎あゆみ",)),
    ("宇多田", "partly typed", ("宇多田ヒカル",)),
    ("Μιχάλης", "partly typed", ("Μιχάλης Χατζηγιάννης",)),
    ("dong bang shin", "romanised", ("동방신기",)),
    ("dongbangsingi", "romanised", ("동방신기",)),
    ("so nyeo shi dae", "romanised", ("소녀시대",)),
    ("korol i shut", "romanised", ("Король и Шут",)),
    ("zemfira", "romanised", ("Zемфира",)),
    ("kino", "romanised", ("Кино",)),
    ("leningrad", "romanised", ("Ленинград",)),
    ("anna vissi", "romanised", ("Άννα Βισση",)),
    ("mihalis hatzigiannis", "romanised", ("Μιχάλης Χατζηγιάννης",)),
    ("tokyo jihen", "romanised", ("東京事変",)),
    ("ryuichi sakamoto", "romanised", ("坂本龍一", "Ryuichi Sakamoto")),
    ("shiina ringo", "romanised", ("椎名林檎",)),
    ("hikaru utada", "romanised", ("宇多田ヒカル",)),
    ("nobuo uematsu", "romanised", ("植松伸夫",)),
    ("wang fei", "romanised", ("王菲",)),
    ("ayumi hamasaki", "alias (tag)", ("浜崎あゆみ",)),
    ("namie amuro", "alias (tag)", ("安室奈美恵",)),
    ("koda kumi", "alias (tag)", ("倖田來未",)),
    ("morning musume", "alias (tag)", ("モーニング娘。",)),
    ("rhcp", "alias (tag)", ("Red Hot Chili Peppers",)),
    ("soad", "alias (tag)", ("System of a Down",)),
    ("30stm", "alias (tag)", ("30 Seconds to Mars",)),
    ("tvxq", "alias (reviewed)", ("동방신기", "東方神起")),
    ("dbsk", "alias (reviewed)", ("동방신기", "東方神起")),
    ("girls generation", "alias (reviewed)", ("소녀시대",)),
    ("snsd", "alias (reviewed)", ("소녀시대",)),
    ("faye wong", "alias (reviewed)", ("王菲",)),
    ("joe hisaishi", "alias (reviewed)", ("久石譲",)),
]
SAME_NAME_SCORE = 95  # SCORE_OTHER_NAME and above: the suggestion claims to be the same name


# -- the worker: one fresh process over one tree's code ------------------------------------------
def worker(catalog_path: Path, queries_path: Path, rounds: int) -> dict:
    """Runs inside a fresh interpreter whose ``recommenders`` is the tree under test."""
    import numpy as np
    import pandas as pd
    import psutil

    start = time.perf_counter()
    from recommenders.matching import ArtistMatcher

    import_s = time.perf_counter() - start
    catalog = pd.read_parquet(catalog_path)
    spec = json.loads(queries_path.read_text(encoding="utf-8"))
    aliases = catalog["aliases"].map(list)
    rss = psutil.Process().memory_info().rss
    start = time.perf_counter()
    try:
        matcher = ArtistMatcher(catalog["name"], catalog["listeners"], catalog["offered"], aliases)
    except TypeError:  # code from before aliases existed
        matcher = ArtistMatcher(catalog["name"], catalog["listeners"], catalog["offered"])
    build_s = time.perf_counter() - start
    rss_mb = (psutil.Process().memory_info().rss - rss) / 2**20
    for query in spec["timed"]:  # warm-up
        matcher.search(query)
    latencies = []
    for _ in range(rounds):
        for query in spec["timed"]:
            start = time.perf_counter()
            matcher.search(query)
            latencies.append((time.perf_counter() - start) * 1000)
    found = {q: [m.name for m in matcher.search(q, SHOWN)] for q in spec["ranked"]}
    absent = spec["absent"]
    attached = [a for a, m in zip(absent, matcher.match_many(absent), strict=True) if m]
    claims = []
    for name in absent:
        first = matcher.search(name, 1)
        if first and first[0].score >= SAME_NAME_SCORE:
            claims.append(f"{name} → {first[0].name}")
    return {
        "import_s": import_s,
        "build_s": build_s,
        "rss_mb": rss_mb,
        "p50_ms": float(np.percentile(latencies, 50)),
        "p99_ms": float(np.percentile(latencies, 99)),
        "found": found,
        "attached": attached,
        "same_name_claims": claims,
    }


def run_worker(tree: Path, catalog_path: Path, queries_path: Path, rounds: int) -> dict:
    """This file run as a script in a fresh interpreter with ``tree`` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(catalog_path),
               str(queries_path), str(rounds)]  # fmt: skip
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def baseline_tree(rev: str, into: Path) -> Path:
    """``recommenders/`` as it was at ``rev`` (git archive), for the "before" workers."""
    archive = subprocess.run(
        ["git", "archive", rev, "recommenders"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


# -- the run -----------------------------------------------------------------------------------
def rank(found: list[str], meant: tuple[str, ...]) -> int | None:
    return next((i + 1 for i, name in enumerate(found) if name in meant), None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default="", help="git revision before (default: main)")
    parser.add_argument("--runs", type=int, default=3, help="worker processes per side")
    parser.add_argument("--rounds", type=int, default=10, help="passes over the timed queries")
    parser.add_argument(
        "--record-as", default="name_search", help="result file name (benchmarks/results/NAME.json)"
    )
    args = parser.parse_args(argv)

    from benchmarks.matching_speed import SEARCH_QUERIES, absent_artists
    from benchmarks.results import machine, record
    from recommenders.catalog import build_catalog
    from recommenders.data import load_dataset
    from recommenders.matching import ArtistMatcher

    started = machine()
    rev = (
        args.baseline
        or subprocess.run(
            ["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    )
    start = time.perf_counter()
    catalog = build_catalog(load_dataset(ROOT / "data"))
    catalog_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp)
        catalog_path, queries_path = temp / "catalog.parquet", temp / "queries.json"
        catalog[["name", "listeners", "offered", "aliases"]].to_parquet(catalog_path)
        spec = {
            "timed": [*SEARCH_QUERIES, *(q for q, _, _ in QUERIES)],
            "ranked": [q for q, _, _ in QUERIES],
            "absent": absent_artists(catalog["name"]),
        }
        queries_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
        before_tree = baseline_tree(rev, temp / "before")
        runs: dict[str, list[dict]] = {"before": [], "after": []}
        for run in range(args.runs):  # alternate, so a busy spell hits both sides alike
            for side in ["before", "after"] if run % 2 == 0 else ["after", "before"]:
                tree = before_tree if side == "before" else ROOT
                runs[side].append(run_worker(tree, catalog_path, queries_path, args.rounds))
                print(f"run {run + 1} {side}: build {runs[side][-1]['build_s']:.2f} s", flush=True)

    names = catalog["name"]
    aliased = catalog["aliases"].map(len) > 0
    matcher = ArtistMatcher(names, catalog["listeners"], catalog["offered"], catalog["aliases"])
    rows = []
    for query, kind, meant in QUERIES:
        after = matcher.search(query, SHOWN)
        hit = next((m for m in after if m.name in meant), None)
        rows.append(
            {
                "query": query,
                "kind": kind,
                "meant": " / ".join(meant),
                "rank_before": rank(runs["before"][0]["found"][query], meant),
                "rank_after": rank([m.name for m in after], meant),
                "found_as": hit.known_as if hit and hit.known_as else ("its name" if hit else ""),
            }
        )

    def median(side: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[side])

    cost = {
        key: {side: median(side, key) for side in runs}
        for key in ("build_s", "p50_ms", "p99_ms", "rss_mb", "import_s")
    }
    data = {
        "baseline": rev,
        "queries": rows,
        "absent_names": len(spec["absent"]),
        "absent_attached": {s: runs[s][0]["attached"] for s in runs},
        "absent_same_name_claims": {s: runs[s][0]["same_name_claims"] for s in runs},
        "cost_medians": cost,
        "cost_runs": {s: [{k: r[k] for k in cost} for r in runs[s]] for s in runs},
        "catalog_build_s": catalog_s,
        "artists_with_aliases": int(aliased.sum()),
        "aliases": int(catalog["aliases"].map(len).sum()),
    }
    path = record(args.record_as, data, started)
    print(full_table(data))
    print(f"\nwrote {path.relative_to(ROOT)}")
    return 0


# -- markdown ------------------------------------------------------------------------------------
def full_table(data: dict | None = None) -> str:
    """Every query: rank before → after and what it was found as."""
    data = data or _load()
    lines = ["| typed | kind | artist meant | rank before | rank after | found as |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for row in data["queries"]:
        before, after = (row[k] or "–" for k in ("rank_before", "rank_after"))
        lines.append(
            f"| {row['query']} | {row['kind']} | {row['meant']} | {before} | {after} | "
            f"{row['found_as']} |"
        )
    return "\n".join(lines)


def readme_table() -> str:
    """The README block: first-rank share by kind of query, false matches, and the cost."""
    data = _load()
    rows, cost = data["queries"], data["cost_medians"]
    kinds = list(dict.fromkeys(r["kind"] for r in rows))
    lines = ["| typed | queries | 1st before | 1st after | e.g. |", "|---|---|---|---|---|"]
    for kind in kinds:
        of_kind = [r for r in rows if r["kind"] == kind]
        first = {s: sum(r[f"rank_{s}"] == 1 for r in of_kind) for s in ("before", "after")}
        example = ", ".join(f"`{r['query']}` → {r['meant'].split(' / ')[0]}" for r in of_kind[:2])
        lines.append(
            f"| {kind} | {len(of_kind)} | {first['before']} | {first['after']} | {example} |"
        )
    first = {s: sum(r[f"rank_{s}"] == 1 for r in rows) for s in ("before", "after")}
    lines.append(f"| **all** | {len(rows)} | {first['before']} | {first['after']} | |")
    processes = len(data["cost_runs"]["after"])
    attached = data["absent_attached"]["after"]
    claims = data["absent_same_name_claims"]["after"]
    lines += [
        "",
        f"Of the {data['absent_names']} real artists newer than the catalog, {len(attached)} "
        f"attached by name (uploads, Recommend) and {len(claims)} got a first suggestion "
        "claiming the same name. Search p50 / p99 "
        f"{cost['p50_ms']['before']:.2f} / {cost['p99_ms']['before']:.2f} ms → "
        f"{cost['p50_ms']['after']:.2f} / {cost['p99_ms']['after']:.2f} ms; index build "
        f"{cost['build_s']['before']:.2f} s → {cost['build_s']['after']:.2f} s (built after the "
        f"server answers, `Bundle.warm_up`), +{cost['rss_mb']['after']:.0f} MB resident "
        f"(before: +{cost['rss_mb']['before']:.0f} MB); medians of {processes} fresh processes "
        "per side, alternating, on a shared 2-core machine.",
    ]
    return "\n".join(lines)


def _load() -> dict:
    from benchmarks.results import load

    return load("name_search")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        result = worker(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
        print(json.dumps(result, ensure_ascii=False))
        sys.exit(0)
    sys.exit(main())
