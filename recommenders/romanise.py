"""Latin spellings of names written in other scripts, the way people type them: 東方神起 →
"Touhou Shinki" and "Toho Shinki", 동방신기 → "Dongbangsingi" and "Dongbangshingi", Король и Шут →
"Korol' i Shut". For search only: a spelling suggests an artist, it never decides one.

- Cyrillic, Greek, Hangul and Chinese characters: anyascii (ISC licence, tables only, imports in
  ~1 ms). Its Hangul is Revised Romanisation syllable by syllable; the "popular" variant adds the
  spellings fans and the artists themselves use (시 shi, 샤 sha, 리 ri: "So Nyeo Shi Dae"); Greek
  χ is also written h.
- Japanese: anyascii reads kanji as Mandarin (浜崎 → "BangQi"), so names with kana or kanji also
  get a Japanese reading (Hepburn from the kana table below), with long vowels both written and
  folded (Tōkyō: "toukyou", "tokyo") and two-word names in both orders ("Hamasaki Ayumi", "Ayumi
  Hamasaki"). Chinese names in kanji keep their pinyin too. Reading kanji takes a dictionary, so
  the catalog's names are read once, by Sudachi (a development tool: `tools.japanese_readings`),
  into japanese_readings.tsv beside this module; serving reads that table. A name not in it (a
  bundle built from other data) is read without a dictionary: kana (and Latin) only; a name with
  kanji then gets no Japanese reading (anyascii's pinyin only, when it has no kana).
- Hebrew, Arabic and Thai are left out: anyascii writes their consonants only ("'vry lydr"),
  which nobody types and which could only suggest unrelated artists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from anyascii import anyascii

_SCRIPTS = ("CYRILLIC", "GREEK", "HANGUL", "HIRAGANA", "KATAKANA", "CJK")
KANA_SCRIPTS = frozenset({"HIRAGANA", "KATAKANA"})
JAPANESE_SCRIPTS = KANA_SCRIPTS | {"CJK"}
READINGS_FILE = "japanese_readings.tsv"  # written by tools/japanese_readings.py


@dataclass(frozen=True, slots=True)
class Readings:
    """How one name may be typed: Latin spellings (display forms) and kana readings."""

    latin: tuple[str, ...] = ()
    kana: tuple[str, ...] = ()


def readings(names: Iterable[str]) -> list[Readings]:
    """`Readings` for each name, in order (empty for names in Latin or unsupported scripts)."""
    found = []
    for name in names:
        scripts = scripts_of(name)
        latin: list[str] = []
        kana: list[str] = []
        if scripts & JAPANESE_SCRIPTS and (words := japanese_words(name)):
            latin += _japanese_spellings(words)
            kana.append("".join(w for w in words if _is_kana_word(w)))
        if scripts and not scripts & KANA_SCRIPTS:
            latin += _anyascii_spellings(name, scripts)
        latin = [s for s in dict.fromkeys(latin) if s.isascii() and s.strip() and s != name]
        found.append(Readings(tuple(latin), tuple(k for k in kana if k)))
    return found


def scripts_of(name: str) -> set[str]:
    """The scripts of the name's letters that get spellings (empty for a Latin name)."""
    found: set[str] = set()
    if name.isascii():
        return found
    for char in name:
        if char.isalpha() and not char.isascii():
            script = unicodedata.name(char, "").split(" ")[0]
            if script in _SCRIPTS:
                found.add(script)
    return found


def _anyascii_spellings(name: str, scripts: set[str]) -> list[str]:
    spelled = anyascii(unicodedata.normalize("NFKC", name))
    if "CJK" in scripts:  # "WangFei" → "Wang Fei" (family name first), "CaiYiLin" → "Cai Yilin"
        return [" ".join(_family_first(word) for word in spelled.split())]
    if "GREEK" in scripts:  # χ is written h as often as ch ("Hatzigiannis")
        return [spelled, spelled.replace("ch", "h").replace("Ch", "H")]
    if "HANGUL" not in scripts:
        return [spelled]
    words = spelled.split()
    popular = [_POPULAR_HANGUL.sub(lambda m: _POPULAR[m.group()], w) for w in words]
    return [" ".join(w.capitalize() for w in ws) for ws in (words, popular)]


