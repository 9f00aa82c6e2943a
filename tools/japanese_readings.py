"""Writes recommenders/japanese_readings.tsv: how the catalog's names with kana or kanji are
read in Japanese, from Sudachi's dictionary (sudachipy + sudachidict-core, Apache-2.0).

    python -m tools.japanese_readings            # rewrite the table
    python -m tools.japanese_readings --check    # exit 1 when the committed table differs

The catalog is fixed (the 2011 dataset), so its readings are data: the app and the build read the
table (`recommenders.romanise`) and never install or open the ~200 MB dictionary. Development
only: sudachipy and sudachidict-core are in requirements-dev.txt, and
tests/test_japanese_readings.py regenerates the table and compares it with the committed file.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from importlib.metadata import version
from pathlib import Path

from recommenders.data import load_dataset
from recommenders.romanise import JAPANESE_SCRIPTS, hiragana, is_kana_char, scripts_of

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "recommenders" / "japanese_readings.tsv"
DATA = ROOT / "data"


def catalog_japanese_names(data_dir: Path = DATA) -> list[str]:
    """The catalog's names with kana or kanji, in artists.dat order (as the build reads them)."""
    names = load_dataset(data_dir).artists.sort_values("artist_id")["name"]
    return [name for name in names if scripts_of(name) & JAPANESE_SCRIPTS]


def table_text(names: list[str]) -> str:
    """The table file: a header saying how it was made, then one line per name."""
    from sudachipy import Dictionary, SplitMode

    tokenizer = Dictionary(dict="core").tokenizer(mode=SplitMode.C)
    header = [
        "# Japanese readings of the catalog's names with kana or kanji (recommenders.romanise).",
        "# name<TAB>its words as Sudachi reads them, space-separated: hiragana; Latin and digits",
        "# kept; a kanji the dictionary cannot read kept as written. Split mode C, core dict.",
        f"# Written by `python -m tools.japanese_readings` with sudachipy {version('sudachipy')} "
        f"and sudachidict-core {version('sudachidict-core')};",
        "# do not edit: tests/test_japanese_readings.py regenerates it and compares.",
    ]
    lines = []
    for name in names:
        words = sudachi_words(name, tokenizer)
        if "\t" in name or "\n" in name or name.startswith("#"):
            raise ValueError(f"{name!r} cannot be a line of the table (tab, newline or #)")
        if any(not w or any(c.isspace() for c in w) for w in words):
            raise ValueError(f"{name!r}: a word with a space or no letters in {words!r}")
        lines.append(f"{name}\t{' '.join(words)}")
    return "\n".join([*header, *lines]) + "\n"


def sudachi_words(name: str, tokenizer) -> list[str]:
    """The name as words in hiragana (kanji read by the dictionary; kana kept; Latin kept; runs
    of kana joined: the dictionary splits unknown kana names into odd pieces)."""
    words: list[str] = []
    joining = False
    for token in tokenizer.tokenize(unicodedata.normalize("NFKC", name)):
        surface = token.surface()
        if any("CJK" in unicodedata.name(c, "") for c in surface):
            words.append(hiragana(token.reading_form()))
            joining = False
        elif all(is_kana_char(c) for c in surface):
            if joining:
                words[-1] += hiragana(surface)
            else:
                words.append(hiragana(surface))
            joining = True
        elif any(c.isalnum() for c in surface):
            words.append(surface)
            joining = False
        else:
            joining = False  # a symbol or space ends a word
    return words


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a change")
    args = parser.parse_args(argv)
    names = catalog_japanese_names()
    text = table_text(names)
    if args.check:
        same = TABLE.exists() and TABLE.read_text(encoding="utf-8") == text
        print(f"{TABLE.relative_to(ROOT)} is {'up to date' if same else 'STALE: rewrite it'}")
        return 0 if same else 1
    TABLE.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE.relative_to(ROOT)}: {len(names)} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
