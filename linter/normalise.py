"""Folding what people paste or use to dodge filters, with a map back to the original characters.

NFKC, typographic quotes and dashes, zero-width characters, look-alike letters from other scripts,
leetspeak in sales terms ("d3mo", "c@ll", "fr33") and letter-spaced sales terms ("D E M O"). Every
character of the folded text remembers which original character it came from, so spans stay true.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from . import phrases

ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"}
FOLD = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " ",
        "\u2032": "'"}
WORD_RE = re.compile(r"[A-Za-z0-9@$!|]+")
SPACED_RE = re.compile(r"\b(?:[A-Za-z] ){2,}[A-Za-z]\b")


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    data = phrases.data()["normalise"]
    return frozenset(data["sales_terms"]), dict(data["leet"]), dict(data["homoglyphs"])


def fold(text: str) -> tuple[str, list[int]]:
    """(folded text, index): index[i] is the offset in `text` of the character folded text[i] came from."""
    terms, leet, homoglyphs = _tables()
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch in ZERO_WIDTH:
            continue
        ch = homoglyphs.get(ch, ch)
        ch = FOLD.get(ch, ch)
        folded = unicodedata.normalize("NFKC", ch) if ord(ch) > 127 else ch
        for part in folded or ch:
            chars.append(part)
            index.append(i)
    out = "".join(chars)
    # leetspeak inside a sales term: same length, letters swapped in place
    pieces = list(out)
    for m in WORD_RE.finditer(out):
        word = m.group(0)
        if word.isalpha() or not any(c.isalpha() for c in word):
            continue
        plain = "".join(leet.get(c, c) for c in word.lower())
        if plain in terms:
            for k, c in enumerate(word):
                if c in leet:
                    pieces[m.start() + k] = leet[c]
    out = "".join(pieces)
    # letter-spaced sales terms collapse: "D E M O" -> "DEMO"
    dropped: set[int] = set()
    for m in SPACED_RE.finditer(out):
        letters = [m.start() + k for k, c in enumerate(m.group(0)) if c != " "]
        i = 0
        while i <= len(letters) - 3:  # the longest sales term that starts at each letter ("a D E M O")
            j = next((j for j in range(len(letters), i + 2, -1)
                      if "".join(out[p] for p in letters[i:j]).lower() in terms), None)
            if j is None:
                i += 1
                continue
            dropped.update(range(letters[i] + 1, letters[j - 1], 2))
            i = j
    if dropped:
        out = "".join(c for k, c in enumerate(out) if k not in dropped)
        index = [x for k, x in enumerate(index) if k not in dropped]
    return out, index


def to_original(index: list[int], length: int, start: int, end: int) -> tuple[int, int]:
    """Map a [start, end) span of the folded text back to the original text."""
    if not index:
        return 0, 0
    s = index[start] if start < len(index) else length
    e = index[end - 1] + 1 if end > start else s
    return s, max(s, e)
