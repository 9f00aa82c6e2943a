"""Latin spellings of names written in other scripts, the way people type them: 東方神起 →
"Touhou Shinki" and "Toho Shinki", 동방신기 → "Dongbangsingi" and "Dongbangshingi", Король и Шут →
"Korol' i Shut". For search only: a spelling suggests an artist, it never decides one.

- Cyrillic, Greek, Hangul and Chinese characters: anyascii (ISC licence, tables only, imports in
  ~1 ms). Its Hangul is Revised Romanisation syllable by syllable; the "popular" variant adds the
  spellings fans and the artists themselves use (시 shi, 샤 sha, 리 ri: "So Nyeo Shi Dae"); Greek
  χ is also written h.
- Japanese: anyascii reads kanji as Mandarin (浜崎 → "BangQi"), so names with kana or kanji also
  get a Japanese reading from Sudachi's dictionary (sudachipy + sudachidict-core, Apache-2.0;
  Hepburn from the table below), with long vowels both written and folded (Tōkyō: "toukyou",
  "tokyo") and two-word names in both orders ("Hamasaki Ayumi", "Ayumi Hamasaki"). Chinese
  names in kanji keep their pinyin too.
- Hebrew, Arabic and Thai are left out: anyascii writes their consonants only ("'vry lydr"),
  which nobody types and which could only suggest unrelated artists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from anyascii import anyascii

_SCRIPTS = ("CYRILLIC", "GREEK", "HANGUL", "HIRAGANA", "KATAKANA", "CJK")


@dataclass(frozen=True, slots=True)
class Readings:
    """How one name may be typed: Latin spellings (display forms) and kana readings."""

    latin: tuple[str, ...] = ()
    kana: tuple[str, ...] = ()


def readings(names: Iterable[str]) -> list[Readings]:
    """`Readings` for each name, in order (empty for names in Latin or unsupported scripts).

    Sudachi's dictionary (~200 MB, memory-mapped) is opened only when some name is Japanese, and
    closed again before returning."""
    names = list(names)
    scripts = [_scripts(name) for name in names]
    japanese = [bool(s & {"HIRAGANA", "KATAKANA", "CJK"}) for s in scripts]
    tokenizer = _tokenizer() if any(japanese) else None
    found = []
    for name, its_scripts, is_japanese in zip(names, scripts, japanese, strict=True):
        latin: list[str] = []
        kana: list[str] = []
        if is_japanese:
            words = _japanese_words(name, tokenizer)
            latin += _japanese_spellings(words)
            kana.append("".join(w for w in words if _is_kana_word(w)))
        if its_scripts and not its_scripts & {"HIRAGANA", "KATAKANA"}:
            latin += _anyascii_spellings(name, its_scripts)
        latin = [s for s in dict.fromkeys(latin) if s.isascii() and s.strip() and s != name]
        found.append(Readings(tuple(latin), tuple(k for k in kana if k)))
    return found


def _scripts(name: str) -> set[str]:
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
def _tokenizer():
    """A Sudachi tokenizer over the core dictionary (imported here: only index builds need it)."""
    from sudachipy import Dictionary, SplitMode

    return Dictionary(dict="core").tokenizer(mode=SplitMode.C)


def _japanese_words(name: str, tokenizer) -> list[str]:
    """The name as words in hiragana (kanji read by the dictionary; kana kept; Latin kept; runs
    of kana joined: the dictionary splits unknown kana names into odd pieces)."""
    words: list[str] = []
    joining = False
    for token in tokenizer.tokenize(unicodedata.normalize("NFKC", name)):
        surface = token.surface()
        if any("CJK" in unicodedata.name(c, "") for c in surface):
            words.append(_hiragana(token.reading_form()))
            joining = False
        elif all(_is_kana_char(c) for c in surface):
            if joining:
                words[-1] += _hiragana(surface)
            else:
                words.append(_hiragana(surface))
            joining = True
        elif any(c.isalnum() for c in surface):
            words.append(surface)
            joining = False
        else:
            joining = False  # a symbol or space ends a word
    return words


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


def _is_kana_char(char: str) -> bool:
    return "\u3041" <= char <= "\u30ff" and char != "・"


def _is_kana_word(word: str) -> bool:
    return all(_is_kana_char(c) for c in word)


def _hiragana(text: str) -> str:
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
