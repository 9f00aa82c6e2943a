"""Speed and precision of the artist-name matcher on the real 17,632-name catalog.

    python -m benchmarks.matching_speed [--seed 0]

Prints markdown tables: search latency (p50/p99 over ~50 typeahead queries, several rounds),
match_many over 20,000 distinct names (catalog names re-spelled, with typos, absent), and match
precision: the share of 500 re-spelled catalog names attached to the right artist, and the share of
absent names wrongly attached (real artists newer than the 2011 catalog, and 200 catalog names
hidden from the matcher with ``offered``). Targets: search p50 < 5 ms, match_many < 1.5 s,
wrongly attached ≈ 0.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from recommenders.data import load_dataset
from recommenders.matching import ArtistMatcher, Match, compact, fold

ROOT = Path(__file__).resolve().parents[1]

SEARCH_QUERIES = [
    "r", "ra", "rad", "radioh", "radiohead", "Radiohed", "radoihead", "the b", "beatles",
    "acdc", "AC-DC", "bjork", "Björk", "Legiao", "Sigur Ros", "beyonce", "Motorhead",
    "guns n roses", "metalica", "pink floyd", "pnik floyd", "muse", "coldpaly", "lady gaga",
    "britney", "kanye", "daft punk", "the killers", "arctic monk", "red hot chili", "nirvana",
    "depeche mode", "linkin park", "the cure", "kesha", "p!nk", "Король и Шут", "король",
    "宇多田ヒカル", "浜崎", "sonata arctica", "in flames", "system of a down", "paramore",
    "jay-z", "taylor swift", "avril", "bad bunny", "zzzzqqq", "a",
]  # fmt: skip

# Real artists absent from the 2011 catalog (mostly newer); `absent_artists` drops any that
# the catalog does hold, so the list may over-include.
ABSENT_ARTISTS = [
    "Bad Bunny", "Olivia Rodrigo", "Billie Eilish", "Dua Lipa", "Post Malone", "Ed Sheeran",
    "Imagine Dragons", "Kendrick Lamar", "Harry Styles", "BTS", "Blackpink", "Lorde",
    "Lana Del Rey", "SZA", "Doja Cat", "Lizzo", "Khalid", "Travis Scott", "Cardi B", "Halsey",
    "Glass Animals", "Phoebe Bridgers", "Mitski", "Måneskin", "Rosalía", "J Balvin", "Maluma",
    "Karol G", "Twice", "Stray Kids", "NewJeans", "Hozier", "CHVRCHES", "Shawn Mendes",
    "Megan Thee Stallion", "Lil Nas X", "Jack Harlow", "Polo G", "Roddy Ricch", "DaBaby",
    "Lil Baby", "Gunna", "21 Savage", "Juice WRLD", "XXXTentacion", "Lil Uzi Vert",
    "Playboi Carti", "Chance the Rapper", "Vince Staples", "Anderson .Paak", "Kali Uchis",
    "Rina Sawayama", "Beabadoobee", "Clairo", "Girl in Red", "Boygenius", "Japanese Breakfast",
    "Snail Mail", "Soccer Mommy", "Big Thief", "Fontaines D.C.", "Idles", "Black Country New Road",
    "Black Midi", "Wet Leg", "Yard Act", "Dry Cleaning", "Sam Fender", "Lewis Capaldi",
    "Tom Odell", "George Ezra", "Rag'n'Bone Man", "Stormzy", "Little Simz", "Central Cee",
    "AJ Tracey", "Jorja Smith", "Raye", "Bastille", "Years & Years", "Rudimental", "Clean Bandit",
    "Jess Glynne", "Sigrid", "Zara Larsson", "Tove Lo", "Kygo", "Marshmello", "Alan Walker",
    "Martin Garrix", "The Chainsmokers", "Zedd", "Porter Robinson", "Illenium", "Odesza",
    "Rüfüs Du Sol", "Lane 8", "Fred again..", "Bicep", "Peggy Gou", "Yung Lean", "Bladee",
    "Sleep Token", "Spiritbox", "Jinjer", "Lorna Shore", "Polyphia", "Greta Van Fleet",
    "Royal Blood", "Nothing But Thieves", "Twenty One Pilots", "AJR", "Lovejoy", "Wallows",
    "Seventeen", "Enhypen", "Tomorrow X Together", "Itzy", "Aespa", "Le Sserafim", "Ive",
    "(G)I-dle", "Red Velvet", "Mamamoo", "Monsta X", "NCT 127", "Ateez", "Peso Pluma", "Feid",
    "Rauw Alejandro", "Anuel AA", "Ozuna", "Myke Towers", "Sebastián Yatra", "C. Tangana",
    "Quevedo", "Bizarrap", "Nicki Nicole", "María Becerra", "Duki", "Natanael Cano", "Yoasobi",
    "米津玄師", "Ado", "Fujii Kaze", "King Gnu", "Official HIGE DANdism", "あいみょん", "Vaundy",
    "ヨルシカ", "Zutomayo", "Монеточка", "Моргенштерн", "IC3PEAK", "Shortparis", "Скриптонит",
    "Angèle", "Aya Nakamura", "Jain", "PNL", "Nekfeu", "Damso", "Ninho", "Apache 207",
    "Capital Bra", "AnnenMayKantereit", "Giant Rooks", "Morgan Wallen", "Luke Combs",
    "Kacey Musgraves", "Chris Stapleton", "Zach Bryan", "Maren Morris", "Kane Brown",
    "Tyler Childers", "Ava Max", "Bebe Rexha", "Camila Cabello", "Fifth Harmony", "Little Mix",
    "5 Seconds of Summer", "Sabrina Carpenter", "Tate McRae", "Gracie Abrams", "Conan Gray",
    "Chappell Roan", "Reneé Rapp", "Benson Boone", "Noah Kahan", "Teddy Swims", "Troye Sivan",
    "Lauv", "Alec Benjamin", "Jeremy Zucker", "Joji", "Rex Orange County", "Dominic Fike",
    "Steve Lacy", "Omar Apollo", "Daniel Caesar", "Giveon", "Brent Faiyaz", "Summer Walker",
    "Victoria Monét", "Tems", "Burna Boy", "Wizkid", "Davido", "Rema", "Ayra Starr", "Asake",
    "Tyla", "CKay", "Fireboy DML", "Kaytranada", "Tom Misch", "Jordan Rakei", "Nubya Garcia",
    "Ezra Collective", "Kokoroko", "Sault", "Cleo Sol", "Arlo Parks", "Holly Humberstone",
    "Maisie Peters", "Olivia Dean", "Nilüfer Yanya", "Weyes Blood", "Ethel Cain", "Lucy Dacus",
    "Julien Baker", "Faye Webster", "Men I Trust", "King Krule", "Khruangbin", "Parcels",
    "L'Impératrice", "Polo & Pan", "Sofi Tukker", "Tones and I", "Vance Joy", "Ruel",
    "Amyl and the Sniffers", "Gang of Youths",
]  # fmt: skip


def catalog_series(data_dir: Path) -> tuple[pd.Series, pd.Series]:
    """artist_id → name and artist_id → listeners, as the app builds them."""
    data = load_dataset(data_dir)
    names = data.artists.set_index("artist_id")["name"]
    listeners = data.user_artists.groupby("artist_id").size()
    return names, listeners


def absent_artists(names: pd.Series) -> list[str]:
    """ABSENT_ARTISTS minus any whose folded name (with or without spaces) is in the catalog."""
    keys = {fold(n) for n in names} | {compact(fold(n)) for n in names}
    return [a for a in ABSENT_ARTISTS if fold(a) not in keys and compact(fold(a)) not in keys]


def strip_accents(text: str) -> str:
    """What typing on a plain keyboard loses: accents on Latin letters (kana voicing and Cyrillic
    й stay, they are different letters). Written apart from the matcher's own fold."""
    kept = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def respell(name: str, rng: random.Random) -> str:
    """Accents stripped and case changed, as an export from another service may spell it."""
    recase: Callable[[str], str] = rng.choice([str.lower, str.upper, str.title, str.swapcase])
    return recase(strip_accents(name))


