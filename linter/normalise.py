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
NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
WORD_RE = re.compile(r"[A-Za-z0-9@$!|]+")
SPACED_RE = re.compile(r"\b(?:[A-Za-z] ){2,}[A-Za-z]\b")
MAX_EXPANSION = 4  # NFKC of a ligature or a fraction; longer expansions (Arabic honorifics) are kept as they are
MAX_RUN = 200  # spaCy's tokenizer takes time quadratic in a run without spaces ("!!!…"): longer runs are split
LONG_RUN_RE = re.compile(rf"\S{{{MAX_RUN + 1},}}")


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    data = phrases.data()["normalise"]
    return frozenset(data["sales_terms"]), dict(data["leet"]), dict(data["homoglyphs"])


def fold(text: str) -> tuple[str, list[int]]:
    """(folded text, index): index[i] is the offset in `text` of the character folded text[i] came from."""
    terms, leet, homoglyphs = _tables()
    # every per-character table maps non-ASCII characters only: copy the ASCII stretches between them whole
    pieces: list[str] = []
    index: list[int] = []
    pos = 0
    for m in NON_ASCII_RE.finditer(text):
        i = m.start()
        pieces.append(text[pos:i])
        index.extend(range(pos, i))
        pos = i + 1
        ch = text[i]
        if ch in ZERO_WIDTH:
            continue
        ch = homoglyphs.get(ch, ch)
        ch = FOLD.get(ch, ch)
        folded = unicodedata.normalize("NFKC", ch)
        if not folded or len(folded) > MAX_EXPANSION:  # "\ufdfa" is 18 characters in NFKC: no expansion bombs
            folded = ch
        pieces.append(folded)
        index.extend([i] * len(folded))
    pieces.append(text[pos:])
    index.extend(range(pos, len(text)))
    out = "".join(pieces)
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
    longest = max(map(len, terms))
    for m in SPACED_RE.finditer(out):
        letters = [m.start() + k for k, c in enumerate(m.group(0)) if c != " "]
        i = 0
        while i <= len(letters) - 3:  # the longest sales term that starts at each letter ("a D E M O")
            j = next((j for j in range(min(len(letters), i + longest), i + 2, -1)
                      if "".join(out[p] for p in letters[i:j]).lower() in terms), None)
            if j is None:
                i += 1
                continue
            dropped.update(range(letters[i] + 1, letters[j - 1], 2))
            i = j
    if dropped:
        out = "".join(c for k, c in enumerate(out) if k not in dropped)
        index = [x for k, x in enumerate(index) if k not in dropped]
    return _split_long_runs(out, index)


def _split_long_runs(text: str, index: list[int]) -> tuple[str, list[int]]:
    """A space after every MAX_RUN characters of a run without whitespace (mapped to the next character)."""
    pieces: list[str] = []
    out_index: list[int] = []
    pos = 0
    for m in LONG_RUN_RE.finditer(text):
        for k in range(m.start() + MAX_RUN, m.end(), MAX_RUN):
            pieces += [text[pos:k], " "]
            out_index += [*index[pos:k], index[k]]
            pos = k
    if not pieces:
        return text, index
    pieces.append(text[pos:])
    out_index += index[pos:]
    return "".join(pieces), out_index


def to_original(index: list[int], length: int, start: int, end: int) -> tuple[int, int]:
    """Map a [start, end) span of the folded text back to the original text."""
    if not index:
        return 0, 0
    s = index[start] if start < len(index) else length
    e = index[end - 1] + 1 if end > start else s
    return s, max(s, e)