def _family_first(word: str) -> str:
    syllables = re.findall(r"[A-Z][a-z]*|[^A-Z]+", word)
    if len(syllables) < 2 or not word[:1].isupper():
        return word
    return syllables[0] + " " + "".join(syllables[1:]).capitalize()


# anyascii starts each Hangul syllable with a capital: the popular spellings change the start.
_POPULAR = {"Si": "Shi", "Sya": "Sha", "Syeo": "Sheo", "Syo": "Sho", "Syu": "Shu", "L": "R"}
_POPULAR_HANGUL = re.compile(r"Sya|Syeo|Syo|Syu|Si|L(?=[aeiouy])")


# -- Japanese ----------------------------------------------------------------------------------
def japanese_words(name: str) -> tuple[str, ...]:
    """The name as words in hiragana (Latin kept): the table's words for a catalog name; else
    the runs of kana and of Latin letters of a name without kanji; else none (kanji need a
    dictionary)."""
    words = _table().get(name)
    if words is not None:
        return words
    if "CJK" in scripts_of(name):
        return ()
    return tuple(_runs(unicodedata.normalize("NFKC", name)))


@cache
def _table() -> dict[str, tuple[str, ...]]:
    """name → words, from the committed table (read once, on the first Japanese name)."""
    text = files("recommenders").joinpath(READINGS_FILE).read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {name: tuple(words.split()) for name, words in rows}


def _runs(text: str) -> list[str]:
    """Runs of kana (as hiragana) and runs of other letters and digits; anything else separates."""
    runs: list[str] = []
    kind_before = None
    for char in text:
        kind = "kana" if is_kana_char(char) else "latin" if char.isalnum() else None
        if kind and kind == kind_before:
            runs[-1] += hiragana(char)
        elif kind:
            runs.append(hiragana(char))
        kind_before = kind
    return runs


def _japanese_spellings(words: list[str]) -> list[str]:
    strict = [_romaji(w) for w in words]
    loose = [_LONG_VOWEL.sub(lambda m: m.group()[0], w) for w in strict]
    spellings = []
    for ws in (strict, loose):
        ws = [w for w in ws if w]
        spellings.append(" ".join(w.capitalize() for w in ws))
        if len(ws) == 2:  # family name first in Japanese, given name first in English
            spellings.append(" ".join(w.capitalize() for w in reversed(ws)))
    return spellings


_LONG_VOWEL = re.compile(r"o[ou]|uu")


def is_kana_char(char: str) -> bool:
    return "\u3041" <= char <= "\u30ff" and char != "・"


def _is_kana_word(word: str) -> bool:
    return all(is_kana_char(c) for c in word)


def hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


_KANA_LETTERS = (
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろ"
    "わゐゑをんがぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽゔぁぃぅぇぉゎゕゖ"
)
_KANA_HEPBURN = (
    "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho "
    "ma mi mu me mo ya yu yo ra ri ru re ro wa i e o n ga gi gu ge go za ji zu ze zo da ji zu "
    "de do ba bi bu be bo pa pi pu pe po vu a i u e o wa ka ke"
)
_KANA = dict(zip(_KANA_LETTERS, _KANA_HEPBURN.split(), strict=True))
_SMALL_Y = {"ゃ": "a", "ゅ": "u", "ょ": "o"}
_SMALL_VOWEL = {"ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o"}


def _romaji(word: str) -> str:
    """Hepburn for a hiragana word (other letters kept): しゃ sha, って tte; ー repeats a vowel."""
    out: list[str] = []
    double_next = False
    for char in word:
        if char == "っ":
            double_next = True
            continue
        if char in _SMALL_Y and out and out[-1].endswith("i") and len(out[-1]) > 1:
            stem = out[-1][:-1]
            out[-1] = stem + ("" if stem.endswith(("sh", "ch", "j")) else "y") + _SMALL_Y[char]
            continue
        if char in _SMALL_VOWEL and out and out[-1]:
            stem = out[-1].rstrip("aiueo") or {"u": "w", "i": "y"}.get(out[-1], out[-1])
            out[-1] = stem + _SMALL_VOWEL[char]
            continue
        if char == "ー":
            vowels = re.findall(r"[aiueo]", out[-1]) if out else []
            out.append(vowels[-1] if vowels else "")
            continue
        syllable = _KANA.get(char, char.lower())
        if double_next and syllable[:1].isalpha() and syllable[0] not in "aiueon":
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double_next = False
        out.append(syllable)
    return "".join(out)