def one_typo(name: str, rng: random.Random) -> str:
    """One letter deleted, inserted, replaced, or two neighbours swapped."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if not letters:
        return name + "x"
    i = rng.choice(letters)
    kind = rng.choice(["delete", "insert", "replace", "swap"])
    new = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if kind == "delete":
        return name[:i] + name[i + 1 :]
    if kind == "insert":
        return name[:i] + new + name[i:]
    if kind == "replace":
        return name[:i] + (new if new != name[i].lower() else "q") + name[i + 1 :]
    j = i + 1 if i + 1 < len(name) else i - 1
    a, b = sorted((i, j))
    return name[:a] + name[b] + name[a] + name[b + 1 :]


def nonsense_name(rng: random.Random) -> str:
    syllables = ["ka", "zu", "mo", "rel", "vin", "tak", "qua", "dro", "fex", "lum", "ost", "yb"]
    words = rng.randint(1, 3)
    return " ".join(
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).title()
        for _ in range(words)
    )


def time_search(matcher: ArtistMatcher, rounds: int = 20) -> list[float]:
    for query in SEARCH_QUERIES:  # warm-up
        matcher.search(query)
    times = []
    for _ in range(rounds):
        for query in SEARCH_QUERIES:
            start = time.perf_counter()
            matcher.search(query)
            times.append((time.perf_counter() - start) * 1000)
    return times


def history_names(names: pd.Series, rng: random.Random, size: int = 20_000) -> list[str]:
    """A big visitor history: distinct catalog names re-spelled or with typos, and absent ones."""
    pool = names.tolist()
    out: set[str] = set()
    for name in rng.sample(pool, 8_000):
        out.add(respell(name, rng))
    for name in rng.sample(pool, 4_000):
        out.add(one_typo(name, rng))
    out.update(ABSENT_ARTISTS)
    while len(out) < size:
        out.add(nonsense_name(rng))
    history = sorted(out)
    rng.shuffle(history)
    return history[:size]


def same_artist(found: Match | None, name: str) -> bool:
    """Right when the attached artist has the same folded name (case-only duplicates count)."""
    return found is not None and compact(fold(found.name)) == compact(fold(name))


def precision_rows(
    matcher: ArtistMatcher, names: pd.Series, listeners: pd.Series, rng: random.Random
) -> list[tuple[str, int, float, float, float]]:
    """(case, n, right %, wrong %, none %) for re-spelled, typo and absent names."""
    rows = []
    pool = names.tolist()
    popular = names[listeners.reindex(names.index).fillna(0) >= 10].tolist()
    cases = {
        "catalog, accents stripped + case changed": [
            (respell(n, rng), n) for n in rng.sample(pool, 500)
        ],
        "catalog, one-letter typo": [(one_typo(n, rng), n) for n in rng.sample(pool, 500)],
        "catalog (≥ 10 listeners), one-letter typo": [
            (one_typo(n, rng), n) for n in rng.sample(popular, 500)
        ],
    }
    for label, pairs in cases.items():
        found = matcher.match_many([typed for typed, _ in pairs])
        right = sum(same_artist(f, n) for f, (_, n) in zip(found, pairs, strict=True))
        none = sum(f is None for f in found)
        total = len(pairs)
        rows.append((label, total, right / total, (total - right - none) / total, none / total))
    for label, absent, attached in absent_cases(matcher, names, listeners, rng):
        total = len(absent)
        rows.append((label, total, 0.0, attached / total, 1 - attached / total))
    return rows


def absent_cases(
    matcher: ArtistMatcher, names: pd.Series, listeners: pd.Series, rng: random.Random
) -> list[tuple[str, list[str], int]]:
    """Absent names and how many got attached (every attachment is wrong)."""
    newer = absent_artists(names)
    attached_newer = sum(m is not None for m in matcher.match_many(newer))
    by_key = pd.Series([compact(fold(n)) for n in names], index=names.index)
    unique = names[~by_key.duplicated(keep=False).to_numpy()]
    hidden_ids = rng.sample(sorted(unique.index), 200)
    offered = pd.Series(True, index=names.index)
    offered[hidden_ids] = False
    without_hidden = ArtistMatcher(names, listeners, offered=offered)
    hidden = names[hidden_ids].tolist()
    attached_hidden = sum(m is not None for m in without_hidden.match_many(hidden))
    return [
        ("absent: real artists newer than the catalog", newer, attached_newer),
        ("absent: 200 catalog names hidden from the matcher", hidden, attached_hidden),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    names, listeners = catalog_series(ROOT / "data")

    start = time.perf_counter()
    matcher = ArtistMatcher(names, listeners)
    build_s = time.perf_counter() - start

    search_ms = time_search(matcher)
    history = history_names(names, rng)
    start = time.perf_counter()
    matched = matcher.match_many(history)
    many_s = time.perf_counter() - start

    print(f"catalog: {len(names):,} names; matcher build {build_s:.2f} s\n")
    print("| operation | n | p50 | p99 | total |")
    print("|---|---|---|---|---|")
    print(
        f"| search (limit 20) | {len(search_ms):,} queries | "
        f"{statistics.median(search_ms):.2f} ms | {np.percentile(search_ms, 99):.2f} ms | "
        f"{sum(search_ms) / 1000:.2f} s |"
    )
    attached = sum(m is not None for m in matched)
    print(f"| match_many | {len(history):,} names ({attached:,} attached) | | | {many_s:.2f} s |")
    print("\n| match precision | n | right | wrong | none |")
    print("|---|---|---|---|---|")
    for label, total, right, wrong, none in precision_rows(matcher, names, listeners, rng):
        print(f"| {label} | {total} | {right:.1%} | {wrong:.1%} | {none:.1%} |")


if __name__ == "__main__":
    main()
