"""Self-centred pitching (SC): about the sender, not tied to what the recipient needs."""
from __future__ import annotations

import re
from typing import Iterator

from .. import phrases
from . import Context, Hit

INTRO_RE = re.compile(r"^\W*(?:(?:hi|hello|hey|dear)\b[^.!?\n]{0,30}[,.!\n]\s*)?"
                      r"(my name is|allow me to introduce|let me introduce|i am the|i'm the|i am a|i'm a|we are a|"
                      r"we're a|we are the|we're the|i run|we run|i own|i lead|i head)\b", re.I)
COUNT_BRAG_RE = re.compile(r"\b(?:over|more than|\d[\d,.]*\s*\+|\d[\d,.]*k\+?)\s*(?:\d[\d,.]*\+?\s*)?"
                           r"(?:companies|clients|customers|brands|businesses|teams|users|startups|funds|agencies|"
                           r"firms|members|downloads|stars|installs|projects|organi[sz]ations)\b", re.I)
CLAIM_RE = re.compile(r"\b\d+(?:\.\d+)?\s?x\b|\bby \d+(?:\.\d+)?\s?%|\b\d+(?:-\d+)?\s?%\s+(?:more|less|fewer|faster|"
                      r"higher|lower|increase|decrease|reduction|growth|boost|lift|cut)|\bin half\b|\b\d+x\s+faster",
                      re.I)
BULLET_RE = re.compile(r"^\s*(?:[-*•◦▪‣]|\d{1,2}[.)])\s+\S", re.M)


def check(ctx: Context) -> Iterator[Hit]:
    sig = ctx.signals
    if ctx.on("SC001") and sig.sentences:
        yield from _opens_on_sender(ctx)
    if ctx.on("SC002"):
        yield from _sender_centred(ctx)
    if ctx.on("SC003"):
        yield from _brags(ctx)
    if ctx.on("SC004"):
        yield from _feature_list(ctx)
    if ctx.on("SC005"):
        for sent in sig.promote_asks:
            yield ctx.hit("SC005", sent, f"Asks the recipient to spend time on your work: '{_short(sent.text)}'.",
                          "Do something for them first; offer your work only if it solves a problem they named.")


def _opens_on_sender(ctx: Context) -> Iterator[Hit]:
    sig = ctx.signals
    opener = next((s for s in sig.sentences if s.end_char > sig.greeting_end
                   and len([t for t in s if t.is_alpha]) > 2), None)
    if opener is None:
        return
    root_talk = [c for c in sig.sender_clauses if c.verb.sent == opener and c.verb.dep_ == "ROOT"]
    if INTRO_RE.match(opener.text) or root_talk:
        yield ctx.hit("SC001", opener, "Opens on the sender, not the recipient.",
                      "Lead with them: what you noticed about their work, or a question about their goal.")


def _sender_centred(ctx: Context) -> Iterator[Hit]:
    sig = ctx.signals
    cfg = ctx.config
    sender, recipient = sig.sender_clauses, sig.recipient_clauses
    if len(sender) < cfg.self_talk_min or len(sender) < cfg.self_talk_ratio * max(1, len(recipient)):
        return
    first = sender[0].verb.sent
    yield ctx.hit("SC002", first,
                  f"About the sender: {len(sender)} clauses have you or your company as subject, "
                  f"{len(recipient)} have the recipient.",
                  "Rewrite so the recipient is the subject: their goal, their problem, what changes for them.")


def _brags(ctx: Context) -> Iterator[Hit]:
    sig = ctx.signals
    spans = list(phrases.find(ctx.doc, "self_centred", "brag"))
    for m in [*COUNT_BRAG_RE.finditer(ctx.doc.text), *CLAIM_RE.finditer(ctx.doc.text)]:
        span = ctx.doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None:
            spans.append(span)
    seen: set[int] = set()
    for span in sorted(spans, key=lambda s: s.start_char):
        sent = span.sent
        if sent.start in seen:
            continue
        words = {t.lower_ for t in sent}
        about_them = "your" in {t.lower_ for t in ctx.doc[max(sent.start, span.start - 3):span.start]} or any(
            c.kind == "recipient" and c.verb.sent == sent for c in sig.clauses) and not words & {"we", "our", "i", "my"}
        sender_side = words & {"we", "our", "i", "my", "us", "we've", "we're"} or any(
            c.kind == "sender" and c.verb.sent == sent for c in sig.clauses) or sent in sig.offers
        if about_them or not sender_side:
            continue
        seen.add(sent.start)
        yield ctx.hit("SC003", span, f"Credentials and brags: '{span.text}' is about you, not them.",
                      "Cut the credentials; one concrete result that matches their problem, tied to them, is enough.")


def _feature_list(ctx: Context) -> Iterator[Hit]:
    text = ctx.doc.text
    intro_words = [w.lower() for w in phrases.data()["self_centred"]["feature_intro"]]
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        if not BULLET_RE.match(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and (BULLET_RE.match(lines[j]) or not lines[j].strip() and j + 1 < len(lines)
                                  and BULLET_RE.match(lines[j + 1])):
            j += 1
        items = [ln for ln in lines[i:j] if ln.strip()]
        intro = next((ln for ln in reversed(lines[:i]) if ln.strip()), "").lower()
        block = " ".join(items).lower()
        names_you = re.search(r"\byou(?:r|'re|'ll)?\b", block)
        about_offer = any(w in intro for w in intro_words) or re.search(r"\b(?:our|my|we)\b", block)
        if len(items) >= 3 and about_offer and not names_you:
            start, end = offsets[i], offsets[j - 1] + len(lines[j - 1])
            yield Hit("SC004", start, end, f"A list of {len(items)} features with no benefit to the recipient.",
                      "Replace the list with the one outcome that matters to them, in their words.")
        i = j


def _short(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1].rstrip() + "…"
