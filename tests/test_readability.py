"""linter.readability gives textstat's Flesch-Kincaid grade and reading ease, without textstat's slow start."""
from __future__ import annotations

import json

import pytest
import textstat

from linter.readability import scores, syllables
from linter.readability import readability

from conftest import REPO


def corpus_texts() -> list[str]:
    texts = []
    for path in sorted((REPO / "corpora").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def test_equals_textstat_on_every_corpus_draft():
    texts = corpus_texts()
    assert len(texts) >= 300
    for text in texts:
        grade, ease = scores(text)
        assert grade == pytest.approx(textstat.flesch_kincaid_grade(text), abs=1e-9), text
        assert ease == pytest.approx(textstat.flesch_reading_ease(text), abs=1e-9), text


@pytest.mark.parametrize("word, expected", [
    ("a", 1), ("calendar", 3), ("a's", 1), ("africa", 3),  # in the dictionary (a variant follows "africa")
    ("zywicki", 3),  # the last entry
    ("calendly", 3),  # not in it: pyphen's hyphenation
])
def test_syllables(word, expected):
    assert syllables(word) == expected


def test_short_and_wordless_texts():
    assert readability("Hi Sam") == (None, None)
    assert scores("... !!! ???") == (0.0, 0.0)


def test_hyphenation_equals_pyphen():
    """The lazily parsed patterns hyphenate every corpus word (and a sample of other words) as pyphen does."""
    import random
    import string

    import pyphen

    from linter.readability import _Hyphens, _hyphens, _words

    lazy, reference = _hyphens(), pyphen.Pyphen(lang="en_US")
    assert isinstance(lazy, _Hyphens)  # pyphen's en_US file needs no fallback
    rnd = random.Random(14)
    words = {w for text in corpus_texts() for w in _words(text, lowercase=True)}
    words |= {"".join(rnd.choice(string.ascii_lowercase + "'-") for _ in range(rnd.randint(1, 14))) for _ in range(3000)}
    for word in words:
        assert [i for i in lazy.positions(word) if 2 <= i <= len(word) - 2] == reference.positions(word), word
