"""Vietnamese text for lists: tidy spaces, dictionary order and accent-blind search.

Pure Python (PyICU needs a compiled ICU): the order is the dictionary order ICU's `vi`
collation gives — letters first, with ă â đ ê ô ơ ư letters of their own after a a d e o o u
(so "Đông" comes after every "D…"), then the tones as a tie-break (none, huyền, hỏi, ngã,
sắc, nặng), then case.
"""

from __future__ import annotations

import unicodedata

#: The alphabet in dictionary order; f j w z (loan words) slot in where Latin puts them.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
#: Combining marks that make a letter of its own (breve, circumflex, horn).
_LETTER_MARKS = frozenset({"\u0306", "\u0302", "\u031b"})
#: Tone marks in dictionary order: huyền, hỏi, ngã, sắc, nặng (no mark sorts first).
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def normalise_spaces(text: str | None) -> str:
    """One plain space between words, none at the ends ("Xã  Xuân Giang" → "Xã Xuân Giang");
    composed (NFC) letters, so a name typed with combining marks equals the same name typed
    precomposed."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def _letters(text: str) -> list[tuple[str, int, bool]]:
    """(letter with its own marks, tone rank, is upper case) for each character."""
    found: list[tuple[str, int, bool]] = []
    for char in normalise_spaces(text):
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        tone = max((_TONE_RANK.get(m, 0) for m in marks), default=0)
        own = "".join(m for m in marks if m in _LETTER_MARKS)
        letter = unicodedata.normalize("NFC", base.lower() + own)
        found.append((letter, tone, base.isupper()))
    return found


def _primary(letter: str) -> int:
    if letter in _LETTER_RANK:
        return 100 + _LETTER_RANK[letter]
    if letter == " ":
        return 0
    if letter.isdigit():
        return 1 + int(letter) if letter.isascii() else 11
    # Punctuation before letters, anything else (other scripts) after them, by code point.
    return 20 + ord(letter) if not letter.isalpha() else 1000 + ord(letter)


def sort_key(name: str | None) -> tuple:
    """Key for `sorted(names, key=sort_key)` in Vietnamese dictionary order."""
    letters = _letters(name or "")
    return (
        tuple(_primary(letter) for letter, _, _ in letters),
        tuple(tone for _, tone, _ in letters),
        tuple(upper for _, _, upper in letters),
    )


def fold(text: str | None) -> str:
    """Lower case without any mark, đ as d, spaces tidied: "Xã  Đông Hưng" → "xa dong hung".
    Compare `fold(query) in fold(name)` for a search that ignores accents."""
    decomposed = unicodedata.normalize("NFD", normalise_spaces(text).lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("đ", "d")


def matches(query: str | None, text: str | None) -> bool:
    """Every word of `query` appears in `text`, accents and case ignored (empty query: all)."""
    haystack = fold(text)
    return all(word in haystack for word in fold(query).split())
