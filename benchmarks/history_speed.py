"""How fast, and in how much memory, `read_history` reads a big Spotify export.

Generates, in a temporary folder deleted afterwards, a realistic Extended streaming history of
1,000,000 streams: a zip (`my_spotify_data.zip`) of `Streaming_History_Audio_*.json` files of
about 15,000 records each, as Spotify splits them, plus the account files read_history must
skip. About 5,000 artists follow a Zipf-like distribution and include Cyrillic, Japanese, Korean,
Arabic and accented names; about 5 % of the streams are podcast episodes (no artist) and about
25 % are skips shorter than 30 s.

Each measurement runs in a fresh Python process so that peak memory is not hidden by an earlier
run: extra memory = the process's peak RSS (VmHWM) minus its RSS just before the call. CPU time
(both threads) is shown beside wall time because a shared machine inflates the latter. The table
shows the median of the runs (3 by default).

    python benchmarks/history_speed.py [--streams 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import orjson

RECORDS_PER_FILE = 15_000
N_ARTISTS = 5_000
PODCAST_SHARE = 0.05
SKIP_SHARE = 0.25
TARGET_SECONDS = 3.0
TARGET_EXTRA_MB = 400.0
TARGET_VISIT_SECONDS = 5.0  # read_history + match_history + one recommendation
TARGET_VISIT_EXTRA_MB = 500.0

SCRIPTS = {
    "latin": "abcdefghijklmnopqrstuvwxyz",
    "accented": "aáàâäåãæçéèêëíìîïñóòôöøõúùûüýÿ",
    "cyrillic": "абвгдеёжзийклмнопрстуфхцчшщыэюя",
    "japanese": "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむ宇多田光",
    "korean": "가나다라마바사아자차카타파하방탄소년단",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
}
SCRIPT_WEIGHTS = (0.6, 0.15, 0.1, 0.07, 0.05, 0.03)
PLATFORMS = ("android", "ios", "windows", "osx", "web_player")
REASONS_START = ("trackdone", "clickrow", "fwdbtn", "playbtn", "appload")
REASONS_END = ("trackdone", "fwdbtn", "endplay", "logout")


def artist_names(rng: random.Random, real: list[str] | None = None) -> list[str]:
    """N_ARTISTS distinct names in several scripts, some differing from another only by case;
    with ``real``, those catalog names are spread among them (every 3rd name from 2,000 on, so
    a listener's favourites are mostly, not only, in the 2011 catalog)."""
    names: list[str] = []
    seen: set[str] = set()
    scripts = list(SCRIPTS)
    while len(names) < N_ARTISTS:
        script = rng.choices(scripts, SCRIPT_WEIGHTS)[0]
        words = [
            "".join(rng.choices(SCRIPTS[script], k=rng.randint(2, 8)))
            for _ in range(rng.randint(1, 3))
        ]
        name = " ".join(words).title()
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    for i in range(0, 200, 10):  # case variants that read_history must merge
        names[i + 1000] = names[i].upper()
    for slot, name in zip(range(0, N_ARTISTS, 3), real or [], strict=False):
        if slot not in range(1000, 1200):
            names[slot] = name
    return names


def stream_records(n_streams: int, seed: int = 0, real: list[str] | None = None) -> list[dict]:
    """n_streams Extended streaming history records, in time order."""
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    names = artist_names(rng, real)
    weights = 1.0 / np.arange(1, N_ARTISTS + 1) ** 1.07
    artist_index = np_rng.choice(N_ARTISTS, size=n_streams, p=weights / weights.sum())
    kind = np_rng.random(n_streams)
    durations = np_rng.integers(30_000, 420_000, size=n_streams)
    skips = np_rng.integers(0, 30_000, size=n_streams)
    start = datetime(2014, 1, 1, tzinfo=UTC)
    step = timedelta(days=10 * 365) / n_streams
    records = []
    for i in range(n_streams):
        ts = (start + step * i).strftime("%Y-%m-%dT%H:%M:%SZ")
        podcast = kind[i] < PODCAST_SHARE
        skipped = PODCAST_SHARE <= kind[i] < PODCAST_SHARE + SKIP_SHARE
        artist = names[artist_index[i]]
        records.append(
            {
                "ts": ts,
                "platform": PLATFORMS[i % len(PLATFORMS)],
                "ms_played": int(skips[i] if skipped else durations[i]),
                "conn_country": "DE",
                "ip_addr": "192.0.2.1",
                "master_metadata_track_name": None if podcast else f"Track {i % 97}",
                "master_metadata_album_artist_name": None if podcast else artist,
                "master_metadata_album_album_name": None if podcast else f"Album {i % 13}",
                "spotify_track_uri": None if podcast else f"spotify:track:{i:022d}",
                "episode_name": f"Episode {i % 300}" if podcast else None,
                "episode_show_name": "Some Show" if podcast else None,
                "spotify_episode_uri": f"spotify:episode:{i:022d}" if podcast else None,
                "audiobook_title": None,
                "audiobook_uri": None,
                "audiobook_chapter_uri": None,
                "audiobook_chapter_title": None,
                "reason_start": REASONS_START[i % len(REASONS_START)],
                "reason_end": REASONS_END[i % len(REASONS_END)],
                "shuffle": bool(i % 2),
                "skipped": bool(skipped),
                "offline": False,
                "offline_timestamp": None,
                "incognito_mode": False,
            }
        )
    return records


def four_space_indent(body: bytes) -> bytes:
    """Spotify indents its JSON by 4 spaces; orjson only knows 2."""
    return re.sub(rb"\n( +)", lambda match: b"\n" + match[1] * 2, body)


def write_export(path: Path, n_streams: int, real: list[str] | None = None) -> dict[str, float]:
    """Write the zip; return its size and the expected number of counted plays."""
    records = stream_records(n_streams, real=real)
    folder = "Spotify Extended Streaming History/"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part, begin in enumerate(range(0, n_streams, RECORDS_PER_FILE)):
            chunk = records[begin : begin + RECORDS_PER_FILE]
            years = f"{chunk[0]['ts'][:4]}-{chunk[-1]['ts'][:4]}"
            body = four_space_indent(orjson.dumps(chunk, option=orjson.OPT_INDENT_2))
            archive.writestr(f"{folder}Streaming_History_Audio_{years}_{part}.json", body)
        archive.writestr(f"{folder}ReadMeFirst_ExtendedStreamingHistory.pdf", b"%PDF-1.4 ...")
        archive.writestr("Spotify Account Data/Userdata.json", b'{"username": "someone"}')
        archive.writestr("Spotify Account Data/Playlist1.json", b'{"playlists": []}')
    counted = sum(
        1 for r in records if r["master_metadata_album_artist_name"] and r["ms_played"] >= 30_000
    )
    uncompressed = 0
    with zipfile.ZipFile(path) as archive:
        uncompressed = sum(info.file_size for info in archive.infolist())
    return {
        "zip_mb": path.stat().st_size / 2**20,
        "uncompressed_mb": uncompressed / 2**20,
        "plays": counted,
    }


def peak_rss_bytes() -> int:
    """This process's peak resident set size (Linux VmHWM; unlike ru_maxrss it is not inherited
    from the parent that spawned the process)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status (this benchmark needs Linux)")


def measure_once(zip_path: Path, bundle_dir: Path | None = None) -> dict[str, float]:
    """Run read_history once in this process (and, with a bundle, match_history and one
    recommendation from the matched artists): seconds, extra peak RSS in MB, output size.
    The bundle is loaded before the clock starts: that is the server's start, not a visit."""
    import psutil

    import recommenders
    from recommenders.history import read_history

    bundle = recommenders.load(bundle_dir) if bundle_dir else None
    rss_before = psutil.Process().memory_info().rss
    start, cpu_start = time.perf_counter(), time.process_time()
    table = read_history(zip_path)
    read_seconds = time.perf_counter() - start
    out = {"artists": len(table), "plays": int(table["plays"].sum())}
    if bundle is not None:
        found = bundle.match_history(table)
        out["match_seconds"] = time.perf_counter() - start - read_seconds
        top = found.matched.head(50)  # the picker keeps the 50 most played
        bundle.recommend(bundle.default_model, liked=top[["artist_id", "plays"]], k=10)
        out["matched"] = len(found.matched)
    out["seconds"] = time.perf_counter() - start
    out["read_seconds"] = read_seconds
    out["cpu_seconds"] = time.process_time() - cpu_start
    out["extra_mb"] = (peak_rss_bytes() - rss_before) / 2**20
    return out


def measure_in_subprocess(zip_path: Path, bundle_dir: Path | None) -> dict[str, float]:
    root = Path(__file__).resolve().parents[1]
    extra = ["--bundle", str(bundle_dir)] if bundle_dir else []
    output = subprocess.run(
        [sys.executable, __file__, "--measure-once", str(zip_path), *extra],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--bundle", type=Path, help="also match to this bundle and recommend (the whole visit)"
    )
    parser.add_argument("--measure-once", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    if args.measure_once:
        print(json.dumps(measure_once(args.measure_once, args.bundle)))
        return
    real = None
    if args.bundle:
        import recommenders

        real = recommenders.load(args.bundle).top_artists(1500)

    with tempfile.TemporaryDirectory(prefix="history-speed-") as folder:
        zip_path = Path(folder) / "my_spotify_data.zip"
        start = time.perf_counter()
        export = write_export(zip_path, args.streams, real)
        print(
            f"generated {args.streams:,} streams in {time.perf_counter() - start:.1f} s: "
            f"zip {export['zip_mb']:.1f} MB, uncompressed {export['uncompressed_mb']:.1f} MB, "
            f"{export['plays']:,} plays of at least 30 s"
        )
        runs = [measure_in_subprocess(zip_path, args.bundle) for _ in range(args.runs)]
    if any(run["plays"] != export["plays"] for run in runs):
        raise SystemExit(f"read_history counted {runs[0]['plays']} plays, not {export['plays']}")
    seconds = statistics.median(run["seconds"] for run in runs)
    cpu_seconds = statistics.median(run["cpu_seconds"] for run in runs)
    extra_mb = statistics.median(run["extra_mb"] for run in runs)
    print()
    what = "read_history + match + recommend" if args.bundle else "read_history"
    target_seconds = TARGET_VISIT_SECONDS if args.bundle else TARGET_SECONDS
    target_mb = TARGET_VISIT_EXTRA_MB if args.bundle else TARGET_EXTRA_MB
    print(f"| {what} ({args.runs} runs, median) | measured | target |")
    print("|---|---|---|")
    print(f"| wall time (s) | {seconds:.2f} | ≤ {target_seconds:.0f} |")
    if args.bundle:
        read = statistics.median(run["read_seconds"] for run in runs)
        match = statistics.median(run["match_seconds"] for run in runs)
        print(f"| of which read / match (s) | {read:.2f} / {match:.2f} | |")
        print(f"| artists matched to the catalog | {runs[0]['matched']:,} | |")
    print(f"| CPU time, all threads (s) | {cpu_seconds:.2f} | |")
    print(f"| extra peak memory (MB) | {extra_mb:.0f} | ≤ {target_mb:.0f} |")
    print(f"| artists / plays | {runs[0]['artists']:,} / {runs[0]['plays']:,} | |")
    print("wall time of each run (s): " + ", ".join(f"{run['seconds']:.2f}" for run in runs))
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    from benchmarks.results import record

    record(
        "history_speed" + ("_visit" if args.bundle else ""),
        {
            "streams": args.streams,
            "export": export,
            "targets": {"seconds": target_seconds, "extra_mb": target_mb},
            "runs": runs,
            "median": {"seconds": seconds, "cpu_seconds": cpu_seconds, "extra_mb": extra_mb},
        },
    )


if __name__ == "__main__":
    main()
