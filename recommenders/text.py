"""Name keys: the one place that decides when two artist names are "the same" (matching, search,
history merging, the Spotify name match all key names here).

Folding forgives what typing loses and nothing else: case, Unicode forms, spacing, punctuation,
a leading "The", and accents where they are accents — on Latin and Greek letters, and the optional
dots of Russian ё. Kana voicing marks (ガ is not カ), Cyrillic й and Hangul are letters, never
dropped. ``typing_key`` is for names being typed through an input method, where a prefix of the
text on screen is not a prefix of the name (동바 on the way to 동방, がぜ on the way to ガゼット).
"""

from __future__ import annotations

import re
import unicodedata


def normalise(name: str) -> str:
    """NFKC + casefold + collapsed whitespace: the key for case-insensitive exact matching."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def accent_free(name: str) -> str:
    """`normalise` without accents: "Sigur Ros" == "Sigur Rós", "Αννα" == "Άννα"; letters of
    other scripts are kept whole (ガゼット stays apart from カセット)."""
    return _strip_accents(normalise(name))


_LATIN_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_STANDALONE_PLUS = re.compile(r"(?:^|\s)\+(?:\s|$)")
_NOT_ASCII_ALNUM = re.compile(r"[^a-z0-9]+")
# Letters spelled with look-alike symbols: P!nk, Ke$ha, Too $hort (extra catalog keys).
_BANG_AS_I = re.compile(r"(?<=\w)!(?=\w)")
_DOLLAR_AS_S = re.compile(r"\$(?=\w)")
_DIAERESIS = "\u0308"


def fold(name: str) -> str:
    """The comparison key: lower case, no accents, no punctuation, no leading "The".

    "Björk" → "bjork", "AC/DC" → "ac dc", "Guns N' Roses" → "guns n roses", "Simon & Garfunkel" →
    "simon and garfunkel", "The Beatles" → "beatles". Other scripts keep their letters (only case
    folds); a name made only of symbols ("!!!") keeps them, so no name folds to an empty key.
    """
    return without_article(fold_keeping_article(name))


def without_article(key: str) -> str:
    return key[4:] if key.startswith("the ") else key


def fold_keeping_article(name: str) -> str:
    """`fold` before dropping "the ": typeahead needs "the b" to start "The Beatles"."""
    text = unicodedata.normalize("NFKC", name)
    if not text.isascii():
        text = _strip_accents(text)
    text = text.casefold().translate(_LATIN_LETTERS)
    text = _STANDALONE_PLUS.sub(" and ", text.replace("&", " and "))
    text = _APOSTROPHES.sub("", text)
    if text.isascii():
        text = _NOT_ASCII_ALNUM.sub(" ", text)
    else:
        text = "".join(c if unicodedata.category(c)[0] in "LNM" else " " for c in text)
    folded = " ".join(text.split())
    return folded or " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def compact(key: str) -> str:
    """A folded key without spaces, so "acdc", "ac dc" and "AC-DC" all meet "AC/DC"."""
    return key.replace(" ", "")


def verbatim(name: str) -> str:
    """The name as typed, up to Unicode form and spacing (the search's "same text" tier)."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def catalog_keys(name: str) -> set[str]:
    """Every compact key a catalog name answers to (look-alike symbols read as letters too)."""
    keys = {compact(fold(name))}
    if "!" in name or "$" in name:
        keys.add(compact(fold(_DOLLAR_AS_S.sub("s", _BANG_AS_I.sub("i", name)))))
    return keys


def _strip_accents(text: str) -> str:
    """Drops combining marks on Latin and Greek letters and the dots of ё (Russians write е);
    kana voicing marks, Cyrillic й and Hangul stay."""
    kept: list[str] = []
    base = ""
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char):
            if not (_is_latin_or_greek(base) or (char == _DIAERESIS and base in "еЕ")):
                kept.append(char)
            continue
        base = char
        kept.append(char)
    return unicodedata.normalize("NFKC", "".join(kept))


def _is_latin_or_greek(char: str) -> bool:
    return bool(char) and (
        char < "\u0250" or "\u0370" <= char <= "\u03ff" or "\u1e00" <= char <= "\u1fff"
    )


# -- keys for names typed through an input method ---------------------------------------------
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
# Jamo typed as two keys on the standard (2-set) Korean keyboard.
_TWO_KEYS = (
    "ㅘㅗㅏㅙㅗㅐㅚㅗㅣㅝㅜㅓㅞㅜㅔㅟㅜㅣㅢㅡㅣ"  # compound vowels
    "ㄳㄱㅅㄵㄴㅈㄶㄴㅎㄺㄹㄱㄻㄹㅁㄼㄹㅂㄽㄹㅅㄾㄹㅌㄿㄹㅍㅀㄹㅎㅄㅂㅅ"  # compound finals
)
_KEYSTROKES = {_TWO_KEYS[i]: _TWO_KEYS[i + 1 : i + 3] for i in range(0, len(_TWO_KEYS), 3)}
_PENDING_ROMAJI = re.compile(r"[a-z]+$")


def is_typed_by_ime(text: str) -> bool:
    """Has kana or Hangul: letters that reach a text box through an input method."""
    return not text.isascii() and _KANA_OR_HANGUL.search(text) is not None


def typing_key(text: str) -> str:
    """A key in which every state an input method shows is a prefix of the finished name.

    Hangul → the keys pressed (동 → ㄷㅗㅇ, so 동바 and 손 are prefixes of 동방 and 소녀); katakana
    → hiragana, voicing marks split off (がぜ and カ are prefixes of ガゼット). Spaces dropped.
    """
    folded = compact(fold(text))
    hiragana = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in folded)
    return "".join(_keystrokes(c) for c in unicodedata.normalize("NFD", hiragana))


def typing_keys_of_query(text: str) -> list[str]:
    """`typing_key` of what is in the box, and without romaji still being converted (がz → が)."""
    key = typing_key(text)
    pending = _PENDING_ROMAJI.sub("", key) if any(_is_kana(c) for c in key) else key
    return list(dict.fromkeys(k for k in (key, pending) if k))


def _keystrokes(char: str) -> str:
    if "\u1100" <= char <= "\u1112":
        return _INITIALS[ord(char) - 0x1100]
    if "\u1161" <= char <= "\u1175":
        char = _VOWELS[ord(char) - 0x1161]
    elif "\u11a8" <= char <= "\u11c2":
        char = _FINALS[ord(char) - 0x11A8]
    return _KEYSTROKES.get(char, char)


_KANA_RANGE = "\u3041-\u30ff\uff66-\uff9f"
_KANA_OR_HANGUL = re.compile(f"[{_KANA_RANGE}\uac00-\ud7a3\u1100-\u11ff\u3131-\u318e]")


def _is_kana(char: str) -> bool:
    return "\u3041" <= char <= "\u30ff" or "\uff66" <= char <= "\uff9f"
