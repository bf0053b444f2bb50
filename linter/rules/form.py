"""Form (FM): LinkedIn's limits, length, readability (textstat), asks and walls of text."""
from __future__ import annotations

import re
from typing import Iterator

from . import Context, Hit

PARAGRAPH_RE = re.compile(r"\S(?:.|\n(?!\s*\n))*", re.M)
HARD_GRADE = 12.0
MIN_WORDS_FOR_GRADE = 30
WALL_WORDS, WALL_SENTENCES = 80, 6


def readability(text: str) -> tuple[float | None, float | None]:
    """Flesch-Kincaid grade and Flesch reading ease, or None for text too short to score."""
    if len(text.split()) < 3:
        return None, None
    from ..readability import scores  # textstat's formulas; imported when first needed

    grade, ease = scores(text)
    return round(grade, 1), round(ease, 1)


def check(ctx: Context) -> Iterator[Hit]:
    text = ctx.doc.text
    body = text.strip()
    if not body:
        return
    lead = len(text) - len(text.lstrip())
    cfg = ctx.config
    if ctx.on("FM001") and len(body) > cfg.note_limit:
        yield Hit("FM001", lead + cfg.note_limit, lead + len(body),
                  f"Connection note is {len(body)} characters; LinkedIn allows {cfg.note_limit}.",
                  "Cut it to one specific line about them and why you want to connect.")
    words = list(re.finditer(r"\S+", text))
    if ctx.on("FM002"):
        if ctx.stage == "cold" and len(body) > cfg.inmail_limit:
            yield Hit("FM002", lead + cfg.inmail_limit, lead + len(body),
                      f"{len(body)} characters: over the {cfg.inmail_limit}-character InMail limit.",
                      "Cut it to under 125 words.", "error")
        elif len(words) > cfg.word_limit:
            yield Hit("FM002", words[cfg.word_limit].start(), words[-1].end(),
                      f"{len(words)} words; messages of 50-{cfg.word_limit} words get the most replies.",
                      "Keep one point about them, one line about you, one question.")
    yield from _readability(ctx, len(words))
    sig = ctx.signals
    if ctx.on("FM004") and len(sig.questions) > 2:
        third = sig.questions[2]
        yield ctx.hit("FM004", third, f"{len(sig.questions)} questions in one message.",
                      "Keep the one question that matters most to them.")
    if ctx.on("FM005"):
        for m in PARAGRAPH_RE.finditer(text):
            para = m.group(0)
            n_words = len(para.split())
            n_sents = len([s for s in sig.sentences if m.start() <= s.start_char < m.end()])
            if n_words > WALL_WORDS or n_sents > WALL_SENTENCES:
                yield Hit("FM005", m.start(), m.end(), f"Wall of text: a {n_words}-word paragraph.",
                          "Break it into short paragraphs of one or two sentences.")
    if ctx.on("FM006") and not sig.questions and sig.sentences:
        last = sig.sentences[-1]
        yield ctx.hit("FM006", last, "No question for the recipient to answer.",
                      "End with one easy, specific question about them.")


def _readability(ctx: Context, n_words: int) -> Iterator[Hit]:
    if not ctx.on("FM003") or n_words < MIN_WORDS_FOR_GRADE:
        return
    grade, _ = readability(ctx.doc.text)
    if grade is None or grade <= ctx.config.reading_grade:
        return
    hardest = max(ctx.signals.sentences, key=lambda s: len(s), default=None)
    if hardest is None:
        return
    severity = "warning" if grade > HARD_GRADE else None
    yield ctx.hit("FM003", hardest, f"Reading grade {grade:.1f} (target: {ctx.config.reading_grade:g} or below).",
                  "Use shorter sentences and everyday words.", severity)
