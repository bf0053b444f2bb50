"""Folding what people paste or use to dodge filters, with a map back to the original characters.

NFKC, typographic quotes and dashes, every Unicode default-ignorable and format character (zero-width
characters, bidi controls, variation selectors, tag characters, Hangul fillers, Mongolian variation
selectors), combining marks on Latin letters, look-alike letters from other scripts (Unicode's confusables
data, from the `confusable-homoglyphs` package), leetspeak in sales terms ("d3mo", "c@ll", "fr33") and
letter-spaced sales terms ("D E M O"). Runs of punctuation are capped (each symbol is a spaCy token).
Every character of the folded text remembers which original character it came from, so spans stay true.
"""
from __future__ import annotations

import json
import re
import string
import unicodedata
from functools import lru_cache
from importlib import resources

import regex

from . import phrases

# Default_Ignorable_Code_Point (U+200B, U+2060-U+206F, U+FE00-U+FE0F, U+E0000-U+E0FFF, U+3164, U+180B...) and
# every format character (Cf: U+200E, U+2062, bidi controls...): invisible, so dropped before analysis
IGNORABLE_RE = regex.compile(r"[\p{Default_Ignorable_Code_Point}\p{Cf}]")
FOLD = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " ",
        "\u2032": "'"}
NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
WORD_RE = re.compile(r"[A-Za-z0-9@$!|]+")
SPACED_RE = re.compile(r"\b(?:[A-Za-z] ){2,}[A-Za-z]\b")
MAX_EXPANSION = 4  # NFKC of a ligature or a fraction; longer expansions (Arabic honorifics) are kept as they are
MAX_RUN = 200  # spaCy's tokenizer takes time quadratic in a run without spaces ("!!!…"): longer runs are split
LONG_RUN_RE = re.compile(rf"\S{{{MAX_RUN + 1},}}")
MAX_PUNCT = 16  # symbols in a row (spaces between allowed) that reach spaCy; the rest become spaces
PUNCT_RUN_RE = re.compile(rf"[^\w\s](?:\s*[^\w\s]){{{MAX_PUNCT},}}")
ASCII_ALNUM = string.ascii_letters + string.digits


@lru_cache(maxsize=1)
def _tables() -> tuple[frozenset[str], dict[str, str]]:
    data = phrases.data()["normalise"]
    return frozenset(data["sales_terms"]), dict(data["leet"])


@lru_cache(maxsize=1)
def confusables() -> dict[str, str]:
    """Letters and digits that look like an ASCII letter or digit, mapped to it, from Unicode's confusables.txt
    as shipped by `confusable-homoglyphs`. A character whose prototype is not ASCII (small capital A -> Cherokee
    small letter go) is followed one more step, through that prototype's own confusables and its other case
    (-> Cherokee capital go -> A), and then takes the case of the character it replaces; Latin small capitals
    the data leaves out (small capital M) are mapped by their Unicode names. The letters of European
    alphabets (U+00C0-U+024F: ß, ø, ł...) are real letters, never folded."""
    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8"))
    direct: dict[str, set[str]] = {}
    for ascii_char in ASCII_ALNUM:
        for entry in data.get(ascii_char, ()):
            direct.setdefault(entry["c"], set()).add(ascii_char)
    out: dict[str, str] = {}
    for ch in {*data, *SMALL_CAPITALS}:
        if len(ch) != 1 or ch.isascii() or "\u00c0" <= ch <= "\u024f" or unicodedata.category(ch)[0] not in "LN":
            continue
        kind = unicodedata.category(ch)
        nfkc = unicodedata.normalize("NFKC", ch)
        if len(nfkc) == 1 and nfkc.isascii() and nfkc.isalnum():
            found: str | None = nfkc  # agree with NFKC (mathematical and fullwidth letters)
        elif ch in direct:  # I/l and O/0 are both listed: the one of the same case, else a letter
            found = min(direct[ch], key=lambda c: (c.isupper() != (kind == "Lu"), not c.isalpha(), c))
            found = "I" if found == "l" and kind == "Lu" else found  # the data's prototype of I is l
        else:
            near = [e["c"] for e in data.get(ch, ())] + [ch.upper(), ch.lower()]
            near += [v for n in near if len(n) == 1 for v in (n.upper(), n.lower())]
            found = next((n if n.isascii() else min(direct[n]) for n in near
                          if (n.isascii() and n.isalnum() and len(n) == 1) or n in direct), SMALL_CAPITALS.get(ch))
            found = found and (found.lower() if kind == "Ll" else found.upper() if kind == "Lu" else found)
        if found:
            out[ch] = found
    return out


# Latin small capitals (IPA extensions, phonetic extensions, Latin extended-D) by their Unicode names
SMALL_CAPITALS = {chr(c): m.group(1).lower() for c in (*range(0x250, 0x2b0), *range(0x1d00, 0x1d2c),
                                                       *range(0xa720, 0xa800))
                  if (m := re.fullmatch(r"LATIN LETTER SMALL CAPITAL ([A-Z])", unicodedata.name(chr(c), "")))}


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    """What one non-ASCII character becomes for analysis ("" when it is invisible)."""
    if IGNORABLE_RE.match(ch):
        return ""
    ch = FOLD.get(ch, ch)
    if unicodedata.category(ch)[0] in "LN" and ch in confusables():
        return confusables()[ch]  # agrees with NFKC wherever NFKC gives an ASCII letter or digit
    folded = unicodedata.normalize("NFKC", ch)
    if not folded or len(folded) > MAX_EXPANSION:  # "\ufdfa" is 18 characters in NFKC: no expansion bombs
        folded = ch
    if folded.isascii():
        return folded
    return "".join(confusables().get(c, c) if unicodedata.category(c)[0] in "LN" else c for c in folded)


def fold(text: str) -> tuple[str, list[int]]:
    """(folded text, index): index[i] is the offset in `text` of the character folded text[i] came from."""
    terms, leet = _tables()
    # every per-character table maps non-ASCII characters only: copy the ASCII stretches between them whole
    pieces: list[str] = []
    index: list[int] = []
    pos = 0
    last = ""  # the last character folded so far
    for m in NON_ASCII_RE.finditer(text):
        i = m.start()
        if i > pos:
            pieces.append(text[pos:i])
            index.extend(range(pos, i))
            last = text[i - 1]
        pos = i + 1
        ch = text[i]
        if last.isascii() and not last.isspace() and unicodedata.category(ch) in ("Mn", "Me"):
            continue  # a combining mark on ASCII ("d\u0336e\u0336m\u0336o"): the letter is what is read
        folded = _fold_char(ch)
        if folded == "I" and last.isascii() and last.islower():
            folded = "l"  # a capital I look-alike inside a lower-case word stands for l ("he\u2110p": help)
        if folded:
            pieces.append(folded)
            index.extend([i] * len(folded))
            last = folded[-1]
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
    return _split_long_runs(_cap_punctuation(out), index)


def _cap_punctuation(text: str) -> str:
    """Symbols after the first MAX_PUNCT of a run ("!!!!…", "! ! ! …") become spaces: the same length, so the
    index still holds, and one whitespace token for spaCy instead of one token per symbol."""
    if not PUNCT_RUN_RE.search(text):
        return text
    out = list(text)
    for m in PUNCT_RUN_RE.finditer(text):
        seen = 0
        for k in range(m.start(), m.end()):
            if not out[k].isspace():
                seen += 1
                if seen > MAX_PUNCT:
                    out[k] = " "
    return "".join(out)


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
